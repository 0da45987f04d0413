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
    """One row of the action plan, drafted or agreed."""

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
    """``severity × weakness × reach`` (see the module docstring).

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
    else the catalogue's words in ``lang``.
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
    """The coordinator's actions first (never changed), then the drafts they do not cover."""
    agreed = [_agreed(a) for a in region.actions]
    answered = {a.gap: a.id for a in region.actions if a.gap and a.status != "dropped"}
    drafts = []
    for d in draft_actions(region, gaps, levels, lang):
        if d.gap in answered:
            drafts.append(PlanItem(**{**d.__dict__, "status": "covered", "covered_by": answered[d.gap]}))
        else:
            drafts.append(d)
    return agreed + [d for d in drafts if d.status != "covered"] + [d for d in drafts if d.status == "covered"]
