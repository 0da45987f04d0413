"""Region workbooks (.xlsx): import, export and the guided blank template.

A workbook holds sheets ``region`` (key/value rows), ``agencies``,
``relationships``, ``assessment`` and ``actions``; sheets ``instructions``
and ``lists`` (drop-down values) are written for people and ignored on
import. Cells may be typed the way Excel types them; a formula is read by
its cached value, and a formula without one is an error.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import i18n
from ..errors import Problem, RegionInvalid, said
from ..paths import templates_dir
from ..taxonomy import rubric, taxonomy
from .model import REGION_KEYS, TABLES, Region
from .schema import REGION_ID_RE, build_region, check_info
from .tables import FORMULA_START, RawTable, frame_from_rows
from .write import COLUMNS, table_rows

SHEETS = ("region", *TABLES)


def _text(value: Any) -> str:
    """A typed Excel cell as the text the CSV files would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(path: Path) -> Region:
    """Load and validate a region workbook; raise RegionInvalid with every problem.

    Parameters
    ----------
    path : Path
        The ``.xlsx`` file, named after the region's id (``be-lux.xlsx``).

    Returns
    -------
    Region
        The region the workbook holds, checked as the data contract asks.

    Raises
    ------
    RegionInvalid
        With every problem found, each with its sheet, row, column and fix: a file
        name that is no region id, a missing, unreadable or damaged file, or data
        that breaks the contract.
    """
    label = str(path)
    if not re.fullmatch(REGION_ID_RE, path.stem):
        raise RegionInvalid([Problem.of(label, None, None, said("problems.file_name", "problems.fix.file_name",
                                                                value=path.stem))])
    if path.is_symlink() or not path.is_file():
        raise RegionInvalid([Problem.of(label, None, None,
            said("problems.no_workbook", "problems.fix.xlsx_path"))])
    data = path.read_bytes()
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError,
            IndexError, AttributeError, EOFError) as exc:
        raise RegionInvalid([Problem.of(label, None, None, said("problems.xlsx_unreadable", "problems.fix.resave",
                                                                detail=type(exc).__name__))]) from None
    try:
        return _read_sheets(path, values, formulas)
    except RegionInvalid:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, EOFError) as exc:
        raise RegionInvalid([Problem.of(label, None, None, said("problems.xlsx_damaged", "problems.fix.resave",
                                                                detail=type(exc).__name__))]) from None
    finally:
        values.close()
        formulas.close()


def _read_sheets(path: Path, values: Any, formulas: Any) -> Region:
    label = path.name
    problems: list[Problem] = []
    names = {n.strip().lower(): n for n in values.sheetnames}
    raws: dict[str, RawTable | None] = {}
    info: dict[str, Any] | None = None
    lines: dict[str, int] = {}
    for sheet in SHEETS:
        file = f"{label}[{sheet}]"
        if sheet not in names:
            if sheet in ("region", "agencies", "relationships"):
                problems.append(Problem.of(file, None, None, said("problems.sheet_missing", "problems.fix.sheet",
                                                                  sheet=sheet)))
                raws[sheet] = None
            else:
                empty, _ = frame_from_rows([], [], file)
                assert empty is not None  # no header, so no column can appear twice
                raws[sheet] = RawTable(empty.frame, [], "xlsx")
            continue
        rows = _sheet_rows(values[names[sheet]], formulas[names[sheet]], file, problems)
        if not rows or not any(rows[0]):
            problems.append(Problem.of(file, 1, None,
                said("problems.sheet_no_header", "problems.fix.sheet_header")))
            raws[sheet] = None
            continue
        # As wide as the widest row: a value under a column with no header is
        # reported (as in a CSV file), never dropped without a word.
        width = max(len(r) for r in rows)
        header = rows[0] + [""] * (width - len(rows[0]))
        body = [r + [""] * (width - len(r)) for r in rows[1:]]
        if sheet == "region":
            info, lines = {}, {}
            for i, r in enumerate(body, start=2):
                key = r[0].strip().lower() if r else ""
                if key:
                    info[key] = True if key == "reference" and r[1].lower() in ("yes", "true") else r[1]
                    lines[key] = i
            continue
        raw, p = frame_from_rows(header, body, file)
        problems += p
        raws[sheet] = raw
    if info is not None:
        info = {k: v for k, v in info.items() if v != ""}
        problems += check_info(info, lines, f"{label}[region]", path.stem)
    return build_region(info, raws, {t: f"{label}[{t}]" for t in TABLES}, f"{label}[region]",
                        problems, path, lines)


