"""Network metrics: hand-computed values on small graphs, brute force on random regions.

The brute-force versions below read the region's records directly and follow
the data contract's wording, so they share no code with the workbench (nor
with networkx).
"""

from __future__ import annotations

import itertools
import math
import random
from collections import deque

import networkx as nx
import pytest

from workbench.data import Agency, Region, RegionInfo, Relationship
from workbench.network import analyse_network, organisation_graph
from workbench.network import metrics as m

SYMMETRIC = {"formal_agreement", "shared_instrument", "joint_operation", "informal_tie"}
STRUCTURAL = {"part_of", "forum_membership", "tasking"}
AGENCY_TYPES = ["police", "helpline", "health_hospital", "social_services", "victim_support",
                "shelter", "perpetrator_programme", "housing", "prosecution", "municipality"]
GROUPS = ["homeless", "elderly", "dv_victims_general", "perpetrators_general", "disabled"]
TIE_TYPES = ["referral"] * 4 + ["statutory_duty", "feedback", "feedback", "consultation",
                                "information_sharing", "informal_tie", "formal_agreement",
                                "training", "funding", "part_of"]


def region(agencies: list[Agency], ties: list[tuple[str, str, str]] | list[Relationship],
           coordinator: str | None = None) -> Region:
    rels = tuple(t if isinstance(t, Relationship) else Relationship(*t) for t in ties)
    return Region(RegionInfo("xx-test", "Test", "BE", coordinator=coordinator),
                  agencies=tuple(agencies), relationships=rels)


def orgs(ids: str | list[str], type_: str = "victim_support") -> list[Agency]:
    return [Agency(i, i.upper(), type_, "organisation") for i in ids]


def random_region(seed: int, n: int = 14, n_ties: int = 32, n_forums: int = 2) -> Region:
    """A seeded random region with every status, kind and tie type the rules care about."""
    rng = random.Random(seed)
    agencies = []
    for i in range(n):
        groups = rng.sample(GROUPS, rng.randrange(3))
        excluded = rng.sample(GROUPS, 1) if rng.random() < 0.15 else []
        agencies.append(Agency(
            f"a{i:02d}", f"Agency {i}", rng.choice(AGENCY_TYPES), "organisation",
            target_groups=tuple(groups), excluded_groups=tuple(excluded),
            status=rng.choice(["active"] * 8 + ["pilot", "planned", "discontinued"]),
            lead=rng.random() < 0.05))
    forums = [Agency(f"f{j}", f"Forum {j}", "forum_case_victim_risk", "forum",
                     target_groups=tuple(rng.sample(GROUPS, rng.randrange(2))),
                     status=rng.choice(["active", "active", "pilot", "planned"]))
              for j in range(n_forums)]
    ids = [a.id for a in agencies]
    ties: dict[tuple[str, str, str], Relationship] = {}
    while len(ties) < n_ties:
        kind = rng.random()
        if kind < 0.15 and forums:
            f = rng.choice(forums).id
            a = rng.choice(ids)
            key = (a, f, "forum_membership") if kind < 0.1 else (f, a, "tasking")
            role = rng.choice(["member", "chair", "coordinator", None]) if kind < 0.1 else None
        elif kind < 0.2 and forums:
            key, role = (rng.choice(ids), rng.choice(forums).id, "referral"), None
        else:
            s, t = rng.sample(ids, 2)
            key, role = (s, t, rng.choice(TIE_TYPES)), None
        status = rng.choice(["active"] * 9 + ["discontinued", "planned"])
        ties[key] = Relationship(*key, role=role, status=status)
    return Region(RegionInfo(f"xx-r{seed}", "Random", "BE",
                             coordinator=rng.choice([None, None, ids[0]])),
                  agencies=tuple(agencies + forums), relationships=tuple(ties.values()))


# --- brute force, from the contract's words -------------------------------------------------

def contract_graph(r: Region) -> tuple[set[str], set[tuple[str, str]]]:
    nodes = {a.id for a in r.agencies if a.kind != "forum" and a.status in ("active", "pilot")}
    arcs = set()
    for t in r.relationships:
        if t.status == "active" and t.type not in STRUCTURAL and {t.source, t.target} <= nodes:
            arcs.add((t.source, t.target))
            if t.type in SYMMETRIC:
                arcs.add((t.target, t.source))
    return nodes, arcs


