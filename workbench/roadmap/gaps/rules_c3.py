"""Gap rules of C3 (information sharing): G01, G07, G08, G10, G16, G18, G22, G24, G25, G32, G35.

The gaps whose first characteristic in the catalogue (``resources/gaps.toml``) is C3,
one function each, registered in :data:`~workbench.roadmap.gaps.engine.RULES` by gap id.
Thresholds and type lists come from ``params``.
The answers alone decide G07 (:func:`~workbench.roadmap.gaps.engine.answers_at_most`,
thresholds ``params.at_most`` in the catalogue).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from .engine import Facts, Finding, _is_case_forum, answers_at_most, rule

#: The gap of C3 the answers alone decide (thresholds: ``params.at_most`` in the catalogue).
rule("G07")(answers_at_most)


@rule("G01")
def one_way_referrals(f: Facts, p: dict[str, Any]) -> Finding:
    """Cases passed on by police, prosecution or social services that get no feedback.

    Fires for each live case channel A→B (a referral, a report under a
    statutory duty, case-level information sharing: ``Facts.case_channels``) whose source type is in
    ``referrer_types`` (police, police victim service, prosecution, social
    services) when no live ``feedback`` tie runs from B's family back to A's
    family (for a forum, a ``tasking`` tie back counts); referrals inside one
    family are left out. A region that records no feedback at all
    (``Facts.feedback_recorded``) gets a check for those channels instead: it
    has not mapped who hears back. Also fires when C3.6 (outcomes reported
    back to the referrer) ≤ 0.

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
    for r in f.case_channels:
        if (f.live[r.source].type in p["referrer_types"] and f.root(r.source) != f.root(r.target)
                and not f.feedback(r.target, r.source)):
            if f.feedback_recorded:
                out.note("no_feedback", source=r.source, target=r.target,
                         agencies=(r.source, r.target), ties=[r.key])
            else:
                out.check([r.source, r.target])
    f.at_most(out, "C3.6", 0)
    return out


@rule("G08")
def no_common_risk_tool(f: Facts, p: dict[str, Any]) -> Finding:
    """Police, victim services and child protection record different risk instruments.

    ``sides`` lists groups of agency types. A side's tools are the live
    ``shared_instrument`` ties of its agencies, of the organisations above them
    and of their units (lineage both ways), and those of the live forums they
    are present at. For every two sides that both have live agencies and
    share no tool (no ``shared_instrument`` tie joins them directly or both to
    one node), fires (evidence) when each side records a tool of its own: they
    judge danger with different instruments. When either side records no tool
    at all, which instrument it uses is not recorded: a check, not a gap.
    Also fires when C3.4 (a common risk tool) ≤ 0.

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
    near: dict[str, set[str]] = defaultdict(set)
    for r in f.ties_of("shared_instrument"):
        near[r.source].add(r.target)
        near[r.target].add(r.source)
    for forum in [i for i in near if f.live[i].is_forum]:
        for member in f.present(forum):
            near[member].add(forum)
            near[forum].add(member)

    def base(ids: Iterable[str]) -> set[str]:
        return set().union(*(f.family(i) for i in ids))

    def reach(ids: Iterable[str]) -> set[str]:
        own = base(ids)
        return own.union(*(near[i] for i in own))

    def has_tool(ids: Iterable[str]) -> bool:
        return any(near[i] for i in base(ids))

    sides = [(types, [a.id for a in f.agencies(types)]) for types in p["sides"]]
    for (types_a, a_ids), (types_b, b_ids) in combinations(sides, 2):
        if a_ids and b_ids and not reach(a_ids) & reach(b_ids):
            if has_tool(a_ids) and has_tool(b_ids):
                out.note("no_shared_instrument", types_a=types_a, types_b=types_b, agencies=a_ids + b_ids)
            else:
                out.check(a_ids + b_ids)
    f.at_most(out, "C3.4", 0)
    return out


@rule("G10")
def sharing_blocked(f: Facts, p: dict[str, Any]) -> Finding:
    """A partner kept out of a forum, or sharing that rests on consent alone.

    Fires for each live membership whose attendance is in ``blocked``
    (excluded, declined); when every live tie of ``sharing_types`` with a
    stated legal basis rests on ``consent``; or when C3.1 ≤ 0 (no written
    information-sharing protocol).

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
    for r in f.memberships:
        if r.attendance in p["blocked"]:
            out.note("attendance", agency=r.source, attendance=r.attendance, forum=r.target,
                     agencies=(r.source, r.target), ties=[r.key])
    stated = [r for r in f.ties_of(*p["sharing_types"]) if r.legal_basis not in (None, "not_stated")]
    if stated and all(r.legal_basis == "consent" for r in stated):
        out.note("consent_only", count=len(stated), ties=[r.key for r in stated])
    f.at_most(out, "C3.1", 0)
    return out


