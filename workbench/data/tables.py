"""Reading and writing the region's CSV tables.

Reading accepts what Excel and LibreOffice produce across Europe: ``,`` or
``;`` delimiters, UTF-8 with or without a byte-order mark, and cp1252 as a
fallback. Writing is canonical (UTF-8, ``,``, ``\\n``, stable row order) so
that diffs in git stay small.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import Problem, said

#: Characters that make Excel treat a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@")


@dataclass
class RawTable:
    """A table read from a file: text cells, with spreadsheet row numbers.

    ``frame`` holds only non-blank data rows; ``frame.index`` is the row number
    a person sees in a spreadsheet (header = 1). ``columns`` are the
    normalised (trimmed, lower-case) header names in file order.

    Parameters
    ----------
    frame : pandas.DataFrame
        The non-blank data rows as trimmed text cells (``""`` for an empty
        cell), indexed by spreadsheet row number.
    columns : list of str
        The normalised header names, in file order.
    encoding : str
        How the bytes were read: ``"utf-8"``, ``"cp1252"``, or ``"xlsx"``
        for a workbook sheet.
    """

    frame: pd.DataFrame
    columns: list[str]
    encoding: str


def decode(data: bytes, file: str) -> tuple[str | None, str, list[Problem]]:
    """Decode file bytes: UTF-8 (BOM or not), else cp1252, never silently wrong.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    file : str
        The file name to put in problems (``"agencies.csv"``).

    Returns
    -------
    text : str or None
        The decoded text; ``None`` when the encoding cannot be trusted.
    encoding : str
        ``"utf-8"`` or ``"cp1252"``; ``""`` when ``text`` is ``None``.
    problems : list of Problem
        Empty when decoded; else one problem naming the row of the first
        byte or word that gave the encoding away.

    Examples
    --------
    >>> decode("Behörde".encode("utf-8-sig"), "f.csv")[:2]
    ('Behörde', 'utf-8')
    >>> decode("€ Behörde".encode("cp1252"), "f.csv")[:2]
    ('€ Behörde', 'cp1252')
    >>> p = decode("id,name\\nbg,Прокуратура".encode("cp1251"), "f.csv")[2][0]
    >>> p.row, p.message[-64:]
    (2, "shows 'Ïðîêóðàòóðà' (another code page, e.g. Cyrillic or Greek?)")
    """
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    fix = "problems.fix.save_utf8"
    if b"\x00" in data:
        return None, "", [Problem.of(file, data[: data.index(b"\x00")].count(b"\n") + 1, None,
                                     said("problems.nul_bytes", fix))]
    line = data[: utf8_error.start].count(b"\n") + 1
    byte = f"0x{data[utf8_error.start]:02x}"
    if len(_UTF8_SEQUENCE.findall(data)) > data.decode("utf-8", errors="replace").count("\ufffd"):
        # Mostly UTF-8: reading it as Windows-1252 would garble every accent ("Ã©").
        return None, "", [Problem.of(file, line, None, said("problems.utf8_byte", "problems.fix.retype",
                                                             byte=byte))]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None, "", [Problem.of(file, line, None, said("problems.not_utf8_cp1252", fix, byte=byte))]
    # cp1252 maps almost every byte, so text saved in another code page
    # (Windows-1251 Cyrillic, 1253 Greek, 1250 Central European…) decodes
    # without an error into nonsense such as "Ïðîêóðàòóðà": refuse that.
    bad = _foreign_code_page(text)
    if bad is not None:
        return None, "", [Problem.of(file, text[:bad].count("\n") + 1, None,
                                     said("problems.code_page", fix, word=_word_at(text, bad)))]
    return text, "cp1252", []


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

# Three non-ASCII characters in a row do not occur in the languages Windows-1252
# serves, but are what Cyrillic, Greek or Japanese text read as Windows-1252
# looks like; nor do these symbols inside a word (Polish "ł" becomes "³",
# Romanian "ţ" becomes "þ", Polish "ż" becomes "¿"), nor Icelandic letters
# in a word (Estonian "Š" and "Ž" in Windows-1257 become "Ð" and "Þ").
_LETTER = r"[^\W\d_]"
_FOREIGN = re.compile(rf"[^\x00-\x7f\s]{{3}}|(?<={_LETTER})[¹²³º¿£¤¦¨¯´¸×÷](?={_LETTER})"
                      rf"|(?<={_LETTER})[ÐðÞþ]|[ÐðÞþ](?={_LETTER})")


def _foreign_code_page(text: str) -> int | None:
    """Where ``text`` (decoded as Windows-1252) shows it was written in another code page.

    >>> _foreign_code_page("Hôpital régional, Größe, Hääyö, « Zone », nº 5, 2 m³") is None
    True
    >>> "Прокуратура".encode("cp1251").decode("cp1252"), _foreign_code_page("id,Ïðîêóðàòóðà")
    ('Ïðîêóðàòóðà', 3)
    >>> _foreign_code_page("W³adys³aw")  # "Władysław" in Windows-1250
    1
    """
    m = _FOREIGN.search(text)
    return None if m is None else m.start()


def _word_at(text: str, i: int) -> str:
    """The cell text around position ``i`` (at most 20 characters each side)."""
    before = re.search(r"[^\s,;]{0,20}$", text[:i])
    after = re.match(r"[^\s,;]{0,20}", text[i:])
    return (before.group(0) if before else "") + (after.group(0) if after else "")


def sniff_delimiter(text: str) -> str:
    """``;`` or ``,``, judged on the header line (headers hold neither).

    Parameters
    ----------
    text : str
        The decoded file; only its first line is read.

    Returns
    -------
    str
        ``";"`` when the header holds more semicolons than commas, else
        ``","``.

    Examples
    --------
    >>> sniff_delimiter("id;name;type\\n"), sniff_delimiter("id,name\\n")
    (';', ',')
    """
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def parse_csv(data: bytes, file: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV bytes into a :class:`RawTable` of trimmed text cells.

    Parameters
    ----------
    data : bytes
        The file's bytes, in any encoding and delimiter :func:`decode` and
        :func:`sniff_delimiter` accept.
    file : str
        The file name to put in problems (``"agencies.csv"``).

    Returns
    -------
    table : RawTable or None
        The table; ``None`` when the file cannot be read as a table (bad
        encoding, empty, no header, rows of the wrong length, a repeated
        column).
    problems : list of Problem
        Why it cannot be read, or the cells that hold a value under a column
        with no header; empty when all is well.
    """
    text, encoding, problems = decode(data, file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem.of(file, None, None, said("problems.file_empty", "problems.fix.file_empty"))]
    if "\x00" in text:
        return None, [Problem.of(file, None, None, said("problems.binary", "problems.fix.save_utf8"))]
    sep = sniff_delimiter(text)
    # pandas would read a file whose first row is blank as a table with no
    # columns and no rows: the whole table silently gone.
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep), [])
    if not any(h.strip() for h in header):
        return None, [Problem.of(file, 1, None, said("problems.no_column_names", "problems.fix.header_row"))]
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
            skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None, _row_length_problems(text, sep, file)
    # pandas renames a repeated header ("type.1"); keep the names as written.
    if len(header) == len(frame.columns):
        frame.columns = header
    return _finish(frame, file, encoding)


