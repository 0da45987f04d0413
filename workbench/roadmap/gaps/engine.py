"""The gap engine: findings, the facts rules read, the rule registry, detection and evidence sentences.

:class:`Facts` is the region as every rule reads it; a rule is a function
``(facts, params) -> Finding`` registered with :func:`rule` in :data:`RULES`
(the rules themselves are in ``rules_c1.py`` … ``rules_c5.py``);
:func:`detect_gaps` runs them, sets each gap's severity and renders its
evidence in the requested language. The conventions every rule shares are in
the package's docstring (:mod:`workbench.roadmap.gaps`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from ... import i18n
from ...data import Agency, Region, Relationship
from ...data.facts import LIVE_TIE, LiveNetwork
from ...files import read_resource
from ...maturity.scoring import indicator_scores, latest_round
from ...network.pathways import entry_points, group_coverage
from ...taxonomy import rubric, taxonomy

#: Severity steps, lowest first.
SEVERITIES = ("low", "medium", "high")
#: Attendance values meaning an agency is not really at the table.
AWAY = frozenset({"rare", "absent", "declined", "excluded"})
#: Longest free-text note quoted in evidence.
NOTE_CHARS = 80

Tie = tuple[str, str, str]
#: Tie types that pass a case on by themselves.
CASE_TYPES = frozenset({"referral", "statutory_duty"})
#: Legal bases that make an ``information_sharing`` tie a case channel.
CASE_BASES = frozenset({"consent", "child_welfare", "high_risk_exception", "statutory_duty"})


@cache
def gap_catalogue() -> dict[str, Any]:
    """``resources/gaps.toml`` (read once): ``meta``, ``recommendations`` (ids), ``role_labels`` and ``gaps``.

    The catalogue holds structure only (ids, characteristics, severities, seeds,
    params, actions' horizons and owner types); every word is in the ``gaps``
    translation catalogue, keyed ``gaps.<id>.title``, ``gaps.<id>.actions.<n>.text``,
    ``gaps.messages.<key>`` … (see :func:`gap_text`).

    >>> cat = gap_catalogue()
    >>> sorted(cat["gaps"])[:3], cat["gaps"]["G04"]["decided_by"]
    (['G01', 'G02', 'G03'], ['C5.3'])
    """
    return read_resource("gaps.toml")


@dataclass(frozen=True)
class Gap:
    """One detected gap: what it is, how serious, and what shows it.

    ``agencies`` are the agency (and forum) ids the evidence names, ``ties``
    the ``(source, target, type)`` keys it names, ``answers`` the indicators
    whose consensus answer took part. ``actions`` are the catalogue's roadmap
    actions with their seed and 002 recommendation references, horizon and
    owner types, their ``text`` and ``monitoring`` indicator in the gap's language.

    Parameters
    ----------
    id : str
        The catalogue's gap id (``"G01"``).
    title : str
        The gap's title in the gap's language.
    characteristics : tuple of str
        The characteristics the gap undermines, the first one first (``("C5", "C2")``).
    severity : str
        ``"low"``, ``"medium"`` or ``"high"``, after any raise.
    evidence : tuple of str
        Plain-language sentences saying what shows the gap.
    agencies : tuple of str
        Agency and forum ids the evidence names.
    ties : tuple of Tie
        ``(source, target, type)`` keys of the ties the evidence names.
    answers : tuple of str
        Indicators whose consensus answer took part.
    actions : tuple of dict
        The catalogue's roadmap actions for the gap.
    description : str
        What the gap means, in the gap's language.
    base_severity : str
        The catalogue's severity before any raise.
    severity_reasons : tuple of str
        Why the severity rose above ``base_severity``, in words.
    basis : str
        What shows the gap: one of :data:`BASES`.
    """

    id: str
    title: str
    characteristics: tuple[str, ...]
    severity: str
    evidence: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    ties: tuple[Tie, ...] = ()
    answers: tuple[str, ...] = ()
    actions: tuple[dict[str, Any], ...] = ()
    description: str = ""
    base_severity: str = "low"
    severity_reasons: tuple[str, ...] = ()
    basis: str = "evidence"

    def to_json(self) -> dict[str, Any]:
        """The gap as a JSON-ready dict, with the data contract's keys first.

        Returns
        -------
        dict
            ``id``, ``characteristics``, ``severity``, ``basis`` and ``agencies``
            (the keys the data contract names), then ``title``, ``description``,
            ``base_severity``, ``severity_reasons``, ``evidence``, ``ties`` (each a
            dict with ``source``, ``target`` and ``type``), ``answers`` and
            ``actions``; tuples become lists.

        Examples
        --------
        >>> Gap("G04", "No training in how to cooperate", ("C5", "C2"), "medium").to_json()["characteristics"]
        ['C5', 'C2']
        """
        return {
            "id": self.id, "characteristics": list(self.characteristics), "severity": self.severity,
            "basis": self.basis,
            "agencies": list(self.agencies), "title": self.title, "description": self.description,
            "base_severity": self.base_severity, "severity_reasons": list(self.severity_reasons),
            "evidence": list(self.evidence),
            "ties": [{"source": s, "target": t, "type": k} for s, t, k in self.ties],
            "answers": list(self.answers), "actions": [dict(a) for a in self.actions],
        }


#: What shows a gap: the region's own ties, agencies and forums, the self-assessment, or both.
BASES = ("evidence", "answers", "both")


@dataclass
class Finding:
    """What a rule found: evidence notes (message key + fields) and what they name.

    ``checks`` are the agencies a rule would need a tag or a column for that the
    region did not fill: absence of a record is a question for the working
    group (:func:`detect_checks`), never a gap. A finding with checks and no
    notes reports no gap.

    Parameters
    ----------
    notes : list of tuple of (str, dict)
        Evidence notes: a message key of the ``gaps`` catalogue and the fields that fill it.
    agencies : set of str
        The agency and forum ids the notes name.
    ties : set of Tie
        The ties the notes name.
    answers : set of str
        Indicators whose answers took part.
    checks : list of list of str
        One entry per missing record, naming the agencies concerned.
    """

    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    agencies: set[str] = field(default_factory=set)
    ties: set[Tie] = field(default_factory=set)
    answers: set[str] = field(default_factory=set)
    checks: list[list[str]] = field(default_factory=list)

    def check(self, agencies: Iterable[str] = ()) -> None:
        """Record that the rule's signal is missing from the data: a question to ask, not a gap.

        Parameters
        ----------
        agencies : iterable of str, optional
            The ids of the agencies the question is about; empty when it is
            about the whole region.
        """
        self.checks.append(sorted(agencies))

    @property
    def basis(self) -> str:
        """``evidence``, ``answers`` or ``both``: what the notes rest on.

        >>> out = Finding()
        >>> out.note("no_case_conference"); out.basis
        'evidence'
        >>> out.notes.append(("answer", {})); out.basis
        'both'
        """
        kinds = {"answers" if key == "answer" else "evidence" for key, _ in self.notes}
        return "both" if len(kinds) == 2 else (kinds.pop() if kinds else "evidence")

    def note(self, key: str, *, agencies: Iterable[str] = (), ties: Iterable[Tie] = (),
             **fields: Any) -> None:
        """Add one evidence note: a sentence of the ``gaps`` catalogue and what it names.

        Parameters
        ----------
        key : str
            The note's message key (``gaps.messages.<key>`` in the catalogue).
        agencies : iterable of str, optional
            The agency and forum ids the note names; they fill the message's
            ``agencies`` placeholder and are added to :attr:`agencies`.
        ties : iterable of Tie, optional
            The ``(source, target, type)`` keys of the ties the note names, added
            to :attr:`ties`.
        **fields : Any
            The values of the message's other placeholders; agency ids, types,
            groups, attendance and frequency are shown in words when the
            evidence is rendered.

        Examples
        --------
        >>> out = Finding()
        >>> out.note("no_case_conference", agencies=["p"]); out.notes, sorted(out.agencies)
        ([('no_case_conference', {'agencies': ['p']})], ['p'])
        """
        agencies = list(agencies)
        self.notes.append((key, {"agencies": agencies, **fields}))
        self.agencies.update(agencies)
        self.ties.update(ties)

    def __bool__(self) -> bool:
        return bool(self.notes)


class Facts(LiveNetwork):
    """The region as the rules read it: live agencies and ties, families, answers.

    What is live is decided once, in :class:`~workbench.data.facts.LiveNetwork`.

    Parameters
    ----------
    region : Region
        The region the rules read; its latest survey round, if any, gives the indicator scores.
    """

    def __init__(self, region: Region) -> None:
        super().__init__(region)
        self.round = latest_round(region)
        self.scores = indicator_scores(region) if self.round else {}

    def agencies(self, types: Iterable[str]) -> list[Agency]:
        """Live organisations and units (not forums) of the given types.

        Parameters
        ----------
        types : iterable of str
            Agency types of the taxonomy (``"police"``, ``"victim_support"`` …).

        Returns
        -------
        list of Agency
            The live agencies and units of any of those types, sorted by id.
        """
        types = set(types)
        return sorted((a for a in self.live.values() if not a.is_forum and a.type in types),
                      key=lambda a: a.id)

    def ties_of(self, *types: str) -> list[Relationship]:
        """Live ties of the given types.

        Parameters
        ----------
        *types : str
            Tie types (``"referral"``, ``"feedback"`` …).

        Returns
        -------
        list of Relationship
            The live ties between live agencies whose type is one of ``types``,
            in file order.
        """
        return [r for r in self.ties if r.type in types]

    def root(self, agency_id: str) -> str:
        """The top organisation of an agency's family.

        Parameters
        ----------
        agency_id : str
            An agency, unit or forum id of the region.

        Returns
        -------
        str
            The id reached by following ``parent`` upwards (stopping at a
            loop); ``agency_id`` itself when it has no parent or is unknown.
        """
        seen, cur = {agency_id}, agency_id
        while (parent := getattr(self.region.by_id.get(cur), "parent", None)) and parent not in seen:
            seen.add(parent)
            cur = parent
        return cur

    def lineage(self, agency_id: str) -> set[str]:
        """An agency and every organisation above it.

        Parameters
        ----------
        agency_id : str
            An agency, unit or forum id of the region.

        Returns
        -------
        set of str
            ``agency_id`` and the ids reached by following ``parent`` upwards.
        """
        out, cur = {agency_id}, agency_id
        while (parent := getattr(self.region.by_id.get(cur), "parent", None)) and parent not in out:
            out.add(parent)
            cur = parent
        return out

    @cached_property
    def _units(self) -> dict[str, set[str]]:
        """Parent id → ids of its live units (direct children only)."""
        out: dict[str, set[str]] = defaultdict(set)
        for a in self.live.values():
            if a.parent:
                out[a.parent].add(a.id)
        return out

    def family(self, agency_id: str) -> set[str]:
        """An agency, every organisation above it and every live unit below it.

        A rule about an organisation reads its units' ties, and a rule about a
        unit reads its organisation's (issue 14, point 3: lineage both ways).

        Parameters
        ----------
        agency_id : str
            An agency, unit or forum id of the region.

        Returns
        -------
        set of str
            Its :meth:`lineage` and the ids of its live units, their units and
            so on down.

        Examples
        --------
        >>> from workbench.data import Agency, Region, RegionInfo
        >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
        ...     Agency("p", "Police", "police", "organisation"),
        ...     Agency("p-n", "Police North", "police", "unit", parent="p")))
        >>> f = Facts(r)
        >>> f.root("p-n"), sorted(f.lineage("p-n")), sorted(f.family("p"))
        ('p', ['p', 'p-n'], ['p', 'p-n'])
        """
        out = self.lineage(agency_id)
        todo = [agency_id]
        while todo:
            for unit in self._units.get(todo.pop(), ()):
                if unit not in out:
                    out.add(unit)
                    todo.append(unit)
        return out

    @cached_property
    def feedback_back(self) -> set[tuple[str, str]]:
        """(receiver family, referrer family) pairs joined by a live feedback tie.

        A forum answers through ``tasking`` too: the actions it hands back are
        its outcome for the agency that brought the case.
        """
        return {(self.root(r.source), self.root(r.target)) for r in self.ties
                if r.type == "feedback" or (r.type == "tasking" and self.live[r.source].is_forum)}

    @cached_property
    def feedback_recorded(self) -> bool:
        """Whether the region records feedback at all: a ``feedback`` tie of any status, or a forum's ``tasking``.

        A region that records none has not mapped who hears back from whom; the
        feedback rules (G01, G24, G35) then ask (a check) rather than conclude
        from the silence of the data that nobody does.
        """
        by_id = self.region.by_id
        return any(r.type == "feedback" or (r.type == "tasking" and r.source in by_id and by_id[r.source].is_forum)
                   for r in self.region.relationships)

    def feedback(self, giver: str, receiver: str) -> bool:
        """Whether ``giver``'s family gives ``receiver``'s family feedback.

        Parameters
        ----------
        giver : str
            The agency that should report back (the one that took a case on).
        receiver : str
            The agency that should hear back (the one that passed the case on).

        Returns
        -------
        bool
            ``True`` when a live ``feedback`` tie (or a forum's ``tasking``) goes
            from the top organisation of ``giver`` to that of ``receiver`` (see
            :attr:`feedback_back`).
        """
        return (self.root(giver), self.root(receiver)) in self.feedback_back

    @cached_property
    def memberships(self) -> list[Relationship]:
        """Live membership ties of live agencies to forums of any status."""
        by_id = self.region.by_id
        return [r for r in self.region.relationships
                if r.type == "forum_membership" and r.status in LIVE_TIE and r.source in self.live
                and r.target in by_id and by_id[r.target].is_forum]

    @cached_property
    def case_forums(self) -> list[Agency]:
        """Live forums of a case-conference type (taxonomy ``case_conference``), by id."""
        return sorted((a for a in self.live.values() if a.is_forum and _is_case_forum(a)),
                      key=lambda a: a.id)

    @cached_property
    def _seats(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Present memberships of live forums: forum → agencies, agency → forums."""
        members: dict[str, set[str]] = defaultdict(set)
        forums: dict[str, set[str]] = defaultdict(set)
        for r in self.memberships:
            if r.target in self.live and r.attendance not in AWAY:
                members[r.target].add(r.source)
                forums[r.source].add(r.target)
        return members, forums

    def present(self, forum_id: str) -> list[str]:
        """The agencies present at a live forum.

        Parameters
        ----------
        forum_id : str
            The forum's id.

        Returns
        -------
        list of str
            The ids of the live agencies with a live membership tie to the
            forum whose attendance is not one of :data:`AWAY`, sorted; empty when
            the forum is not live.
        """
        return sorted(self._seats[0].get(forum_id, ()))

    def forums_of(self, agency_id: str) -> set[str]:
        """The live forums where an agency, or an organisation above it, is present.

        Parameters
        ----------
        agency_id : str
            An agency or unit id.

        Returns
        -------
        set of str
            The ids of the forums where an agency of its :meth:`lineage` is
            present (see :meth:`present`).
        """
        seats = self._seats[1]
        return set().union(*(seats.get(a, set()) for a in self.lineage(agency_id)))

    @cached_property
    def referrals_to(self) -> dict[str, list[Relationship]]:
        """Live referrals by target."""
        out: dict[str, list[Relationship]] = defaultdict(list)
        for r in self.ties_of("referral"):
            out[r.target].append(r)
        return out

    def serves(self, group: str) -> list[str]:
        """Live organisations, units and forums that serve a priority group, by id.

        A forum's own target groups count, and so do its present members: a
        group a forum takes on is served by the partnership.

        Parameters
        ----------
        group : str
            A priority group of the taxonomy.

        Returns
        -------
        list of str
            The ids of the live agencies, units and forums that name ``group``
            among their target groups and not among their excluded groups, and
            of the agencies present at such forums, sorted.
        """
        out = {a.id for a in self.live.values()
               if group in a.target_groups and group not in a.excluded_groups}
        for forum in [i for i in out if self.live[i].is_forum]:
            out.update(self.present(forum))
        return sorted(out)

    @cached_property
    def case_channels(self) -> list[Relationship]:
        """Live ties that pass a case on: referrals, reports under a statutory duty, case-level sharing.

        Case-level information sharing is an ``information_sharing`` tie whose
        legal basis is one of :data:`CASE_BASES` (a basis for passing on one
        case: consent, child welfare, the high-risk exception, a statutory duty).
        """
        return [r for r in self.ties if r.type in CASE_TYPES
                or (r.type == "information_sharing" and r.legal_basis in CASE_BASES)]

    def answer_in(self, out: Finding, indicator: str, scores: Iterable[int]) -> bool:
        """Whether the group's consensus on ``indicator`` is one of ``scores``; if so, note it as evidence.

        Parameters
        ----------
        out : Finding
            The rule's finding; an ``answer`` note and the indicator are added
            to it when the consensus is one of ``scores``.
        indicator : str
            A self-assessment indicator (``"C2.1"``).
        scores : iterable of int
            The consensus scores that count.

        Returns
        -------
        bool
            ``True`` when the latest round has a consensus on ``indicator`` and
            it is one of ``scores``; ``False`` when it is not, or there is none.
        """
        s = self.scores.get(indicator)
        if not s or s["consensus"] is None or s["consensus"] not in set(scores):
            return False
        raters = sum(1 for v in s["raters"].values() if v is not None)
        out.answers.add(indicator)
        out.notes.append(("answer", {"indicator": indicator, "answer": (indicator, s["consensus"]),
                                     "round": self.round, "raters": raters}))
        return True

    def at_most(self, out: Finding, indicator: str, score: int) -> bool:
        """Whether the group's consensus on ``indicator`` is ``score`` or lower; if so, note it as evidence.

        Parameters
        ----------
        out : Finding
            The rule's finding; an ``answer`` note is added to it, as by
            :meth:`answer_in`, when the consensus is low enough.
        indicator : str
            A self-assessment indicator (``"C2.1"``).
        score : int
            The highest consensus score that counts (``0``: absent).

        Returns
        -------
        bool
            ``True`` when the latest round has a consensus on ``indicator`` of
            at most ``score``.
        """
        return self.answer_in(out, indicator, range(score + 1))


def _is_case_forum(agency: Agency) -> bool:
    return bool(taxonomy().forum_types.get(agency.type, {}).get("case_conference"))


Rule = Callable[[Facts, dict[str, Any]], Finding]

#: Detection rule of every decidable gap, by gap id.
RULES: dict[str, Rule] = {}


def rule(gap_id: str) -> Callable[[Rule], Rule]:
    """Register a function as the detection rule of ``gap_id``.

    Parameters
    ----------
    gap_id : str
        The catalogue's gap id (``"G01"``).

    Returns
    -------
    callable
        A decorator that stores the function in :data:`RULES` and returns it unchanged.
    """
    def register(fn: Rule) -> Rule:
        RULES[gap_id] = fn
        return fn
    return register


def answers_at_most(f: Facts, p: dict[str, Any]) -> Finding:
    """A gap the answers alone decide: fires when any indicator of ``at_most`` is at or below its score.

    ``p["at_most"]`` maps indicators to scores, e.g. G07 ``{"C3.8" = 0, "C2.7" = 0}``: fires when
    either has the consensus 0 (absent); G31 ``{"C5.5" = 1}``: when C5.5 is absent or partial.

    Parameters
    ----------
    f : Facts
        The region's facts, with its indicator scores.
    p : dict
        The gap's params from the catalogue, with ``at_most``.

    Returns
    -------
    Finding
        One answer note per indicator at or below its score; empty when none is.
    """
    out = Finding()
    for indicator, score in p["at_most"].items():
        f.at_most(out, indicator, score)
    return out


# ---------------------------------------------------------------------------
# Detection, severity and plain-language evidence
# ---------------------------------------------------------------------------

def detect_gaps(region: Region, lang: str = i18n.DEFAULT) -> list[Gap]:
    """Every catalogue gap the region shows, sorted by id.

    ``lang`` (any of :data:`workbench.i18n.LANGUAGES`; anything else falls back
    to English) sets the language of titles, descriptions, evidence, actions and
    severity reasons.

    Parameters
    ----------
    region : Region
        The region to read.
    lang : str, default i18n.DEFAULT
        The language of the words; English where a language has no translation yet.

    Returns
    -------
    list of Gap
        The gaps found, with evidence, severity and actions; empty when none fires.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"),
    ...            agencies=(Agency("p", "Police", "police", "organisation"),
    ...                      Agency("v", "Support", "victim_support", "organisation"),
    ...                      Agency("c", "Child protection", "child_protection", "organisation")),
    ...            relationships=(Relationship("p", "v", "referral"), Relationship("p", "c", "referral"),
    ...                           Relationship("c", "p", "feedback")))
    >>> g01 = {g.id: g for g in detect_gaps(r)}["G01"]
    >>> g01.evidence, g01.agencies, g01.base_severity, g01.severity
    (('Police refers cases to Support but gets no feedback from it.',), ('p', 'v'), 'low', 'medium')
    >>> g01.severity_reasons
    ('Raised one step: it involves an entry point (Police).',)
    >>> detect_gaps(r, "fr")[0].title
    "Orientations sans retour vers l'envoyeur"
    >>> detect_gaps(r, "de")[0].actions[0]["text"][:40]
    'Eine standardisierte Rückmeldung vereinb'
    """
    lang = i18n.supported(lang)
    cat = gap_catalogue()
    facts = Facts(region)
    entries = set(entry_points(region))
    coverage: dict[str, dict[str, Any]] | None = None
    out = []
    for gap_id in sorted(cat["gaps"]):
        entry, fn = cat["gaps"][gap_id], RULES.get(gap_id)
        if fn is None:
            continue
        found = fn(facts, entry.get("params", {}))
        if not found:
            continue
        groups = entry.get("groups", [])
        if groups and coverage is None:
            coverage = group_coverage(region)
        base = entry["base_severity"]
        raise_note = _raise(found, groups, coverage or {}, entries)
        reasons = [raise_note] if raise_note else []
        if found.basis == "both":
            reasons.append(("raise_both", {}))
        severity = SEVERITIES[min(SEVERITIES.index(base) + len(reasons), len(SEVERITIES) - 1)]
        out.append(Gap(
            id=gap_id, title=gap_text(gap_id, "title", lang), characteristics=tuple(entry["characteristics"]),
            severity=severity, evidence=tuple(_render(k, v, region, lang) for k, v in found.notes),
            agencies=tuple(sorted(found.agencies)), ties=tuple(sorted(found.ties)),
            answers=tuple(sorted(found.answers)), actions=gap_actions(gap_id, lang),
            description=gap_text(gap_id, "description", lang), base_severity=base,
            severity_reasons=tuple(_render(k, v, region, lang) for k, v in reasons), basis=found.basis,
        ))
    return out


def detect_checks(region: Region, lang: str = i18n.DEFAULT) -> list[dict[str, Any]]:
    """Questions for the working group where a rule's signal is not recorded, sorted by gap id.

    A rule whose only signal would be the absence of a tag or a column the
    region did not fill (nobody tagged ``rural_isolated``, no funding tie
    recorded for a partner NGO) reports no gap: it adds a check
    ``{"id", "question", "agencies"}`` with the question in ``lang``. A check
    never appears among the gaps and never carries a roadmap action.

    Parameters
    ----------
    region : Region
        A loaded region.
    lang : str
        Language of the questions (see :data:`workbench.i18n.LANGUAGES`).

    Returns
    -------
    list of dict
        One entry per rule with a check: ``id`` (gap id), ``question`` and
        ``agencies`` (ids the question is about; empty when it is about the whole region).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(Agency("p", "Police", "police", "organisation"),))
    >>> c = {c["id"]: c for c in detect_checks(r)}["G27"]
    >>> c["question"], c["agencies"]
    ('Which partners serve people living in rural or isolated areas?', [])
    >>> "G27" in {g.id for g in detect_gaps(r)}
    False
    """
    lang = i18n.supported(lang)
    facts = Facts(region)
    out = []
    for gap_id, entry in sorted(gap_catalogue()["gaps"].items()):
        fn = RULES.get(gap_id)
        if fn is None:
            continue
        found = fn(facts, entry.get("params", {}))
        if found.checks:
            agencies = sorted(set().union(*map(set, found.checks)))
            out.append({"id": gap_id, "question": gap_text(gap_id, "check", lang), "agencies": agencies})
    return out


def basis_label(basis: str, lang: str = i18n.DEFAULT) -> str:
    """What shows a gap (``evidence``, ``answers``, ``both``) in words, in ``lang``.

    Parameters
    ----------
    basis : str
        One of :data:`BASES`.
    lang : str, default i18n.DEFAULT
        The language of the words; English where a language has no translation yet.

    Returns
    -------
    str
        The words for what shows the gap.

    Examples
    --------
    >>> basis_label("both")
    'network data and self-assessment'
    """
    return i18n.text(f"gaps.basis_labels.{basis}", lang)


def _raise(found: Finding, groups: list[str], coverage: dict[str, dict[str, Any]],
           entries: set[str]) -> tuple[str, dict[str, Any]] | None:
    """Why a gap's severity rises one step: an unreached priority group, else an entry point."""
    unreached = [g for g in groups if not coverage.get(g, {}).get("covered", False)]
    if unreached:
        return "raise_group", {"group": unreached}
    touched = sorted(found.agencies & entries)
    if touched:
        return "raise_entry", {"agencies": touched}
    return None


def needs_question(lang: str = i18n.DEFAULT) -> list[dict[str, Any]]:
    """Gaps the data cannot decide: id, title, the question to ask and its indicator.

    Parameters
    ----------
    lang : str, default i18n.DEFAULT
        The language of the words; English where a language has no translation yet.

    Returns
    -------
    list of dict
        One dict per gap, sorted by id, with ``id``, ``title``, ``question`` and ``decided_by`` (the
        indicators whose answer decides it).

    Examples
    --------
    >>> [(q["id"], q["decided_by"]) for q in needs_question()]
    [('G17', ['C3.3']), ('G30', ['C2.1'])]
    """
    gaps = gap_catalogue()["gaps"]
    return [{"id": i, "title": gap_text(i, "title", lang), "question": gap_text(i, "question", lang),
             "decided_by": list(g.get("decided_by", []))}
            for i, g in sorted(gaps.items()) if g["detection"] == "needs_question"]


def gap_text(gap_id: str, field: str, lang: str = i18n.DEFAULT) -> str:
    """A gap's ``title``, ``description`` or ``question`` in ``lang`` (catalogue key ``gaps.<id>.<field>``).

    Parameters
    ----------
    gap_id : str
        The catalogue's gap id.
    field : str
        ``"title"``, ``"description"``, ``"question"`` or ``"check"``.
    lang : str, default i18n.DEFAULT
        The language of the words; English where a language has no translation yet.

    Returns
    -------
    str
        The translated text.

    Examples
    --------
    >>> gap_text("G01", "title", "es")
    'Derivaciones sin retorno de información a quien deriva'
    """
    return i18n.text(f"gaps.{gap_id}.{field}", lang)


def gap_actions(gap_id: str, lang: str = i18n.DEFAULT) -> tuple[dict[str, Any], ...]:
    """The catalogue's actions of a gap, each with its ``text`` and ``monitoring`` indicator in ``lang``.

    Parameters
    ----------
    gap_id : str
        The catalogue's gap id.
    lang : str, default i18n.DEFAULT
        The language of the words; English where a language has no translation yet.

    Returns
    -------
    tuple of dict
        Copies of the catalogue's actions (horizon, owner types, seeds) with ``text`` and ``monitoring``
        added.

    Examples
    --------
    >>> a = gap_actions("G01", "fr")[0]
    >>> a["horizon"], a["text"][:26]
    ('short', "Convenir d'un message de r")
    """
    out = []
    for n, action in enumerate(gap_catalogue()["gaps"][gap_id].get("actions", []), 1):
        words = {field: i18n.text(f"gaps.{gap_id}.actions.{n}.{field}", lang) for field in ("text", "monitoring")}
        out.append({**deepcopy(action), **words})
    return tuple(out)


def severity_label(severity: str, lang: str = i18n.DEFAULT) -> str:
    """A severity (``low``, ``medium``, ``high``) as a word in ``lang``.

    Parameters
    ----------
    severity : str
        ``"low"``, ``"medium"`` or ``"high"``.
    lang : str, default i18n.DEFAULT
        The language of the words; English where a language has no translation yet.

    Returns
    -------
    str
        The severity's word.

    Examples
    --------
    >>> severity_label("high", "de"), severity_label("low", "fr")
    ('hoch', 'faible')
    """
    return i18n.text(f"gaps.severity_labels.{severity}", lang)


def recommendation_text(ref: str, lang: str = i18n.DEFAULT) -> str:
    """A recommendation of seed 002 (``"002.L30"``) in ``lang``.

    Parameters
    ----------
    ref : str
        The recommendation's reference, seed and line (``"002.L30"``).
    lang : str, default i18n.DEFAULT
        The language of the words; English where a language has no translation yet.

    Returns
    -------
    str
        The recommendation's text.
    """
    return i18n.text(f"gaps.recommendations.{ref}", lang)


_AGENCY_FIELDS = frozenset({"agency", "agencies", "source", "sources", "target", "targets",
                            "forum", "forums", "funder"})


def _render(key: str, fields: dict[str, Any], region: Region, lang: str) -> str:
    """One evidence sentence: the catalogue's message ``key`` with ``fields`` filled in."""
    return i18n.text(f"gaps.messages.{key}", lang, **{k: _value(k, v, region, lang) for k, v in fields.items()})


def _value(name: str, value: Any, region: Region, lang: str) -> str:
    if name == "answer":
        indicator, score = value
        spec = rubric().indicators[indicator]
        idx = list(spec.get("scores", [0, 1, 2])).index(score)
        labels = rubric().answer_labels(indicator, lang)
        return str(labels[idx])
    if isinstance(value, list | tuple | set):
        sep = " / " if name.startswith("types") else ", "
        return sep.join(_value(name, v, region, lang) for v in value)
    tax = taxonomy()
    if name in _AGENCY_FIELDS:
        agency = region.by_id.get(value)
        return agency.name if agency else str(value)
    if name == "group":
        return tax.label("priority_groups", value, lang)
    if name.startswith("type"):
        return tax.label("agency_types", value, lang)
    if name == "roles":
        key = f"gaps.role_labels.{value}"
        return i18n.text(key, lang) if i18n.has(key) else str(value)
    if name == "attendance":
        return tax.label("attendance", value, lang)
    if name == "freq":
        return tax.label("frequency", value, lang)
    return str(value)
