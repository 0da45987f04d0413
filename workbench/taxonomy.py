"""The domain vocabularies, read from data files inside the package.

Agency, forum and relationship types, priority groups and the closed value
lists of the data contract live in ``resources/taxonomy.toml``; the maturity
rubric (indicators and their answer words) lives in ``resources/rubric.toml``.
Both carry English and French labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .files import read_resource

LANGUAGES = ("en", "fr")


def _read(name: str) -> dict[str, Any]:
    return read_resource(name)


@dataclass(frozen=True)
class Taxonomy:
    """Typed access to ``taxonomy.toml``."""

    raw: dict[str, Any]

    @property
    def agency_types(self) -> dict[str, dict[str, Any]]:
        return self.raw["agency_types"]

    @property
    def forum_types(self) -> dict[str, dict[str, Any]]:
        return self.raw["forum_types"]

    @property
    def relationship_types(self) -> dict[str, dict[str, Any]]:
        return self.raw["relationship_types"]

    @property
    def priority_groups(self) -> dict[str, dict[str, Any]]:
        return self.raw["priority_groups"]

    @property
    def sectors(self) -> dict[str, dict[str, Any]]:
        return self.raw["sectors"]

    def values(self, vocabulary: str) -> list[str]:
        """The allowed values of a closed vocabulary, in display order."""
        return list(self.raw["vocabularies"][vocabulary])

    @property
    def symmetric_types(self) -> frozenset[str]:
        return frozenset(k for k, v in self.relationship_types.items() if v.get("symmetric"))

    def label(self, kind: str, key: str, lang: str = "en") -> str:
        """Label of ``key`` in table ``kind`` (e.g. ``agency_types``) in ``lang``.

        Falls back to English, then to the id itself.
        """
        if kind in self.raw.get("vocabularies", {}):
            entry = self.raw["vocabularies"][kind].get(key, {})
        else:
            entry = self.raw.get(kind, {}).get(key, {})
        return entry.get(lang) or entry.get("en") or key


@dataclass(frozen=True)
class Rubric:
    """Typed access to ``rubric.toml``: characteristics, indicators, factors."""

    raw: dict[str, Any]

    @property
    def characteristics(self) -> dict[str, dict[str, Any]]:
        return self.raw["characteristics"]

    @property
    def indicators(self) -> dict[str, dict[str, Any]]:
        """Scored indicators C1.1–C5.8 and the context factors X1–X6."""
        return {**self.raw["indicators"], **self.raw["factors"]}

    def score(self, indicator: str, answer: str) -> int | None:
        """Score 0–2 of an answer, ``None`` for ``n/a``; raises ``KeyError`` if unknown.

        >>> rubric().score("C1.1", "written"), rubric().score("C1.1", "1"), rubric().score("C1.1", "n/a")
        (2, 1, None)
        """
        a = answer.strip().lower()
        if a == "n/a":
            return None
        if a in ("0", "1", "2"):
            return int(a)
        spec = self.indicators[indicator]
        words = [w.lower() for w in spec["answers"]]
        scores = spec.get("scores", [0, 1, 2])
        return int(scores[words.index(a)])


@cache
def taxonomy() -> Taxonomy:
    """The taxonomy shipped with the package (read once)."""
    return Taxonomy(_read("taxonomy.toml"))


@cache
def rubric() -> Rubric:
    """The maturity rubric shipped with the package (read once)."""
    return Rubric(_read("rubric.toml"))
