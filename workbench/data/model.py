"""The typed, validated picture of one region that every other module uses.

Only :mod:`workbench.data` reads or writes region files; analysis, documents
and dashboards receive a :class:`Region`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .. import i18n
from ..errors import Problem

#: The tables of a region (one CSV file or workbook sheet each), and those a region must have.
TABLES = ("agencies", "relationships", "assessment", "actions", "survey")
REQUIRED_TABLES = ("agencies", "relationships")

# Columns of each table, in the order the contract lists them and the order
# the workbench writes them.
AGENCY_COLUMNS = (
    "id", "name", "type", "parent", "dv_relay", "relay_role", "target_groups",
    "excluded_groups", "area", "status", "lead", "notes",
)
RELATIONSHIP_COLUMNS = (
    "source", "target", "type", "formality", "frequency", "role", "attendance",
    "legal_basis", "since", "status", "notes",
)
ASSESSMENT_COLUMNS = ("round", "indicator", "rater", "answer", "evidence", "date")
ACTION_COLUMNS = (
    "id", "title", "gap", "characteristic", "owner", "partners", "horizon", "start",
    "due", "status", "indicator", "notes",
)
SURVEY_COLUMNS = ("round", "respondent", "partner", "direction", "type", "frequency", "formality",
                  "trust", "value")
REGION_KEYS = ("id", "name", "country", "language", "coordinator", "description")

#: A live status: part of today's network.
LIVE = frozenset({"active", "pilot"})


@dataclass(frozen=True, slots=True)
class Agency:
    """An organisation, a unit of one (``parent`` set) or a forum (forum type)."""

    id: str
    name: str
    type: str
    kind: str  # "organisation", "unit" or "forum"
    parent: str | None = None
    dv_relay: bool | None = None
    relay_role: str | None = None
    target_groups: tuple[str, ...] = ()
    excluded_groups: tuple[str, ...] = ()
    area: str | None = None
    status: str = "active"
    lead: bool | None = None
    notes: str | None = None

    @property
    def is_forum(self) -> bool:
        return self.kind == "forum"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE


@dataclass(frozen=True, slots=True)
class Relationship:
    """A tie; directed types read ``source`` → ``target``."""

    source: str
    target: str
    type: str
    formality: str | None = None
    frequency: str | None = None
    role: str | None = None
    attendance: str | None = None
    legal_basis: str | None = None
    since: str | None = None
    status: str = "active"
    notes: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.type)

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True, slots=True)
class Answer:
    """One rater's answer to one indicator in one assessment round."""

    round: str
    indicator: str
    answer: str
    rater: str | None = None
    evidence: str | None = None
    date: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.round, self.indicator, self.rater or "")


@dataclass(frozen=True, slots=True)
class Action:
    """A roadmap action a coordinator agreed or edited."""

    id: str
    title: str
    gap: str | None = None
    characteristic: str | None = None
    owner: str | None = None
    partners: tuple[str, ...] = ()
    horizon: str | None = None
    start: str | None = None
    due: str | None = None
    status: str | None = None
    indicator: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """One tie an organisation reported in a partner survey round (``survey.csv``).

    ``direction`` reads from the respondent: ``to`` (respondent → partner),
    ``from`` (partner → respondent) or ``both``. A row without ``type``
    reports no tie: it keeps a rating of the partner, or (without
    ``partner``) records that the respondent answered with no tie at all.
    """

    round: str
    respondent: str
    partner: str | None = None
    direction: str | None = None
    type: str | None = None
    frequency: str | None = None
    formality: str | None = None
    trust: int | None = None
    value: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.round, self.respondent, self.partner or "", self.type or "")


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """The contents of ``region.toml``."""

    id: str
    name: str
    country: str
    language: str = i18n.DEFAULT
    coordinator: str | None = None
    description: str | None = None
    reference: bool = False


@dataclass(frozen=True)
class Region:
    """A validated region: what the working group has mapped and judged."""

    info: RegionInfo
    agencies: tuple[Agency, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    assessment: tuple[Answer, ...] = ()
    actions: tuple[Action, ...] = ()
    survey: tuple[SurveyRow, ...] = ()
    source: Path | None = field(default=None, compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def name(self) -> str:
        return self.info.name

    @cached_property
    def by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in self.agencies}

    @property
    def forums(self) -> tuple[Agency, ...]:
        return tuple(a for a in self.agencies if a.kind == "forum")

    @property
    def units(self) -> tuple[Agency, ...]:
        return tuple(a for a in self.agencies if a.kind == "unit")

    @property
    def organisations(self) -> tuple[Agency, ...]:
        return tuple(a for a in self.agencies if a.kind == "organisation")

    @property
    def rounds(self) -> list[str]:
        """Assessment rounds, sorted by label."""
        return sorted({a.round for a in self.assessment})

    def table(self, name: str) -> pd.DataFrame:
        """One table as a DataFrame (columns as the records' fields)."""
        rows = getattr(self, name)
        cls = {"agencies": Agency, "relationships": Relationship,
               "assessment": Answer, "actions": Action, "survey": SurveyRow}[name]
        cols = [f.name for f in fields(cls)]
        return pd.DataFrame([_as_tuple(r) for r in rows], columns=cols)


def _as_tuple(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, f.name) for f in fields(record))


def record_dict(record: Any) -> dict[str, Any]:
    """A record as a JSON-friendly dict (tuples become lists).

    >>> d = record_dict(Agency("ngo", "Centre A", "victim_support", "organisation", target_groups=("children",)))
    >>> d["id"], d["target_groups"]
    ('ngo', ['children'])
    """
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(record).items()}
