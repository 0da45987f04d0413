"""The cross-region comparison: levels, size-normalised network figures, shared gaps, first actions.

:func:`comparison` gathers, for every region, exactly what its roadmap shows
(:func:`~workbench.roadmap.document.build_roadmap`): the five maturity levels,
the network figures, the gaps and the ranked action plan. It returns JSON-ready
data; :func:`comparison_html` lays that out as one self-contained HTML page
(inline CSS, the radar as a base64 PNG, no script, no external address) and
:func:`write_comparison` writes it for ``workbench compare``.

Network figures are made comparable across regions of different size
(:func:`normalised_network`): raw density, arcs / (n(n−1)), falls roughly as
1/n when each agency keeps a bounded number of partners, so the page compares
the mean number of partners per agency instead, and gives every other figure
as a share or on its own 0–1 scale. Texts are in ``resources/compare.toml``
(English and French); every piece of user text is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import textwrap
import tomllib
from collections.abc import Iterable, Sequence
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from .data import Region, load_region
from .errors import Problem, RegionInvalid, WorkbenchError
from .maturity import reference_profiles
from .network import analyse_network, organisation_graph
from .roadmap.document import CHARACTERISTICS, build_roadmap
from .roadmap.gaps import gap_catalogue
from .taxonomy import rubric

#: How many actions of each region's plan the page shows.
TOP_ACTIONS = 3
#: Plan statuses that are not open work.
CLOSED = frozenset({"done", "dropped", "covered"})
#: Paul Tol's "muted" palette: colour-blind safe, distinct in print and on screen.
REGION_COLOURS = ("#332288", "#CC6677", "#117733", "#DDCC77", "#88CCEE", "#882255", "#44AA99",
                  "#999933", "#AA4499")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")
REFERENCE_STYLES = ((0, (5, 3)), (0, (1, 2)), (0, (6, 2, 1, 2)))
#: Radial distance (in levels) between radar outlines that share a level on an axis.
DODGE = 0.08
#: Heatmap cell colours for levels 0–4 (ColorBrewer YlGnBu, colour-blind safe) and their text colour.
LEVEL_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
LEVEL_INK = ("#1b2631", "#1b2631", "#1b2631", "#ffffff", "#ffffff")
#: The network columns of the page, in order (keys of :func:`normalised_network`), and how to print them.
NETWORK_COLUMNS = (
    ("agencies", "col_agencies", "count"),
    ("mean_degree", "col_mean_degree", "degree"),
    ("largest_component_share", "col_largest", "share"),
    ("isolate_share", "col_isolates", "share"),
    ("cut_share", "col_cut", "share"),
    ("reciprocity", "col_reciprocity", "share"),
    ("degree_centralization", "col_centralization", "ratio"),
    ("feedback_share", "col_feedback", "share"),
    ("groups_share", "col_groups", "share"),
    ("density", "col_density", "ratio"),
)


@cache
def texts() -> dict[str, dict[str, str]]:
    """The page's texts by language (``resources/compare.toml``)."""
    with resources.files("workbench.resources").joinpath("compare.toml").open("rb") as fh:
        return tomllib.load(fh)


def page_language(lang: str | None) -> str:
    """``lang`` when the page is translated into it, else English.

    >>> page_language("fr"), page_language("de"), page_language(None)
    ('fr', 'en', 'en')
    """
    return lang if lang in texts() else "en"


def shared_threshold(n_regions: int) -> int:
    """How many regions must share a gap for the page to list it: most of them, and at least two.

    >>> [shared_threshold(n) for n in (1, 2, 3, 4, 8, 9)]
    [2, 2, 2, 2, 4, 5]
    """
    return max(2, math.ceil(n_regions / 2))


# --- data ---------------------------------------------------------------------

