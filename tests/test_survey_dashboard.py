"""The workshop's Survey section without a browser: workbooks zip, upload, merge, apply, the partner form, rights."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbench import api, i18n
from workbench.dashboards import workshop
from workbench.dashboards.common import e
from workbench.dashboards.workshop.survey import Entry, form_answer, workbooks_zip
from workbench.data import load_region
from workbench.survey import collect_files, respondents
from workbench.survey.workbook import read_survey_workbook, survey_workbook_bytes

from .test_survey import _bad, fill, make_region

ANSWERS = {
    "o00": [{"partner": "o01", "type": "referral", "direction": "to", "trust": 4, "value": 3},
            {"partner": "o02", "type": "informal_tie", "frequency": "monthly"},
            {"partner": "forum", "type": "forum_membership", "direction": "to"}],
    "o01": [{"partner": "o00", "type": "referral", "direction": "from", "trust": 2, "frequency": "weekly"},
            {"partner": "o03", "type": "information_sharing", "direction": "both", "formality": "written"}],
}


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A surveyed region of 8 organisations (and a forum) as the kernels' data folder."""
    root = tmp_path / "partners"
    make_region(root / "xx-survey", n=8)
    monkeypatch.setenv("WORKBENCH_DATA", str(root))
    monkeypatch.delenv("WORKBENCH_READ_ONLY", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return root


def returned(folder: Path) -> dict[str, bytes]:
    """The workbooks of ``ANSWERS`` filled in, as partners return them."""
    region = load_region(folder)
    return {f"{a}.xlsx": fill(survey_workbook_bytes(region, region.by_id[a]), answers, role="ngo-lead")
            for a, answers in ANSWERS.items()}


def upload(section, files: dict[str, bytes]) -> None:
    section.upload.value = [{"name": n, "type": "", "size": len(b), "content": memoryview(b),
                             "last_modified": dt.datetime(2026, 12, 7, tzinfo=dt.UTC)} for n, b in files.items()]


def open_survey(lang: str = "en") -> tuple[workshop.Workshop, object]:
    app = workshop.Workshop({"region": "xx-survey", "lang": lang})
    app.role.value = "survey-coordinator"
    app.tabs.value = "survey"
    return app, app.built["survey"]


def test_zip_holds_one_workbook_per_active_organisation(data: Path):
    region = load_region(data / "xx-survey")
    with zipfile.ZipFile(io.BytesIO(workbooks_zip(region, "fr"))) as z:
        names = sorted(z.namelist())
        books = {n: z.read(n) for n in names}
    asked = [a.id for a in respondents(region)]
    assert names == sorted(f"{a}.xlsx" for a in asked) and len(asked) == 8  # no forum, no discontinued office
    for name, data_ in books.items():
        back = read_survey_workbook(data_, name, region, "r1")
        assert back.agency == name.removesuffix(".xlsx") and back.problems == () and back.rows == ()
    french = openpyxl.load_workbook(io.BytesIO(books["o00.xlsx"]))["instructions"]["A1"].value
    assert french == i18n.text("survey.title", "fr", agency="Org 0")
    app, section = open_survey()
    section.prepare_btn.click()
    assert "download='survey-xx-survey.zip'" in section.download.value and "(8, zip)" in section.download.value


def test_upload_counts_good_workbooks_and_reports_bad_ones_in_the_page_language(data: Path):
    folder = data / "xx-survey"
    region = load_region(folder)
    files = {**returned(folder), **{f"returned-{n}": b for n, b in _bad(region, data).items()}}
    app, section = open_survey("fr")
    section.round.value = "2026-r1"
    upload(section, files)
    shown = app.messages.widget.value
    assert "2 classeur(s) lu(s) et pris en compte, 5 écarté(s)" in shown
    bad = [p for p in collect_files(region, files, "2026-r1").problems if p.is_error]
    assert len(bad) >= 5
    assert all(e(p.text("fr")) in shown for p in bad)
    assert any(p.text("fr") != p.text("en") for p in bad)  # the messages are French, not English
    after = load_region(folder)
    assert {r.respondent for r in after.survey} == {"o00", "o01"}
    # The merge is on the page: 2 of 8 answered, the referral both ends report is confirmed.
    state = section.state.value
    assert i18n.text("documents.survey_state", "fr", round="2026-r1", answered=2, asked=8,
                     rate=i18n.percent_text(0.25, "fr")) in state.replace("&#39;", "'")
    assert section.apply_btn.disabled is False


def test_apply_is_what_the_command_line_applies(data: Path, tmp_path: Path):
    folder = data / "xx-survey"
    cli_folder = tmp_path / "cli" / "xx-survey"
    shutil.copytree(folder, cli_folder)
    back = tmp_path / "back"
    back.mkdir()
    for name, b in returned(folder).items():
        (back / name).write_bytes(b)
    _, merge, added_cli = api.survey_collect(cli_folder, back, "2026-r1", apply=True)
    app, section = open_survey()
    section.round.value = "2026-r1"
    upload(section, {p.name: p.read_bytes() for p in back.iterdir()})
    assert "1 confirmed by both ends" in section.state.value
    section.apply_btn.click()
    assert f"Added {len(added_cli)} tie(s) reported in survey 2026-r1" in app.messages.widget.value
    assert len(added_cli) == 5
    for name in ("relationships.csv", "survey.csv"):
        assert (folder / name).read_text() == (cli_folder / name).read_text(), name
    # A second apply adds nothing and changes nothing.
    before = (folder / "relationships.csv").read_text()
    section.apply_btn.disabled = False
    section.apply_btn.click()
    assert "already in the region" in app.messages.widget.value
    assert (folder / "relationships.csv").read_text() == before
    # The new tie is in the ties section.
    app.tabs.value = "ties"
    assert "Org 1" in app.built["ties"].table.value and "Org 3" in app.built["ties"].table.value


def test_the_form_writes_the_rows_a_workbook_would(data: Path):
    folder = data / "xx-survey"
    region = load_region(folder)
    book = returned(folder)["o00.xlsx"]
    expected = collect_files(region, {"o00.xlsx": book}, "2026-r1").rows
    app, section = open_survey()
    section.round.value = "2026-r1"
    section.me.value = "o00"
    rows = {r.partner.value: r for r in section.rows}
    assert set(rows) == {"o01", "o02", "o03", "o04", "o05", "o06", "o07", "forum"}
    for ans in ANSWERS["o00"]:
        for col, v in ans.items():
            if col != "partner":
                rows[str(ans["partner"])].answers[col].value = str(v)
    section.save_btn.click()
    assert "Saved the answers of Org 0 for survey 2026-r1" in app.messages.widget.value
    assert load_region(folder).survey == expected
    # Opening the form again shows the saved answers; a second type with a partner goes in an added row.
    section.me.value = ""
    section.me.value = "o00"
    assert {r.partner.value: r.answers["trust"].value for r in section.rows}["o01"] == "4"
    extra = section.add_row("", fixed=False)
    extra.partner.value = "o01"
    extra.answers["type"].value = "feedback"
    extra.answers["direction"].value = "to"
    section.save_btn.click()
    assert ("o00", "o01", "feedback") in {(r.respondent, r.partner, r.type) for r in load_region(folder).survey}


def test_the_form_refuses_what_a_workbook_is_refused_and_writes_nothing(data: Path):
    folder = data / "xx-survey"
    app, section = open_survey()
    section.me.value = "o02"
    row = next(r for r in section.rows if r.partner.value == "o03")
    row.answers["direction"].value = "to"  # a direction without a type, as in a workbook
    section.save_btn.click()
    assert "wb-check-error" in section.form_checks.value and "Org 3" in section.form_checks.value
    assert not (folder / "survey.csv").exists()
    region = load_region(folder)
    back, _ = form_answer(region, "o02", [Entry("o03", {"direction": "to"})], "r1")
    assert [p.column for p in back.problems if p.is_error] == ["direction"]
    # A partner with no tie at all still answers: one row without a partner.
    row.answers["direction"].value = ""
    section.save_btn.click()
    assert [(r.respondent, r.partner) for r in load_region(folder).survey] == [("o02", None)]


def test_a_read_only_page_shows_the_state_and_offers_nothing_to_change(data: Path, monkeypatch: pytest.MonkeyPatch):
    folder = data / "xx-survey"
    region = load_region(folder)
    collected = collect_files(region, returned(folder), "2026-r1")
    from workbench.data import RegionStore
    from workbench.survey import save_answers
    save_answers(RegionStore(folder, editor="t"), "2026-r1", collected.rows)
    monkeypatch.setenv("WORKBENCH_READ_ONLY", "1")
    app, section = open_survey()
    assert "2 of 8 organisations answered" in section.state.value
    assert not hasattr(section, "upload") and not hasattr(section, "me") and not hasattr(section, "apply_btn")
    assert "read-only" in section.widget.children[0].value


def test_a_bad_round_or_a_contact_as_role_is_said_on_the_page_and_nothing_is_saved(data: Path):
    import html

    folder = data / "xx-survey"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    app, section = open_survey("fr")
    section.round.value = "bad{round}"
    section.apply_btn.disabled = False
    section.apply_btn.click()
    assert app.t["survey_round_bad"] in html.unescape(app.messages.widget.value)
    app.role.value = "call me at jane@example.org"
    section.round.value = "2026-r1"
    section.me.value = "o00"
    section.save_btn.click()
    assert app.t["role_contact"] in html.unescape(app.messages.widget.value)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
