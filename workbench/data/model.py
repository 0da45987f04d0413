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
#: Version 1.1's optional columns, written only when a row uses them (so that a
#: version-1 folder is rewritten unchanged), each with the row types it applies
#: to: forum types (``"forum"``) for agencies, relationship type ids for ties.
AGENCY_COLUMNS_1_1 = ("frequency",)
RELATIONSHIP_COLUMNS_1_1 = ("mode", "scope", "instrument", "mandatory", "temporary", "content")
APPLIES_TO: dict[str, dict[str, tuple[str, ...]]] = {
    "agencies": {"frequency": ("forum",)},
    "relationships": {
        "mode": ("referral",),
        "scope": ("formal_agreement", "information_sharing"),
        "instrument": ("shared_instrument", "statutory_duty"),
        "mandatory": ("training",),
        "temporary": ("funding",),
        "content": ("feedback",),
    },
}
#: The kind of each version-1.1 column's cells: a closed vocabulary of the
#: taxonomy (one value, or a ``|``-list), a boolean, or free text.
COLUMN_KINDS: dict[str, tuple[str, str | None]] = {
    "frequency": ("choice", "frequency"),
    "mode": ("choice", "referral_mode"),
    "scope": ("list", "agreement_scope"),
    "instrument": ("text", None),
    "mandatory": ("bool", None),
    "temporary": ("bool", None),
    "content": ("list", "feedback_content"),
}
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
    """An organisation, a unit of one (``parent`` set) or a forum (forum type).

    Parameters
    ----------
    id : str
        Unique in the region: lower-case letters, digits, ``_`` and ``-``, at
        most 64 characters, starting with a letter or digit.
    name : str
        The agency's name, any script, at most 200 characters.
    type : str
        An agency type id (``"police"``, ``"victim_support"``) or a forum
        type id (``"marac"``) of the taxonomy.
    kind : str
        ``"organisation"``, ``"unit"`` (``parent`` is set) or ``"forum"``
        (``type`` is a forum type).
    parent : str or None
        For a unit, the id of the organisation it belongs to; ``None`` for
        organisations and forums.
    dv_relay : bool or None
        Whether the organisation has a designated domestic-violence unit or
        contact; ``None`` when not stated.
    relay_role : str or None
        That contact's role title (a role, never a person's name); ``None``
        when not stated.
    target_groups : tuple of str
        Priority-group ids the agency specifically serves; empty when none.
    excluded_groups : tuple of str
        Priority-group ids the agency cannot serve; empty when none.
    area : str or None
        Municipality, district or police zone; ``None`` when not stated.
    status : str
        ``"active"`` (the default), ``"pilot"``, ``"planned"`` or
        ``"discontinued"``; the first two are live (:data:`LIVE`).
    lead : bool or None
        Whether the agency leads or hosts the partnership; ``None`` when not
        stated.
    notes : str or None
        Free text; ``None`` when empty.
    frequency : str or None
        For a forum: how often it meets (a ``frequency`` value, from
        ``"ad_hoc"`` to ``"daily"``); ``None`` when not recorded (version 1.1).
    """

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
    frequency: str | None = None

    @property
    def is_forum(self) -> bool:
        """Whether the agency is a forum (a meeting of partners) rather than an organisation or a unit."""
        return self.kind == "forum"

    @property
    def is_live(self) -> bool:
        """Whether the agency is part of today's network: its status is active or pilot (:data:`LIVE`)."""
        return self.status in LIVE


