"""Gap detection: the catalogue, one firing and one quiet region per rule, the example regions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from workbench import i18n
from workbench.data import Agency, Answer, Region, RegionInfo, Relationship, load_region
from workbench.roadmap import Gap, detect_gaps, gap_catalogue, needs_question
from workbench.roadmap.gaps import BASES, RULES, SEVERITIES, answers_at_most, detect_checks, severity_label
from workbench.taxonomy import rubric, taxonomy

ROOT = Path(__file__).resolve().parents[1]
REGIONS = sorted(p for p in (ROOT / "data" / "partners").iterdir() if p.is_dir()) + sorted(
    p for p in (ROOT / "data" / "reference").iterdir() if p.is_dir())
CAT = gap_catalogue()
GAPS = CAT["gaps"]
DETECTABLE = sorted(i for i, g in GAPS.items() if g["detection"] != "needs_question")


# ---------------------------------------------------------------------------
# Building small regions
# ---------------------------------------------------------------------------

def A(id: str, type: str, **kw: Any) -> Agency:
    """An agency; a forum type makes a forum, a parent makes a unit."""
    kind = "forum" if type in taxonomy().forum_types else "unit" if kw.get("parent") else "organisation"
    for key in ("target_groups", "excluded_groups"):
        if isinstance(kw.get(key), str):
            kw[key] = (kw[key],)
    return Agency(id, id.replace("-", " ").title(), type, kind, **kw)


def T(source: str, target: str, type: str, **kw: Any) -> Relationship:
    return Relationship(source, target, type, **kw)


def R(*items: Agency | Relationship, answers: dict[str, str] | None = None) -> Region:
    """A region from agencies, ties and answers (``{"C3.6": "no"}``, one rater)."""
    return Region(
        RegionInfo("xx-test", "Test", "BE"),
        agencies=tuple(i for i in items if isinstance(i, Agency)),
        relationships=tuple(i for i in items if isinstance(i, Relationship)),
        assessment=tuple(Answer("2025-baseline", k, v, "rater-1") for k, v in (answers or {}).items()),
    )


def fired(region: Region) -> set[str]:
    return {g.id for g in detect_gaps(region)}


POLICE = A("police", "police")
SUPPORT = A("support", "victim_support")
CASE = A("marac", "forum_case_victim_risk")


#: Feedback recorded somewhere in the region, between two partners the test is not about: the feedback rules
#: (G01, G24, G35) conclude from a missing feedback tie only where the region maps feedback at all.
HEARD = (A("x", "legal_aid"), A("y", "legal_aid"), T("x", "y", "feedback"))


def member(agency: str, forum: str = "marac", **kw: Any) -> Relationship:
    return T(agency, forum, "forum_membership", **kw)


# (gap, what the case shows, region where it fires, region where it does not)
CASES: list[tuple[str, str, Region, Region]] = [
    ("G01", "police referral without feedback",
     R(POLICE, SUPPORT, T("police", "support", "referral"), *HEARD),
     R(POLICE, SUPPORT, T("police", "support", "referral"), T("support", "police", "feedback"))),
    ("G01", "C3.6 = no / a forum answering with tasking",
     R(answers={"C3.6": "no"}),
     R(POLICE, CASE, T("police", "marac", "referral"), T("marac", "police", "tasking"),
       answers={"C3.6": "some"})),
    ("G02", "no perpetrator service",
     R(POLICE),
     R(POLICE, A("prog", "perpetrator_programme"), T("police", "prog", "referral"))),
    ("G02", "a programme nobody refers to / probation serving perpetrators is referred to",
     R(POLICE, A("prog", "perpetrator_programme")),
     R(POLICE, A("prob", "probation", target_groups="perpetrators_general"), T("police", "prob", "referral"))),
    ("G03", "training voluntary",
     R(answers={"C5.1": "voluntary"}),
     R(answers={"C5.1": "mandatory"})),
    ("G03", "no training reaches the police",
     R(POLICE, SUPPORT),
     R(POLICE, SUPPORT, T("support", "police", "training"))),
    ("G04", "no cooperation training",
     R(answers={"C5.3": "no"}),
     R(answers={"C5.3": "partial"})),
    ("G05", "addiction service in no forum and on no case channel / none on the map is only a check",
     R(POLICE, A("drugs", "health_addiction")),
     R(POLICE)),
    ("G05", "addiction service in no forum / one the police refer to",
     R(POLICE, A("drugs", "health_addiction")),
     R(POLICE, A("drugs", "health_addiction"), T("police", "drugs", "referral"))),
    ("G05", "addiction service in no forum / shelter excludes substance use with no alternative",
     R(A("drugs", "health_addiction"), CASE, member("drugs"), A("shelter", "shelter", excluded_groups="substance_use")),
     R(A("drugs", "health_addiction", target_groups="substance_use"), CASE, member("drugs"),
       A("shelter", "shelter", excluded_groups="substance_use"))),
    ("G06", "shelter excludes undocumented, nobody serves them",
     R(A("shelter", "shelter", excluded_groups="undocumented")),
     R(A("shelter", "shelter", excluded_groups="undocumented"),
       A("migrants", "migrant_service", target_groups="undocumented"))),
    ("G07", "no disaggregated statistics",
     R(answers={"C3.8": "no", "C2.7": "partial"}),
     R(answers={"C3.8": "partial", "C2.7": "partial"})),
    ("G08", "police and victim support each record a tool of their own / one shared",
     R(POLICE, SUPPORT, A("youth", "child_protection"), A("tool-a", "coordination_body"),
       T("youth", "police", "shared_instrument"), T("support", "tool-a", "shared_instrument")),
     R(POLICE, SUPPORT, T("police", "support", "shared_instrument"))),
    ("G08", "different tools / a shelter and a police unit share one (shelters are victim services, units count)",
     R(POLICE, A("shelter", "shelter"), A("tool-a", "coordination_body"), A("tool-b", "coordination_body"),
       T("police", "tool-a", "shared_instrument"), T("shelter", "tool-b", "shared_instrument")),
     R(POLICE, A("crime", "police", parent="police"), A("shelter", "shelter"),
       T("shelter", "crime", "shared_instrument"))),
    ("G08", "C3.4 = no / a forum's instrument shared by its members",
     R(answers={"C3.4": "no"}),
     R(POLICE, SUPPORT, CASE, member("police"), member("support"), A("tool-owner", "coordination_body"),
       T("tool-owner", "marac", "shared_instrument"), answers={"C3.4": "partial"})),
    ("G09", "non-physical abuse turned away and nobody serves it / nobody tagged is only a check",
     R(A("support", "victim_support", target_groups="dv_victims_general", excluded_groups="non_physical_abuse")),
     R(A("support", "victim_support", target_groups="dv_victims_general"))),
    ("G09", "non-physical abuse turned away / served by a forum's own target groups",
     R(A("support", "victim_support", excluded_groups="non_physical_abuse")),
     R(A("support", "victim_support", excluded_groups="non_physical_abuse"),
       A("marac", "forum_case_victim_risk", target_groups="non_physical_abuse"))),
    ("G09", "no route below high risk / C1.5 answered partial",
     R(A("support", "victim_support", target_groups="non_physical_abuse"), answers={"C1.5": "no"}),
     R(A("support", "victim_support", target_groups=("non_physical_abuse", "low_risk_victims")),
       answers={"C1.5": "partial"})),
    ("G10", "hospital excluded from the forum",
     R(A("hospital", "health_hospital"), CASE, member("hospital", attendance="excluded")),
     R(A("hospital", "health_hospital"), CASE, member("hospital", attendance="regular"))),
    ("G10", "sharing on consent only",
     R(POLICE, SUPPORT, T("police", "support", "information_sharing", legal_basis="consent")),
     R(POLICE, SUPPORT, T("police", "support", "information_sharing", legal_basis="consent"),
       T("support", "police", "information_sharing", legal_basis="high_risk_exception"))),
    ("G11", "case conference without coordinator",
     R(POLICE, CASE, member("police", role="chair")),
     R(POLICE, SUPPORT, CASE, member("police", role="chair"), member("support", role="coordinator"))),
    ("G12", "two of five ties not written",
     R(*[A(x, "victim_support") for x in "abcdef"],
       *[T("a", x, "referral", formality="written") for x in "bcd"],
       *[T("a", x, "referral", formality="verbal") for x in "ef"]),
     R(*[A(x, "victim_support") for x in "abcdef"],
       *[T("a", x, "referral", formality="written") for x in "bcde"], T("a", "f", "referral", formality="verbal"),
       T("b", "c", "informal_tie", formality="none"))),
    ("G12", "C2.2 verbal and two partners tied only informally / the same pair also has a written agreement",
     R(SUPPORT, POLICE, T("support", "police", "informal_tie"), answers={"C2.2": "verbal"}),
     R(SUPPORT, POLICE, T("support", "police", "informal_tie"), T("police", "support", "formal_agreement",
                                                               formality="written"), answers={"C2.2": "verbal"})),
    ("G13", "only the police at the case conference",
     R(POLICE, SUPPORT, CASE, member("police")),
     R(POLICE, SUPPORT, CASE, A("youth", "child_protection"), A("housing", "housing"),
       A("hospital", "health_hospital"), *[member(x) for x in ("police", "support", "youth", "housing", "hospital")])),
    ("G13", "a partner that rarely comes / a police victim-service unit seats the police",
     R(A("court", "court_family_civil"), A("plenary", "forum_strategic_plenary"),
       member("court", "plenary", attendance="rare")),
     R(POLICE, A("pvs", "police_victim_service", parent="police"), SUPPORT, CASE, A("youth", "child_protection"),
       A("housing", "housing"), A("hospital", "health_hospital"),
       *[member(x) for x in ("pvs", "support", "youth", "housing", "hospital")])),
    ("G14", "one agency leads two case conferences",
     R(POLICE, CASE, A("matac", "forum_case_perpetrator"), member("police", role="chair"),
       member("police", "matac", role="chair")),
     R(POLICE, A("office", "coordination_body"), CASE, A("matac", "forum_case_perpetrator"),
       member("office", role="coordinator"), member("office", "matac", role="coordinator"),
       member("police", role="chair"))),
    ("G14", "roles only partly tied to posts and no induction / newcomers get a welcome",
     R(answers={"C4.6": "partial", "C5.8": "no"}),
     R(answers={"C4.6": "partial", "C5.8": "partial"})),
    ("G15", "relays not protected",
     R(answers={"C4.2": "partial", "C4.5": "no"}),
     R(answers={"C4.2": "partial", "C4.5": "yes"})),
    ("G16", "front-line police do not refer to the DV unit",
     R(POLICE, A("dv-unit", "police", parent="police", dv_relay=True)),
     R(POLICE, A("dv-unit", "police", parent="police", dv_relay=True), T("police", "dv-unit", "referral"))),
    ("G16", "no specialist to refer to / C3.2 answered yes",
     R(POLICE),
     R(POLICE, A("pvs", "police_victim_service"), T("police", "pvs", "referral"), answers={"C3.2": "yes"})),
    ("G18", "no case conference",
     R(POLICE, A("plenary", "forum_strategic_plenary")),
     R(POLICE, CASE)),
    ("G18", "case conference discontinued / replaced",
     R(A("old", "forum_case_victim_risk", status="discontinued"), A("matac", "forum_case_perpetrator")),
     R(A("old", "forum_case_victim_risk", status="discontinued"), CASE)),
    ("G19", "monthly case conference, no fast route",
     R(POLICE, SUPPORT, CASE, member("police", frequency="monthly"), member("support", frequency="monthly")),
     R(POLICE, SUPPORT, CASE, A("hrc", "forum_case_decision"), member("police", frequency="monthly"),
       member("support", "hrc", frequency="ad_hoc"))),
    ("G20", "no culture of criticism",
     R(answers={"C2.8": "no"}),
     R(answers={"C2.8": "partial"})),
    ("G21", "weak steering, unwritten roles",
     R(answers={"C2.1": "partial", "C2.2": "verbal"}),
     R(answers={"C2.1": "partial", "C2.2": "written"})),
    ("G21", "weak steering with overlapping referral targets / strong steering",
     R(POLICE, A("s1", "victim_support", area="North"), A("s2", "victim_support", area="North"),
       T("police", "s1", "referral"), T("police", "s2", "referral"), answers={"C2.1": "no", "C2.2": "written"}),
     R(POLICE, A("s1", "victim_support", area="North"), A("s2", "victim_support", area="North"),
       T("police", "s1", "referral"), T("police", "s2", "referral"), answers={"C2.1": "yes", "C2.2": "verbal"})),
    ("G22", "separate assessments, no shared file",
     R(answers={"C3.8": "partial", "C3.4": "no"}),
     R(answers={"C3.8": "partial", "C3.4": "yes"})),
    ("G23", "no evaluation",
     R(answers={"C5.6": "no", "C2.7": "partial"}),
     R(answers={"C5.6": "partial", "C2.7": "partial"})),
    ("G24", "prosecution silent to the police",
     R(POLICE, A("pros", "prosecution"), T("police", "pros", "referral"), *HEARD),
     R(POLICE, A("pros", "prosecution"), T("police", "pros", "referral"), T("pros", "police", "feedback"))),
    ("G25", "no child protection",
     R(POLICE),
     R(POLICE, A("youth", "child_protection"), T("police", "youth", "statutory_duty"))),
    ("G25", "police do not notify / a child-welfare information tie / not in the case conference",
     R(POLICE, A("youth", "child_protection"), CASE, member("youth"), T("police", "youth", "training")),
     R(POLICE, A("youth", "child_protection"), CASE, member("youth"),
       T("police", "youth", "information_sharing", legal_basis="child_welfare"))),
    ("G26", "older victims turned away, nobody for them / nobody tagged is only a check",
     R(POLICE, A("support", "victim_support", excluded_groups="elderly")),
     R(POLICE)),
    ("G26", "older victims turned away / served by another partner",
     R(POLICE, A("support", "victim_support", excluded_groups="elderly")),
     R(POLICE, A("support", "victim_support", excluded_groups="elderly"),
       A("care", "social_services", target_groups="elderly"))),
    ("G27", "rural areas turned away, nobody for them / nobody tagged is only a check",
     R(POLICE, A("support", "victim_support", excluded_groups="rural_isolated")),
     R(POLICE)),
    ("G27", "rural areas turned away / served by a forum member",
     R(POLICE, A("support", "victim_support", excluded_groups="rural_isolated")),
     R(POLICE, A("support", "victim_support", excluded_groups="rural_isolated"),
       A("rural", "social_services", target_groups="rural_isolated"))),
    ("G28", "temporary funding",
     R(A("city", "municipality"), SUPPORT, T("city", "support", "funding", notes="Temporary pilot grant, 2025")),
     R(A("city", "municipality"), SUPPORT, T("city", "support", "funding", notes="Core budget line"))),
    ("G28", "funding on trial / an NGO partner with no funding recorded is only a check",
     R(A("city", "municipality"), SUPPORT, CASE, member("support"),
       T("city", "support", "funding", status="pilot")),
     R(SUPPORT, CASE, member("support"))),
    ("G29", "one agency in four forums",
     R(SUPPORT, *[A(f"f{i}", "forum_practice_exchange") for i in range(4)],
       *[member("support", f"f{i}") for i in range(4)]),
     R(SUPPORT, *[A(f"f{i}", "forum_practice_exchange") for i in range(4)],
       *[member("support", f"f{i}") for i in range(3)], member("support", "f3", attendance="absent"))),
    ("G29", "one agency in four forums / a coordination body in four forums, which is its job",
     R(SUPPORT, *[A(f"f{i}", "forum_practice_exchange") for i in range(4)],
       *[member("support", f"f{i}") for i in range(4)]),
     R(A("office", "coordination_body"), *[A(f"f{i}", "forum_practice_exchange") for i in range(4)],
       *[member("office", f"f{i}") for i in range(4)])),
    ("G31", "no written procedures kept",
     R(answers={"C5.5": "partial"}),
     R(answers={"C5.5": "yes"})),
    ("G32", "police refer nobody to victim services",
     R(POLICE, SUPPORT),
     R(POLICE, SUPPORT, T("police", "support", "referral"))),
    ("G32", "police refer nobody to victim services / a proactive referral to an embedded social worker",
     R(POLICE, A("sw", "social_services")),
     R(POLICE, A("sw", "social_services"), T("police", "sw", "referral", mode="proactive"))),
    ("G32", "C3.2 = no",
     R(answers={"C3.2": "no"}),
     R(answers={"C3.2": "partial"})),
    ("G33", "no supervision",
     R(answers={"C4.8": "no"}),
     R(answers={"C4.8": "partial"})),
    ("G34", "no health relay",
     R(A("hospital", "health_hospital", dv_relay=False)),
     R(A("hospital", "health_hospital", dv_relay=True))),
    ("G34", "a forensic service's relay is not the doctors' / a relay in the hospital's own unit",
     R(A("gps", "health_primary_community", dv_relay=False), A("forensic", "health_forensic", dv_relay=True)),
     R(A("hospital", "health_hospital", dv_relay=False),
       A("unit", "health_forensic", parent="hospital", dv_relay=True))),
    ("G35", "programme referral without feedback",
     R(A("pros", "prosecution"), A("prog", "perpetrator_programme"), T("pros", "prog", "referral"), *HEARD),
     R(A("pros", "prosecution"), A("prog", "perpetrator_programme"), T("pros", "prog", "referral"),
       T("prog", "pros", "feedback"))),
    ("G36", "police without a victim service or relay",
     R(POLICE),
     R(POLICE, A("pvs", "police_victim_service"))),
]


@pytest.mark.parametrize(("gap", "what", "fires", "quiet"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule_fires_and_stays_quiet(gap: str, what: str, fires: Region, quiet: Region):
    assert gap in fired(fires), what
    assert gap not in fired(quiet), what


def test_every_rule_has_cases():
    assert {c[0] for c in CASES} == set(RULES)


def test_gap_rules_and_maturity_evidence_share_one_live_network():
    """``workbench.data.facts``: pilot agencies are live, pilot ties are not (except for G28's funding)."""
    from workbench.maturity.evidence import measure

    pilot_support = A("support", "victim_support", status="pilot")
    trial = R(POLICE, pilot_support, T("police", "support", "referral", status="pilot"))
    assert "G32" in fired(trial) and "G01" not in fired(trial)  # the pilot referral is not (yet) a route
    assert measure(trial, "c3_referral_feedback")["den"] == 0
    both = R(POLICE, pilot_support, T("police", "support", "referral"),
             T("support", "police", "feedback", status="pilot"))
    assert "G01" in fired(both)  # feedback on trial is not feedback today
    assert measure(both, "c3_referral_feedback")["num"] == 0
    planned = A("support", "victim_support", status="planned")
    assert "G01" not in fired(R(POLICE, planned, T("police", "support", "referral")))
    funding = R(A("city", "municipality"), SUPPORT, T("city", "support", "funding", status="pilot"))
    assert "G28" in fired(funding)


def test_unanswered_and_not_applicable_fire_nothing():
    assert not {i for i, g in GAPS.items() if g["detection"] == "answers"} & fired(R())
    assert "G04" not in fired(R(answers={"C5.3": "n/a"}))


def test_consensus_is_the_lower_middle_score_of_the_latest_round():
    two = Region(RegionInfo("xx-test", "Test", "BE"), assessment=(
        Answer("2025-a", "C5.3", "yes", "r1"),
        Answer("2026-b", "C5.3", "no", "r1"), Answer("2026-b", "C5.3", "partial", "r2")))
    g04 = {g.id: g for g in detect_gaps(two)}["G04"]
    assert g04.answers == ("C5.3",)
    assert g04.evidence == ("Self-assessment C5.3: “No” (round 2026-b, 2 rater(s)).",)
    assert "G04" not in fired(Region(RegionInfo("xx-test", "Test", "BE"), assessment=(
        Answer("2025-a", "C5.3", "no", "r1"), Answer("2026-b", "C5.3", "partial", "r1"))))


# ---------------------------------------------------------------------------
# Severity
# ---------------------------------------------------------------------------

def _gap(region: Region, gap_id: str, lang: str = "en") -> Gap:
    return {g.id: g for g in detect_gaps(region, lang)}[gap_id]


def test_severity_stays_at_base_without_a_reason():
    g = _gap(R(answers={"C5.3": "no"}), "G04")
    assert (g.base_severity, g.severity, g.severity_reasons) == ("medium", "medium", ())


def test_severity_rises_for_an_entry_point():
    g = _gap(R(POLICE, SUPPORT, T("police", "support", "referral"), *HEARD), "G01")
    assert (g.base_severity, g.severity) == ("low", "medium")
    assert g.severity_reasons == ("Raised one step: it involves an entry point (Police).",)


def test_severity_rises_for_an_unreached_group_and_stops_at_high():
    shelter = A("shelter", "shelter", excluded_groups="undocumented")
    g = _gap(R(shelter), "G06")
    assert (g.base_severity, g.severity) == ("medium", "high")
    assert "Undocumented" in g.severity_reasons[0] or "papers" in g.severity_reasons[0]
    assert _gap(R(answers={"C3.6": "no"}), "G01").severity == "low"
    assert _gap(R(POLICE), "G02").severity == "high"  # high base + unreached group stays high


def test_base_severity_follows_the_documented_rule():
    for gap_id, g in GAPS.items():
        step = (1 if len(g["characteristics"]) >= 2 else 0) + (1 if g["safety"] else 0)
        assert g["base_severity"] == SEVERITIES[step], gap_id


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def test_to_json_has_the_contract_keys():
    g = _gap(R(POLICE, SUPPORT, T("police", "support", "referral"), *HEARD), "G01")
    j = json.loads(json.dumps(g.to_json()))
    assert {k: j[k] for k in ("id", "characteristics", "severity", "agencies")} == {
        "id": "G01", "characteristics": ["C3"], "severity": "medium", "agencies": ["police", "support"]}
    assert j["ties"] == [{"source": "police", "target": "support", "type": "referral"}]
    assert j["actions"][0]["seeds"] and j["actions"][0]["recommendations"] == ["002.L30", "002.L29"]


def test_french_text_and_language_fallback():
    region = R(POLICE, SUPPORT, T("police", "support", "referral"), *HEARD)
    fr = _gap(region, "G01", "fr")
    assert fr.title == "Orientations sans retour vers l'envoyeur"
    assert fr.evidence == ("Police oriente des situations vers Support mais n'en reçoit aucun retour.",)
    assert fr.actions[0]["text"].startswith("Convenir d'un message de retour type")
    assert _gap(region, "G01", "tlh").title == "Referrals with no feedback to the referrer"


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_word_of_a_gap_comes_from_the_catalogue_in_every_language(lang: str):
    region = R(POLICE, SUPPORT, T("police", "support", "referral"), *HEARD)
    g = _gap(region, "G01", lang)
    assert g.title == i18n.text("gaps.G01.title", lang)
    assert g.description == i18n.text("gaps.G01.description", lang)
    assert g.evidence == (i18n.text("gaps.messages.no_feedback", lang, source="Police", target="Support"),)
    assert g.severity_reasons == (i18n.text("gaps.messages.raise_entry", lang, agencies="Police"),)
    assert [a["text"] for a in g.actions] == [i18n.text(f"gaps.G01.actions.{n}.text", lang)
                                              for n in range(1, len(g.actions) + 1)]
    assert g.actions[0]["monitoring"] == i18n.text("gaps.G01.actions.1.monitoring", lang)
    assert severity_label(g.severity, lang) == i18n.text(f"gaps.severity_labels.{g.severity}", lang)
    if lang in i18n.COMPLETE and lang != i18n.DEFAULT:  # translated: nothing left in English
        english = _gap(region, "G01", i18n.DEFAULT)
        assert g.title != english.title and g.evidence != english.evidence
        assert g.actions[0]["text"] != english.actions[0]["text"]


def test_needs_question_lists_the_undecidable_gaps():
    asked = needs_question("fr")
    assert [q["id"] for q in asked] == sorted(set(GAPS) - set(DETECTABLE))
    assert all(q["question"] and q["decided_by"] for q in asked)


# ---------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------

SEED = re.compile(r"^00[0-4]:\d+(-\d+)?$")


def test_catalogue_has_all_36_gaps_and_at_least_28_detectable():
    assert sorted(GAPS) == [f"G{i:02d}" for i in range(1, 37)]
    assert len(DETECTABLE) >= 28
    assert sorted(RULES) == DETECTABLE


def test_catalogue_entries_are_complete_and_use_known_ids():
    tax, rb = taxonomy(), rubric()
    horizons = set(tax.values("horizon"))
    for gap_id, g in GAPS.items():
        for key in ("title", "description"):
            assert i18n.text(f"gaps.{gap_id}.{key}").strip(), (gap_id, key)
        assert g["detection"] in ("rule", "answers", "needs_question"), gap_id
        assert g["characteristics"] and set(g["characteristics"]) <= set(rb.characteristics), gap_id
        assert set(g.get("context", [])) <= {f"X{i}" for i in range(1, 7)}, gap_id
        assert set(g["decided_by"]) <= set(rb.indicators), gap_id
        assert set(g["groups"]) <= set(tax.priority_groups), gap_id
        assert g["seeds"] and all(SEED.match(s) for s in g["seeds"]), gap_id
        if g["detection"] == "answers":
            assert g["decided_by"], gap_id
        at_most = g.get("params", {}).get("at_most")
        if at_most is not None:  # decided by answers alone: the thresholds name exactly the deciding indicators
            assert g["detection"] == "answers" and list(at_most) == g["decided_by"], gap_id
            assert RULES[gap_id] is answers_at_most and all(s in (0, 1, 2) for s in at_most.values()), gap_id
        elif gap_id in RULES:
            assert RULES[gap_id] is not answers_at_most, gap_id
        if g["detection"] == "needs_question":
            assert i18n.has(f"gaps.{gap_id}.question") and g["decided_by"], gap_id
        assert g["actions"], gap_id
        assert not i18n.has(f"gaps.{gap_id}.actions.{len(g['actions']) + 1}.text"), gap_id  # one key per action
        for n, act in enumerate(g["actions"], 1):
            for key in ("text", "monitoring"):
                assert i18n.text(f"gaps.{gap_id}.actions.{n}.{key}").strip(), (gap_id, n, key)
            assert act["horizon"] in horizons, gap_id
            assert act["owner_types"] and set(act["owner_types"]) <= set(tax.agency_types), gap_id
            assert all(SEED.match(s) for s in act["seeds"]), gap_id
            assert set(act["recommendations"]) <= set(CAT["recommendations"]), gap_id
            assert all(i18n.has(f"gaps.recommendations.{r}") for r in act["recommendations"]), gap_id
            assert act["seeds"] or act["recommendations"], gap_id


def test_rule_parameters_name_known_types_and_groups():
    tax = taxonomy()
    types, groups = set(tax.agency_types), set(tax.priority_groups)
    tie_keys = {"sharing_types", "route_types", "skip_types"}
    for gap_id, g in GAPS.items():
        for key, value in g.get("params", {}).items():
            if key in tie_keys:
                assert set(value) <= set(tax.relationship_types), (gap_id, key)
            elif key.endswith("_types"):
                assert set(value) <= types, (gap_id, key)
            if key == "sides":
                assert all(set(side) <= types for side in value), gap_id
            if key in ("group", "groups"):
                assert set([value] if isinstance(value, str) else value) <= groups, gap_id


def test_every_message_a_rule_writes_is_in_the_catalogue():
    written = set(re.findall(r'note\(\s*"(\w+)"', "".join(
        (ROOT / "workbench" / "roadmap" / "gaps" / f"rules_c{i}.py").read_text(encoding="utf-8")
        for i in range(1, 6))))
    assert len(written) > 20
    for key in written | {"answer", "raise_group", "raise_entry"}:
        assert i18n.has(f"gaps.messages.{key}"), key


def test_the_gap_catalogue_file_holds_no_prose():
    text = (ROOT / "workbench" / "resources" / "gaps.toml").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"^\s*\w+_(en|fr)\s*=", body, re.M)
    assert not re.search(r"^\s*(en|fr)\s*=", body, re.M)
    assert "[messages" not in body and "[role_labels" not in body and "[severity_labels" not in body
    # ids, types and seeds only; G28's keywords are what its rule looks for in the region's notes, not words it shows
    strings = re.findall(r'"([^"]*)"', "\n".join(ln for ln in body.splitlines() if not ln.startswith("keywords")))
    assert strings and not [s for s in strings if " " in s]