def neighbours(nodes: set[str], arcs: set[tuple[str, str]]) -> dict[str, set[str]]:
    nb: dict[str, set[str]] = {v: set() for v in nodes}
    for a, b in arcs:
        nb[a].add(b)
        nb[b].add(a)
    return nb


def count_components(nodes: set[str], nb: dict[str, set[str]]) -> int:
    seen: set[str] = set()
    count = 0
    for v in nodes:
        if v in seen:
            continue
        count += 1
        stack = [v]
        seen.add(v)
        while stack:
            x = stack.pop()
            for y in nb[x]:
                if y in nodes and y not in seen:
                    seen.add(y)
                    stack.append(y)
    return count


def brute_betweenness(nodes: set[str], arcs: set[tuple[str, str]]) -> dict[str, float]:
    succ: dict[str, list[str]] = {v: [] for v in nodes}
    for a, b in arcs:
        succ[a].append(b)
    dist, sigma = {}, {}
    for s in nodes:
        d, c = {s: 0}, {s: 1}
        q = deque([s])
        while q:
            v = q.popleft()
            for w in succ[v]:
                if w not in d:
                    d[w] = d[v] + 1
                    c[w] = 0
                    q.append(w)
                if d[w] == d[v] + 1:
                    c[w] += c[v]
        dist[s], sigma[s] = d, c
    n = len(nodes)
    out = {}
    for v in nodes:
        total = 0.0
        for s, t in itertools.permutations(nodes - {v}, 2):
            if t in dist[s] and v in dist[s] and t in dist[v] \
                    and dist[s][v] + dist[v][t] == dist[s][t]:
                total += sigma[s][v] * sigma[v][t] / sigma[s][t]
        out[v] = total / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return out


def brute_cores(nodes: set[str], nb: dict[str, set[str]]) -> dict[str, int]:
    core = dict.fromkeys(nodes, 0)
    for k in range(1, len(nodes)):
        alive = set(nodes)
        changed = True
        while changed:
            drop = {v for v in alive if len(nb[v] & alive) < k}
            changed = bool(drop)
            alive -= drop
        for v in alive:
            core[v] = k
    return core


# --- hand-computed small graphs ---------------------------------------------------------------

def test_star_has_centralization_one():
    r = region(orgs("cabde"), [("c", x, "informal_tie") for x in "abde"])
    n = analyse_network(r)
    assert n["agencies"] == 5 and n["density"] == 8 / 20 and n["reciprocity"] == 1.0
    assert n["degree_centralization"] == 1.0
    assert (n["components"], n["isolates"], n["cut_agencies"]) == (1, [], ["c"])
    assert n["bridges"] == [["a", "c"], ["b", "c"], ["c", "d"], ["c", "e"]]
    assert n["agency_metrics"]["c"]["betweenness"] == 1.0 and n["brokers"] == ["c"]
    assert n["roles"] == {"a": "peripheral", "b": "peripheral", "c": "broker",
                          "d": "peripheral", "e": "peripheral"}


def test_directed_star_out_of_the_hub():
    r = region(orgs("cabde"), [("c", x, "referral") for x in "abde"])
    n = analyse_network(r)
    assert (n["density"], n["reciprocity"], n["degree_centralization"]) == (0.2, 0.0, 1.0)
    assert n["agency_metrics"]["c"] == {"in": 0, "out": 4, "degree": 4, "betweenness": 0.0,
                                        "core": 1, "role": "peripheral"}


def test_cycle_has_centralization_zero():
    r = region(orgs("abcde"), [(x, y, "referral") for x, y in zip("abcde", "bcdea", strict=True)])
    n = analyse_network(r)
    assert (n["density"], n["reciprocity"], n["degree_centralization"]) == (0.25, 0.0, 0.0)
    assert (n["components"], n["isolates"], n["cut_agencies"], n["bridges"]) == (1, [], [], [])
    # On a directed 5-cycle each node lies on the paths of 1+2+3 = 6 of the 12 other pairs.
    assert all(x["betweenness"] == pytest.approx(0.5) for x in n["agency_metrics"].values())
    assert n["max_core"] == 2 and set(n["roles"].values()) == {"broker"}


def test_complete_graph():
    r = region(orgs("abcd"), [(x, y, "joint_operation") for x, y in itertools.combinations("abcd", 2)])
    n = analyse_network(r)
    assert (n["density"], n["reciprocity"], n["degree_centralization"]) == (1.0, 1.0, 0.0)
    assert (n["components"], n["cut_agencies"], n["max_core"]) == (1, [], 3)
    assert set(n["roles"].values()) == {"member"}


