"""A region's analysis as one JSON-ready dict: what ``workbench analyse --json`` prints.

The data contract fixes its top-level keys: ``region``, ``network``,
``maturity`` (``Cn.level`` plus the scoring detail and network evidence) and
``gaps`` (each with ``id``, ``characteristics``, ``severity``, ``agencies``
plus its evidence, its ``basis`` and catalogue actions), ``checks`` (questions
for the working group where a rule's signal is not recorded: version 1.1),
and ``survey`` when the region
has partner survey rows (see :func:`workbench.survey.survey_block`).
"""

from __future__ import annotations

from typing import Any

from .data import Region
from .maturity import assess_region
from .network import analyse_network
from .roadmap.gaps import detect_checks, detect_gaps
from .survey import survey_block


def analyse_region(region: Region) -> dict[str, Any]:
    """The region's identity, network analysis, maturity levels and gaps.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    dict of str to Any
        ``region`` (id, name, country), ``network``
        (:func:`workbench.network.analyse_network`), ``maturity``
        (:func:`workbench.maturity.assess_region`), ``gaps`` (each gap's
        JSON, with its ``basis``), ``checks`` (``{"id", "question",
        "agencies"}``, never among the gaps) and, only when the region has
        survey rows, ``survey``.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> r = Region(RegionInfo("xx-a", "A", "BE"),
    ...            agencies=(Agency("p", "P", "police", "organisation"),))
    >>> out = analyse_region(r)
    >>> out["region"], out["network"]["agencies"], out["maturity"]["C1"]["level"]
    ({'id': 'xx-a', 'name': 'A', 'country': 'BE'}, 1, None)
    >>> sorted(g["id"] for g in out["gaps"])[:3]
    ['G02', 'G03', 'G16']
    >>> out["gaps"][0]["basis"], [c["id"] for c in out["checks"]]
    ('evidence', ['G05', 'G09', 'G26', 'G27'])
    """
    out = {
        "region": {"id": region.id, "name": region.name, "country": region.info.country},
        "network": analyse_network(region),
        "maturity": assess_region(region),
        "gaps": [g.to_json() for g in detect_gaps(region)],
        "checks": detect_checks(region),
    }
    survey = survey_block(region)
    if survey is not None:
        out["survey"] = survey
    return out
