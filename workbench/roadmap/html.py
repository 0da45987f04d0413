"""The roadmap's sections as HTML fragments (every piece of user text escaped).

The roadmap notebook displays these fragments; nbconvert turns the notebook
into the HTML document that is also printed to PDF. The text of each section
comes from :mod:`.content`, shared with the DOCX and Markdown renderers.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from html import escape

from ..i18n import labelled
from .content import (
    annex_sections,
    baseline_items,
    basis_text,
    conflict_items,
    first_actions,
    gap_actions,
    gap_title,
    kpi_items,
    level_items,
    maturity_head,
    maturity_rows,
    monitoring_rows,
    network_rows,
    plan_head,
    plan_rows,
    severity_label,
    subtitle,
)
from .document import Roadmap
from .figures import network_png, radar_png, timeline_png


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _img(png: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{_e(alt)}" src="data:image/png;base64,{data}"/>'
            f"<figcaption>{_e(caption)}</figcaption></figure>")


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], escaped: bool = False) -> str:
    esc = (lambda x: x) if escaped else _e
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _list(items: Iterable[str], empty: str) -> str:
    items = list(items)
    if not items:
        return f"<p class='note'>{_e(empty)}</p>"
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def _boxes(items: Iterable[tuple[str, str]]) -> str:
    return "<div class='kpis'>" + "".join(f"<div class='kpi'><b>{_e(v)}</b>{_e(k)}</div>" for v, k in items) + "</div>"


def summary(rm: Roadmap) -> str:
    """The summary page: title, headline numbers, maturity levels and the first actions.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML fragment (``<h1>`` title through the illustrative-data note), user text escaped.
    """
    t = rm.t
    return (f"<h1>{_e(labelled(t['title'], rm.region.name, rm.lang))}</h1><p class='subtitle'>{_e(subtitle(rm))}</p>"
            f"<h2>{_e(t['summary'])}</h2><p>{_e(t['summary_text'].format(**rm.summary_numbers()))}</p>"
            + _boxes(kpi_items(rm)) + _boxes(level_items(rm))
            + f"<h3>{_e(t['top_actions'])}</h3>" + _list(first_actions(rm), t["none"])
            + f"<p class='note'>{_e(t['illustrative'])}</p>")


def network(rm: Roadmap) -> str:
    """The network page: the map of who works with whom, its figures, isolated and cut agencies.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML ``<section>`` with the map as an inline PNG, user text escaped.
    """
    t, net = rm.t, rm.network
    return (f"<section class='page'><h2>{_e(t['network'])}</h2>"
            + _img(network_png(rm), t["network"], t["network_caption"].format(region=rm.region.name))
            + f"<h3>{_e(t['network_figures'])}</h3>" + _table([t["network_figures"], ""], network_rows(rm))
            + f"<h3>{_e(t['isolates'])}</h3>" + _list((rm.name_of(a) for a in net["isolates"]), t["none"])
            + f"<h3>{_e(t['cut_agencies'])}</h3>" + _list((rm.name_of(a) for a in net["cut_agencies"]), t["none"])
            + "</section>")


def maturity(rm: Roadmap) -> str:
    """The maturity page: the radar against the reference region, the level table and conflicts.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML ``<section>`` with the radar as an inline PNG, user text escaped.
    """
    t = rm.t
    caption = t["maturity_caption"].format(region=rm.region.name, reference=rm.reference["name"])
    return (f"<section class='page'><h2>{_e(t['maturity'])}</h2>" + _img(radar_png(rm), t["maturity"], caption)
            + _table(maturity_head(rm), maturity_rows(rm))
            + f"<h3>{_e(t['conflicts'])}</h3>" + _list(conflict_items(rm), t["none"]) + "</section>")


def gaps(rm: Roadmap) -> str:
    """The gaps page: one box per gap found, with severity, evidence and the catalogue's actions.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML ``<section>``; a "none" list when no gap was found.
    """
    t = rm.t
    parts = [f"<section class='page'><h2>{_e(t['gaps'])}</h2><p>{_e(t['gaps_intro'])}</p>"]
    for g in rm.gaps:
        sev = _e(g.severity)
        chars = ", ".join(rm.char_label(c) for c in g.characteristics)
        acts = [f"{text} [{seeds}]" if seeds else text for text, seeds in gap_actions(rm, g)]
        parts.append(
            f"<div class='gap {sev}'><h3>{_e(g.id)} · {_e(gap_title(rm, g))}</h3>"
            f"<p><span class='sev-{sev}'>{_e(labelled(t['severity'], severity_label(rm, g.severity), rm.lang))}"
            f"</span> · {_e(labelled(t['undermines'], chars, rm.lang))} · {_e(basis_text(rm, g))}</p>"
            f"<p><b>{_e(t['evidence'])}</b></p>" + _list(g.evidence, t["none"])
            + f"<p><b>{_e(t['catalogue_actions'])}</b></p>" + _list(acts, t["none"]) + "</div>")
    if not rm.gaps:
        parts.append(_list([], t["none"]))
    return "".join(parts) + "</section>"


def plan(rm: Roadmap) -> str:
    """The action plan page: one row per action with owner, partners, horizon, status and indicator.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML ``<section>`` holding the plan table, user text escaped.
    """
    t = rm.t
    rows = [[_e(r.action) + (f"<br><span class='note'>{_e(r.gap)}</span>" if r.gap else ""),
             _e(r.owner), _e(r.partners), _e(r.horizon), _e(r.dates),
             f"<span class='status-{_e(r.status_key)}'>{_e(r.status)}</span>", _e(r.indicator), _e(r.priority)]
            for r in plan_rows(rm)]
    return (f"<section class='page wide'><h2>{_e(t['plan'])}</h2><p>{_e(t['plan_intro'])}</p>"
            + _table(plan_head(rm), rows, escaped=True) + "</section>")


def timeline(rm: Roadmap) -> str:
    """The timeline section: the plan's actions drawn on a calendar.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML ``<section>`` with the timeline as an inline PNG.
    """
    t = rm.t
    return (f"<section><h2>{_e(t['timeline'])}</h2>"
            + _img(timeline_png(rm), t["timeline"], t["timeline_caption"]) + "</section>")


def monitoring(rm: Roadmap) -> str:
    """The monitoring section: the indicator of each action and the baseline to measure against.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML ``<section>``, user text escaped.
    """
    t = rm.t
    return (f"<section><h2>{_e(t['monitoring'])}</h2><p>{_e(t['monitoring_intro'])}</p>"
            + _table([t["col_action"], t["col_indicator"]], monitoring_rows(rm))
            + f"<h3>{_e(t['baseline'])}</h3>" + _list(baseline_items(rm), t["none"]) + "</section>")


def annex(rm: Roadmap) -> str:
    """The annex: missing data, disagreements, unconnected agencies, warnings, survey and checks.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    str
        An HTML ``<section>``, user text escaped.
    """
    t = rm.t
    return (f"<section class='page'><h2>{_e(t['annex'])}</h2>"
            + "".join(f"<h3>{_e(title)}</h3>" + _list(items, t["none"]) for title, items in annex_sections(rm))
            + "</section>")


SECTIONS: dict[str, Callable[[Roadmap], str]] = {
    "summary": summary, "network": network, "maturity": maturity, "gaps": gaps, "plan": plan,
    "timeline": timeline, "monitoring": monitoring, "annex": annex,
}
