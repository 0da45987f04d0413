"""Change over time: what moved between two assessment rounds."""

from __future__ import annotations

from typing import Any

from ..data import Region
from ..errors import WorkbenchError
from .scoring import indicator_scores, score_characteristics


def compare_rounds(region: Region, old: str, new: str) -> dict[str, Any]:
    """Level changes, indicators that moved and disagreements that appeared.

    Parameters
    ----------
    region : Region
        A loaded region holding both rounds' answers.
    old : str
        The earlier round's label (``"2025"``).
    new : str
        The later round's label.

    Returns
    -------
    dict
        ``old`` and ``new`` (the labels) and

        * ``characteristics``: per characteristic ``old`` and ``new`` level and
          ``change`` (new − old, ``None`` when either level is ``None``);
        * ``moved``: indicators whose consensus changed, each with ``indicator``, ``old``,
          ``new`` and ``change`` (an indicator answered in one round only has
          ``None`` on the other side and as ``change``);
        * ``new_disagreements`` / ``resolved_disagreements``: indicator ids flagged
          in ``new`` but not in ``old``, and the reverse.

    Raises
    ------
    WorkbenchError
        For a round the region does not have; the message lists the rounds it has.

    Examples
    --------
    >>> from workbench.data import Answer, Region, RegionInfo
    >>> from workbench.maturity.scoring import indicators_of
    >>> old = [Answer("2025", i, "1", r) for i in indicators_of("C5") for r in "ab"]
    >>> new = [Answer("2026", i, "2", r) for i in indicators_of("C5") for r in "ab"]
    >>> new[-1] = Answer("2026", "C5.8", "0", "b")
    >>> c = compare_rounds(Region(RegionInfo("xx-a", "A", "BE"), assessment=(*old, *new)),
    ...                    "2025", "2026")
    >>> c["characteristics"]["C5"], len(c["moved"]), c["new_disagreements"]
    ({'old': 2, 'new': 3, 'change': 1}, 8, ['C5.8'])
    >>> c["moved"][-1]
    {'indicator': 'C5.8', 'old': 1, 'new': 0, 'change': -1}
    """
    missing = [r for r in (old, new) if r not in region.rounds]
    if missing:
        known = ", ".join(region.rounds) or "none"
        raise WorkbenchError(f"no assessment round {missing[0]!r} in region {region.id!r} "
                             f"(rounds: {known})")
    before, after = indicator_scores(region, old), indicator_scores(region, new)
    levels_before, levels_after = score_characteristics(before), score_characteristics(after)
    characteristics = {}
    for c in levels_before:
        a, b = levels_before[c]["level"], levels_after[c]["level"]
        characteristics[c] = {"old": a, "new": b,
                              "change": None if a is None or b is None else b - a}
    moved = []
    for i in before:
        a, b = before[i]["consensus"], after[i]["consensus"]
        if a != b:
            moved.append({"indicator": i, "old": a, "new": b,
                          "change": None if a is None or b is None else b - a})
    return {
        "old": old, "new": new, "characteristics": characteristics, "moved": moved,
        "new_disagreements": [i for i in after
                              if after[i]["disagreement"] and not before[i]["disagreement"]],
        "resolved_disagreements": [i for i in before
                                   if before[i]["disagreement"] and not after[i]["disagreement"]],
    }
