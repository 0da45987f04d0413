"""The partner survey: workbooks made, filled as partners would, collected and merged."""

from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from workbench.data import load_region
from workbench.data.store import RegionStore
from workbench.survey import collect, collect_files, merge_round, survey_block, write_all
from workbench.survey.workbook import SPARE_ROWS, TIES_HEADER, survey_workbook_bytes

from .conftest import snapshot
from .test_cli_data import LINE, wb

SECTOR_TYPES = ["police", "victim_support", "shelter", "health_hospital", "social_services", "prosecution"]
DIRECTED = ("referral", "information_sharing")


def make_region(folder: Path, n: int = 18, seed: int = 3) -> Path:
    """A region of ``n`` organisations in six sectors, one forum, and a random tie set (its 'truth')."""
    folder.mkdir(parents=True)
    (folder / "region.toml").write_text('id = "xx-survey"\nname = "Survey test"\ncountry = "BE"\nlanguage = "en"\n')
    rows = ["id,name,type,status"] + [f"o{i:02d},Org {i},{SECTOR_TYPES[i % 6]},active" for i in range(n)]
    rows += ["forum,Case forum,forum_case_victim_risk,active", "gone,Closed office,police,discontinued"]
    (folder / "agencies.csv").write_text("\n".join(rows) + "\n")
    (folder / "relationships.csv").write_text("source,target,type,frequency\n")
    return folder


def truth(n: int, seed: int) -> set[tuple[str, str, str]]:
    rng = random.Random(seed)
    ids = [f"o{i:02d}" for i in range(n)]
    ties = set()
    for a in ids:
        for b in ids:
            if a < b and rng.random() < 0.3:
                kind = rng.choice([*DIRECTED, "informal_tie"])
                if kind == "informal_tie":
                    ties.add((a, b, kind))
                else:
                    ties.add((a, b, kind) if rng.random() < 0.5 else (b, a, kind))
                    if rng.random() < 0.3:
                        ties.add((b, a, kind) if (a, b, kind) in ties else (a, b, kind))
    return ties