def normalised_network(region: Region) -> dict[str, Any]:
    """Network figures of a region that can be set beside those of a region of another size.

    With n the agencies of the organisation graph (see
    :func:`~workbench.network.analyse_network`) and E its ties read as
    undirected (a pair of agencies tied either way counts once):

    * ``mean_degree`` = 2E / n, the mean number of distinct partners per
      agency. Raw ``density`` = arcs / (n(n−1)) is kept for reference only: the
      possible ties grow as n² while an agency keeps a bounded number of
      partners, so density falls as regions grow even when every agency is as
      well connected; the mean degree does not depend on n.
    * ``largest_component_share`` = agencies in the largest weakly connected
      component / n; ``isolate_share`` = isolates / n; ``cut_share`` =
      articulation points / n.
    * ``reciprocity`` (returned arcs / arcs) and ``degree_centralization``
      (Freeman, divided by its maximum (n−1)(n−2)) are already on a 0–1 scale.
    * ``feedback_share`` = referral ties answered by feedback / referral ties
      (``None`` without referrals); ``groups_share`` = priority groups with a
      referral pathway from an entry point / priority groups considered
      (``None`` when there are none).

    Every share is ``None`` when n = 0.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("s", "Shelter", "shelter", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation"),
    ...     Agency("h", "Housing", "housing", "organisation")),
    ...     relationships=(Relationship("p", "s", "referral"), Relationship("s", "p", "feedback"),
    ...                    Relationship("p", "v", "referral")))
    >>> f = normalised_network(r)
    >>> f["agencies"], f["ties"], f["mean_degree"], f["largest_component_share"], f["isolate_share"]
    (4, 2, 1.0, 0.75, 0.25)
    >>> f["reciprocity"], f["feedback_share"], round(f["density"], 3)
    (0.6666666666666666, 0.5, 0.25)
    """
    net = analyse_network(region)
    g = organisation_graph(region)
    n = g.number_of_nodes()
    ties = nx.Graph(g.to_undirected(as_view=True)).number_of_edges()
    largest = max((len(c) for c in nx.weakly_connected_components(g)), default=0)
    groups = net["group_coverage"]
    fb = net["referral_feedback"]

    def share(count: int) -> float | None:
        return count / n if n else None

    return {
        "agencies": n,
        "arcs": net["arcs"],
        "ties": ties,
        "mean_degree": 2 * ties / n if n else None,
        "largest_component_share": share(largest),
        "isolate_share": share(len(net["isolates"])),
        "cut_share": share(len(net["cut_agencies"])),
        "reciprocity": net["reciprocity"],
        "degree_centralization": net["degree_centralization"],
        "feedback_share": fb["share"],
        "groups_share": ((len(groups) - len(net["groups_without_pathway"])) / len(groups)) if groups else None,
        "density": net["density"],
    }


def _gap_title(gap: Any, lang: str) -> str:
    """The gap's title in ``lang`` from the catalogue (the roadmap detects gaps in English)."""
    entry = gap_catalogue()["gaps"].get(gap.id, {})
    return entry.get(f"title_{lang}") or gap.title


def region_summary(region: Region, lang: str = "en", today: dt.date | None = None) -> dict[str, Any]:
    """One region's column of the comparison (JSON-ready): levels, network, gaps, first actions."""
    lang = page_language(lang)
    rm = build_roadmap(region, lang, today=today)
    open_items = [i for i in rm.plan if i.status not in CLOSED][:TOP_ACTIONS]
    return {
        "id": region.id,
        "name": region.name,
        "country": region.info.country,
        "levels": dict(rm.levels),
        "confidence": {c: rm.maturity[c].get("confidence", {}).get("label") for c in CHARACTERISTICS},
        "network": normalised_network(region),
        "gaps": [{"id": g.id, "title": _gap_title(g, lang), "severity": g.severity,
                  "characteristics": list(g.characteristics)} for g in rm.gaps],
        "top_actions": [{"id": i.id, "title": i.title, "gap": i.gap, "status": i.status, "source": i.source,
                         "owner": i.owner, "owner_name": rm.name_of(i.owner) or None,
                         "priority": i.priority} for i in open_items],
    }


