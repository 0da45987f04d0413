"""What breaks when one agency or one tie drops out.

Three things can break, each measured exactly for every live agency and
every active tie at once (no removal is simulated one by one, so a network of
10,000 agencies is ranked in well under a second):

* **groups lost** — priority groups covered by a referral path
  (:func:`~workbench.network.pathways.group_coverage`) that no longer are;
* **reach lost** — agencies that some entry point can refer a person to today
  and none can afterwards (the referral pairs entry point → agency that are
  disconnected, counted by agency);
* **cut off** — agencies of the organisation graph no longer connected, in its
  undirected version, to the largest part of their former component; and
  **components added**, the number of extra components.

The first two come from the dominator tree of the pathway graph, rooted at a
virtual node linked to every entry point, with every arc subdivided by a node
of its own: removing agency or arc *x* disconnects exactly the nodes *x*
dominates, and a group is lost exactly when *x* dominates every server the
entry points reach, i.e. *x* is an ancestor-or-self of those servers' lowest
common ancestor. The last two come from one depth-first search (Hopcroft and
Tarjan's low-link values, with subtree sizes): articulation points and
bridges, and the sizes of the pieces each leaves behind.

:func:`what_if` removes one agency or tie and recomputes everything, to show
how paths and the contract's metrics move.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from functools import lru_cache
from typing import Any

import networkx as nx

from ..data import Region
from ..data.model import LIVE
from . import metrics
from .graph import STRUCTURAL, adjacency, organisation_graph
from .pathways import (
    PATHWAY_TYPES,
    entry_points,
    group_coverage,
    group_servers,
    pathway_graph,
    reach,
)

_ROOT = ("entry points",)


def _dominators(region: Region) -> tuple[dict[Hashable, Hashable], set[str]]:
    """Immediate dominators of the subdivided pathway graph, and its agency nodes."""
    g = pathway_graph(region)
    h: nx.DiGraph[Hashable] = nx.DiGraph()
    h.add_edges_from((_ROOT, e) for e in entry_points(region))
    h.add_edges_from((a, ("arc", a, b)) for a, b in g.edges())
    h.add_edges_from((("arc", a, b), b) for a, b in g.edges())
    if _ROOT not in h:
        return {}, set(g)
    idom = nx.immediate_dominators(h, _ROOT)
    idom.pop(_ROOT, None)
    return idom, set(g)


def _tree(idom: dict[Hashable, Hashable], agencies: set[str]
          ) -> tuple[dict[Hashable, int], dict[Hashable, int], dict[Hashable, int]]:
    """Entry and exit times of each dominator-tree node, and agencies in its subtree."""
    children: dict[Hashable, list[Hashable]] = {}
    for v, p in idom.items():
        children.setdefault(p, []).append(v)
    tin: dict[Hashable, int] = {}
    tout: dict[Hashable, int] = {}
    count: dict[Hashable, int] = {}
    clock = 0
    stack: list[tuple[Hashable, bool]] = [(_ROOT, False)]
    while stack:
        v, done = stack.pop()
        if done:
            tout[v] = clock
            count[v] = (v in agencies) + sum(count[c] for c in children.get(v, ()))
            continue
        tin[v] = clock
        clock += 1
        stack.append((v, True))
        stack.extend((c, False) for c in children.get(v, ()))
    return tin, tout, count


def _pathway_impacts(region: Region) -> dict[Hashable, dict[str, Any]]:
    """Groups and reach lost by removing each dominator-tree node (agency or arc)."""
    idom, agencies = _dominators(region)
    if not idom:
        return {}
    tin, tout, count = _tree(idom, agencies)

    def above(a: Hashable, b: Hashable) -> bool:  # a is an ancestor-or-self of b
        return tin[a] <= tin[b] and tout[b] <= tout[a]

    out: dict[Hashable, dict[str, Any]] = {
        v: {"groups_lost": [], "reach_lost": count[v] - (v in agencies)} for v in idom}
    for group, all_servers in sorted(group_servers(region).items()):
        servers = [s for s in all_servers if s in idom]
        if not servers:
            continue
        top: Hashable = servers[0]
        for s in servers[1:]:
            while not above(top, s):
                top = idom[top]
        while top != _ROOT:
            out[top]["groups_lost"].append(group)
            top = idom[top]
    return out


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _splits(U: nx.Graph) -> tuple[dict[str, tuple[int, int]], dict[tuple[str, str], int]]:
    """Articulation points → (components added, agencies cut off); bridges → cut off."""
    disc: dict[str, int] = {}
    low: dict[str, int] = {}
    size: dict[str, int] = {}
    cut: dict[str, tuple[int, int]] = {}
    bridge_sides: dict[tuple[str, str], int] = {}
    adj = adjacency(U)
    clock = 0
    for root in U:
        if root in disc:
            continue
        disc[root] = low[root] = clock
        clock += 1
        size[root] = 1
        pieces: dict[str, list[int]] = {}
        comp_bridges: list[tuple[tuple[str, str], int]] = []
        stack = [(root, None, iter(adj[root]))]
        while stack:
            v, parent, it = stack[-1]
            for w in it:
                if w == parent:
                    continue
                if w in disc:
                    low[v] = min(low[v], disc[w])
                else:
                    disc[w] = low[w] = clock
                    clock += 1
                    size[w] = 1
                    stack.append((w, v, iter(adj[w])))
                    break
            else:
                stack.pop()
                if parent is None:
                    continue
                low[parent] = min(low[parent], low[v])
                size[parent] += size[v]
                if low[v] >= disc[parent]:
                    pieces.setdefault(parent, []).append(size[v])
                if low[v] > disc[parent]:
                    comp_bridges.append((_pair(parent, v), size[v]))
        n = size[root]
        for v, sizes in pieces.items():
            parts = sizes if v == root else [*sizes, n - 1 - sum(sizes)]
            if len(parts) > 1:
                cut[v] = (len(parts) - 1, n - 1 - max(parts))
        for e, s in comp_bridges:
            bridge_sides[e] = min(s, n - s)
    return cut, bridge_sides


@lru_cache(maxsize=4)
def _structure(region: Region) -> tuple[dict[Hashable, dict[str, Any]],
                                        dict[str, tuple[int, int]], dict[tuple[str, str], int]]:
    """Pathway impacts, articulation points and bridges, computed once per region."""
    cut, bridge_sides = _splits(metrics.undirected(organisation_graph(region)))
    return _pathway_impacts(region), cut, bridge_sides


def agency_impacts(region: Region) -> dict[str, dict[str, Any]]:
    """What breaks when each live agency (forums included) drops out.

    Per agency id: ``groups_lost`` (sorted group ids), ``reach_lost``,
    ``cut_off`` and ``components_added``, as the module describes.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    dict of str to dict
        Each live agency id, sorted, mapped to ``groups_lost`` (list of group
        ids), ``reach_lost``, ``cut_off`` and ``components_added`` (counts of
        agencies, agencies and components).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation", target_groups=("homeless",))),
    ...     relationships=(Relationship("p", "v", "referral"), Relationship("v", "s", "referral")))
    >>> agency_impacts(r)["v"]
    {'groups_lost': ['homeless'], 'reach_lost': 1, 'cut_off': 1, 'components_added': 1}
    """
    paths, cut, _ = _structure(region)
    out = {}
    for a in sorted(region.agencies, key=lambda a: a.id):
        if a.status not in LIVE:
            continue
        p = paths.get(a.id, {})
        added, cut_off = cut.get(a.id, (0, 0))
        out[a.id] = {"groups_lost": sorted(p.get("groups_lost", [])),
                     "reach_lost": p.get("reach_lost", 0), "cut_off": cut_off,
                     "components_added": added}
    return out


def tie_impacts(region: Region) -> dict[tuple[str, str, str], dict[str, Any]]:
    """What breaks when each active tie between live agencies is removed.

    A tie only breaks a pathway or the organisation graph when no other tie
    does its work: a second pathway tie on the same arc, or a second tie
    between the same two agencies (either way), keeps them linked.
    Keyed by ``(source, target, type)``; same fields as :func:`agency_impacts`.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    dict of tuple of str to dict
        Each active tie between live agencies, by ``(source, target, type)``
        in sorted order, mapped to ``groups_lost``, ``reach_lost``,
        ``cut_off`` and ``components_added``.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation", target_groups=("homeless",))),
    ...     relationships=(Relationship("p", "s", "referral"),
    ...                    Relationship("p", "s", "statutory_duty")))
    >>> tie_impacts(r)[("p", "s", "referral")]["groups_lost"]
    []
    """
    live = {a.id for a in region.agencies if a.status in LIVE}
    org = {a.id for a in region.agencies if a.status in LIVE and not a.is_forum}
    ties = [r for r in region.relationships
            if r.is_active and r.source in live and r.target in live]
    on_arc: dict[tuple[str, str], int] = {}
    on_pair: dict[tuple[str, str], int] = {}
    for r in ties:
        if r.type in PATHWAY_TYPES:
            on_arc[r.source, r.target] = on_arc.get((r.source, r.target), 0) + 1
        if r.type not in STRUCTURAL and r.source in org and r.target in org:
            pair = _pair(r.source, r.target)
            on_pair[pair] = on_pair.get(pair, 0) + 1
    paths, _, bridge_sides = _structure(region)
    out = {}
    for r in sorted(ties, key=lambda r: r.key):
        p: dict[str, Any] = {}
        if r.type in PATHWAY_TYPES and on_arc[r.source, r.target] == 1:
            p = paths.get(("arc", r.source, r.target), {})
        pair = _pair(r.source, r.target)
        bridge = r.type not in STRUCTURAL and on_pair.get(pair) == 1 and pair in bridge_sides
        out[r.key] = {"groups_lost": sorted(p.get("groups_lost", [])),
                      "reach_lost": p.get("reach_lost", 0),
                      "cut_off": bridge_sides[pair] if bridge else 0,
                      "components_added": int(bridge)}
    return out


def _rank(item: dict[str, Any]) -> tuple[int, int, int, int]:
    return (-len(item["groups_lost"]), -item["reach_lost"], -item["cut_off"],
            -item["components_added"])


def _breaks(item: dict[str, Any]) -> bool:
    return bool(item["groups_lost"] or item["reach_lost"] or item["cut_off"]
                or item["components_added"])


def single_points_of_failure(region: Region, top: int | None = 10) -> list[dict[str, Any]]:
    """Agencies whose loss breaks something, most damaging first.

    Ranked by groups lost, then reach lost, then agencies cut off, then
    components added (then id). Agencies whose loss breaks nothing are left
    out; ``top=None`` lists them all.

    Parameters
    ----------
    region : Region
        A loaded region.
    top : int or None
        How many to list; ``None`` lists every one.

    Returns
    -------
    list of dict
        Each with ``agency`` (its id) and the fields of
        :func:`agency_impacts`.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation", target_groups=("homeless",))),
    ...     relationships=(Relationship("p", "v", "referral"), Relationship("v", "s", "referral")))
    >>> [(x["agency"], x["groups_lost"]) for x in single_points_of_failure(r)]
    [('p', ['homeless']), ('v', ['homeless']), ('s', ['homeless'])]
    """
    items = [{"agency": k, **v} for k, v in agency_impacts(region).items() if _breaks(v)]
    items.sort(key=lambda x: (*_rank(x), x["agency"]))
    return items if top is None else items[:top]


def critical_ties(region: Region, top: int | None = 10) -> list[dict[str, Any]]:
    """Ties whose loss breaks something, most damaging first (ranked as agencies).

    Parameters
    ----------
    region : Region
        A loaded region.
    top : int or None
        How many to list; ``None`` lists every one.

    Returns
    -------
    list of dict
        Each with ``source``, ``target``, ``type`` and the fields of
        :func:`tie_impacts`.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation", target_groups=("homeless",))),
    ...     relationships=(Relationship("p", "s", "referral"),))
    >>> critical_ties(r)
    [{'source': 'p', 'target': 's', 'type': 'referral', 'groups_lost': ['homeless'], \
'reach_lost': 1, 'cut_off': 1, 'components_added': 1}]
    """
    items = [{"source": s, "target": t, "type": k, **v}
             for (s, t, k), v in tie_impacts(region).items() if _breaks(v)]
    items.sort(key=lambda x: (*_rank(x), x["source"], x["target"], x["type"]))
    return items if top is None else items[:top]


def without(region: Region, *, agency: str | None = None,
            tie: tuple[str, str, str] | None = None) -> Region:
    """The region with one agency (and every tie it has) or one tie removed.

    Raises ``ValueError`` if the agency or tie is not in the region.

    Parameters
    ----------
    region : Region
        A loaded region.
    agency : str or None
        The id of the agency to remove; give either this or ``tie``.
    tie : tuple of str or None
        The ``(source, target, type)`` of the tie to remove; every row with
        that key goes.

    Returns
    -------
    Region
        A new region; ``region`` itself is unchanged.

    Raises
    ------
    ValueError
        When both or neither of ``agency`` and ``tie`` are given, or the one
        given is not in the region.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "P", "police", "organisation"),
    ...     Agency("s", "S", "shelter", "organisation")),
    ...     relationships=(Relationship("p", "s", "referral"),))
    >>> len(without(r, agency="s").agencies)
    1
    >>> len(without(r, tie=("p", "s", "referral")).relationships)
    0
    """
    if (agency is None) == (tie is None):
        raise ValueError("remove either one agency or one tie")
    if agency is not None:
        if agency not in region.by_id:
            raise ValueError(f"no agency {agency!r} in region {region.id}")
        return dataclasses.replace(
            region, agencies=tuple(a for a in region.agencies if a.id != agency),
            relationships=tuple(r for r in region.relationships
                                if agency not in (r.source, r.target)))
    assert tie is not None  # exactly one of the two was given
    kept = tuple(r for r in region.relationships if r.key != tuple(tie))
    if len(kept) == len(region.relationships):
        raise ValueError(f"no tie {tie!r} in region {region.id}")
    return dataclasses.replace(region, relationships=kept)


def _numbers(region: Region) -> dict[str, float]:
    g = organisation_graph(region)
    u = metrics.undirected(g)
    return {"agencies": g.number_of_nodes(), "arcs": g.number_of_edges(),
            "density": metrics.density(g), "reciprocity": metrics.reciprocity(g),
            "degree_centralization": metrics.degree_centralization(u),
            "components": metrics.components(g), "isolates": len(metrics.isolates(g)),
            "cut_agencies": len(metrics.cut_agencies(u))}


def what_if(region: Region, *, agency: str | None = None,
            tie: tuple[str, str, str] | None = None) -> dict[str, Any]:
    """Remove one agency or one tie and compare coverage, paths and metrics.

    Returns ``removed``; ``groups_lost`` (covered before, not after);
    ``reach_lost`` (agencies entry points could refer to before and cannot
    after, the removed agency left out); ``paths_changed`` (group → its path
    ``before`` and ``after``, for every group whose path changed); and
    ``metrics`` (each contract figure ``before``, ``after`` and ``delta``;
    ``isolates`` and ``cut_agencies`` as counts).

    Parameters
    ----------
    region : Region
        A loaded region.
    agency : str or None
        The id of the agency to remove; give either this or ``tie``.
    tie : tuple of str or None
        The ``(source, target, type)`` of the tie to remove.

    Returns
    -------
    dict of str to Any
        ``removed``, ``groups_lost``, ``reach_lost``, ``paths_changed`` and
        ``metrics``, as above.

    Raises
    ------
    ValueError
        When both or neither of ``agency`` and ``tie`` are given, or the one
        given is not in the region.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation", target_groups=("homeless",))),
    ...     relationships=(Relationship("p", "v", "referral"), Relationship("v", "s", "referral")))
    >>> w = what_if(r, tie=("v", "s", "referral"))
    >>> w["groups_lost"], w["reach_lost"], w["metrics"]["components"]
    (['homeless'], ['s'], {'before': 1, 'after': 2, 'delta': 1})
    """
    after = without(region, agency=agency, tie=tie)
    cov0, cov1 = group_coverage(region), group_coverage(after)
    reach0 = set(reach(pathway_graph(region), entry_points(region)))
    reach1 = set(reach(pathway_graph(after), entry_points(after)))
    m0, m1 = _numbers(region), _numbers(after)
    return {
        "removed": {"agency": agency} if tie is None else dict(
            zip(("source", "target", "type"), tie, strict=True)),
        "groups_lost": sorted(g for g in cov0 if cov0[g]["covered"] and not cov1[g]["covered"]),
        "reach_lost": sorted(reach0 - reach1 - {agency}),
        "paths_changed": {g: {"before": cov0[g]["path"], "after": cov1[g]["path"]}
                          for g in sorted(cov0) if cov0[g]["path"] != cov1[g]["path"]},
        "metrics": {k: {"before": m0[k], "after": m1[k], "delta": m1[k] - m0[k]} for k in m0},
    }
