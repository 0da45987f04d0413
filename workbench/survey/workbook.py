"""Partner survey workbooks: one per organisation, made and read back.

A workbook made for agency ``A`` has an ``instructions`` sheet, a ``ties``
sheet whose header is exactly :data:`TIES_HEADER` with one pre-filled row per
other active agency or forum (``partner``, ``partner_name``; the other cells
empty), an ``about`` sheet (``agency`` fixed, ``respondent_role`` a role,
``region`` fixed) and a hidden ``lists`` sheet behind the drop-downs. The
pre-filled columns are locked (sheet protection without a password, against
slips, not against intent); rows below the roster are open for copies.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import i18n
from ..data.model import Agency, Region, SurveyRow
from ..data.schema import RATINGS, SURVEY_DIRECTIONS, check_table, survey_rows
from ..data.tables import frame_from_rows
from ..data.workbook import _put, _sheet_rows
from ..errors import Problem
from ..taxonomy import taxonomy

TIES_HEADER = ("partner", "partner_name", "direction", "type", "frequency", "formality", "trust", "value")
ABOUT_KEYS = ("agency", "respondent_role", "region")
#: Open rows below the roster, for a second type of tie with a partner.
SPARE_ROWS = 200
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_FIXED_FILL = PatternFill("solid", fgColor="E7E6E6")


def respondents(region: Region) -> list[Agency]:
    """The organisations (and units) asked to answer: every active one that is not a forum.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    list of Agency
        The agencies whose status is ``active`` and that are not forums, in
        file order.
    """
    return [a for a in region.agencies if not a.is_forum and a.status == "active"]


def roster(region: Region, agency_id: str) -> list[Agency]:
    """The partners listed in ``agency_id``'s workbook: every other active agency or forum.

    Parameters
    ----------
    region : Region
        A loaded region.
    agency_id : str
        The id of the organisation the workbook is for.

    Returns
    -------
    list of Agency
        Every other agency, unit or forum whose status is ``active``, in file
        order.
    """
    return [a for a in region.agencies if a.status == "active" and a.id != agency_id]


_WORDS = ("title", "instructions", "about_agency", "about_role", "about_region", *TIES_HEADER)


def texts(lang: str) -> dict[str, str]:
    """The workbook's words in ``lang`` from the ``survey`` catalogue (English where not translated).

    Parameters
    ----------
    lang : str
        A language code; an unsupported one gives English.

    Returns
    -------
    dict of str to str
        The title, instructions, ``about`` help texts and one help text per
        column of :data:`TIES_HEADER`, by key.

    Examples
    --------
    >>> texts("fr")["trust"][:14]
    '1 pas du tout,'
    """
    return {w: i18n.text(f"survey.{w}", lang) for w in _WORDS}


def build_survey_workbook(region: Region, agency: Agency, lang: str = i18n.DEFAULT) -> openpyxl.Workbook:
    """The guided survey workbook for one organisation of ``region``.

    Parameters
    ----------
    region : Region
        The region surveyed.
    agency : Agency
        The organisation that will answer.
    lang : str
        The language code of the workbook's words (English where not
        translated).

    Returns
    -------
    openpyxl.Workbook
        The workbook with its ``instructions``, ``ties``, ``about`` and
        hidden ``lists`` sheets, ready to save.
    """
    t = texts(lang)
    tax = taxonomy()
    partners = roster(region, agency.id)
    wb = openpyxl.Workbook()
    ins = wb.active
    assert isinstance(ins, Worksheet)  # a new workbook opens on its one worksheet
    ins.title = "instructions"
    _put(ins, 1, 1, t["title"].format(agency=agency.name))
    ins["A1"].font = Font(bold=True, size=14)
    body = t["instructions"].format(agency=agency.name, region=region.name, agency_id=agency.id)
    for i, line in enumerate(body.strip().splitlines(), start=3):
        _put(ins, i, 1, line)
    ins.column_dimensions["A"].width = 120

    lists = {"partner": [a.id for a in partners], "direction": list(SURVEY_DIRECTIONS),
             "type": list(tax.relationship_types), "frequency": tax.values("frequency"),
             "formality": tax.values("formality"), "rating": list(RATINGS)}
    lst = wb.create_sheet("lists")
    ranges: dict[str, str] = {}
    for j, (name, values) in enumerate(lists.items(), start=1):
        lst.cell(row=1, column=j, value=name)
        for i, v in enumerate(values, start=2):
            _put(lst, i, j, v)
        letter = get_column_letter(j)
        ranges[name] = f"{quote_sheetname('lists')}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    lst.sheet_state = "hidden"

    ws = wb.create_sheet("ties", 1)
    for j, col in enumerate(TIES_HEADER, start=1):
        cell = ws.cell(row=1, column=j, value=col)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cell.comment = Comment(t[col], "TACTICS workbench", width=320, height=110)
        ws.column_dimensions[get_column_letter(j)].width = 40 if col == "partner_name" else 18
    ws.freeze_panes = "A2"
    last = len(partners) + 1 + SPARE_ROWS
    open_cell = Protection(locked=False)
    for i, a in enumerate(partners, start=2):
        _put(ws, i, 1, a.id)
        _put(ws, i, 2, a.name)
        for j in (1, 2):
            ws.cell(row=i, column=j).fill = _FIXED_FILL
    for i in range(2, last + 1):
        for j in range(3 if i <= len(partners) + 1 else 1, len(TIES_HEADER) + 1):
            ws.cell(row=i, column=j).protection = open_cell
    for j, col in enumerate(TIES_HEADER, start=1):
        name = {"trust": "rating", "value": "rating"}.get(col, col)
        if name not in ranges:
            continue
        first = len(partners) + 2 if col == "partner" else 2
        letter = get_column_letter(j)
        dv = DataValidation(type="list", formula1=ranges[name], allow_blank=True, showErrorMessage=True,
                            errorTitle=col, error=t[col][:225])
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(dv)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.autoFilter = False

    about = wb.create_sheet("about", 2)
    for j, col in enumerate(("key", "value", "help"), start=1):
        about.cell(row=1, column=j, value=col).font = Font(bold=True)
    for i, (key, value, help_key) in enumerate(
            (("agency", agency.id, "about_agency"), ("respondent_role", "", "about_role"),
             ("region", region.id, "about_region")), start=2):
        about.cell(row=i, column=1, value=key)
        _put(about, i, 2, value)
        _put(about, i, 3, t[help_key])
    about["B3"].protection = open_cell
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 36
    about.column_dimensions["C"].width = 90
    about.protection.sheet = True
    wb.move_sheet("lists", offset=len(wb.sheetnames))
    return wb


def survey_workbook_bytes(region: Region, agency: Agency, lang: str = i18n.DEFAULT) -> bytes:
    """:func:`build_survey_workbook` saved as ``.xlsx`` bytes.

    Parameters
    ----------
    region : Region
        The region surveyed.
    agency : Agency
        The organisation that will answer.
    lang : str
        The language code of the workbook's words.

    Returns
    -------
    bytes
        The ``.xlsx`` file.
    """
    buf = io.BytesIO()
    build_survey_workbook(region, agency, lang).save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class Returned:
    """A returned workbook as read: who answered (``None`` if unreadable), its ties and problems.

    Parameters
    ----------
    file : str
        The workbook's file name as returned.
    agency : str or None
        The agency id from the ``about`` sheet; ``None`` when the workbook
        cannot be read or the cell is empty.
    region : str or None
        The region id from the ``about`` sheet; ``None`` when unreadable or
        empty.
    role : str or None
        The respondent's role from the ``about`` sheet (a role, never a
        name); ``None`` when not given.
    rows : tuple of SurveyRow
        The answered rows of the ``ties`` sheet; empty when the sheet cannot
        be used.
    problems : tuple of Problem
        Each naming the file and sheet (``"police.xlsx[ties]"``), the row as
        the respondent sees it and the column.
    """

    file: str
    agency: str | None
    region: str | None
    role: str | None
    rows: tuple[SurveyRow, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether the workbook can be used: it names its agency and has no error."""
        return self.agency is not None and not any(p.is_error for p in self.problems)


