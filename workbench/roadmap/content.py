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
from .gaps import gap_text
from .gaps import severity_label as _severity_word

#: Characters XML 1.0 (and so Word) rejects: C0 controls except tab, newline and
#: carriage return; surrogates; U+FFFE and U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Statuses that no longer call for work.
CLOSED = ("done", "dropped", "covered")


def clean(value: object) -> str:
    """``value`` as text without the control characters XML cannot hold (``None`` → ``""``).

    >>> clean("a\\x00b\\x1bc\\td")
    'abc\\td'
    >>> clean(None)
    ''
    """
    return _XML_INVALID.sub("", "" if value is None else str(value))


def severity_label(rm: Roadmap, severity: str) -> str:
    """A gap severity in the document language (catalogue ``gaps.severity_labels``)."""
    return _severity_word(severity, rm.lang)


def basis_text(rm: Roadmap, gap: Any) -> str:
    """What shows a gap, in the document language: "Shown by: network data and self-assessment"."""
    return f"{rm.t['basis']}: {_basis_word(getattr(gap, 'basis', 'evidence'), rm.lang)}"


def gap_title(rm: Roadmap, gap: Any) -> str:
    """The gap's title in the document language (catalogue ``gaps.<id>.title``)."""
    return gap_text(gap.id, "title", rm.lang) if i18n.has(f"gaps.{gap.id}.title") else gap.title


def localised(entry: dict[str, Any], lang: str, field: str = "text") -> str:
    """A sentence another module wrote per language (``text_<lang>`` or ``text``), English where missing.

    >>> both = {"text_en": "a", "text_fr": "b"}
    >>> localised(both, "fr"), localised(both, "bg"), localised({"text": "c"}, "de")
    ('b', 'a', 'c')
    """
    return str(entry.get(f"{field}_{lang}") or entry.get(field) or entry.get(f"{field}_{i18n.DEFAULT}") or "")


def evidence_band(band: Any) -> str:
    """The levels a characteristic's network evidence fits, as ``"2–3"`` or ``"2"`` (``""`` when none).

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
    """
    m = rm.maturity[c]
    if m["level"] is None:
        band = evidence_band(m.get("evidence", {}).get("band"))
        return rm.t["not_enough"] + (f" ({rm.t['evidence_only'].format(band=band)})" if band else "")
    key = f"rubric.characteristics.{c}.levels.{m['level']}.label"
    label = i18n.text(key, rm.lang) if i18n.has(key) else m.get("label") or ""
    return f"{m['level']} – {label}" if label else str(m["level"])


def confidence_text(rm: Roadmap, c: str) -> str:
    """The confidence of a characteristic's level, as a word in the document language."""
    conf = rm.maturity[c].get("confidence", "")
    if isinstance(conf, dict):
        conf = conf.get("label", "")
    key = f"maturity.text.{conf}"
    return i18n.text(key, rm.lang) if conf and i18n.has(key) else str(conf or "")


def kpi_items(rm: Roadmap) -> list[tuple[str, str]]:
    """(value, label) of the headline numbers."""
    t, n = rm.t, rm.summary_numbers()
    return [(str(n["agencies"]), t["kpi_agencies"]), (str(n["forums"]), t["kpi_forums"]),
            (str(n["ties"]), t["kpi_ties"]), (f"{n['groups_ok']}/{n['groups']}", t["kpi_groups"]),
            (str(n["feedback"]), t["kpi_feedback"]), (str(n["n_gaps"]), t["kpi_gaps"])]


def level_items(rm: Roadmap) -> list[tuple[str, str]]:
    """(level, characteristic) for C1–C5."""
    return [("–" if rm.levels[c] is None else str(rm.levels[c]), rm.char_label(c)) for c in CHARACTERISTICS]


def first_actions(rm: Roadmap, n: int = 3) -> list[str]:
    return [f"{i.title} — {rm.name_of(i.owner)}" if i.owner else i.title
            for i in rm.plan if i.status not in CLOSED][:n]


def network_rows(rm: Roadmap) -> list[tuple[str, str]]:
    t, net = rm.t, rm.network
    return [(t["density"], rm.number(net["density"])), (t["centralization"], rm.number(net["degree_centralization"])),
            (t["reciprocity"], rm.number(net["reciprocity"])), (t["components"], rm.number(net["components"]))]


def maturity_head(rm: Roadmap) -> list[str]:
    t = rm.t
    return [t["characteristic"], t["level"], t["confidence"], f"{t['reference']}: {rm.reference['name']}"]


def maturity_rows(rm: Roadmap) -> list[tuple[str, str, str, str]]:
    rows = []
    for c in CHARACTERISTICS:
        ref = rm.reference["levels"].get(c)
        rows.append((rm.char_label(c), level_text(rm, c), confidence_text(rm, c), "–" if ref is None else str(ref)))
    return rows


def conflict_items(rm: Roadmap) -> list[str]:
    return [localised(x, rm.lang) for c in CHARACTERISTICS for x in rm.maturity[c].get("conflicts", [])]


def gap_actions(rm: Roadmap, gap: Any) -> list[tuple[str, str]]:
    """(text, seed references) of a gap's catalogue actions, in the document language."""
    return [(localised(a, rm.lang), ", ".join(a.get("seeds", []))) for a in gap.actions]


def plan_head(rm: Roadmap) -> list[str]:
    return [rm.t[k] for k in ("col_action", "col_owner", "col_partners", "col_horizon", "col_dates",
                              "col_status", "col_indicator", "col_priority")]


@dataclass(frozen=True)
class PlanRow:
    """One action of the plan as the documents show it."""

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
        return [self.action, self.owner, self.partners, self.horizon, self.dates, self.status,
                self.indicator, self.priority]


def plan_rows(rm: Roadmap) -> list[PlanRow]:
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
    return [(f"{i.id}: {i.title}", i.indicator or "") for i in rm.plan if i.status not in ("dropped", "covered")]


def baseline_items(rm: Roadmap) -> list[str]:
    return [f"{rm.char_label(c)}: " + "; ".join(
        localised(m, rm.lang) for m in rm.maturity[c]["evidence"].get("measures", {}).values())
        for c in CHARACTERISTICS]


def annex_sections(rm: Roadmap) -> list[tuple[str, list[str]]]:
    t, a = rm.t, rm.annex()
    return [(t["annex_missing"], a["missing"]), (t["annex_disagree"], a["disagree"]),
            (t["annex_unconnected"], a["unconnected"]), (t["annex_warnings"], a["warnings"]),
            (t["annex_survey"], a["survey"]), (t["annex_checks"], a["checks"])]


def subtitle(rm: Roadmap) -> str:
    info = rm.region.info
    return rm.t["subtitle"].format(region=info.name, country=info.country, date=rm.date_text())


def figures_elsewhere(rm: Roadmap) -> str:
    return rm.t["figures_elsewhere"]


