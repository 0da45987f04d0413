"""Coverage of partner types and priority groups, referral pathways and feedback."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest

from workbench.data import Agency, Relationship, load_region
from workbench.network import (
    entry_points,
    group_coverage,
    partner_coverage,
    referral_feedback,
    referral_pathways,
)
from workbench.taxonomy import taxonomy

from .test_network_metrics import random_region, region

LIVE = ("active", "pilot")


def ag(id_: str, type_: str, groups: tuple[str, ...] = (), **kw) -> Agency:
    kind = "forum" if type_.startswith("forum_") else kw.pop("kind", "organisation")
    return Agency(id_, id_.title(), type_, kind, target_groups=groups, **kw)


def test_a_referral_chain_covers_a_group():
    r = region([ag("pol", "police"), ag("ngo", "victim_support"),
                ag("sh", "shelter", ("homeless", "elderly"), excluded_groups=("elderly",))],
               [("pol", "ngo", "referral"), ("ngo", "sh", "referral")])
    c = group_coverage(r)
    assert c["homeless"] == {"covered": True, "path": ["pol", "ngo", "sh"], "entry": "pol",
                             "server": "sh", "servers": ["sh"], "reachable": ["sh"],
                             "audience": "victims"}
    # The shelter names elderly people as a group it cannot serve.
    assert c["elderly"]["servers"] == [] and not c["elderly"]["covered"]
    assert set(c) >= set(taxonomy().priority_groups)


def test_which_ties_carry_a_person():
    ags = [ag("pol", "police"), ag("a", "victim_support", ("homeless",)),
           ag("b", "victim_support", ("elderly",)), ag("c", "child_protection", ("children_adolescents",)),
           ag("d", "housing", ("disabled",)), ag("e", "shelter", ("stalking",))]
    ties = [("pol", "a", "consultation"), ("pol", "b", "information_sharing"),
            ("pol", "c", "statutory_duty"), ("pol", "d", "formal_agreement"),
            Relationship("pol", "e", "referral", status="planned")]
    c = group_coverage(region(ags, ties))
    assert c["children_adolescents"]["path"] == ["pol", "c"]
    assert not any(c[g]["covered"] for g in ("homeless", "elderly", "disabled", "stalking"))


def test_entry_points_and_servers_must_be_live():
    ags = [ag("pol", "police", status="planned"), ag("hel", "helpline"),
           ag("sh", "shelter", ("homeless",), status="discontinued"),
           ag("sh2", "shelter", ("homeless",), status="pilot"), ag("ngo", "victim_support")]
    r = region(ags, [("pol", "sh", "referral"), ("hel", "sh", "referral"), ("hel", "ngo", "referral"),
                     ("ngo", "sh2", "referral")])
    assert entry_points(r) == ["hel"]
    assert group_coverage(r)["homeless"]["path"] == ["hel", "ngo", "sh2"]


def test_an_entry_point_that_serves_a_group_covers_it_itself():
    r = region([ag("hos", "health_hospital", ("sexual_violence",))], [])
    assert group_coverage(r)["sexual_violence"]["path"] == ["hos"]


def test_shortest_path_wins_and_ties_break_by_id():
    ags = [ag("pol", "police"), ag("hel", "helpline"), ag("x", "victim_support"),
           ag("y", "victim_support"), ag("s1", "shelter", ("homeless",)),
           ag("s2", "shelter", ("homeless",))]
    ties = [("pol", "x", "referral"), ("x", "y", "referral"), ("y", "s1", "referral"),
            ("hel", "s2", "referral"), ("pol", "s2", "referral")]
    c = group_coverage(region(ags, ties))["homeless"]
    assert c["path"] == ["hel", "s2"] and c["reachable"] == ["s1", "s2"]


def test_a_forum_can_receive_referrals_and_serve_a_group():
    ags = [ag("pol", "police"), ag("marac", "forum_case_victim_risk", ("high_risk_victims",))]
    c = group_coverage(region(ags, [("pol", "marac", "referral")]))
    assert c["high_risk_victims"]["path"] == ["pol", "marac"]


def test_partner_coverage_missing_unconnected_present():
    ags = [ag("pol", "police"), ag("unit", "police", kind="unit", parent="pol"),
           ag("sh", "shelter"), ag("hs", "housing"), ag("cp", "child_protection"),
           ag("pp", "perpetrator_programme", status="planned"), ag("f", "forum_thematic_wg")]
    ties = [("unit", "pol", "part_of"),
            Relationship("hs", "f", "forum_membership", attendance="declined"),
            Relationship("cp", "f", "forum_membership", attendance="rare"),
            ("sh", "pol", "training")]
    c = partner_coverage(region(ags, ties))
    assert c["police"] == {"agencies": ["pol", "unit"], "connected": ["pol"], "status": "present"}
    assert c["shelter"]["status"] == "present"
    assert c["child_protection"]["status"] == "present"  # through the forum alone
    assert c["housing"]["status"] == "unconnected"
    assert c["perpetrator_programme"]["status"] == "missing"
    assert list(c) == ["police", "prosecution", "health", "social_services", "child_protection",
                       "housing", "victim_support", "shelter", "perpetrator_programme"]


def test_referral_feedback():
    ags = [ag("pol", "police"), ag("ngo", "victim_support"), ag("sh", "shelter"),
           ag("old", "shelter", status="discontinued")]
    ties = [("pol", "ngo", "referral"), ("ngo", "pol", "feedback"), ("ngo", "sh", "referral"),
            Relationship("sh", "ngo", "feedback", status="discontinued"),
            ("pol", "old", "referral"), ("sh", "pol", "feedback"), ("pol", "sh", "statutory_duty")]
    assert referral_feedback(region(ags, ties)) == [
        {"source": "ngo", "target": "sh", "has_feedback": False},
        {"source": "pol", "target": "ngo", "has_feedback": True}]


def test_referral_pathways_are_maximal_chains():
    ags = [ag("pol", "police"), ag("sapv", "police_victim_service"), ag("ngo", "victim_support"),
           ag("sh", "shelter"), ag("pp", "perpetrator_programme"), ag("pros", "prosecution"),
           ag("hel", "helpline")]
    ties = [("pol", "sapv", "referral"), ("sapv", "ngo", "referral"), ("ngo", "sh", "referral"),
            ("sh", "ngo", "feedback"), ("sapv", "pol", "feedback"), ("ngo", "sapv", "feedback"),
            ("pol", "pros", "statutory_duty"), ("pros", "pp", "referral"),
            ("sh", "sapv", "referral"),  # back to an agency already on the chain: it stops
            ("hel", "ngo", "referral")]
    out = referral_pathways(region(ags, ties))
    # sapv -> ngo -> sh is the tail of pol's chain, so it is not listed on its own.
    assert out == {"pathways": [
        {"path": ["hel", "ngo", "sh", "sapv"], "feedback": [False, True, False], "closed": False},
        {"path": ["pol", "pros", "pp"], "feedback": [False, False], "closed": False},
        {"path": ["pol", "sapv", "ngo", "sh"], "feedback": [True, True, True], "closed": True},
    ], "truncated": False, "closed": 1}


def test_referral_pathways_stop_at_the_limit():
    ags = [ag("pol", "police")] + [ag(f"v{i}", "victim_support") for i in range(12)]
    ties = [("pol", f"v{i}", "referral") for i in range(12)]
    ties += [(f"v{i}", f"v{j}", "referral") for i in range(12) for j in range(12) if i != j]
    out = referral_pathways(region(ags, ties), max_paths=50)
    assert out["truncated"] and len(out["pathways"]) <= 50


def test_tiny_fixture(tiny: Path):
    r = load_region(tiny)
    c = group_coverage(r)
    covered = {g: x["path"] for g, x in c.items() if x["covered"]}
    assert covered == {"high_risk_victims": ["police"],
                       "perpetrators_general": ["police", "parquet", "praxis"],
                       "children_adolescents": ["hospital", "ngo"],
                       "dv_victims_general": ["police-sapv"]}
    assert c["undocumented"]["servers"] == []  # the shelter excludes them, and names no group
    fb = referral_feedback(r)
    assert len(fb) == 6 and [f for f in fb if f["has_feedback"]] == [
        {"source": "police-sapv", "target": "ngo", "has_feedback": True}]
    assert [p["path"] for p in referral_pathways(r)["pathways"]] == [
        ["hospital", "ngo", "shelter"], ["police", "parquet", "praxis"],
        ["police", "police-sapv", "ngo", "shelter"]]
    assert partner_coverage(r)["social_services"]["status"] == "missing"


@pytest.mark.parametrize("seed", range(30))
def test_group_coverage_matches_brute_force(seed: int):
    r = random_region(seed)
    live = {a.id for a in r.agencies if a.status in LIVE}
    arcs = {(t.source, t.target) for t in r.relationships
            if t.type in ("referral", "statutory_duty") and t.status == "active"
            and {t.source, t.target} <= live}
    types = taxonomy().agency_types
    entries = {a.id for a in r.agencies if a.status in LIVE and a.kind != "forum"
               and types[a.type].get("entry_point")}
    dist: dict[str, int] = {}
    for e in entries:  # BFS from each entry point on its own
        d = {e: 0}
        q = deque([e])
        while q:
            v = q.popleft()
            for a, b in arcs:
                if a == v and b not in d:
                    d[b] = d[v] + 1
                    q.append(b)
        for v, k in d.items():
            dist[v] = min(k, dist.get(v, k))
    for group, c in group_coverage(r).items():
        servers = {a.id for a in r.agencies if a.status in LIVE and group in a.target_groups
                   and group not in a.excluded_groups}
        assert set(c["servers"]) == servers
        assert c["covered"] == bool(servers & dist.keys())
        if c["covered"]:
            p = c["path"]
            assert p[0] in entries and p[-1] in servers
            assert all((a, b) in arcs for a, b in zip(p, p[1:], strict=False))
            assert len(p) - 1 == min(dist[s] for s in servers & dist.keys())
