"""Graphs built from a :class:`~workbench.data.Region`.

Three views of the same data, as the data contract defines them:

* :func:`build_graph` — every node (organisations, units, forums, whatever
  their status) and every tie, as a ``networkx.MultiDiGraph``;
* :func:`organisation_graph` — today's organisations and units (status
  ``active`` or ``pilot``, forums left out) with an arc a→b when at least one
  active tie other than ``part_of``, ``forum_membership`` or ``tasking`` runs
  a→b; symmetric types give both arcs;
* :func:`forum_graph` — live agencies linked when they sit in the same live
  forum, weighted by the number of shared forums.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import networkx as nx

from ..data import Region
from ..data.model import LIVE
from ..taxonomy import taxonomy

#: Tie types that do not make an arc of the organisation graph.
STRUCTURAL = frozenset({"part_of", "forum_membership", "tasking"})


def adjacency(G: nx.Graph) -> dict[Any, dict[Any, Any]]:
    """``G``'s own neighbour dict (successors, when directed): node → neighbour → tie data.

    ``G.adj`` and ``G.succ`` wrap it in a new view at every lookup; the hot loops read it as it is.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph, directed or not.

    Returns
    -------
    dict
        The graph's own dict (not a copy): each node mapped to its
        neighbours (successors), each mapped to the tie's attribute dict. It
        must not be changed.

    Examples
    --------
    >>> adjacency(nx.DiGraph([("a", "b")]))
    {'a': {'b': {}}, 'b': {}}
    """
    return G._adj  # type: ignore[attr-defined]  # networkx's stubs leave out the graph's own dicts


def predecessors(G: nx.DiGraph) -> dict[Any, dict[Any, Any]]:
    """``G``'s own predecessor dict: node → predecessor → tie data (see :func:`adjacency`).

    Parameters
    ----------
    G : networkx.DiGraph
        A directed networkx graph.

    Returns
    -------
    dict
        The graph's own dict (not a copy): each node mapped to its
        predecessors, each mapped to the tie's attribute dict. It must not be
        changed.

    Examples
    --------
    >>> predecessors(nx.DiGraph([("a", "b")]))
    {'a': {}, 'b': {'a': {}}}
    """
    return G._pred  # type: ignore[attr-defined]  # networkx's stubs leave out the graph's own dicts


def build_graph(region: Region) -> nx.MultiDiGraph:
    """Every agency, unit and forum with every tie, keyed by tie type.

    Node attributes are the agency's fields plus ``sector``; edge attributes
    are the tie's fields. A symmetric tie is stored once, as written, with
    ``symmetric=True``.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    networkx.MultiDiGraph
        One node per agency id, one edge per row of ``relationships.csv``
        keyed by its type; the graph's ``region`` and ``name`` attributes
        hold the region's id and name.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"),
    ...            agencies=(Agency("p", "Police", "police", "organisation"),
    ...                      Agency("v", "Victim support", "victim_support", "organisation")),
    ...            relationships=(Relationship("p", "v", "referral"),))
    >>> g = build_graph(r)
    >>> g.number_of_nodes(), list(g.edges(keys=True))
    (2, [('p', 'v', 'referral')])
    """
    tax = taxonomy()
    sym = tax.symmetric_types
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(region=region.id, name=region.name)
    for a in region.agencies:
        sector = tax.agency_types.get(a.type, {}).get("sector", "coordination" if a.is_forum else "")
        g.add_node(a.id, name=a.name, type=a.type, kind=a.kind, parent=a.parent, dv_relay=a.dv_relay,
                   relay_role=a.relay_role, target_groups=a.target_groups,
                   excluded_groups=a.excluded_groups, area=a.area, status=a.status, lead=a.lead,
                   notes=a.notes, sector=sector)
    for r in region.relationships:
        g.add_edge(r.source, r.target, key=r.type, type=r.type, formality=r.formality,
                   frequency=r.frequency, role=r.role, attendance=r.attendance,
                   legal_basis=r.legal_basis, since=r.since, status=r.status, notes=r.notes,
                   symmetric=r.type in sym)
    return g


def organisation_graph(region: Region) -> nx.DiGraph:
    """Today's organisation graph, exactly as the data contract defines it.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    networkx.DiGraph
        Nodes: the ids of live organisations and units, sorted; arcs as
        described above, without attributes. The graph's ``region``
        attribute holds the region id.

    Examples
    --------
    A symmetric agreement gives both arcs; a discontinued tie gives none:

    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> ags = tuple(Agency(i, i, "police", "organisation") for i in "abc")
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=ags, relationships=(
    ...     Relationship("a", "b", "formal_agreement"),
    ...     Relationship("b", "c", "referral", status="discontinued")))
    >>> sorted(organisation_graph(r).edges())
    [('a', 'b'), ('b', 'a')]
    """
    sym = taxonomy().symmetric_types
    g: nx.DiGraph[str] = nx.DiGraph(region=region.id)
    live = {a.id for a in region.agencies if not a.is_forum and a.status in LIVE}
    g.add_nodes_from(sorted(live))
    for r in region.relationships:
        if r.type in STRUCTURAL or not r.is_active or r.source not in live or r.target not in live:
            continue
        g.add_edge(r.source, r.target)
        if r.type in sym:
            g.add_edge(r.target, r.source)
    return g


def forum_graph(region: Region) -> nx.Graph:
    """Co-membership of live agencies in live forums (weight = shared forums).

    Parameters
    ----------
    region : Region
        A loaded region. Members whose ``attendance`` is ``absent``,
        ``declined`` or ``excluded`` do not count.

    Returns
    -------
    networkx.Graph
        Nodes: the ids of every live organisation and unit, sorted; an edge
        between two that share at least one live forum, its ``weight`` the
        number of forums shared.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> ags = (Agency("f", "Forum", "forum_case_victim_risk", "forum"),
    ...        Agency("a", "A", "police", "organisation"), Agency("b", "B", "shelter", "organisation"))
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=ags, relationships=(
    ...     Relationship("a", "f", "forum_membership"), Relationship("b", "f", "forum_membership")))
    >>> list(forum_graph(r).edges(data="weight"))
    [('a', 'b', 1)]
    """
    by_id = region.by_id
    members: dict[str, set[str]] = {}
    for r in region.relationships:
        if r.type != "forum_membership" or not r.is_active:
            continue
        forum, agency = by_id.get(r.target), by_id.get(r.source)
        if forum and agency and forum.status in LIVE and agency.status in LIVE and not agency.is_forum:
            if r.attendance not in ("absent", "declined", "excluded"):
                members.setdefault(forum.id, set()).add(agency.id)
    g: nx.Graph[str] = nx.Graph(region=region.id)
    g.add_nodes_from(sorted(a.id for a in region.agencies if not a.is_forum and a.status in LIVE))
    for forum_id in sorted(members):
        for a, b in combinations(sorted(members[forum_id]), 2):
            w = g.edges[a, b]["weight"] + 1 if g.has_edge(a, b) else 1
            g.add_edge(a, b, weight=w)
    return g
