"""Network evidence for each characteristic, and where it contradicts the self-assessment.

Each *measure* counts something in the region's network (live agencies,
units and forums; live ties: the one rule of :mod:`workbench.data.facts`)
and says which levels that count is compatible with: its *band*. Bands and
the lists a rule uses (tie types, roles, sectors) live in
``resources/maturity.toml``, ``[measures]``; each measure's name and sentences
are in the ``maturity`` catalogue (``maturity.measures.<id>``, ``.text``,
``.one``, ``.gap``, ``.empty``), in every language; the counting rules are the
functions below, one per measure:

========================  ==========================================================
``c1_group_pathways``     priority groups (taxonomy, less the default group of all
                          victims) that some live agency serves, and how many of them
                          a referral pathway reaches from an entry point
                          (:func:`workbench.network.pathways.group_coverage`)
``c1_working_groups``     live thematic working groups
``c2_steering_forum``     live steering forums (taxonomy ``steering``) with ≥ 2
                          attending members
``c2_steering_roles``     0 no chair-like role in them, 1 a chair, lead, coordinator
                          or host, 2 that and a secretariat
``c2_written_ties``       share of cooperation ties whose ``formality`` is stated
                          that are ``written``
``c3_referral_feedback``  share of referrals with a feedback tie back
                          (:func:`workbench.network.pathways.referral_feedback`)
``c3_sharing_agreements`` information-sharing ties that are written or state a
                          legal basis, and formal agreements that state one
``c3_case_conference``    live case-conference forums with ≥ 3 attending members
``c4_relay_share``        share of live partner organisations (front-line sectors)
                          with ``dv_relay``, on the organisation or one of its units
``c4_main_partner_relays`` share of the main partner roles present (taxonomy
                          ``expected``) with at least one relay
``c5_training_ties``      training ties between live agencies
``c5_co_produced``        agencies trained by several sectors, by a joint body
                          (forum or coordination body), or training each other
``c5_research``           live research bodies with an active tie
========================  ==========================================================

A **conflict** is reported when the self-assessed level lies above a
measure's band, or two levels or more below it (:data:`CONFLICT_DISTANCE`);
it is stated in plain words ("the group rated C3 at level 3, but 8 of 11
referrals get no feedback").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from .. import i18n
from ..data import Region, Relationship
from ..data.facts import LiveNetwork
from ..network.pathways import ABSENT, group_coverage, referral_feedback
from ..taxonomy import rubric, taxonomy
from .scoring import CHARACTERISTICS, maturity_spec

#: How far outside a measure's band a self-assessed level must lie to be a conflict:
#: above the band, one level is enough (the level's descriptor asks for something
#: the network does not show); below it, two (a network shows form more than
#: function, so a structure on paper does not prove the group wrong).
CONFLICT_DISTANCE = {"over": 1, "under": 2}
#: Names listed in a sentence before "+ N more".
MAX_NAMES = 4


def _param(measure_id: str, key: str) -> frozenset[str]:
    """A measure's parameter list from ``maturity.toml`` (tie types, roles, sectors)."""
    return frozenset(maturity_spec()["measures"][measure_id][key])


class _Net(LiveNetwork):
    """What the measures need from a region, computed once.

    Live agencies and ties come from :class:`~workbench.data.facts.LiveNetwork`,
    the same view the gap rules read.
    """

    @cached_property
    def attending(self) -> dict[str, set[str]]:
        """Live forum id → live members whose attendance is not absent."""
        out: dict[str, set[str]] = {f: set() for f, a in self.live.items() if a.is_forum}
        for r in self.ties:
            if r.type == "forum_membership" and r.target in out and r.attendance not in ABSENT:
                out[r.target].add(r.source)
        return out

    def sector(self, agency_id: str) -> str:
        a = self.live[agency_id]
        if a.is_forum:
            return "coordination"
        return taxonomy().agency_types.get(a.type, {}).get("sector", "")

    def forums_where(self, flag: str, min_members: int) -> list[str]:
        types = taxonomy().forum_types
        return sorted(f for f, members in self.attending.items()
                      if types.get(self.live[f].type, {}).get(flag) and len(members) >= min_members)


