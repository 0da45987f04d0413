"""Network metrics of the organisation graph, each with its formula.

The figures the data contract fixes (:func:`density`, :func:`reciprocity`,
:func:`degree_centralization`, :func:`components`, :func:`isolates`,
:func:`cut_agencies`) follow its definitions exactly, so that every one can be
checked by hand. The others (:func:`type_density`, :func:`degrees`,
:func:`betweenness`, :func:`core_numbers`, :func:`bridges`, :func:`roles`) are
the workbench's own; their rules are written here and in
``docs/network-formulas.md``.

Every function takes the graph of :func:`~workbench.network.organisation_graph`
(a ``networkx.DiGraph``) or, where the undirected version is meant, either
that graph or an undirected one that has already been built from it.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from networkx.utils import not_implemented_for
from scipy.sparse import csr_matrix

from ..data import Region
from ..data.model import LIVE
from ..taxonomy import taxonomy
from .graph import adjacency, predecessors

#: Work budget of :func:`betweenness`, in estimated seconds (see :data:`COSTS`):
#: exact when every source fits in it, else as many sources as fit.
BETWEENNESS_BUDGET = 1.0

#: Fewest source nodes ("pivots") a sampled betweenness uses.
MIN_PIVOTS = 32

#: Estimated cost in seconds of one BFS level of the sparse-matrix search, of one
#: arc it touches, and of one node or arc of the plain-Python search. Work is
#: counted with these, not timed, so that a result never depends on the machine.
COSTS = {"level": 1.5e-4, "arc": 2e-8, "python": 6e-7}

#: Normalised betweenness from which an agency counts as a broker: it lies on
#: at least 5 % of the shortest paths between the other agencies.
BROKER_THRESHOLD = 0.05

#: ``forum_membership`` roles that make an agency a lead or coordinator.
LEAD_ROLES = frozenset({"lead", "chair", "host", "coordinator", "secretariat"})

#: Tie types whose density is taken between agencies and forums.
FORUM_TIES = frozenset({"forum_membership", "tasking"})

#: Roles, in the order of precedence :func:`roles` applies.
ROLES = ("lead", "broker", "isolate", "peripheral", "member")


def undirected(G: nx.Graph) -> nx.Graph:
    """The undirected version of ``G``: a–b when an arc runs either way (no attributes).

    Parameters
    ----------
    G : networkx.Graph
        A directed or undirected graph.

    Returns
    -------
    networkx.Graph
        ``G`` itself when it is undirected; else a new graph with the same
        nodes and one edge per pair joined by an arc either way.

    Examples
    --------
    >>> undirected(nx.DiGraph([("a", "b"), ("b", "a")])).number_of_edges()
    1
    """
    if not G.is_directed():
        return G
    U: nx.Graph[Hashable] = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from(G.edges())
    return U


def density(G: nx.DiGraph) -> float:
    r"""Share of the possible arcs that exist.

    .. math:: D = \frac{m}{n(n-1)}

    with *n* nodes and *m* arcs; 0 when :math:`n < 2`.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation graph.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> density(nx.DiGraph([("a", "b"), ("b", "c")]))
    0.3333333333333333
    >>> density(nx.DiGraph())
    0.0
    """
    n = G.number_of_nodes()
    return 0.0 if n < 2 else nx.density(G)


@not_implemented_for("undirected")
def reciprocity(G: nx.DiGraph) -> float:
    r"""Share of arcs whose reverse arc also exists.

    .. math:: R = \frac{|\{(a,b) \in A : (b,a) \in A\}|}{|A|}

    0 when there is no arc.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation graph.

    Returns
    -------
    float
        Between 0 and 1.

    Raises
    ------
    networkx.NetworkXNotImplemented
        When ``G`` is undirected.

    Examples
    --------
    >>> reciprocity(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")]))
    0.6666666666666666
    """
    m = G.number_of_edges()
    if m == 0:
        return 0.0
    succ = adjacency(G)
    both = sum(1 for a, nbrs in succ.items() for b in nbrs if a in succ[b])
    return both / m


def degree_centralization(G: nx.Graph) -> float:
    r"""Freeman's degree centralization of the undirected version.

    .. math:: C_D = \frac{\sum_i (d_{\max} - d_i)}{(n-1)(n-2)}

    where :math:`d_i` is the number of neighbours of node *i* in the undirected
    version; 0 when :math:`n < 3`. A star is 1; a cycle or a complete graph is 0.

    Parameters
    ----------
    G : networkx.Graph
        The organisation graph or its undirected version.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> degree_centralization(nx.star_graph(4))
    1.0
    >>> degree_centralization(nx.cycle_graph(5)), degree_centralization(nx.complete_graph(5))
    (0.0, 0.0)
    >>> degree_centralization(nx.path_graph(4))
    0.3333333333333333
    """
    U = undirected(G)
    n = U.number_of_nodes()
    if n < 3:
        return 0.0
    d = [len(nbrs) - (v in nbrs) for v, nbrs in U.adjacency()]
    d_max = max(d)
    return sum(d_max - x for x in d) / ((n - 1) * (n - 2))


def components(G: nx.Graph) -> int:
    """Number of weakly connected components (connected components if undirected).

    Parameters
    ----------
    G : networkx.Graph
        The organisation graph or its undirected version.

    Returns
    -------
    int
        The number of components; 0 for a graph without nodes.

    Examples
    --------
    >>> components(nx.DiGraph([("a", "b"), ("c", "d")]))
    2
    >>> components(nx.DiGraph())
    0
    """
    if isinstance(G, nx.DiGraph):  # every directed networkx graph is a DiGraph
        return nx.number_weakly_connected_components(G)
    return nx.number_connected_components(G)


def isolates(G: nx.Graph) -> list[str]:
    """Nodes of degree 0, sorted.

    Parameters
    ----------
    G : networkx.Graph
        The organisation graph or its undirected version.

    Returns
    -------
    list of str
        Agency ids without any tie.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b")]); g.add_node("z")
    >>> isolates(g)
    ['z']
    """
    return sorted(nx.isolates(G))


def cut_agencies(G: nx.Graph) -> list[str]:
    """Articulation points of the undirected version, sorted.

    A node is an articulation point when removing it leaves more connected
    components than before.

    Parameters
    ----------
    G : networkx.Graph
        The organisation graph or its undirected version.

    Returns
    -------
    list of str
        Agency ids.

    Examples
    --------
    >>> cut_agencies(nx.DiGraph([("a", "b"), ("b", "c"), ("d", "c")]))
    ['b', 'c']
    """
    return sorted(nx.articulation_points(undirected(G)))


def bridges(G: nx.Graph) -> list[tuple[str, str]]:
    """Ties of the undirected version whose removal disconnects their two ends.

    Each bridge is given as a sorted pair; the list is sorted.

    Parameters
    ----------
    G : networkx.Graph
        The organisation graph or its undirected version.

    Returns
    -------
    list of tuple of str
        Pairs of agency ids.

    Examples
    --------
    >>> bridges(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    [('c', 'd')]
    """
    return sorted(tuple(sorted(e)) for e in nx.bridges(undirected(G)))


def degrees(G: nx.DiGraph) -> dict[str, dict[str, int]]:
    """In-degree, out-degree and degree (distinct neighbours either way) per node.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation graph (for an undirected graph the three counts are
        equal).

    Returns
    -------
    dict of str to dict of str to int
        Each node mapped to ``in`` (arcs in), ``out`` (arcs out) and
        ``degree`` (distinct neighbours either way).

    Examples
    --------
    >>> degrees(nx.DiGraph([("a", "b"), ("b", "a"), ("c", "a")]))["a"]
    {'in': 2, 'out': 1, 'degree': 2}
    """
    if not G.is_directed():
        return {v: {"in": len(n), "out": len(n), "degree": len(n)} for v, n in G.adjacency()}
    pred, succ = predecessors(G), adjacency(G)
    return {v: {"in": len(pred[v]), "out": len(succ[v]),
                "degree": len(pred[v].keys() | succ[v].keys())} for v in G}


def core_numbers(G: nx.Graph) -> dict[str, int]:
    """k-core number of each node in the undirected version.

    A node's core number is the largest *k* such that it belongs to a subgraph
    in which every node has at least *k* neighbours (isolates have 0).

    Parameters
    ----------
    G : networkx.Graph
        The organisation graph or its undirected version.

    Returns
    -------
    dict of str to int
        Each node mapped to its core number, 0 or more.

    Examples
    --------
    >>> core_numbers(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    {'a': 2, 'b': 2, 'c': 2, 'd': 1}
    """
    return nx.core_number(undirected(G))


@dataclass(frozen=True)
class Betweenness:
    """Betweenness values, how they were computed and their estimated error.

    ``pivots`` is the number of sources used (all nodes when exact).
    ``error_rms`` and ``error_max`` estimate the standard error of a sampled
    value (root mean square and maximum over nodes); ``error_top`` is the
    mean relative error of the ten highest values (how far the ranking of
    brokers can be trusted). All are 0 when exact.

    Parameters
    ----------
    values : dict of str to float
        Each node mapped to its normalised betweenness, 0 to 1.
    exact : bool
        Whether every node was a source.
    pivots : int
        The number of sources used.
    seed : int
        The seed of the sources' random order.
    budget : float
        The work budget, in estimated seconds.
    error_rms : float
        Root mean square of the estimated standard error over nodes.
    error_max : float
        Largest estimated standard error of a node.
    error_top : float
        Mean relative error of the ten highest values (0.1 is 10 %).
    """

    values: dict[str, float] = field(repr=False)
    exact: bool
    pivots: int
    seed: int
    budget: float
    error_rms: float = 0.0
    error_max: float = 0.0
    error_top: float = 0.0

    def summary(self) -> dict[str, Any]:
        """The method and error, JSON-ready (without the values).

        Returns
        -------
        dict of str to Any
            ``exact``, ``pivots``, ``seed``, ``budget`` and the three error
            figures, as the attributes hold them.
        """
        return {"exact": self.exact, "pivots": self.pivots, "seed": self.seed,
                "budget": self.budget, "error_rms": self.error_rms,
                "error_max": self.error_max, "error_top": self.error_top}


def betweenness(G: nx.Graph, *, budget: float = BETWEENNESS_BUDGET, seed: int = 0) -> Betweenness:
    r"""Normalised betweenness, exact or sampled within a work budget.

    .. math:: b(v) = \frac{1}{(n-1)(n-2)} \sum_{s \ne v \ne t}
              \frac{\sigma_{st}(v)}{\sigma_{st}}

    where :math:`\sigma_{st}` counts shortest paths from *s* to *t* and
    :math:`\sigma_{st}(v)` those through *v*; 0 when :math:`n < 3`. These are
    the values of :func:`networkx.betweenness_centrality` (``normalized=True``),
    computed from :func:`dependencies`: :math:`b(v) = \sum_s \delta_s(v)/((n-1)(n-2))`.

    **Sampling.** Sources are taken in a random order (``seed``) and dealt
    alternately to two halves *A* and *B*. If every source fits in ``budget``
    (estimated seconds of work, counted with :data:`COSTS`), the result is
    exact. Otherwise the search stops once the budget is spent, after an even
    number *k* ≥ :data:`MIN_PIVOTS` of sources; each half of *h = k/2*
    sources scales its sum by *n/h* for a node it did not draw and by
    *(n−1)/(h−1)* for one it drew (a source adds nothing to itself), which
    makes it unbiased. The value is :math:`(b_A + b_B)/2`; its standard error
    is estimated per node by :math:`|b_A - b_B|/2` (for two independent
    estimates, :math:`E[(b_A - b_B)^2]/4 = \mathrm{Var}((b_A + b_B)/2)`),
    reported as its root mean square and maximum over nodes, and as the mean
    relative error of the ten highest values.

    Parameters
    ----------
    G : networkx.Graph
        The organisation graph (directed), or an undirected graph.
    budget : float
        Work allowed, in estimated seconds (see :data:`COSTS`); 0 samples
        :data:`MIN_PIVOTS` sources unless the graph is that small.
    seed : int
        Seed of the sources' random order; the same seed gives the same values.

    Returns
    -------
    Betweenness
        The values by node, whether they are exact, and the error estimates.

    Examples
    --------
    >>> b = betweenness(nx.DiGraph([("a", "b"), ("b", "c")]))
    >>> b.values["b"], b.exact
    (0.5, True)
    >>> s = betweenness(nx.path_graph(40, create_using=nx.DiGraph), budget=0)
    >>> s.exact, s.pivots, s.error_rms > 0
    (False, 32, True)
    """
    nodes = list(G)
    n = len(nodes)
    if n < 3:
        return Betweenness(dict.fromkeys(nodes, 0.0), True, n, seed, budget)
    norm = (n - 1) * (n - 2)
    index = {v: i for i, v in enumerate(nodes)}
    search = _Brandes(_adjacency(G, index))
    order = [index[v] for v in random.Random(seed).sample(nodes, n)]
    halves = [np.zeros(n), np.zeros(n)]
    spent = 0.0
    done = 0
    for done, s in enumerate(order, start=1):
        spent += search.run(s, halves[done % 2])
        if spent > budget and done % 2 == 0 and done >= MIN_PIVOTS:
            break
    if done == n:
        exact = (halves[0] + halves[1]) / norm
        return Betweenness(dict(zip(nodes, exact.tolist(), strict=True)), True, n, seed, budget)
    h = done // 2
    for i, half in enumerate(halves):
        drawn = order[1 - i:done:2]  # halves[1] took the 1st, 3rd, ... source
        scale = np.full(n, n / h / norm)
        scale[drawn] = (n - 1) / (h - 1) / norm
        half *= scale
    a, b = halves
    est, err = (a + b) / 2, np.abs(a - b) / 2
    top = [i for i in np.argsort(-est, kind="stable")[:10] if est[i] > 0]
    rel = float(np.mean(err[top] / est[top])) if top else 0.0
    return Betweenness(dict(zip(nodes, est.tolist(), strict=True)), False, done, seed, budget,
                       float(np.sqrt(np.mean(err ** 2))), float(err.max()), rel)


def dependencies(G: nx.Graph, sources: Iterable[Hashable]) -> dict[Hashable, float]:
    r"""Brandes' dependencies summed over ``sources``: :math:`\sum_s \delta_s(v)`.

    .. math:: \delta_s(v) = \sum_{t \ne s, v} \frac{\sigma_{st}(v)}{\sigma_{st}}
              = \sum_{w : v \in P_s(w)} \frac{\sigma_{sv}}{\sigma_{sw}} (1 + \delta_s(w))

    where :math:`P_s(w)` are the predecessors of *w* on shortest paths from
    *s* (an undirected edge counts as an arc both ways). Unnormalised
    betweenness is this sum over every source.

    The search from a source advances one BFS level at a time: path counts
    :math:`\sigma` flow down a level through the sparse adjacency matrix and
    dependencies flow back up the same way, so each level is one compiled
    product instead of a Python loop over its nodes. When a search has spent
    more on levels than a plain-Python search of the whole graph would cost
    (a long chain has many small levels), it finishes in plain Python.

    Parameters
    ----------
    G : networkx.Graph
        A directed or undirected graph.
    sources : iterable of hashable
        The source nodes, each a node of ``G``.

    Returns
    -------
    dict
        Each node mapped to its summed dependency (unnormalised, 0 or more).

    Examples
    --------
    >>> d = dependencies(nx.DiGraph([("a", "b"), ("b", "c"), ("a", "d"), ("d", "c")]), ["a"])
    >>> d["b"], d["d"], d["c"]
    (0.5, 0.5, 0.0)
    """
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    search = _Brandes(_adjacency(G, index))
    total = np.zeros(len(nodes))
    for s in sources:
        search.run(index[s], total)
    return dict(zip(nodes, total.tolist(), strict=True))


def _adjacency(G: nx.Graph, index: dict[Hashable, int]) -> csr_matrix:
    n, m = len(index), G.number_of_edges()
    rows = np.fromiter((index[a] for a, _ in G.edges()), dtype=np.int64, count=m)
    cols = np.fromiter((index[b] for _, b in G.edges()), dtype=np.int64, count=m)
    A = csr_matrix((np.ones(m), (rows, cols)), shape=(n, n))
    if not G.is_directed():  # an undirected edge is an arc both ways
        A = (A + A.T).tocsr()
    A.data[:] = 1.0
    return A


class _Brandes:
    """Single-source Brandes searches on one adjacency matrix, reusing buffers."""

    def __init__(self, A: csr_matrix):
        self.A = A
        n = A.shape[0]
        self.dist = np.full(n, -1, dtype=np.int64)
        self.sigma = np.zeros(n)
        self.w = np.zeros(n)
        self.python_cost = (n + A.nnz) * COSTS["python"]
        self._succ: list[list[int]] | None = None

    def run(self, s: int, total: np.ndarray) -> float:
        """Add the dependencies of source ``s`` to ``total``; return the work spent."""
        A, dist, sigma, w = self.A, self.dist, self.sigma, self.w
        dist[s], sigma[s] = 0, 1.0
        levels = [np.array([s])]
        cost = 0.0
        while cost <= self.python_cost:
            frontier = levels[-1]
            sub = A[frontier]
            cost += COSTS["level"] + sub.nnz * COSTS["arc"]
            flow = np.repeat(sigma[frontier], np.diff(sub.indptr))
            fresh = dist[sub.indices] < 0
            if not fresh.any():
                break
            new, where = np.unique(sub.indices[fresh], return_inverse=True)
            sigma[new] = np.bincount(where, weights=flow[fresh])
            dist[new] = len(levels)
            levels.append(new)
        else:
            cost += self.python_cost
            self._python(s, total)
            levels = []
        if levels:
            delta = np.zeros(A.shape[0])
            for depth in range(len(levels) - 1, 0, -1):
                below, here = levels[depth], levels[depth - 1]
                w[below] = (1.0 + delta[below]) / sigma[below]
                # Arcs from this level reach the next one (w set) or shallower levels
                # (w still 0), so one product sums over the successors on shortest paths.
                delta[here] = sigma[here] * (A[here] @ w)
            delta[s] = 0.0
            total += delta
        reached = dist >= 0
        w[reached], sigma[reached], dist[reached] = 0.0, 0.0, -1
        return cost

    def _python(self, s: int, total: np.ndarray) -> None:
        if self._succ is None:
            indptr, indices = self.A.indptr.tolist(), self.A.indices.tolist()
            self._succ = [indices[indptr[i]:indptr[i + 1]] for i in range(len(indptr) - 1)]
        succ = self._succ
        sigma, dist = {s: 1.0}, {s: 0}
        preds: dict[int, list[int]] = {s: []}
        order = []
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            for x in succ[v]:
                if x not in dist:
                    dist[x], sigma[x], preds[x] = dist[v] + 1, 0.0, []
                    queue.append(x)
                if dist[x] == dist[v] + 1:
                    sigma[x] += sigma[v]
                    preds[x].append(v)
        delta = dict.fromkeys(order, 0.0)
        for x in reversed(order):
            for v in preds[x]:
                delta[v] += sigma[v] / sigma[x] * (1.0 + delta[x])
            if x != s:
                total[x] += delta[x]


def type_density(region: Region) -> dict[str, float]:
    r"""Density of each tie type among today's agencies.

    For a type *t* between agencies,

    .. math:: D_t = \frac{|A_t|}{n(n-1)}

    where *n* is the node count of the organisation graph and :math:`A_t` the
    distinct ordered pairs (a, b) of live agencies with an active tie of type
    *t* from a to b (a symmetric type gives both pairs). For
    ``forum_membership`` and ``tasking``, which run between agencies and
    forums,

    .. math:: D_t = \frac{|A_t|}{n \cdot f}

    with *f* live forums. Every relationship type of the taxonomy is listed;
    0 when the denominator is 0.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    dict of str to float
        Every relationship type id of the taxonomy (and any other type the
        region uses) mapped to its density, 0 to 1.

    Examples
    --------
    >>> from workbench.data import Agency, RegionInfo, Relationship
    >>> ags = tuple(Agency(i, i, "police", "organisation") for i in "abc")
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=ags, relationships=(
    ...     Relationship("a", "b", "referral"), Relationship("b", "c", "informal_tie")))
    >>> d = type_density(r)
    >>> d["referral"], d["informal_tie"], d["feedback"]
    (0.16666666666666666, 0.3333333333333333, 0.0)
    """
    tax = taxonomy()
    sym = tax.symmetric_types
    live = {a.id for a in region.agencies if not a.is_forum and a.status in LIVE}
    forums = {a.id for a in region.agencies if a.is_forum and a.status in LIVE}
    pairs: dict[str, set[tuple[str, str]]] = {t: set() for t in tax.relationship_types}
    for r in region.relationships:
        if not r.is_active:
            continue
        if r.type in FORUM_TIES:
            forum_end = r.target if r.type == "forum_membership" else r.source
            agency_end = r.source if r.type == "forum_membership" else r.target
            if agency_end in live and forum_end in forums:
                pairs.setdefault(r.type, set()).add((r.source, r.target))
        elif r.source in live and r.target in live:
            p = pairs.setdefault(r.type, set())
            p.add((r.source, r.target))
            if r.type in sym:
                p.add((r.target, r.source))
    n, f = len(live), len(forums)
    out = {}
    for t, p in pairs.items():
        denominator = n * f if t in FORUM_TIES else n * (n - 1)
        out[t] = len(p) / denominator if denominator else 0.0
    return out


def leads(region: Region) -> list[str]:
    """Live agencies that lead or coordinate the partnership, sorted.

    An agency leads when its ``lead`` flag is set, when it is the region's
    ``coordinator``, or when it holds a role in :data:`LEAD_ROLES` through an
    active ``forum_membership`` in a live forum.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    list of str
        Agency ids of live organisations and units.

    Examples
    --------
    >>> from workbench.data import Agency, RegionInfo, Relationship
    >>> ags = (Agency("f", "F", "forum_case_victim_risk", "forum"),
    ...        Agency("a", "A", "police", "organisation"),
    ...        Agency("b", "B", "shelter", "organisation"))
    >>> leads(Region(RegionInfo("xx-a", "A", "BE"), agencies=ags,
    ...              relationships=(Relationship("b", "f", "forum_membership", role="chair"),)))
    ['b']
    """
    by_id = region.by_id
    live = {a.id for a in region.agencies if not a.is_forum and a.status in LIVE}
    out = {a.id for a in region.agencies if a.lead and a.id in live}
    if region.info.coordinator in live:
        out.add(region.info.coordinator)
    for r in region.relationships:
        forum = by_id.get(r.target)
        live_forum = forum is not None and forum.is_forum and forum.status in LIVE
        if (r.type == "forum_membership" and r.is_active and r.role in LEAD_ROLES
                and r.source in live and live_forum):
            out.add(r.source)
    return sorted(out)


def roles(region: Region, G: nx.DiGraph, *, betweenness_values: dict[str, float] | None = None,
          cores: dict[str, int] | None = None,
          threshold: float = BROKER_THRESHOLD) -> dict[str, str]:
    """One role per node of the organisation graph ``G``.

    The first rule that holds wins:

    1. ``lead`` — see :func:`leads`;
    2. ``broker`` — normalised :func:`betweenness` ≥ ``threshold``
       (:data:`BROKER_THRESHOLD`);
    3. ``isolate`` — degree 0;
    4. ``peripheral`` — one neighbour, or core number 1;
    5. ``member`` — everyone else.

    ``betweenness_values`` and ``cores`` may be passed when already computed.

    Parameters
    ----------
    region : Region
        The region ``G`` was built from (for :func:`leads`).
    G : networkx.DiGraph
        Its organisation graph.
    betweenness_values : dict of str to float or None
        Normalised betweenness by node; ``None`` computes it.
    cores : dict of str to int or None
        Core numbers by node; ``None`` computes them.
    threshold : float
        The normalised betweenness, 0 to 1, from which an agency is a broker.

    Returns
    -------
    dict of str to str
        Each node of ``G`` mapped to one of :data:`ROLES`.

    Examples
    --------
    >>> from workbench.data import Agency, RegionInfo, Relationship
    >>> from workbench.network import organisation_graph
    >>> ags = tuple(Agency(i, i, "police", "organisation", lead=i == "d") for i in "abcd")
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=ags, relationships=(
    ...     Relationship("a", "b", "informal_tie"), Relationship("b", "c", "informal_tie")))
    >>> roles(r, organisation_graph(r))
    {'a': 'peripheral', 'b': 'broker', 'c': 'peripheral', 'd': 'lead'}
    """
    bw = betweenness(G).values if betweenness_values is None else betweenness_values
    cores = core_numbers(G) if cores is None else cores
    lead = set(leads(region))
    deg = degrees(G)
    out = {}
    for v in G:
        if v in lead:
            role = "lead"
        elif bw.get(v, 0.0) >= threshold and bw.get(v, 0.0) > 0:
            role = "broker"
        elif deg[v]["degree"] == 0:
            role = "isolate"
        elif deg[v]["degree"] == 1 or cores.get(v) == 1:
            role = "peripheral"
        else:
            role = "member"
        out[v] = role
    return out
