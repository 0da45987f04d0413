"""What a regional roadmap says, computed once and rendered as HTML, PDF, DOCX and Markdown.

:func:`build_roadmap` gathers the analysis (network, maturity, gaps, action
plan) of one region; the renderers in :mod:`.html`, :mod:`.docx` and
:mod:`.markdown` only lay it out. Texts come from the ``documents`` translation
catalogue (:mod:`workbench.i18n`) in the chosen language, else the region's,
else English; keys a language has not translated yet fall back to English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import i18n
from ..data import Region
from ..maturity import assess_region
from ..maturity.reference import reference_profiles
from ..network import analyse_network
from ..survey import merge_round
from ..taxonomy import rubric, taxonomy
from .actions import PlanItem, action_plan
from .gaps import Gap, detect_checks, detect_gaps

DEFAULT_REFERENCE = "de-hanover-haip"
CHARACTERISTICS = ("C1", "C2", "C3", "C4", "C5")


class _Texts(Mapping[str, dict[str, str]]):
    """The documents' words by language, read from the ``documents`` catalogue on demand."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in i18n.LANGUAGES:
            raise KeyError(lang)
        return _words(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(i18n.LANGUAGES)

    def __len__(self) -> int:
        return len(i18n.LANGUAGES)


@cache
def _words(lang: str) -> dict[str, str]:
    """The ``documents`` catalogue's words in ``lang`` (read once per language)."""
    return i18n.section("documents", lang)


def texts() -> Mapping[str, dict[str, str]]:
    """The documents' words (catalogue ``documents``) by language: ``texts()["bg"]["summary"]``.

    Returns
    -------
    Mapping of str to dict of str to str
        For each of the eight language codes, the ``documents`` catalogue's
        words by key (English where a language has not translated a key yet);
        each language is read once, on first use.

    Examples
    --------
    >>> texts()["de"]["plan"], len(texts())
    ('Maßnahmenplan', 8)
    """
    return _Texts()


def document_language(region: Region, lang: str | None = None) -> str:
    """``lang`` if given and supported, else the region's language if supported, else English.

    Parameters
    ----------
    region : Region
        The loaded region; its ``region.toml`` language is the second choice.
    lang : str or None, optional
        The language asked for (a code such as ``"fr"``); ``None`` or an
        unsupported code means the region's language.

    Returns
    -------
    str
        One of the eight supported language codes.

    Examples
    --------
    >>> from workbench.data import Region, RegionInfo
    >>> be = Region(RegionInfo("be-x", "X", "BE", "fr"))
    >>> document_language(be), document_language(be, "en"), document_language(be, "tlh"), document_language(be, "bg")
    ('fr', 'en', 'fr', 'bg')
    """
    for candidate in (lang, region.info.language):
        if candidate in i18n.LANGUAGES:
            return candidate
    return i18n.DEFAULT


@dataclass
class Roadmap:
    """Everything one region's roadmap documents show.

    Built by :func:`build_roadmap`; the HTML, DOCX and Markdown renderers only
    lay it out.

    Parameters
    ----------
    region : Region
        The loaded region the roadmap is about.
    lang : str
        The documents' language code (one of the eight supported).
    date : datetime.date
        The roadmap's date: printed on the cover and "today" on the timeline.
    network : dict
        The network figures of :func:`~workbench.network.analyse_network`
        (agency, forum and tie counts, group coverage, referral feedback, isolates).
    maturity : dict of str to dict
        Per characteristic id (``C1`` to ``C5``) the assessment of
        :func:`~workbench.maturity.assess_region`: ``level`` (0 to 4, or ``None``),
        the round and the indicators' scores.
    reference_id : str
        The id of the reference region compared against (e.g. ``"de-hanover-haip"``).
    reference : dict
        That reference region's ``name`` (in ``lang``), ``round`` and ``levels``.
    gaps : list of Gap
        The region's gaps, as :func:`~workbench.roadmap.gaps.detect_gaps` found them.
    checks : list of dict
        Questions for the working group where the data does not record what a gap rule
        needs (``{"id", "question", "agencies"}``, from :func:`~workbench.roadmap.gaps.detect_checks`);
        listed in the data-quality annex, never as gaps.
    plan : list of PlanItem
        The action plan of :func:`~workbench.roadmap.actions.action_plan`: agreed
        actions first, then drafts.
    """

    region: Region
    lang: str
    date: dt.date
    network: dict[str, Any]
    maturity: dict[str, dict[str, Any]]
    reference_id: str
    reference: dict[str, Any]
    gaps: list[Gap]
    plan: list[PlanItem]
    #: Questions for the working group where a gap rule's signal is not recorded (never gaps).
    checks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def t(self) -> dict[str, str]:
        """The documents' words in the roadmap's language (English where not yet translated)."""
        return _words(self.lang)

    @property
    def levels(self) -> dict[str, int | None]:
        """The maturity level (0–4, ``None`` when not assessed) of each characteristic, C1 to C5."""
        return {c: self.maturity[c]["level"] for c in CHARACTERISTICS}

    def name_of(self, agency_id: str | None) -> str:
        """The name the documents print for an agency id.

        Parameters
        ----------
        agency_id : str or None
            An agency id of the region; ``None`` or ``""`` when there is none.

        Returns
        -------
        str
            The agency's name; the id itself when the region has no such
            agency; ``""`` for no id.
        """
        if not agency_id:
            return ""
        a = self.region.by_id.get(agency_id)
        return a.name if a else agency_id

    def char_label(self, c: str) -> str:
        """A characteristic's id and name, as the documents head it (``C1 …``).

        Parameters
        ----------
        c : str
            The characteristic id, ``"C1"`` to ``"C5"``.

        Returns
        -------
        str
            The id, a space and the characteristic's name in the roadmap's language.
        """
        return f"{c} {rubric().name(c, self.lang)}"

    def date_text(self, day: dt.date | str | None = None) -> str:
        """A date spelled for the document's language; an unreadable one as given.

        Parameters
        ----------
        day : datetime.date or str or None, optional
            The date, or its ``YYYY-MM-DD`` text (as a record holds it);
            ``None`` for the roadmap's own date.

        Returns
        -------
        str
            The date as the language writes it; a text that is not a date, unchanged.
        """
        if isinstance(day, str):
            try:
                return i18n.date_text(dt.date.fromisoformat(day), self.lang)
            except ValueError:
                return day
        return i18n.date_text(day or self.date, self.lang)

    def percent(self, share: float | None) -> str:
        """A share (0–1) as a percentage for the document's language.

        Parameters
        ----------
        share : float or None
            The share, 0 to 1; ``None`` when it is not known.

        Returns
        -------
        str
            The percentage as the language writes it; ``–`` when unknown.
        """
        return "–" if share is None else i18n.percent_text(share, self.lang)

    def number(self, value: float, digits: int = 3) -> str:
        """A number for the document's language.

        Parameters
        ----------
        value : float
            The number.
        digits : int, optional
            The most decimals shown (it is rounded to them, trailing zeros dropped).

        Returns
        -------
        str
            The number with the language's decimal and grouping signs.
        """
        return i18n.number_text(value, self.lang, digits)

    def status_label(self, status: str) -> str:
        """An action's status in the document's words.

        Parameters
        ----------
        status : str
            An action status (``"proposed"``, ``"agreed"``, ``"in_progress"``, ``"done"``, ``"dropped"``).

        Returns
        -------
        str
            Its label; the status itself when the words have none.
        """
        return self.t.get(f"status_{status}", status)

    def horizon_label(self, horizon: str | None) -> str:
        """An action's time horizon in the document's words.

        Parameters
        ----------
        horizon : str or None
            ``"short"``, ``"medium"`` or ``"long"``; ``None`` or ``""`` when not set.

        Returns
        -------
        str
            Its label; the value itself when the words have none; ``""`` when not set.
        """
        return self.t.get(f"horizon_{horizon}", horizon or "") if horizon else ""

    def type_label(self, agency_type: str) -> str:
        """An agency type or a forum type in the roadmap's language.

        Parameters
        ----------
        agency_type : str
            An agency type id (``"police"``) or a forum type id.

        Returns
        -------
        str
            The taxonomy's label; the id itself for a type it does not know.
        """
        tax = taxonomy()
        return tax.label("agency_types" if agency_type in tax.agency_types else "forum_types",
                         agency_type, self.lang)

    def summary_numbers(self) -> dict[str, Any]:
        """The figures the summary paragraph names, by the placeholders of its words.

        Returns
        -------
        dict of str to Any
            ``agencies``, ``forums`` and ``ties`` (counts); ``groups`` and
            ``groups_ok`` (priority groups, and those with a pathway);
            ``feedback`` (the share of referrals with feedback, as text);
            ``weakest`` (the two least mature characteristics, as text);
            ``n_gaps`` and ``n_high`` (gaps, and high-severity gaps).
        """
        net = self.network
        fb = net["referral_feedback"]
        groups = net["group_coverage"]
        known = {c: lv for c in CHARACTERISTICS if (lv := self.levels[c]) is not None}
        weakest = sorted(known, key=known.__getitem__)[:2]
        return {
            "agencies": net["agencies"], "forums": net["forums"], "ties": net["relationships"],
            "groups": len(groups), "groups_ok": len(groups) - len(net["groups_without_pathway"]),
            "feedback": self.percent(fb["share"]),
            "weakest": ", ".join(self.char_label(c) for c in weakest) or "–",
            "n_gaps": len(self.gaps), "n_high": sum(g.severity == "high" for g in self.gaps),
        }

    def annex(self) -> dict[str, list[str]]:
        """The data-quality annex: what the working group should check or complete.

        Returns
        -------
        dict of str to list of str
            One line a finding under ``missing`` (answers a rater of the
            assessed round did not give), ``disagree`` (indicators the raters
            disagree on), ``unconnected`` (agencies with no tie), ``warnings``
            (loading warnings), ``survey`` (:meth:`survey_lines`) and
            ``checks`` (questions where the data does not say).
        """
        rnd = self.maturity["C1"].get("round")
        raters = sorted({a.rater or "-" for a in self.region.assessment if a.round == rnd})
        missing, disagree = [], []
        for c in CHARACTERISTICS:
            for ind, s in self.maturity[c].get("indicators", {}).items():
                absent = [r for r in raters if r not in s.get("raters", {})]
                if absent:
                    missing.append(f"{ind}: {', '.join(absent)}")
                if s.get("disagreement"):
                    disagree.append(f"{ind}: " + ", ".join(f"{r} {v}" for r, v in s["raters"].items()))
        return {
            "missing": missing, "disagree": disagree,
            "unconnected": [f"{self.name_of(a)} ({a})" for a in self.network["isolates"]],
            "warnings": [str(w) for w in self.region.warnings],
            "survey": self.survey_lines(),
            "checks": [c["question"] + (f" ({', '.join(self.name_of(a) for a in c['agencies'])})"
                                        if c["agencies"] else "") for c in self.checks],
        }

    def survey_lines(self) -> list[str]:
        """The partner survey's state: who answered, who did not, what both ends confirm.

        Returns
        -------
        list of str
            Sentences in the roadmap's language about the latest survey round:
            the response rate, the partners that did not answer, how many
            reported ties are confirmed, one-sided or unconfirmed and how many
            contradict, and a warning when too few answered or whole sectors
            are silent; one sentence saying there is no survey when there is none.
        """
        t = self.t
        if not self.region.survey:
            return [t["survey_none"]]
        m = merge_round(self.region)
        not_answered = [a for a in m.asked if a not in set(m.answered)]
        lines = [t["survey_state"].format(round=m.round, answered=len(m.answered), asked=len(m.asked),
                                          rate=self.percent(m.response_rate))]
        if not_answered:
            lines.append(t["survey_missing"].format(names=", ".join(self.name_of(a) for a in not_answered)))
        lines.append(t["survey_ties"].format(confirmed=m.count("confirmed"), one_sided=m.count("one_sided"),
                                             unconfirmed=m.count("unconfirmed"),
                                             contradictions=len(m.contradictions)))
        if m.warning:
            lines.append(t["survey_warning"].format(sectors=", ".join(
                taxonomy().label("sectors", s, self.lang) for s in m.silent_sectors) or "–"))
        return lines


def build_roadmap(region: Region, lang: str | None = None, reference: str = DEFAULT_REFERENCE,
                  today: dt.date | None = None) -> Roadmap:
    """Analyse a region and draft its roadmap (nothing is written).

    Parameters
    ----------
    region : Region
        The loaded region.
    lang : str or None, optional
        The documents' language; ``None`` or an unsupported code means the
        region's language, else English (see :func:`document_language`).
    reference : str, optional
        The id of the reference region to compare against; an unknown id falls
        back to ``DEFAULT_REFERENCE`` (``"de-hanover-haip"``).
    today : datetime.date or None, optional
        The roadmap's date; ``None`` means today's date.

    Returns
    -------
    Roadmap
        The network figures, maturity levels, gaps and action plan, ready for
        a renderer.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(Agency("p", "Police A", "police", "organisation"),))
    >>> rm = build_roadmap(r, today=dt.date(2026, 12, 3))
    >>> rm.lang, len(rm.gaps) > 0, all(g.id.startswith("G") for g in rm.gaps)
    ('en', True, True)
    """
    lang = document_language(region, lang)
    maturity = assess_region(region, lang=lang)
    levels = {c: maturity[c]["level"] for c in CHARACTERISTICS}
    gaps = detect_gaps(region, lang)
    refs = reference_profiles(lang)
    if reference not in refs:
        reference = DEFAULT_REFERENCE
    return Roadmap(
        region=region, lang=lang, date=today or dt.date.today(), network=analyse_network(region),
        maturity=maturity, reference_id=reference, reference=refs[reference], gaps=gaps,
        plan=action_plan(region, gaps, levels, lang), checks=detect_checks(region, lang),
    )