def test_every_rule_documents_its_thresholds():
    for gap_id, fn in RULES.items():
        assert fn.__doc__ and len(fn.__doc__.split()) >= 8, gap_id


def test_docs_page_covers_every_gap():
    text = (ROOT / "docs" / "gap-rules.md").read_text(encoding="utf-8")
    for gap_id in GAPS:
        assert f"**{gap_id}**" in text, gap_id


# ---------------------------------------------------------------------------
# The example and reference regions
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("folder", REGIONS, ids=[p.name for p in REGIONS])
def test_detect_gaps_runs_on_every_example_region(folder: Path):
    region = load_region(folder)
    for lang in (i18n.DEFAULT, i18n.supported(region.info.language)):
        gaps = detect_gaps(region, lang)
        assert [g.id for g in gaps] == sorted({g.id for g in gaps})
        for g in gaps:
            assert g.severity in SEVERITIES and g.evidence, g.id
            assert set(g.agencies) <= set(region.by_id), g.id
            json.dumps(g.to_json())


# What the framework says each reference dataset should fire, minus what the
# data cannot show: HAIP's G25 is about youth-welfare notifications that are
# missed in practice (a compliance figure, not a missing tie) and G30 needs a
# question.
REFERENCE = {
    "de-hanover-haip": {"G01", "G04", "G13", "G31"},
    "at-vienna-marac": {"G01", "G08", "G10", "G13", "G18", "G19", "G20", "G21", "G23"},
    # G09 (DASH misses coercive control) is no longer shown: nobody tagged with non-physical abuse is a check
    "gb-scotland-division": {"G11", "G13", "G14", "G15", "G23"},
}