def _names(net: _Net, ids: list[str]) -> str:
    names = [net.live[i].name if i in net.live else i for i in ids]
    more = len(names) - MAX_NAMES
    return ", ".join(names[:MAX_NAMES]) + (f" + {more}" if more > 0 else "")


def _share(num: int, den: int) -> dict[str, Any]:
    return {"num": num, "den": den, "rest": den - num,
            "value": num / den if den else None}


# --- the measures -----------------------------------------------------------

def _c1_group_pathways(net: _Net) -> dict[str, Any]:
    skip = set(maturity_spec()["measures"]["c1_group_pathways"].get("not_priorities", ()))
    groups = set(taxonomy().priority_groups) - skip
    cov = {g: c for g, c in group_coverage(net.region).items() if g in groups and c["servers"]}
    covered = sorted(g for g, c in cov.items() if c["covered"])
    missing = sorted(g for g, c in cov.items() if not c["covered"])
    out = _share(len(covered), len(cov))
    out.update(value=len(covered) if cov else None, items=covered, missing=missing)
    return out


def _c1_working_groups(net: _Net) -> dict[str, Any]:
    types = _param("c1_working_groups", "types")
    wgs = sorted(f for f, a in net.live.items() if a.type in types)
    return {"value": len(wgs), "count": len(wgs), "items": wgs}


def _c2_steering_forum(net: _Net) -> dict[str, Any]:
    forums = net.forums_where("steering", 2)
    return {"value": len(forums), "count": len(forums), "items": forums}


def _c2_steering_roles(net: _Net) -> dict[str, Any]:
    forums = set(net.forums_where("steering", 2))
    if not forums:
        return {"value": None, "items": []}
    roles = {r.role for r in net.ties
             if r.type == "forum_membership" and r.target in forums and r.role}
    chair = bool(roles & _param("c2_steering_roles", "chair_roles"))
    secretariat = bool(roles & _param("c2_steering_roles", "secretariat_roles"))
    return {"value": chair + (chair and secretariat), "chair": chair,
            "secretariat": secretariat, "items": sorted(roles)}


def _c2_written_ties(net: _Net) -> dict[str, Any]:
    types = _param("c2_written_ties", "types")
    stated = [r for r in net.ties if r.type in types and r.formality]
    written = sum(r.formality == "written" for r in stated)
    return _share(written, len(stated))


def _c3_referral_feedback(net: _Net) -> dict[str, Any]:
    refs = referral_feedback(net.region)
    out = _share(sum(f["has_feedback"] for f in refs), len(refs))
    out["items"] = [f"{f['source']}→{f['target']}" for f in refs if not f["has_feedback"]]
    return out


def _c3_sharing_agreements(net: _Net) -> dict[str, Any]:
    def based(r: Relationship) -> bool:
        return bool(r.legal_basis) and r.legal_basis != "not_stated"
    ties = [r for r in net.ties
            if (r.type == "information_sharing" and (r.formality == "written" or based(r)))
            or (r.type == "formal_agreement" and based(r))]
    return {"value": len(ties), "count": len(ties),
            "items": sorted(f"{r.source}→{r.target}" for r in ties)}


def _c3_case_conference(net: _Net) -> dict[str, Any]:
    forums = net.forums_where("case_conference", 3)
    return {"value": len(forums), "count": len(forums), "items": forums}


def _relay_holders(net: _Net) -> set[str]:
    """Live agencies with a relay, and the parents of live units that have one."""
    out = set()
    for a in net.live.values():
        if a.dv_relay:
            out.add(a.id)
            if a.parent:
                out.add(a.parent)
    return out


def _c4_relay_share(net: _Net) -> dict[str, Any]:
    sectors = _param("c4_relay_share", "sectors")
    orgs = sorted(i for i, a in net.live.items()
                  if a.kind == "organisation" and net.sector(i) in sectors)
    holders = _relay_holders(net)
    out = _share(sum(o in holders for o in orgs), len(orgs))
    out["items"] = [o for o in orgs if o not in holders]
    return out