def fill(data: bytes, answers: list[dict[str, object]], role: str = "coordinator") -> bytes:
    """Fill a survey workbook as a partner would: the roster row first, then rows added at the bottom."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["ties"]
    rows = {ws.cell(i, 1).value: i for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value}
    spare = max(rows.values(), default=1) + 1
    for ans in answers:
        i = rows[ans["partner"]]
        if ws.cell(i, 4).value:
            i, spare = spare, spare + 1
            ws.cell(i, 1).value = ans["partner"]
        for j, col in enumerate(TIES_HEADER, start=1):
            if col in ans and col != "partner":
                ws.cell(i, j).value = ans[col]
    book["about"]["B3"] = role
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_workbook_as_the_contract_says(tmp_path: Path):
    region = load_region(make_region(tmp_path / "xx-survey"))
    paths = write_all(region, tmp_path / "out", "fr")
    assert sorted(p.name for p in paths) == [f"o{i:02d}.xlsx" for i in range(18)]
    book = openpyxl.load_workbook(paths[0])
    assert book.sheetnames[:3] == ["instructions", "ties", "about"] and book["lists"].sheet_state == "hidden"
    assert "Enquête TACTICS" in book["instructions"]["A1"].value
    ws = book["ties"]
    assert tuple(c.value for c in ws[1]) == TIES_HEADER
    roster = [(ws.cell(i, 1).value, ws.cell(i, 2).value) for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value]
    assert roster == [("forum", "Case forum")] + [(f"o{i:02d}", f"Org {i}") for i in range(1, 18)]
    assert all(ws.cell(i, j).value is None for i in range(2, 20) for j in range(3, 9))
    assert ws.freeze_panes == "A2" and ws.protection.sheet
    assert ws.cell(2, 1).protection.locked and ws.cell(2, 2).protection.locked
    assert not ws.cell(2, 3).protection.locked and not ws.cell(20, 1).protection.locked
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(lists) == set("ACDEFGH")  # partner (added rows), direction, type, frequency, formality, trust, value
    assert lists["G"] == lists["H"]
    ratings = book["lists"]
    col = next(c for c in ratings[1] if c.value == "rating").column
    assert [ratings.cell(i, col).value for i in range(2, 6)] == ["1", "2", "3", "4"]
    assert all(ws.cell(1, j).comment for j in range(1, 9))
    about = {r[0]: r[1] for r in book["about"].iter_rows(min_row=2, values_only=True)}
    assert about == {"agency": "o00", "respondent_role": None, "region": "xx-survey"}
    assert not book["about"]["B3"].protection.locked and book["about"]["B2"].protection.locked
    assert str(next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref)[0] == "A").sqref) \
        == f"A20:A{19 + SPARE_ROWS}"


def simulate(folder: Path, returned: Path, seed: int = 3, n: int = 18):
    """Every partner answers from the truth with noise; some do not answer; some contradict.

    Returns what the merge must find, computed here without the workbench's merge.
    """
    rng = random.Random(seed + 1)
    region = load_region(folder)
    ties = truth(n, seed)
    ids = [f"o{i:02d}" for i in range(n)]
    silent = set(rng.sample(ids, 4))
    answered = [a for a in ids if a not in silent]
    reports: dict[str, set[tuple[str, str, str]]] = {a: set() for a in answered}  # arcs as relationships.csv keys
    freq: dict[tuple[str, str, str], str] = {}
    returned.mkdir()
    for a in answered:
        mine = {t for t in ties if a in t[:2]}
        if rng.random() < 0.8:
            mine -= {next(iter(sorted(mine)))} if mine else set()  # forgets one tie
        if rng.random() < 0.3:
            b = rng.choice([x for x in ids if x != a])
            mine.add((a, b, "referral"))  # imagines one
        by_partner: dict[tuple[str, str], set[str]] = {}
        for s, t, k in mine:
            other = t if s == a else s
            by_partner.setdefault((other, k), set()).add("to" if s == a else "from")
        answers = []
        rating = {p: (rng.randint(1, 4), rng.randint(1, 4)) for p, _ in by_partner}
        for (p, k), dirs in sorted(by_partner.items()):
            direction = "both" if len(dirs) == 2 else dirs.pop()
            f = rng.choice(["monthly", "weekly"])
            answers.append({"partner": p, "type": k, "direction": None if k == "informal_tie" else direction,
                            "frequency": f, "trust": rating[p][0], "value": rating[p][1]})
            freq[(a, p, k)] = f
            if k == "informal_tie":
                reports[a].add((min(a, p), max(a, p), k))
            else:
                for d in ("to", "from"):
                    if direction in (d, "both"):
                        reports[a].add((a, p, k) if d == "to" else (p, a, k))
        # Ratings the test expects: per partner, one value per respondent.
        data = survey_workbook_bytes(region, region.by_id[a])
        (returned / f"{a}.xlsx").write_bytes(fill(data, answers))
    book_answers = {a: [] for a in answered}
    for a in answered:
        ws = openpyxl.load_workbook(returned / f"{a}.xlsx")["ties"]
        for row in ws.iter_rows(min_row=2, values_only=True):
            if row[3]:
                book_answers[a].append(dict(zip(TIES_HEADER, row, strict=True)))
    expected: dict[str, object] = {"answered": answered, "rate": len(answered) / n}
    status = {}
    for a, arcs in reports.items():
        for s, t, k in arcs:
            other = t if s == a else s
            if (s, t, k) in reports.get(other, set()):
                status[(s, t, k)] = "confirmed"
            else:
                status.setdefault((s, t, k), "one_sided" if other in reports else "unconfirmed")
    expected["status"] = status
    contradictions = set()
    for (a, p, k), f in freq.items():
        if (p, a, k) in freq and a < p:
            mine = {x for x in reports[a] if {x[0], x[1]} == {a, p} and x[2] == k}
            theirs = {x for x in reports[p] if {x[0], x[1]} == {a, p} and x[2] == k}
            if freq[(p, a, k)] != f or mine != theirs:
                contradictions.add((a, p, k))
    expected["contradictions"] = contradictions
    trust: dict[str, list[int]] = {}
    for rows in book_answers.values():
        for partner, rating in {r["partner"]: r["trust"] for r in rows}.items():
            trust.setdefault(partner, []).append(rating)
    expected["trust"] = {p: (sum(v) / len(v), len(v)) for p, v in trust.items()}
    expected["silent"] = silent
    return expected


def test_simulated_survey_merge_is_what_the_simulation_implies(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey")
    expected = simulate(folder, tmp_path / "back")
    collected, merge, added = collect(folder, tmp_path / "back", "2026-sim")
    assert not collected.problems and added == []
    assert list(merge.answered) == expected["answered"]
    assert merge.response_rate == pytest.approx(expected["rate"])
    status = expected["status"]
    assert {k: v["status"] for k, v in merge.ties.items()} == status
    for s in ("confirmed", "one_sided", "unconfirmed"):
        assert merge.count(s) == sum(1 for v in status.values() if v == s) and merge.count(s) > 0, s
    found = {(*c["agencies"], c["type"]) for c in merge.contradictions}
    assert found == expected["contradictions"] and found
    assert {p: v["count"] for p, v in merge.trust.items()} == {p: c for p, (_, c) in expected["trust"].items()}
    assert {p: v["mean"] for p, v in merge.trust.items()} == pytest.approx(
        {p: m for p, (m, _) in expected["trust"].items()})
    # The region as saved says the same: survey.csv is part of the region.
    region = load_region(folder)
    block = survey_block(region)
    assert block["round"] == "2026-sim" and block["confirmed"] == merge.count("confirmed")
    assert block["trust"] == pytest.approx({p: m for p, (m, _) in expected["trust"].items()})
    assert block["warning"] is None  # 14 of 18 answered, every sector answered
    assert set(block["not_answered"]) == expected["silent"]
    # Every tie is new to the empty relationships.csv; apply adds them all, once.
    assert sorted(block["new_ties"]) == sorted(map(list, status))
    _, merge2, added = collect(folder, tmp_path / "back", "2026-sim", apply=True)
    assert sorted(added) == sorted(status)
    region = load_region(folder)
    assert {r.key for r in region.relationships} >= set(status) - {k for k in status if k[2] == "informal_tie"}
    rel = next(r for r in region.relationships if r.key in status and status[r.key] == "confirmed")
    assert rel.notes.startswith("reported by ") and rel.notes.endswith(" in survey 2026-sim") and " and " in rel.notes
    assert RegionStore(folder).history()[-1].summary == "survey 2026-sim: add reported ties"
    # Applying again changes nothing.
    before = snapshot(folder)
    collect(folder, tmp_path / "back", "2026-sim", apply=True)
    assert snapshot(folder) == before


def test_apply_never_changes_an_existing_row(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey")
    (folder / "relationships.csv").write_text("source,target,type,frequency,notes\no00,o01,referral,yearly,kept\n")
    region = load_region(folder)
    back = tmp_path / "back"
    back.mkdir()
    (back / "o00.xlsx").write_bytes(fill(survey_workbook_bytes(region, region.by_id["o00"]), [
        {"partner": "o01", "type": "referral", "direction": "both", "frequency": "weekly"}]))
    (back / "o01.xlsx").write_bytes(fill(survey_workbook_bytes(region, region.by_id["o01"]), []))
    _, merge, added = collect(folder, back, "r1", apply=True)
    assert merge.ties[("o00", "o01", "referral")] == {"status": "one_sided", "reported_by": ["o00"], "known": True}
    assert added == [("o01", "o00", "referral")]
    rels = {r.key: r for r in load_region(folder).relationships}
    assert rels[("o00", "o01", "referral")].frequency == "yearly" and rels[("o00", "o01", "referral")].notes == "kept"
    assert rels[("o01", "o00", "referral")].notes == "reported by o00 in survey r1"
    assert merge.not_reported == ()
    assert "o01" in merge.answered  # an empty workbook is an answer


def _bad(region, tmp_path: Path) -> dict[str, bytes]:
    def book(agency: str, answers: list[dict[str, object]]) -> openpyxl.Workbook:
        return openpyxl.load_workbook(io.BytesIO(fill(survey_workbook_bytes(region, region.by_id[agency]), answers)))

    def save(b: openpyxl.Workbook) -> bytes:
        buf = io.BytesIO()
        b.save(buf)
        return buf.getvalue()

    out = {}
    b = book("o01", [{"partner": "o02", "type": "referral", "direction": "to"}])
    b["ties"].title = "links"
    out["o01.xlsx"] = save(b)
    b = book("o02", [{"partner": "o03", "type": "referral", "direction": "to"}])
    b["ties"]["B3"] = "Somebody else"
    out["o02.xlsx"] = save(b)
    b = book("o03", [])
    b["ties"]["A2"], b["ties"]["D2"], b["ties"]["C2"] = "o99", "referral", "to"
    out["o03.xlsx"] = save(b)
    out["o04.xlsx"] = save(book("o04", [{"partner": "o05", "type": "referral", "direction": "to", "trust": 7}]))
    b = book("o05", [{"partner": "o06", "type": "referral", "direction": "to"}])
    b["ties"]["H3"] = "=1+2"
    out["o05.xlsx"] = save(b)
    return out


def test_bad_workbooks_get_clear_messages_and_change_nothing(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey")
    region = load_region(folder)
    back = tmp_path / "back"
    back.mkdir()
    for name, data in _bad(region, tmp_path).items():
        (back / name).write_bytes(data)
    good = fill(survey_workbook_bytes(region, region.by_id["o00"]), [
        {"partner": "o07", "type": "referral", "direction": "to", "trust": 4}])
    (back / "o00.xlsx").write_bytes(good)
    collected = collect_files(region, {p.name: p.read_bytes() for p in back.iterdir()}, "r1")
    msgs = {p.file.split("[")[0]: str(p) for p in collected.problems if p.is_error}
    assert set(msgs) == {"o01.xlsx", "o02.xlsx", "o03.xlsx", "o04.xlsx", "o05.xlsx"}
    assert "sheet 'ties' is missing" in msgs["o01.xlsx"]
    assert msgs["o02.xlsx"].startswith("o02.xlsx[ties]:3:partner_name: the name 'Somebody else'")
    assert msgs["o03.xlsx"].startswith("o03.xlsx[ties]:2:partner: partner 'o99' is not an agency")
    assert msgs["o04.xlsx"].startswith("o04.xlsx[ties]:7:trust: '7' is not a rating from 1 to 4")
    assert msgs["o05.xlsx"].startswith("o05.xlsx[ties]:3:value: the formula =1+2")
    assert collected.used == ("o00.xlsx",)
    assert {r.respondent for r in collected.rows} == {"o00"}
    # From the command line: every message as FILE:ROW:COLUMN, exit 1, the good workbook still counts.
    agencies = load_region(folder).agencies
    res = wb("survey", "collect", str(folder), str(back), "--round", "r1", "--apply")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    lines = [x for x in res.stderr.splitlines() if x.startswith("o0")]
    assert len(lines) >= 5 and all(LINE.match(x) for x in lines)
    assert "Answered: 1 of 18" in res.stdout
    after = load_region(folder)
    assert {(r.respondent, r.partner) for r in after.survey} == {("o00", "o07")}
    assert [r.key for r in after.relationships] == [("o00", "o07", "referral")]
    assert after.agencies == agencies


def test_wrong_region_and_duplicates_are_reported(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey")
    other = tmp_path / "yy-other"
    shutil.copytree(folder, other)
    (other / "region.toml").write_text('id = "yy-other"\nname = "Other"\ncountry = "BE"\n')
    region, wrong = load_region(folder), load_region(other)
    files = {"o01.xlsx": fill(survey_workbook_bytes(wrong, wrong.by_id["o01"]), []),
             "o02.xlsx": fill(survey_workbook_bytes(region, region.by_id["o02"]), []),
             "o02 (copy).xlsx": fill(survey_workbook_bytes(region, region.by_id["o02"]), []),
             "o03.xlsx": fill(survey_workbook_bytes(region, region.by_id["o03"]), [])}
    collected = collect_files(region, files, "r1")
    msgs = [str(p) for p in collected.problems]
    assert any(m.startswith("o01.xlsx[about]:4:region: this workbook was made for region 'yy-other'") for m in msgs)
    assert sum("o02 returned more than one workbook" in m for m in msgs) == 2
    assert collected.used == ("o03.xlsx",)
    assert merge_round(region, collected.rows, "r1").answered == ("o03",)


def test_survey_csv_is_validated_with_the_region(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey")
    (folder / "survey.csv").write_text(
        "round,respondent,partner,direction,type,frequency,formality,trust,value\n"
        "r1,o00,o01,to,referral,weekly,,4,3\n"
        "r1,o00,o01,to,referral,,,4,\n"
        "r1,forum,o01,to,referral,,,,\n"
        "r1,o02,o77,sideways,referral,,,5,\n"
        "r1,o03,,,,,,,\n")
    res = wb("validate", str(folder))
    assert res.returncode == 1
    out = res.stdout
    assert "survey.csv:3:type: the tie with o01 (referral) is already on row 2" in out
    assert "survey.csv:4:respondent: 'forum' is a forum" in out
    assert "survey.csv:5:direction: unknown direction 'sideways'" in out
    assert "survey.csv:5:trust: '5' is not a rating from 1 to 4" in out
    assert "survey.csv:5:partner: partner 'o77' is not an agency of this region" in out
    assert len(out.strip().splitlines()) == 5


def test_round_trip_from_the_command_line(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey", n=6)
    out = tmp_path / "books"
    res = wb("survey", "make", str(folder), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"o{i:02d}.xlsx" for i in range(6)]
    for a, answers in {"o00": [{"partner": "o01", "type": "referral", "direction": "to", "trust": 4, "value": 2}],
                       "o01": [{"partner": "o00", "type": "referral", "direction": "from", "trust": 2},
                               {"partner": "forum", "type": "forum_membership", "direction": "to"}],
                       "o02": [{"partner": "o03", "type": "informal_tie"}]}.items():
        p = out / f"{a}.xlsx"
        p.write_bytes(fill(p.read_bytes(), answers))
    for a in ("o03", "o04", "o05"):
        (out / f"{a}.xlsx").unlink()
    res = wb("survey", "collect", str(folder), str(out), "--round", "2026-rt", "--apply")
    assert res.returncode == 0, res.stderr
    assert "Answered: 3 of 6 organisations (50%)" in res.stdout and "WARNING" in res.stdout
    assert "1 confirmed by both ends, 0 one-sided" in res.stdout and (out / "survey-2026-rt.txt").is_file()
    analysed = wb("analyse", str(folder), "--json")
    assert analysed.returncode == 0, analysed.stderr
    s = json.loads(analysed.stdout)["survey"]
    assert {k: s[k] for k in ("round", "response_rate", "confirmed", "one_sided", "unconfirmed")} == {
        "round": "2026-rt", "response_rate": 0.5, "confirmed": 1, "one_sided": 0, "unconfirmed": 2}
    assert s["trust"] == {"o00": 2, "o01": 4} and s["value"] == {"o01": 2}
    assert s["trust_counts"] == {"o00": 1, "o01": 1}
    assert s["warning"]["figures_affected"] == ["betweenness", "degree_centralization"]
    assert s["figures"]["confirmed"]["density"] == pytest.approx(1 / 30)
    net = json.loads(analysed.stdout)["network"]
    assert net["relationships"] == 3  # o00→o01 referral, o01→forum membership, o02–o03 informal tie


def test_make_speaks_the_region_language_and_refuses_an_unknown_one(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey", n=3)
    (folder / "region.toml").write_text('id = "xx-survey"\nname = "Survey test"\ncountry = "FR"\nlanguage = "fr"\n')
    assert wb("survey", "make", str(folder), "--out", str(tmp_path / "fr")).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "fr" / "o00.xlsx")
    assert book["instructions"]["A1"].value == "Enquête TACTICS auprès des partenaires : Org 0"
    assert book["ties"]["G1"].comment.text.startswith("1 pas du tout")
    bad = wb("survey", "make", str(folder), "--out", str(tmp_path / "xx"), "--lang", "xx")
    assert bad.returncode == 1 and "use one of en, fr, de" in bad.stderr and not (tmp_path / "xx").exists()


def test_roadmap_annex_shows_the_survey_state(tmp_path: Path):
    from workbench.roadmap.document import build_roadmap
    from workbench.roadmap.html import annex

    folder = make_region(tmp_path / "xx-survey", n=6)
    region = load_region(folder)
    assert build_roadmap(region, "en").annex()["survey"][0].startswith("No partner survey yet")
    back = tmp_path / "back"
    back.mkdir()
    for a, answers in {"o00": [{"partner": "o01", "type": "referral", "direction": "to"}],
                       "o01": [{"partner": "o00", "type": "referral", "direction": "from", "frequency": "weekly"}],
                       "o02": []}.items():
        (back / f"{a}.xlsx").write_bytes(fill(survey_workbook_bytes(region, region.by_id[a]), answers))
    collect(folder, back, "r1")
    rm = build_roadmap(load_region(folder), "fr")
    state, missing, ties, warning = rm.annex()["survey"]
    assert state == "Tour r1 : 3 organisations sur 6 ont répondu (50\xa0%)."  # French puts a space before %
    assert missing == "Sans réponse : Org 3, Org 4, Org 5."
    assert ties.startswith("Liens signalés : 1 confirmés par les deux parties, 0 unilatéraux, 0 non confirmés")
    assert ties.endswith("; 0 contradictions.")  # o00 gave no frequency: nothing to contradict
    assert "intermédiarité et à la centralisation" in warning and "(Santé, Justice, Action sociale)" in warning
    html = annex(rm)
    assert "Enquête auprès des partenaires" in html and "Org 3, Org 4, Org 5" in html


def test_map_draws_ties_the_survey_does_not_confirm_dashed(tmp_path: Path):
    from workbench.network.views import UNCONFIRMED_DASHES, _network
    from workbench.survey import unconfirmed_relationships

    folder = make_region(tmp_path / "xx-survey", n=4)
    (folder / "relationships.csv").write_text("source,target,type\no00,o01,referral\no02,o03,referral\n")
    region = load_region(folder)
    assert unconfirmed_relationships(region) == frozenset()
    back = tmp_path / "back"
    back.mkdir()
    for a, p, d in (("o00", "o01", "to"), ("o01", "o00", "from"), ("o02", "o03", "to")):
        (back / f"{a}.xlsx").write_bytes(fill(survey_workbook_bytes(region, region.by_id[a]),
                                              [{"partner": p, "type": "referral", "direction": d}]))
    collect(folder, back, "r1")
    region = load_region(folder)
    unconfirmed = unconfirmed_relationships(region)
    assert unconfirmed == {("o02", "o03", "referral")}
    net, _, _ = _network(region, "fr", 400, unconfirmed)
    edges = {(e["from"], e["to"]): e for e in net.edges}
    assert edges[("o02", "o03")]["dashes"] == UNCONFIRMED_DASHES and "enquête" in edges[("o02", "o03")]["title"]
    assert edges[("o00", "o01")]["dashes"] is False and "enquête" not in edges[("o00", "o01")]["title"]


def test_removing_an_agency_takes_its_survey_rows_and_undo_brings_them_back(tmp_path: Path):
    folder = make_region(tmp_path / "xx-survey", n=3)
    (folder / "survey.csv").write_text("round,respondent,partner,type,direction\n"
                                       "r1,o00,o01,referral,to\nr1,o01,o02,referral,to\nr1,o02,,,\n")
    store = RegionStore(folder, editor="coordinator")
    after = store.remove_agency("o01")
    assert [(r.respondent, r.partner) for r in after.survey] == [("o02", None)]
    store.undo()
    assert len(load_region(folder).survey) == 3