def shared_gaps(summaries: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Gaps by the number of regions they are found in.

    Returns the gaps found in at least :func:`shared_threshold` regions (most
    widely shared first, then by id), each with ``id``, ``title``, ``count``,
    ``regions`` (ids, in the order given) and ``severity`` per region; and the
    count of every gap found anywhere, by id.

    >>> a = {"id": "a", "gaps": [{"id": "G01", "title": "T1", "severity": "low"},
    ...                          {"id": "G02", "title": "T2", "severity": "high"}]}
    >>> b = {"id": "b", "gaps": [{"id": "G02", "title": "T2", "severity": "medium"}]}
    >>> shared, counts = shared_gaps([a, b])
    >>> [(g["id"], g["count"], g["regions"], g["severity"]) for g in shared], counts
    ([('G02', 2, ['a', 'b'], {'a': 'high', 'b': 'medium'})], {'G01': 1, 'G02': 2})
    """
    found: dict[str, dict[str, Any]] = {}
    for s in summaries:
        for g in s["gaps"]:
            entry = found.setdefault(g["id"], {"id": g["id"], "title": g["title"], "count": 0,
                                               "regions": [], "severity": {}})
            if s["id"] not in entry["severity"]:
                entry["count"] += 1
                entry["regions"].append(s["id"])
                entry["severity"][s["id"]] = g["severity"]
    threshold = shared_threshold(len(summaries))
    shared = sorted((g for g in found.values() if g["count"] >= threshold), key=lambda g: (-g["count"], g["id"]))
    return shared, {k: found[k]["count"] for k in sorted(found)}


def comparison(regions: Sequence[Region], lang: str = "en", today: dt.date | None = None) -> dict[str, Any]:
    """The cross-region comparison as JSON-ready data.

    Keys: ``lang``, ``date`` (ISO), ``characteristics``, ``regions`` (one
    :func:`region_summary` each, in the order given), ``references`` (the
    reference profiles' names and levels), ``shared_threshold``,
    ``shared_gaps`` and ``gap_counts`` (:func:`shared_gaps`).
    """
    lang = page_language(lang)
    today = today or dt.date.today()
    return assemble([region_summary(r, lang, today) for r in regions], lang, today)


def assemble(summaries: Sequence[dict[str, Any]], lang: str, today: dt.date) -> dict[str, Any]:
    """:func:`comparison` data from regions' :func:`region_summary` (for callers that cache them)."""
    summaries = list(summaries)
    shared, counts = shared_gaps(summaries)
    return {
        "lang": lang,
        "date": today.isoformat(),
        "characteristics": list(CHARACTERISTICS),
        "regions": summaries,
        "references": {rid: {"name": p["name"], "levels": dict(p["levels"])}
                       for rid, p in sorted(reference_profiles(lang).items())},
        "shared_threshold": shared_threshold(len(summaries)),
        "shared_gaps": shared,
        "gap_counts": counts,
    }


# --- the radar ------------------------------------------------------------------

def _plain(text: object) -> str:
    """Text for matplotlib: ``$`` escaped so nothing is read as mathtext, no leading ``_`` (legend would hide it)."""
    s = str(text).replace("$", r"\$")
    return " " + s if s.startswith("_") else s


def dodged(series: Sequence[dict[str, int | None]], step: float = DODGE) -> list[list[float]]:
    """The radius to draw each series at on each axis: its level, moved apart from series that share it.

    Series with the same level on an axis are spread ``step`` apart around it
    (in the order given), kept within 0–4, so that no outline hides another;
    a ``None`` level stays ``nan`` (the outline breaks there).

    >>> dodged([{"C1": 2, "C2": 0}, {"C1": 2, "C2": 1}, {"C1": 3, "C2": 0}], step=0.1)
    ... # doctest: +NORMALIZE_WHITESPACE
    [[1.95, 0.0, nan, nan, nan], [2.05, 1.0, nan, nan, nan], [3.0, 0.1, nan, nan, nan]]
    """
    out = [[math.nan] * len(CHARACTERISTICS) for _ in series]
    for j, c in enumerate(CHARACTERISTICS):
        groups: dict[int, list[int]] = {}
        for k, levels in enumerate(series):
            if (lv := levels.get(c)) is not None:
                groups.setdefault(int(lv), []).append(k)
        for level, members in groups.items():
            offsets = [(i - (len(members) - 1) / 2) * step for i in range(len(members))]
            shift = max(0.0, -(level + offsets[0])) + min(0.0, 4 - (level + offsets[-1]))
            for k, off in zip(members, offsets, strict=True):
                out[k][j] = round(level + off + shift, 6)
    return out


def radar_png(data: dict[str, Any]) -> bytes:
    """One outline per region (distinct colour and marker) over the reference profiles (grey, dashed).

    Outlines that share a level are drawn slightly apart (:func:`dodged`); a
    ``None`` level breaks the outline at its axis. The PNG carries no
    timestamp, so the same data gives the same bytes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    lang = data["lang"]
    t = texts()[lang]
    chars = rubric().characteristics
    fig = Figure(figsize=(10.5, 6.2), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.1, 0.48, 0.8), projection="polar")
    assert isinstance(ax, PolarAxes)
    n = len(CHARACTERISTICS)
    angles = [2 * math.pi * k / n for k in range(n)]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 4)
    ax.set_yticks([0, 1, 2, 3, 4])
    ax.set_yticklabels(["0", "1", "2", "3", "4"], fontsize=8, color="#5d6d7e")
    ax.set_rlabel_position(360 / n / 2)
    ax.set_xticks(angles)
    ax.set_xticklabels([])
    for angle, c in zip(angles, CHARACTERISTICS, strict=True):
        label = c + "\n" + "\n".join(textwrap.wrap(chars[c].get(lang) or chars[c]["en"], 16))
        east, north = math.sin(angle), math.cos(angle)
        ha = "center" if abs(east) < 0.2 else "left" if east > 0 else "right"
        va = "bottom" if north > 0.2 else "top" if north < -0.2 else "center"
        ax.text(angle, 4.35, label, ha=ha, va=va, fontsize=9, multialignment="center")
    ax.grid(color="#d5d8dc", linewidth=0.8)
    ax.spines["polar"].set_color("#aab7b8")

    refs = list(data["references"].values())
    radii = dodged([*(r["levels"] for r in data["regions"]), *(r["levels"] for r in refs)])
    closed = angles + angles[:1]
    handles = []
    for k, r in enumerate(data["regions"]):
        ys = radii[k]
        missing = [c for c in CHARACTERISTICS if r["levels"].get(c) is None]
        label = f"{r['name']} ({r['country']})" + (f" – {t['no_level']}: {', '.join(missing)}" if missing else "")
        handles += ax.plot(closed, ys + ys[:1], color=REGION_COLOURS[k % len(REGION_COLOURS)], linewidth=2.2,
                           marker=MARKERS[k % len(MARKERS)], markersize=6, alpha=0.9,
                           label=_plain(textwrap.fill(label, 40)))
    for k, ref in enumerate(refs):
        ys = radii[len(data["regions"]) + k]
        handles += ax.plot(closed, ys + ys[:1], color="#6c7a7b", linewidth=1.5,
                           linestyle=REFERENCE_STYLES[k % len(REFERENCE_STYLES)],
                           label=_plain(textwrap.fill(ref["name"], 40)))
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.74, 0.5), frameon=False, fontsize=9,
               handlelength=3, labelspacing=0.7)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, facecolor="white", bbox_inches="tight",
                pad_inches=0.15)
    return buf.getvalue()


# --- the page -------------------------------------------------------------------

CSS = """
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1b2631;margin:0;background:#f4f6f7;line-height:1.45}
main{max-width:1240px;margin:0 auto;padding:24px 32px 40px;background:#fff}
h1{font-size:1.8em;margin:.2em 0;color:#1f3a5f}
h2{font-size:1.35em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #1f3a5f;color:#1f3a5f}
h3{font-size:1.05em;margin:1.2em 0 .4em}
.subtitle{color:#566573;margin:0 0 .8em}
.note{color:#566573;font-size:.9em}
nav ol{margin:.3em 0;padding-left:1.4em;columns:2}
figure{margin:.5em 0}
figure img{max-width:100%;height:auto;display:block}
figcaption{color:#566573;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.92em}
th,td{border:1px solid #d5d8dc;padding:5px 8px;vertical-align:top}
thead th{background:#eaf0f6;text-align:left;font-weight:600}
tbody th{text-align:left;font-weight:normal}
.rid{display:block;color:#7b8a8b;font-size:.8em}
table.heatmap td{width:92px;text-align:center;font-weight:700;font-size:1.1em;vertical-align:middle}
table.heatmap td.none{background:#f2f3f4;color:#7b8a8b;font-weight:normal}
table.heatmap tr.ref th,table.heatmap tr.ref td{font-style:italic}
table.heatmap tr.first-ref th,table.heatmap tr.first-ref td{border-top:3px solid #7b8a8b}
.legend span{display:inline-block;padding:2px 10px;margin-right:4px;border:1px solid #d5d8dc;font-size:.85em}
table.network tbody th{min-width:210px}
table.network td{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.network td.raw,table.network th.raw{color:#7b8a8b}
table.network thead th{font-size:.85em;vertical-align:bottom;text-align:center}
dl.defs{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:.88em;color:#34495e}
dl.defs dt{font-weight:600}
dl.defs dd{margin:0}
td.count{text-align:center;white-space:nowrap}
.bar{display:inline-block;height:.7em;background:#1f3a5f;vertical-align:middle;margin-left:6px}
.sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:6px;vertical-align:baseline}
table.gaps th.rcol{font-size:.78em;font-weight:normal;text-align:center;white-space:nowrap}
table.gaps td,table.gaps th{vertical-align:middle}
table.gaps td.sev{text-align:center;font-size:.82em;white-space:nowrap}
.sev-high{background:#f5b7b1}.sev-medium{background:#fad7a0}.sev-low{background:#d6eaf8}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:14px}
.card{border:1px solid #d5d8dc;border-left:5px solid #1f3a5f;padding:8px 14px;border-radius:3px;break-inside:avoid}
.card h3{margin:.2em 0 .4em}
.card ol{margin:0;padding-left:1.3em}
.card li{margin-bottom:.4em}
.meta{display:block;color:#566573;font-size:.85em}
footer{margin-top:2em;color:#7b8a8b;font-size:.85em}
@media print{body{background:#fff}main{padding:0}section{break-inside:auto}}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _fmt(value: float | int | None, kind: str, t: dict[str, str]) -> str:
    if value is None:
        return t["not_applicable"]
    if kind == "count":
        return str(value)
    if kind == "share":
        return f"{value:.0%}"
    if kind == "degree":
        return f"{value:.1f}"
    return f"{value:.2f}"


def _swatch(k: int) -> str:
    return f"<span class='sw' style='background:{REGION_COLOURS[k % len(REGION_COLOURS)]}'></span>"


def _region_head(k: int, r: dict[str, Any]) -> str:
    return (f"<th scope='row'>{_swatch(k)}{_e(r['name'])}"
            f"<span class='rid'>{_e(r['id'])} · {_e(r['country'])}</span></th>")


def _level_cell(c: str, level: int | None, confidence: str | None, who: str, lang: str,
                t: dict[str, str], cls: str = "lvl") -> str:
    chars = rubric().characteristics
    name = chars[c].get(lang) or chars[c]["en"]
    if level is None:
        tip = f"{who} · {c} {name}: {t['no_level']}"
        return f"<td class='{cls} none' title='{_e(tip)}'>–</td>"
    desc = chars[c]["levels"][level].get(f"label_{lang}") or chars[c]["levels"][level]["label_en"]
    low = confidence == "low"
    tip = f"{who} · {c} {name}: {level} ({desc})" + (f", {t['low_confidence']}" if low else "")
    style = f"background:{LEVEL_COLOURS[level]};color:{LEVEL_INK[level]}"
    return f"<td class='{cls} l{level}' style='{style}' title='{_e(tip)}'>{level}{'?' if low else ''}</td>"


def _heatmap(data: dict[str, Any], t: dict[str, str]) -> str:
    lang = data["lang"]
    chars = rubric().characteristics
    head = "".join(f"<th scope='col'>{_e(c)}<span class='rid'>{_e(chars[c].get(lang) or chars[c]['en'])}</span></th>"
                   for c in CHARACTERISTICS)
    rows = []
    for k, r in enumerate(data["regions"]):
        cells = "".join(_level_cell(c, r["levels"][c], r["confidence"].get(c), r["name"], lang, t)
                        for c in CHARACTERISTICS)
        rows.append(f"<tr>{_region_head(k, r)}{cells}</tr>")
    for k, (rid, ref) in enumerate(data["references"].items()):
        cells = "".join(_level_cell(c, ref["levels"].get(c), None, ref["name"], lang, t, cls="reflvl")
                        for c in CHARACTERISTICS)
        cls = "ref first-ref" if k == 0 else "ref"
        rows.append(f"<tr class='{cls}'><th scope='row'>{_e(ref['name'])}"
                    f"<span class='rid'>{_e(t['reference'])} · {_e(rid)}</span></th>{cells}</tr>")
    legend = "".join(f"<span style='background:{LEVEL_COLOURS[lv]};color:{LEVEL_INK[lv]}'>{lv}</span>"
                     for lv in range(5)) + f"<span>– {_e(t['no_level'])}</span><span>? {_e(t['low_confidence'])}</span>"
    return (f"<h3>{_e(t['heatmap'])}</h3><p class='note'>{_e(t['heatmap_note'])}</p>"
            f"<table class='heatmap'><thead><tr><th scope='col'>{_e(t['region'])}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><p class='legend'>{legend}</p>")


def _network(data: dict[str, Any], t: dict[str, str]) -> str:
    raw = {"agencies", "density"}
    head = "".join(f"<th scope='col' title='{_e(t[label + '_help'])}'{' class=raw' if key in raw else ''}>"
                   f"{_e(t[label])}</th>" for key, label, _ in NETWORK_COLUMNS)
    rows = []
    for k, r in enumerate(data["regions"]):
        net = r["network"]
        cells = "".join(f"<td{' class=raw' if key in raw else ''}>{_e(_fmt(net[key], kind, t))}</td>"
                        for key, _, kind in NETWORK_COLUMNS)
        rows.append(f"<tr>{_region_head(k, r)}{cells}</tr>")
    defs = "".join(f"<dt>{_e(t[label])}</dt><dd>{_e(t[label + '_help'])}</dd>" for _, label, _ in NETWORK_COLUMNS)
    return (f"<p>{_e(t['network_intro'])}</p>"
            f"<table class='network'><thead><tr><th scope='col'>{_e(t['region'])}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><dl class='defs'>{defs}</dl>")


def _gaps(data: dict[str, Any], t: dict[str, str]) -> str:
    """Shared gaps as a gaps × regions matrix: the severity where the region shows the gap."""
    regions = data["regions"]
    n = len(regions)
    threshold = data["shared_threshold"]
    if not data["shared_gaps"]:
        body = f"<p class='note'>{_e(t['gaps_none'].format(threshold=threshold, n=n))}</p>"
    else:
        head = "".join(f"<th scope='col' class='rcol' title='{_e(r['name'])}'>{_swatch(k)}{_e(r['id'])}</th>"
                       for k, r in enumerate(regions))
        rows = []
        for g in data["shared_gaps"]:
            cells = []
            for r in regions:
                sev = g["severity"].get(r["id"])
                if sev is None:
                    cells.append("<td class='absent'></td>")
                else:
                    label = t.get(f"severity_{sev}", sev)
                    tip = f"{r['name']} · {g['id']}: {label}"
                    cells.append(f"<td class='sev sev-{_e(sev)}' title='{_e(tip)}'>{_e(label)}</td>")
            width = round(60 * g["count"] / n)
            rows.append(f"<tr><th scope='row'><b>{_e(g['id'])}</b> · {_e(g['title'])}</th>"
                        f"<td class='count'>{g['count']}/{n}<span class='bar' style='width:{width}px'></span></td>"
                        f"{''.join(cells)}</tr>")
        body = (f"<p>{_e(t['gaps_intro'].format(threshold=threshold, n=n))}</p>"
                f"<table class='gaps'><thead><tr><th scope='col'>{_e(t['col_gap'])}</th>"
                f"<th scope='col'>{_e(t['col_regions_count'])}</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
    others = [f"{gid} ({count})" for gid, count in data["gap_counts"].items() if count < threshold]
    if others:
        body += f"<p class='note'>{_e(t['gaps_other'].format(others=', '.join(others)))}</p>"
    return body


def _actions(data: dict[str, Any], t: dict[str, str]) -> str:
    cards = []
    for k, r in enumerate(data["regions"]):
        items = []
        for a in r["top_actions"]:
            if a["source"] == "agreed":
                state = t.get(f"status_{a['status']}", a["status"])
            else:
                state = t["draft"].format(priority=f"{a['priority']:.0f}" if a["priority"] is not None else "–")
            meta = [x for x in (a["gap"], state, f"{t['owner']}: {a['owner_name']}" if a["owner_name"] else None)
                    if x]
            items.append(f"<li>{_e(a['title'])}<span class='meta'>{_e(' · '.join(meta))}</span></li>")
        body = f"<ol>{''.join(items)}</ol>" if items else f"<p class='note'>{_e(t['actions_none'])}</p>"
        colour = REGION_COLOURS[k % len(REGION_COLOURS)]
        cards.append(f"<div class='card' style='border-left-color:{colour}'><h3>{_e(r['name'])}"
                     f"<span class='rid'>{_e(r['id'])} · {_e(r['country'])}</span></h3>{body}</div>")
    return f"<p>{_e(t['actions_intro'])}</p><div class='cards'>{''.join(cards)}</div>"


def page_sections(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The page's sections as ``(anchor, title, HTML)``: levels (radar and heatmap), network, gaps, actions.

    The dashboards show these same sections; all text in them is escaped.
    """
    t = texts()[data["lang"]]
    png = base64.b64encode(radar_png(data)).decode("ascii")
    return [("levels", t["levels"],
             f"<figure><img alt='{_e(t['radar_alt'])}' src='data:image/png;base64,{png}'/>"
             f"<figcaption>{_e(t['radar_caption'])}</figcaption></figure>" + _heatmap(data, t)),
            ("network", t["network"], _network(data, t)),
            ("gaps", t["gaps"], _gaps(data, t)),
            ("actions", t["actions"], _actions(data, t))]


def render_html(data: dict[str, Any]) -> str:
    """Lay out :func:`comparison` data as one self-contained HTML page (no script, no external address)."""
    lang = data["lang"]
    t = texts()[lang]
    sections = page_sections(data)
    nav = "".join(f"<li><a href='#{sid}'>{_e(title)}</a></li>" for sid, title, _ in sections)
    body = "".join(f"<section id='{sid}'><h2>{_e(title)}</h2>{html}</section>" for sid, title, html in sections)
    return (
        "<!DOCTYPE html>\n"
        f"<html lang='{_e(lang)}'><head><meta charset='utf-8'/>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; img-src data:; "
        "style-src 'unsafe-inline'\"/>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'/>"
        f"<title>{_e(t['title'])}</title><style>{CSS}</style></head><body><main>"
        f"<header><h1>{_e(t['title'])}</h1>"
        f"<p class='subtitle'>{_e(t['subtitle'].format(n=len(data['regions']), date=data['date']))}</p>"
        f"<p>{_e(t['intro'])}</p><nav><b>{_e(t['contents'])}</b><ol>{nav}</ol></nav></header>"
        f"{body}<footer>{_e(t['footer'])}</footer></main></body></html>\n"
    )


def comparison_html(regions: Sequence[Region], lang: str = "en", today: dt.date | None = None) -> str:
    """The cross-region comparison as one self-contained HTML page.

    The page holds the radar overlay (a base64 PNG), the characteristics ×
    regions heatmap, the size-normalised network table, the gaps most regions
    share and each region's first three open actions. It has no script and
    no external address; every region, agency and action text is escaped.
    The same regions and ``today`` give the same page.
    """
    return render_html(comparison(regions, lang, today))


def write_comparison(paths: Iterable[str | Path], out_dir: str | Path, lang: str = "en",
                     today: dt.date | None = None) -> Path:
    """Load the regions at ``paths`` and write ``out_dir/comparison.html`` atomically.

    Raises
    ------
    RegionInvalid
        With the problems of every region that fails to load (or is given
        twice); nothing is written then.
    WorkbenchError
        When no path is given.
    """
    from .files import atomic_write, output_dir

    folders = [Path(p) for p in paths]
    if not folders:
        raise WorkbenchError("give at least one region folder or workbook to compare")
    regions: list[Region] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in folders:
        try:
            region = load_region(path)
        except RegionInvalid as exc:
            problems += exc.problems
            continue
        if region.id in seen:
            problems.append(Problem(str(path), None, None, f"region {region.id!r} is given twice "
                                    f"(also {seen[region.id]})", "give each region once"))
            continue
        seen[region.id] = path
        regions.append(region)
    if problems:
        raise RegionInvalid(problems)
    page = comparison_html(regions, lang, today)
    out = output_dir(Path(out_dir))
    target = out / "comparison.html"
    atomic_write(target, page.encode("utf-8"))
    return target
