"""The whole network analysis of a region, as one JSON-ready dict.

:func:`analyse_network` is what ``workbench analyse --json`` prints under
``"network"``, what the dashboards show and what the maturity scoring reads
as evidence. It is computed once per region content and reused.
"""

from __future__ import annotations

import json
from collections import Counter, OrderedDict
from typing import Any

from ..data import Region
from ..data.model import LIVE
from . import metrics
from .graph import organisation_graph
from .pathways import group_coverage, partner_coverage, referral_feedback, referral_pathways
from .resilience import critical_ties, single_points_of_failure

#: Regions whose analysis is kept, keyed by their content.
CACHE_SIZE = 8

_cache: OrderedDict[tuple[Any, ...], str] = OrderedDict()


def analyse_network(region: Region, *, top: int = 10) -> dict[str, Any]:
    """The network section of a region's analysis.

    Keys the data contract fixes: ``agencies``, ``forums``, ``relationships``,
    ``density``, ``degree_centralization``, ``reciprocity``, ``components``,
    ``isolates``, ``cut_agencies`` (see :mod:`~workbench.network.metrics`).
    The workbench adds:

    * ``arcs``, ``units``, ``density_by_type``, ``bridges``, ``max_core``;
    * ``betweenness`` — how it was computed (exact or sampled, pivots, seed,
      estimated error), and ``brokers`` (ids, highest betweenness first);
    * ``roles`` (id → role) and ``role_counts``;
    * ``agency_metrics`` — per agency: ``in``, ``out``, ``degree``,
      ``betweenness``, ``core``, ``role``;
    * ``partner_coverage``, ``missing_partners``, ``unconnected_partners``;
    * ``group_coverage``, ``groups_without_pathway`` (not covered),
      ``groups_without_service`` (no live agency serves them at all);
    * ``referral_feedback`` — ``referrals``, ``with_feedback``, ``share``
      (``None`` without referrals) and the pairs ``without_feedback``;
    * ``referral_pathways`` — the maximal chains from entry points;
    * ``single_points_of_failure`` and ``critical_ties`` (the ``top`` worst).

    The result is cached by region content; a fresh copy is returned each time.

    Parameters
    ----------
    region : Region
        A loaded region.
    top : int
        How many single points of failure and critical ties to list, worst
        first.

    Returns
    -------
    dict of str to Any
        The keys above; JSON-ready (lists, dicts, numbers, strings, ``None``).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation", target_groups=("homeless",)),
    ...     Agency("h", "Housing", "housing", "organisation")),
    ...     relationships=(Relationship("p", "s", "referral"),))
    >>> n = analyse_network(r)
    >>> n["agencies"], n["density"], n["components"], n["isolates"]
    (3, 0.16666666666666666, 2, ['h'])
    >>> n["group_coverage"]["homeless"]["path"], n["roles"]["h"]
    (['p', 's'], 'isolate')
    """
    key = (region.info, region.agencies, region.relationships, top)
    if key in _cache:
        _cache.move_to_end(key)
    else:
        _cache[key] = json.dumps(_analyse(region, top), ensure_ascii=False)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    # A JSON round trip copies faster than deepcopy and proves the result is JSON-ready.
    return json.loads(_cache[key])


def _analyse(region: Region, top: int) -> dict[str, Any]:
    g = organisation_graph(region)
    u = metrics.undirected(g)
    bw = metrics.betweenness(g)
    cores = metrics.core_numbers(u)
    degrees = metrics.degrees(g)
    roles = metrics.roles(region, g, betweenness_values=bw.values, cores=cores)
    partners = partner_coverage(region, g)
    groups = group_coverage(region)
    feedback = referral_feedback(region)
    with_fb = sum(f["has_feedback"] for f in feedback)
    counts = Counter(roles.values())
    brokers = sorted((v for v, r in roles.items() if r == "broker"),
                     key=lambda v: (-bw.values[v], v))
    return {
        "agencies": g.number_of_nodes(),
        "forums": sum(1 for a in region.agencies if a.is_forum and a.status in LIVE),
        "relationships": sum(1 for r in region.relationships if r.is_active),
        "density": metrics.density(g),
        "degree_centralization": metrics.degree_centralization(u),
        "reciprocity": metrics.reciprocity(g),
        "components": metrics.components(g),
        "isolates": metrics.isolates(g),
        "cut_agencies": metrics.cut_agencies(u),
        "arcs": g.number_of_edges(),
        "units": sum(1 for a in region.agencies if a.kind == "unit" and a.status in LIVE),
        "density_by_type": metrics.type_density(region),
        "bridges": [list(e) for e in metrics.bridges(u)],
        "max_core": max(cores.values(), default=0),
        "betweenness": bw.summary(),
        "brokers": brokers,
        "roles": roles,
        "role_counts": {r: counts.get(r, 0) for r in metrics.ROLES},
        "agency_metrics": {v: {**degrees[v], "betweenness": bw.values.get(v, 0.0),
                               "core": cores.get(v, 0), "role": roles[v]} for v in g},
        "partner_coverage": partners,
        "missing_partners": [p for p, c in partners.items() if c["status"] == "missing"],
        "unconnected_partners": [p for p, c in partners.items() if c["status"] == "unconnected"],
        "group_coverage": groups,
        "groups_without_pathway": [k for k, c in groups.items() if not c["covered"]],
        "groups_without_service": [k for k, c in groups.items() if not c["servers"]],
        "referral_feedback": {
            "referrals": len(feedback), "with_feedback": with_fb,
            "share": with_fb / len(feedback) if feedback else None,
            "without_feedback": [[f["source"], f["target"]] for f in feedback
                                 if not f["has_feedback"]]},
        "referral_pathways": referral_pathways(region),
        "single_points_of_failure": single_points_of_failure(region, top),
        "critical_ties": critical_ties(region, top),
    }
