"""What-if removals and single points of failure, against removing things one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.data import Agency, Relationship, load_region
from workbench.network import (
    agency_impacts,
    critical_ties,
    entry_points,
    group_coverage,
    pathway_graph,
    single_points_of_failure,
    tie_impacts,
    what_if,
)
from workbench.network.pathways import reach
from workbench.network.resilience import without

from .test_network_metrics import (
    contract_graph,
    count_components,
    neighbours,
    random_region,
    region,
)


def ag(id_: str, type_: str, groups: tuple[str, ...] = ()) -> Agency:
    return Agency(id_, id_.title(), type_, "organisation", target_groups=groups)


def chain():
    """pol -> ngo -> sh (homeless) and pol -> sh2 (elderly); hel -> ngo; pol -- muni."""
    return region([ag("pol", "police"), ag("hel", "helpline"), ag("ngo", "victim_support"),
                   ag("sh", "shelter", ("homeless",)), ag("sh2", "shelter", ("elderly",)),
                   ag("muni", "municipality")],
                  [("pol", "ngo", "referral"), ("hel", "ngo", "referral"), ("ngo", "sh", "referral"),
                   ("pol", "sh2", "referral"), ("pol", "sh2", "statutory_duty"),
                   ("muni", "pol", "funding")])


def test_agency_impacts_by_hand():
    imp = agency_impacts(chain())
    # Without ngo: {hel}, {sh} and {pol, sh2, muni}.
    assert imp["ngo"] == {"groups_lost": ["homeless"], "reach_lost": 1, "cut_off": 2,
                          "components_added": 2}
    # Two entry points reach ngo, so police alone takes only its own shelter with it.
    assert imp["pol"] == {"groups_lost": ["elderly"], "reach_lost": 1, "cut_off": 2,
                          "components_added": 2}
    assert imp["hel"] == {"groups_lost": [], "reach_lost": 0, "cut_off": 0, "components_added": 0}
    assert imp["sh"]["groups_lost"] == ["homeless"] and imp["sh"]["reach_lost"] == 0


def test_a_doubled_tie_is_not_critical():
    imp = tie_impacts(chain())
    assert imp[("pol", "sh2", "referral")] == {"groups_lost": [], "reach_lost": 0, "cut_off": 0,
                                              "components_added": 0}
    assert imp[("ngo", "sh", "referral")] == {"groups_lost": ["homeless"], "reach_lost": 1,
                                             "cut_off": 1, "components_added": 1}
    assert imp[("muni", "pol", "funding")]["cut_off"] == 1


def test_ranking():
    spof = single_points_of_failure(chain())
    assert [x["agency"] for x in spof] == ["ngo", "pol", "sh", "sh2"]
    assert single_points_of_failure(chain(), top=2) == spof[:2]
    ties = critical_ties(chain(), top=None)
    assert [(x["source"], x["target"]) for x in ties] == [
        ("ngo", "sh"), ("pol", "ngo"), ("hel", "ngo"), ("muni", "pol")]


def test_what_if_removing_an_agency():
    w = what_if(chain(), agency="ngo")
    assert w["removed"] == {"agency": "ngo"}
    assert w["groups_lost"] == ["homeless"] and w["reach_lost"] == ["sh"]
    assert w["paths_changed"] == {"homeless": {"before": ["hel", "ngo", "sh"], "after": None}}
    assert w["metrics"]["agencies"] == {"before": 6, "after": 5, "delta": -1}
    assert w["metrics"]["components"] == {"before": 1, "after": 3, "delta": 2}
    assert w["metrics"]["density"]["after"] == 2 / 20


def test_what_if_removing_a_tie_and_bad_requests():
    w = what_if(chain(), tie=("pol", "sh2", "referral"))
    assert w["groups_lost"] == [] and w["paths_changed"] == {}
    assert w["metrics"]["arcs"]["delta"] == 0
    with pytest.raises(ValueError, match="no agency"):
        what_if(chain(), agency="nobody")
    with pytest.raises(ValueError, match="no tie"):
        what_if(chain(), tie=("pol", "sh", "referral"))
    with pytest.raises(ValueError, match="either"):
        without(chain())


def test_tiny_fixture(tiny: Path):
    spof = single_points_of_failure(load_region(tiny))
    assert spof[0] == {"agency": "police", "groups_lost": ["high_risk_victims", "perpetrators_general"],
                       "reach_lost": 2, "cut_off": 2, "components_added": 1}
    assert [x["agency"] for x in spof] == ["police", "ngo", "parquet", "praxis"]


def test_no_entry_point_no_pathway_impact():
    r = region([ag("a", "shelter", ("homeless",)), ag("b", "housing")], [("a", "b", "referral")])
    assert agency_impacts(r)["a"] == {"groups_lost": [], "reach_lost": 0, "cut_off": 0,
                                      "components_added": 0}


def _brute(before, after, removed: str | None) -> dict:
    cov0, cov1 = group_coverage(before), group_coverage(after)
    reach0 = set(reach(pathway_graph(before), entry_points(before)))
    reach1 = set(reach(pathway_graph(after), entry_points(after)))
    return {"groups_lost": sorted(g for g in cov0 if cov0[g]["covered"] and not cov1[g]["covered"]),
            "reach_lost": len(reach0 - reach1 - {removed})}


def _pieces(nodes: set[str], nb: dict[str, set[str]]) -> list[int]:
    seen: set[str] = set()
    sizes = []
    for v in sorted(nodes):
        if v in seen:
            continue
        size, stack = 0, [v]
        seen.add(v)
        while stack:
            x = stack.pop()
            size += 1
            for y in nb[x] & nodes:
                if y not in seen:
                    seen.add(y)
                    stack.append(y)
        sizes.append(size)
    return sizes


def _component_of(v: str, nodes: set[str], nb: dict[str, set[str]]) -> set[str]:
    seen, stack = {v}, [v]
    while stack:
        for y in nb[stack.pop()] & nodes:
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return seen


@pytest.mark.parametrize("seed", range(30))
def test_agency_impacts_match_removing_each_agency(seed: int):
    r = random_region(seed)
    nodes, arcs = contract_graph(r)
    nb = neighbours(nodes, arcs)
    for v, imp in agency_impacts(r).items():
        assert {k: imp[k] for k in ("groups_lost", "reach_lost")} == \
            _brute(r, without(r, agency=v), v), v
        if v not in nodes:
            assert imp["cut_off"] == imp["components_added"] == 0
            continue
        comp = _component_of(v, nodes, nb) - {v}
        parts = _pieces(comp, nb)
        assert imp["components_added"] == max(len(parts) - 1, 0), v
        assert imp["cut_off"] == (len(comp) - max(parts) if parts else 0), v


@pytest.mark.parametrize("seed", range(30))
def test_tie_impacts_match_removing_each_tie(seed: int):
    r = random_region(seed)
    nodes, arcs = contract_graph(r)
    comps = count_components(nodes, neighbours(nodes, arcs))
    for key, imp in tie_impacts(r).items():
        after = without(r, tie=key)
        assert {k: imp[k] for k in ("groups_lost", "reach_lost")} == _brute(r, after, None), key
        nodes2, arcs2 = contract_graph(after)
        nb2 = neighbours(nodes2, arcs2)
        assert imp["components_added"] == count_components(nodes2, nb2) - comps, key
        if imp["components_added"]:
            a = _component_of(key[0], nodes2, nb2)
            b = _component_of(key[1], nodes2, nb2)
            assert imp["cut_off"] == min(len(a), len(b)), key
        else:
            assert imp["cut_off"] == 0


def test_removing_a_unit_keeps_ties_of_its_parent():
    r = region([ag("pol", "police"), Agency("u", "U", "police", "unit", parent="pol"),
                ag("sh", "shelter", ("homeless",))],
               [("u", "pol", "part_of"), Relationship("u", "sh", "referral")])
    assert what_if(r, agency="pol")["groups_lost"] == []