@rule("G16")
def no_internal_referral(f: Facts, p: dict[str, Any]) -> Finding:
    """No standard route from front-line police to specialised police services.

    Front-line police: live agencies of ``general_types`` whose ``dv_relay`` is
    not yes and whose organisation above does not hold the relay either (a
    unit of an organisation with a DV relay is routed inside its own family).
    Specialists: live agencies of ``specialist_types`` (police victim service)
    and ``general_types`` agencies with ``dv_relay`` = yes. Fires when
    front-line police exist and there is no specialist, or no live tie of
    ``route_types`` (referral, statutory duty) runs from one to the other; or
    when C3.2 (every incident passed on) is exactly 1 (partial).

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
    police = f.agencies(p["general_types"])
    relays = {a.id for a in police if a.dv_relay is True}
    # lineage: a unit of a police organisation that holds the DV relay is served by its own organisation
    general = [a.id for a in police if a.dv_relay is not True and not (f.lineage(a.id) - {a.id}) & relays]
    special = sorted(relays | {a.id for a in f.agencies(p["specialist_types"])})
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
    live_types = {fo.type for fo in f.case_forums}
    if not live_types:
        out.note("no_case_conference")
    for a in sorted(f.region.forums, key=lambda a: a.id):
        if a.status == "discontinued" and _is_case_forum(a) and a.type not in live_types:
            out.note("case_conference_stopped", forum=a.id, agencies=[a.id])
    return out


@rule("G22")
def story_retold(f: Facts, p: dict[str, Any]) -> Finding:
    """Separate assessments and no shared file: fires when C3.8 ≤ 1 and C3.4 ≤ 1.

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
    if f.at_most(out, "C3.8", 1) and f.at_most(out, "C3.4", 1):
        return out
    return Finding()


@rule("G24")
def justice_silent(f: Facts, p: dict[str, Any]) -> Finding:
    """Prosecution or courts receive referrals but tell nobody what happened.

    Fires for each live agency of ``justice_types`` (prosecution, criminal and
    family courts) that receives cases from other families through live case
    channels (referrals, reports under a statutory duty, case-level sharing)
    and sends live feedback to none of them. A region that records no
    feedback at all gets a check instead (``Facts.feedback_recorded``).

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
    for j in f.agencies(p["justice_types"]):
        ins = [r for r in f.case_channels if r.target == j.id and f.root(r.source) != f.root(j.id)]
        if ins and not any(f.feedback(j.id, r.source) for r in ins):
            if not f.feedback_recorded:
                out.check([j.id, *(r.source for r in ins)])
                continue
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


@rule("G32")
def no_proactive_contact(f: Facts, p: dict[str, Any]) -> Finding:
    """The police refer nobody to a victim service.

    Fires when live agencies of ``police_types`` exist and no live referral
    runs from one of them to a live agency of ``service_types`` (victim
    support, shelter, sexual-violence centre, migrant service) or, with
    ``mode`` = ``proactive`` or ``assisted`` (the receiver contacts the
    victim), to any agency outside the police's own family (an embedded
    social worker who calls victims back); or when every such
    referral is recorded with ``mode`` = ``signpost`` (the victim is only given
    a contact: data contract 1.1; an unrecorded mode is no finding); or when C3.2
    (every incident passed to a receiving partner) ≤ 0.

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
    police = [a.id for a in f.agencies(p["police_types"])]
    services = {a.id for a in f.agencies(p["service_types"])}
    # a referral the police record as proactive or assisted reaches out to the victim, whoever receives it
    routes = [r for r in f.ties_of("referral") if r.source in police and (
        r.target in services or (r.mode in ("proactive", "assisted") and f.root(r.target) != f.root(r.source)))]
    if police and not routes:
        out.note("no_police_referral", agencies=police)
    elif routes and all(r.mode == "signpost" for r in routes):
        out.note("police_signpost_only", agencies=sorted({r.source for r in routes}), ties=[r.key for r in routes])
    f.at_most(out, "C3.2", 0)
    return out


@rule("G35")
def programme_referrals_unchecked(f: Facts, p: dict[str, Any]) -> Finding:
    """Justice refers to perpetrator programmes and hears nothing back.

    Fires for each live case channel (referral, statutory duty, case-level
    sharing) from an agency of ``source_types``
    (prosecution, criminal court) to one of ``target_types`` (perpetrator
    programme) with no live feedback tie back between their families. The
    length and timing of referrals are not in the data; missing feedback is
    the sign that nobody checks them. A region that records no feedback at
    all gets a check instead (``Facts.feedback_recorded``).

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
    for r in f.case_channels:
        if (f.live[r.source].type in p["source_types"] and f.live[r.target].type in p["target_types"]
                and not f.feedback(r.target, r.source)):
            if not f.feedback_recorded:
                out.check([r.source, r.target])
                continue
            out.note("programme_no_feedback", source=r.source, target=r.target,
                     agencies=(r.source, r.target), ties=[r.key])
    return out
