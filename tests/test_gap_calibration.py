"""Calibration of the gap rules on the study's own cases (issue 14, points 4 and 5).

``tests/fixtures/reference_expectations.toml`` says, per reference region, which gaps
must fire, which must not and where each maturity level must land. The test below
asserts exactly which of those expectations do NOT hold today (:data:`NOT_HOLDING`),
so that a rule change that breaks one that holds fails, and so does one that mends
one listed here (then move it out of the list). The reasons are in the comments.
"""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest

from workbench import api
from workbench.paths import examples_dir, reference_dir
from workbench.roadmap.gaps import RULES

from .conftest import ROOT

EXPECTATIONS = ROOT / "tests" / "fixtures" / "reference_expectations.toml"
REFERENCE = sorted(p for p in reference_dir().iterdir() if (p / "region.toml").is_file())
EXAMPLES = sorted(p for p in examples_dir().iterdir() if (p / "region.toml").is_file())

#: (region, kind, gap or characteristic) expectations that do not hold today, with why.
NOT_HOLDING = {
    # The data records no fact the rule reads: the weakness is in the study's prose only.
    ("at-hospital-protection-groups", "must_fire", "G12"),  # too few ties with a stated formality (min_ties)
    ("fr-embedded-social-workers", "must_fire", "G12"),  # idem
    ("de-berlin-big", "must_fire", "G14"),  # turnover is answered (C4.6 partial), the rule fires on C4.6 = 0 only
    ("fi-dv-investigation-team", "must_fire", "G14"),  # idem: turnover is not a lead-role concentration
    ("de-berlin-big", "must_fire", "G29"),  # no partner is recorded in four or more forums
    ("de-hanover-haip", "must_fire", "G34"),  # the medical network is recorded with a relay (dv_relay yes)
    ("gb-scotland-division", "must_fire", "G09"),  # nobody tagged non_physical_abuse: a check now, not a gap
    # G24: the justice sector gets no case channel in these regions' data, or answers it.
    ("fi-dv-investigation-team", "must_fire", "G24"),  # prosecutors do give feedback (004:2157-2161)
    ("pt-oeste-gavvd", "must_fire", "G24"),  # no referral or statutory report to prosecution is recorded
    ("si-ljubljana-perpetrator-programme", "must_fire", "G24"),  # justice refers out (G35), receives nothing
    # Fires on evidence the expectation's reading does not see.
    ("de-berlin-big", "must_not_fire", "G08"),  # the Campbell agreement is not recorded as a shared_instrument tie
    ("de-hanover-haip", "must_not_fire", "G11"),  # the high-risk conference's members are all plain `member`
    ("fr-embedded-social-workers", "must_not_fire", "G32"),  # no police referral to a victim service is recorded
    ("hu-crisis-ambulance", "must_not_fire", "G02"),  # no case channel reaches the Crisis Ambulance from a referrer
    ("si-ljubljana-perpetrator-programme", "maturity", "C3"),  # C3 lands at 2 on the answers, range 3-4
}


def _expectations() -> dict[str, dict]:
    with EXPECTATIONS.open("rb") as fh:
        return tomllib.load(fh)["regions"]


@pytest.fixture(scope="module")
def analyses() -> dict[str, dict]:
    return {p.name: api.analyse(p) for p in REFERENCE + EXAMPLES}


def _not_holding(analyses: dict[str, dict]) -> set[tuple[str, str, str]]:
    out = set()
    for region, spec in _expectations().items():
        result = analyses[region]
        fired = {g["id"] for g in result["gaps"]}
        out |= {(region, "must_fire", e["gap"]) for e in spec.get("must_fire", []) if e["gap"] not in fired}
        out |= {(region, "must_not_fire", e["gap"]) for e in spec.get("must_not_fire", []) if e["gap"] in fired}
        for c, rng in spec.get("maturity", {}).items():
            level = result["maturity"][c]["level"]
            ok = rng.get("null_ok", False) if level is None else rng["min"] <= level <= rng["max"]
            if not ok:
                out.add((region, "maturity", c))
    return out


def test_exactly_the_listed_expectations_do_not_hold(analyses: dict[str, dict]):
    got = _not_holding(analyses)
    assert got - NOT_HOLDING == set(), "expectations that held before and fail now"
    assert NOT_HOLDING - got == set(), "expectations that hold now: take them out of NOT_HOLDING"


def test_no_rule_fires_on_every_reference_region(analyses: dict[str, dict]):
    counts = Counter(g["id"] for p in REFERENCE for g in analyses[p.name]["gaps"])
    everywhere = Counter(g["id"] for p in REFERENCE + EXAMPLES for g in analyses[p.name]["gaps"])
    print(f"\nPer rule: regions it fires on ({len(REFERENCE)} reference, {len(REFERENCE) + len(EXAMPLES)} in all)")
    for gap_id in sorted(RULES):
        print(f"  {gap_id}  reference {counts[gap_id]:2d}/{len(REFERENCE)}  all {everywhere[gap_id]:2d}/"
              f"{len(REFERENCE) + len(EXAMPLES)}")
    assert len(REFERENCE) == 11 and len(EXAMPLES) == 8
    assert [g for g, n in counts.items() if n == len(REFERENCE)] == []


def test_checks_are_questions_never_gaps(analyses: dict[str, dict]):
    for name, result in analyses.items():
        gap_ids = {g["id"] for g in result["gaps"]}
        for check in result["checks"]:
            assert set(check) == {"id", "question", "agencies"}, name
            assert "?" in check["question"] and check["id"] in RULES, name
        for gap in result["gaps"]:
            assert gap["basis"] in ("evidence", "answers", "both"), (name, gap["id"])
            assert gap["basis"] != "answers" or gap["answers"], (name, gap["id"])
        assert gap_ids  # every region shows something to work on


def test_too_few_answers_show_what_the_network_evidence_alone_suggests(analyses: dict[str, dict]):
    """Point 6: the JSON keeps ``level: null``; the documents add the evidence band, labelled as such."""
    from workbench.data import load_region
    from workbench.roadmap.content import evidence_band, level_text
    from workbench.roadmap.document import build_roadmap

    folder = reference_dir() / "pt-oeste-gavvd"
    c1 = analyses[folder.name]["maturity"]["C1"]
    assert c1["level"] is None and c1["evidence"]["band"]
    band = evidence_band(c1["evidence"]["band"])
    rm = build_roadmap(load_region(folder), lang="en")
    assert level_text(rm, "C1") == f"not enough answers (network evidence alone suggests level {band})"
    assert build_roadmap(load_region(folder), lang="fr").maturity["C1"]["level"] is None
    assert level_text(rm, "C2").startswith(str(rm.maturity["C2"]["level"]))
