"""Gap rules of C5 (training and knowledge): G03, G04, G23, G31.

The gaps whose first characteristic in the catalogue (``resources/gaps.toml``) is C5,
one function each, registered in :data:`~workbench.roadmap.gaps.engine.RULES` by gap id.
Thresholds and type lists come from ``params``.
The answers alone decide G04, G23, G31 (:func:`~workbench.roadmap.gaps.engine.answers_at_most`,
thresholds ``params.at_most`` in the catalogue).
"""

from __future__ import annotations

from typing import Any

from .engine import Facts, Finding, answers_at_most, rule

#: The gaps of C5 the answers alone decide (thresholds: ``params.at_most`` in the catalogue).
for _gap_id in ("G04", "G23", "G31"):
    rule(_gap_id)(answers_at_most)


@rule("G03")
def training_not_mandatory(f: Facts, p: dict[str, Any]) -> Finding:
    """DV training is not compulsory, or no training reaches first responders.

    Fires when C5.1 ≤ 1 (none or voluntary), or when the region has live
    agencies of ``first_responder_types`` (police) and no live ``training``
    tie reaches any of them or their organisation.

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
    """
    out = Finding()
    f.at_most(out, "C5.1", 1)
    police = f.agencies(p["first_responder_types"])
    trained = {r.target for r in f.ties_of("training")}
    if police and not any(f.lineage(a.id) & trained for a in police):
        out.note("police_untrained", agencies=[a.id for a in police])
    return out
