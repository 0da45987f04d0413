"""The fuzzers' strategies and writers, run by tests/test_data_fuzz.py and, with larger counts, by the proof."""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import cache
from pathlib import Path

import openpyxl
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from workbench.data import load_region
from workbench.data.model import AGENCY_COLUMNS, RELATIONSHIP_COLUMNS

from .regions import FIXTURES

FILES = ["agencies.csv", "relationships.csv", "assessment.csv", "actions.csv", "region.toml"]
SHEETS = ["region", "agencies", "relationships", "assessment", "actions"]

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "police", "ngo", "yes", "NO", "referral", "forum_membership", "2025-13-01",
                     "'=1+1", "=cmd|' /C calc'!A0", "a|b|", "C1.1", "n/a", '"', ";", ",", "\r\n", "\ufeff"]),
)
#: What Excel may put in a cell: text, numbers, booleans, dates, formulas, errors, nothing.
typed_cell = st.one_of(
    cell, st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1)), st.sampled_from(["=1+1", "=A1", "=SUM(A1:A3)", "#DIV/0!", "#N/A"]),
)

#: Random bytes in place of one file of the region.
RANDOM_BYTES = dict(name=st.sampled_from(FILES), data=st.binary(max_size=2000))
#: A random table (some header columns, random cells) in place of agencies or relationships.
RANDOM_CSV = dict(name=st.sampled_from(["agencies.csv", "relationships.csv"]),
                  keep=st.integers(0, 12), rows=st.lists(st.lists(cell, max_size=14), max_size=12),
                  sep=st.sampled_from([",", ";"]), enc=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
#: Random bytes as a workbook.
RANDOM_WORKBOOK = dict(data=st.binary(max_size=3000))
#: Random typed cells written over the tiny region's valid workbook.
WORKBOOK_CELLS = dict(cells=st.lists(st.tuples(st.sampled_from(SHEETS), st.integers(1, 16), st.integers(1, 13),
                                               typed_cell), min_size=1, max_size=8))


def write_random_csv(folder: Path, name: str, keep: int, rows: list[list[str]], sep: str, enc: str) -> None:
    header = list(AGENCY_COLUMNS if name == "agencies.csv" else RELATIONSHIP_COLUMNS)[:keep or None]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep)
    w.writerow(header)
    w.writerows(rows)
    (folder / name).write_bytes(buf.getvalue().encode(enc, errors="replace"))


@cache
def tiny_workbook() -> bytes:
    """The tiny region as a valid workbook."""
    from workbench.data.workbook import workbook_bytes
    return workbook_bytes(load_region(FIXTURES / "regions" / "xx-tiny"))


def write_workbook_cells(path: Path, cells: list[tuple[str, int, int, object]]) -> None:
    """The tiny region's workbook with ``cells`` (sheet, row, column, value) overwritten."""
    wb = openpyxl.load_workbook(io.BytesIO(tiny_workbook()))
    for sheet, row, col, value in cells:
        if isinstance(value, str):  # characters no spreadsheet program can store either
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        wb[sheet].cell(row=row, column=col).value = value
    wb.save(path)
