"""Time the full network analysis of a 10,000-agency, 50,000-tie region.

Builds a seeded synthetic region in memory (``synthetic.py``), then times
each part of :func:`workbench.network.analyse_network` and the whole of it
(uncached), its peak memory (maximum resident set size of the process), and
the ratio to the bare networkx calls on the same organisation graph:
``nx.density``, ``nx.reciprocity``, weak components, ``nx.isolates``,
``nx.articulation_points``, ``nx.bridges``, ``nx.core_number`` (which it
wraps) and ``nx.betweenness_centrality`` with the same number of sources
(which it replaces with a level-synchronous sparse-matrix Brandes).

    .venv/bin/python benchmarks/bench_network.py [--agencies 10000] [--ties 50000]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_region  # noqa: E402

from workbench.network import analysis, metrics, pathways, resilience  # noqa: E402
from workbench.network.graph import organisation_graph  # noqa: E402


def timed(label: str, fn: Callable[[], Any], times: dict[str, float]) -> Any:
    t0 = time.perf_counter()
    out = fn()
    times[label] = time.perf_counter() - t0
    return out


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--agencies", type=int, default=10_000)
    ap.add_argument("--ties", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    region = synthetic_region(args.agencies, args.ties, args.seed)
    base_mb = peak_mb()

    parts: dict[str, float] = {}
    g = timed("organisation graph", lambda: organisation_graph(region), parts)
    u = timed("undirected version", lambda: metrics.undirected(g), parts)
    timed("contract metrics", lambda: (
        metrics.density(g), metrics.reciprocity(g), metrics.degree_centralization(u),
        metrics.components(g), metrics.isolates(g), metrics.cut_agencies(u)), parts)
    timed("density by type", lambda: metrics.type_density(region), parts)
    timed("degrees, cores, bridges", lambda: (
        metrics.degrees(g), metrics.core_numbers(u), metrics.bridges(u)), parts)
    bw = timed("betweenness", lambda: metrics.betweenness(g), parts)
    timed("roles", lambda: metrics.roles(region, g, betweenness_values=bw.values), parts)
    timed("partner coverage", lambda: pathways.partner_coverage(region), parts)
    timed("group coverage", lambda: pathways.group_coverage(region), parts)
    timed("referral feedback", lambda: pathways.referral_feedback(region), parts)
    timed("referral pathways", lambda: pathways.referral_pathways(region), parts)
    timed("single points of failure", lambda: resilience.single_points_of_failure(region), parts)
    timed("critical ties", lambda: resilience.critical_ties(region), parts)

    whole: dict[str, float] = {}
    analysis._cache.clear()
    resilience._structure.cache_clear()
    result = timed("analyse_network (uncached)", lambda: analysis.analyse_network(region), whole)
    timed("analyse_network (cached)", lambda: analysis.analyse_network(region), whole)
    timed("json.dumps", lambda: json.dumps(result, ensure_ascii=False), whole)
    mb = peak_mb()

    bare: dict[str, float] = {}
    half = bw.pivots // 2

    def bare_structure() -> None:
        h = g.to_undirected()
        nx.density(g)
        nx.reciprocity(g)
        nx.number_weakly_connected_components(g)
        list(nx.isolates(g))
        list(nx.articulation_points(h))
        list(nx.bridges(h))
        nx.core_number(h)

    def bare_betweenness() -> None:
        if bw.exact:
            nx.betweenness_centrality(g)
        else:  # the same number of sources, in two halves
            nx.betweenness_centrality(g, k=half, seed=0)
            nx.betweenness_centrality(g, k=half, seed=1)

    timed("bare networkx: structure", bare_structure, bare)
    timed("bare networkx: betweenness", bare_betweenness, bare)

    print(f"region: {len(region.agencies)} agency rows, {len(region.relationships)} ties; "
          f"organisation graph {g.number_of_nodes()} nodes, {g.number_of_edges()} arcs")
    print(f"betweenness: {'exact' if bw.exact else 'sampled'}, {bw.pivots} pivots, "
          f"estimated error rms {bw.error_rms:.2g}, max {bw.error_max:.2g}, "
          f"top ten {bw.error_top:.0%} relative")
    for label, t in {**parts, **whole, **bare}.items():
        print(f"  {label:<28} {t:7.3f} s")
    full = whole["analyse_network (uncached)"]
    floor = sum(bare.values())
    print(f"full analysis {full:.2f} s (target < 10 s); ratio to the bare networkx calls "
          f"({floor:.2f} s): {full / floor:.2f}x; betweenness alone: "
          f"{parts['betweenness'] / bare['bare networkx: betweenness']:.2f}x networkx's")
    print(f"peak memory {mb:.0f} MB (after building the region: {base_mb:.0f} MB; "
          f"target < 1,500 MB)")


if __name__ == "__main__":
    main()