def _sheet_rows(ws_values: Any, ws_formulas: Any, file: str, problems: list[Problem]) -> list[list[str]]:
    rows: list[list[str]] = []
    header: list[str] = []
    for r_idx, (vrow, frow) in enumerate(zip(ws_values.iter_rows(values_only=True),
                                             ws_formulas.iter_rows(values_only=True), strict=False), start=1):
        texts = []
        for c_idx, (v, f) in enumerate(zip(vrow, frow, strict=False)):
            if isinstance(f, str) and f.startswith("=") and v is None:
                col = header[c_idx] if c_idx < len(header) else get_column_letter(c_idx + 1)
                problems.append(Problem.of(file, r_idx, col or get_column_letter(c_idx + 1),
                                           said("problems.formula", "problems.fix.formula", formula=f[:40])))
            texts.append(_text(v))
        if r_idx == 1:
            header = [t.strip().lower() for t in texts]
        rows.append(texts)
    while rows and not any(x.strip() for x in rows[-1]):
        rows.pop()
    return rows


# -- writing -------------------------------------------------------------------

def _texts(lang: str) -> dict[str, Any]:
    """The instructions and header comments in ``lang``, from the ``workbook`` catalogue.

    ``templates/workbook.toml`` lists which columns of each sheet carry a comment.

    >>> _texts("fr")["columns"]["agencies"]["notes"]
    'Texte libre'
    """
    with (templates_dir() / "workbook.toml").open("rb") as fh:
        layout = tomllib.load(fh)
    return {"instructions": i18n.text("workbook.instructions", lang),
            "columns": {sheet: {c: i18n.text(f"workbook.columns.{sheet}.{c}", lang) for c in cols}
                        for sheet, cols in layout["columns"].items()}}


def _lists(lang: str = i18n.DEFAULT) -> dict[str, list[tuple[str, str]]]:
    """Each drop-down's values (the codes a cell accepts) with their labels in ``lang``.

    >>> dict(_lists("fr")["formality"])["written"]
    'Écrite'
    """
    t, r = taxonomy(), rubric()

    def vocabulary(name: str) -> list[tuple[str, str]]:
        return [(v, t.label(name, v, lang)) for v in t.values(name)]

    def rubric_label(key: str) -> str:
        return i18n.text(key, lang) if i18n.has(key) else ""

    return {
        "agency_type": [*((k, t.label("agency_types", k, lang)) for k in t.agency_types),
                        *((k, t.label("forum_types", k, lang)) for k in t.forum_types)],
        "relationship_type": [(k, t.label("relationship_types", k, lang)) for k in t.relationship_types],
        "status": vocabulary("agency_status"),
        "boolean": vocabulary("boolean"),
        "formality": vocabulary("formality"),
        "frequency": vocabulary("frequency"),
        "role": vocabulary("membership_role"),
        "attendance": vocabulary("attendance"),
        "legal_basis": vocabulary("legal_basis"),
        "referral_mode": vocabulary("referral_mode"),
        "agreement_scope": vocabulary("agreement_scope"),
        "feedback_content": vocabulary("feedback_content"),
        "horizon": vocabulary("horizon"),
        "action_status": vocabulary("action_status"),
        "indicator": [(k, rubric_label(f"rubric.indicators.{k}.question") or rubric_label(f"rubric.factors.{k}"))
                      for k in r.indicators],
        "characteristic": [(k, rubric_label(f"rubric.characteristics.{k}")) for k in r.characteristics],
        "country_language": [],
    }


# (sheet, column) -> list used for its drop-down
_DROPDOWNS = {
    ("agencies", "type"): "agency_type", ("agencies", "status"): "status",
    ("agencies", "dv_relay"): "boolean", ("agencies", "lead"): "boolean",
    ("relationships", "type"): "relationship_type", ("relationships", "status"): "status",
    ("relationships", "formality"): "formality", ("relationships", "frequency"): "frequency",
    ("relationships", "role"): "role", ("relationships", "attendance"): "attendance",
    ("relationships", "legal_basis"): "legal_basis",
    ("agencies", "frequency"): "frequency", ("relationships", "mode"): "referral_mode",
    ("relationships", "scope"): "agreement_scope", ("relationships", "content"): "feedback_content",
    ("relationships", "mandatory"): "boolean", ("relationships", "temporary"): "boolean",
    ("assessment", "indicator"): "indicator",
    ("actions", "horizon"): "horizon", ("actions", "status"): "action_status",
    ("actions", "characteristic"): "characteristic",
}
#: Drop-downs of ``|``-list columns: they offer one value but accept a list typed by hand.
_LIST_CELLS = frozenset({("relationships", "scope"), ("relationships", "content")})
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_MAX_ROWS = 2000


