"""A region's analysis as one JSON-ready dict: what ``workbench analyse --json`` prints.

The data contract fixes its top-level keys: ``region`` and ``network`` now;
``maturity`` and ``gaps`` join them when those analyses exist.
"""

from __future__ import annotations

from typing import Any

from .data import Region
from .network import analyse_network


def analyse_region(region: Region) -> dict[str, Any]:
    """The region's identity and its network analysis.

    >>> from workbench.data import Agency, Region, RegionInfo
    >>> r = Region(RegionInfo("xx-a", "A", "BE"),
    ...            agencies=(Agency("p", "P", "police", "organisation"),))
    >>> out = analyse_region(r)
    >>> out["region"], out["network"]["agencies"]
    ({'id': 'xx-a', 'name': 'A', 'country': 'BE'}, 1)
    """
    return {
        "region": {"id": region.id, "name": region.name, "country": region.info.country},
        "network": analyse_network(region),
    }
