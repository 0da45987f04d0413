"""Charts of a maturity assessment: a radar of the five levels and an indicator heatmap.

Two forms of each:

* static PNG images for documents (:func:`radar_png`, :func:`heatmap_png`),
  drawn with matplotlib's Agg canvas (no pyplot, no global backend change)
  and written without a timestamp or software tag, so the same input gives
  the same bytes;
* self-contained HTML for the dashboards (:func:`radar_svg`,
  :func:`heatmap_html`): inline SVG and a plain table, no script and no
  CDN, every label escaped.

A radar takes *series*: a mapping of a display name (the region, a
reference case, a round) to levels ``{"C1": 2, …}``, ``None`` for no level.
A heatmap takes the per-characteristic result of
:func:`~workbench.maturity.assess.assess_region` or
:func:`~workbench.maturity.scoring.score_characteristics`.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .. import i18n
from ..files import atomic_write
from ..taxonomy import rubric
from .scoring import CHARACTERISTICS

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn: the SVG radar needs none of it
    from matplotlib.figure import Figure

#: Colours of the radar's series, in order.
SERIES_COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910")
#: Line styles and markers of the series, so that they read apart without colour.
LINESTYLES = ("solid", "dashed", "dotted", "dashdot")
MARKERS = ("o", "s", "^", "D", "v")
SVG_DASHES = ("", ' stroke-dasharray="7 4"', ' stroke-dasharray="2 3"', ' stroke-dasharray="8 3 2 3"')
#: Cell colours of the heatmap: scores 0, 1, 2, then n/a and no answer.
SCORE_COLOURS = {0: "#d6604d", 1: "#f6c85f", 2: "#4f9d69", "n/a": "#c8c8c8", None: "#ffffff"}




def _words(lang: str) -> dict[str, str]:
    """The charts' words in ``lang``: the ``maturity.charts`` catalogue keys, prefix taken off.

    >>> w = _words("de")
    >>> w["consensus"], w["score.2"]
    ('Konsens', 'voll erfüllt')
    """
    return i18n.section("maturity.charts", lang)


DPI = 100


def _plain(text: object) -> str:
    """Text for matplotlib with ``$`` escaped, so no label is read as mathtext."""
    return str(text).replace("$", r"\$")


def _png(fig: Figure, path: str | Path | None) -> bytes:
    buf = io.BytesIO()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight",
                pad_inches=0.2, facecolor="white")
    data = buf.getvalue()
    if path is not None:
        atomic_write(Path(path), data)
    return data


def _axis_labels(lang: str) -> list[str]:
    rb = rubric()
    return [c + "\n" + "\n".join(textwrap.wrap(rb.name(c, lang), 18)) for c in CHARACTERISTICS]


# --- radar -------------------------------------------------------------------

def radar_figure(series: Mapping[str, Mapping[str, int | None]], lang: str = i18n.DEFAULT,
                 title: str | None = None) -> Figure:
    """A radar of the five levels (0–4), one outline per series.

    A ``None`` level breaks the outline at that axis and the series is not
    filled; the legend says which levels are missing.

    Parameters
    ----------
    series : mapping of str to mapping of str to int or None
        Display name (the region, a reference case, a round) mapped to levels
        ``{"C1": 2, …}``, 0–4, ``None`` (or left out) for no level; drawn in order, colours,
        line styles and markers cycling.
    lang : str, optional
        Language of the axis names, legend and default title.
    title : str or None, optional
        The chart's title; ``None`` uses the default title in ``lang``.

    Returns
    -------
    matplotlib.figure.Figure
        A figure of 7.2 × 6.6 inches at :data:`DPI`, not attached to pyplot.

    Examples
    --------
    >>> fig = radar_figure({"Region": {"C1": 1, "C2": 2, "C3": 0, "C4": None, "C5": 3}})
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['Region (no level: C4)']
    """
    w = _words(lang)
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    fig = Figure(figsize=(7.2, 6.6), dpi=DPI)
    ax = fig.add_subplot(projection="polar")
    assert isinstance(ax, PolarAxes)
    n = len(CHARACTERISTICS)
    angles = [2 * math.pi * k / n for k in range(n)]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_thetalim(0, 2 * math.pi)
    ax.set_ylim(0, 4)
    ax.set_yticks([1, 2, 3, 4])
    ax.set_yticklabels(["1", "2", "3", "4"], fontsize=8, color="#555555")
    ax.set_rlabel_position(360 / n / 2)
    ax.set_xticks(angles)
    ax.set_xticklabels([])
    for angle, label in zip(angles, _axis_labels(lang), strict=True):
        east = math.sin(angle)  # the direction is clockwise from the top
        ha = "center" if abs(east) < 0.2 else "left" if east > 0 else "right"
        va = "bottom" if math.cos(angle) > 0.2 else "top" if math.cos(angle) < -0.2 else "center"
        ax.text(angle, 4.4, _plain(label), ha=ha, va=va, fontsize=9, linespacing=1.2,
                multialignment="center")
    ax.grid(color="#cccccc", linewidth=0.8)
    ax.spines["polar"].set_color("#999999")
    for k, (name, levels) in enumerate(series.items()):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        vals = [levels.get(c) for c in CHARACTERISTICS]
        ys = [math.nan if v is None else v for v in vals]
        missing = [c for c, v in zip(CHARACTERISTICS, vals, strict=True) if v is None]
        label = _plain(name) + (f" ({w['none']}: {', '.join(missing)})" if missing else "")
        ax.plot(angles + angles[:1], ys + ys[:1], color=colour, linewidth=2, label=label,
                marker=MARKERS[k % len(MARKERS)], markersize=6,
                linestyle=LINESTYLES[k % len(LINESTYLES)])
        if not missing:
            ax.fill(angles, ys, color=colour, alpha=0.12)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=1, frameon=False, fontsize=9)
    fig.suptitle(_plain(title or w["radar"]), fontsize=12, y=0.97)
    fig.subplots_adjust(left=0.2, right=0.8, top=0.8, bottom=0.22)
    return fig


def radar_png(series: Mapping[str, Mapping[str, int | None]], lang: str = i18n.DEFAULT,
              title: str | None = None, path: str | Path | None = None) -> bytes:
    """:func:`radar_figure` as PNG bytes (also written to ``path`` when given).

    Parameters
    ----------
    series : mapping of str to mapping of str to int or None
        Display name (the region, a reference case, a round) mapped to levels
        ``{"C1": 2, …}``, 0–4, ``None`` (or left out) for no level; drawn in order, colours,
        line styles and markers cycling.
    lang : str, optional
        Language of the axis names, legend and default title.
    title : str or None, optional
        The chart's title; ``None`` uses the default title in ``lang``.
    path : str or pathlib.Path or None, optional
        Where to write the PNG as well (atomically, replacing a file there); ``None`` writes nothing.

    Returns
    -------
    bytes
        The PNG image, the same bytes for the same input (no timestamp or software tag).

    Examples
    --------
    >>> png = radar_png({"Region": {"C1": 1, "C2": 2, "C3": 0, "C4": None, "C5": 3}})
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png == radar_png(
    ...     {"Region": {"C1": 1, "C2": 2, "C3": 0, "C4": None, "C5": 3}})
    (True, True)
    """
    return _png(radar_figure(series, lang, title), path)


def radar_svg(series: Mapping[str, Mapping[str, int | None]], lang: str = i18n.DEFAULT,
              title: str | None = None, radius: int = 130) -> str:
    """The radar as one inline ``<svg>`` element (no script; labels escaped).

    Each point carries a ``<title>`` tooltip: series, characteristic, level.

    Parameters
    ----------
    series : mapping of str to mapping of str to int or None
        Display name (the region, a reference case, a round) mapped to levels
        ``{"C1": 2, …}``, 0–4, ``None`` (or left out) for no level; drawn in order, colours,
        line styles and markers cycling.
    lang : str, optional
        Language of the axis names, legend and default title.
    title : str or None, optional
        The chart's title; ``None`` uses the default title in ``lang``.
    radius : int, optional
        Radius of level 4 in SVG user units (pixels at 100 %); the labels and legend are
        placed around it.

    Returns
    -------
    str
        One ``<svg>`` element, with its own ``viewBox``, to insert into a page as it is.

    Examples
    --------
    >>> svg = radar_svg({"<b>R&D</b>": {"C1": 2, "C2": 3, "C3": 1, "C4": 0, "C5": None}})
    >>> svg.startswith("<svg") and "&lt;b&gt;R&amp;D&lt;/b&gt;" in svg and "<b>" not in svg
    True
    """
    w = _words(lang)
    rb = rubric()
    n = len(CHARACTERISTICS)
    angles = [2 * math.pi * k / n for k in range(n)]  # clockwise from the top
    width = 4 * radius + 40
    cx, cy = width / 2, 60 + 1.25 * radius

    def pt(level: float, angle: float) -> tuple[float, float]:
        r = radius * level / 4
        return cx + r * math.sin(angle), cy - r * math.cos(angle)

    def poly(points: list[tuple[float, float]]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)

    wrapped = {c: [c, *textwrap.wrap(rb.name(c, lang), 18)] for c in CHARACTERISTICS}
    legend_top = (cy + 4.35 / 4 * radius * math.cos(math.pi / n) + 10
                  + 15 * max(len(x) for x in wrapped.values()) + 16)
    height = legend_top + 22 * len(series) + 8
    name = escape(title or w["radar"])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="wb-radar" width="{width:.0f}" '
           f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
           f'aria-label="{name}" font-family="sans-serif" font-size="12">',
           f'<text x="{cx:.1f}" y="20" text-anchor="middle" font-size="15">{name}</text>']
    for level in (1, 2, 3, 4):
        out.append(f'<polygon points="{poly([pt(level, a) for a in angles])}" fill="none" '
                   f'stroke="#cccccc"/>')
        x, y = pt(level, math.pi / n)
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" fill="#888888" font-size="10" '
                   f'text-anchor="middle">{level}</text>')
    for c, a in zip(CHARACTERISTICS, angles, strict=True):
        x, y = pt(4, a)
        out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                   f'stroke="#bbbbbb"/>')
        lines = wrapped[c]
        lx, ly = pt(4.35, a)
        east = math.sin(a)
        anchor = "middle" if abs(east) < 0.2 else "start" if east > 0 else "end"
        if math.cos(a) > 0.2:
            ly -= 15 * (len(lines) - 1)
        elif math.cos(a) < -0.2:
            ly += 10
        bold = ' font-weight="bold"'
        spans = "".join(f'<tspan x="{lx:.1f}" dy="{15 if j else 0}"{"" if j else bold}>'
                        f"{escape(t)}</tspan>" for j, t in enumerate(lines))
        out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{spans}</text>')
    for s, (label, levels) in enumerate(series.items()):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        style = SVG_DASHES[s % len(SVG_DASHES)]
        known = [(c, a, v) for c, a in zip(CHARACTERISTICS, angles, strict=True)
                 if (v := levels.get(c)) is not None]
        if len(known) == n:
            out.append(f'<polygon points="{poly([pt(v, a) for _, a, v in known])}" '
                       f'fill="{colour}" fill-opacity="0.12" stroke="{colour}" '
                       f'stroke-width="2"{style}/>')
        else:  # outline broken at the missing levels
            for k in range(n):
                c1, c2 = CHARACTERISTICS[k], CHARACTERISTICS[(k + 1) % n]
                v1, v2 = levels.get(c1), levels.get(c2)
                if v1 is not None and v2 is not None:
                    points = poly([pt(v1, angles[k]), pt(v2, angles[(k + 1) % n])])
                    out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                               f'stroke-width="2"{style}/>')
        for c, a, v in known:
            x, y = pt(v, a)
            tip = f"{label} — {c} {rb.name(c, lang)}: {w['level']} {v}"
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">'
                       f'<title>{escape(tip)}</title></circle>')
        missing = [c for c in CHARACTERISTICS if levels.get(c) is None]
        legend = label + (f" ({w['none']}: {', '.join(missing)})" if missing else "")
        y = legend_top + 22 * s
        out.append(f'<line x1="{cx - 150:.1f}" y1="{y:.1f}" x2="{cx - 124:.1f}" y2="{y:.1f}" '
                   f'stroke="{colour}" stroke-width="3"{style}/>'
                   f'<text x="{cx - 116:.1f}" y="{y + 4:.1f}">{escape(legend)}</text>')
    out.append("</svg>")
    return "\n".join(out)


# --- heatmap -----------------------------------------------------------------

Cell = int | Literal["n/a"] | None  # a score 0–2, "n/a", or None for no answer


def _grid(result: Mapping[str, Mapping[str, Any]]
          ) -> tuple[list[str], list[str], dict[tuple[str | None, str], Cell]]:
    """Indicator ids, rater names and ``{(rater or None for consensus, indicator): cell}``."""
    indicators = [i for c in CHARACTERISTICS for i in result[c]["indicators"]]
    raters = sorted({r for c in CHARACTERISTICS for s in result[c]["indicators"].values()
                     for r in s["raters"]})
    cells: dict[tuple[str | None, str], Cell] = {}
    for c in CHARACTERISTICS:
        for i, s in result[c]["indicators"].items():
            for r, v in s["raters"].items():
                cells[(r, i)] = "n/a" if v is None else v
            cells[(None, i)] = s["consensus"] if s["status"] != "n/a" else "n/a"
    return indicators, raters, cells


def heatmap_figure(result: Mapping[str, Mapping[str, Any]], lang: str = i18n.DEFAULT,
                   title: str | None = None) -> Figure:
    """Indicators (columns, grouped by characteristic) by raters and consensus (rows).

    Cells are coloured by score (0 absent, 1 partial, 2 fully), grey for
    ``n/a`` and white for no answer; a consensus cell whose raters disagree
    carries a ``!``.

    Parameters
    ----------
    result : mapping of str to mapping
        The per-characteristic result of :func:`~workbench.maturity.assess.assess_region` or
        :func:`~workbench.maturity.scoring.score_characteristics`; every characteristic C1–C5
        must be present.
    lang : str, optional
        Language of the row names, legend and default title.
    title : str or None, optional
        The chart's title; ``None`` uses the default title in ``lang``.

    Returns
    -------
    matplotlib.figure.Figure
        A figure sized to the grid (about a quarter inch per cell), not attached to pyplot.

    Examples
    --------
    >>> from workbench.maturity.scoring import score_characteristics, score_indicator
    >>> from workbench.data import Answer
    >>> res = score_characteristics({"C1.1": score_indicator("C1.1", [Answer("r", "C1.1", "2", "police")])})
    >>> [t.get_text() for t in heatmap_figure(res).axes[0].get_yticklabels()]
    ['police', 'Consensus']
    """
    w = _words(lang)
    indicators, raters, cells = _grid(result)
    rows: list[str | None] = [*raters, None]
    ncol, nrow = len(indicators), len(rows)
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(0.26 * ncol + 2.4, 0.26 * nrow + 1.8), dpi=DPI)
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    disagree = {i for c in CHARACTERISTICS for i, s in result[c]["indicators"].items()
                if s["disagreement"]}
    for y, row in enumerate(rows):
        for x, ind in enumerate(indicators):
            v = cells.get((row, ind))
            ax.add_patch(Rectangle((x, y), 1, 1, facecolor=SCORE_COLOURS[v], edgecolor="white",
                                   linewidth=1.2))
            text = w["na"] if v == "n/a" else "" if v is None else str(v)
            if row is None and ind in disagree:
                text += "!"
            if text:
                ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=7,
                        color="#222222", fontweight="bold" if row is None else "normal")
    ax.axhline(len(raters), color="#333333", linewidth=1.5)
    start = 0
    for c in CHARACTERISTICS:
        width = len(result[c]["indicators"])
        if start:
            ax.axvline(start, color="#333333", linewidth=1.5)
        ax.text(start + width / 2, -0.35, c, ha="center", va="bottom", fontsize=9,
                fontweight="bold")
        start += width
    ax.set_xlim(0, ncol)
    ax.set_ylim(nrow, 0)
    ax.set_xticks([x + 0.5 for x in range(ncol)])
    ax.set_xticklabels(indicators, rotation=90, fontsize=7)
    ax.set_yticks([y + 0.5 for y in range(nrow)])
    ax.set_yticklabels([_plain(r) if r is not None else w["consensus"] for r in rows], fontsize=8)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = [Rectangle((0, 0), 1, 1, facecolor=SCORE_COLOURS[k], edgecolor="#999999",
                         linewidth=0.5) for k in (0, 1, 2, "n/a", None)]
    ax.legend(handles, [f"0 {w['score.0']}", f"1 {w['score.1']}", f"2 {w['score.2']}",
                        w["na"], w["missing"]], loc="upper center",
              bbox_to_anchor=(0.5, -1.6 / nrow), ncol=5, frameon=False, fontsize=8)
    ax.set_title(_plain(title or w["heatmap"]), pad=20, fontsize=11)
    return fig


def heatmap_png(result: Mapping[str, Mapping[str, Any]], lang: str = i18n.DEFAULT,
                title: str | None = None, path: str | Path | None = None) -> bytes:
    """:func:`heatmap_figure` as PNG bytes (also written to ``path`` when given).

    Parameters
    ----------
    result : mapping of str to mapping
        The per-characteristic result of :func:`~workbench.maturity.assess.assess_region` or
        :func:`~workbench.maturity.scoring.score_characteristics`; every characteristic C1–C5
        must be present.
    lang : str, optional
        Language of the row names, legend and default title.
    title : str or None, optional
        The chart's title; ``None`` uses the default title in ``lang``.
    path : str or pathlib.Path or None, optional
        Where to write the PNG as well (atomically, replacing a file there); ``None`` writes nothing.

    Returns
    -------
    bytes
        The PNG image, the same bytes for the same input.

    Examples
    --------
    >>> from workbench.maturity.scoring import score_characteristics, score_indicator
    >>> from workbench.data import Answer
    >>> res = score_characteristics({"C1.1": score_indicator("C1.1", [Answer("r", "C1.1", "1", "police")])})
    >>> heatmap_png(res)[:4] == b"\\x89PNG"
    True
    """
    return _png(heatmap_figure(result, lang, title), path)


def heatmap_html(result: Mapping[str, Mapping[str, Any]], lang: str = i18n.DEFAULT) -> str:
    """The heatmap as a plain HTML table with inline colours; every label escaped.

    Each cell's ``title`` tooltip gives the indicator, the rater (or consensus) and what the score means.

    Parameters
    ----------
    result : mapping of str to mapping
        The per-characteristic result of :func:`~workbench.maturity.assess.assess_region` or
        :func:`~workbench.maturity.scoring.score_characteristics`; every characteristic C1–C5
        must be present.
    lang : str, optional
        Language of the headers, legend and tooltips.

    Returns
    -------
    str
        One ``<table class="wb-heatmap">``: a header row of characteristics, one of indicator ids,
        then a row per rater and the consensus row; no script, to insert into a page as it is.

    Examples
    --------
    >>> from workbench.maturity.scoring import score_characteristics, score_indicator
    >>> from workbench.data import Answer
    >>> res = score_characteristics({"C1.1": score_indicator("C1.1", [
    ...     Answer("r", "C1.1", "2", "<script>x</script>")])})
    >>> html = heatmap_html(res)
    >>> "<script>" in html, "&lt;script&gt;x&lt;/script&gt;" in html
    (False, True)
    """
    w = _words(lang)
    rb = rubric()
    indicators, raters, cells = _grid(result)
    head = "".join(f'<th colspan="{len(result[c]["indicators"])}" title="{escape(rb.name(c, lang))}">'
                   f"{c}</th>" for c in CHARACTERISTICS if result[c]["indicators"])
    ids = "".join(f'<th title="{escape(rb.question(i, lang))}">{escape(i)}</th>'
                  for i in indicators)
    body = []
    disagree = {i for c in CHARACTERISTICS for i, s in result[c]["indicators"].items()
                if s["disagreement"]}
    for row in [*raters, None]:
        name = w["consensus"] if row is None else row
        tds = []
        for i in indicators:
            v = cells.get((row, i))
            text = w["na"] if v == "n/a" else "" if v is None else str(v)
            meaning = (w["missing"] if v is None else w["na"] if v == "n/a"
                       else w[f"score.{v}"])
            if row is None and i in disagree:
                text += "!"
                meaning += f"; {w['disagreement']}"
            tip = f"{i} — {name}: {meaning}"
            tds.append(f'<td style="background:{SCORE_COLOURS[v]};text-align:center" '
                       f'title="{escape(tip)}">{escape(text)}</td>')
        th = f'<th style="text-align:right;white-space:nowrap;padding:0 6px">{escape(name)}</th>'
        body.append(f"<tr>{th}{''.join(tds)}</tr>")
    return (f'<table class="wb-heatmap" style="border-collapse:collapse;font-size:11px">'
            f"<thead><tr><th></th>{head}</tr><tr><th></th>{ids}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")
