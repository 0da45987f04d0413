"""Gap detection: which gaps of the catalogue a region shows, and why.

The catalogue (``resources/gaps.toml``, gaps G01–G36 of the partnership
framework) holds each gap's titles, the characteristics it undermines, its
base severity, its seed evidence, the thresholds its rule reads
(``params``) and its roadmap actions. This module holds one small function
per decidable gap, registered in :data:`RULES` by gap id. Gaps whose
catalogue ``detection`` is ``needs_question`` have no rule: the data contract
holds nothing that decides them (see :func:`needs_question`).

Conventions shared by every rule (also in ``docs/gap-rules.md``):

* **Live**: an agency, forum or tie whose status is ``active`` or ``pilot``;
  a live tie joins two live agencies. Planned and discontinued rows are not
  part of today's network.
* **Family**: an organisation and its units (``parent``) count as one when a
  rule asks whether feedback comes back or a referral stays inside one house.
* **Present at a forum**: a live membership tie whose ``attendance`` is not
  ``rare``, ``absent``, ``declined`` or ``excluded``. Attendance problems are
  read from every forum, whatever its status: a partner that declined or was
  excluded is a barrier until a live forum shows otherwise.
* **Answers**: the consensus score (0 no, 1 partial, 2 yes) of an indicator in
  the latest round, from :func:`workbench.maturity.scoring.indicator_scores`
  (median of the raters' scores, the lower middle one when their number is
  even). "C3.6 ≤ 0" means its consensus is 0; an indicator nobody answered, or
  answered ``n/a``, never fires anything.

Severity (also in ``gaps.toml`` ``[meta]``): the catalogue's base severity
(low for one undermined characteristic, medium for two or more, one step
higher when victims' safety is directly at stake), raised one step, at most to
high, when the gap concerns a priority group that no referral pathway reaches
from an entry point, or when the agencies it names include an entry point.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from itertools import combinations
from typing import Any

from ..data import Agency, Region, Relationship
from ..data.model import LIVE
from ..maturity.scoring import indicator_scores, latest_round
from ..network.pathways import entry_points, group_coverage
from ..taxonomy import LANGUAGES, rubric, taxonomy

#: Severity steps, lowest first.
SEVERITIES = ("low", "medium", "high")
#: Attendance values meaning an agency is not really at the table.
AWAY = frozenset({"rare", "absent", "declined", "excluded"})
#: Longest free-text note quoted in evidence.
NOTE_CHARS = 80

Tie = tuple[str, str, str]


@cache
def gap_catalogue() -> dict[str, Any]:
    """``resources/gaps.toml`` (read once): meta, messages, recommendations and ``gaps``.

    >>> cat = gap_catalogue()
    >>> sorted(cat["gaps"])[:3], cat["gaps"]["G04"]["decided_by"]
    (['G01', 'G02', 'G03'], ['C5.3'])
    """
    with resources.files("workbench.resources").joinpath("gaps.toml").open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Gap:
    """One detected gap: what it is, how serious, and what shows it.

    ``agencies`` are the agency (and forum) ids the evidence names, ``ties``
    the ``(source, target, type)`` keys it names, ``answers`` the indicators
    whose consensus answer took part. ``actions`` are the catalogue's roadmap
    actions, both languages, with their seed and 002 recommendation references.
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

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with the data contract's keys first.

        >>> Gap("G04", "No training in how to cooperate", ("C5", "C2"), "medium").to_json()["characteristics"]
        ['C5', 'C2']
        """
        return {
            "id": self.id, "characteristics": list(self.characteristics), "severity": self.severity,
            "agencies": list(self.agencies), "title": self.title, "description": self.description,
            "base_severity": self.base_severity, "severity_reasons": list(self.severity_reasons),
            "evidence": list(self.evidence),
            "ties": [{"source": s, "target": t, "type": k} for s, t, k in self.ties],
            "answers": list(self.answers), "actions": [dict(a) for a in self.actions],
        }


@dataclass
class Finding:
    """What a rule found: evidence notes (message key + fields) and what they name."""

    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    agencies: set[str] = field(default_factory=set)
    ties: set[Tie] = field(default_factory=set)
    answers: set[str] = field(default_factory=set)

    def note(self, key: str, *, agencies: Iterable[str] = (), ties: Iterable[Tie] = (),
             **fields: Any) -> None:
        agencies = list(agencies)
        self.notes.append((key, {"agencies": agencies, **fields}))
        self.agencies.update(agencies)
        self.ties.update(ties)

    def __bool__(self) -> bool:
        return bool(self.notes)


class Facts:
    """The region as the rules read it: live agencies and ties, families, answers."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.live: dict[str, Agency] = {a.id: a for a in region.agencies if a.status in LIVE}
        self.ties: list[Relationship] = [r for r in region.relationships if r.status in LIVE
                                         and r.source in self.live and r.target in self.live]
        self.round = latest_round(region)
        self.scores = indicator_scores(region) if self.round else {}

    def agencies(self, types: Iterable[str]) -> list[Agency]:
        """Live organisations and units of the given types, sorted by id."""
        types = set(types)
        return sorted((a for a in self.live.values() if not a.is_forum and a.type in types),
                      key=lambda a: a.id)

    def ties_of(self, *types: str) -> list[Relationship]:
        return [r for r in self.ties if r.type in types]

    def root(self, agency_id: str) -> str:
        """The top organisation of an agency's family (itself when it has no parent)."""
        seen, cur = {agency_id}, agency_id
        while (parent := getattr(self.region.by_id.get(cur), "parent", None)) and parent not in seen:
            seen.add(parent)
            cur = parent
        return cur

    def lineage(self, agency_id: str) -> set[str]:
        """An agency and every organisation above it."""
        out, cur = {agency_id}, agency_id
        while (parent := getattr(self.region.by_id.get(cur), "parent", None)) and parent not in out:
            out.add(parent)
            cur = parent
        return out

    @cached_property
    def feedback_back(self) -> set[tuple[str, str]]:
        """(receiver family, referrer family) pairs joined by a live feedback tie.

        A forum answers through ``tasking`` too: the actions it hands back are
        its outcome for the agency that brought the case.
        """
        return {(self.root(r.source), self.root(r.target)) for r in self.ties
                if r.type == "feedback" or (r.type == "tasking" and self.live[r.source].is_forum)}

    def feedback(self, giver: str, receiver: str) -> bool:
        return (self.root(giver), self.root(receiver)) in self.feedback_back

    @cached_property
    def memberships(self) -> list[Relationship]:
        """Live membership ties of live agencies to forums of any status."""
        by_id = self.region.by_id
        return [r for r in self.region.relationships
                if r.type == "forum_membership" and r.status in LIVE and r.source in self.live
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
        """Agencies present at a live forum (live tie, attendance not rare/absent/declined/excluded)."""
        return sorted(self._seats[0].get(forum_id, ()))

    def forums_of(self, agency_id: str) -> set[str]:
        """Live forums where the agency, or an organisation above it, is present."""
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
        """Live organisations and units that serve a priority group, by id."""
        return sorted(a.id for a in self.live.values() if not a.is_forum
                      and group in a.target_groups and group not in a.excluded_groups)

    def answer_in(self, out: Finding, indicator: str, scores: Iterable[int]) -> bool:
        """Whether the consensus of ``indicator`` is one of ``scores``; notes it if so."""
        s = self.scores.get(indicator)
        if not s or s["consensus"] is None or s["consensus"] not in set(scores):
            return False
        raters = sum(1 for v in s["raters"].values() if v is not None)
        out.answers.add(indicator)
        out.notes.append(("answer", {"indicator": indicator, "answer": (indicator, s["consensus"]),
                                     "round": self.round, "raters": raters}))
        return True

    def at_most(self, out: Finding, indicator: str, score: int) -> bool:
        """Whether the consensus of ``indicator`` is ``score`` or lower; notes it if so."""
        return self.answer_in(out, indicator, range(score + 1))


def _is_case_forum(agency: Agency) -> bool:
    return bool(taxonomy().forum_types.get(agency.type, {}).get("case_conference"))


Rule = Callable[[Facts, dict[str, Any]], Finding]

#: Detection rule of every decidable gap, by gap id.
RULES: dict[str, Rule] = {}


def rule(gap_id: str) -> Callable[[Rule], Rule]:
    """Register a function as the detection rule of ``gap_id``."""
    def register(fn: Rule) -> Rule:
        RULES[gap_id] = fn
        return fn
    return register


# ---------------------------------------------------------------------------
# Rules, one per gap. Thresholds and type lists come from ``params``.
# ---------------------------------------------------------------------------

def answers_at_most(f: Facts, p: dict[str, Any]) -> Finding:
    """A gap the answers alone decide: fires when any indicator of ``at_most`` is at or below its score.

    ``p["at_most"]`` maps indicators to scores, e.g. G07 ``{"C3.8" = 0, "C2.7" = 0}``: fires when
    either has the consensus 0 (absent); G31 ``{"C5.5" = 1}``: when C5.5 is absent or partial.
    """
    out = Finding()
    for indicator, score in p["at_most"].items():
        f.at_most(out, indicator, score)
    return out


#: The gaps the answers alone decide (their thresholds are ``params.at_most`` in the catalogue).
for _gap_id in ("G04", "G07", "G15", "G20", "G23", "G31", "G33"):
    rule(_gap_id)(answers_at_most)


@rule("G01")
def one_way_referrals(f: Facts, p: dict[str, Any]) -> Finding:
    """Referrals from police, prosecution or social services that get no feedback.

    Fires for each live referral A→B whose source type is in
    ``referrer_types`` (police, police victim service, prosecution, social
    services) when no live ``feedback`` tie runs from B's family back to A's
    family (for a forum, a ``tasking`` tie back counts); referrals inside one
    family are left out. Also fires when C3.6 (outcomes reported back to the
    referrer) ≤ 0.
    """
    out = Finding()
    for r in f.ties_of("referral"):
        if (f.live[r.source].type in p["referrer_types"] and f.root(r.source) != f.root(r.target)
                and not f.feedback(r.target, r.source)):
            out.note("no_feedback", source=r.source, target=r.target,
                     agencies=(r.source, r.target), ties=[r.key])
    f.at_most(out, "C3.6", 0)
    return out


@rule("G02")
def no_perpetrator_service(f: Facts, p: dict[str, Any]) -> Finding:
    """No perpetrator service, or none that police, justice or social services refer to.

    A perpetrator service is a live agency of a type in ``service_types``
    (perpetrator programme) or one that serves a priority group whose audience
    is perpetrators. Fires when there is none, or when no live referral reaches
    one (or its family) from an agency of ``referrer_types`` (police, police
    victim service, prosecution, probation, social services).
    """
    out = Finding()
    groups = {g for g, spec in taxonomy().priority_groups.items() if spec.get("audience") == "perpetrators"}
    services = [a.id for a in f.live.values() if not a.is_forum and (
        a.type in p["service_types"] or any(g in groups and g not in a.excluded_groups for g in a.target_groups))]
    if not services:
        out.note("no_perpetrator_service")
        return out
    roots = {f.root(s) for s in services}
    reached = [r for r in f.ties_of("referral")
               if f.live[r.source].type in p["referrer_types"] and f.root(r.target) in roots
               and f.root(r.source) != f.root(r.target)]
    if not reached:
        out.note("perpetrator_service_not_referred", agencies=sorted(services), types=p["referrer_types"])
    return out


@rule("G03")
def training_not_mandatory(f: Facts, p: dict[str, Any]) -> Finding:
    """DV training is not compulsory, or no training reaches first responders.

    Fires when C5.1 ≤ 1 (none or voluntary), or when the region has live
    agencies of ``first_responder_types`` (police) and no live ``training``
    tie reaches any of them or their organisation.
    """
    out = Finding()
    f.at_most(out, "C5.1", 1)
    police = f.agencies(p["first_responder_types"])
    trained = {r.target for r in f.ties_of("training")}
    if police and not any(f.lineage(a.id) & trained for a in police):
        out.note("police_untrained", agencies=[a.id for a in police])
    return out


def _excluded_without_alternative(f: Facts, out: Finding, group: str, types: Iterable[str]) -> None:
    """Note agencies of ``types`` that exclude ``group`` when no live agency serves it."""
    excluders = [a.id for a in f.agencies(types) if group in a.excluded_groups]
    if excluders and not f.serves(group):
        out.note("group_excluded_no_alternative", agencies=excluders, group=group)


@rule("G05")
def addiction_overlooked(f: Facts, p: dict[str, Any]) -> Finding:
    """Addiction services absent from the forums, or substance users turned away.

    Fires when there is no live agency of ``service_types`` (addiction
    services), or none of them (nor its parent organisation) is present at a
    live forum; or when a live agency of ``accommodation_types`` (shelter)
    excludes ``group`` (substance use) and no live agency serves that group.
    """
    out = Finding()
    services = f.agencies(p["service_types"])
    if not services:
        out.note("type_missing", types=p["service_types"])
    elif not any(f.forums_of(a.id) for a in services):
        out.note("not_in_forum", agencies=[a.id for a in services])
    _excluded_without_alternative(f, out, p["group"], p["accommodation_types"])
    return out


@rule("G06")
def undocumented_shut_out(f: Facts, p: dict[str, Any]) -> Finding:
    """Shelters exclude undocumented victims and nobody else serves them.

    Fires when a live agency of ``accommodation_types`` (shelter) lists
    ``group`` (undocumented) among its excluded groups and no live agency
    lists it among its target groups.
    """
    out = Finding()
    _excluded_without_alternative(f, out, p["group"], p["accommodation_types"])
    return out


@rule("G08")
def no_common_risk_tool(f: Facts, p: dict[str, Any]) -> Finding:
    """Police, victim support and child protection share no risk instrument.

    ``sides`` lists groups of agency types. For every two sides that both have
    live agencies, fires unless some agency of one side (or its organisation)
    and some agency of the other share an instrument: a live
    ``shared_instrument`` tie joins them directly or both to one node (a forum
    or an instrument holder); agencies present at a live forum that has such
    a tie use the forum's instrument. Also fires when C3.4 ≤ 0.
    """
    out = Finding()
    near: dict[str, set[str]] = defaultdict(set)
    for r in f.ties_of("shared_instrument"):
        near[r.source].add(r.target)
        near[r.target].add(r.source)
    for forum in [i for i in near if f.live[i].is_forum]:
        for member in f.present(forum):
            near[member].add(forum)
            near[forum].add(member)

    def reach(ids: Iterable[str]) -> set[str]:
        base = set().union(*(f.lineage(i) for i in ids))
        return base.union(*(near[i] for i in base))

    sides = [(types, [a.id for a in f.agencies(types)]) for types in p["sides"]]
    for (types_a, a_ids), (types_b, b_ids) in combinations(sides, 2):
        if a_ids and b_ids and not reach(a_ids) & reach(b_ids):
            out.note("no_shared_instrument", types_a=types_a, types_b=types_b, agencies=a_ids + b_ids)
    f.at_most(out, "C3.4", 0)
    return out


@rule("G09")
def blind_to_coercive_control(f: Facts, p: dict[str, Any]) -> Finding:
    """No route for non-physical abuse or for victims below the high-risk threshold.

    Fires when C1.5 ≤ 0, or when no live agency serves one of ``groups``
    (non-physical abuse, low-risk victims); a server of the group named in
    ``also_served_by`` (all DV victims) counts as serving low-risk victims.
    """
    out = Finding()
    f.at_most(out, "C1.5", 0)
    also = p.get("also_served_by", {})
    for group in p["groups"]:
        if not f.serves(group) and not (group in also and f.serves(also[group])):
            out.note("group_unserved", group=group)
    return out


@rule("G10")
def sharing_blocked(f: Facts, p: dict[str, Any]) -> Finding:
    """A partner kept out of a forum, or sharing that rests on consent alone.

    Fires for each live membership whose attendance is in ``blocked``
    (excluded, declined); when every live tie of ``sharing_types`` with a
    stated legal basis rests on ``consent``; or when C3.1 ≤ 0 (no written
    information-sharing protocol).
    """
    out = Finding()
    for r in f.memberships:
        if r.attendance in p["blocked"]:
            out.note("attendance", agency=r.source, attendance=r.attendance, forum=r.target,
                     agencies=(r.source, r.target), ties=[r.key])
    stated = [r for r in f.ties_of(*p["sharing_types"]) if r.legal_basis not in (None, "not_stated")]
    if stated and all(r.legal_basis == "consent" for r in stated):
        out.note("consent_only", count=len(stated), ties=[r.key for r in stated])
    f.at_most(out, "C3.1", 0)
    return out


@rule("G11")
def no_coordinator(f: Facts, p: dict[str, Any]) -> Finding:
    """A case conference with nobody to coordinate it.

    Fires for each live case-conference forum where no present member holds a
    role in ``roles`` (coordinator, secretariat) or is of a type in
    ``coordination_types``; or when C2.3 (own budget and staff) ≤ 0.
    """
    out = Finding()
    present: dict[str, list[Relationship]] = defaultdict(list)
    for r in f.memberships:
        if r.attendance not in AWAY:
            present[r.target].append(r)
    for forum in f.case_forums:
        members = present.get(forum.id, [])
        if not any(r.role in p["roles"] or f.live[r.source].type in p["coordination_types"] for r in members):
            out.note("no_coordinator", forum=forum.id, agencies=[forum.id])
    f.at_most(out, "C2.3", 0)
    return out


@rule("G12")
def not_formalised(f: Facts, p: dict[str, Any]) -> Finding:
    """Too many ties are verbal or informal.

    Among live ties with a stated formality (types in ``skip_types`` left out),
    fires when there are at least ``min_ties`` and the share that is not
    ``written`` is at least ``share`` (one third); or when C2.2 ≤ 0.
    """
    out = Finding()
    stated = [r for r in f.ties if r.formality and r.type not in p["skip_types"]]
    loose = [r for r in stated if r.formality != "written"]
    if len(stated) >= p["min_ties"] and len(loose) / len(stated) >= p["share"]:
        out.note("informal_share", informal=len(loose), total=len(stated),
                 share=round(100 * len(loose) / len(stated)), ties=[r.key for r in loose])
    f.at_most(out, "C2.2", 0)
    return out


@rule("G13")
def key_partner_absent(f: Facts, p: dict[str, Any]) -> Finding:
    """A key role missing from the case conferences, or a partner that rarely comes.

    When the region has live case-conference forums, fires if a role in
    ``roles`` (the taxonomy's ``expected`` role of an agency type: police,
    victim support, child protection, housing, health) has no agency present
    at any of them; a unit also holds the role of the organisation above it
    (a police victim service unit seats the police). Also fires for each live
    membership whose attendance is in ``irregular`` (rare, absent).
    """
    out = Finding()
    types = taxonomy().agency_types
    forums = f.case_forums
    if forums:
        seated = {types.get(f.region.by_id[i].type, {}).get("expected")
                  for fo in forums for a in f.present(fo.id) for i in f.lineage(a)}
        missing = [role for role in p["roles"] if role not in seated]
        if missing:
            ids = [fo.id for fo in forums]
            out.note("roles_missing", roles=missing, forums=ids, agencies=ids)
    for r in f.memberships:
        if r.attendance in p["irregular"]:
            out.note("attendance", agency=r.source, attendance=r.attendance, forum=r.target,
                     agencies=(r.source, r.target), ties=[r.key])
    return out


@rule("G14")
def individual_champions(f: Facts, p: dict[str, Any]) -> Finding:
    """The case conferences hang on one actor.

    Fires for each live agency, other than ``exempt_types`` (coordination
    bodies, whose job it is), that holds a role in ``lead_roles`` in at least
    ``min_forums`` (two) live case-conference forums; or when C4.6 (roles tied
    to positions, with handover) ≤ 0.
    """
    out = Finding()
    case = {fo.id for fo in f.case_forums}
    held: dict[str, set[str]] = defaultdict(set)
    for r in f.memberships:
        if r.target in case and r.role in p["lead_roles"] and f.live[r.source].type not in p["exempt_types"]:
            held[r.source].add(r.target)
    for agency, forums in sorted(held.items()):
        if len(forums) >= p["min_forums"]:
            out.note("roles_concentrated", agency=agency, count=len(forums), forums=sorted(forums),
                     agencies=[agency, *sorted(forums)])
    f.at_most(out, "C4.6", 0)
    return out


@rule("G16")
def no_internal_referral(f: Facts, p: dict[str, Any]) -> Finding:
    """No standard route from front-line police to specialised police services.

    Front-line police: live agencies of ``general_types`` whose ``dv_relay`` is
    not yes. Specialists: live agencies of ``specialist_types`` (police victim
    service) and ``general_types`` agencies with ``dv_relay`` = yes. Fires when
    front-line police exist and there is no specialist, or no live tie of
    ``route_types`` (referral, statutory duty) runs from one to the other; or
    when C3.2 (every incident passed on) is exactly 1 (partial).
    """
    out = Finding()
    police = f.agencies(p["general_types"])
    general = [a.id for a in police if a.dv_relay is not True]
    special = sorted({a.id for a in police if a.dv_relay is True}
                     | {a.id for a in f.agencies(p["specialist_types"])})
    if general and not special:
        out.note("no_police_specialist", agencies=general)
    elif general and not any(r.source in general and r.target in special for r in f.ties_of(*p["route_types"])):
        out.note("no_internal_referral", agencies=general, targets=special)
        out.agencies.update(special)
    f.answer_in(out, "C3.2", (1,))
    return out


@rule("G18")
def no_case_conference(f: Facts, p: dict[str, Any]) -> Finding:
    """No live case conference, or one that stopped and was not replaced.

    Fires when the region has no live case-conference forum, and for each
    discontinued case-conference forum with no live forum of the same type.
    """
    out = Finding()
    live_types = {fo.type for fo in f.case_forums}
    if not live_types:
        out.note("no_case_conference")
    for a in sorted(f.region.forums, key=lambda a: a.id):
        if a.status == "discontinued" and _is_case_forum(a) and a.type not in live_types:
            out.note("case_conference_stopped", forum=a.id, agencies=[a.id])
    return out


def _cadences(f: Facts) -> dict[str, set[str]]:
    """Frequencies stated on each forum's live membership ties."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in f.memberships:
        if r.frequency:
            out[r.target].add(r.frequency)
    return out


@rule("G19")
def slow_cadence(f: Facts, p: dict[str, Any]) -> Finding:
    """Case conferences that meet monthly or less and no fast route.

    A forum's cadence is the set of frequencies stated on its live membership
    ties. Fires when no live case-conference forum has a cadence in ``fast``
    (ad hoc, weekly, daily) and a case-conference forum has a stated cadence
    that is all slower; the live ones are read, or the discontinued ones when
    none is live (a relaunch inherits their design).
    """
    out = Finding()
    fast = set(p["fast"])
    live = f.case_forums
    cadences = _cadences(f)
    if any(cadences[fo.id] & fast for fo in live):
        return out
    stopped = [a for a in f.region.forums if a.status == "discontinued" and _is_case_forum(a)]
    order = taxonomy().values("frequency")
    for fo in sorted(live or stopped, key=lambda a: a.id):
        if cadence := cadences[fo.id]:
            out.note("slow_cadence", forum=fo.id, freq=max(cadence, key=order.index), agencies=[fo.id])
    return out


@rule("G21")
def unclear_roles(f: Facts, p: dict[str, Any]) -> Finding:
    """Steering without authority, and roles either unwritten or overlapping.

    Fires when C2.1 (a body whose task assignments partners accept) ≤ 1 and
    either C2.2 (rights, duties and procedures written) ≤ 1, or one agency
    refers to two or more agencies of the same type, in the same area (or both
    without one), that belong to different families.
    """
    out = Finding()
    if not f.at_most(out, "C2.1", 1):
        return Finding()
    unwritten = f.at_most(out, "C2.2", 1)
    targets: dict[tuple[str, str, str | None], set[str]] = defaultdict(set)
    for r in f.ties_of("referral"):
        t = f.live[r.target]
        if not t.is_forum:
            targets[(r.source, t.type, t.area)].add(r.target)
    overlap = False
    for (source, _, _), ids in sorted(targets.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        if len({f.root(i) for i in ids}) > 1:
            overlap = True
            out.note("overlapping_targets", source=source, targets=sorted(ids), agencies=[source, *sorted(ids)],
                     ties=[(source, i, "referral") for i in sorted(ids)])
    return out if unwritten or overlap else Finding()


@rule("G22")
def story_retold(f: Facts, p: dict[str, Any]) -> Finding:
    """Separate assessments and no shared file: fires when C3.8 ≤ 1 and C3.4 ≤ 1."""
    out = Finding()
    if f.at_most(out, "C3.8", 1) and f.at_most(out, "C3.4", 1):
        return out
    return Finding()


@rule("G24")
def justice_silent(f: Facts, p: dict[str, Any]) -> Finding:
    """Prosecution or courts receive referrals but tell nobody what happened.

    Fires for each live agency of ``justice_types`` (prosecution, criminal and
    family courts) that receives live referrals from other families and sends
    live feedback to none of them.
    """
    out = Finding()
    for j in f.agencies(p["justice_types"]):
        ins = [r for r in f.referrals_to.get(j.id, []) if f.root(r.source) != f.root(j.id)]
        if ins and not any(f.feedback(j.id, r.source) for r in ins):
            out.note("justice_no_feedback", agency=j.id, sources=sorted({r.source for r in ins}),
                     agencies=[j.id, *(r.source for r in ins)], ties=[r.key for r in ins])
    return out


@rule("G25")
def children_not_linked(f: Facts, p: dict[str, Any]) -> Finding:
    """Child protection missing, not notified by the police, or not in case work.

    Fires when there is no live agency of ``child_types`` (child protection);
    when live police exist (``police_types``) and no live tie from them reaches
    child protection (or its family) whose type is in ``route_types``
    (statutory duty, referral) or whose legal basis is in
    ``route_legal_bases`` (child welfare, statutory duty); or when the region
    has live case-conference forums and child protection is present at none.
    """
    out = Finding()
    child = [a.id for a in f.agencies(p["child_types"])]
    if not child:
        out.note("type_missing", types=p["child_types"])
        return out
    police = {a.id for a in f.agencies(p["police_types"])}
    roots = {f.root(c) for c in child}
    routes = [r for r in f.ties if r.source in police and f.root(r.target) in roots
              and (r.type in p["route_types"] or r.legal_basis in p["route_legal_bases"])]
    if police and not routes:
        out.note("no_child_notification", agencies=child)
    seated = {a for fo in f.case_forums for a in f.present(fo.id)}
    if f.case_forums and not any(f.lineage(c) & seated for c in child):
        out.note("child_protection_not_in_forum", agencies=child)
    return out


@rule("G26")
def elderly_unreached(f: Facts, p: dict[str, Any]) -> Finding:
    """No service for older people and nobody serving them.

    Fires when there is no live agency of ``service_types`` (services for
    older and disabled people) and no live agency serves ``group`` (elderly).
    """
    out = Finding()
    if not f.agencies(p["service_types"]) and not f.serves(p["group"]):
        out.note("type_missing", types=p["service_types"])
        out.note("group_unserved", group=p["group"])
    return out


@rule("G27")
def rural_unreached(f: Facts, p: dict[str, Any]) -> Finding:
    """Nobody serves rural or isolated people: no live agency serves ``group``."""
    out = Finding()
    if not f.serves(p["group"]):
        out.note("group_unserved", group=p["group"])
    return out


@rule("G28")
def temporary_funding(f: Facts, p: dict[str, Any]) -> Finding:
    """Funding that is temporary, or NGO partners with no funding recorded.

    Fires for each live ``funding`` tie whose status is ``pilot`` or whose
    notes contain one of ``keywords`` (temporary, pilot, project, yearly
    call…, case-insensitive); and when live organisations of ``ngo_types``
    that are partners (present at a live forum) receive no live funding tie.
    """
    out = Finding()
    words = [k.lower() for k in p["keywords"]]
    funding = f.ties_of("funding")
    for r in funding:
        text = r.notes or ""
        if r.status == "pilot" or any(k in text.lower() for k in words):
            quote = text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS - 1] + "…"
            out.note("temporary_funding", funder=r.source, agency=r.target, note=quote or r.status,
                     agencies=(r.source, r.target), ties=[r.key])
    funded = {r.target for r in funding}
    unfunded = [a.id for a in f.agencies(p["ngo_types"])
                if a.kind == "organisation" and f.forums_of(a.id) and a.id not in funded]
    if unfunded:
        out.note("ngo_unfunded", agencies=unfunded)
    return out


@rule("G29")
def too_many_meetings(f: Facts, p: dict[str, Any]) -> Finding:
    """One partner expected in many forums: present at ``min_forums`` (four) or more live forums."""
    out = Finding()
    seats: dict[str, set[str]] = defaultdict(set)
    for r in f.memberships:
        if r.target in f.live and r.attendance not in AWAY:
            seats[r.source].add(r.target)
    for agency, forums in sorted(seats.items()):
        if len(forums) >= p["min_forums"]:
            out.note("many_forums", agency=agency, count=len(forums), agencies=[agency])
    return out


@rule("G32")
def no_proactive_contact(f: Facts, p: dict[str, Any]) -> Finding:
    """The police refer nobody to a victim service.

    Fires when live agencies of ``police_types`` exist and no live referral
    runs from one of them to a live agency of ``service_types`` (victim
    support, shelter, sexual-violence centre, migrant service); or when C3.2
    (every incident passed to a receiving partner) ≤ 0.
    """
    out = Finding()
    police = [a.id for a in f.agencies(p["police_types"])]
    services = {a.id for a in f.agencies(p["service_types"])}
    if police and not any(r.source in police and r.target in services for r in f.ties_of("referral")):
        out.note("no_police_referral", agencies=police)
    f.at_most(out, "C3.2", 0)
    return out


@rule("G34")
def medical_sector_unreached(f: Facts, p: dict[str, Any]) -> Finding:
    """No health agency with a designated DV relay.

    Fires when there is no live agency of ``health_types`` (hospital, primary
    care, mental health, addiction, forensic, sexual-violence centre), or when
    none of them has ``dv_relay`` = yes.
    """
    out = Finding()
    health = f.agencies(p["health_types"])
    if not health:
        out.note("type_missing", types=p["health_types"])
        return out
    if not any(a.dv_relay is True for a in health):
        out.note("no_health_relay", agencies=[a.id for a in health])
    return out


@rule("G35")
def programme_referrals_unchecked(f: Facts, p: dict[str, Any]) -> Finding:
    """Justice refers to perpetrator programmes and hears nothing back.

    Fires for each live referral from an agency of ``source_types``
    (prosecution, criminal court) to one of ``target_types`` (perpetrator
    programme) with no live feedback tie back between their families. The
    length and timing of referrals are not in the data; missing feedback is
    the sign that nobody checks them.
    """
    out = Finding()
    for r in f.ties_of("referral"):
        if (f.live[r.source].type in p["source_types"] and f.live[r.target].type in p["target_types"]
                and not f.feedback(r.target, r.source)):
            out.note("programme_no_feedback", source=r.source, target=r.target,
                     agencies=(r.source, r.target), ties=[r.key])
    return out


@rule("G36")
def no_police_relay(f: Facts, p: dict[str, Any]) -> Finding:
    """Police without a victim service or a DV-specialised unit or contact.

    Fires when live agencies of ``police_types`` exist, none has ``dv_relay``
    = yes, and there is no live agency of ``service_types`` (police victim
    service).
    """
    out = Finding()
    police = f.agencies(p["police_types"])
    if police and not any(a.dv_relay is True for a in police) and not f.agencies(p["service_types"]):
        out.note("no_police_relay", agencies=[a.id for a in police])
    return out


# ---------------------------------------------------------------------------
# Detection, severity and plain-language evidence
# ---------------------------------------------------------------------------

def detect_gaps(region: Region, lang: str = "en") -> list[Gap]:
    """Every catalogue gap the region shows, sorted by id.

    ``lang`` (``en`` or ``fr``; anything else falls back to English) sets the
    language of titles, descriptions, evidence and severity reasons.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"),
    ...            agencies=(Agency("p", "Police", "police", "organisation"),
    ...                      Agency("v", "Support", "victim_support", "organisation")),
    ...            relationships=(Relationship("p", "v", "referral"),))
    >>> g01 = {g.id: g for g in detect_gaps(r)}["G01"]
    >>> g01.evidence, g01.agencies, g01.base_severity, g01.severity
    (('Police refers cases to Support but gets no feedback from it.',), ('p', 'v'), 'low', 'medium')
    >>> g01.severity_reasons
    ('Raised one step: it involves an entry point (Police).',)
    >>> detect_gaps(r, "fr")[0].title
    "Orientations sans retour vers l'envoyeur"
    """
    lang = lang if lang in LANGUAGES else "en"
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
        severity = SEVERITIES[min(SEVERITIES.index(base) + (raise_note is not None), len(SEVERITIES) - 1)]
        out.append(Gap(
            id=gap_id, title=_text(entry, "title", lang), characteristics=tuple(entry["characteristics"]),
            severity=severity, evidence=tuple(_render(k, v, region, lang) for k, v in found.notes),
            agencies=tuple(sorted(found.agencies)), ties=tuple(sorted(found.ties)),
            answers=tuple(sorted(found.answers)), actions=tuple(deepcopy(entry.get("actions", []))),
            description=_text(entry, "description", lang), base_severity=base,
            severity_reasons=(_render(*raise_note, region, lang),) if raise_note else (),
        ))
    return out


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


def needs_question(lang: str = "en") -> list[dict[str, Any]]:
    """Gaps the data cannot decide: id, title, the question to ask and its indicator.

    >>> [(q["id"], q["decided_by"]) for q in needs_question()]
    [('G17', ['C3.3']), ('G30', ['C2.1'])]
    """
    lang = lang if lang in LANGUAGES else "en"
    gaps = gap_catalogue()["gaps"]
    return [{"id": i, "title": _text(g, "title", lang), "question": _text(g, "question", lang),
             "decided_by": list(g.get("decided_by", []))}
            for i, g in sorted(gaps.items()) if g["detection"] == "needs_question"]


def _text(entry: dict[str, Any], key: str, lang: str) -> str:
    return entry.get(f"{key}_{lang}") or entry.get(f"{key}_en", "")


_AGENCY_FIELDS = frozenset({"agency", "agencies", "source", "sources", "target", "targets",
                            "forum", "forums", "funder"})


def _render(key: str, fields: dict[str, Any], region: Region, lang: str) -> str:
    """One evidence sentence: the catalogue's message ``key`` with ``fields`` filled in."""
    message = gap_catalogue()["messages"][key]
    template = message.get(lang) or message["en"]
    return template.format(**{k: _value(k, v, region, lang) for k, v in fields.items()})


def _value(name: str, value: Any, region: Region, lang: str) -> str:
    if name == "answer":
        indicator, score = value
        spec = rubric().indicators[indicator]
        idx = list(spec.get("scores", [0, 1, 2])).index(score)
        labels = spec.get(f"labels_{lang}") or spec.get("labels_en") or spec["answers"]
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
        label = gap_catalogue()["role_labels"].get(value, {})
        return label.get(lang) or label.get("en") or str(value)
    if name == "attendance":
        return tax.label("attendance", value, lang)
    if name == "freq":
        return tax.label("frequency", value, lang)
    return str(value)