def _row_length_problems(text: str, sep: str, file: str) -> list[Problem]:
    """Say which rows have the wrong number of cells (pandas only names one)."""
    problems: list[Problem] = []
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        return [Problem.of(file, None, None, said("problems.csv_bad_detail", "problems.fix.quote",
                                                  detail=str(exc)))]
    width = len(rows[0])
    for i, row in enumerate(rows[1:], start=2):
        if row and len(row) < width and "\n" in row[-1]:
            problems.append(Problem.of(file, i, None, said("problems.quote_open", "problems.fix.close_quote")))
        elif row and len(row) != width:
            problems.append(Problem.of(file, i, None, said("problems.row_width", "problems.fix.row_width",
                                                           n=len(row), width=width, sep=sep)))
    if not problems:
        problems.append(Problem.of(file, None, None, said("problems.csv_bad", "problems.fix.quote")))
    return problems


def frame_from_rows(header: Sequence[str], rows: Iterable[Sequence[str]], file: str,
                    encoding: str = "xlsx") -> tuple[RawTable | None, list[Problem]]:
    """Build a :class:`RawTable` from already-split cells (a workbook sheet).

    Parameters
    ----------
    header : sequence of str
        The header row's cells as written.
    rows : iterable of sequence of str
        The data rows' cells, each as long as ``header``.
    file : str
        The file or sheet name to put in problems.
    encoding : str
        What to record as the table's encoding.

    Returns
    -------
    table : RawTable or None
        The table; ``None`` when a column name is repeated.
    problems : list of Problem
        Repeated columns, or cells with a value under a column with no
        header; empty when all is well.
    """
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
            problems.append(Problem.of(file, 1, col, said("problems.column_twice", "problems.fix.column_twice",
                                                          column=col)))
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
            problems.append(Problem.of(file, filled + 2, None,
                                       said("problems.no_header", "problems.fix.no_header")))
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

    Parameters
    ----------
    value : str
        A cell's text.

    Returns
    -------
    str
        ``value`` with one ``'`` in front when it starts with ``=``, ``+``,
        ``-``, ``@``, or with ``'`` followed by one of those or ``'``; else
        ``value`` unchanged.

    Examples
    --------
    >>> neutralise_formula("=1+1"), neutralise_formula("'=x"), neutralise_formula("a-b")
    ("'=1+1", "''=x", 'a-b')
    """
    if value.startswith(FORMULA_START) or value.startswith("'") and value[1:2] in (*FORMULA_START, "'"):
        return "'" + value
    return value


def unquote_formula(value: str) -> str:
    """Inverse of :func:`neutralise_formula`.

    Parameters
    ----------
    value : str
        A cell's text as read from a file.

    Returns
    -------
    str
        ``value`` without the one ``'`` that :func:`neutralise_formula`
        added; other texts unchanged.

    Examples
    --------
    >>> unquote_formula("'=1+1"), unquote_formula("''=x"), unquote_formula("'tis")
    ('=1+1', "'=x", "'tis")
    """
    if value.startswith("'") and value[1:2] in (*FORMULA_START, "'"):
        return value[1:]
    return value


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Canonical CSV bytes: UTF-8, ``,``, ``\\n``, formula-like cells neutralised.

    Parameters
    ----------
    columns : sequence of str
        The header row.
    rows : iterable of sequence of str
        The data rows, text cells in the order of ``columns``.

    Returns
    -------
    bytes
        The whole file, UTF-8 without byte-order mark.
    """
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([neutralise_formula(v) for v in row])
    return buf.getvalue().encode("utf-8")