@dataclass(frozen=True, slots=True)
class Relationship:
    """A tie; directed types read ``source`` → ``target``.

    Parameters
    ----------
    source : str
        The agency id the tie starts from (for directed types).
    target : str
        The agency id the tie goes to; never equal to ``source``.
    type : str
        A relationship type id of the taxonomy (``"referral"``,
        ``"forum_membership"``); ``formal_agreement``, ``shared_instrument``,
        ``joint_operation`` and ``informal_tie`` are symmetric.
    formality : str or None
        ``"none"``, ``"verbal"`` or ``"written"``; ``None`` when not stated.
    frequency : str or None
        ``"ad_hoc"``, ``"yearly"``, ``"twice_yearly"``, ``"quarterly"``,
        ``"bimonthly"``, ``"monthly"``, ``"fortnightly"``, ``"weekly"`` or
        ``"daily"``; ``None`` when not stated.
    role : str or None
        For ``forum_membership``: the member's role (``"chair"``,
        ``"member"``...); ``None`` otherwise or when not stated.
    attendance : str or None
        For ``forum_membership``: ``"regular"``, ``"occasional"``, ``"rare"``,
        ``"absent"``, ``"declined"`` or ``"excluded"``; ``None`` otherwise or
        when not stated.
    legal_basis : str or None
        The legal basis of the tie: ``"consent"``, ``"child_welfare"``,
        ``"high_risk_exception"``, ``"statutory_duty"``, ``"agreement"`` or
        ``"not_stated"``; ``None`` when empty.
    since : str or None
        When the tie began: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None``
        when not stated.
    status : str
        ``"active"`` (the default), ``"pilot"``, ``"planned"`` or
        ``"discontinued"``; only ``active`` ties count as today's network.
    notes : str or None
        Free text; ``None`` when empty.
    mode : str or None
        For ``referral``: ``"signpost"``, ``"assisted"`` or ``"proactive"``;
        ``None`` when not recorded (version 1.1, as are the fields below).
    scope : tuple of str
        For ``formal_agreement`` and ``information_sharing``: what the
        agreement covers (``"referral"``, ``"data_protection"``...); empty
        when not recorded.
    instrument : str or None
        For ``shared_instrument`` and ``statutory_duty``: the tool, law or
        decree it names (at most 200 characters); ``None`` when not recorded.
    mandatory : bool or None
        For ``training``: whether it is mandatory; ``None`` when not recorded.
    temporary : bool or None
        For ``funding``: whether it is project-based or time-limited; ``None``
        when not recorded.
    content : tuple of str
        For ``feedback``: what is fed back (``"contact_made"``,
        ``"completion"``...); empty when not recorded.
    """

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
    mode: str | None = None
    scope: tuple[str, ...] = ()
    instrument: str | None = None
    mandatory: bool | None = None
    temporary: bool | None = None
    content: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        """The tie's identity in the region, ``(source, target, type)``: no two ties share it."""
        return (self.source, self.target, self.type)

    @property
    def is_active(self) -> bool:
        """Whether the tie is in force today (status ``active``); a pilot tie is not yet."""
        return self.status == "active"


@dataclass(frozen=True, slots=True)
class Answer:
    """One rater's answer to one indicator in one assessment round.

    Parameters
    ----------
    round : str
        The round's label (``"2025-baseline"``); rounds sort by label.
    indicator : str
        The indicator id, ``"C1.1"`` to ``"C5.8"`` or ``"X1"`` to ``"X6"``.
    answer : str
        ``"0"``, ``"1"`` or ``"2"`` (absent, partial, fully), the indicator's
        own answer words, or ``"n/a"``.
    rater : str or None
        A role or pseudonym (``"police-zone-lead"``), never a person's name;
        ``None`` when not given.
    evidence : str or None
        Free text backing the answer; ``None`` when empty.
    date : str or None
        ``YYYY-MM-DD``; ``None`` when not given.
    """

    round: str
    indicator: str
    answer: str
    rater: str | None = None
    evidence: str | None = None
    date: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The answer's identity, ``(round, indicator, rater)``; ``""`` stands for no rater."""
        return (self.round, self.indicator, self.rater or "")


@dataclass(frozen=True, slots=True)
class Action:
    """A roadmap action a coordinator agreed or edited.

    Parameters
    ----------
    id : str
        Unique in the region's actions.
    title : str
        What is to be done, in the working group's words.
    gap : str or None
        The gap id it answers (``"G05"``); ``None`` for an action of the
        group's own.
    characteristic : str or None
        The characteristic it strengthens, ``"C1"`` to ``"C5"``; ``None`` when
        not stated.
    owner : str or None
        The agency id responsible; ``None`` when not yet agreed.
    partners : tuple of str
        Agency ids taking part; empty when none.
    horizon : str or None
        ``"short"`` (up to a year), ``"medium"`` (one to three years) or
        ``"long"`` (over three years); ``None`` when not stated.
    start : str or None
        Start date, ``YYYY-MM-DD``; ``None`` when not stated.
    due : str or None
        Due date, ``YYYY-MM-DD``; ``None`` when not stated.
    status : str or None
        ``"proposed"``, ``"agreed"``, ``"in_progress"``, ``"done"`` or
        ``"dropped"``; ``None`` when not stated.
    indicator : str or None
        How progress is measured, free text; ``None`` when not stated.
    notes : str or None
        Free text; ``None`` when empty.
    """

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

    Parameters
    ----------
    round : str
        The survey round's label.
    respondent : str
        The agency id of the organisation that answered.
    partner : str or None
        The agency id of the partner the row is about; ``None`` on the row
        that records a response with no tie at all.
    direction : str or None
        ``"to"``, ``"from"`` or ``"both"``, read from the respondent; ``None``
        on a row without a tie.
    type : str or None
        A relationship type id; ``None`` when the row reports no tie.
    frequency : str or None
        As in ``relationships.csv``; ``None`` when not stated.
    formality : str or None
        As in ``relationships.csv``; ``None`` when not stated.
    trust : int or None
        1 to 4: how far the respondent trusts the partner to do what it
        says; ``None`` when not rated.
    value : int or None
        1 to 4: how much the partner brings to the partnership; ``None`` when
        not rated.
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
        """The row's identity, ``(round, respondent, partner, type)``; ``""`` stands for an empty cell."""
        return (self.round, self.respondent, self.partner or "", self.type or "")


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """The contents of ``region.toml``.

    Parameters
    ----------
    id : str
        The region id, equal to its folder name (``"fr-nord"``).
    name : str
        The region's name, any script.
    country : str
        ISO 3166-1 alpha-2 code (``"BE"``).
    language : str
        ISO 639-1 code, the default language of its documents.
    coordinator : str or None
        The agency id of the coordinating agency; ``None`` when not named.
    description : str or None
        Free text; ``None`` when empty.
    reference : bool
        Whether the region is a documented good-practice case (the reference
        regions shipped with the package) rather than a working group's.
    """

    id: str
    name: str
    country: str
    language: str = i18n.DEFAULT
    coordinator: str | None = None
    description: str | None = None
    reference: bool = False


