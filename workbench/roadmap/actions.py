"""The regional action plan: draft actions from the gaps, ranked, merged with actions.csv.

Priority rule (documented in ``docs/roadmap-priority.md``)::

    priority = severity × weakness × reach

* severity: low 1, medium 2, high 3 (the gap's severity);
* weakness: 5 − level of the weakest characteristic the gap undermines
  (level 0 → 5, level 4 → 1; a characteristic with no level counts as 3);
* reach: 1 + the number of agencies, ties and answers the gap's evidence
  names, capped at 6, so a gap that touches many partners or pathways ranks
  above a local one.

Actions the coordinator wrote in ``actions.csv`` are never overwritten or
dropped: they come first, with their own status; a draft for a gap that an
agreed action already answers is marked as covered instead of proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import i18n
from ..data import Action, Region

SEVERITY = {"low": 1, "medium": 2, "high": 3}
REACH_CAP = 6


@dataclass(frozen=True)
class PlanItem:
    """One row of the action plan, drafted or agreed.

    Parameters
    ----------
    id : str
        The action's id: the ``id`` column of ``actions.csv`` for an agreed
        action, ``draft-<gap id in lower case>`` for a draft.
    title : str
        What is to be done, one sentence in the plan's language.
    gap : str or None
        The id of the gap the action answers (e.g. ``"G03"``); ``None`` for an
        agreed action written for no particular gap.
    characteristic : str or None
        The maturity characteristic the action strengthens (for a draft, the
        weakest one the gap undermines); ``None`` when not said.
    owner : str or None
        The id of the agency that leads the action; ``None`` when nobody is named.
    partners : tuple of str
        The ids of the other agencies taking part (at most four in a draft).
    horizon : str or None
        ``"short"`` (up to a year), ``"medium"`` (one to three years) or
        ``"long"`` (over three years); ``None`` when not said.
    start : str or None
        Start date, ISO ``YYYY-MM-DD``; ``None`` when not set (always for a draft).
    due : str or None
        Due date, ISO ``YYYY-MM-DD``; ``None`` when not set (always for a draft).
    status : str
        ``"proposed"``, ``"agreed"``, ``"in_progress"``, ``"done"``, ``"dropped"``
        (as written in ``actions.csv``), or ``"covered"`` for a draft that an
        agreed action already answers.
    indicator : str or None
        How progress is monitored, one sentence; ``None`` when not said.
    priority : float or None
        ``severity × weakness × reach`` (1 to 90, see the module docstring) for
        a draft; ``None`` for an agreed action, which is not ranked.
    source : str
        ``"agreed"`` (a row of ``actions.csv``) or ``"draft"`` (drafted from a gap).
    seeds : tuple of str, optional
        The catalogue's seed words of the drafted action (empty for an agreed one).
    covered_by : str or None, optional
        For a covered draft, the id of the agreed action that answers its gap.
    notes : str or None, optional
        The coordinator's notes from ``actions.csv``; ``None`` for a draft.
    extra : dict, optional
        Further values carried along for a document; not compared.
    """

    id: str
    title: str
    gap: str | None
    characteristic: str | None
    owner: str | None
    partners: tuple[str, ...]
    horizon: str | None
    start: str | None
    due: str | None
    status: str
    indicator: str | None
    priority: float | None
    source: str  # "agreed" (actions.csv) or "draft"
    seeds: tuple[str, ...] = ()
    covered_by: str | None = None
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def priority(severity: str, levels: list[int | None], reach: int) -> float:
    """The priority of a drafted action, ``severity × weakness × reach``.

    See the module docstring for the rule.

    Parameters
    ----------
    severity : str
        The gap's severity, ``"low"``, ``"medium"`` or ``"high"`` (1, 2, 3; an
        unknown word counts as 1).
    levels : list of int or None
        The maturity levels (0 to 4) of the characteristics the gap undermines;
        ``None`` for a characteristic with no level (counts as level 2). The
        weakest one sets the weakness, ``5 − level``; an empty list counts as 3.
    reach : int
        How many agencies, ties and answers the gap's evidence names; ``1 + reach``
        is capped at 6.

    Returns
    -------
    float
        The priority, from 1 (low, strong, local) to 90 (high, level 0, wide).

    Examples
    --------
    >>> priority("high", [1, 3], 4)
    60.0
    >>> priority("low", [None], 99)
    18.0
    """
    weakness = max((3 if lv is None else 5 - lv) for lv in levels) if levels else 3
    return float(SEVERITY.get(severity, 1) * weakness * min(REACH_CAP, 1 + reach))


def _owner(gap: Any, region: Region, owner_types: list[str]) -> str | None:
    by_id = region.by_id
    for aid in gap.agencies:
        a = by_id.get(aid)
        if a is not None and a.type in owner_types and not a.is_forum:
            return aid
    for a in region.agencies:
        if a.type in owner_types and a.is_live and not a.is_forum:
            return a.id
    return region.info.coordinator


def draft_actions(region: Region, gaps: list[Any], levels: dict[str, int | None],
                  lang: str = i18n.DEFAULT) -> list[PlanItem]:
    """One draft per gap (its first catalogue action), ranked by priority.

    Its title and monitoring indicator are the action's ``text`` and ``monitoring``
    (set by :func:`~workbench.roadmap.gaps.detect_gaps` in the gaps' language),
    else the catalogue's words in ``lang``. The owner is the first agency the
    gap names whose type the catalogue action asks for, else the first live
    agency of that type, else the region's coordinator.

    Parameters
    ----------
    region : Region
        The loaded region (agencies, ties, coordinator).
    gaps : list of Gap
        The region's gaps, as :func:`~workbench.roadmap.gaps.detect_gaps` returns
        them; a gap without a catalogue action gets no draft.
    levels : dict of str to int or None
        The region's maturity level (0 to 4) per characteristic id; ``None`` for
        a characteristic with no level.
    lang : str, optional
        Language code (``en``, ``fr``, ...) of the catalogue words used when the
        gap carries none.

    Returns
    -------
    list of PlanItem
        The drafts, all with ``source="draft"`` and ``status="proposed"``, highest
        priority first (ties by gap id).
    """
    items = []
    for gap in gaps:
        if not gap.actions:
            continue
        act = gap.actions[0]
        words = {f: act.get(f) or i18n.text(f"gaps.{gap.id}.actions.1.{f}", lang) for f in ("text", "monitoring")}
        owner = _owner(gap, region, list(act.get("owner_types", [])))
        partners = tuple(a for a in gap.agencies if a != owner and a in region.by_id)[:4]
        weakest = min(gap.characteristics, key=lambda c: 99 if (lv := levels.get(c)) is None else lv)
        reach = len(gap.agencies) + len(gap.ties) + len(gap.answers)
        items.append(PlanItem(
            id=f"draft-{gap.id.lower()}", title=words["text"], gap=gap.id,
            characteristic=weakest, owner=owner, partners=partners, horizon=act.get("horizon"),
            start=None, due=None, status="proposed",
            indicator=words["monitoring"],
            priority=priority(gap.severity, [levels.get(c) for c in gap.characteristics], reach),
            source="draft", seeds=tuple(act.get("seeds", ())),
        ))
    items.sort(key=lambda i: (-(i.priority or 0), i.gap or ""))
    return items


def _agreed(action: Action) -> PlanItem:
    return PlanItem(
        id=action.id, title=action.title, gap=action.gap, characteristic=action.characteristic,
        owner=action.owner, partners=action.partners, horizon=action.horizon, start=action.start,
        due=action.due, status=action.status or "proposed", indicator=action.indicator, priority=None,
        source="agreed", notes=action.notes,
    )


def action_plan(region: Region, gaps: list[Any], levels: dict[str, int | None],
                lang: str = i18n.DEFAULT) -> list[PlanItem]:
    """The coordinator's actions first (never changed), then the drafts they do not cover.

    Parameters
    ----------
    region : Region
        The loaded region; its ``actions`` (the rows of ``actions.csv``) are the
        agreed actions.
    gaps : list of Gap
        The region's gaps, as :func:`~workbench.roadmap.gaps.detect_gaps` returns them.
    levels : dict of str to int or None
        The region's maturity level (0 to 4) per characteristic id; ``None`` for
        a characteristic with no level.
    lang : str, optional
        Language code of the drafts' catalogue words.

    Returns
    -------
    list of PlanItem
        The agreed actions in the order of ``actions.csv``, then the drafts whose
        gap no agreed action answers (by priority), then the drafts whose gap an
        agreed, not dropped action answers, with ``status="covered"`` and
        ``covered_by`` set.
    """
    agreed = [_agreed(a) for a in region.actions]
    answered = {a.gap: a.id for a in region.actions if a.gap and a.status != "dropped"}
    drafts = []
    for d in draft_actions(region, gaps, levels, lang):
        if d.gap in answered:
            drafts.append(PlanItem(**{**d.__dict__, "status": "covered", "covered_by": answered[d.gap]}))
        else:
            drafts.append(d)
    return agreed + [d for d in drafts if d.status != "covered"] + [d for d in drafts if d.status == "covered"]
