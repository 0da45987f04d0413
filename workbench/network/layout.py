"""Deterministic node positions for the network views.

Every view of a region (the interactive page, the static image, the GEXF
export) places its nodes with :func:`layout`, so the same region always looks
the same and two regions can be compared side by side.
"""

from __future__ import annotations

import pickle
from collections.abc import Hashable, Iterator
from functools import lru_cache

import networkx as nx
import numpy as np

#: Above this many nodes :func:`layout` uses its own vectorised
#: Fruchterman–Reingold instead of :func:`networkx.spring_layout`, whose
#: sparse solver takes more than ten seconds for 1,500 nodes.
LARGE = 500

#: Connected components up to this size are laid out with Kamada–Kawai
#: (even spacing, no randomness); larger ones with a spring layout.
KAMADA_KAWAI_MAX = 120

#: Default seed of every layout; change it only together with the reference images.
SEED = 42

#: Weight of a ``part_of`` tie in the layout, so units sit next to their parent.
PART_OF_WEIGHT = 3.0

#: Pull towards the centre in :func:`_spring_large`, strong enough to keep the
#: loosely tied rim of a big component from drifting away from its core.
GRAVITY = 6.0

Position = tuple[float, float]


def layout(graph: nx.Graph, seed: int = SEED, iterations: int | None = None) -> dict[Hashable, Position]:
    """Positions of the nodes of ``graph`` in the square [-1, 1]², deterministic.

    The graph is read as undirected; parallel ties between two nodes add to
    the pull between them (1 for the first tie, 0.5 for each further one,
    :data:`PART_OF_WEIGHT` for ``part_of``). Nodes are visited in sorted
    order, so the result depends only on the graph's content and ``seed``,
    not on the order of rows in the region's files.

    Each connected component is laid out on its own — up to
    :data:`KAMADA_KAWAI_MAX` nodes with :func:`networkx.kamada_kawai_layout`
    (even spacing, no randomness), up to :data:`LARGE` with
    :func:`networkx.spring_layout` (Fruchterman–Reingold, seeded), beyond
    that with :func:`_spring_large`, the same force model vectorised with
    NumPy — scaled so that ties have about the same length everywhere, and
    the components are packed in rows, largest first, with isolated nodes in
    a grid underneath.

    Parameters
    ----------
    graph : networkx graph
        Any graph; for a ``MultiDiGraph`` from
        :func:`~workbench.network.graph.build_graph` the edge keys are tie types.
    seed : int
        Seed of the initial positions. Same seed, same picture.
    iterations : int, optional
        Iterations of the spring layouts (default 200, 80 above :data:`LARGE`).

    Returns
    -------
    dict
        ``node -> (x, y)``, coordinates rounded to 4 decimals.

    Examples
    --------
    >>> g = nx.path_graph(4)
    >>> layout(g) == layout(g)
    True
    >>> all(-1 <= c <= 1 for p in layout(g).values() for c in p)
    True
    """
    nodes, edges = _fingerprint(graph)
    return dict(zip(nodes, _cached(nodes, edges, seed, iterations), strict=True))


def _fingerprint(graph: nx.Graph) -> tuple[tuple[Hashable, ...], tuple[tuple[int, int, float], ...]]:
    nodes = tuple(sorted(graph.nodes, key=str))
    index = {n: i for i, n in enumerate(nodes)}
    ties: dict[tuple[int, int], list[bool]] = {}
    if isinstance(graph, nx.MultiGraph):  # every networkx multigraph is a MultiGraph
        triples = ((u, v, k) for u, v, k in graph.edges(keys=True))
    else:
        triples = ((u, v, None) for u, v in graph.edges())
    for u, v, key in triples:
        if u != v:
            a, b = sorted((index[u], index[v]))
            ties.setdefault((a, b), []).append(key == "part_of")
    edges = tuple((a, b, (PART_OF_WEIGHT if any(kinds) else 1.0) + 0.5 * (len(kinds) - 1))
                  for (a, b), kinds in sorted(ties.items()))
    return nodes, edges


def warm_up() -> None:
    """Import what laying out a changed graph needs (SciPy's optimiser, about 0.6 s).

    A dashboard that found its layouts in :mod:`workbench.cache` has not
    imported it yet; it calls this while the visitor reads the page, so that
    the first save does not pay for the import.
    """
    import scipy.optimize  # noqa: F401 - imported for its side effect of being loaded


@lru_cache(maxsize=32)
def _cached(nodes: tuple[Hashable, ...], edges: tuple[tuple[int, int, float], ...], seed: int,
            iterations: int | None) -> tuple[Position, ...]:
    """The positions, from memory, from :mod:`workbench.cache`, or computed and stored there."""
    from .. import cache

    name = cache.key("layout", pickle.dumps((nodes, edges, seed, iterations), protocol=5))
    stored = cache.get(name)
    if isinstance(stored, tuple) and len(stored) == len(nodes):
        return stored
    positions = _compute(nodes, edges, seed, iterations)
    cache.put(name, positions)
    return positions


