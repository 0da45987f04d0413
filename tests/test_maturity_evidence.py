"""Network evidence on constructed networks, and conflicts with the self-assessment."""

from __future__ import annotations

from workbench import i18n
from workbench.data import Agency, Answer, Region, RegionInfo, Relationship
from workbench.maturity import assess_region, network_evidence
from workbench.maturity.evidence import band, conflicts, measure
from workbench.maturity.scoring import indicators_of


def org(i: str, type_: str = "victim_support", **kw) -> Agency:
    return Agency(i, i.upper(), type_, "organisation", **kw)


def forum(i: str, type_: str, **kw) -> Agency:
    return Agency(i, i.upper(), type_, "forum", **kw)


def region(agencies, ties=(), answers=()) -> Region:
    return Region(RegionInfo("xx-a", "A", "BE"), agencies=tuple(agencies),
                  relationships=tuple(ties), assessment=tuple(answers))


def rated(characteristic: str, score: str) -> list[Answer]:
    return [Answer("2025", i, score, r) for i in indicators_of(characteristic) for r in ("a", "b")]


def feedback_network(n_referrals: int, n_feedback: int) -> tuple[list[Agency], list[Relationship]]:
    agencies = [org("police", "police")] + [org(f"s{k:02d}") for k in range(n_referrals)]
    ties = [Relationship("police", f"s{k:02d}", "referral") for k in range(n_referrals)]
    ties += [Relationship(f"s{k:02d}", "police", "feedback") for k in range(n_feedback)]
    return agencies, ties


def test_referral_feedback_share_and_the_conflict_sentence():
    agencies, ties = feedback_network(11, 3)
    r = region(agencies, ties, rated("C3", "n/a") + [
        Answer("2025", i, s, "a") for i, s in zip(indicators_of("C3"),
                                                   "2 2 1 2 2 1 1 1".split(), strict=True)])
    m = measure(r, "c3_referral_feedback")
    assert (m["num"], m["den"], m["band"]) == (3, 11, [1, 2])
    assert m["text"] == "3 of 11 referrals get feedback to the referrer (27%)"
    assert m["gap"] == "8 of 11 referrals get no feedback"
    assert measure(r, "c3_referral_feedback", "fr")["text"] == (
        "3 des 11 orientations donnent lieu à un retour vers l'orienteur (27\u00a0%)")
    result = assess_region(r)["C3"]
    assert result["level"] == 3
    [c] = [c for c in result["conflicts"] if c["measure"] == "c3_referral_feedback"]
    assert c["direction"] == "over"
    assert c["text"].startswith("The group rated C3 (Information sharing and use) at level 3, "
                                "but 8 of 11 referrals get no feedback")
    [fr] = [c for c in assess_region(r, lang="fr")["C3"]["conflicts"] if c["measure"] == "c3_referral_feedback"]
    assert fr["text"].startswith("Le groupe a placé C3 (Partage et usage de l'information) au niveau 3, "
                                 "mais 8 des 11 orientations ne donnent lieu à aucun retour")


def test_feedback_must_run_back_to_the_referrer_and_be_active():
    agencies, ties = feedback_network(2, 0)
    ties += [Relationship("s00", "s01", "feedback"),
             Relationship("s01", "police", "feedback", status="discontinued")]
    assert measure(region(agencies, ties), "c3_referral_feedback")["num"] == 0


def test_no_referral_at_all_caps_information_sharing():
    m = measure(region([org("p", "police")]), "c3_referral_feedback")
    assert m["value"] is None and m["band"] == [0, 1]
    assert m["text"] == "no active referral between live agencies is recorded"


def test_relay_share_counts_units_for_their_organisation():
    agencies = [org("pol", "police"), Agency("pol-dv", "DV unit", "police", "unit", parent="pol",
                                             dv_relay=True),
                org("ngo", dv_relay=True), org("hosp", "health_hospital", dv_relay=False),
                org("school", "education"), org("ministry", "national_government", dv_relay=True),
                org("gone", "shelter", dv_relay=True, status="discontinued")]
    m = measure(region(agencies), "c4_relay_share")
    # ministry (government) and the discontinued shelter are not counted
    assert (m["num"], m["den"]) == (2, 4) and m["band"] == [2, 3]
    assert m["text"] == "2 of 4 partner organisations have a designated DV relay (50%)"
    roles = measure(region(agencies), "c4_main_partner_relays")
    assert (roles["num"], roles["den"]) == (2, 3)  # police, victim support; not health
    assert roles["gap"].endswith("(Health)")  # the role's name, not its id
    assert measure(region(agencies), "c4_main_partner_relays", "fr")["gap"].endswith("(Santé)")


def test_steering_forum_with_chair_and_secretariat():
    agencies = [forum("board", "forum_steering_core"), org("city", "municipality"),
                org("ngo"), org("police", "police")]
    ties = [Relationship("city", "board", "forum_membership", role="chair"),
            Relationship("ngo", "board", "forum_membership", role="secretariat"),
            Relationship("police", "board", "forum_membership", attendance="declined")]
    r = region(agencies, ties)
    assert measure(r, "c2_steering_forum")["band"] == [2, 4]
    roles = measure(r, "c2_steering_roles")
    assert roles["value"] == 2 and roles["text"] == "the steering forums have a chair and a secretariat"
    # a forum of one attending member is not a steering body
    alone = region(agencies, ties[:1])
    assert measure(alone, "c2_steering_forum")["value"] == 0
    assert measure(alone, "c2_steering_roles")["band"] is None
    assert measure(alone, "c2_steering_forum")["text"].startswith("no live steering forum")