@pytest.mark.parametrize("region_id", sorted(REFERENCE))
def test_reference_regions_fire_what_the_case_studies_describe(region_id: str):
    region = load_region(ROOT / "data" / "reference" / region_id)
    assert REFERENCE[region_id] <= {g.id for g in detect_gaps(region)}


# ---------------------------------------------------------------------------
# Basis and checks (issue 14 point 2, data contract 1.1)
# ---------------------------------------------------------------------------

def checks(region: Region, lang: str = "en") -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in detect_checks(region, lang)}


@pytest.mark.parametrize(("gap", "region", "agencies"), [
    ("G05", R(POLICE), []),
    ("G09", R(A("support", "victim_support", target_groups="dv_victims_general")), []),
    ("G26", R(POLICE), []),
    ("G27", R(POLICE), []),
    ("G28", R(SUPPORT, CASE, member("support")), ["support"]),
    ("G08", R(POLICE, SUPPORT), ["police", "support"]),  # no shared_instrument recorded anywhere
    ("G08", R(POLICE, SUPPORT, A("youth", "child_protection"), T("youth", "police", "shared_instrument")),
     ["police", "support", "youth"]),  # victim support's tool is not recorded: both its pairs are asked
    ("G02", R(A("prog", "perpetrator_programme")), ["prog"]),  # nobody on the map who would refer
    ("G34", R(A("hospital", "health_hospital")), ["hospital"]),  # whether it has a relay is not recorded
    ("G13", R(POLICE, CASE), ["marac"]),  # who sits at the case conference is not recorded
])
def test_an_absent_tag_is_a_check_never_a_gap(gap: str, region: Region, agencies: list[str]):
    c = checks(region)[gap]
    assert c["agencies"] == agencies
    assert c["question"] == i18n.text(f"gaps.{gap}.check", "en") and "?" in c["question"]
    assert gap not in fired(region)
    assert checks(region, "fr")[gap]["question"] != c["question"]


