"""The domain vocabularies, read from data files inside the package.

Agency, forum and relationship types, priority groups and the closed value
lists of the data contract live in ``resources/taxonomy.toml``; the maturity
rubric (indicators and their answer words) lives in ``resources/rubric.toml``.
Both hold ids, structure and numbers only: their words (labels, help texts,
questions, answer labels, level descriptors) are in the ``taxonomy`` and
``rubric`` catalogues, read through :mod:`workbench.i18n` by the methods below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from . import i18n
from .files import read_resource


def _read(name: str) -> dict[str, Any]:
    return read_resource(name)


@dataclass(frozen=True)
class Taxonomy:
    """Typed access to ``taxonomy.toml``.

    Parameters
    ----------
    raw : dict
        The parsed ``resources/taxonomy.toml``: tables ``agency_types``, ``forum_types``,
        ``relationship_types``, ``priority_groups``, ``sectors`` (id → properties) and
        ``vocabularies`` (closed value lists). Use :func:`taxonomy` rather than building one.

    Examples
    --------
    >>> "prosecution" in taxonomy().agency_types, taxonomy().values("formality")[-1]
    (True, 'written')
    """

    raw: dict[str, Any]

    @property
    def agency_types(self) -> dict[str, dict[str, Any]]:
        """The agency types by id (``police``): sector, core role filled (if any), whether victims enter there."""
        return self.raw["agency_types"]

    @property
    def forum_types(self) -> dict[str, dict[str, Any]]:
        """The forum types by id (``forum_case_victim_risk``): whether each one steers the partnership."""
        return self.raw["forum_types"]

    @property
    def relationship_types(self) -> dict[str, dict[str, Any]]:
        """The kinds of tie by id (``referral``): whether each is symmetric and how the map draws it."""
        return self.raw["relationship_types"]

    @property
    def priority_groups(self) -> dict[str, dict[str, Any]]:
        """The priority groups by id (``high_risk_victims``): each one's audience, victims or perpetrators."""
        return self.raw["priority_groups"]

    @property
    def sectors(self) -> dict[str, dict[str, Any]]:
        """The sectors by id (``health``): each one's colour on the map."""
        return self.raw["sectors"]

    def values(self, vocabulary: str) -> list[str]:
        """The allowed values of a closed vocabulary, in display order.

        Parameters
        ----------
        vocabulary : str
            The vocabulary's name in ``[vocabularies]`` (``"formality"``, ``"frequency"``...).

        Returns
        -------
        list of str
            Its ids, as the data files store them.
        """
        return list(self.raw["vocabularies"][vocabulary])

    @property
    def symmetric_types(self) -> frozenset[str]:
        """The ids of the kinds of tie that run both ways, whichever agency is named first."""
        return frozenset(k for k, v in self.relationship_types.items() if v.get("symmetric"))

    def key(self, kind: str, key: str) -> str:
        """The catalogue key of ``key`` in table ``kind`` (a table or a closed vocabulary).

        Parameters
        ----------
        kind : str
            A table (``"agency_types"``, ``"sectors"``...) or a closed vocabulary (``"formality"``).
        key : str
            An id in that table or vocabulary; it is not checked.

        Returns
        -------
        str
            The ``msgctxt`` of its label in the ``taxonomy`` catalogue.

        Examples
        --------
        >>> taxonomy().key("sectors", "health"), taxonomy().key("formality", "written")
        ('taxonomy.sectors.health', 'taxonomy.vocabularies.formality.written')
        """
        if kind in self.raw.get("vocabularies", {}):
            return f"taxonomy.vocabularies.{kind}.{key}"
        return f"taxonomy.{kind}.{key}"

    def label(self, kind: str, key: str, lang: str = i18n.DEFAULT) -> str:
        """Label of ``key`` in table ``kind`` (e.g. ``agency_types``) in ``lang``.

        Falls back to English, then to the id itself (a value the taxonomy does not know).

        Parameters
        ----------
        kind : str
            A table (``"agency_types"``, ``"sectors"``...) or a closed vocabulary (``"frequency"``).
        key : str
            An id in that table or vocabulary.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The label, or ``key`` itself when no catalogue knows it.

        Examples
        --------
        >>> taxonomy().label("agency_types", "prosecution", "fr"), taxonomy().label("frequency", "monthly", "de")
        ('Parquet / ministère public', 'Monatlich')
        >>> taxonomy().label("agency_types", "no_such_type", "fr")
        'no_such_type'
        """
        k = self.key(kind, key)
        return i18n.text(k, lang) if i18n.has(k) else key

    def help(self, kind: str, key: str, lang: str = i18n.DEFAULT) -> str:
        """Help text of ``key`` in table ``kind`` in ``lang``; ``""`` when it has none.

        Parameters
        ----------
        kind : str
            A table or a closed vocabulary, as for :meth:`label`.
        key : str
            An id in it.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            One or two sentences saying what the id covers, or ``""``.

        Examples
        --------
        >>> taxonomy().help("agency_types", "health_mental", "fr")
        'Services psychiatriques, équipes de santé mentale et psychologues.'
        """
        k = self.key(kind, key) + ".help"
        return i18n.text(k, lang) if i18n.has(k) else ""


