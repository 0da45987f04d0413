"""Gap rules of C2 (steering body): G11, G12, G13, G19, G20, G21, G28, G29.

The gaps whose first characteristic in the catalogue (``resources/gaps.toml``) is C2,
one function each, registered in :data:`~workbench.roadmap.gaps.engine.RULES` by gap id.
Thresholds and type lists come from ``params``.
The answers alone decide G20 (:func:`~workbench.roadmap.gaps.engine.answers_at_most`,
thresholds ``params.at_most`` in the catalogue).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ...data import Relationship
from ...data.facts import LIVE_TIE, PILOT
from ...taxonomy import taxonomy
from .engine import AWAY, NOTE_CHARS, Facts, Finding, _is_case_forum, answers_at_most, rule

#: The gap of C2 the answers alone decide (thresholds: ``params.at_most`` in the catalogue).
rule("G20")(answers_at_most)


@rule("G11")
def no_coordinator(f: Facts, p: dict[str, Any]) -> Finding:
    """A case conference with nobody to coordinate it.

    Fires for each live case-conference forum where no present member holds
    a role in ``roles`` (coordinator, secretariat) or is of a type in
    ``coordination_types``; or when C2.3 (own budget and
    staff) ≤ 0. A forum whose memberships state no role at all is not
    recorded, not missing: it is a check.

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
    """
    out = Finding()
    present: dict[str, list[Relationship]] = defaultdict(list)
    for r in f.memberships:
        if r.attendance not in AWAY:
            present[r.target].append(r)
    for forum in f.case_forums:
        members = present.get(forum.id, [])
        if any(r.role in p["roles"] or f.live[r.source].type in p["coordination_types"]
                             for r in members):
            continue
        if any(r.role for r in members):
            out.note("no_coordinator", forum=forum.id, agencies=[forum.id])
        else:
            out.check([forum.id])
    f.at_most(out, "C2.3", 0)
    return out


@rule("G12")
def not_formalised(f: Facts, p: dict[str, Any]) -> Finding:
    """Too many ties are verbal or informal, or partners work together on personal ties alone.

    Among live ties with a stated formality (types in ``skip_types`` left out),
    fires when there are at least ``min_ties`` and the share that is not
    ``written`` is at least ``share`` (one third); or when C2.2 ≤ 0 (nothing
    agreed). When C2.2 is ``verbal`` (1), fires if the region's own ties show
    it too: two families of agencies joined by an ``informal_tie`` or by a tie
    whose formality is ``verbal`` or ``none``, and by no ``written`` tie (the
    answer and the network data together).

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
    """
    out = Finding()
    stated = [r for r in f.ties if r.formality and r.type not in p["skip_types"]]
    loose = [r for r in stated if r.formality != "written"]
    if len(stated) >= p["min_ties"] and len(loose) / len(stated) >= p["share"]:
        out.note("informal_share", informal=len(loose), total=len(stated),
                 share=round(100 * len(loose) / len(stated)), ties=[r.key for r in loose])
    if f.at_most(out, "C2.2", 0):
        return out
    c22 = f.scores.get("C2.2", {}).get("consensus")
    if c22 == 1:
        def pair(r: Relationship) -> frozenset[str]:
            return frozenset((f.root(r.source), f.root(r.target)))
        written = {pair(r) for r in f.ties if r.formality == "written"}
        personal = [r for r in f.ties if r.type != "part_of" and f.root(r.source) != f.root(r.target)
                    and (r.type == "informal_tie" or r.formality in ("verbal", "none"))
                    and pair(r) not in written]
        if personal:
            out.note("informal_only", count=len({pair(r) for r in personal}),
                     agencies=sorted({i for r in personal for i in (r.source, r.target)}),
                     ties=[r.key for r in personal])
            f.answer_in(out, "C2.2", (1,))
    return out


@rule("G13")
def key_partner_absent(f: Facts, p: dict[str, Any]) -> Finding:
    """A key role missing from the case conferences, or a partner that rarely comes.

    When the region has live case-conference forums, fires if a role in
    ``roles`` (the taxonomy's ``expected`` role of an agency type: police,
    victim support, child protection, housing, health) has no agency present
    at any of them; a unit also holds the role of the organisation above it
    (a police victim service unit seats the police). A case conference with
    no membership recorded at all is left out of that count and gets a check:
    its members are not recorded, which is not the same as missing. Also
    fires for each live membership whose attendance is in ``irregular`` (rare,
    absent, declined).

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
    """
    out = Finding()
    types = taxonomy().agency_types
    listed = {r.target for r in f.memberships}
    if unlisted := [fo.id for fo in f.case_forums if fo.id not in listed]:
        out.check(unlisted)  # who sits there is not recorded: not the same as nobody
    forums = [fo for fo in f.case_forums if fo.id in listed]
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


def _cadences(f: Facts) -> dict[str, set[str]]:
    """Each forum's own ``frequency`` (data contract 1.1) and the frequencies on its live membership ties."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in f.region.forums:
        if a.frequency:
            out[a.id].add(a.frequency)
    for r in f.memberships:
        if r.frequency:
            out[r.target].add(r.frequency)
    return out


