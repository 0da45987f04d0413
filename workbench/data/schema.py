"""Declared schemas of the region tables, checked with pandera, and the checks across rows and tables.

Each column names a *rule*; a rule is a vectorised pandera check plus the
plain-language message and fix shown to the person who filled the sheet.
Checks run lazily so that every problem is reported at once.

The field checks (:func:`check_id`, :func:`check_since`, :func:`check_round`,
:func:`check_length`, :func:`contact_warning`) judge one value and give the
loader's words; the column rules are built on them, and the dashboards' forms
call them as the user types, so that a form refuses what the loader refuses.

:func:`build_region` then checks what spans rows and tables (references,
duplicates, loops) and builds the typed records. A region folder
(:mod:`.load`) and a workbook (:mod:`.workbook`) both go through it.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
import pycountry

from .. import i18n
from ..errors import Problem, RegionInvalid, Said, said
from ..taxonomy import rubric, taxonomy
from .model import (
    APPLIES_TO,
    COLUMN_KINDS,
    REQUIRED_TABLES,
    Action,
    Agency,
    Answer,
    Region,
    RegionInfo,
    Relationship,
    SurveyRow,
)
from .tables import RawTable

if TYPE_CHECKING:  # pandera is imported when a table is first checked (a cached region needs none of it)
    import pandera.pandas as pa

ID_RE = r"[a-z0-9][a-z0-9_-]{0,63}"
REGION_ID_RE = r"[a-z0-9][a-z0-9-]{1,39}"
_REGION_ID = re.compile(REGION_ID_RE)
BOOL_WORDS = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False,
              "oui": True, "non": False, "ja": True, "nein": False}
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SINCE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# An address may start only where a run of address characters starts: without
# that lookbehind, a long note with no "@" costs quadratic time (40,000 letters: 4 s).
_CONTACT_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w:])\+?\d(?:[ ()/.-]?\d){8,}(?![\w])")


def suggest(value: str, allowed: list[str]) -> str | None:
    """The allowed value closest to ``value``, ignoring case and spaces.

    Parameters
    ----------
    value : str
        What a person wrote.
    allowed : list of str
        The values the column accepts.

    Returns
    -------
    str or None
        The closest allowed value, or ``None`` when none is close enough to suggest.

    Examples
    --------
    >>> suggest("Police ", ["police", "prosecution"])
    'police'
    """
    norm = value.strip().lower().replace(" ", "_").replace("-", "_")
    if norm in allowed:
        return norm
    close = difflib.get_close_matches(norm, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _valid_date(v: str, pattern: re.Pattern[str] = _DATE_RE) -> bool:
    m = pattern.match(v)
    if not m:
        return False
    y, mo, d = (int(g) if g else 1 for g in m.groups())
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return True


def split_list(cell: str) -> list[str]:
    """Items of a ``|``-separated cell.

    Parameters
    ----------
    cell : str
        A cell such as ``"elderly | disabled"``.

    Returns
    -------
    list of str
        The items, trimmed, without empty ones.

    Examples
    --------
    >>> split_list("elderly | disabled|")
    ['elderly', 'disabled']
    """
    return [x.strip() for x in cell.split("|") if x.strip()]


@dataclass(frozen=True)
class Rule:
    """A named check on one column's non-empty cells.

    Parameters
    ----------
    name : str
        The check's name, unique within a table (``"choice:agency_type"``).
    ok : callable
        Takes the column's non-empty cells (a ``pandas.Series`` of text) and
        returns a boolean ``Series``: ``True`` where a cell passes.
    message : callable
        Takes a failing cell's text and returns the problem and its fix.
    """

    name: str
    ok: Callable[[pd.Series], pd.Series]
    message: Callable[[str], Said]


def _did_you_mean(suggestion: str | None, otherwise: str, **values: Any) -> tuple[str, dict[str, Any]]:
    """The fix key and its values: the closest allowed value if there is one, else ``otherwise``."""
    if suggestion:
        return "problems.fix.did_you_mean", {"suggestion": suggestion}
    return otherwise, values


def _choice(what: str, allowed: list[str]) -> Rule:
    """A column whose cells take one of ``allowed``; ``what`` names the message (``problems.unknown.<what>``)."""
    allowed_set = set(allowed)

    def message(v: str) -> Said:
        choices = ", ".join(allowed[:12]) + (", …" if len(allowed) > 12 else "")
        fix, values = _did_you_mean(suggest(v, allowed), "problems.fix.use_one_of", choices=choices)
        return said(f"problems.unknown.{what}", fix, value=v, **values)

    return Rule(f"choice:{what}", lambda s: s.isin(allowed_set), message)


def _list_of(what: str, allowed: list[str]) -> Rule:
    allowed_set = set(allowed)

    def ok(s: pd.Series) -> pd.Series:
        return s.map(lambda v: all(x in allowed_set for x in split_list(v)))

    def message(v: str) -> Said:
        bad = [x for x in split_list(v) if x not in allowed_set]
        fix, values = _did_you_mean(suggest(bad[0], allowed) if bad else None, f"problems.fix.taxonomy_ids.{what}")
        separate = ("problems.fix.separate",) if ("," in v or ";" in v) else ()
        return said(f"problems.unknown.{what}", fix, *separate, value=bad[0] if bad else v, **values)

    return Rule(f"list:{what}", ok, message)


def _pattern(what: str, regex: str) -> Rule:
    """A column whose cells match ``regex``: message ``problems.<what>_bad``, fix ``problems.fix.<what>``."""
    return Rule(f"pattern:{what}", lambda s: s.str.fullmatch(regex),
                lambda v: said(f"problems.{what}_bad", f"problems.fix.{what}", value=v))


_ID = re.compile(ID_RE)
ROUND_RE = r"[\w.:/+ -]{1,40}"
_ROUND = re.compile(ROUND_RE)
#: The longest name, relay role or area; the longest rater; the longest action title.
TEXT_MAX, RATER_MAX, TITLE_MAX = 200, 80, 300


# -- field checks: one value at a time, as the loader checks a cell and the dashboards' forms a field -----
# Each returns ``None`` when the value passes, else the loader's finding (:class:`~workbench.errors.Said`),
# which the loader turns into a Problem and a form shows with ``found.sentence(lang)``: the same
# sentence from the same catalogue entry in the page's language.

def check_id(value: str) -> Said | None:
    """The loader's objection to ``value`` as an id (of an agency, a unit, a forum or an action).

    Parameters
    ----------
    value : str
        The id as written.

    Returns
    -------
    Said or None
        ``None`` when the value passes; else what is wrong and how to fix it, in any language.

    Examples
    --------
    >>> check_id("police-zone-1") is None
    True
    >>> check_id("Police!").message("en")
    "'Police!' is not a valid id"
    """
    return None if _ID.fullmatch(value) else said("problems.id_bad", "problems.fix.id", value=value)


def check_since(value: str) -> Said | None:
    """The loader's objection to ``value`` as a tie's start: a year, a month or a date.

    Parameters
    ----------
    value : str
        The start as written (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    Returns
    -------
    Said or None
        ``None`` when the value passes; else what is wrong and how to fix it, in any language.

    Examples
    --------
    >>> [check_since(v) is None for v in ("2021", "2024-09", "2024-13", "2024-02-30")]
    [True, True, False, False]
    >>> check_since("March").pair("fr")
    ("« March » n'est ni une année, ni un mois, ni une date", 'écrivez AAAA, AAAA-MM ou AAAA-MM-JJ')
    """
    if _valid_date(value, _SINCE_RE):
        return None
    return said("problems.since_bad", "problems.fix.since", value=value)


def check_round(value: str) -> Said | None:
    """The loader's objection to ``value`` as the label of an assessment round.

    Parameters
    ----------
    value : str
        The round label as written.

    Returns
    -------
    Said or None
        ``None`` when the value passes; else what is wrong and how to fix it, in any language.

    Examples
    --------
    >>> check_round("2025-baseline") is None, check_round("").message()
    (True, "'' is not a valid round label")
    """
    return None if _ROUND.fullmatch(value) else said("problems.round_bad", "problems.fix.round", value=value)


def check_length(text: str, limit: int) -> Said | None:
    """The loader's objection to ``text`` being longer than ``limit`` characters.

    Parameters
    ----------
    text : str
        The cell's text.
    limit : int
        The most characters the column allows.

    Returns
    -------
    Said or None
        ``None`` when the value passes; else what is wrong and how to fix it, in any language.

    Examples
    --------
    >>> check_length("Police", TEXT_MAX) is None, check_length("x" * 81, RATER_MAX).message()
    (True, 'the text is 81 characters long; at most 80 are allowed')
    """
    if len(text) <= limit:
        return None
    return said("problems.too_long", "problems.fix.shorten", n=len(text), limit=limit)


def contact_warning(text: str) -> Said | None:
    """The loader's warning when free text holds something like an e-mail address or a phone number.

    Parameters
    ----------
    text : str
        A free-text cell (name, notes, role).

    Returns
    -------
    Said or None
        ``None`` when nothing looks like personal contact details; else the warning and its fix (the
        data hold organisations and roles only).

    Examples
    --------
    >>> contact_warning("DV referent") is None, contact_warning("call +32 470 12 34 56").message()
    (True, 'this looks like an e-mail address or phone number')
    """
    if not _CONTACT_RE.search(text or ""):
        return None
    return said("problems.contact", "problems.fix.contact")


def _field(name: str, check: Callable[[str], Said | None]) -> Rule:
    """A column rule made of a field check, so that the loader and the forms agree."""

    def message(v: str) -> Said:
        found = check(v)
        assert found is not None, v  # pandera reports only the values the check refused
        return found

    return Rule(name, lambda s: s.map(lambda v: check(v) is None), message)


def _ids(what: str) -> Rule:
    def ok(s: pd.Series) -> pd.Series:
        return s.map(lambda v: all(check_id(x) is None for x in split_list(v)))

    return Rule(f"ids:{what}", ok, lambda v: said(f"problems.ids_bad.{what}", "problems.fix.separate_ids",
                                                  "problems.fix.id", value=v))


BOOL = Rule("bool", lambda s: s.str.lower().isin(BOOL_WORDS),
            lambda v: said("problems.bool_bad", "problems.fix.bool", value=v))
DATE = Rule("date", lambda s: s.map(_valid_date),
            lambda v: said("problems.date_bad", "problems.fix.date", value=v))
SINCE = _field("since", check_since)


#: Directions of a reported tie, read from the respondent.
SURVEY_DIRECTIONS = ("to", "from", "both")
#: The PARTNER tool's four-point trust and value scales.
RATINGS = ("1", "2", "3", "4")
RATING = Rule("rating", lambda s: s.isin(RATINGS),
              lambda v: said("problems.rating_bad", "problems.fix.rating", value=v))


def _max_len(n: int) -> Rule:
    return _field(f"len{n}", lambda v: check_length(v, n))


@dataclass(frozen=True)
class Col:
    """A column of a table: whether it must hold a value, and its rules.

    Parameters
    ----------
    name : str
        The column's name in the file's header.
    required : bool, default False
        Whether the column must be present and every row hold a value.
    rules : tuple of Rule
        The checks each non-empty cell must pass.
    """

    name: str
    required: bool = False
    rules: tuple[Rule, ...] = ()


def _added(table: str) -> tuple[Col, ...]:
    """The optional columns version 1.1 adds to ``table``, with the rules their kind calls for."""
    t = taxonomy()
    out = []
    for name in APPLIES_TO.get(table, {}):
        kind, vocabulary = COLUMN_KINDS[name]
        if kind == "choice" and vocabulary:
            rule = _choice(vocabulary, t.values(vocabulary))
        elif kind == "list" and vocabulary:
            rule = _list_of(vocabulary, t.values(vocabulary))
        elif kind == "bool":
            rule = BOOL
        else:
            rule = _max_len(TEXT_MAX)
        out.append(Col(name, False, (rule,)))
    return tuple(out)


def table_specs() -> dict[str, tuple[Col, ...]]:
    """The column specs of every table, built from the taxonomy and rubric.

    Returns
    -------
    dict of str to tuple of Col
        Each table of the data contract (``agencies``, ``relationships``,
        ``assessment``, ``actions``, ``survey``) with its columns in file order.
    """
    t, r = taxonomy(), rubric()
    types = [*t.agency_types, *t.forum_types]
    groups = list(t.priority_groups)
    status = t.values("agency_status")
    agency_id = _field("pattern:id", check_id)
    return {
        "agencies": (
            Col("id", True, (agency_id,)),
            Col("name", True, (_max_len(TEXT_MAX),)),
            Col("type", True, (_choice("agency_type", types),)),
            Col("parent", False, (agency_id,)),
            Col("dv_relay", False, (BOOL,)),
            Col("relay_role", False, (_max_len(TEXT_MAX),)),
            Col("target_groups", False, (_list_of("priority_group", groups),)),
            Col("excluded_groups", False, (_list_of("priority_group", groups),)),
            Col("area", False, (_max_len(TEXT_MAX),)),
            Col("status", False, (_choice("status", status),)),
            Col("lead", False, (BOOL,)),
            Col("notes", False, ()),
            *_added("agencies"),
        ),
        "relationships": (
            Col("source", True, (agency_id,)),
            Col("target", True, (agency_id,)),
            Col("type", True, (_choice("relationship_type", list(t.relationship_types)),)),
            Col("formality", False, (_choice("formality", t.values("formality")),)),
            Col("frequency", False, (_choice("frequency", t.values("frequency")),)),
            Col("role", False, (_choice("forum_role", t.values("membership_role")),)),
            Col("attendance", False, (_choice("attendance", t.values("attendance")),)),
            Col("legal_basis", False, (_choice("legal_basis", t.values("legal_basis")),)),
            Col("since", False, (SINCE,)),
            Col("status", False, (_choice("status", status),)),
            Col("notes", False, ()),
            *_added("relationships"),
        ),
        "assessment": (
            Col("round", True, (_field("pattern:round label", check_round),)),
            Col("indicator", True, (_choice("indicator", list(r.indicators)),)),
            Col("rater", False, (_max_len(RATER_MAX),)),
            Col("answer", True, ()),
            Col("evidence", False, ()),
            Col("date", False, (DATE,)),
        ),
        "actions": (
            Col("id", True, (agency_id,)),
            Col("title", True, (_max_len(TITLE_MAX),)),
            Col("gap", False, (_pattern("gap_id", r"G\d{2,3}"),)),
            Col("characteristic", False, (_choice("characteristic", list(r.characteristics)),)),
            Col("owner", False, (agency_id,)),
            Col("partners", False, (_ids("agency"),)),
            Col("horizon", False, (_choice("horizon", t.values("horizon")),)),
            Col("start", False, (DATE,)),
            Col("due", False, (DATE,)),
            Col("status", False, (_choice("action_status", t.values("action_status")),)),
            Col("indicator", False, ()),
            Col("notes", False, ()),
        ),
        "survey": (
            Col("round", True, (_pattern("survey_round", ROUND_RE),)),
            Col("respondent", True, (agency_id,)),
            Col("partner", False, (agency_id,)),
            Col("direction", False, (_choice("direction", list(SURVEY_DIRECTIONS)),)),
            Col("type", False, (_choice("relationship_type", list(t.relationship_types)),)),
            Col("frequency", False, (_choice("frequency", t.values("frequency")),)),
            Col("formality", False, (_choice("formality", t.values("formality")),)),
            Col("trust", False, (RATING,)),
            Col("value", False, (RATING,)),
        ),
    }


def _schema(cols: tuple[Col, ...], present: set[str]) -> tuple[pa.DataFrameSchema, dict[str, Rule]]:
    import pandera.pandas as pa

    by_name: dict[str, Rule] = {}
    columns = {}
    for col in cols:
        if col.name not in present:
            continue
        checks = []
        if col.required:
            checks.append(pa.Check(lambda s: s != "", name="required", error="required"))
        for rule in col.rules:
            by_name[rule.name] = rule
            checks.append(pa.Check(lambda s, f=rule.ok: (s == "") | f(s).fillna(False).astype(bool),
                                   name=rule.name, error=rule.name))
        columns[col.name] = pa.Column(None, checks=checks, required=True)
    return pa.DataFrameSchema(columns, strict=False), by_name


def check_table(name: str, frame: pd.DataFrame, columns: list[str], file: str) -> list[Problem]:
    """Column-level checks of one table; every failing cell becomes a Problem.

    Parameters
    ----------
    name : str
        The table, a key of :func:`table_specs`.
    frame : pandas.DataFrame
        The table's non-blank rows as text, indexed by spreadsheet row number.
    columns : list of str
        The header's column names, in file order.
    file : str
        The file's name as problems show it.

    Returns
    -------
    list of Problem
        Missing required columns and failing cells as errors, unknown columns and contact-like text as
        warnings; empty when the table passes.
    """
    # A save writes one table and checks them all: the unchanged ones were checked at the last save already.
    digest = frame.attrs.get(SOURCE_DIGEST)  # the bytes the frame was read from, when the reader said
    if digest is None:
        digest = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes() if len(frame) else b""
    memo = (name, file, tuple(columns), frame.shape, digest)
    if memo in _CHECKED:
        return list(_CHECKED[memo])
    problems = _check_table(name, frame, columns, file)
    if len(_CHECKED) >= _CHECKED_MAX:
        del _CHECKED[next(iter(_CHECKED))]
    _CHECKED[memo] = tuple(problems)
    return problems


#: Key of a table's ``frame.attrs``: a digest of the file bytes the frame was read from.
SOURCE_DIGEST = "workbench_source_digest"
#: The findings of :func:`check_table` for the tables checked last, by name, file, header and content.
_CHECKED: dict[tuple[Any, ...], tuple[Problem, ...]] = {}
_CHECKED_MAX = 64


def _check_table(name: str, frame: pd.DataFrame, columns: list[str], file: str) -> list[Problem]:
    cols = table_specs()[name]
    known = {c.name for c in cols}
    problems: list[Problem] = []
    for col in cols:
        if col.required and col.name not in columns:
            s = difflib.get_close_matches(col.name, [c for c in columns if c not in known], n=1)
            missing = said("problems.column_missing", "problems.fix.rename_column", column=col.name,
                           found=s[0]) if s else said("problems.column_missing", "problems.fix.add_column",
                                                      column=col.name)
            problems.append(Problem.of(file, 1, col.name, missing))
    for c in columns:
        if c not in known:
            s = difflib.get_close_matches(c, sorted(known - set(columns)), n=1)
            fix, values = _did_you_mean(s[0] if s else None, "problems.fix.remove_column")
            problems.append(Problem.of(file, 1, c, said("problems.column_unknown", fix, column=c, **values),
                                       severity="warning"))
    from pandera.errors import SchemaErrors

    schema, rules = _schema(cols, set(columns))
    if len(frame):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                schema.validate(frame, lazy=True)
        except SchemaErrors as exc:
            fc = exc.failure_cases
            for rec in fc.itertuples(index=False):
                if rec.index is None or pd.isna(rec.index):
                    continue
                value = "" if rec.failure_case is None else str(rec.failure_case)
                if rec.check == "required":
                    found = said("problems.required", "problems.fix.required", column=str(rec.column))
                else:
                    found = rules[str(rec.check)].message(value)
                problems.append(Problem.of(file, int(rec.index), str(rec.column), found))
    text_cols = [c for c in ("name", "notes", "relay_role", "evidence", "rater", "title", "area", "instrument")
                 if c in columns]
    for c in text_cols:
        contacts = frame[c].map(contact_warning)
        for row, contact in contacts[contacts.notna()].iloc[:20].items():
            problems.append(Problem.of(file, cast(int, row), c, contact, severity="warning"))  # index: row numbers
    return problems


# -- region checks: across rows and tables, then typed records ------------------------------------

def check_info(raw: dict[str, Any], lines: dict[str, int], file: str, expected_id: str | None) -> list[Problem]:
    """Checks of region.toml (or a workbook's ``region`` sheet).

    Parameters
    ----------
    raw : dict
        The region's details as read (``id``, ``name``, ``country``, ``language`` …).
    lines : dict of str to int
        The line (or row) each key was read from.
    file : str
        The file's name as problems show it.
    expected_id : str or None
        The id the folder or workbook name gives; ``None`` to skip the comparison.

    Returns
    -------
    list of Problem
        Missing or malformed details, an id that does not match, an unknown country or language, unknown
        keys (warnings); empty when the details pass.
    """
    out: list[Problem] = []

    def bad(key: str, found: Said) -> None:
        out.append(Problem.of(file, lines.get(key), key, found))

    for key in ("id", "name", "country"):
        if not str(raw.get(key, "") or "").strip():
            bad(key, said("problems.info_missing", "problems.fix.info_add", key=key))
    for key, value in raw.items():
        if key in ("id", "name", "country", "language", "coordinator", "description"):
            if not isinstance(value, str):
                bad(key, said("problems.info_not_text", "problems.fix.info_quote", key=key))
        elif key == "reference":
            if not isinstance(value, bool):
                bad(key, said("problems.reference_bad", "problems.fix.reference"))
        else:
            out.append(Problem.of(file, lines.get(key), key,
                                  said("problems.info_unknown", "problems.fix.info_keys", key=key),
                                  severity="warning"))
    rid = str(raw.get("id", "") or "")
    if rid and not _REGION_ID.fullmatch(rid):
        bad("id", said("problems.region_id_bad", "problems.fix.region_id", value=rid))
    elif rid and expected_id is not None and rid != expected_id:
        bad("id", said("problems.region_id_mismatch", "problems.fix.region_id_match", value=rid,
                       expected=expected_id))
    name = str(raw.get("name", "") or "")
    if len(name) > 200:
        bad("name", said("problems.region_name_long", "problems.fix.shorten_name"))
    country = str(raw.get("country", "") or "")
    if country and (not re.fullmatch(r"[A-Z]{2}", country) or pycountry.countries.get(alpha_2=country) is None):
        hint = {"EL": "GR", "UK": "GB"}.get(country.upper())
        if hint is None and pycountry.countries.get(alpha_2=country.upper()):
            hint = country.upper()
        fix, values = _did_you_mean(hint, "problems.fix.country")
        bad("country", said("problems.country_bad", fix, value=country, **values))
    lang = str(raw.get("language", i18n.DEFAULT) or i18n.DEFAULT)
    if not re.fullmatch(r"[a-z]{2}", lang) or pycountry.languages.get(alpha_2=lang) is None:
        hint = lang.lower()[:2] if pycountry.languages.get(alpha_2=lang.lower()[:2]) else None
        fix, values = _did_you_mean(hint, "problems.fix.language")
        bad("language", said("problems.language_bad", fix, value=lang, **values))
    return out


def _bool(v: str) -> bool | None:
    return BOOL_WORDS.get(v.lower()) if v else None


def _lists(cols: list[pd.Series]) -> list[list[str]]:
    """Plain lists: iterating them is far faster than iterating pandas arrays."""
    return [c.tolist() for c in cols]


def _col(raw: RawTable, name: str) -> pd.Series:
    if name in raw.frame.columns:
        return raw.frame[name]
    return pd.Series([""] * len(raw.frame), index=raw.frame.index, dtype="str")


def build_region(info_raw: dict[str, Any] | None, raws: Mapping[str, RawTable | None],
                 files: Mapping[str, str], info_file: str, problems: list[Problem],
                 source: Path | None, info_lines: Mapping[str, int] | None = None) -> Region:
    """Column checks, cross-table checks, then typed records; raise on any error.

    Parameters
    ----------
    info_raw : dict or None
        The region's details as read; ``None`` when they could not be.
    raws : mapping of str to RawTable or None
        Each table as read; ``None`` for a table that could not be.
    files : mapping of str to str
        Each table's file name as problems show it.
    info_file : str
        The details' file name as problems show it.
    problems : list of Problem
        What reading found so far; the checks' problems are added to it.
    source : Path or None
        Where the region was read from, kept on the region.
    info_lines : mapping of str to int, optional
        The line each detail was read from.

    Returns
    -------
    Region
        The region's records in the workbench's canonical order, warnings kept on it.

    Raises
    ------
    RegionInvalid
        When any check finds an error; it lists every problem found, each with its fix.
    """
    for t, raw in raws.items():
        if raw is not None and raw.columns:
            problems += check_table(t, raw.frame, raw.columns, files[t])
    declared = info_raw.get("language") if info_raw is not None else None
    lang = declared if isinstance(declared, str) else None  # the words of the problems, when it is readable
    if any(p.is_error for p in problems):
        # Cross-table checks on broken tables would only add noise, except
        # when the tables themselves parsed: then run them to report all at once.
        if any(raws.get(t) is None for t in REQUIRED_TABLES):
            raise RegionInvalid(problems, lang)
    cross = CrossCheck(raws, files, info_raw, info_file, info_lines or {})
    problems += cross.run()
    if any(p.is_error for p in problems):
        raise RegionInvalid(problems, lang)
    assert info_raw is not None
    info = RegionInfo(
        id=info_raw["id"], name=info_raw["name"], country=info_raw["country"],
        language=info_raw.get("language", i18n.DEFAULT) or i18n.DEFAULT,
        coordinator=info_raw.get("coordinator") or None,
        description=info_raw.get("description") or None,
        reference=bool(info_raw.get("reference", False)),
    )
    # Records come in the canonical order the workbench writes, whatever the file order.
    region = Region(info=info, agencies=tuple(sorted(cross.agencies, key=lambda a: a.id)),
                    relationships=tuple(sorted(cross.relationships, key=lambda r: r.key)),
                    assessment=tuple(sorted(cross.assessment, key=lambda a: a.key)),
                    actions=tuple(sorted(cross.actions, key=lambda a: a.id)),
                    survey=tuple(sorted(cross.survey, key=lambda a: a.key)), source=source,
                    warnings=tuple(p for p in problems if not p.is_error))
    return region


class CrossCheck:
    """Checks that span rows or tables, and the conversion to records.

    Parameters
    ----------
    raws : mapping of str to RawTable or None
        Each table as read; ``None`` for a table that could not be.
    files : mapping of str to str
        Each table's file name as problems show it.
    info : dict or None
        The region's details as read.
    info_file : str
        The details' file name as problems show it.
    info_lines : mapping of str to int
        The line each detail was read from.
    """

    def __init__(self, raws: Mapping[str, RawTable | None], files: Mapping[str, str],
                 info: dict[str, Any] | None, info_file: str, info_lines: Mapping[str, int]):
        self.raws, self.files, self.info, self.info_file = raws, files, info, info_file
        self.info_lines = info_lines
        self.problems: list[Problem] = []
        self.agencies: tuple[Agency, ...] = ()
        self.relationships: tuple[Relationship, ...] = ()
        self.assessment: tuple[Answer, ...] = ()
        self.actions: tuple[Action, ...] = ()
        self.survey: tuple[SurveyRow, ...] = ()

    def add(self, table: str, row: Any, col: str | None, found: Said, severity: str = "error") -> None:
        """Record one problem found in a table's row.

        Parameters
        ----------
        table : str
            The table's name (``"relationships"``); the problem names its file.
        row : Any
            The spreadsheet row number (a :class:`RawTable` frame's index label).
        col : str or None
            The column the problem is in; ``None`` when it is about the whole row.
        found : Said
            The catalogue keys and values of the message and its fix.
        severity : str, optional
            ``"error"`` (the region cannot be loaded) or ``"warning"``.
        """
        self.problems.append(Problem.of(self.files[table], int(row), col, found, severity))

    def run(self) -> list[Problem]:
        """Run every check across rows and tables, and build the records of the tables that were read.

        A table that could not be read, or lacks the columns its checks need,
        is passed over; references to agencies are checked only when
        ``agencies.csv`` was read. The records are left in ``agencies``,
        ``relationships``, ``assessment``, ``actions`` and ``survey``.

        Returns
        -------
        list of Problem
            Every problem found so far, errors and warnings (also kept in ``problems``).
        """
        # None when agencies.csv could not be read (then references are not
        # checked, to spare noise); {} when it was read and holds no agency.
        ids: dict[str, str] | None = None
        raw = self.raws.get("agencies")
        if raw is not None and "id" in raw.columns and "type" in raw.columns:
            ids = self._agencies(raw)
        if self.info is not None:
            coord = self.info.get("coordinator")
            if coord and isinstance(coord, str) and ids is not None and coord not in ids:
                fix, values = _did_you_mean(suggest(coord, list(ids)), "problems.fix.agency_id")
                self.problems.append(Problem.of(self.info_file, self.info_lines.get("coordinator"), "coordinator",
                                                said("problems.coordinator_unknown", fix, value=coord, **values)))
        raw = self.raws.get("relationships")
        if raw is not None and {"source", "target", "type"} <= set(raw.columns):
            self._relationships(raw, ids)
        raw = self.raws.get("assessment")
        if raw is not None and {"round", "indicator", "answer"} <= set(raw.columns):
            self._assessment(raw)
        raw = self.raws.get("actions")
        if raw is not None and {"id", "title"} <= set(raw.columns):
            self._actions(raw, ids)
        raw = self.raws.get("survey")
        if raw is not None and {"round", "respondent"} <= set(raw.columns):
            self.survey = survey_rows(raw, ids, self.files["survey"], self.problems)
        return self.problems

    def _unknown_ref(self, table: str, rows: pd.Series, col: str, ids: Mapping[str, str],
                     what: str = "agency") -> None:
        known = list(ids)
        for row, v in rows.items():
            fix, values = _did_you_mean(suggest(v, known), "problems.fix.add_agency")
            self.add(table, row, col, said(f"problems.unknown.{what}", fix, value=v, **values))

    def _agencies(self, raw: RawTable) -> dict[str, str]:
        f = raw.frame
        forum_types = taxonomy().forum_types
        idcol = f["id"]
        dup = idcol[idcol.duplicated(keep="first") & (idcol != "")]
        first = {v: r for r, v in idcol[~idcol.duplicated(keep="first")].items()}
        for row, v in dup.items():
            self.add("agencies", row, "id", said("problems.duplicate_id", "problems.fix.own_id", value=v,
                                                 first=first[v]))
        ids = dict(zip(idcol, f["type"], strict=True))
        parent = _col(raw, "parent")
        has_parent = parent != ""
        unknown = parent[has_parent & ~parent.isin(ids.keys())]
        self._unknown_ref("agencies", unknown, "parent", ids, "parent")
        for row in f.index[has_parent & (parent == idcol)]:
            self.add("agencies", row, "parent", said("problems.own_parent", "problems.fix.clear_parent"))
        forum_parent = has_parent & parent.map(lambda p: ids.get(p) in forum_types).astype(bool)
        for row, v in parent[forum_parent].items():
            self.add("agencies", row, "parent", said("problems.parent_forum", "problems.fix.parent_forum",
                                                     value=v))
        is_forum = f["type"].isin(forum_types.keys())
        for row in f.index[is_forum & has_parent]:
            self.add("agencies", row, "parent", said("problems.forum_unit", "problems.fix.forum_unit"))
        self._parent_cycles(dict(zip(idcol, parent, strict=True)), dict(zip(idcol, f.index, strict=True)))
        kind = pd.Series("organisation", index=f.index)
        kind[has_parent] = "unit"
        kind[is_forum] = "forum"
        status = _col(raw, "status").replace("", "active")
        self._not_applying("agencies", raw, kind.where(is_forum, f["type"]))
        cols = [idcol, _col(raw, "name"), f["type"], kind, parent, _col(raw, "dv_relay"), _col(raw, "relay_role"),
                _col(raw, "target_groups"), _col(raw, "excluded_groups"), _col(raw, "area"), status,
                _col(raw, "lead"), _col(raw, "notes"), _col(raw, "frequency")]
        self.agencies = tuple(
            Agency(i, n, t, k, p or None, _bool(dv), rr or None, tuple(split_list(tg)),
                   tuple(split_list(eg)), ar or None, st, _bool(ld), nt or None, fq or None)
            for i, n, t, k, p, dv, rr, tg, eg, ar, st, ld, nt, fq in zip(*_lists(cols), strict=True)
        )
        return ids

    def _not_applying(self, table: str, raw: RawTable, row_types: pd.Series) -> None:
        """A version-1.1 cell on a row whose type it does not apply to: an error naming the column and the types.

        ``row_types`` holds each row's type, or ``"forum"`` for a forum's row.
        """
        which = "forums" if table == "agencies" else "ties"
        forum_types = ", ".join(taxonomy().forum_types)
        for column, types in APPLIES_TO[table].items():
            cells = _col(raw, column)
            named = forum_types if types == ("forum",) else ", ".join(types)
            for row in raw.frame.index[(cells != "") & ~row_types.isin(types)]:
                self.add(table, row, column, said(f"problems.column_only.{which}", f"problems.fix.column_only.{which}",
                                                  column=column, types=named, type=raw.frame.at[row, "type"]))

    def _parent_cycles(self, parents: dict[str, str], rows: dict[str, int]) -> None:
        for start in parents:
            seen = [start]
            cur = parents.get(start)
            while cur and cur in parents and cur not in seen:
                seen.append(cur)
                cur = parents.get(cur)
            if cur == start and len(seen) > 1:
                self.add("agencies", rows[start], "parent",
                         said("problems.parent_loop", "problems.fix.parent_loop",
                              loop=" → ".join([*seen, start])))

    def _relationships(self, raw: RawTable, ids: Mapping[str, str] | None) -> None:
        f = raw.frame
        tax = taxonomy()
        forum_types = tax.forum_types
        src, tgt, typ = f["source"], f["target"], f["type"]
        if ids is not None:
            for col, s in (("source", src), ("target", tgt)):
                self._unknown_ref("relationships", s[(s != "") & ~s.isin(ids.keys())], col, ids)
        for row in f.index[(src == tgt) & (src != "")]:
            self.add("relationships", row, "target", said("problems.self_tie", "problems.fix.self_tie"))
        key = src + "\x1f" + tgt + "\x1f" + typ
        first = {v: r for r, v in key[~key.duplicated(keep="first")].items()}
        for row, v in key[key.duplicated(keep="first")].items():
            self.add("relationships", row, "type",
                     said("problems.duplicate_tie", "problems.fix.duplicate_tie", source=src.at[row],
                          target=tgt.at[row], type=typ.at[row], first=first[v]))
        sym = typ.isin(tax.symmetric_types)
        mirror = tgt + "\x1f" + src + "\x1f" + typ
        dup_mirror = sym & mirror.isin(set(key[sym])) & (src > tgt)
        for row in f.index[dup_mirror]:
            self.add("relationships", row, "type",
                     said("problems.reverse_tie", "problems.fix.reverse_tie", type=typ[row], source=src[row],
                          target=tgt[row]), "warning")
        membership = typ == "forum_membership"
        for col in ("role", "attendance"):
            c = _col(raw, col)
            for row in f.index[(c != "") & ~membership]:
                self.add("relationships", row, col,
                         said("problems.membership_only", "problems.fix.membership_only", column=col))
        if ids is not None:
            tgt_type = tgt.map(ids)
            src_type = src.map(ids)
            for row in f.index[membership & tgt.isin(ids.keys()) & ~tgt_type.isin(forum_types.keys())]:
                self.add("relationships", row, "target",
                         said("problems.not_forum", "problems.fix.membership_target", value=tgt[row]))
            tasking = typ == "tasking"
            for row in f.index[tasking & src.isin(ids.keys()) & ~src_type.isin(forum_types.keys())]:
                self.add("relationships", row, "source",
                         said("problems.not_forum", "problems.fix.tasking_source", value=src[row]))
        self._not_applying("relationships", raw, typ)
        status = _col(raw, "status").replace("", "active")
        cols = [src, tgt, typ, _col(raw, "formality"), _col(raw, "frequency"), _col(raw, "role"),
                _col(raw, "attendance"), _col(raw, "legal_basis"), _col(raw, "since"), status,
                _col(raw, "notes"), _col(raw, "mode"), _col(raw, "scope"), _col(raw, "instrument"),
                _col(raw, "mandatory"), _col(raw, "temporary"), _col(raw, "content")]
        self.relationships = tuple(
            Relationship(s, t, ty, fo or None, fr or None, ro or None, at or None, lb or None,
                         si or None, st, nt or None, mo or None, tuple(split_list(sc)), ins or None,
                         _bool(ma), _bool(te), tuple(split_list(co)))
            for s, t, ty, fo, fr, ro, at, lb, si, st, nt, mo, sc, ins, ma, te, co in zip(*_lists(cols), strict=True)
        )

    def _assessment(self, raw: RawTable) -> None:
        f = raw.frame
        rb = rubric()
        indicators = rb.indicators
        rater = _col(raw, "rater")
        for row, ind, ans in zip(f.index, f["indicator"].tolist(), f["answer"].tolist(), strict=True):
            if ind not in indicators or not ans:
                continue
            try:
                rb.score(ind, ans)
            except (ValueError, KeyError):
                words = indicators[ind]["answers"]
                fix, values = _did_you_mean(suggest(ans, [w.lower() for w in words]), "problems.fix.answer",
                                            words=", ".join(words))
                self.add("assessment", row, "answer", said("problems.answer_bad", fix, value=ans, indicator=ind,
                                                           **values))
        key = f["round"] + "\x1f" + f["indicator"] + "\x1f" + rater
        first = {v: r for r, v in key[~key.duplicated(keep="first")].items()}
        for row, v in key[key.duplicated(keep="first")].items():
            which = "problems.duplicate_answer" if rater.at[row] else "problems.duplicate_answer_unnamed"
            self.add("assessment", row, "indicator",
                     said(which, "problems.fix.duplicate_answer", rater=rater.at[row],
                          indicator=f["indicator"].at[row], round=f["round"].at[row], first=first[v]))
        cols = [f["round"], f["indicator"], f["answer"], rater, _col(raw, "evidence"), _col(raw, "date")]
        self.assessment = tuple(
            Answer(r, i, a.lower(), ra or None, e or None, d or None)
            for r, i, a, ra, e, d in zip(*_lists(cols), strict=True)
        )

    def _actions(self, raw: RawTable, ids: Mapping[str, str] | None) -> None:
        f = raw.frame
        idcol = f["id"]
        first = {v: r for r, v in idcol[~idcol.duplicated(keep="first")].items()}
        for row, v in idcol[idcol.duplicated(keep="first") & (idcol != "")].items():
            self.add("actions", row, "id", said("problems.duplicate_action", "problems.fix.own_action_id",
                                                value=v, first=first[v]))
        owner, partners = _col(raw, "owner"), _col(raw, "partners")
        if ids is not None:
            self._unknown_ref("actions", owner[(owner != "") & ~owner.isin(ids.keys())], "owner", ids)
            for row, cell in partners[partners != ""].items():
                bad = [p for p in split_list(cell) if p not in ids]
                if bad:
                    self._unknown_ref("actions", pd.Series([bad[0]], index=[row]), "partners", ids)
        start, due = _col(raw, "start"), _col(raw, "due")
        both = (start != "") & (due != "") & start.str.fullmatch(r"\d{4}-\d{2}-\d{2}") & due.str.fullmatch(
            r"\d{4}-\d{2}-\d{2}")
        for row in f.index[both & (due < start)]:
            self.add("actions", row, "due", said("problems.due_before_start", "problems.fix.swap_dates",
                                                 due=due[row], start=start[row]))
        cols = [idcol, f["title"], _col(raw, "gap"), _col(raw, "characteristic"), owner, partners,
                _col(raw, "horizon"), start, due, _col(raw, "status"), _col(raw, "indicator"),
                _col(raw, "notes")]
        self.actions = tuple(
            Action(i, ti, g or None, c or None, o or None, tuple(split_list(p)), h or None, s or None,
                   d or None, st or None, ind or None, n or None)
            for i, ti, g, c, o, p, h, s, d, st, ind, n in zip(*_lists(cols), strict=True)
        )


def survey_rows(raw: RawTable, ids: Mapping[str, str] | None, file: str,
                problems: list[Problem]) -> tuple[SurveyRow, ...]:
    """Cross-row checks of reported ties (``survey.csv`` or a returned survey workbook).

    ``ids`` maps the region's agency ids to their types (``None``: not known,
    references are not checked). Problems are appended to ``problems``.

    Parameters
    ----------
    raw : RawTable
        The reported ties as read.
    ids : mapping of str to str or None
        The region's agency ids and their types.
    file : str
        The file's name as problems show it.
    problems : list of Problem
        Where the problems found are appended.

    Returns
    -------
    tuple of SurveyRow
        One record per data row, in file order, problems or not: the caller decides what errors stop.
    """
    f = raw.frame
    tax = taxonomy()
    forums = tax.forum_types
    sym = tax.symmetric_types

    def add(row: Any, col: str, found: Said) -> None:
        problems.append(Problem.of(file, int(row), col, found))

    cols = {c: _col(raw, c).tolist() for c in ("round", "respondent", "partner", "direction", "type",
                                                "frequency", "formality", "trust", "value")}
    known = list(ids or ())
    first: dict[tuple[str, ...], int] = {}
    ratings: dict[tuple[str, str, str], tuple[str, int]] = {}
    rows: list[SurveyRow] = []
    for i, row in enumerate(f.index):
        rnd, who, partner, direction, typ, freq, form, trust, value = (cols[c][i] for c in cols)
        if ids is not None and who and who not in ids:
            fix, values = _did_you_mean(suggest(who, known), "problems.fix.agency_id")
            add(row, "respondent", said("problems.unknown.agency", fix, value=who, **values))
        elif ids is not None and ids.get(who) in forums:
            add(row, "respondent", said("problems.survey_forum", "problems.fix.survey_forum", value=who))
        if partner and ids is not None and partner not in ids:
            fix, values = _did_you_mean(suggest(partner, known), "problems.fix.roster_id")
            add(row, "partner", said("problems.partner_unknown", fix, value=partner, **values))
        if partner and partner == who:
            add(row, "partner", said("problems.survey_self", "problems.fix.clear_row"))
        if not typ:
            for col, v in (("direction", direction), ("frequency", freq), ("formality", form)):
                if v:
                    add(row, col, said("problems.type_empty", "problems.fix.type_empty", column=col))
                    break
        elif not partner:
            add(row, "partner", said("problems.partner_missing", "problems.fix.partner_missing"))
        elif not direction and typ not in sym:
            add(row, "direction", said("problems.direction_missing", "problems.fix.direction", type=typ))
        if typ in ("forum_membership", "tasking") and partner and ids is not None and partner in ids:
            need = "to" if typ == "forum_membership" else "from"
            if ids[partner] not in forums:
                add(row, "type", said("problems.survey_not_forum", "problems.fix.other_type", value=partner,
                                      type=typ))
            elif direction and direction != need:
                add(row, "direction", said(f"problems.runs_{need}_forum", "problems.fix.choose", type=typ,
                                           value=need))
        key = (rnd, who, partner, typ)
        if key in first:
            add(row, "type", said("problems.survey_duplicate" if typ else "problems.survey_duplicate_no_tie",
                                  "problems.fix.survey_duplicate", partner=partner or "-", type=typ,
                                  first=first[key]))
        else:
            first[key] = int(row)
        for col, v in (("trust", trust), ("value", value)):
            if not v or not partner:
                continue
            seen = ratings.setdefault((rnd, who, partner + "\x1f" + col), (v, int(row)))
            if seen[0] != v:
                add(row, col, said(f"problems.rating_differs.{col}", f"problems.fix.one_rating.{col}",
                                   partner=partner, value=v, other=seen[0], first=seen[1]))
        rows.append(SurveyRow(rnd, who, partner or None, direction or None, typ or None, freq or None,
                              form or None, int(trust) if trust in ("1", "2", "3", "4") else None,
                              int(value) if value in ("1", "2", "3", "4") else None))
    return tuple(rows)
