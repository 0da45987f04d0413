"""Declared schemas of the region tables, checked with pandera.

Each column names a *rule*; a rule is a vectorised pandera check plus the
plain-language message and fix shown to the person who filled the sheet.
Checks run lazily so that every problem is reported at once.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import Problem
from ..taxonomy import rubric, taxonomy

if TYPE_CHECKING:  # pandera is imported when a table is first checked (a cached region needs none of it)
    import pandera.pandas as pa

ID_RE = r"[a-z0-9][a-z0-9_-]{0,63}"
REGION_ID_RE = r"[a-z0-9][a-z0-9-]{1,39}"
BOOL_WORDS = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False,
              "oui": True, "non": False, "ja": True, "nein": False}
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SINCE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# An address may start only where a run of address characters starts: without
# that lookbehind, a long note with no "@" costs quadratic time (40,000 letters: 4 s).
_CONTACT_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w:])\+?\d(?:[ ()/.-]?\d){8,}(?![\w])")


def suggest(value: str, allowed: list[str]) -> str | None:
    """The allowed value closest to ``value``, ignoring case and spaces.

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

    >>> split_list("elderly | disabled|")
    ['elderly', 'disabled']
    """
    return [x.strip() for x in cell.split("|") if x.strip()]


@dataclass(frozen=True)
class Rule:
    """A named check on one column's non-empty cells."""

    name: str
    ok: Callable[[pd.Series], pd.Series]
    message: Callable[[str], tuple[str, str | None]]


def _choice(what: str, allowed: list[str]) -> Rule:
    allowed_set = set(allowed)

    def message(v: str) -> tuple[str, str | None]:
        s = suggest(v, allowed)
        fix = f"did you mean '{s}'?" if s else "use one of: " + ", ".join(allowed[:12]) + (
            ", …" if len(allowed) > 12 else "")
        return f"unknown {what} '{v}'", fix

    return Rule(f"choice:{what}", lambda s: s.isin(allowed_set), message)


def _list_of(what: str, allowed: list[str]) -> Rule:
    allowed_set = set(allowed)

    def ok(s: pd.Series) -> pd.Series:
        return s.map(lambda v: all(x in allowed_set for x in split_list(v)))

    def message(v: str) -> tuple[str, str | None]:
        bad = [x for x in split_list(v) if x not in allowed_set]
        s = suggest(bad[0], allowed) if bad else None
        sep_hint = " Separate several with '|'." if ("," in v or ";" in v) else ""
        return (f"unknown {what} '{bad[0] if bad else v}'",
                (f"did you mean '{s}'?" if s else f"use {what} ids from the taxonomy") + sep_hint)

    return Rule(f"list:{what}", ok, message)


def _pattern(what: str, regex: str, fix: str) -> Rule:
    return Rule(f"pattern:{what}", lambda s: s.str.fullmatch(regex),
                lambda v: (f"'{v}' is not a valid {what}", fix))


ID_FIX = "use lower-case letters, digits, '-' or '_' (at most 64), starting with a letter or digit"


def _ids(what: str) -> Rule:
    rx = re.compile(ID_RE)

    def ok(s: pd.Series) -> pd.Series:
        return s.map(lambda v: all(rx.fullmatch(x) for x in split_list(v)))

    return Rule(f"ids:{what}", ok, lambda v: (f"'{v}' is not a list of {what} ids",
                                              "separate ids with '|'; " + ID_FIX))


BOOL = Rule("bool", lambda s: s.str.lower().isin(BOOL_WORDS),
            lambda v: (f"'{v}' is not yes or no", "write yes or no (true/false, 1/0, oui/non and ja/nein also work)"))
DATE = Rule("date", lambda s: s.map(_valid_date),
            lambda v: (f"'{v}' is not a date", "write the date as YYYY-MM-DD, e.g. 2025-03-31"))
SINCE = Rule("since", lambda s: s.map(lambda v: _valid_date(v, _SINCE_RE)),
             lambda v: (f"'{v}' is not a year, month or date", "write YYYY, YYYY-MM or YYYY-MM-DD"))


#: Directions of a reported tie, read from the respondent.
SURVEY_DIRECTIONS = ("to", "from", "both")
#: The PARTNER tool's four-point trust and value scales.
RATINGS = ("1", "2", "3", "4")
RATING = Rule("rating", lambda s: s.isin(RATINGS),
              lambda v: (f"'{v}' is not a rating from 1 to 4",
                         "write 1 (not at all), 2 (a small amount), 3 (a fair amount) or 4 (a great deal)"))


def _max_len(n: int) -> Rule:
    return Rule(f"len{n}", lambda s: s.str.len() <= n,
                lambda v: (f"the text is {len(v)} characters long; at most {n} are allowed",
                           "shorten it and put details in notes"))


@dataclass(frozen=True)
class Col:
    """A column of a table: whether it must hold a value, and its rules."""

    name: str
    required: bool = False
    rules: tuple[Rule, ...] = ()