@rule("G19")
def slow_cadence(f: Facts, p: dict[str, Any]) -> Finding:
    """Case conferences that meet monthly or less and no fast route.

    A forum's cadence is its own ``frequency`` and the frequencies stated on
    its live membership ties; live case conferences with no cadence recorded
    are a check. Fires when no live case-conference forum has a cadence in ``fast``
    (ad hoc, weekly, daily) and a case-conference forum has a stated cadence
    that is all slower; the live ones are read, or the discontinued ones when
    none is live (a relaunch inherits their design).

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
    """
    out = Finding()
    fast = set(p["fast"])
    live = f.case_forums
    cadences = _cadences(f)
    if any(cadences[fo.id] & fast for fo in live):
        return out
    if live and not any(cadences[fo.id] for fo in live):
        out.check([fo.id for fo in live])  # how often they meet is not recorded
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

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
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


@rule("G28")
def temporary_funding(f: Facts, p: dict[str, Any]) -> Finding:
    """Funding that is temporary, or NGO partners with no funding recorded.

    Reads ``funding`` ties that are live or on trial (status ``pilot``)
    between live agencies. Fires (evidence) for each such tie that is marked
    ``temporary`` (data contract 1.1), whose status is ``pilot`` or, when
    ``temporary`` is not recorded, whose notes contain one of ``keywords`` (temporary, pilot, project, yearly
    call…, case-insensitive). Live organisations of ``ngo_types`` that are
    partners (present at a live forum) with no funding tie recorded are a
    check, not a gap: the region may simply not have mapped its funders.

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
    """
    out = Finding()
    words = [k.lower() for k in p["keywords"]]
    funding = [r for r in f.between_live(LIVE_TIE | {PILOT}) if r.type == "funding"]
    for r in funding:
        text = r.notes or ""
        if r.temporary is True:  # contract 1.1: recorded as temporary or project-based
            out.note("temporary_funding_marked", funder=r.source, agency=r.target,
                     agencies=(r.source, r.target), ties=[r.key])
        elif r.status == PILOT or (r.temporary is None and any(k in text.lower() for k in words)):
            quote = text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS - 1] + "…"
            out.note("temporary_funding", funder=r.source, agency=r.target, note=quote or r.status,
                     agencies=(r.source, r.target), ties=[r.key])
    funded = {r.target for r in funding}
    unfunded = [a.id for a in f.agencies(p["ngo_types"])
                if a.kind == "organisation" and f.forums_of(a.id) and a.id not in funded]
    if unfunded:
        out.check(unfunded)
    return out


@rule("G29")
def too_many_meetings(f: Facts, p: dict[str, Any]) -> Finding:
    """One partner expected in many forums: present at ``min_forums`` (four) or more live forums.

    Coordination bodies (``exempt_types``) are left out: sitting in every
    forum is their job (the HAIP office director "actively participates in
    all HAIP committees", 004:3417), as G14 leaves them out of lead roles.

    Parameters
    ----------
    f : Facts
        The region's facts: its live agencies, ties and case channels.
    p : dict
        The rule's params from the gap catalogue (``resources/gaps.toml``):
        thresholds and agency type lists.

    Returns
    -------
    Finding
        What the rule noted for this gap; empty when the gap does not fire.
    """
    out = Finding()
    seats: dict[str, set[str]] = defaultdict(set)
    for r in f.memberships:
        if r.target in f.live and r.attendance not in AWAY and f.live[r.source].type not in p["exempt_types"]:
            seats[r.source].add(r.target)
    for agency, forums in sorted(seats.items()):
        if len(forums) >= p["min_forums"]:
            out.note("many_forums", agency=agency, count=len(forums), agencies=[agency])
    return out