def test_two_components_and_an_isolate():
    r = region(orgs("abcdef"), [("a", "b", "informal_tie"), ("b", "c", "informal_tie"),
                                ("d", "e", "referral")])
    n = analyse_network(r)
    assert n["density"] == 5 / 30 and n["reciprocity"] == 4 / 5
    # Degrees 1, 2, 1, 1, 1, 0: sum of (2 - d) = 6 over (6-1)(6-2) = 20.
    assert n["degree_centralization"] == 6 / 20
    assert (n["components"], n["isolates"], n["cut_agencies"]) == (3, ["f"], ["b"])
    assert n["bridges"] == [["a", "b"], ["b", "c"], ["d", "e"]]
    assert n["roles"]["f"] == "isolate" and n["roles"]["d"] == "peripheral"


def test_small_and_empty_graphs():
    for ids in ("", "a", "ab"):
        n = analyse_network(region(orgs(ids), [("a", "b", "referral")] if ids == "ab" else []))
        assert n["degree_centralization"] == 0.0
        assert n["density"] == (1 / 2 if ids == "ab" else 0.0)
    assert m.reciprocity(nx.DiGraph()) == 0.0
    with pytest.raises(nx.NetworkXNotImplemented):
        m.reciprocity(nx.Graph())


def test_contract_leaves_out_forums_planned_agencies_and_structural_ties():
    ags = [*orgs("abc"), Agency("p", "Planned", "shelter", "organisation", status="planned"),
           Agency("u", "Unit", "police", "unit", parent="a", status="pilot"),
           Agency("f", "Forum", "forum_thematic_wg", "forum")]
    ties = [("a", "b", "referral"), ("b", "a", "referral"), ("u", "a", "part_of"),
            ("a", "f", "forum_membership"), ("f", "c", "tasking"), ("a", "p", "referral"),
            Relationship("b", "c", "referral", status="discontinued"),
            Relationship("c", "b", "informal_tie", status="pilot")]
    n = analyse_network(region(ags, ties))
    assert (n["agencies"], n["forums"], n["units"], n["arcs"]) == (4, 1, 1, 2)
    assert n["relationships"] == 6
    assert n["isolates"] == ["c", "u"] and n["components"] == 3


def test_type_density():
    ags = [*orgs("abc"), Agency("f", "F", "forum_thematic_wg", "forum"),
           Agency("g", "G", "forum_case_victim_risk", "forum", status="pilot")]
    r = region(ags, [("a", "b", "referral"), ("a", "b", "training"), ("b", "c", "informal_tie"),
                     ("a", "f", "forum_membership"), ("b", "f", "forum_membership"),
                     ("c", "g", "forum_membership"), ("g", "a", "tasking")])
    d = m.type_density(r)
    assert d["referral"] == 1 / 6 and d["training"] == 1 / 6 and d["informal_tie"] == 2 / 6
    assert d["forum_membership"] == 3 / 6 and d["tasking"] == 1 / 6 and d["funding"] == 0.0


def test_roles_follow_their_precedence():
    ags = [Agency("lead", "L", "municipality", "organisation", lead=True),
           Agency("chair", "C", "police", "organisation"),
           Agency("coord", "Co", "victim_support", "organisation"),
           *orgs(["hub", "x", "y", "z", "w", "alone"]),
           Agency("f", "F", "forum_case_victim_risk", "forum")]
    ties = [("chair", "f", "forum_membership", None, None, "chair"),
            ("hub", "x", "informal_tie"), ("hub", "y", "informal_tie"), ("x", "y", "informal_tie"),
            ("hub", "z", "informal_tie"), ("z", "w", "informal_tie"), ("lead", "hub", "funding")]
    rels = [Relationship(*t) for t in ties]
    r = region(ags, rels, coordinator="coord")
    assert m.leads(r) == ["chair", "coord", "lead"]
    roles = analyse_network(r)["roles"]
    assert roles == {"alone": "isolate", "chair": "lead", "coord": "lead", "hub": "broker",
                     "lead": "lead", "w": "peripheral", "x": "member", "y": "member",
                     "z": "broker"}
    # z: two neighbours but core number 1 makes it peripheral below the broker threshold.
    assert m.roles(r, organisation_graph(r), threshold=1.0)["z"] == "peripheral"