def read_survey_workbook(data: bytes, name: str, region: Region, round_: str) -> Returned:
    """Read and check one returned survey workbook against ``region``.

    Every problem names the file, the sheet, the row as the respondent sees it
    and the column; a workbook with any error is not used at all.

    Parameters
    ----------
    data : bytes
        The workbook file's bytes.
    name : str
        Its file name, for problems.
    region : Region
        The region the workbook should have been made for.
    round_ : str
        The round's label, given to every row.

    Returns
    -------
    Returned
        Who answered, the rows and the problems; a file that is not a
        readable workbook gives no agency and one problem, never an
        exception.
    """
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError,
            IndexError, AttributeError, EOFError) as exc:
        return Returned(name, None, None, None, (), (Problem(
            name, None, None, f"not a readable .xlsx workbook ({type(exc).__name__})",
            "open it in Excel or LibreOffice and save it again as .xlsx"),))
    try:
        return _read(values, formulas, name, region, round_)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, EOFError) as exc:
        return Returned(name, None, None, None, (), (Problem(
            name, None, None, f"the workbook is damaged ({type(exc).__name__})",
            "open it in Excel or LibreOffice and save it again as .xlsx"),))
    finally:
        values.close()
        formulas.close()


def _read(values: Any, formulas: Any, name: str, region: Region, round_: str) -> Returned:
    problems: list[Problem] = []
    sheets = {s.strip().lower(): s for s in values.sheetnames}
    missing = [s for s in ("ties", "about") if s not in sheets]
    if missing:
        return Returned(name, None, None, None, (), tuple(Problem(
            f"{name}[{s}]", None, None, f"sheet '{s}' is missing",
            "send back the workbook made by `workbench survey make` with its sheet names unchanged")
            for s in missing))
    about_file = f"{name}[about]"
    about_rows = _sheet_rows(values[sheets["about"]], formulas[sheets["about"]], about_file, problems)
    about = {r[0].strip().lower(): (r[1].strip() if len(r) > 1 else "", i)
             for i, r in enumerate(about_rows[1:], start=2) if r and r[0].strip()}
    agency, agency_row = about.get("agency", ("", None))
    region_id, region_row = about.get("region", ("", None))
    role, role_row = about.get("respondent_role", ("", None))
    if region_id != region.id:
        problems.append(Problem(about_file, region_row, "region",
                                f"this workbook was made for region '{region_id or '?'}', not '{region.id}'",
                                f"collect it with that region, or send {agency or 'the partner'} "
                                f"the workbook made for {region.id}"))
    asked = {a.id for a in respondents(region)}
    if agency not in asked:
        problems.append(Problem(about_file, agency_row, "agency",
                                f"'{agency or '-'}' is not an active organisation of {region.id}",
                                "do not change the agency cell; use the workbook made for this organisation"))
    if role and ("@" in role or sum(c.isdigit() for c in role) >= 6 or len(role) > 80):
        problems.append(Problem(about_file, role_row, "respondent_role",
                                "this looks like contact details or a sentence, not a role",
                                "write a role such as ngo-coordinator, never a name or an address"))
    ties_file = f"{name}[ties]"
    rows = _sheet_rows(values[sheets["ties"]], formulas[sheets["ties"]], ties_file, problems)
    header = tuple(c.strip().lower() for c in rows[0]) if rows else ()
    while header and not header[-1]:
        header = header[:-1]
    if header != TIES_HEADER:
        problems.append(Problem(ties_file, 1, None, "the header row was changed: it must be exactly "
                                + ", ".join(TIES_HEADER),
                                "copy your answers into a fresh workbook from `workbench survey make`"))
        return Returned(name, agency or None, region_id or None, role or None, (), tuple(problems))
    width = len(TIES_HEADER)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    for i, r in enumerate(rows[1:], start=2):
        if any(x.strip() for x in r[width:]):
            problems.append(Problem(ties_file, i, None, "a cell holds a value right of the value column",
                                    "clear it; the survey has no other columns"))
    raw, p = frame_from_rows(TIES_HEADER, body, ties_file)
    problems += p
    out: tuple[SurveyRow, ...] = ()
    if raw is not None:
        names = {a.id: a.name for a in region.agencies}
        f = raw.frame
        for row, pid, pname in zip(f.index, f["partner"].tolist(), f["partner_name"].tolist(), strict=True):
            if pid in names and pname and pname != names[pid]:
                problems.append(Problem(ties_file, int(row), "partner_name",
                                        f"the name '{pname}' is not that of partner '{pid}' ({names[pid]})",
                                        "do not edit the pre-filled columns: restore the row, and add a "
                                        "row at the bottom for another partner"))
        # A row holding only the pre-filled roster cells is no answer at all.
        answered = (f[[c for c in TIES_HEADER[2:]]] != "").any(axis=1)
        raw.frame = f[answered | ~f["partner"].isin(names)].copy()
        raw.frame.insert(0, "round", round_)
        raw.frame.insert(1, "respondent", agency)
        raw.frame = raw.frame.drop(columns="partner_name")
        raw.columns = list(raw.frame.columns)
        problems += check_table("survey", raw.frame, raw.columns, ties_file)
        ids = {a.id: a.type for a in region.agencies}
        out = survey_rows(raw, ids, ties_file, problems)
        for row, rec in zip(raw.frame.index, out, strict=True):
            if rec.partner and rec.partner in ids and region.by_id[rec.partner].status != "active":
                problems.append(Problem(ties_file, int(row), "partner",
                                        f"'{rec.partner}' is not an active partner of the region",
                                        "report ties with the partners listed in the roster"))
    # check_table's survey columns say "survey"; make them speak of this sheet's columns.
    problems = [p for p in problems if p.column not in ("round", "respondent") or p.file == about_file]
    return Returned(name, agency or None, region_id or None, role or None, out, tuple(problems))


def survey_file_name(agency_id: str) -> str:
    """The file name a workbook travels under: ``<agency-id>.xlsx``.

    Parameters
    ----------
    agency_id : str
        The organisation's agency id.

    Returns
    -------
    str
        ``<agency_id>.xlsx``.
    """
    return f"{agency_id}.xlsx"


def write_all(region: Region, out: Path, lang: str) -> list[Path]:
    """Write one workbook per organisation into ``out`` (atomically each); return the paths.

    Parameters
    ----------
    region : Region
        The region surveyed.
    out : pathlib.Path
        The folder to write into, created if needed; existing workbooks of
        the same names are replaced.
    lang : str
        The language code of the workbooks' words.

    Returns
    -------
    list of pathlib.Path
        One path per respondent (:func:`respondents`), in the same order.

    Raises
    ------
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from ..files import atomic_write, output_dir

    output_dir(out)
    paths = []
    for a in respondents(region):
        path = out / survey_file_name(a.id)
        atomic_write(path, survey_workbook_bytes(region, a, lang))
        paths.append(path)
    return paths
