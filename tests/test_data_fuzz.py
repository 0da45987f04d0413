"""Property-based tests: random bytes and random CSVs only ever give validation errors."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.data import load_region
from workbench.data.model import AGENCY_COLUMNS, RELATIONSHIP_COLUMNS
from workbench.errors import RegionInvalid

from .conftest import FIXTURES, snapshot

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FILES = ["agencies.csv", "relationships.csv", "assessment.csv", "actions.csv", "region.toml"]

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "police", "ngo", "yes", "NO", "referral", "forum_membership", "2025-13-01",
                     "'=1+1", "=cmd|' /C calc'!A0", "a|b|", "C1.1", "n/a", '"', ";", ",", "\r\n", "\ufeff"]),
)


def _load(folder: Path) -> None:
    before = snapshot(folder)
    try:
        load_region(folder)
    except RegionInvalid as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
    assert snapshot(folder) == before


def _fresh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fz") / "xx-tiny"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", folder)
    return folder


@SETTINGS
@given(name=st.sampled_from(FILES), data=st.binary(max_size=2000))
def test_random_bytes_give_only_validation_errors(tmp_path_factory, name: str, data: bytes):
    folder = _fresh(tmp_path_factory)
    (folder / name).write_bytes(data)
    _load(folder)


@SETTINGS
@given(name=st.sampled_from(["agencies.csv", "relationships.csv"]),
       keep=st.integers(0, 12), rows=st.lists(st.lists(cell, max_size=14), max_size=12),
       sep=st.sampled_from([",", ";"]), enc=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_random_csv_give_only_validation_errors(tmp_path_factory, name, keep, rows, sep, enc):
    folder = _fresh(tmp_path_factory)
    header = list(AGENCY_COLUMNS if name == "agencies.csv" else RELATIONSHIP_COLUMNS)[:keep or None]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep)
    w.writerow(header)
    w.writerows(rows)
    (folder / name).write_bytes(buf.getvalue().encode(enc, errors="replace"))
    _load(folder)


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_random_workbook_bytes(tmp_path_factory, data: bytes):
    path = tmp_path_factory.mktemp("wb") / "xx-fuzz.xlsx"
    path.write_bytes(data)
    try:
        load_region(path)
    except RegionInvalid as exc:
        assert exc.problems
