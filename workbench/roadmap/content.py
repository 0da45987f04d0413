"""The plain-text content of each roadmap section, shared by every renderer.

Rows of the tables and items of the lists, in the document's language, built
once here so that the HTML, DOCX and Markdown documents cannot drift apart.
Values are plain text: each renderer escapes them for its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import i18n
from .document import CHARACTERISTICS, Roadmap
from .gaps import basis_label as _basis_word
from .gaps import severity_label as _severity_word

#: Characters XML 1.0 (and so Word) rejects: C0 controls except tab, newline and
#: carriage return; surrogates; U+FFFE and U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Statuses that no longer call for work.
CLOSED = ("done", "dropped", "covered")


def clean(value: object) -> str:
    """``value`` as text without the control characters XML cannot hold (``None`` → ``""``).

    Parameters
    ----------
    value : object
        Any text or value of the roadmap; ``None`` for none.

    Returns
    -------
    str
        The text, safe to put in a Word document.

    Examples
    --------
    >>> clean("a\\x00b\\x1bc\\td")
    'abc\\td'
    >>> clean(None)
    ''
    """
    return _XML_INVALID.sub("", "" if value is None else str(value))


def severity_label(rm: Roadmap, severity: str) -> str:
    """A gap severity in the document language (catalogue ``gaps.severity_labels``).

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.
    severity : str
        ``"high"``, ``"medium"`` or ``"low"``.

    Returns
    -------
    str
        The severity's word in the roadmap's language.
    """
    return _severity_word(severity, rm.lang)


def basis_text(rm: Roadmap, gap: Any) -> str:
    """What shows a gap, in the document language: "Shown by: network data and self-assessment".

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.
    gap : Gap
        A gap :func:`~workbench.roadmap.gaps.detect_gaps` found.

    Returns
    -------
    str
        The label "Shown by" and the kinds of evidence, in the roadmap's language.
    """
    return i18n.labelled(rm.t["basis"], _basis_word(getattr(gap, "basis", "evidence"), rm.lang), rm.lang)


def gap_title(rm: Roadmap, gap: Any) -> str:
    """The gap's title in the document language (catalogue ``gaps.<id>.title``).

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.
    gap : Gap
        A gap :func:`~workbench.roadmap.gaps.detect_gaps` found.

    Returns
    -------
    str
        The title as the gap engine worded it in the roadmap's language.
    """
    return gap.title  # build_roadmap detects the gaps in rm.lang


def evidence_band(band: Any) -> str:
    """The levels a characteristic's network evidence fits, as ``"2–3"`` or ``"2"`` (``""`` when none).

    Parameters
    ----------
    band : sequence of two int or None
        The lowest and highest level the evidence fits, as the maturity assessment gives it.

    Returns
    -------
    str
        The band as text.

    Examples
    --------
    >>> evidence_band([2, 3]), evidence_band([1, 1]), evidence_band(None)
    ('2–3', '1', '')
    """
    if not band or len(band) != 2 or band[0] is None:
        return ""
    low, high = band
    return str(low) if low == high else f"{low}–{high}"


def level_text(rm: Roadmap, c: str) -> str:
    """``"2 – Descriptor"`` in the document language, or the "not enough answers" text.

    Where answers are too few for a level, what the network evidence alone
    suggests is added, labelled as such (the JSON keeps ``level: null``).

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.
    c : str
        A characteristic, ``"C1"`` to ``"C5"``.

    Returns
    -------
    str
        The level and its descriptor, or why there is none.
    """
    m = rm.maturity[c]
    if m["level"] is None:
        band = evidence_band(m.get("evidence", {}).get("band"))
        return rm.t["not_enough"] + (f" ({rm.t['evidence_only'].format(band=band)})" if band else "")
    key = f"rubric.characteristics.{c}.levels.{m['level']}.label"
    label = i18n.text(key, rm.lang) if i18n.has(key) else m.get("label") or ""
    return f"{m['level']} – {label}" if label else str(m["level"])


def confidence_text(rm: Roadmap, c: str) -> str:
    """The confidence of a characteristic's level, as a word in the document language.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.
    c : str
        A characteristic, ``"C1"`` to ``"C5"``.

    Returns
    -------
    str
        The confidence word (high, medium, low); ``""`` when none was given.
    """
    conf = rm.maturity[c].get("confidence", "")
    if isinstance(conf, dict):
        conf = conf.get("label", "")
    key = f"maturity.text.{conf}"
    return i18n.text(key, rm.lang) if conf and i18n.has(key) else str(conf or "")


def kpi_items(rm: Roadmap) -> list[tuple[str, str]]:
    """(value, label) of the headline numbers.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of tuple of (str, str)
        Agencies, forums, ties, priority groups with a pathway, referrals with feedback (a share)
        and gaps, each as (value, label).
    """
    t, n = rm.t, rm.summary_numbers()
    return [(str(n["agencies"]), t["kpi_agencies"]), (str(n["forums"]), t["kpi_forums"]),
            (str(n["ties"]), t["kpi_ties"]), (f"{n['groups_ok']}/{n['groups']}", t["kpi_groups"]),
            (str(n["feedback"]), t["kpi_feedback"]), (str(n["n_gaps"]), t["kpi_gaps"])]


def level_items(rm: Roadmap) -> list[tuple[str, str]]:
    """(level, characteristic) for C1–C5.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of tuple of (str, str)
        One pair per characteristic; the level is ``"–"`` when answers are too few.
    """
    return [("–" if rm.levels[c] is None else str(rm.levels[c]), rm.char_label(c)) for c in CHARACTERISTICS]


def first_actions(rm: Roadmap, n: int = 3) -> list[str]:
    """The first actions of the plan still open, for the summary.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.
    n : int, default 3
        How many actions at most.

    Returns
    -------
    list of str
        ``"title — owner"`` of the first open actions (neither done, dropped nor covered).
    """
    return [f"{i.title} — {rm.name_of(i.owner)}" if i.owner else i.title
            for i in rm.plan if i.status not in CLOSED][:n]


def network_rows(rm: Roadmap) -> list[tuple[str, str]]:
    """The network's headline figures as table rows.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of tuple of (str, str)
        (label, value) for density, centralisation, reciprocity and number of components.
    """
    t, net = rm.t, rm.network
    return [(t["density"], rm.number(net["density"])), (t["centralization"], rm.number(net["degree_centralization"])),
            (t["reciprocity"], rm.number(net["reciprocity"])), (t["components"], rm.number(net["components"]))]


def maturity_head(rm: Roadmap) -> list[str]:
    """The header of the maturity table.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of str
        Characteristic, level, confidence and the reference region's name.
    """
    t = rm.t
    return [t["characteristic"], t["level"], t["confidence"],
            i18n.labelled(t["reference"], rm.reference["name"], rm.lang)]


def maturity_rows(rm: Roadmap) -> list[tuple[str, str, str, str]]:
    """One row per characteristic of the maturity table.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of tuple of (str, str, str, str)
        Characteristic, level, confidence and the reference region's level (``"–"`` when it has none).
    """
    rows = []
    for c in CHARACTERISTICS:
        ref = rm.reference["levels"].get(c)
        rows.append((rm.char_label(c), level_text(rm, c), confidence_text(rm, c), "–" if ref is None else str(ref)))
    return rows


def conflict_items(rm: Roadmap) -> list[str]:
    """Where self-assessment and network evidence disagree, as the maturity assessment says.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of str
        One sentence per conflict, C1 to C5 in order; empty when none.
    """
    return [x["text"] for c in CHARACTERISTICS for x in rm.maturity[c].get("conflicts", [])]  # worded in rm.lang


def gap_actions(rm: Roadmap, gap: Any) -> list[tuple[str, str]]:
    """(text, seed references) of a gap's catalogue actions, in the document language.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.
    gap : Gap
        A gap :func:`~workbench.roadmap.gaps.detect_gaps` found.

    Returns
    -------
    list of tuple of (str, str)
        Each action's text and its comma-joined seed references (``""`` when none).
    """
    return [(a["text"], ", ".join(a.get("seeds", []))) for a in gap.actions]  # worded in rm.lang


def plan_head(rm: Roadmap) -> list[str]:
    """The header of the action plan table.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of str
        Action, owner, partners, horizon, dates, status, indicator and priority.
    """
    return [rm.t[k] for k in ("col_action", "col_owner", "col_partners", "col_horizon", "col_dates",
                              "col_status", "col_indicator", "col_priority")]


@dataclass(frozen=True)
class PlanRow:
    """One action of the plan as the documents show it.

    Parameters
    ----------
    action : str
        The action as ``"id: title"``.
    gap : str
        The id of the gap the action answers; ``""`` when none.
    owner : str
        The name of the agency that leads it.
    partners : str
        The names of the agencies that take part, comma-joined.
    horizon : str
        The planning horizon in the document language.
    dates : str
        Start and due dates, as ``"start → due"`` or the one given.
    status : str
        The status in the document language (``"→ a1"`` when covered by agreed action a1).
    status_key : str
        The status code: proposed, agreed, in_progress, done, dropped or covered.
    indicator : str
        How progress is measured; ``""`` when none was set.
    priority : str
        The priority score as text; ``""`` when none.
    source : str
        ``"agreed"`` for an action of the region's plan, ``"draft"`` for one proposed from a gap.
    """

    action: str  # "id: title"
    gap: str
    owner: str
    partners: str
    horizon: str
    dates: str
    status: str  # in the document language ("→ a1" when covered by agreed action a1)
    status_key: str  # proposed, agreed, in_progress, done, dropped or covered
    indicator: str
    priority: str
    source: str  # agreed or draft

    @property
    def cells(self) -> list[str]:
        """The cells of the plan table, action to priority (gap, status key and source are not shown)."""
        return [self.action, self.owner, self.partners, self.horizon, self.dates, self.status,
                self.indicator, self.priority]


def plan_rows(rm: Roadmap) -> list[PlanRow]:
    """Every action of the plan, with names, dates and status as the documents show them.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of PlanRow
        Agreed actions and drafts from the gaps, in the plan's order.
    """
    rows = []
    for i in rm.plan:
        status = rm.status_label(i.status) if i.status != "covered" else f"→ {i.covered_by}"
        rows.append(PlanRow(
            action=f"{i.id}: {i.title}", gap=i.gap or "", owner=rm.name_of(i.owner),
            partners=", ".join(rm.name_of(p) for p in i.partners), horizon=rm.horizon_label(i.horizon),
            dates=" → ".join(rm.date_text(x) for x in (i.start, i.due) if x), status=status, status_key=i.status,
            indicator=i.indicator or "", priority="" if i.priority is None else rm.number(i.priority, 0),
            source=i.source,
        ))
    return rows


def monitoring_rows(rm: Roadmap) -> list[tuple[str, str]]:
    """Each action still in the plan (neither dropped nor covered) with its indicator.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of tuple of (str, str)
        ``"id: title"`` and the indicator (``""`` when none).
    """
    return [(f"{i.id}: {i.title}", i.indicator or "") for i in rm.plan if i.status not in ("dropped", "covered")]


def baseline_items(rm: Roadmap) -> list[str]:
    """The network measures behind each characteristic, the baseline to monitor against.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of str
        ``"characteristic: measure; measure"`` for C1 to C5.
    """
    return [f"{rm.char_label(c)}: " + "; ".join(
        m["text"] for m in rm.maturity[c]["evidence"].get("measures", {}).values())
        for c in CHARACTERISTICS]


def annex_sections(rm: Roadmap) -> list[tuple[str, list[str]]]:
    """The annex's lists, each under its heading.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    list of tuple of (str, list of str)
        (heading, items) for missing data, disagreements, unconnected agencies, warnings, the survey and checks to make.
    """
    t, a = rm.t, rm.annex()
    return [(t["annex_missing"], a["missing"]), (t["annex_disagree"], a["disagree"]),
            (t["annex_unconnected"], a["unconnected"]), (t["annex_warnings"], a["warnings"]),
            (t["annex_survey"], a["survey"]), (t["annex_checks"], a["checks"])]


def subtitle(rm: Roadmap) -> str:
    """The document's subtitle.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    str
        The region's name, country and the roadmap's date, in the roadmap's language.
    """
    info = rm.region.info
    return rm.t["subtitle"].format(region=info.name, country=info.country, date=rm.date_text())


def figures_elsewhere(rm: Roadmap) -> str:
    """The note that stands where a format carries no figure (Markdown).

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, whose language the text is in.

    Returns
    -------
    str
        The sentence pointing to the HTML, PDF and DOCX versions.
    """
    return rm.t["figures_elsewhere"]


