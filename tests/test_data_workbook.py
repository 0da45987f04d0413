"""Workbooks: template, import, export and the round trip."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.data import RegionStore, load_region
from workbench.data.workbook import workbook_bytes
from workbench.errors import RegionInvalid

from .conftest import ROOT, snapshot


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
    assert "xx-tiny.xlsx[relationships]:2:source: unknown agency 'nobody'" in result.output
    assert list(out.iterdir()) == []


def test_import_refuses_to_overwrite_without_force(tiny: Path, tmp_path: Path):
    path = tmp_path / "xx-tiny.xlsx"
    path.write_bytes(workbook_bytes(load_region(tiny)))
    before = snapshot(tiny)
    result = CliRunner().invoke(main, ["import", str(path), "--out", str(tiny.parent)])
    assert result.exit_code == 2 and "--force" in result.output
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