def test_a_recorded_signal_leaves_no_check():
    served = R(POLICE, A("rural", "social_services", target_groups=("rural_isolated", "elderly")))
    assert not {"G26", "G27"} & set(checks(served))
    funded = R(A("city", "municipality"), SUPPORT, CASE, member("support"), T("city", "support", "funding"))
    assert "G28" not in checks(funded) and "G28" not in fired(funded)


def test_basis_says_what_shows_the_gap():
    evidence = _gap(R(POLICE, SUPPORT, T("police", "support", "referral"), *HEARD), "G01")
    answers = _gap(R(answers={"C3.6": "no"}), "G01")
    both = _gap(R(POLICE, SUPPORT, T("police", "support", "referral"), *HEARD, answers={"C3.6": "no"}), "G01")
    assert (evidence.basis, answers.basis, both.basis) == ("evidence", "answers", "both")
    assert both.to_json()["basis"] == "both" and set(BASES) == {"evidence", "answers", "both"}


def test_severity_follows_basis_both_above_either_alone():
    referral = (A("pros", "prosecution"), SUPPORT, T("pros", "support", "referral"), *HEARD)  # no entry point named
    alone = _gap(R(answers={"C3.6": "no"}), "G01")
    evidence = _gap(R(*referral), "G01")
    both = _gap(R(*referral, answers={"C3.6": "no"}), "G01")
    assert (alone.basis, evidence.basis, both.basis) == ("answers", "evidence", "both")
    assert (alone.severity, evidence.severity, both.severity) == ("low", "low", "medium")
    assert both.severity_reasons == ("Raised one step: both the network data and the self-assessment show it.",)