def _c4_main_partner_relays(net: _Net) -> dict[str, Any]:
    types = taxonomy().agency_types
    holders = _relay_holders(net)
    roles: dict[str, bool] = {}
    for i, a in net.live.items():
        role = types.get(a.type, {}).get("expected")
        if role and not a.is_forum:
            roles[role] = roles.get(role, False) or i in holders
    out = _share(sum(roles.values()), len(roles))
    out["missing"] = sorted(r for r, ok in roles.items() if not ok)
    return out


def _c5_training_ties(net: _Net) -> dict[str, Any]:
    ties = [r for r in net.ties if r.type == "training"]
    return {"value": len(ties), "count": len(ties),
            "items": sorted(f"{r.source}→{r.target}" for r in ties)}


def _c5_co_produced(net: _Net) -> dict[str, Any]:
    trainers: dict[str, set[str]] = {}
    for r in net.ties:
        if r.type == "training":
            trainers.setdefault(r.target, set()).add(r.source)
    joint = _param("c5_co_produced", "joint_types")
    agencies = set()
    for trainee, given_by in trainers.items():
        if len({net.sector(t) for t in given_by}) >= 2 or any(
                net.live[t].is_forum or net.live[t].type in joint for t in given_by):
            agencies.add(trainee)
        for t in given_by:
            if trainee in trainers.get(t, ()):
                agencies |= {t, trainee}
    items = sorted(agencies)
    return {"value": len(items), "count": len(items), "items": items}


def _c5_research(net: _Net) -> dict[str, Any]:
    types = _param("c5_research", "types")
    research = {i for i, a in net.live.items() if a.type in types}
    tied = sorted({e for r in net.ties if r.type != "part_of"
                   for e in (r.source, r.target) if e in research})
    return {"value": len(tied), "count": len(tied), "items": tied}


MEASURES: dict[str, Callable[[_Net], dict[str, Any]]] = {
    "c1_group_pathways": _c1_group_pathways,
    "c1_working_groups": _c1_working_groups,
    "c2_steering_forum": _c2_steering_forum,
    "c2_steering_roles": _c2_steering_roles,
    "c2_written_ties": _c2_written_ties,
    "c3_referral_feedback": _c3_referral_feedback,
    "c3_sharing_agreements": _c3_sharing_agreements,
    "c3_case_conference": _c3_case_conference,
    "c4_relay_share": _c4_relay_share,
    "c4_main_partner_relays": _c4_main_partner_relays,
    "c5_training_ties": _c5_training_ties,
    "c5_co_produced": _c5_co_produced,
    "c5_research": _c5_research,
}


# --- bands and sentences ----------------------------------------------------

def band(bands: list[list[float]], value: float | None) -> list[int] | None:
    """The ``[lowest, highest]`` level of the last band row whose start ≤ ``value``.

    Parameters
    ----------
    bands : list of list of float
        A measure's band rows from ``maturity.toml``, each ``[start, lowest level, highest level]``,
        in rising order of start.
    value : float or None
        The measure's value (a count or a share 0–1); ``None`` when it cannot be measured.

    Returns
    -------
    list of int or None
        ``[lowest, highest]`` level (0–4) the value is compatible with; ``None`` when ``value``
        is ``None`` or below the first row's start.

    Examples
    --------
    >>> band([[0, 1, 2], [0.34, 2, 3], [0.67, 3, 4]], 3 / 11)
    [1, 2]
    >>> band([[0, 1, 2], [0.34, 2, 3]], None) is None
    True
    """
    if value is None:
        return None
    rows = [row for row in bands if value >= row[0]]
    return [int(rows[-1][1]), int(rows[-1][2])] if rows else None


def _role(role: str, lang: str) -> str:
    """A main partner role (taxonomy ``expected``: an agency type or a sector) in ``lang``."""
    tax = taxonomy()
    return tax.label("agency_types" if role in tax.agency_types else "sectors", role, lang)