def test_sampled_betweenness_reports_a_fair_error():
    g = nx.gnm_random_graph(150, 600, seed=3, directed=True)
    exact = nx.betweenness_centrality(g)
    s = m.betweenness(g, budget=0, seed=7)
    assert not s.exact and s.pivots == 32 and s.seed == 7
    err = math.sqrt(sum((s.values[v] - exact[v]) ** 2 for v in g) / len(g))
    assert 0.3 < err / s.error_rms < 3
    assert 0 < s.error_top < 1 and s.error_max >= s.error_rms
    assert m.betweenness(g, budget=0, seed=7).values == s.values
    more = m.betweenness(g, budget=0.05, seed=7)
    assert 32 < more.pivots < 150 and more.error_rms < s.error_rms
    full = m.betweenness(g)
    assert full.exact and full.pivots == 150 and full.values == pytest.approx(exact)


@pytest.mark.parametrize("python", [0.0, 1.0])  # every search in plain Python / in numpy
def test_both_searches_match_networkx(monkeypatch: pytest.MonkeyPatch, python: float):
    monkeypatch.setitem(m.COSTS, "python", python)
    graphs = [nx.gnm_random_graph(120, 500, seed=5, directed=True),
              nx.gnm_random_graph(40, 90, seed=1),  # undirected: each edge both ways
              nx.path_graph(60, create_using=nx.DiGraph), nx.star_graph(6)]
    chain = nx.path_graph(150, create_using=nx.DiGraph)
    chain.add_edges_from([(149, 0), (20, 75), (75, 20)])
    for g in [*graphs, chain]:
        assert m.betweenness(g, budget=math.inf).values == pytest.approx(nx.betweenness_centrality(g))


def test_a_long_chain_switches_to_plain_python(monkeypatch: pytest.MonkeyPatch):
    calls = []
    run = m._Brandes._python
    monkeypatch.setattr(m._Brandes, "_python", lambda self, s, t: calls.append(s) or run(self, s, t))
    b = m.betweenness(nx.cycle_graph(600, create_using=nx.DiGraph), budget=math.inf)
    # On a directed cycle every node is inside (n-1)(n-2)/2 of the ordered pairs' paths.
    assert len(calls) == 600 and b.exact
    assert all(x == pytest.approx(0.5) for x in b.values.values())


# --- brute force on random regions -------------------------------------------------------------

@pytest.mark.parametrize("seed", range(30))
def test_contract_metrics_match_brute_force(seed: int):
    r = random_region(seed)
    nodes, arcs = contract_graph(r)
    nb = neighbours(nodes, arcs)
    n = len(nodes)
    out = analyse_network(r)
    assert out["agencies"] == n
    assert out["density"] == pytest.approx(len(arcs) / (n * (n - 1)) if n > 1 else 0.0)
    recip = sum((b, a) in arcs for a, b in arcs) / len(arcs) if arcs else 0.0
    assert out["reciprocity"] == pytest.approx(recip)
    deg = {v: len(nb[v]) for v in nodes}
    dmax = max(deg.values(), default=0)
    central = sum(dmax - d for d in deg.values()) / ((n - 1) * (n - 2)) if n > 2 else 0.0
    assert out["degree_centralization"] == pytest.approx(central)
    comps = count_components(nodes, nb)
    assert out["components"] == comps
    assert out["isolates"] == sorted(v for v in nodes if not nb[v])
    cut = sorted(v for v in nodes if count_components(nodes - {v}, nb) > comps)
    assert out["cut_agencies"] == cut
    bridges = []
    for a, b in {tuple(sorted(e)) for e in arcs}:
        nb2 = {v: set(x) for v, x in nb.items()}
        nb2[a].discard(b)
        nb2[b].discard(a)
        if count_components(nodes, nb2) > comps:
            bridges.append([a, b])
    assert out["bridges"] == sorted(bridges)
    cores = brute_cores(nodes, nb)
    bw = brute_betweenness(nodes, arcs)
    for v, x in out["agency_metrics"].items():
        assert x["in"] == sum(t == v for _, t in arcs) and x["out"] == sum(s == v for s, _ in arcs)
        assert x["degree"] == deg[v] and x["core"] == cores[v]
        assert x["betweenness"] == pytest.approx(bw[v])