def test_case_channels_count_for_feedback_rules():
    pros, prog = A("pros", "prosecution"), A("prog", "perpetrator_programme")
    duty = R(POLICE, pros, T("police", "pros", "statutory_duty"), *HEARD)
    assert "G24" in fired(duty)
    assert "G24" not in fired(R(POLICE, pros, T("police", "pros", "statutory_duty"), T("pros", "police", "feedback")))
    sharing = R(POLICE, SUPPORT, T("police", "support", "information_sharing", legal_basis="high_risk_exception"),
                *HEARD)
    assert "G01" in fired(sharing)
    general = T("police", "support", "information_sharing", legal_basis="agreement")  # not about one case
    assert "G01" not in fired(R(POLICE, SUPPORT, general, *HEARD))
    assert "G35" in fired(R(pros, prog, T("pros", "prog", "statutory_duty"), *HEARD))


def test_feedback_rules_ask_where_the_region_records_no_feedback_at_all():
    """G01, G24, G35: a missing feedback tie is a finding only where the region maps feedback somewhere."""
    pros, prog = A("pros", "prosecution"), A("prog", "perpetrator_programme")
    silent = R(POLICE, SUPPORT, pros, prog, T("police", "support", "referral"), T("police", "pros", "referral"),
               T("pros", "prog", "referral"))
    assert not {"G01", "G24", "G35"} & fired(silent)
    assert checks(silent)["G01"]["agencies"] == ["police", "prog", "pros", "support"]
    assert checks(silent)["G24"]["agencies"] == ["police", "pros"]
    assert checks(silent)["G35"]["agencies"] == ["prog", "pros"]
    mapped = R(*silent.agencies, *silent.relationships, *HEARD)
    assert {"G01", "G24", "G35"} <= fired(mapped) and not {"G01", "G24", "G35"} & set(checks(mapped))
    # the answer still shows it
    assert "G01" in fired(R(*silent.agencies, *silent.relationships, answers={"C3.6": "no"}))


