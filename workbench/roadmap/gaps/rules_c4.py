"""Gap rules of C4 (specialised relays): G14, G15, G33, G34, G36.

The gaps whose first characteristic in the catalogue (``resources/gaps.toml``) is C4,
one function each, registered in :data:`~workbench.roadmap.gaps.engine.RULES` by gap id.
Thresholds and type lists come from ``params``.
The answers alone decide G15, G33 (:func:`~workbench.roadmap.gaps.engine.answers_at_most`,
thresholds ``params.at_most`` in the catalogue).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .engine import Facts, Finding, answers_at_most, rule

#: The gaps of C4 the answers alone decide (thresholds: ``params.at_most`` in the catalogue).
for _gap_id in ("G15", "G33"):
    rule(_gap_id)(answers_at_most)


@rule("G14")
def individual_champions(f: Facts, p: dict[str, Any]) -> Finding:
    """The case conferences hang on one actor.

    Fires for each live agency, other than ``exempt_types`` (coordination
    bodies, whose job it is), that holds a role in ``lead_roles`` in at least
    ``min_forums`` (two) live case-conference forums; or when C4.6 (roles tied
    to positions, with handover) ≤ 0; or when C4.6 is only partial (1) and
    C5.8 (a structured welcome for newcomers) ≤ 0: the roles are only partly
    tied to posts and nobody inducts a successor, so a change of person cuts
    the link.

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
    case = {fo.id for fo in f.case_forums}
    held: dict[str, set[str]] = defaultdict(set)
    for r in f.memberships:
        if r.target in case and r.role in p["lead_roles"] and f.live[r.source].type not in p["exempt_types"]:
            held[r.source].add(r.target)
    for agency, forums in sorted(held.items()):
        if len(forums) >= p["min_forums"]:
            out.note("roles_concentrated", agency=agency, count=len(forums), forums=sorted(forums),
                     agencies=[agency, *sorted(forums)])
    if not f.at_most(out, "C4.6", 0):
        c46 = f.scores.get("C4.6", {}).get("consensus")
        c58 = f.scores.get("C5.8", {}).get("consensus")
        if c46 == 1 and c58 == 0:
            f.answer_in(out, "C4.6", (1,))
            f.answer_in(out, "C5.8", (0,))
    return out


@rule("G34")
def medical_sector_unreached(f: Facts, p: dict[str, Any]) -> Finding:
    """No health agency with a designated DV relay.

    Fires when there is no live agency of ``health_types`` (hospital, primary
    care, mental health, addiction, forensic, sexual-violence centre); or when
    the front line of the sector, its agencies of ``frontline_types``
    (hospitals, primary care; all health agencies when the region has none of
    those), has no ``dv_relay`` = yes and at least one of them is recorded
    with ``dv_relay`` = no (a relay held by the agency's organisation or by
    one of its units counts). A separate forensic service with a relay is where doctors
    should send victims, not a relay among the doctors themselves. When no
    front-line agency has its ``dv_relay`` recorded, it is a check, not a gap.

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
    health = f.agencies(p["health_types"])
    if not health:
        out.note("type_missing", types=p["health_types"])
        return out
    front = [a for a in health if a.type in p["frontline_types"]] or health
    relays = {a.id for a in f.live.values() if a.dv_relay is True}
    if any(f.family(a.id) & relays for a in front):
        return out  # a front-line agency, its organisation or one of its units holds the relay
    if any(a.dv_relay is False for a in front):
        out.note("no_health_relay", agencies=[a.id for a in front])
    else:
        out.check([a.id for a in front])  # whether they have a relay is not recorded
    return out


@rule("G36")
def no_police_relay(f: Facts, p: dict[str, Any]) -> Finding:
    """Police without a victim service or a DV-specialised unit or contact.

    Fires when live agencies of ``police_types`` exist, none has ``dv_relay``
    = yes, and there is no live agency of ``service_types`` (police victim
    service).

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
    police = f.agencies(p["police_types"])
    if police and not any(a.dv_relay is True for a in police) and not f.agencies(p["service_types"]):
        out.note("no_police_relay", agencies=[a.id for a in police])
    return out