def table_specs() -> dict[str, tuple[Col, ...]]:
    """The column specs of every table, built from the taxonomy and rubric."""
    t, r = taxonomy(), rubric()
    types = [*t.agency_types, *t.forum_types]
    groups = list(t.priority_groups)
    status = t.values("agency_status")
    agency_id = _pattern("id", ID_RE, ID_FIX)
    return {
        "agencies": (
            Col("id", True, (agency_id,)),
            Col("name", True, (_max_len(200),)),
            Col("type", True, (_choice("agency type", types),)),
            Col("parent", False, (agency_id,)),
            Col("dv_relay", False, (BOOL,)),
            Col("relay_role", False, (_max_len(200),)),
            Col("target_groups", False, (_list_of("priority group", groups),)),
            Col("excluded_groups", False, (_list_of("priority group", groups),)),
            Col("area", False, (_max_len(200),)),
            Col("status", False, (_choice("status", status),)),
            Col("lead", False, (BOOL,)),
            Col("notes", False, ()),
        ),
        "relationships": (
            Col("source", True, (agency_id,)),
            Col("target", True, (agency_id,)),
            Col("type", True, (_choice("relationship type", list(t.relationship_types)),)),
            Col("formality", False, (_choice("formality", t.values("formality")),)),
            Col("frequency", False, (_choice("frequency", t.values("frequency")),)),
            Col("role", False, (_choice("forum role", t.values("membership_role")),)),
            Col("attendance", False, (_choice("attendance", t.values("attendance")),)),
            Col("legal_basis", False, (_choice("legal basis", t.values("legal_basis")),)),
            Col("since", False, (SINCE,)),
            Col("status", False, (_choice("status", status),)),
            Col("notes", False, ()),
        ),
        "assessment": (
            Col("round", True, (_pattern("round label", r"[\w.:/+ -]{1,40}",
                                         "use a short label such as 2025-baseline"),)),
            Col("indicator", True, (_choice("indicator", list(r.indicators)),)),
            Col("rater", False, (_max_len(80),)),
            Col("answer", True, ()),
            Col("evidence", False, ()),
            Col("date", False, (DATE,)),
        ),
        "actions": (
            Col("id", True, (agency_id,)),
            Col("title", True, (_max_len(300),)),
            Col("gap", False, (_pattern("gap id", r"G\d{2,3}", "use a gap id such as G01"),)),
            Col("characteristic", False, (_choice("characteristic", list(r.characteristics)),)),
            Col("owner", False, (agency_id,)),
            Col("partners", False, (_ids("agency"),)),
            Col("horizon", False, (_choice("horizon", t.values("horizon")),)),
            Col("start", False, (DATE,)),
            Col("due", False, (DATE,)),
            Col("status", False, (_choice("action status", t.values("action_status")),)),
            Col("indicator", False, ()),
            Col("notes", False, ()),
        ),
        "survey": (
            Col("round", True, (_pattern("round label", r"[\w.:/+ -]{1,40}",
                                         "use a short label such as 2026-spring"),)),
            Col("respondent", True, (agency_id,)),
            Col("partner", False, (agency_id,)),
            Col("direction", False, (_choice("direction", list(SURVEY_DIRECTIONS)),)),
            Col("type", False, (_choice("relationship type", list(t.relationship_types)),)),
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
    """Column-level checks of one table; every failing cell becomes a Problem."""
    cols = table_specs()[name]
    known = {c.name for c in cols}
    problems: list[Problem] = []
    for col in cols:
        if col.required and col.name not in columns:
            s = difflib.get_close_matches(col.name, [c for c in columns if c not in known], n=1)
            fix: str | None = (f"rename column '{s[0]}' to '{col.name}'" if s
                               else f"add a column '{col.name}' to the header row")
            problems.append(Problem(file, 1, col.name, f"required column '{col.name}' is missing", fix))
    for c in columns:
        if c not in known:
            s = difflib.get_close_matches(c, sorted(known - set(columns)), n=1)
            problems.append(Problem(
                file, 1, c, f"unknown column '{c}' is ignored",
                f"did you mean '{s[0]}'?" if s else "remove it, or keep it knowing the workbench ignores it",
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
                    msg, fix = f"'{rec.column}' must not be empty", f"fill in the {rec.column}"
                else:
                    msg, fix = rules[str(rec.check)].message(value)
                problems.append(Problem(file, int(rec.index), str(rec.column), msg, fix))
    text_cols = [c for c in ("name", "notes", "relay_role", "evidence", "rater", "title", "area")
                 if c in columns]
    for c in text_cols:
        hits = frame.index[frame[c].str.contains(_CONTACT_RE, regex=True)]
        for row in hits[:20]:
            problems.append(Problem(
                file, int(row), c, "this looks like an e-mail address or phone number",
                "record organisations and roles only, never personal contact details",
                severity="warning"))
    return problems