def _sentence(key: str, lang: str, m: Mapping[str, Any], net: _Net, mid: str) -> str:
    """The measure's ``text`` (finding) or ``gap`` (what is missing) sentence in ``lang``."""
    tax, words = taxonomy(), f"maturity.measures.{mid}"
    if mid == "c1_group_pathways":
        names = ", ".join(tax.label("priority_groups", g, lang) for g in m.get("missing", ()))
    elif mid == "c4_main_partner_relays":
        names = ", ".join(_role(r, lang) for r in m.get("missing", ()))
    elif mid == "c2_steering_roles":
        held = [i18n.text(f"maturity.text.{k}", lang) for k in ("chair", "secretariat") if m.get(k)]
        names = (f" {i18n.text('maturity.text.and', lang)} ".join(held) if held
                 else i18n.text(f"{words}.none", lang))
    else:
        names = _names(net, list(m.get("items", ())))
    fields = {k: m.get(k) for k in ("num", "den", "rest", "count")}
    pct = i18n.percent_text(m["num"] / m["den"], lang) if m.get("den") else ""
    if m.get("value") is None:
        key = "empty"
    elif key == "text" and m.get("count") == 0:
        key = "gap"
    elif key == "text" and m.get("count") == 1 and i18n.has(f"{words}.one"):
        key = "one"
    if not i18n.has(f"{words}.{key}"):
        return ""
    return i18n.text(f"{words}.{key}", lang, **fields, pct=pct, names=names)


def measure(region: Region, measure_id: str, lang: str = i18n.DEFAULT, *,
            _net: _Net | None = None) -> dict[str, Any]:
    """One named measure: its value, band, and its ``name`` and sentences (``text``, ``gap``) in ``lang``.

    Parameters
    ----------
    region : Region
        A loaded region; only its live agencies and ties count (:mod:`workbench.data.facts`).
    measure_id : str
        A key of :data:`MEASURES`, for example ``"c3_referral_feedback"``.
    lang : str, optional
        Language of the name and sentences.
    _net : object or None, optional
        The region's live network already computed (internal, lets :func:`network_evidence`
        compute it once); ``None`` computes it.

    Returns
    -------
    dict
        ``characteristic`` (``"C1"``–``"C5"``), ``name``, ``value`` (a count, a share 0–1 rounded
        to three decimals, or ``None`` when there is nothing to measure), ``num`` and ``den`` for
        shares, ``band`` (``[lowest, highest]`` level or ``None``), ``text`` (the finding),
        ``gap`` (what is missing; ``""`` where the measure has no such sentence) and ``items``
        (the agency ids, groups or ties the sentence names).

    Raises
    ------
    KeyError
        For a ``measure_id`` that is not a measure.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation")),
    ...     relationships=(Relationship("p", "v", "referral"), Relationship("v", "p", "feedback"),
    ...                    Relationship("p", "s", "referral")))
    >>> m = measure(r, "c3_referral_feedback")
    >>> m["value"], m["band"], m["text"]
    (0.5, [2, 3], '1 of 2 referrals get feedback to the referrer (50%)')
    >>> m["gap"]
    '1 of 2 referrals get no feedback'
    >>> measure(r, "c3_referral_feedback", "de")["name"]
    'Weitervermittlungen mit Rückmeldung'
    """
    net = _net or _Net(region)
    spec = maturity_spec()["measures"][measure_id]
    m = MEASURES[measure_id](net)
    value = m.get("value")
    b = band(spec["bands"], value) if value is not None else spec.get("empty_band")
    out: dict[str, Any] = {
        "characteristic": spec["characteristic"], "name": i18n.text(f"maturity.measures.{measure_id}", lang),
        "value": round(value, 3) if isinstance(value, float) else value,
        **{k: m[k] for k in ("num", "den") if k in m},
        "band": list(b) if b else None,
    }
    out["text"] = _sentence("text", lang, m, net, measure_id)
    out["gap"] = _sentence("gap", lang, m, net, measure_id)
    out["items"] = list(m.get("items", ()))
    return out


