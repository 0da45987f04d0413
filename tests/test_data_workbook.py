"""Workbooks: template, import, export and the round trip."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.data import RegionStore, load_region
from workbench.data.workbook import workbook_bytes
from workbench.errors import RegionInvalid

from .conftest import FIXTURES, ROOT, snapshot


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_template_is_guided(tmp_path: Path):
    out = tmp_path / "blank.xlsx"
    assert _run("template", "--out", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:6] == ["instructions", "region", "agencies", "relationships", "assessment", "actions"]
    assert wb["lists"].sheet_state == "hidden"
    ag = wb["agencies"]
    assert ag.freeze_panes == "A2"
    assert all(c.comment is not None for c in ag[1])
    validated = {str(dv.sqref).split(":")[0] for dv in ag.data_validations.dataValidation}
    assert {"C2", "E2", "J2", "K2"} <= validated  # type, dv_relay, status, lead
    fr = tmp_path / "fr.xlsx"
    _run("template", "--out", str(fr), "--lang", "fr")
    assert "Remplissez" in "".join(str(c.value) for c in openpyxl.load_workbook(fr)["instructions"]["A"])


def test_round_trip_is_lossless(tiny: Path, tmp_path: Path):
    RegionStore(tiny).edit_agency("ngo", notes='=HYPERLINK("http://x","y") | -1 | @cmd')
    RegionStore(tiny).edit_agency("muni", name="+Ville")
    original = load_region(tiny)
    xlsx = tmp_path / "xx-tiny.xlsx"
    assert _run("export", str(tiny), "--out", str(xlsx)).exit_code == 0
    # formula-like text stays text in the workbook
    wb = openpyxl.load_workbook(xlsx)
    cells = [c for row in wb["agencies"].iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert load_region(xlsx) == original
    out = tmp_path / "partners"
    assert _run("import", str(xlsx), "--out", str(out)).exit_code == 0
    again = load_region(out / "xx-tiny")
    assert again == original
    xlsx2 = tmp_path / "again" / "xx-tiny.xlsx"
    _run("export", str(out / "xx-tiny"), "--out", str(xlsx2))
    assert load_region(xlsx2) == original


@pytest.mark.parametrize("folder", sorted((ROOT / "data" / "partners").glob("*/"))[:3], ids=lambda p: p.name)
def test_example_regions_round_trip(folder: Path, tmp_path: Path):
    original = load_region(folder)
    xlsx = tmp_path / f"{original.id}.xlsx"
    xlsx.write_bytes(workbook_bytes(original))
    assert load_region(xlsx) == original


def test_typed_cells_and_formulas(tiny: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(load_region(tiny))))
    ag = wb["agencies"]
    ag["E2"] = True          # Excel boolean
    ws = wb["actions"]
    import datetime as dt
    ws["H2"] = dt.datetime(2025, 4, 1)   # a real date cell
    ws["I3"] = "=H3+30"                  # formula without a cached value
    path = tmp_path / "xx-tiny.xlsx"
    wb.save(path)
    with pytest.raises(RegionInvalid) as info:
        load_region(path)
    (p,) = [p for p in info.value.problems if p.is_error]
    assert (p.file, p.row, p.column) == ("xx-tiny.xlsx[actions]", 3, "due")
    ws["I3"] = "2026-01-31"
    wb.save(path)
    r = load_region(path)
    assert r.by_id["muni"].dv_relay is True and r.actions[0].start == "2025-04-01"


def test_failed_import_writes_nothing(tiny: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(load_region(tiny))))
    wb["relationships"]["A2"] = "nobody"
    path = tmp_path / "xx-tiny.xlsx"
    wb.save(path)
    out = tmp_path / "partners"
    out.mkdir()
    result = CliRunner().invoke(main, ["import", str(path), "--out", str(out)])
    assert result.exit_code == 1
    # worded in the region's language (xx-tiny is French)
    from workbench import i18n
    said = i18n.text("problems.unknown.agency", "fr", value="nobody")
    assert f"xx-tiny.xlsx[relationships]:2:source: {said} (" in result.output
    assert list(out.iterdir()) == []


def test_import_refuses_to_overwrite_without_force(tiny: Path, tmp_path: Path):
    path = tmp_path / "xx-tiny.xlsx"
    path.write_bytes(workbook_bytes(load_region(tiny)))
    before = snapshot(tiny)
    result = CliRunner().invoke(main, ["import", str(path), "--out", str(tiny.parent)])
    assert result.exit_code == 1 and "--force" in result.output
    assert snapshot(tiny) == before
    assert CliRunner().invoke(main, ["import", str(path), "--out", str(tiny.parent), "--force"]).exit_code == 0


def test_workbook_problems(tmp_path: Path):
    bad = tmp_path / "xx-bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RegionInvalid) as info:
        load_region(bad)
    assert info.value.problems[0].file.endswith("xx-bad.xlsx")
    wb = openpyxl.Workbook()
    wb.active.title = "agencies"
    wb.save(tmp_path / "xx-empty.xlsx")
    with pytest.raises(RegionInvalid) as info:
        load_region(tmp_path / "xx-empty.xlsx")
    files = {p.file for p in info.value.problems}
    assert {"xx-empty.xlsx[region]", "xx-empty.xlsx[relationships]"} <= files
    wrong = tmp_path / "Not An Id.xlsx"
    wrong.write_bytes(b"")
    with pytest.raises(RegionInvalid):
        load_region(wrong)


# --------------------------------------------------------------------------
# A corpus of broken workbooks, each with the exact sheet, row and column expected
# (reused by the proof, proof/badinput.py)
# --------------------------------------------------------------------------

WorkbookMaker = Callable[[Path], Path]
BOOK = "xx-tiny.xlsx"


def _tiny_bytes() -> bytes:
    from .support.fuzz import tiny_workbook
    return tiny_workbook()


def raw(data: Callable[[], bytes], name: str = BOOK) -> WorkbookMaker:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data())
        return folder / name
    return make


def edit(change: Callable[[openpyxl.Workbook], None]) -> WorkbookMaker:
    def make(folder: Path) -> Path:
        wb = openpyxl.load_workbook(io.BytesIO(_tiny_bytes()))
        change(wb)
        wb.save(folder / BOOK)
        return folder / BOOK
    return make


def put(sheet: str, key: str | int, column: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    """Set ``column`` (a header name) on the row whose first cell is ``key`` (or row number ``key``)."""
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        row = key if isinstance(key, int) else _row(wb, sheet, key)
        col = [c.value for c in ws[1]].index(column) + 1 if column in [c.value for c in ws[1]] else int(column)
        ws.cell(row=row, column=col).value = value
    return change


def _row(wb: openpyxl.Workbook, sheet: str, key: str) -> int:
    return next(r for r in range(2, wb[sheet].max_row + 1) if wb[sheet].cell(row=r, column=1).value == key)


def _zip_without_workbook() -> bytes:
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


def at(sheet: str, key: str) -> int:
    """The row of ``key`` in ``sheet`` of the tiny workbook (rows are sorted by id on export)."""
    return _row(openpyxl.load_workbook(io.BytesIO(_tiny_bytes())), sheet, key)


def S(sheet: str) -> str:  # noqa: N802 - reads like the file label it stands for
    return f"{BOOK}[{sheet}]"


WORKBOOK_CASES: list[tuple[str, WorkbookMaker, Callable[[], set[tuple[str, int | None, str | None]]]]] = [
    ("not a zip file", raw(lambda: b"not a workbook at all"), lambda: {(BOOK, None, None)}),
    ("empty file", raw(lambda: b""), lambda: {(BOOK, None, None)}),
    ("truncated workbook", raw(lambda: _tiny_bytes()[: len(_tiny_bytes()) // 2]), lambda: {(BOOK, None, None)}),
    ("zip without a workbook", raw(_zip_without_workbook), lambda: {(BOOK, None, None)}),
    ("CSV renamed to .xlsx", raw(lambda: (FIXTURES / "regions" / "xx-tiny" / "agencies.csv").read_bytes()),
     lambda: {(BOOK, None, None)}),
    ("file name is not a region id", raw(_tiny_bytes, "Tiny Region.xlsx"), lambda: {("Tiny Region.xlsx", None, None)}),
    ("missing agencies sheet", edit(lambda wb: wb.remove(wb["agencies"])), lambda: {(S("agencies"), None, None)}),
    ("missing region sheet", edit(lambda wb: wb.remove(wb["region"])), lambda: {(S("region"), None, None)}),
    ("sheet without a header row", edit(lambda wb: [setattr(c, "value", None) for c in wb["relationships"][1]]),
     lambda: {(S("relationships"), 1, None)}),
    ("formula without a saved value", edit(put("actions", "a2", "due", "=H3+30")), lambda: {(S("actions"), 3, "due")}),
    ("tie to an unknown agency", edit(put("relationships", 2, "source", "nobody")),
     lambda: {(S("relationships"), 2, "source")}),
    ("date in a yes/no column", edit(put("agencies", "muni", "dv_relay", dt.datetime(2025, 1, 1))),
     lambda: {(S("agencies"), at("agencies", "muni"), "dv_relay")}),
    ("number as agency type", edit(put("agencies", "police", "type", 42)),
     lambda: {(S("agencies"), at("agencies", "police"), "type")}),
    ("error value in a yes/no column", edit(put("agencies", "muni", "lead", "#DIV/0!")),
     lambda: {(S("agencies"), at("agencies", "muni"), "lead")}),
    ("duplicate agency id", edit(lambda wb: wb["agencies"].append(["ngo", "Another NGO", "victim_support"])),
     lambda: {(S("agencies"), 14, "id")}),
    ("duplicate column", edit(put("agencies", 1, "parent", "type")), lambda: {(S("agencies"), 1, "type")}),
    ("value under a blank header", edit(put("agencies", "ngo", "14", "oops")),
     lambda: {(S("agencies"), at("agencies", "ngo"), None)}),
    ("self-loop", edit(put("relationships", 2, "target", "hospital")), lambda: {(S("relationships"), 2, "target")}),
    ("region id differs from the file name", edit(put("region", "id", "value", "xx-other")),
     lambda: {(S("region"), at("region", "id"), "id")}),
    ("country is not an ISO code", edit(put("region", "country", "value", "Belgium")),
     lambda: {(S("region"), at("region", "country"), "country")}),
    ("unknown indicator", edit(put("assessment", 2, "indicator", "C9.9")), lambda: {(S("assessment"), 2, "indicator")}),
    ("due before start", edit(put("actions", "a1", "due", "2024-01-01")),
     lambda: {(S("actions"), at("actions", "a1"), "due")}),
]


@pytest.mark.parametrize(("make", "expected"), [c[1:] for c in WORKBOOK_CASES], ids=[c[0] for c in WORKBOOK_CASES])
def test_broken_workbook_is_reported_exactly_and_imports_nothing(tmp_path: Path, make, expected):
    book = make(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(RegionInvalid) as info:
        load_region(book)
    errors = [p for p in info.value.problems if p.is_error]
    assert {(Path(p.file).name, p.row, p.column) for p in errors} == expected(), "\n".join(map(str, errors))
    assert all(p.fix for p in errors)
    out = tmp_path / "partners"
    out.mkdir()
    result = CliRunner().invoke(main, ["import", str(book), "--out", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert list(out.iterdir()) == []
    out.rmdir()
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "el", "bg", "ro", "et"])
def test_template_speaks_each_language(tmp_path: Path, lang: str):
    """Instructions, header comments and drop-down labels come from the catalogues in the chosen language."""
    from workbench import i18n
    from workbench.data.workbook import _lists

    out = tmp_path / f"{lang}.xlsx"
    assert _run("template", "--out", str(out), "--lang", lang).exit_code == 0
    book = openpyxl.load_workbook(out)
    lines = [str(c.value) for c in book["instructions"]["A"] if c.value is not None]
    assert lines == [x for x in i18n.text("workbook.instructions", lang).splitlines() if x]
    for sheet in ("region", "agencies", "relationships", "assessment", "actions"):
        for cell in book[sheet][1]:
            key = f"workbook.columns.{sheet}.{cell.value}"
            assert cell.comment is not None and cell.comment.text == i18n.text(key, lang), key
    lists = book["lists"]
    header = [c.value for c in lists[1]]
    col = header.index("formality") + 1
    assert lists.cell(row=1, column=col + 1).value == "formality_label"
    labels = [lists.cell(row=r, column=col + 1).value for r in range(2, 5)]
    assert labels == [label for _, label in _lists(lang)["formality"]]
    if lang in i18n.COMPLETE and lang != i18n.DEFAULT:  # finished languages: no English left in the sheets
        english = set(i18n.catalogue(i18n.DEFAULT)[k] for k in i18n.keys("workbook."))
        assert not english & {cell.comment.text for cell in book["agencies"][1]}
        assert lines[0] != i18n.text("workbook.instructions", i18n.DEFAULT).splitlines()[0]
    if lang == "fr":  # the taxonomy's labels: every language once taxonomy.label reads the catalogues
        assert labels == ["Aucune", "Orale", "Écrite"]


def test_export_defaults_to_the_regions_language(tiny: Path, tmp_path: Path):
    from workbench import i18n

    text = (tiny / "region.toml").read_text(encoding="utf-8")
    (tiny / "region.toml").write_text(text.replace('language = "fr"', 'language = "de"'), encoding="utf-8")
    assert load_region(tiny).info.language == "de"
    out = tmp_path / "xx-tiny.xlsx"
    assert _run("export", str(tiny), "--out", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book["agencies"]["L1"].comment.text == i18n.text("workbook.columns.agencies.notes", "de") != "Free text"
    assert _run("export", str(tiny), "--out", str(out), "--lang", "es").exit_code == 0
    assert openpyxl.load_workbook(out)["instructions"]["A1"].value == \
        i18n.text("workbook.instructions", "es").splitlines()[0]


def test_workbook_layout_holds_no_prose():
    """templates/workbook.toml keeps the structure only; every column it names has its words in the catalogue."""
    import tomllib

    from workbench import i18n
    from workbench.data.model import TABLES
    from workbench.data.write import COLUMNS

    layout = tomllib.loads((ROOT / "templates" / "workbook.toml").read_text(encoding="utf-8"))
    assert set(layout) == {"columns"}
    for sheet, cols in layout["columns"].items():
        assert all(isinstance(c, str) and re.fullmatch(r"[a-z_]+", c) for c in cols), sheet
        known = ["key", "value"] if sheet == "region" else list(COLUMNS[sheet])
        assert sheet == "region" or sheet in TABLES
        assert set(cols) <= set(known), sheet
        assert all(i18n.has(f"workbook.columns.{sheet}.{c}") for c in cols)


def test_a_broken_workbook_is_reported_in_the_regions_language(tiny: Path, tmp_path: Path):
    from workbench.data.schema import check_id

    out = tmp_path / "xx-tiny.xlsx"
    assert _run("export", str(tiny), "--out", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    book["agencies"]["A2"] = "Bad!"
    book.save(out)
    with pytest.raises(RegionInvalid) as exc:
        load_region(out)
    assert exc.value.lang == "fr"
    assert any(p.text("fr").endswith(check_id("Bad!").sentence("fr")) for p in exc.value.problems)
