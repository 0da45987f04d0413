"""Gap rules of C1 (targeted action): G02, G05, G06, G09, G26, G27.

The gaps whose first characteristic in the catalogue (``resources/gaps.toml``) is C1,
one function each, registered in :data:`~workbench.roadmap.gaps.engine.RULES` by gap id.
Thresholds and type lists come from ``params``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...taxonomy import taxonomy
from .engine import AWAY, Facts, Finding, rule


@rule("G02")
def no_perpetrator_service(f: Facts, p: dict[str, Any]) -> Finding:
    """No perpetrator service, or none that police, justice or social services refer to.

    A perpetrator service is a live agency of a type in ``service_types``
    (perpetrator programme) or one that serves a priority group whose audience
    is perpetrators. Fires when there is none, or when no live case channel
    (referral, statutory duty, case-level sharing) reaches one (or its family)
    from an agency of ``referrer_types`` (police, police victim service,
    prosecution, probation, social services). A perpetrator service that is
    itself of a referrer type (a police task force, probation) needs no referral.
    A region whose map holds no live agency of a referrer type at all gets a
    check (who refers people who use violence to the service?), not a gap.

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
    groups = {g for g, spec in taxonomy().priority_groups.items() if spec.get("audience") == "perpetrators"}
    services = [a.id for a in f.live.values() if not a.is_forum and (
        a.type in p["service_types"] or any(g in groups and g not in a.excluded_groups for g in a.target_groups))]
    if not services:
        out.note("no_perpetrator_service")
        return out
    if any(f.live[s].type in p["referrer_types"] for s in services):
        return out  # police, probation or social services that work with perpetrators themselves
    if not f.agencies(p["referrer_types"]):
        out.check(sorted(services))  # the map holds nobody who would refer: who sends people here?
        return out
    roots = {f.root(s) for s in services}
    reached = [r for r in f.case_channels
               if f.live[r.source].type in p["referrer_types"] and f.root(r.target) in roots
               and f.root(r.source) != f.root(r.target)]
    if not reached:
        out.note("perpetrator_service_not_referred", agencies=sorted(services), types=p["referrer_types"])
    return out


def _excluded_without_alternative(f: Facts, out: Finding, group: str, types: Iterable[str] | None = None) -> bool:
    """Note agencies (of ``types``, or any) that exclude ``group`` when no live agency serves it."""
    pool = f.agencies(types) if types is not None else [a for a in f.live.values() if not a.is_forum]
    excluders = sorted(a.id for a in pool if group in a.excluded_groups)
    if excluders and not f.serves(group):
        out.note("group_excluded_no_alternative", agencies=excluders, group=group)
        return True
    return False


def _served_or_check(f: Facts, out: Finding, group: str) -> None:
    """A group nobody is recorded as serving: a gap when someone turns it away, else a check."""
    if not f.serves(group) and not _excluded_without_alternative(f, out, group):
        out.check()


@rule("G05")
def addiction_overlooked(f: Facts, p: dict[str, Any]) -> Finding:
    """Addiction services absent from the forums, or substance users turned away.

    Fires (evidence) when live agencies of ``service_types`` (addiction
    services) exist but none of them (nor its organisation) is present at a
    forum of the partnership (live or stopped: a forum that stopped is G18)
    or joined to another family by a case channel (referral,
    statutory duty, case-level sharing); or when a live agency of
    ``accommodation_types`` (shelter) excludes ``group`` (substance use) and no
    live agency or forum serves that group. No addiction service on the map
    and nobody tagged with the group is a check (the map may simply not list
    it), not a gap.

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
    services = f.agencies(p["service_types"])
    if services:
        roots = {f.root(a.id) for a in services}
        linked = any(f.root(r.source) in roots or f.root(r.target) in roots for r in f.case_channels
                     if f.root(r.source) != f.root(r.target))
        member = any(r.attendance not in AWAY and f.root(r.source) in roots for r in f.memberships)
        if not linked and not member:
            out.note("not_in_forum", agencies=[a.id for a in services])
    excluded = _excluded_without_alternative(f, out, p["group"], p["accommodation_types"])
    if not services and not excluded and not f.serves(p["group"]):
        out.check()
    return out


@rule("G06")
def undocumented_shut_out(f: Facts, p: dict[str, Any]) -> Finding:
    """Shelters exclude undocumented victims and nobody else serves them.

    Fires when a live agency of ``accommodation_types`` (shelter) lists
    ``group`` (undocumented) among its excluded groups and no live agency
    lists it among its target groups.

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
    _excluded_without_alternative(f, out, p["group"], p["accommodation_types"])
    return out


@rule("G09")
def blind_to_coercive_control(f: Facts, p: dict[str, Any]) -> Finding:
    """No route for non-physical abuse or for victims below the high-risk threshold.

    Fires when C1.5 ≤ 0 (answers), or when a live agency turns away one of
    ``groups`` (non-physical abuse, low-risk victims) and nobody serves it
    (evidence). A group nobody is tagged with is a check; a server of the
    group named in ``also_served_by`` (all DV victims) counts as serving
    low-risk victims; a forum's own target groups count.

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
    f.at_most(out, "C1.5", 0)
    also = p.get("also_served_by", {})
    for group in p["groups"]:
        if not (group in also and f.serves(also[group])):
            _served_or_check(f, out, group)
    return out


@rule("G26")
def elderly_unreached(f: Facts, p: dict[str, Any]) -> Finding:
    """No service for older people and nobody serving them.

    Fires when a live agency turns away ``group`` (elderly) and there is no
    live agency of ``service_types`` (services for older and disabled
    people) and nobody serves the group. With no such service and nobody
    tagged with the group, the region gets a check, not a gap.

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
    if not f.agencies(p["service_types"]):
        _served_or_check(f, out, p["group"])
    return out


@rule("G27")
def rural_unreached(f: Facts, p: dict[str, Any]) -> Finding:
    """Rural or isolated people turned away and nobody serving them.

    Fires when a live agency lists ``group`` (rural, isolated) among its
    excluded groups and no live agency or forum serves it. Nobody tagged with
    the group is a check (a tag the region did not fill), not a gap.

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
    _served_or_check(f, out, p["group"])
    return out