def _put(ws: Any, row: int, col: int, value: str) -> None:
    """Write a text cell; text that looks like a formula stays text (quote prefix)."""
    cell = ws.cell(row=row, column=col)
    if not value:
        return
    cell.value = value
    if value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def build_workbook(region: Region | None, lang: str = i18n.DEFAULT) -> openpyxl.Workbook:
    """A guided workbook in ``lang``: the region's data, or blank for a working group to fill.

    The instructions, header comments and the labels beside the drop-downs' codes are in
    ``lang`` (English where it has no translation yet); sheet names, column names and
    the codes themselves stay as the import reads them.

    Parameters
    ----------
    region : Region or None
        The region whose data (region details and every table) fill the sheets; ``None``
        for a blank workbook.
    lang : str, default i18n.DEFAULT
        The language of the instructions and labels; an unsupported code falls back to English.

    Returns
    -------
    openpyxl.Workbook
        An instructions sheet, one sheet per table of the data contract with
        drop-down lists for coded columns, and the lists they draw on.
    """
    lang = i18n.supported(lang)
    texts = _texts(lang)
    lists = _lists(lang)
    wb = openpyxl.Workbook()
    ins = wb.active
    assert isinstance(ins, Worksheet)  # a new workbook opens on its one worksheet
    ins.title = "instructions"
    for i, line in enumerate(texts["instructions"].strip().splitlines(), start=1):
        _put(ins, i, 1, line)
    ins["A1"].font = Font(bold=True, size=14)
    ins.column_dimensions["A"].width = 120

    lst = wb.create_sheet("lists")
    ranges: dict[str, str] = {}
    # Two columns per list: the codes the drop-down offers, and their labels in the workbook's language.
    for j, (name, values) in enumerate(lists.items(), start=1):
        code_col = 2 * j - 1
        lst.cell(row=1, column=code_col, value=name).font = Font(bold=True)
        lst.cell(row=1, column=code_col + 1, value=f"{name}_label").font = Font(italic=True)
        for i, (v, label) in enumerate(values, start=2):
            lst.cell(row=i, column=code_col, value=v)
            _put(lst, i, code_col + 1, label)
        letter = get_column_letter(code_col)
        ranges[name] = f"{quote_sheetname('lists')}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    lst.sheet_state = "hidden"

    info = region.info if region else None
    ws = wb.create_sheet("region", 1)
    _header(ws, ["key", "value"], texts["columns"]["region"])
    for i, key in enumerate(REGION_KEYS, start=2):
        ws.cell(row=i, column=1, value=key)
        value = getattr(info, key) if info else None
        _put(ws, i, 2, value or "")
    if info and info.reference:
        ws.cell(row=len(REGION_KEYS) + 2, column=1, value="reference")
        ws.cell(row=len(REGION_KEYS) + 2, column=2, value="yes")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 60

    for table in TABLES:
        ws = wb.create_sheet(table)
        cols = list(COLUMNS[table])
        _header(ws, cols, texts["columns"][table])
        rows = table_rows(region, table) if region else []
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row, start=1):
                _put(ws, i, j, v)
        last = max(_MAX_ROWS, len(rows) + 500)
        for j, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(j)].width = 28 if col in ("name", "notes", "title") else 16
            lst_name = _DROPDOWNS.get((table, col))
            if lst_name:
                labels = "; ".join(f"{v} = {label}" for v, label in lists[lst_name] if label and label != v)
                dv = DataValidation(type="list", formula1=ranges[lst_name], allow_blank=True,
                                    showErrorMessage=(table, col) not in _LIST_CELLS, errorTitle=col,
                                    error=texts["columns"][table][col][:225],
                                    showInputMessage=bool(labels), promptTitle=col, prompt=labels[:250] or None)
                letter = get_column_letter(j)
                dv.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(dv)
    wb.move_sheet("lists", offset=len(wb.sheetnames))
    return wb


def _header(ws: Any, cols: list[str], help_texts: dict[str, str]) -> None:
    for j, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=col)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        if col in help_texts:
            cell.comment = Comment(help_texts[col], "TACTICS workbench", width=320, height=110)
    ws.freeze_panes = "A2"


def workbook_bytes(region: Region | None, lang: str = i18n.DEFAULT) -> bytes:
    """:func:`build_workbook` saved as ``.xlsx`` bytes.

    Parameters
    ----------
    region : Region or None
        The region to write; ``None`` for a blank workbook.
    lang : str, default i18n.DEFAULT
        The language of the instructions and labels.

    Returns
    -------
    bytes
        The content of an ``.xlsx`` file, ready to save or offer for download.
    """
    buf = io.BytesIO()
    build_workbook(region, lang).save(buf)
    return buf.getvalue()
