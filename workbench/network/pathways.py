"""Coverage and referral pathways: who is missing, and who can reach whom.

The rules, also written in ``docs/network-formulas.md``:

* **Live agency**: an organisation, unit or forum whose status is ``active``
  or ``pilot``. Only live agencies and ``active`` ties count.
* **Pathway tie**: an active tie whose type is in :data:`PATHWAY_TYPES` —
  ``referral``, and ``statutory_duty`` (a duty to notify hands the case on
  just as a referral does). ``consultation`` and ``information_sharing`` do
  not count: advice and data move, the person does not. ``part_of`` does not
  count either: a unit is reached through a tie drawn to it.
* **Entry point**: a live agency whose type has ``entry_point = true`` in
  the taxonomy (police, police victim service, hospital, primary care,
  social services, helpline).
* **Server of a group**: a live agency whose ``target_groups`` include the
  group and whose ``excluded_groups`` do not.
* **Covered group**: a directed path of pathway ties runs from an entry point
  to a server; a path of length 0 (an entry point that serves the group
  itself) counts.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

import networkx as nx

from ..data import Agency, Region
from ..data.model import LIVE
from ..taxonomy import taxonomy
from .graph import adjacency, organisation_graph

#: Tie types a person travels along from one agency to the next.
PATHWAY_TYPES = frozenset({"referral", "statutory_duty"})

#: Attendance values that mean an agency is not really in a forum.
ABSENT = frozenset({"absent", "declined", "excluded"})


def serves(agency: Agency, group: str) -> bool:
    """Whether ``agency`` serves priority group ``group``.

    Parameters
    ----------
    agency : Agency
        Any agency; its status is not looked at.
    group : str
        A priority-group id of the taxonomy (``"homeless"``).

    Returns
    -------
    bool
        ``True`` when ``group`` is among the agency's ``target_groups`` and
        not among its ``excluded_groups``.

    Examples
    --------
    >>> serves(Agency("s", "S", "shelter", "organisation", target_groups=("homeless",)), "homeless")
    True
    >>> serves(Agency("s", "S", "shelter", "organisation", target_groups=("homeless",),
    ...               excluded_groups=("homeless",)), "homeless")
    False
    """
    return group in agency.target_groups and group not in agency.excluded_groups


def entry_points(region: Region) -> list[str]:
    """Live agencies of an entry-point type (taxonomy ``entry_point``), sorted.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    list of str
        Agency ids of the live organisations and units (not forums) whose
        type is an entry point, sorted.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "P", "police", "organisation"),
    ...     Agency("s", "S", "shelter", "organisation")))
    >>> entry_points(r)
    ['p']
    """
    types = taxonomy().agency_types
    return sorted(a.id for a in region.agencies if a.status in LIVE and not a.is_forum
                  and types.get(a.type, {}).get("entry_point"))


def pathway_graph(region: Region, types: Iterable[str] = PATHWAY_TYPES) -> nx.DiGraph:
    """Live agencies (forums included) and an arc a→b per active pathway tie.

    Parameters
    ----------
    region : Region
        A loaded region.
    types : iterable of str
        The relationship types that count as pathway ties; symmetric ones
        give arcs both ways.

    Returns
    -------
    networkx.DiGraph
        Nodes: the ids of every live agency, unit and forum, sorted; arcs
        without attributes.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "P", "police", "organisation"),
    ...     Agency("s", "S", "shelter", "organisation")),
    ...     relationships=(Relationship("p", "s", "referral"), Relationship("s", "p", "training")))
    >>> sorted(pathway_graph(r).edges())
    [('p', 's')]
    """
    types = frozenset(types)
    sym = taxonomy().symmetric_types
    live = {a.id for a in region.agencies if a.status in LIVE}
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(sorted(live))
    for r in region.relationships:
        if r.type in types and r.is_active and r.source in live and r.target in live:
            g.add_edge(r.source, r.target)
            if r.type in sym:
                g.add_edge(r.target, r.source)
    return g


def reach(G: nx.DiGraph, sources: Iterable[str]) -> dict[str, str | None]:
    """Breadth-first search from several sources: each reached node's predecessor.

    Sources map to ``None``. Sources and successors are visited in sorted
    order, so the shortest path it implies is the same on every run.

    Parameters
    ----------
    G : networkx.DiGraph
        The graph to search, usually a :func:`pathway_graph`.
    sources : iterable of str
        The nodes to start from; those not in ``G`` are ignored.

    Returns
    -------
    dict of str to str or None
        Every node reached (sources included), in the order visited, mapped
        to the node it was first reached from; ``None`` for a source.

    Examples
    --------
    >>> reach(nx.DiGraph([("a", "b"), ("b", "c"), ("x", "c")]), ["a"])
    {'a': None, 'b': 'a', 'c': 'b'}
    """
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for s in sorted(sources):
        if s in G and s not in parent:
            parent[s] = None
            queue.append(s)
    succ = adjacency(G)
    while queue:
        v = queue.popleft()
        for w in sorted(succ[v]):
            if w not in parent:
                parent[w] = v
                queue.append(w)
    return parent


def _path_to(parent: dict[str, str | None], v: str) -> list[str]:
    path = [v]
    while (p := parent[path[-1]]) is not None:
        path.append(p)
    return path[::-1]


def group_servers(region: Region) -> dict[str, list[str]]:
    """Live servers of every priority group of the taxonomy, sorted by id.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    dict of str to list of str
        Every priority group of the taxonomy (and any other group an agency
        names) mapped to the ids of the live agencies that serve it, sorted;
        an empty list for a group nobody serves.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("s", "S", "shelter", "organisation", target_groups=("homeless",)),))
    >>> group_servers(r)["homeless"], group_servers(r)["elderly"]
    (['s'], [])
    """
    out: dict[str, list[str]] = {g: [] for g in taxonomy().priority_groups}
    for a in sorted(region.agencies, key=lambda a: a.id):
        if a.status in LIVE:
            for g in a.target_groups:
                if serves(a, g):
                    out.setdefault(g, []).append(a.id)
    return out


def group_coverage(region: Region, *,
                   types: Iterable[str] = PATHWAY_TYPES) -> dict[str, dict[str, Any]]:
    """For each priority group, whether a referral path reaches a server.

    Returns, per group id of the taxonomy (plus any other group an agency
    names), a dict with

    * ``covered`` — a path of pathway ties runs from an entry point to a server;
    * ``path`` — the shortest such path (fewest ties; ties broken by id), a list
      of agency ids from entry point to server, or ``None``;
    * ``entry``, ``server`` — its two ends, or ``None``;
    * ``servers`` — every live server of the group, sorted;
    * ``reachable`` — the servers some entry point reaches, sorted;
    * ``audience`` — ``victims``, ``perpetrators`` or ``both``.

    Parameters
    ----------
    region : Region
        A loaded region.
    types : iterable of str
        The relationship types that count as pathway ties.

    Returns
    -------
    dict of str to dict
        Each group id mapped to the dict described above.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation", target_groups=("homeless",))),
    ...     relationships=(Relationship("p", "v", "referral"), Relationship("v", "s", "referral")))
    >>> c = group_coverage(r)
    >>> c["homeless"]["covered"], c["homeless"]["path"], c["elderly"]["covered"]
    (True, ['p', 'v', 's'], False)
    """
    tax = taxonomy()
    parent = reach(pathway_graph(region, types), entry_points(region))
    dist: dict[str, int] = {}
    for v in parent:  # BFS order: a node's parent is always seen first
        p = parent[v]
        dist[v] = 0 if p is None else dist[p] + 1
    out = {}
    for group, servers in group_servers(region).items():
        reachable = [s for s in servers if s in parent]
        best = min(reachable, key=lambda s: (dist[s], s)) if reachable else None
        path = _path_to(parent, best) if best else None
        out[group] = {
            "covered": best is not None, "path": path,
            "entry": path[0] if path else None, "server": best,
            "servers": servers, "reachable": reachable,
            "audience": tax.priority_groups.get(group, {}).get("audience", "both"),
        }
    return out


def partner_coverage(region: Region,
                     graph: nx.DiGraph | None = None) -> dict[str, dict[str, Any]]:
    """Which expected partner types are present, connected or missing.

    Expected roles come from the taxonomy (``expected`` on an agency type:
    police, prosecution, victim support, shelter, perpetrator programme,
    health, social services, child protection, housing). For each role:

    * ``agencies`` — live agencies (organisations and units) of that role;
    * ``connected`` — those with at least one tie in the organisation graph or
      an active membership of a live forum they attend;
    * ``status`` — ``missing`` (no agency), ``unconnected`` (agencies, none
      connected) or ``present``.

    ``graph`` is the region's organisation graph, if already built.

    Parameters
    ----------
    region : Region
        A loaded region.
    graph : networkx.DiGraph or None
        Its organisation graph (:func:`~workbench.network.graph.organisation_graph`);
        ``None`` builds it.

    Returns
    -------
    dict of str to dict
        Each expected role (``"police"``, ``"housing"``...) mapped to
        ``agencies`` and ``connected`` (agency ids, sorted) and ``status``.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation")))
    >>> c = partner_coverage(r)
    >>> c["police"]["status"], c["housing"]["status"]
    ('unconnected', 'missing')
    """
    types = taxonomy().agency_types
    g = organisation_graph(region) if graph is None else graph
    live_forums = {a.id for a in region.agencies if a.is_forum and a.status in LIVE}
    in_forum = {r.source for r in region.relationships
                if r.type == "forum_membership" and r.is_active and r.attendance not in ABSENT
                and r.target in live_forums}
    out: dict[str, dict[str, Any]] = {}
    for spec in types.values():
        if spec.get("expected"):
            out.setdefault(spec["expected"], {"agencies": [], "connected": []})
    for a in sorted(region.agencies, key=lambda a: a.id):
        role = types.get(a.type, {}).get("expected")
        if role and a.status in LIVE and not a.is_forum:
            out[role]["agencies"].append(a.id)
            if g.degree(a.id) > 0 or a.id in in_forum:
                out[role]["connected"].append(a.id)
    for c in out.values():
        c["status"] = "present" if c["connected"] else "unconnected" if c["agencies"] else "missing"
    return out


def _feedback_pairs(region: Region) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in region.relationships
            if r.type == "feedback" and r.is_active}


def referral_feedback(region: Region) -> list[dict[str, Any]]:
    """Every active referral between live agencies, and whether feedback returns.

    ``has_feedback`` is true when an active ``feedback`` tie runs back from the
    target to the source. Sorted by source, then target.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    list of dict
        One dict per pair with a referral (several referral rows between the
        same two agencies count once): ``source``, ``target`` (agency ids)
        and ``has_feedback`` (bool).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation")),
    ...     relationships=(Relationship("p", "v", "referral"), Relationship("v", "p", "feedback"),
    ...                    Relationship("v", "s", "referral")))
    >>> [(f["source"], f["target"], f["has_feedback"]) for f in referral_feedback(r)]
    [('p', 'v', True), ('v', 's', False)]
    """
    live = {a.id for a in region.agencies if a.status in LIVE}
    back = _feedback_pairs(region)
    pairs = sorted({(r.source, r.target) for r in region.relationships if r.type == "referral"
                    and r.is_active and r.source in live and r.target in live})
    return [{"source": s, "target": t, "has_feedback": (t, s) in back} for s, t in pairs]


def referral_pathways(region: Region, *, max_paths: int = 200, max_steps: int = 20_000,
                      types: Iterable[str] = PATHWAY_TYPES) -> dict[str, Any]:
    """Maximal referral chains from the entry points, with their feedback.

    A chain starts at an entry point, follows pathway ties without visiting an
    agency twice, and stops where no unvisited agency follows. Chains that are
    the tail of a longer chain are dropped. Each chain carries ``feedback``,
    one flag per step (a ``feedback`` tie runs back from the step's receiver to
    its sender), and ``closed`` (feedback on every step).

    Enumeration stops after ``max_paths`` chains or ``max_steps`` extensions,
    in which case ``truncated`` is true (chains multiply quickly in large
    networks; a region of a few dozen agencies is listed in full).

    Parameters
    ----------
    region : Region
        A loaded region.
    max_paths : int
        The most chains to list before stopping.
    max_steps : int
        The most extensions of a chain to try before stopping, a bound on
        the work done.
    types : iterable of str
        The relationship types that count as pathway ties.

    Returns
    -------
    dict of str to Any
        ``pathways`` (a list of dicts with ``path``, agency ids from the entry
        point on; ``feedback``, one bool per step; and ``closed``),
        ``truncated`` (bool) and ``closed`` (how many chains are closed).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation")),
    ...     relationships=(Relationship("p", "v", "referral"), Relationship("v", "p", "feedback"),
    ...                    Relationship("v", "s", "referral")))
    >>> referral_pathways(r)["pathways"]
    [{'path': ['p', 'v', 's'], 'feedback': [True, False], 'closed': False}]
    """
    g = pathway_graph(region, types)
    succ: dict[str, list[str]] = {}  # sorted successors, filled as the search reaches them
    back = _feedback_pairs(region)
    chains: list[tuple[str, ...]] = []
    steps = 0
    truncated = False
    g_succ = adjacency(g)
    for start in entry_points(region):
        if not g_succ[start]:
            continue
        stack: list[tuple[str, ...]] = [(start,)]
        while stack:
            path = stack.pop()
            v = path[-1]
            if v not in succ:
                succ[v] = sorted(g_succ[v])
            nxt = [w for w in succ[v] if w not in path]
            if not nxt:
                chains.append(path)
            else:
                steps += len(nxt)
                stack.extend(path + (w,) for w in reversed(nxt))
            if len(chains) >= max_paths or steps >= max_steps:
                truncated = True
                break
        if truncated:
            break
    tails = {c[i:] for c in chains for i in range(1, len(c) - 1)}
    out = []
    for c in chains:
        if c in tails:
            continue
        fb = [(b, a) in back for a, b in zip(c, c[1:], strict=False)]
        out.append({"path": list(c), "feedback": fb, "closed": all(fb)})
    return {"pathways": out, "truncated": truncated,
            "closed": sum(p["closed"] for p in out)}