def test_written_cooperation_ties_share():
    agencies = [org("a"), org("b"), org("c")]
    ties = [Relationship("a", "b", "referral", formality="written"),
            Relationship("b", "c", "referral", formality="verbal"),
            Relationship("a", "c", "formal_agreement", formality="written"),
            Relationship("c", "a", "funding", formality="verbal"),  # not a cooperation tie
            Relationship("c", "b", "referral")]  # form not stated
    m = measure(region(agencies, ties), "c2_written_ties")
    assert (m["num"], m["den"], m["band"]) == (2, 3, [1, 3])


def test_information_sharing_agreements_and_case_conference():
    agencies = [forum("marac", "forum_case_victim_risk"), org("p", "police"), org("v"),
                org("h", "health_hospital"), org("s", "shelter")]
    ties = [Relationship("p", "v", "information_sharing", formality="written"),
            Relationship("v", "h", "information_sharing", legal_basis="consent"),
            Relationship("h", "s", "information_sharing", legal_basis="not_stated"),
            Relationship("p", "s", "formal_agreement", legal_basis="high_risk_exception")]
    ties += [Relationship(a, "marac", "forum_membership") for a in "pvh"]
    r = region(agencies, ties)
    assert measure(r, "c3_sharing_agreements")["value"] == 3
    conf = measure(r, "c3_case_conference")
    assert conf["value"] == 1 and conf["band"] == [2, 4]
    ties[-1] = Relationship("h", "marac", "forum_membership", attendance="excluded")
    assert measure(region(agencies, ties), "c3_case_conference")["value"] == 0


def test_priority_groups_with_a_pathway():
    agencies = [org("p", "police"), org("v"),
                org("mig", "migrant_service", target_groups=("migrants_refugees",)),
                org("old", "elderly_disability_services", target_groups=("elderly",)),
                org("any", target_groups=("dv_victims_general",))]
    ties = [Relationship("p", "v", "referral"), Relationship("v", "mig", "referral")]
    m = measure(region(agencies, ties), "c1_group_pathways")
    # dv_victims_general is not a priority group of the taxonomy
    assert (m["num"], m["den"]) == (1, 2) and m["band"] == [1, 3]
    assert m["gap"].endswith("(Older people)")
    assert measure(region([org("p", "police")]), "c1_group_pathways")["band"] == [0, 2]


def test_training_co_produced_and_research():
    agencies = [org("p", "police"), org("ngo"), org("cps", "child_protection"),
                org("office", "coordination_body"), org("doc", "health_primary_community"),
                org("uni", "research_academic"), org("uni2", "research_academic")]
    ties = [Relationship("ngo", "p", "training"), Relationship("cps", "p", "training"),
            Relationship("office", "doc", "training"),
            Relationship("uni", "ngo", "oversight_monitoring")]
    r = region(agencies, ties)
    assert measure(r, "c5_training_ties")["value"] == 3
    co = measure(r, "c5_co_produced")
    assert co["items"] == ["doc", "p"]  # two sectors train the police; a joint body trains doctors
    assert measure(r, "c5_research")["items"] == ["uni"]
    # training each other counts too
    mutual = region(agencies[:2], [Relationship("ngo", "p", "training"),
                                   Relationship("p", "ngo", "training")])
    assert measure(mutual, "c5_co_produced")["items"] == ["ngo", "p"]
    assert measure(region(agencies[:2]), "c5_training_ties")["text"] == (
        "no training tie runs between partners")


def test_underrating_needs_two_levels():
    ev = {"measures": {"m": {"band": [2, 4], "text": "x", "gap": "y"}}}
    assert conflicts("C2", 1, ev) == []
    [c] = conflicts("C2", 0, ev)
    assert c["direction"] == "under" and c["text"].endswith("but x (the network suggests levels 2–4).")


def test_every_characteristic_has_evidence_even_on_an_empty_region():
    for lang in i18n.LANGUAGES:
        ev = network_evidence(region([]), lang)
        assert list(ev) == ["C1", "C2", "C3", "C4", "C5"]
        for c, e in ev.items():
            assert len(e["measures"]) >= 2, c
            for m in e["measures"].values():
                assert m["name"] and m["text"] and m["gap"], (lang, m)


def test_band_rows():
    rows = [[0, 0, 2], [0.25, 1, 3], [0.5, 2, 3], [0.75, 2, 4]]
    assert [band(rows, v) for v in (0, 0.25, 0.6, 1.0)] == [[0, 2], [1, 3], [2, 3], [2, 4]]


def test_evidence_band_is_the_overlap_of_its_measures():
    agencies, ties = feedback_network(3, 3)
    ev = network_evidence(region(agencies, ties))["C3"]
    # feedback on every referral [3, 4], no sharing agreement [0, 2]: no overlap
    assert ev["measures"]["c3_referral_feedback"]["band"] == [3, 4]
    assert ev["band"] is None
