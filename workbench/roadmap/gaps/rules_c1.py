"""Gap rules of C1 (targeted action): G02, G05, G06, G09, G26, G27.

The gaps whose first characteristic in the catalogue (``resources/gaps.toml``) is C1,
one function each, registered in :data:`~workbench.roadmap.gaps.engine.RULES` by gap id.
Thresholds and type lists come from ``params``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...taxonomy import taxonomy
from .engine import Facts, Finding, rule


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