@dataclass(frozen=True)
class Region:
    """A validated region: what the working group has mapped and judged.

    Parameters
    ----------
    info : RegionInfo
        The contents of ``region.toml``.
    agencies : tuple of Agency
        Organisations, units and forums, in file order.
    relationships : tuple of Relationship
        Ties, in file order.
    assessment : tuple of Answer
        Self-assessment answers of every round, in file order.
    actions : tuple of Action
        Roadmap actions, in file order.
    survey : tuple of SurveyRow
        Partner survey rows of every round, in file order.
    source : pathlib.Path or None
        The folder or workbook it was read from; ``None`` for a region built
        in memory. Not compared.
    warnings : tuple of Problem
        Problems found on loading that did not stop it (severity
        ``"warning"``). Not compared.
    """

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
        """The region id (its folder name), from ``region.toml``."""
        return self.info.id

    @property
    def name(self) -> str:
        """The region's name, from ``region.toml``."""
        return self.info.name

    @cached_property
    def by_id(self) -> dict[str, Agency]:
        """The agencies by id."""
        return {a.id: a for a in self.agencies}

    @property
    def forums(self) -> tuple[Agency, ...]:
        """The forums among the agencies, in file order."""
        return tuple(a for a in self.agencies if a.kind == "forum")

    @property
    def units(self) -> tuple[Agency, ...]:
        """The units (parts of an organisation) among the agencies, in file order."""
        return tuple(a for a in self.agencies if a.kind == "unit")

    @property
    def organisations(self) -> tuple[Agency, ...]:
        """The organisations among the agencies (neither units nor forums), in file order."""
        return tuple(a for a in self.agencies if a.kind == "organisation")

    @property
    def rounds(self) -> list[str]:
        """Assessment rounds, sorted by label."""
        return sorted({a.round for a in self.assessment})

    def table(self, name: str) -> pd.DataFrame:
        """One table as a DataFrame (columns as the records' fields).

        Parameters
        ----------
        name : str
            ``"agencies"``, ``"relationships"``, ``"assessment"``, ``"actions"``
            or ``"survey"``.

        Returns
        -------
        pandas.DataFrame
            One row a record, in file order; list fields stay tuples.

        Raises
        ------
        KeyError
            When ``name`` is another field of the region (``"info"``).
        AttributeError
            When ``name`` is not a field of the region at all.
        """
        rows = getattr(self, name)
        cls = {"agencies": Agency, "relationships": Relationship,
               "assessment": Answer, "actions": Action, "survey": SurveyRow}[name]
        cols = [f.name for f in fields(cls)]
        return pd.DataFrame([_as_tuple(r) for r in rows], columns=cols)


def _as_tuple(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, f.name) for f in fields(record))


def record_dict(record: Any) -> dict[str, Any]:
    """A record as a JSON-friendly dict (tuples become lists).

    Parameters
    ----------
    record : Any
        A record dataclass of this module (:class:`Agency`,
        :class:`Relationship`, :class:`Answer`, :class:`Action`,
        :class:`SurveyRow`, :class:`RegionInfo`).

    Returns
    -------
    dict of str to Any
        Each field's name mapped to its value, tuples as lists.

    Examples
    --------
    >>> d = record_dict(Agency("ngo", "Centre A", "victim_support", "organisation", target_groups=("children",)))
    >>> d["id"], d["target_groups"]
    ('ngo', ['children'])
    """
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(record).items()}
