"""Property-based tests: random bytes, CSVs and workbooks only ever give validation errors.

The strategies and writers live in ``tests/support/fuzz.py`` so that the proof
(``proof/badinput.py``) runs the same fuzzers with larger counts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from workbench.data import load_region
from workbench.errors import RegionInvalid

from .conftest import FIXTURES, snapshot
from .support.fuzz import (
    RANDOM_BYTES,
    RANDOM_CSV,
    RANDOM_WORKBOOK,
    WORKBOOK_CELLS,
    write_random_csv,
    write_workbook_cells,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def _load(path: Path, watched: Path) -> None:
    before = snapshot(watched)
    try:
        load_region(path)
    except RegionInvalid as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
    assert snapshot(watched) == before


def _fresh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fz") / "xx-tiny"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", folder)
    return folder


@SETTINGS
@given(**RANDOM_BYTES)
def test_random_bytes_give_only_validation_errors(tmp_path_factory, name: str, data: bytes):
    folder = _fresh(tmp_path_factory)
    (folder / name).write_bytes(data)
    _load(folder, folder)


@SETTINGS
@given(**RANDOM_CSV)
def test_random_csv_give_only_validation_errors(tmp_path_factory, name, keep, rows, sep, enc):
    folder = _fresh(tmp_path_factory)
    write_random_csv(folder, name, keep, rows, sep, enc)
    _load(folder, folder)


@SETTINGS
@given(**RANDOM_WORKBOOK)
def test_random_workbook_bytes(tmp_path_factory, data: bytes):
    path = tmp_path_factory.mktemp("wb") / "xx-fuzz.xlsx"
    path.write_bytes(data)
    _load(path, path.parent)


@settings(SETTINGS, max_examples=60)
@given(**WORKBOOK_CELLS)
def test_random_cells_in_a_workbook(tmp_path_factory, cells):
    path = tmp_path_factory.mktemp("wb") / "xx-tiny.xlsx"
    write_workbook_cells(path, cells)
    _load(path, path.parent)