def test_forum_rules_say_not_recorded_rather_than_missing():
    """G11 and G19: a case conference whose roles or cadence are not recorded gets a check, not a gap."""
    silent = R(POLICE, CASE, member("police"))
    assert {"G11", "G19"} <= set(checks(silent)) and not {"G11", "G19"} & fired(silent)
    assert checks(silent)["G11"]["agencies"] == ["marac"]
    monthly = R(POLICE, CASE, member("police", role="member", frequency="monthly"))
    assert {"G11", "G19"} <= fired(monthly) and not {"G11", "G19"} & set(checks(monthly))


def test_a_declined_seat_is_an_absent_partner_not_blocked_sharing():
    declined = R(A("judges", "court_family"), CASE, member("judges", attendance="declined"))
    assert "G13" in fired(declined) and "G10" not in fired(declined)


def test_units_of_a_police_organisation_with_a_relay_are_routed_inside_their_family():
    org = A("police", "police", dv_relay=True)
    unit = A("patrol", "police", parent="police")
    assert "G16" not in fired(R(org, unit))
    assert "G16" in fired(R(A("police", "police"), unit, A("dv-team", "police", dv_relay=True)))


def test_contract_1_1_columns_feed_the_rules():
    """G28 reads ``temporary``, G32 a referral's ``mode``, G19 a forum's own ``frequency``; empty means not recorded."""
    city = A("city", "municipality")
    assert "G28" in fired(R(city, SUPPORT, T("city", "support", "funding", temporary=True)))
    lasting = R(city, SUPPORT, T("city", "support", "funding", temporary=False, notes="project line renewed"))
    assert "G28" not in fired(lasting)
    signpost = R(POLICE, SUPPORT, T("police", "support", "referral", mode="signpost"))
    assert "G32" in fired(signpost)
    assert "G32" not in fired(R(POLICE, SUPPORT, T("police", "support", "referral", mode="proactive")))
    assert "G32" not in fired(R(POLICE, SUPPORT, T("police", "support", "referral")))
    monthly = R(POLICE, A("marac", "forum_case_victim_risk", frequency="monthly"), member("police", role="member"))
    weekly = R(POLICE, A("marac", "forum_case_victim_risk", frequency="weekly"), member("police", role="member"))
    assert "G19" in fired(monthly) and "G19" not in fired(weekly) and "G19" not in checks(weekly)