@dataclass(frozen=True)
class Rubric:
    """Typed access to ``rubric.toml``: characteristics, indicators, factors.

    Parameters
    ----------
    raw : dict
        The parsed ``resources/rubric.toml``: tables ``characteristics`` (C1–C5), ``indicators``
        (C1.1–C5.8, each with its ``characteristic``, ``answers`` words and optional ``scores``)
        and ``factors`` (X1–X6). Use :func:`rubric` rather than building one.

    Examples
    --------
    >>> sorted(rubric().characteristics), len(rubric().indicators)
    (['C1', 'C2', 'C3', 'C4', 'C5'], 45)
    """

    raw: dict[str, Any]

    @property
    def characteristics(self) -> dict[str, dict[str, Any]]:
        """The characteristics C1–C5 by id: each one's catalogue key and its five levels (0–4)."""
        return self.raw["characteristics"]

    @property
    def indicators(self) -> dict[str, dict[str, Any]]:
        """Scored indicators C1.1–C5.8 and the context factors X1–X6."""
        return {**self.raw["indicators"], **self.raw["factors"]}

    def _key(self, item: str) -> str:
        """Catalogue key of a characteristic (C1), an indicator (C1.1) or a factor (X1)."""
        table = ("factors" if item in self.raw["factors"]
                 else "characteristics" if item in self.raw["characteristics"] else "indicators")
        return f"rubric.{table}.{item}"

    def name(self, item: str, lang: str = i18n.DEFAULT) -> str:
        """The name of a characteristic or a context factor in ``lang``.

        Parameters
        ----------
        item : str
            A characteristic (``"C3"``) or context factor (``"X4"``) id.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            Its short name.

        Examples
        --------
        >>> rubric().name("C3", "fr"), rubric().name("X4", "en")
        ("Partage et usage de l'information", 'Political support')
        """
        return i18n.text(self._key(item), lang)

    def definition(self, characteristic: str, lang: str = i18n.DEFAULT) -> str:
        """What a characteristic means, in ``lang``.

        Parameters
        ----------
        characteristic : str
            ``"C1"`` to ``"C5"``.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            Its definition, one or two sentences.
        """
        return i18n.text(self._key(characteristic) + ".definition", lang)

    def level_label(self, characteristic: str, level: int, lang: str = i18n.DEFAULT) -> str:
        """The short label of one level (0–4) of a characteristic.

        Parameters
        ----------
        characteristic : str
            ``"C1"`` to ``"C5"``.
        level : int
            0 to 4.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            A few words naming the level.

        Examples
        --------
        >>> rubric().level_label("C2", 2, "en"), rubric().level_label("C2", 2, "de")
        ('Designated body', 'Benanntes Gremium')
        """
        return i18n.text(f"{self._key(characteristic)}.levels.{level}.label", lang)

    def descriptor(self, characteristic: str, level: int, lang: str = i18n.DEFAULT) -> str:
        """What a level (0–4) of a characteristic looks like, in ``lang``.

        Parameters
        ----------
        characteristic : str
            ``"C1"`` to ``"C5"``.
        level : int
            0 to 4.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The level's descriptor, a sentence or two.
        """
        return i18n.text(f"{self._key(characteristic)}.levels.{level}.descriptor", lang)

    def question(self, indicator: str, lang: str = i18n.DEFAULT) -> str:
        """The question of an indicator or a context factor.

        Parameters
        ----------
        indicator : str
            An indicator (``"C1.2"``) or context factor (``"X1"``) id.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The question the group answers.

        Examples
        --------
        >>> rubric().question("C1.2", "es")[:22]
        '¿Existe una regla clar'
        """
        return i18n.text(self._key(indicator) + ".question", lang)

    def help(self, indicator: str, lang: str = i18n.DEFAULT) -> str:
        """The help text of an indicator (what a full answer looks like); ``""`` when it has none.

        Parameters
        ----------
        indicator : str
            An indicator or context factor id.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The help text, or ``""``.
        """
        key = self._key(indicator) + ".help"
        return i18n.text(key, lang) if i18n.has(key) else ""

    def answer_labels(self, indicator: str, lang: str = i18n.DEFAULT) -> list[str]:
        """The labels of an indicator's answer words, in the order of ``answers``.

        Parameters
        ----------
        indicator : str
            An indicator or context factor id.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        list of str
            One label per answer word, from absent to fully met.

        Examples
        --------
        >>> rubric().indicators["C1.1"]["answers"], rubric().answer_labels("C1.1", "fr")
        (['no', 'implicit', 'written'], ['Non', 'Implicite seulement', 'Écrit'])
        """
        key = self._key(indicator)
        return [i18n.text(f"{key}.answers.{a}", lang) for a in self.indicators[indicator]["answers"]]

    def score(self, indicator: str, answer: str) -> int | None:
        """Score 0–2 of an answer, ``None`` for ``n/a``.

        Parameters
        ----------
        indicator : str
            An indicator or context factor id.
        answer : str
            One of the indicator's answer words, a digit ``"0"``–``"2"`` or ``"n/a"``, in any case
            and with surrounding spaces.

        Returns
        -------
        int or None
            0 (absent), 1 (partial) or 2 (fully met); ``None`` for ``n/a``.

        Raises
        ------
        KeyError
            For an unknown indicator.
        ValueError
            For a word that is not one of the indicator's answers.

        Examples
        --------
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
    """The taxonomy shipped with the package (read once).

    Returns
    -------
    Taxonomy
        The same object on every call.
    """
    return Taxonomy(_read("taxonomy.toml"))


@cache
def rubric() -> Rubric:
    """The maturity rubric shipped with the package (read once).

    Returns
    -------
    Rubric
        The same object on every call.
    """
    return Rubric(_read("rubric.toml"))
