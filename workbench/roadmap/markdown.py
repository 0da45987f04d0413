"""The roadmap as GitHub-flavoured Markdown: the sections of the HTML document, as text.

Figures are left out (they live in the HTML, PDF and DOCX versions); every
table of the HTML document is a Markdown table. All text that comes from the
region (names, titles, indicators, notes, evidence) is escaped, so that
``<script>`` or ``*bold*`` in a field shows literally and a ``|`` cannot
break a table.

The plain-text content of each section (rows of the tables, lists) is built
here by the ``*_rows``/``*_items`` functions and shared with :mod:`.docx`, so
the two documents cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..i18n import labelled
from .content import (
    annex_sections,
    baseline_items,
    basis_text,
    clean,
    conflict_items,
    figures_elsewhere,
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

# ---------------------------------------------------------------------------
# Markdown.
# ---------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_BLOCK_START = re.compile(r"^([#+-])(?=\s|$)|^(\d+)([.)])(?=\s|$)")


def escape(value: object) -> str:
    r"""Text that Markdown shows literally, on one line (line breaks become ``<br>``).

    Parameters
    ----------
    value : object
        Any cell or text of the roadmap (``None`` and missing values read as empty).

    Returns
    -------
    str
        The text with Markdown's special characters backslash-escaped, HTML's ``& < >``
        as entities and line breaks as ``<br>``, so that it fits a table cell.

    Examples
    --------
    >>> print(escape("<script>alert(1)</script> *a* | b_c [x](y) `z` & $1"))
    &lt;script&gt;alert(1)&lt;/script&gt; \*a\* \| b\_c \[x\](y) \`z\` &amp; \$1
    >>> print(escape("# not a heading\nsecond line"))
    \# not a heading<br>second line
    >>> print(escape("1. not a list"), escape("- nor this"))
    1\. not a list \- nor this
    """
    text = clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text.strip())
    text = _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)\s*", "<br>", text)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A GFM table of already-escaped cells (an empty cell stays empty)."""
    head = list(head)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _row_table(items: list[tuple[str, str]]) -> str:
    """Headline numbers as a one-row table: labels as the header, values below."""
    return _table((escape(label) for _, label in items), [[f"**{escape(v)}**" for v, _ in items]])


def _list(items: Iterable[str], empty: str) -> str:
    items = [escape(i) for i in items]
    return "\n".join(f"- {i}" for i in items) if items else f"_{escape(empty)}_"


def _h(level: int, text: str) -> str:
    return "#" * level + " " + escape(text)


def md_summary(rm: Roadmap) -> list[str]:
    """The summary page: title, headline numbers, maturity levels and the first actions.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks (headings, paragraphs, tables, lists), user text escaped.
    """
    t = rm.t
    return [
        _h(1, labelled(t["title"], rm.region.info.name, rm.lang)),
        f"_{escape(subtitle(rm))}_",
        _h(2, t["summary"]),
        escape(t["summary_text"].format(**rm.summary_numbers())),
        _row_table(kpi_items(rm)),
        _row_table(level_items(rm)),
        _h(3, t["top_actions"]),
        _list(first_actions(rm), t["none"]),
        f"_{escape(t['illustrative'])}_",
    ]


def md_network(rm: Roadmap) -> list[str]:
    """The network page: the network's figures, isolated agencies and cut agencies (no map).

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks; the map is left out (Markdown carries no figure), user text escaped.
    """
    t, net = rm.t, rm.network
    return [
        _h(2, t["network"]),
        f"_{escape(figures_elsewhere(rm))}_",
        _h(3, t["network_figures"]),
        _table([escape(t["network_figures"]), ""], ((escape(a), escape(b)) for a, b in network_rows(rm))),
        _h(3, t["isolates"]), _list((rm.name_of(a) for a in net["isolates"]), t["none"]),
        _h(3, t["cut_agencies"]), _list((rm.name_of(a) for a in net["cut_agencies"]), t["none"]),
    ]


def md_maturity(rm: Roadmap) -> list[str]:
    """The maturity page: the level table against the reference region and the conflicts.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks (headings, paragraphs, tables, lists), user text escaped.
    """
    t = rm.t
    return [
        _h(2, t["maturity"]),
        _table(map(escape, maturity_head(rm)), (map(escape, r) for r in maturity_rows(rm))),
        _h(3, t["conflicts"]), _list(conflict_items(rm), t["none"]),
    ]


def md_gaps(rm: Roadmap) -> list[str]:
    """The gaps page: one box per gap found, with severity, evidence and the catalogue's actions.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks (headings, paragraphs, tables, lists), user text escaped.
    """
    t = rm.t
    out = [_h(2, t["gaps"]), escape(t["gaps_intro"])]
    for g in rm.gaps:
        undermines = ", ".join(rm.char_label(c) for c in g.characteristics)
        acts = [f"{escape(text)} \\[{escape(seeds)}\\]" if seeds else escape(text)
                for text, seeds in gap_actions(rm, g)]
        out += [
            _h(3, f"{g.id} · {gap_title(rm, g)}"),
            f"**{escape(labelled(t['severity'], severity_label(rm, g.severity), rm.lang))}** · "
            f"{escape(labelled(t['undermines'], undermines, rm.lang))} · {escape(basis_text(rm, g))}",
            *([f"_{escape(g.description)}_"] if getattr(g, "description", "") else []),
            f"**{escape(t['evidence'])}**", _list(g.evidence, t["none"]),
            f"**{escape(t['catalogue_actions'])}**",
            "\n".join(f"- {a}" for a in acts) if acts else f"_{escape(t['none'])}_",
        ]
    if not rm.gaps:
        out.append(f"_{escape(t['none'])}_")
    return out


def md_plan(rm: Roadmap) -> list[str]:
    """The action plan page: one row per action with owner, partners, horizon, status and indicator.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks (headings, paragraphs, tables, lists), user text escaped.
    """
    t = rm.t
    rows = []
    for r in plan_rows(rm):
        cells = [escape(c) for c in r.cells]
        cells[0] = f"**{escape(r.action)}**" if r.source == "agreed" else cells[0]
        if r.gap:
            cells[0] += f"<br>{escape(r.gap)}"
        rows.append(cells)
    return [_h(2, t["plan"]), escape(t["plan_intro"]), _table(map(escape, plan_head(rm)), rows)]


def md_timeline(rm: Roadmap) -> list[str]:
    """The timeline section: a heading and a note that the chart is in the other formats.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks (headings, paragraphs, tables, lists), user text escaped.
    """
    return [_h(2, rm.t["timeline"]), f"_{escape(figures_elsewhere(rm))}_"]


def md_monitoring(rm: Roadmap) -> list[str]:
    """The monitoring section: the indicator of each action and the baseline to measure against.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks (headings, paragraphs, tables, lists), user text escaped.
    """
    t = rm.t
    return [
        _h(2, t["monitoring"]), escape(t["monitoring_intro"]),
        _table([escape(t["col_action"]), escape(t["col_indicator"])],
               ((escape(a), escape(b)) for a, b in monitoring_rows(rm))),
        _h(3, t["baseline"]), _list(baseline_items(rm), t["none"]),
    ]


def md_annex(rm: Roadmap) -> list[str]:
    """The annex: missing data, disagreements, unconnected agencies, warnings, survey and checks.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap: its data, figures, gaps, plan and translated labels.

    Returns
    -------
    list of str
        The section's Markdown blocks (headings, paragraphs, tables, lists), user text escaped.
    """
    out = [_h(2, rm.t["annex"])]
    for title, items in annex_sections(rm):
        out += [_h(3, title), _list(items, rm.t["none"])]
    return out


SECTIONS = (md_summary, md_network, md_maturity, md_gaps, md_plan, md_timeline, md_monitoring, md_annex)


def markdown(rm: Roadmap) -> str:
    """The whole roadmap as one Markdown document (UTF-8 text, ends with a newline).

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap.

    Returns
    -------
    str
        The sections of :data:`SECTIONS` joined, in the roadmap's language.
    """
    return "\n\n".join(block for section in SECTIONS for block in section(rm)) + "\n"