def _compute(nodes: tuple[Hashable, ...], edges: tuple[tuple[int, int, float], ...], seed: int,
             iterations: int | None) -> tuple[Position, ...]:
    n = len(nodes)
    if n == 0:
        return ()
    g: nx.Graph[int] = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(edges)
    components = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    which = {v: i for i, c in enumerate(components) for v in c}
    subgraphs: list[nx.Graph[int]] = []
    for c in components:
        part: nx.Graph[int] = nx.Graph()  # a fresh graph with sorted nodes: no dependence on set order
        part.add_nodes_from(sorted(c))
        subgraphs.append(part)
    for a, b, w in edges:
        subgraphs[which[a]].add_edge(a, b, weight=w)
    parts = [_component(part, seed, iterations) for part in subgraphs]
    xy = np.zeros((n, 2))
    for index, placed in _pack(parts):
        xy[index] = placed
    if n > 1:
        xy = nx.rescale_layout(xy - (xy.max(axis=0) + xy.min(axis=0)) / 2, scale=1.0)
    return tuple((round(float(x), 4), round(float(y), 4)) for x, y in xy)


def _component(g: nx.Graph, seed: int, iterations: int | None) -> tuple[list[int], np.ndarray]:
    """Layout of one connected component, scaled to a size comparable across components."""
    index = sorted(g)
    n = len(index)
    if n == 1:
        return index, np.zeros((1, 2))
    if n <= KAMADA_KAWAI_MAX:
        # circular_layout is documented to take a list of nodes; networkx's stubs say a graph only
        pos = nx.kamada_kawai_layout(g, pos=nx.circular_layout(index), weight=None)  # type: ignore[arg-type]
    elif n < LARGE:
        pos = nx.spring_layout(g, seed=seed, iterations=iterations or 200, method="force")
    else:
        local = {v: i for i, v in enumerate(index)}
        sub = tuple((local[u], local[v], d["weight"]) for u, v, d in g.edges(data=True))
        pos = dict(zip(index, _spring_large(n, sub, seed, iterations or 80), strict=True))
    xy = np.array([pos[v] for v in index], dtype=float)
    xy -= xy.mean(axis=0)
    at = {v: i for i, v in enumerate(index)}
    ends = np.array([(at[u], at[v]) for u, v in g.edges()])
    mean_tie = max(float(np.linalg.norm(xy[ends[:, 0]] - xy[ends[:, 1]], axis=1).mean()), 1e-9)
    rms = max(float(np.sqrt((xy * xy).sum(axis=1).mean())), 1e-9)
    # Ties about 1 long, unless that crowds the nodes (hubs make long ties):
    # then about one unit of area per node.
    return index, xy * max(1.0 / mean_tie, 0.6 * np.sqrt(n) / rms)


def _pack(parts: list[tuple[list[int], np.ndarray]]) -> Iterator[tuple[list[int], np.ndarray]]:
    """Components side by side in rows (largest first), isolated nodes in a grid below.

    Laying out the whole graph at once lets repulsion push isolated agencies
    and small components to the rim, which squeezes the main component into
    a corner of the picture.
    """
    singles = [p for p in parts if len(p[0]) == 1]
    groups = [p for p in parts if len(p[0]) > 1]
    width = max((np.ptp(xy[:, 0]) for _, xy in groups), default=0.0)
    width = max(width, 2.5 * np.sqrt(len(singles)))
    x = y = row_height = 0.0
    gap = 1.0
    for index, xy in groups:
        w, h = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        yield index, xy - xy.min(axis=0) * [1, 0] - [0, xy[:, 1].max()] + [x, y]
        x += w + gap
        row_height = max(row_height, h)
    if singles:
        step = 2.5  # room for a label under each isolated node
        per_row = max(1, int(width // step) + 1)
        top = y - row_height - gap if groups else 0.0
        for i, (index, _) in enumerate(singles):
            yield index, np.array([[(i % per_row) * step, top - (i // per_row) * step]])


def _spring_large(n: int, edges: tuple[tuple[int, int, float], ...], seed: int,
                  iterations: int) -> np.ndarray:
    """Fruchterman–Reingold with all-pairs repulsion in float32 and a weak pull to the centre.

    Repulsion between nodes at distance d is k²/d, attraction along a tie of
    weight w is w·d²/k, with k = 1/√n; the step shrinks linearly from 0.1 to
    0 (simulated cooling); a pull to the centre of :data:`GRAVITY` × distance
    keeps loosely tied nodes near the rest. About 1 s for 1,500 nodes;
    memory grows as n².
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    k = np.float32(1.0 / np.sqrt(n))
    src = np.array([e[0] for e in edges], dtype=np.intp)
    dst = np.array([e[1] for e in edges], dtype=np.intp)
    w = np.array([e[2] for e in edges], dtype=np.float32)
    temperature = 0.1
    cool = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        coef = dx * dx
        coef += dy * dy
        np.maximum(coef, np.float32(1e-6), out=coef)
        np.divide(k * k, coef, out=coef)
        disp = np.stack(((dx * coef).sum(axis=1), (dy * coef).sum(axis=1)), axis=1)
        d = pos[src] - pos[dst]
        pull = d * (np.sqrt((d * d).sum(axis=1)) * w / k)[:, None]
        np.subtract.at(disp, src, pull)
        np.add.at(disp, dst, pull)
        disp -= GRAVITY * (pos - pos.mean(axis=0))
        length = np.sqrt((disp * disp).sum(axis=1))
        np.maximum(length, np.float32(1e-6), out=length)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
    return pos.astype(float)