def network_evidence(region: Region, lang: str = i18n.DEFAULT) -> dict[str, dict[str, Any]]:
    """Every measure (:func:`measure`, words in ``lang``), grouped by characteristic, with the band they share.

    Parameters
    ----------
    region : Region
        A loaded region; only its live agencies and ties count.
    lang : str, optional
        Language of the measures' names and sentences.

    Returns
    -------
    dict of str to dict
        ``"C1"`` to ``"C5"`` each mapped to ``measures`` (measure id → :func:`measure`) and
        ``band``: the intersection of the measures' bands, ``[lowest, highest]``, or ``None`` when
        the measures point to levels that do not overlap (or none has a band).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation")),
    ...     relationships=(Relationship("p", "v", "referral"),))
    >>> ev = network_evidence(r)
    >>> sorted(ev), ev["C3"]["band"], ev["C3"]["measures"]["c3_referral_feedback"]["value"]
    (['C1', 'C2', 'C3', 'C4', 'C5'], [1, 2], 0.0)
    """
    net = _Net(region)
    out: dict[str, dict[str, Any]] = {c: {"measures": {}, "band": None} for c in CHARACTERISTICS}
    for mid in MEASURES:
        m = measure(region, mid, lang, _net=net)
        out[m["characteristic"]]["measures"][mid] = m
    for ev in out.values():
        bands = [m["band"] for m in ev["measures"].values() if m["band"]]
        if bands:
            lo, hi = max(b[0] for b in bands), min(b[1] for b in bands)
            ev["band"] = [lo, hi] if lo <= hi else None
    return out


def conflicts(characteristic: str, level: int | None, evidence: Mapping[str, Any],
              lang: str = i18n.DEFAULT) -> list[dict[str, Any]]:
    """Statements (``text``, in ``lang``) where the self-assessed ``level`` lies outside a measure's band.

    Parameters
    ----------
    characteristic : str
        ``"C1"`` to ``"C5"``.
    level : int or None
        The self-assessed level 0–4; ``None`` (no level) has no conflict.
    evidence : mapping
        The characteristic's evidence, one value of :func:`network_evidence`: its ``measures``
        are read, each with ``band``, ``text`` and ``gap``.
    lang : str, optional
        Language of the statements; the measures' sentences in ``evidence`` must be in ``lang``
        too (:func:`network_evidence` with the same ``lang``).

    Returns
    -------
    list of dict
        One per measure in conflict: ``measure`` (id), ``direction`` (``over``: the level is above
        the band by one level or more; ``under``: below it by two or more, see
        :data:`CONFLICT_DISTANCE`), ``level``, ``band`` and ``text``; empty when none.

    Examples
    --------
    >>> ev = {"measures": {"c3_referral_feedback": {
    ...     "band": [1, 2], "gap": "8 of 11 referrals get no feedback",
    ...     "text": "3 of 11 referrals get feedback"}}}
    >>> [c["text"] for c in conflicts("C3", 3, ev)]  # doctest: +NORMALIZE_WHITESPACE
    ['The group rated C3 (Information sharing and use) at level 3, but 8 of 11 referrals
      get no feedback (the network supports levels 1–2).']
    >>> conflicts("C3", 2, ev), conflicts("C3", 0, ev), conflicts("C3", None, ev)
    ([], [], [])
    """
    if level is None:
        return []
    name = rubric().name(characteristic, lang)
    out = []
    for mid, m in evidence["measures"].items():
        if not m.get("band"):
            continue
        lo, hi = m["band"]
        if level - hi >= CONFLICT_DISTANCE["over"]:
            direction, key = "over", "gap"
        elif lo - level >= CONFLICT_DISTANCE["under"]:
            direction, key = "under", "text"
        else:
            continue
        text = i18n.text(f"maturity.text.{direction}", lang, characteristic=characteristic, name=name,
                         level=level, fact=m[key], lo=lo, hi=hi)
        out.append({"measure": mid, "direction": direction, "level": level, "band": [lo, hi], "text": text})
    return out
