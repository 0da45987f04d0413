"""Scoring a self-assessment: per indicator, then a level 0–4 per characteristic.

The rule, also explained in ``docs/maturity-scoring.md``:

* **Answers** are scored 0 (absent), 1 (partial) or 2 (fully) through the
  rubric; ``n/a`` is not scored. Only one round is scored at a time, the
  latest by default.
* **Consensus** of an indicator: the median of its raters' scores; with an
  even number of raters, the lower of the two middle scores (a characteristic
  is not credited with what only half of the group sees).
* **Disagreement**: the raters' scores span the whole scale
  (max − min ≥ :data:`DISAGREEMENT_SPREAD`, one says absent, another fully).
* **Level** of a characteristic, from the indicators with a consensus:

  1. ``null`` when fewer than half of its indicators have one;
  2. share = Σ consensus / (2 · answered); level = ⌊4 · share + ½⌋, but
     0 only when every answered indicator is 0 and 4 only when none is 0;
  3. a level from 2 up is not reached unless the key indicators its
     descriptor names (``resources/maturity.toml``, ``[anchors]``) are at
     least partly met;
  4. a level is always reached when its key indicators and those of every
     lower level are fully met (level 4 still only when no indicator is 0).

  Unanswered key indicators neither hold a level back nor lift it.
* **Confidence**: one point for answers on at least three quarters of the
  indicators, one for at least two raters per answered indicator on average:
  2 points ``high``, 1 ``medium``, 0 ``low``; ``insufficient`` when the level
  is ``null``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from statistics import median_low
from typing import Any

from .. import i18n
from ..data import Answer, Region
from ..files import read_resource
from ..taxonomy import rubric

#: Characteristics, in order.
CHARACTERISTICS = ("C1", "C2", "C3", "C4", "C5")
#: Raters' scores this far apart (0 against 2) are a disagreement.
DISAGREEMENT_SPREAD = 2
#: A characteristic needs at least this share of its indicators answered.
MIN_COVERAGE = 0.5
#: Confidence thresholds: coverage, and raters per answered indicator.
HIGH_COVERAGE = 0.75
MIN_RATERS = 2.0
#: Name used for answers that carry no rater.
UNNAMED_RATER = "(unnamed)"


@cache
def maturity_spec() -> dict[str, Any]:
    """``resources/maturity.toml``: level anchors and evidence measures (their words: the ``maturity`` catalogue).

    Returns
    -------
    dict
        The parsed file, read once: ``anchors`` (characteristic → level → key indicator ids) and
        the evidence measures.
    """
    return read_resource("maturity.toml")


def indicators_of(characteristic: str) -> list[str]:
    """The rubric's indicator ids of one characteristic, in rubric order.

    Parameters
    ----------
    characteristic : str
        A characteristic id, ``"C1"`` to ``"C5"``; ``"X"`` and unknown ids have no indicators.

    Returns
    -------
    list of str
        The indicator ids (``"C1.1"``...), empty for an unknown characteristic.

    Examples
    --------
    >>> indicators_of("C1")
    ['C1.1', 'C1.2', 'C1.3', 'C1.4', 'C1.5', 'C1.6', 'C1.7']
    """
    return [i for i, spec in rubric().indicators.items()
            if spec.get("characteristic") == characteristic]


def consensus(scores: Iterable[int]) -> int | None:
    """Median of the raters' scores; the lower middle score when their number is even.

    Parameters
    ----------
    scores : iterable of int
        The raters' scores of one indicator, each 0 (absent), 1 (partial) or 2 (fully);
        ``n/a`` answers already left out.

    Returns
    -------
    int or None
        One of the scores, or ``None`` when there is none (nobody scored the indicator).

    Examples
    --------
    >>> consensus([0, 2, 2]), consensus([1, 2]), consensus([])
    (2, 1, None)
    """
    s = sorted(scores)
    return median_low(s) if s else None


def score_indicator(indicator: str, answers: Iterable[Answer]) -> dict[str, Any]:
    """Consensus, spread and disagreement of one indicator's answers (one round).

    Parameters
    ----------
    indicator : str
        The rubric's indicator id (``"C3.6"``, ``"X2"``), which says how answers are scored.
    answers : iterable of Answer
        That indicator's answers in one round; a rater answering twice counts once (the last
        answer), answers without a rater count as one rater, :data:`UNNAMED_RATER`.

    Returns
    -------
    dict
        ``consensus`` (0–2 or ``None``), ``status`` (``scored``, ``n/a`` when every rater
        answered ``n/a``, ``missing`` when nobody answered), ``raters`` (rater → score,
        ``None`` for ``n/a``, sorted by rater), ``spread`` (max − min of the scores, 0 with
        fewer than two) and ``disagreement`` (spread ≥ :data:`DISAGREEMENT_SPREAD`).

    Examples
    --------
    >>> a = [Answer("r1", "C3.6", "2", "police"), Answer("r1", "C3.6", "no", "ngo"),
    ...      Answer("r1", "C3.6", "some", "health")]
    >>> s = score_indicator("C3.6", a)
    >>> s["consensus"], s["spread"], s["disagreement"], s["raters"]
    (1, 2, True, {'health': 1, 'ngo': 0, 'police': 2})
    """
    rb = rubric()
    raters: dict[str, int | None] = {}
    for a in answers:
        raters[a.rater or UNNAMED_RATER] = rb.score(indicator, a.answer)
    scores = [s for s in raters.values() if s is not None]
    spread = max(scores) - min(scores) if scores else 0
    status = "scored" if scores else "n/a" if raters else "missing"
    return {
        "consensus": consensus(scores), "status": status,
        "raters": dict(sorted(raters.items())), "spread": spread,
        "disagreement": spread >= DISAGREEMENT_SPREAD,
    }


def latest_round(region: Region) -> str | None:
    """The last round by label, or ``None`` when the region has no answers.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    str or None
        The round label that sorts last (``"2026"`` after ``"2025"``), or ``None`` without
        self-assessment answers.

    Examples
    --------
    >>> from workbench.data import Region, RegionInfo
    >>> ans = (Answer("2024", "C1.1", "2", "a"), Answer("2025", "C1.1", "1", "a"))
    >>> latest_round(Region(RegionInfo("xx-a", "A", "BE"), assessment=ans))
    '2025'
    >>> latest_round(Region(RegionInfo("xx-a", "A", "BE"))) is None
    True
    """
    rounds = region.rounds
    return rounds[-1] if rounds else None


def indicator_scores(region: Region, round: str | None = None) -> dict[str, dict[str, Any]]:
    """:func:`score_indicator` for every rubric indicator (C1.1–C5.8, X1–X6) in one round.

    Parameters
    ----------
    region : Region
        A loaded region.
    round : str or None, optional
        The round label to score; ``None`` scores the latest (:func:`latest_round`).

    Returns
    -------
    dict of str to dict
        Every rubric indicator id mapped to its :func:`score_indicator` result; indicators
        without answers in the round are ``missing``.

    Examples
    --------
    >>> from workbench.data import Region, RegionInfo
    >>> s = indicator_scores(Region(RegionInfo("xx-a", "A", "BE"), assessment=(Answer("2025", "C1.1", "2", "a"),)))
    >>> s["C1.1"]["consensus"], s["C1.2"]["status"]
    (2, 'missing')
    """
    rnd = latest_round(region) if round is None else round
    by_indicator: dict[str, list[Answer]] = {}
    for a in region.assessment:
        if a.round == rnd:
            by_indicator.setdefault(a.indicator, []).append(a)
    return {i: score_indicator(i, by_indicator.get(i, ())) for i in rubric().indicators}


def _keys(characteristic: str) -> dict[int, list[str]]:
    anchors = maturity_spec()["anchors"].get(characteristic, {})
    return {int(level): list(ids) for level, ids in anchors.items()}


def level_from_scores(characteristic: str,
                      scores: Mapping[str, int | None]) -> tuple[int | None, list[str]]:
    """The level of one characteristic from its indicators' consensus scores.

    Parameters
    ----------
    characteristic : str
        ``"C1"`` to ``"C5"``.
    scores : mapping of str to int or None
        Indicator ids mapped to their consensus, 0–2, or ``None`` (no consensus); ids the
        mapping leaves out count as unanswered, ids of other characteristics are ignored.

    Returns
    -------
    level : int or None
        The level 0–4, or ``None`` when fewer than half of the indicators are answered.
    steps : list of str
        The steps of the rule that decided it, in plain English (for the record, not for users).

    Examples
    --------
    >>> ids = indicators_of("C2")
    >>> level_from_scores("C2", dict.fromkeys(ids, 0))[0], level_from_scores("C2", dict.fromkeys(ids, 2))[0]
    (0, 4)
    >>> level_from_scores("C2", {"C2.1": 2, "C2.2": 2, "C2.3": 2})
    (None, ['3 of 8 indicators answered: fewer than half, no level'])
    >>> level_from_scores("C1", {"C1.1": 2, "C1.2": 2, "C1.3": 1, "C1.4": 0, "C1.5": 0,
    ...                          "C1.6": 0, "C1.7": 0})[0]
    2
    """
    ids = indicators_of(characteristic)
    answered = {i: s for i in ids if (s := scores.get(i)) is not None}
    n = len(answered)
    if n < MIN_COVERAGE * len(ids):
        return None, [f"{n} of {len(ids)} indicators answered: fewer than half, no level"]
    values = list(answered.values())
    share = sum(values) / (2 * n)
    level = int(4 * share + 0.5)
    steps = [f"share of the maximum {share:.2f} → level {level}"]
    if level == 0 and share > 0:
        level = 1
        steps.append("something is in place → level 1")
    if level == 4 and 0 in values:
        level = 3
        steps.append("an indicator is absent → level 3")
    keys = _keys(characteristic)
    for lv in sorted(keys, reverse=True):
        short = [i for i in keys[lv] if i in answered and answered[i] < 1]
        if level >= lv > 1 and short:
            level = lv - 1
            steps.append(f"level {lv} needs {', '.join(short)} at least partly met → level {level}")
    for lv in sorted(keys):
        needed = list(dict.fromkeys(i for k in sorted(keys) if k <= lv for i in keys[k]))
        if lv > level and all(answered.get(i) == 2 for i in needed) and (lv < 4 or 0 not in values):
            level = lv
            steps.append(f"{', '.join(needed)} fully met → level {lv}")
    return level, steps


def confidence(answered: int, total: int, mean_raters: float, level: int | None) -> str:
    """``high``, ``medium``, ``low`` or ``insufficient`` (see the module's rule).

    Parameters
    ----------
    answered : int
        The characteristic's indicators that have a consensus.
    total : int
        All its indicators.
    mean_raters : float
        Raters who scored an answered indicator, on average per answered indicator.
    level : int or None
        The characteristic's level; ``None`` (no level) gives ``insufficient``.

    Returns
    -------
    str
        ``high`` with coverage ≥ :data:`HIGH_COVERAGE` and ≥ :data:`MIN_RATERS` raters on average,
        ``medium`` with one of the two, ``low`` with neither, ``insufficient`` without a level.

    Examples
    --------
    >>> confidence(8, 8, 3.0, 2), confidence(8, 8, 1.0, 2), confidence(4, 8, 1.0, 1)
    ('high', 'medium', 'low')
    """
    if level is None:
        return "insufficient"
    points = (answered >= HIGH_COVERAGE * total) + (mean_raters >= MIN_RATERS)
    return ("low", "medium", "high")[points]


def score_characteristics(scores: Mapping[str, Mapping[str, Any]],
                          lang: str = i18n.DEFAULT) -> dict[str, dict[str, Any]]:
    """Level, share, confidence and disagreements of C1–C5 from :func:`indicator_scores`.

    Parameters
    ----------
    scores : mapping of str to mapping
        Indicator ids mapped to :func:`score_indicator` results, as :func:`indicator_scores` gives them.
    lang : str, optional
        Language of the level labels.

    Returns
    -------
    dict of str to dict
        ``"C1"`` to ``"C5"`` each mapped to ``level`` (0–4 or ``None``), ``label`` (the level
        descriptor's label in ``lang``, ``None`` without a level), ``share`` (Σ consensus over the
        maximum, 0–1, ``None`` when nothing is answered), ``rule`` (the steps of
        :func:`level_from_scores`), ``confidence`` (``label``, ``answered``, ``indicators``,
        ``coverage`` 0–1, ``raters``, ``mean_raters``), ``disagreements`` (indicator ids) and
        ``indicators`` (the characteristic's own scores).

    Examples
    --------
    >>> from workbench.data import Region, RegionInfo
    >>> ans = tuple(Answer("2025", i, "2", "a") for i in indicators_of("C5"))
    >>> c = score_characteristics(indicator_scores(Region(RegionInfo("xx-a", "A", "BE"), assessment=ans)))
    >>> c["C5"]["level"], c["C5"]["share"], c["C5"]["confidence"]["label"], c["C2"]["share"]
    (4, 1.0, 'medium', None)
    """
    rb = rubric()
    out: dict[str, dict[str, Any]] = {}
    for c in CHARACTERISTICS:
        ids = indicators_of(c)
        own = {i: scores[i] for i in ids if i in scores}
        level, steps = level_from_scores(c, {i: s["consensus"] for i, s in own.items()})
        answered = [s for s in own.values() if s["consensus"] is not None]
        rated = [sum(v is not None for v in s["raters"].values()) for s in answered]
        mean_raters = sum(rated) / len(rated) if rated else 0.0
        raters = sorted({r for s in own.values() for r, v in s["raters"].items() if v is not None})
        total = sum(s["consensus"] for s in answered)
        out[c] = {
            "level": level,
            "label": None if level is None else rb.level_label(c, level, lang),
            "share": round(total / (2 * len(answered)), 3) if answered else None,
            "rule": steps,
            "confidence": {
                "label": confidence(len(answered), len(ids), mean_raters, level),
                "answered": len(answered), "indicators": len(ids),
                "coverage": round(len(answered) / len(ids), 3),
                "raters": len(raters), "mean_raters": round(mean_raters, 2),
            },
            "disagreements": [i for i, s in own.items() if s["disagreement"]],
            "indicators": {i: dict(s) for i, s in own.items()},
        }
    return out


def score_region(region: Region, round: str | None = None, lang: str = i18n.DEFAULT) -> dict[str, Any]:
    """The whole self-assessment of one round: characteristics and context factors.

    Parameters
    ----------
    region : Region
        A loaded region.
    round : str or None, optional
        The round label to score; ``None`` scores the latest.
    lang : str, optional
        Language of the level labels.

    Returns
    -------
    dict
        ``round`` (the round scored, ``None`` when the region has no answers),
        ``characteristics`` (:func:`score_characteristics`, labels in ``lang``) and ``factors``
        (X1–X6 mapped to :func:`score_indicator` results, scored like indicators but never part
        of a level).

    Examples
    --------
    >>> from workbench.data import Region, RegionInfo
    >>> ans = tuple(Answer("2025", i, "2", r) for i in indicators_of("C4") for r in ("a", "b"))
    >>> s = score_region(Region(RegionInfo("xx-a", "A", "BE"), assessment=ans))
    >>> s["round"], s["characteristics"]["C4"]["level"], s["characteristics"]["C1"]["level"]
    ('2025', 4, None)
    >>> s["characteristics"]["C4"]["confidence"]["label"]
    'high'
    """
    rnd = latest_round(region) if round is None else round
    scores = indicator_scores(region, rnd)
    return {
        "round": rnd,
        "characteristics": score_characteristics(scores, lang),
        "factors": {i: s for i, s in scores.items() if i.startswith("X")},
    }
