"""Scoring rules on constructed answer sets, round comparison and the assessment table."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from workbench import i18n
from workbench.data import Answer, Region, RegionInfo, load_region
from workbench.errors import WorkbenchError
from workbench.maturity import assess_region, compare_rounds, format_table, score_region
from workbench.maturity.scoring import (
    CHARACTERISTICS,
    consensus,
    indicators_of,
    level_from_scores,
    score_indicator,
)
from workbench.taxonomy import rubric

from .conftest import ROOT

ALL = [i for c in CHARACTERISTICS for i in indicators_of(c)]


def region(answers, rid: str = "xx-a") -> Region:
    return Region(RegionInfo(rid, "A", "BE"), assessment=tuple(answers))


def answers(score: str, raters=("police", "ngo", "health"), rnd: str = "2025",
            ids=ALL) -> list[Answer]:
    return [Answer(rnd, i, score, r) for i in ids for r in raters]


def levels(r: Region, rnd: str | None = None) -> dict[str, int | None]:
    return {c: s["level"] for c, s in score_region(r, rnd)["characteristics"].items()}


def test_all_absent_gives_0_and_all_full_gives_4():
    assert set(levels(region(answers("0"))).values()) == {0}
    assert set(levels(region(answers("2"))).values()) == {4}


def test_answer_words_score_like_numbers():
    words = []
    for i in ALL:
        spec = rubric().indicators[i]
        best = spec["answers"][list(spec.get("scores", [0, 1, 2])).index(2)]
        words += [Answer("2025", i, best, r) for r in ("a", "b")]
    assert set(levels(region(words)).values()) == {4}


def test_missing_data_gives_null():
    assert set(levels(region([])).values()) == {None}
    # three of eight C2 indicators answered: fewer than half
    r = region(answers("2", ids=indicators_of("C2")[:3]))
    c2 = score_region(r)["characteristics"]["C2"]
    assert c2["level"] is None and c2["confidence"]["label"] == "insufficient"
    # exactly half is enough
    assert levels(region(answers("2", ids=indicators_of("C2")[:4])))["C2"] is not None


def test_na_is_not_an_answer():
    r = region(answers("n/a", ids=indicators_of("C4")))
    s = score_region(r)["characteristics"]["C4"]
    assert s["level"] is None
    assert {v["status"] for v in s["indicators"].values()} == {"n/a"}
    # n/a next to a score: the score stands alone
    one = score_indicator("C4.1", [Answer("r", "C4.1", "n/a", "a"), Answer("r", "C4.1", "0", "b")])
    assert one["consensus"] == 0 and not one["disagreement"]


def test_rater_conflict_is_flagged():
    ans = answers("1", ids=indicators_of("C3"))
    ans += [Answer("2025", "C3.6", "2", "x"), Answer("2025", "C3.6", "0", "y")]
    ans = [a for a in ans if a.indicator != "C3.6" or a.rater in ("x", "y", "police")]
    c3 = score_region(region(ans))["characteristics"]["C3"]
    assert c3["disagreements"] == ["C3.6"]
    ind = c3["indicators"]["C3.6"]
    assert ind["spread"] == 2 and ind["disagreement"] and ind["consensus"] == 1
    # a spread of one is not a disagreement
    assert not score_indicator("C3.6", [Answer("r", "C3.6", "1", "a"),
                                        Answer("r", "C3.6", "2", "b")])["disagreement"]


def test_consensus_is_the_lower_median():
    assert consensus([0, 2]) == 0
    assert consensus([1, 2, 2, 0]) == 1
    assert consensus([2, 2, 0]) == 2
    assert consensus([]) is None


def test_share_rounding_and_anchors():
    ids = indicators_of("C2")
    # share 0.5 → level 2
    assert level_from_scores("C2", dict.fromkeys(ids, 1))[0] == 2
    # a single partial answer among absences is level 1, not 0
    assert level_from_scores("C2", {**dict.fromkeys(ids, 0), "C2.8": 1})[0] == 1
    # 7 of 8 fully met and one absent: share 0.875 but an absence forbids level 4
    assert level_from_scores("C2", {**dict.fromkeys(ids, 2), "C2.8": 0})[0] == 3
    # 7 fully met and one partial is level 4
    assert level_from_scores("C2", {**dict.fromkeys(ids, 2), "C2.8": 1})[0] == 4


def test_key_indicators_hold_a_level_back():
    ids = indicators_of("C3")
    # share 0.75 → 3, but the written protocol (C3.1) is absent: level 3 not reached
    scores = {**dict.fromkeys(ids, 2), "C3.1": 0, "C3.3": 1, "C3.8": 1, "C3.7": 1}
    level, steps = level_from_scores("C3", scores)
    assert level == 2 and any("C3.1" in s for s in steps)
    # keys are checked from the top down; with something in place the level stays >= 1
    level, steps = level_from_scores("C5", {**dict.fromkeys(indicators_of("C5"), 2), "C5.1": 0})
    assert level == 1 and "level 2 needs C5.1 at least partly met → level 1" in steps


def test_key_indicators_fully_met_lift_a_level():
    # Vienna's C1: one written group with a selection tool, nothing else
    scores = {"C1.1": 2, "C1.2": 2, "C1.3": 1, "C1.4": 0, "C1.5": 0, "C1.6": 0, "C1.7": 0}
    level, steps = level_from_scores("C1", scores)
    assert level == 2 and steps[-1].endswith("level 2")


def test_unanswered_keys_neither_block_nor_lift():
    ids = [i for i in indicators_of("C3") if i != "C3.1"]
    assert level_from_scores("C3", dict.fromkeys(ids, 2))[0] == 4


def test_latest_round_by_default_and_rounds_are_not_mixed():
    r = region(answers("0", rnd="2025-baseline") + answers("2", rnd="2026-review"))
    assert score_region(r)["round"] == "2026-review"
    assert set(levels(r).values()) == {4}
    assert set(levels(r, "2025-baseline").values()) == {0}


def test_confidence_counts_coverage_and_raters():
    full = score_region(region(answers("1")))["characteristics"]["C5"]["confidence"]
    assert full == {"label": "high", "answered": 8, "indicators": 8, "coverage": 1.0,
                    "raters": 3, "mean_raters": 3.0}
    one = score_region(region(answers("1", raters=("solo",))))["characteristics"]["C5"]
    assert one["confidence"]["label"] == "medium"
    thin = score_region(region(answers("1", raters=("solo",), ids=indicators_of("C5")[:5])))
    assert thin["characteristics"]["C5"]["confidence"]["label"] == "low"


def test_unnamed_raters_are_one_rater():
    s = score_indicator("C1.1", [Answer("r", "C1.1", "written")])
    assert s["raters"] == {"(unnamed)": 2} and s["consensus"] == 2


def test_compare_rounds_levels_moves_and_new_disagreements():
    old = answers("1", rnd="2025")
    new = answers("2", rnd="2026")
    new = [a for a in new if not (a.indicator == "C4.2" and a.rater == "ngo")]
    new.append(Answer("2026", "C4.2", "0", "ngo"))
    c = compare_rounds(region(old + new), "2025", "2026")
    assert c["characteristics"]["C1"] == {"old": 2, "new": 4, "change": 2}
    assert c["characteristics"]["C4"]["new"] == 4  # C4.2's consensus is 2 (0, 2, 2)
    assert c["new_disagreements"] == ["C4.2"] and c["resolved_disagreements"] == []
    assert {m["indicator"] for m in c["moved"]} == set(ALL)
    back = compare_rounds(region(old + new), "2026", "2025")
    assert back["resolved_disagreements"] == ["C4.2"]


def test_compare_rounds_indicator_answered_in_one_round_only():
    c = compare_rounds(region(answers("1", rnd="a", ids=["C1.1"]) + answers("2", rnd="b", ids=["C1.2"])),
                       "a", "b")
    moved = {m["indicator"]: m for m in c["moved"]}
    assert moved["C1.1"] == {"indicator": "C1.1", "old": 1, "new": None, "change": None}
    assert c["characteristics"]["C1"]["change"] is None


def test_compare_rounds_unknown_round_is_a_clear_error():
    with pytest.raises(WorkbenchError, match="no assessment round '2030'"):
        compare_rounds(region(answers("1", rnd="2025")), "2025", "2030")


def test_assess_region_is_json_ready_for_every_example():
    for folder in sorted((ROOT / "data" / "partners").iterdir()):
        result = assess_region(load_region(folder))
        assert list(result) == list(CHARACTERISTICS)
        json.dumps(result, allow_nan=False)
        for c, r in result.items():
            assert r["level"] is None or r["level"] in range(5)
            assert {"confidence", "evidence", "conflicts", "indicators", "round"} <= set(r)
            assert r["evidence"]["measures"], c


def test_format_table_languages():
    r = load_region(ROOT / "data" / "partners" / "be-hainaut")
    result = assess_region(r)
    en = format_table(result, "en", r.name)
    fr = format_table(result, "fr", r.name)
    assert en.startswith("Maturity assessment: Hainaut") and "(round 2026-review)" in en
    assert "C3 Information sharing and use" in en and "One-way channel" in en
    assert fr.startswith("Évaluation de maturité") and "Canal à sens unique" in fr
    assert format_table(result, "xx") == en.replace(en.splitlines()[0] + "\n\n", "")  # unknown: English
    for lang in i18n.LANGUAGES:  # every language: its own words, the conflicts assessed in it
        table = format_table(assess_region(r, lang=lang), lang, r.name)
        title = i18n.text("maturity.text.title", lang, region=r.name, round="2026-review")
        assert table.startswith(title), lang
        assert f"C3 {rubric().name('C3', lang)}" in table and rubric().level_label("C3", 2, lang) in table, lang
        assert i18n.text("maturity.text.characteristic", lang) in table.splitlines()[2], lang


def test_speed_all_examples_under_one_second():
    regions = [load_region(p) for p in sorted(Path(ROOT / "data" / "partners").iterdir())]
    assess_region(regions[0])  # warm caches (rubric, taxonomy, maturity.toml)
    t0 = time.perf_counter()
    for r in regions:
        assess_region(r)
    assert time.perf_counter() - t0 < 1.0
