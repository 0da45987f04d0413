"""Reading and writing the region's CSV tables.

Reading accepts what Excel and LibreOffice produce across Europe: ``,`` or
``;`` delimiters, UTF-8 with or without a byte-order mark, and cp1252 as a
fallback. Writing is canonical (UTF-8, ``,``, ``\\n``, stable row order) so
that diffs in git stay small.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import Problem

#: Characters that make Excel treat a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@")


@dataclass
class RawTable:
    """A table read from a file: text cells, with spreadsheet row numbers.

    ``frame`` holds only non-blank data rows; ``frame.index`` is the row number
    a person sees in a spreadsheet (header = 1). ``columns`` are the
    normalised (trimmed, lower-case) header names in file order.
    """

    frame: pd.DataFrame
    columns: list[str]
    encoding: str


def decode(data: bytes, file: str) -> tuple[str | None, str, list[Problem]]:
    """Decode file bytes: UTF-8 (BOM or not), else cp1252, never silently wrong.

    >>> decode("Behörde".encode("utf-8-sig"), "f.csv")[:2]
    ('Behörde', 'utf-8')
    >>> decode("€ Behörde".encode("cp1252"), "f.csv")[:2]
    ('€ Behörde', 'cp1252')
    """
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        return None, "", [Problem(
            file, line, None,
            f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{data[utf8_error.start]:02x})",
            "save it from your spreadsheet as 'CSV UTF-8'",
        )]
    # cp1252 maps almost every byte; C1 control characters mean it was
    # something else (e.g. an old Cyrillic or Greek code page).
    bad = next((i for i, ch in enumerate(text) if "\x80" <= ch <= "\x9f"), None)
    if bad is not None or "\x00" in text:
        line = text[: bad or text.index("\x00")].count("\n") + 1
        return None, "", [Problem(
            file, line, None,
            "the file's text encoding cannot be recognised (it is not UTF-8)",
            "save it from your spreadsheet as 'CSV UTF-8'",
        )]
    return text, "cp1252", []


def sniff_delimiter(text: str) -> str:
    """``;`` or ``,``, judged on the header line (headers hold neither).

    >>> sniff_delimiter("id;name;type\\n"), sniff_delimiter("id,name\\n")
    (';', ',')
    """
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def parse_csv(data: bytes, file: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV bytes into a :class:`RawTable` of trimmed text cells."""
    text, encoding, problems = decode(data, file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(file, None, None, "the file is empty",
                              "add the header row (see `workbench template`)")]
    if "\x00" in text:
        return None, [Problem(file, None, None, "the file holds binary data, not CSV text",
                              "save it from your spreadsheet as 'CSV UTF-8'")]
    sep = sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
            skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None, _row_length_problems(text, sep, file)
    # pandas renames a repeated header ("type.1"); keep the names as written.
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep), [])
    if len(header) == len(frame.columns):
        frame.columns = header
    return _finish(frame, file, encoding)


def _row_length_problems(text: str, sep: str, file: str) -> list[Problem]:
    """Say which rows have the wrong number of cells (pandas only names one)."""
    problems: list[Problem] = []
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        return [Problem(file, None, None, f"the file is not valid CSV ({exc})",
                        "check for an unclosed quote (\")")]
    width = len(rows[0])
    for i, row in enumerate(rows[1:], start=2):
        if row and len(row) < width and "\n" in row[-1]:
            problems.append(Problem(file, i, None, 'a quote (") opened in this row is never closed',
                                    'close the quote or remove it'))
        elif row and len(row) != width:
            problems.append(Problem(
                file, i, None,
                f"this row has {len(row)} cells but the header has {width}",
                f"check for a stray '{sep}' or a missing quote around text that contains '{sep}'",
            ))
    if not problems:
        problems.append(Problem(file, None, None, "the file is not valid CSV",
                                "check for an unclosed quote (\")"))
    return problems


def frame_from_rows(header: Sequence[str], rows: Iterable[Sequence[str]], file: str,
                    encoding: str = "xlsx") -> tuple[RawTable | None, list[Problem]]:
    """Build a :class:`RawTable` from already-split cells (a workbook sheet)."""
    frame = pd.DataFrame([list(r) for r in rows], columns=list(header), dtype=object)
    return _finish(frame.astype("str") if len(frame) else frame.astype(object), file, encoding)


def _finish(frame: pd.DataFrame, file: str, encoding: str) -> tuple[RawTable | None, list[Problem]]:
    problems: list[Problem] = []
    columns = [str(c).strip().lower() for c in frame.columns]
    seen: set[str] = set()
    for i, col in enumerate(columns):
        if not col or col.startswith("unnamed:"):
            columns[i] = f"__blank{i}"
            continue
        if col in seen:
            problems.append(Problem(file, 1, col, f"column '{col}' appears twice",
                                    "delete or rename one of them"))
        seen.add(col)
    if problems:
        return None, problems
    # Trim and unquote in plain Python: much faster than pandas' .str methods here.
    cells: dict[str, list[str]] = {}
    for name, values in zip(columns, (frame.iloc[:, i].tolist() for i in range(frame.shape[1])), strict=True):
        vals = [v.strip() if isinstance(v, str) else "" for v in values]
        if any(v[:1] == "'" for v in vals):
            vals = [unquote_formula(v) for v in vals]
        cells[name] = vals
    for name in [c for c in columns if c.startswith("__blank")]:
        filled = next((i for i, v in enumerate(cells.pop(name)) if v), None)
        if filled is not None:
            problems.append(Problem(file, filled + 2, None,
                                    "a cell holds a value under a column with no header",
                                    "add a header for that column or clear the cell"))
    columns = list(cells)
    rows = range(2, 2 + len(frame))
    keep = [i for i, row in enumerate(zip(*cells.values(), strict=True)) if any(row)] if cells else []
    if len(keep) == len(frame):
        frame = pd.DataFrame(cells, index=pd.Index(rows), dtype=object)
    else:
        frame = pd.DataFrame({c: [v[i] for i in keep] for c, v in cells.items()},
                             index=pd.Index([i + 2 for i in keep]), dtype=object)
    return RawTable(frame, columns, encoding), problems


def neutralise_formula(value: str) -> str:
    """Prefix ``'`` so that spreadsheet programs show a cell as text.

    A value that starts like a formula, or with the quote itself, gets one
    extra ``'``; :func:`unquote_formula` removes exactly that quote again.

    >>> neutralise_formula("=1+1"), neutralise_formula("'=x"), neutralise_formula("a-b")
    ("'=1+1", "''=x", 'a-b')
    """
    if value.startswith(FORMULA_START) or value.startswith("'") and value[1:2] in (*FORMULA_START, "'"):
        return "'" + value
    return value


def unquote_formula(value: str) -> str:
    """Inverse of :func:`neutralise_formula`.

    >>> unquote_formula("'=1+1"), unquote_formula("''=x"), unquote_formula("'tis")
    ('=1+1', "'=x", "'tis")
    """
    if value.startswith("'") and value[1:2] in (*FORMULA_START, "'"):
        return value[1:]
    return value


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Canonical CSV bytes: UTF-8, ``,``, ``\\n``, formula-like cells neutralised."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([neutralise_formula(v) for v in row])
    return buf.getvalue().encode("utf-8")
