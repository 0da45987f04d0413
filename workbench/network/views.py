"""Views of a region's network: an interactive page, a static image, exports.

* :func:`interactive_html` — a standalone, offline HTML page drawn by
  vis-network through pyvis, with a legend and filters by tie type and by
  priority group; :func:`embed_iframe` puts it in a sandboxed ``srcdoc``
  iframe for dashboards and documents.
* :func:`static_image` — PNG or SVG with matplotlib, for documents.
* :func:`export_graph` — GraphML, GEXF (Gephi) or node-link JSON.

All views share :func:`~workbench.network.layout.layout` and the sector
colours of the taxonomy, so a region looks the same in each of them.

How user text is kept inert
---------------------------
Names, notes, role titles and areas come from spreadsheets anyone may fill
in. In the interactive page they reach only three places, and each is made
safe for its own context:

* node and edge data are embedded as JSON in a ``<script>`` with Jinja's
  ``tojson``, which writes ``<``, ``>``, ``&`` and ``'`` as ``\\u`` escapes;
* vis-network draws labels on a canvas (``font.multi`` stays off, so no
  markup is interpreted) and shows tooltips given as strings with
  ``innerText``: both display text literally. Tooltips are therefore plain
  text; escaping them with :func:`html.escape` would show ``&amp;`` to users;
* everything written into the page's HTML (region name, legend, filter
  labels) goes through Jinja with autoescaping on (the page is the template
  ``templates/network.html.j2`` shipped in this package).

Behind that, the page's Content-Security-Policy lets nothing be fetched and
runs only its own two scripts (by SHA-256 hash): an injected ``<script>`` or
``onerror=`` would be refused by the browser even if it ever got through.

pyvis's own page template is not used: it loads Bootstrap from a CDN
whatever ``cdn_resources`` says, writes the heading unescaped, and switches
every tooltip to ``innerHTML`` as soon as one contains the substring
``href``. As a second line of defence, ``href`` in tooltip text is broken
with an invisible word joiner (U+2060) all the same.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO, Any, Literal

import networkx as nx
from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from .. import i18n
from ..data import Region
from ..errors import UnknownFormat, WorkbenchError
from ..files import atomic_stream
from ..taxonomy import taxonomy
from .graph import build_graph
from .layout import SEED, layout

#: Up to this many nodes vis-network's physics relaxes the precomputed layout
#: for 150 iterations (``avoidOverlap`` pushes overlapping nodes apart; vis's
#: simulation has no randomness, so the result is the same every time) and is
#: then switched off so nothing drifts. Above it physics is off from the
#: start and nodes stay exactly where :func:`layout` put them: with physics a
#: 1,500-node page needs minutes to stabilise, without it about a second.
PHYSICS_MAX_NODES = 300

#: Up to this many nodes the static image labels every node; above it only
#: the :data:`STATIC_TOP_LABELS` best-connected ones.
STATIC_LABEL_ALL = 60
STATIC_TOP_LABELS = 30

#: Shape of each kind of node: (vis-network shape, matplotlib marker).
KIND_SHAPES = {"organisation": ("dot", "o"), "unit": ("diamond", "D"), "forum": ("square", "s")}

#: Line style of a tie type (taxonomy ``line_style``): vis dashes, width, matplotlib style.
LINE_STYLES: dict[str, tuple[Any, float, Literal["solid", "dashed", "dotted"]]] = {
    "solid": (False, 1.5, "solid"),
    "dashed": ([8, 5], 1.5, "dashed"),
    "dotted": ([2, 4], 1.5, "dotted"),
    "bold": (False, 4.0, "solid"),
}

#: Agency and tie statuses drawn faded: not part of today's network.
FADED = frozenset({"planned", "discontinued"})

EDGE_COLOUR = "#6b6b6b"
EXCLUDED_COLOUR = "#CC3311"
UNKNOWN_SECTOR_COLOUR = "#9e9e9e"

# Words of the views themselves are in the ``network`` translation catalogue (:func:`_words`);
# domain labels come from the taxonomy.


@cache
def _words(lang: str) -> dict[str, str]:
    """The views' own words in ``lang`` (catalogue ``network``), English where not yet translated (read once).

    >>> _words("de")["legend"], _words("el")["legend"]
    ('Legende', 'Υπόμνημα')
    """
    return i18n.section("network", lang)


ExportFormat = Literal["graphml", "gexf", "json"]

_CSP_TOKEN = "WB-CSP-SCRIPT-HASHES"


# --------------------------------------------------------------------------
# Shared look: colours, shapes, text
# --------------------------------------------------------------------------

def _check_lang(lang: str) -> str:
    if lang not in i18n.LANGUAGES:
        raise UnknownFormat(f"unknown language {lang!r}", f"use one of {', '.join(i18n.LANGUAGES)}")
    return lang


def _sector_colour(sector: str) -> str:
    return taxonomy().sectors.get(sector, {}).get("colour", UNKNOWN_SECTOR_COLOUR)


def _fade(colour: str, amount: float = 0.6) -> str:
    """``colour`` blended ``amount`` of the way to white.

    >>> _fade("#000000", 0.5)
    '#808080'
    """
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


def _type_label(agency_type: str, lang: str) -> str:
    tax = taxonomy()
    table = "forum_types" if agency_type in tax.forum_types else "agency_types"
    return tax.label(table, agency_type, lang)


def _line_style(tie_type: str) -> str:
    style = taxonomy().relationship_types.get(tie_type, {}).get("line_style", "solid")
    return style if style in LINE_STYLES else "solid"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


_HREF = re.compile("href", re.IGNORECASE)


def _inert(text: str) -> str:
    """Plain text for a tooltip, with ``href`` broken by U+2060 (see module notes).

    >>> _inert('<a HREF="x">') == '<a H\\u2060REF="x">'
    True
    """
    return _HREF.sub(lambda m: m.group(0)[0] + "\u2060" + m.group(0)[1:], text)


def _yes_no(value: bool, lang: str) -> str:
    return taxonomy().label("boolean", "yes" if value else "no", lang)


def _node_tooltip(g: nx.MultiDiGraph, node: str, lang: str) -> str:
    tax, t, d = taxonomy(), _words(lang), g.nodes[node]
    lines = [d["name"], i18n.labelled(t["type"], _type_label(d["type"], lang), lang)]
    if d.get("sector"):
        lines.append(i18n.labelled(t['sector'], tax.label('sectors', d['sector'], lang), lang))
    lines.append(i18n.labelled(t['kind'], t.get(d['kind'], d['kind']), lang))
    parent = d.get("parent")
    if parent:
        lines.append(i18n.labelled(t['part_of'], g.nodes[parent]['name'] if parent in g else parent, lang))
    if d.get("area"):
        lines.append(i18n.labelled(t['area'], d['area'], lang))
    if d.get("dv_relay") is not None or d.get("relay_role"):
        relay = _yes_no(bool(d.get("dv_relay")), lang) if d.get("dv_relay") is not None else ""
        role = d.get("relay_role") or ""
        lines.append(i18n.labelled(t["relay"], f"{relay}{' — ' if relay and role else ''}{role}", lang))
    for key, field in (("serves", "target_groups"), ("cannot_serve", "excluded_groups")):
        if d.get(field):
            labels = ", ".join(tax.label("priority_groups", p, lang) for p in d[field])
            lines.append(i18n.labelled(t[key], labels, lang))
    lines.append(i18n.labelled(t['status'], tax.label('agency_status', d.get('status') or 'active', lang), lang))
    if d.get("lead"):
        lines.append(t["leads"])
    if d.get("notes"):
        lines.append(i18n.labelled(t['notes'], d['notes'], lang))
    return _inert("\n".join(lines))


def _edge_tooltip(g: nx.MultiDiGraph, u: str, v: str, d: dict[str, Any], lang: str) -> str:
    tax, t = taxonomy(), _words(lang)
    arrow = " — " if d.get("symmetric") else " → "
    lines = [tax.label("relationship_types", d["type"], lang),
             g.nodes[u]["name"] + arrow + g.nodes[v]["name"]]
    for field, vocab in (("formality", "formality"), ("frequency", "frequency"),
                         ("role", "membership_role"), ("attendance", "attendance"),
                         ("legal_basis", "legal_basis")):
        if d.get(field):
            lines.append(i18n.labelled(t[field], tax.label(vocab, d[field], lang), lang))
    if d.get("since"):
        lines.append(i18n.labelled(t['since'], d['since'], lang))
    lines.append(i18n.labelled(t['status'], tax.label('agency_status', d.get('status') or 'active', lang), lang))
    if d.get("notes"):
        lines.append(i18n.labelled(t['notes'], d['notes'], lang))
    return _inert("\n".join(lines))


def _degrees(g: nx.MultiDiGraph) -> dict[str, int]:
    """Distinct neighbours of each node, whatever the direction or number of ties."""
    return {n: len(set(g.predecessors(n)) | set(g.successors(n))) for n in g}


def _parallel_index(g: nx.MultiDiGraph) -> dict[tuple[str, str, str], int]:
    """0, 1, 2… for the ties between the same two nodes (either direction), in sorted order."""
    seen: Counter[frozenset[str]] = Counter()
    index = {}
    for u, v, k in sorted(g.edges(keys=True)):
        pair = frozenset((u, v))
        index[u, v, k] = seen[pair]
        seen[pair] += 1
    return index


def _legend_items(g: nx.MultiDiGraph, lang: str) -> dict[str, list[dict[str, Any]]]:
    """Sectors, kinds and tie types present in ``g``, in taxonomy order, with counts."""
    tax, t = taxonomy(), _words(lang)
    sectors = Counter(d.get("sector") or "" for _, d in g.nodes(data=True))
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    ties = Counter(k for _, _, k in g.edges(keys=True))
    order = list(tax.sectors)
    return {
        "sectors": [{"id": s, "label": tax.label("sectors", s, lang) if s else t["other_sector"],
                     "colour": _sector_colour(s), "count": sectors[s]}
                    for s in sorted(sectors, key=lambda s: (s not in order, order.index(s)
                                                            if s in order else 0, s))],
        "kinds": [{"id": k, "label": t[k], "shape": KIND_SHAPES[k][0], "count": kinds[k]}
                  for k in KIND_SHAPES if kinds[k]],
        "ties": [{"id": k, "label": tax.label("relationship_types", k, lang),
                  "style": _line_style(k), "count": ties[k],
                  "directed": k not in tax.symmetric_types}
                 for k in sorted(ties, key=lambda k: (k not in tax.relationship_types,
                                                      list(tax.relationship_types).index(k)
                                                      if k in tax.relationship_types else 0, k))],
    }


# --------------------------------------------------------------------------
# Interactive page
# --------------------------------------------------------------------------

@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside pyvis (no CDN)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    # Browsers turn CR and CRLF into LF before hashing a script for the CSP.
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8").replace("\r\n", "\n")
    js = js.replace("\r", "\n")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise WorkbenchError("vis-network assets cannot be inlined safely")
    return js, css


@cache
def _page_template() -> Template:
    """``templates/network.html.j2``: autoescaped; user text only ever enters through ``tojson``."""
    env = Environment(loader=PackageLoader("workbench.network", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("network.html.j2")


#: How a tie the partner survey does not confirm is drawn (vis dashes), whatever its type.
UNCONFIRMED_DASHES = [3, 7]


def _network(region: Region, lang: str, height: int,
             unconfirmed: frozenset[tuple[str, str, str]] = frozenset()) -> tuple[Any, nx.MultiDiGraph, bool]:
    """A pyvis ``Network`` holding the styled nodes and edges of ``region``."""
    from pyvis.network import Network

    tax = taxonomy()
    g = build_graph(region)
    n = g.number_of_nodes()
    pos = layout(g, seed=SEED)
    span = max(700.0, 150.0 * math.sqrt(n))  # canvas units; wide enough for labels
    degree = _degrees(g)
    physics = n <= PHYSICS_MAX_NODES
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    for node in sorted(g):
        d = g.nodes[node]
        faded = d.get("status") in FADED
        colour = _sector_colour(d.get("sector") or "")
        size = min(34.0, 10.0 + 4.0 * math.sqrt(degree[node])) * (0.8 if d["kind"] == "unit" else 1)
        x, y = pos[node]
        net.add_node(
            node, label=_short(d["name"], 28) or node, title=_node_tooltip(g, node, lang),
            shape=KIND_SHAPES.get(d["kind"], KIND_SHAPES["organisation"])[0],
            color=_fade(colour) if faded else colour, size=round(size, 1),
            x=round(x * span / 2, 1), y=round(-y * span / 2, 1),  # canvas y points down
            borderWidth=4 if d.get("lead") else 1.5,
            shapeProperties={"borderDashes": [4, 3] if faded else False},
            font={"color": "#9a9a9a" if faded else "#222222"},
            wbGroups=list(d.get("target_groups") or ()),
            wbExcluded=list(d.get("excluded_groups") or ()),
        )
    parallel = _parallel_index(g)
    sym = tax.symmetric_types
    for i, (u, v, k, d) in enumerate(sorted(g.edges(keys=True, data=True),
                                             key=lambda e: (e[0], e[1], e[2]))):
        dashes, width, _ = LINE_STYLES[_line_style(k)]
        title = _edge_tooltip(g, u, v, d, lang)
        if (u, v, k) in unconfirmed:
            dashes, title = UNCONFIRMED_DASHES, title + "\n" + _words(lang)["unconfirmed"]
        faded = d.get("status") in FADED
        p = parallel[u, v, k]
        smooth: dict[str, Any] = {"enabled": False}
        if p:
            smooth = {"enabled": True, "type": "curvedCW" if p % 2 else "curvedCCW",
                      "roundness": 0.15 * ((p + 1) // 2)}
        net.add_edge(
            u, v, id=f"e{i}", title=title, dashes=dashes,
            width=width, smooth=smooth,
            arrows={"to": {"enabled": k not in sym, "scaleFactor": 0.6}},
            color={"color": EDGE_COLOUR, "opacity": 0.25 if faded else 0.75,
                   "highlight": "#222222", "hover": "#222222", "inherit": False},
            wbType=k,
        )
    net.options = {
        "physics": {"enabled": physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -3000, "springLength": 120,
                                  "avoidOverlap": 0.3, "damping": 0.4},
                    "stabilization": {"enabled": physics, "iterations": 150, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": not physics,
                        "hideEdgesOnZoom": not physics, "keyboard": False, "multiselect": False},
        "layout": {"randomSeed": SEED, "improvedLayout": False},
        "nodes": {"font": {"size": 14, "face": "sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
        "edges": {"selectionWidth": 1.5, "hoverWidth": 1},
    }
    return net, g, physics


def interactive_html(region: Region, lang: str = i18n.DEFAULT, height: int = 640, *,
                     unconfirmed: frozenset[tuple[str, str, str]] = frozenset()) -> str:
    """The region's network as one standalone, offline HTML page.

    Colour by sector, shape by kind (organisation ●, unit ◆, forum ■), line
    style by tie type, arrows on directed types; planned and discontinued
    agencies and ties are faded. A side panel holds the legend, checkboxes
    per tie type and a priority-group filter (agencies that serve the group
    stay, those that cannot serve it get a red border, the others fade or
    hide). Positions come from :func:`~workbench.network.layout.layout`; see
    :data:`PHYSICS_MAX_NODES`. Nothing is fetched from a network: vis-network
    is inlined (about 700 KB). See the module notes on how user text is
    kept inert. The same region and language always give the same bytes.

    Parameters
    ----------
    region : Region
    lang : str
        Language of labels, legend and tooltips: one of :data:`workbench.i18n.LANGUAGES`.
    height : int
        Height of the page in CSS pixels.
    unconfirmed : frozenset
        Keys ``(source, target, type)`` of ties drawn with short dashes and a
        tooltip line: those the partner survey does not confirm (see
        :func:`workbench.survey.unconfirmed_relationships`).

    Returns
    -------
    str
        A complete HTML document. Show it with :func:`embed_iframe`.
    """
    lang = _check_lang(lang)
    height = int(height)
    net, g, physics = _network(region, lang, height, unconfirmed)
    nodes, edges, _heading, _h, _w, _options = net.get_network_data()
    js, css = _vis_assets()
    t = _words(lang)
    tax = taxonomy()
    # Groups anyone serves or refuses; the count is of agencies that serve it.
    serving: Counter[str] = Counter()
    named: set[str] = set()
    for _, d in g.nodes(data=True):
        serving.update(set(d.get("target_groups") or ()))
        named.update(d.get("target_groups") or (), d.get("excluded_groups") or ())
    groups = [{"id": p, "label": tax.label("priority_groups", p, lang), "count": serving[p]}
              for p in tax.priority_groups if p in named]
    groups += [{"id": p, "label": p, "count": serving[p]}
               for p in sorted(named) if p not in tax.priority_groups]
    doc = _page_template().render(
        csp_scripts=_CSP_TOKEN, lang=lang, t=t, title=f"{region.name} — {t['network']}",
        region_name=region.name,
        summary=t["summary"].format(n=g.number_of_nodes(), m=g.number_of_edges()),
        height=height, nodes=nodes, edges=edges, options=net.options, physics=physics,
        legend=_legend_items(g, lang), groups=groups, vis_js=js, vis_css=css,
        colours={"excluded": EXCLUDED_COLOUR},
        dasharray={"solid": "none", "bold": "none", "dashed": "6 3", "dotted": "1.5 3"},
    )
    # Content-Security-Policy: nothing may be fetched, and only these exact
    # scripts run — an injected <script> or on* handler would be refused
    # even if some text ever escaped its escaping.
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in re.findall(r"<script>(.*?)</script>", doc, flags=re.S))
    return doc.replace(_CSP_TOKEN, hashes, 1)  # the first occurrence is the <meta> in <head>


def embed_iframe(html_doc: str, height: int = 640, title: str = "") -> str:
    """``html_doc`` in a sandboxed ``srcdoc`` iframe, for dashboards and documents.

    ``sandbox="allow-scripts"`` without ``allow-same-origin`` gives the page
    an opaque origin: its scripts run, but cannot reach the dashboard
    around it (cookies, the kernel's websocket, ``parent.document``).

    Parameters
    ----------
    html_doc : str
        A whole HTML document (such as :func:`interactive_html`'s), unescaped.
    height : int, default 640
        The height in pixels given to the page; the frame is 4 pixels taller and 100% wide.
    title : str, default ""
        The frame's accessible title, read by screen readers.

    Returns
    -------
    str
        An ``<iframe>`` element whose ``srcdoc`` holds ``html_doc`` escaped.

    Examples
    --------
    >>> embed_iframe("<p>a & b</p>", 100)[:60]
    '<iframe sandbox="allow-scripts" referrerpolicy="no-referrer"'
    >>> 'srcdoc="&lt;p&gt;a &amp;amp; b&lt;/p&gt;"' in embed_iframe("<p>a &amp; b</p>", 100)
    True
    """
    return (f'<iframe sandbox="allow-scripts" referrerpolicy="no-referrer" '
            f'title="{html.escape(title)}" '
            f'style="width:100%;height:{int(height) + 4}px;border:0" '
            f'srcdoc="{html.escape(html_doc, quote=True)}"></iframe>')


# --------------------------------------------------------------------------
# Static image
# --------------------------------------------------------------------------

def static_image(region: Region, path_or_buffer: str | os.PathLike[str] | IO[bytes],
                 fmt: Literal["png", "svg"] = "png", lang: str = i18n.DEFAULT) -> None:
    """Draw the region's network with matplotlib (Agg) as PNG or SVG.

    Same layout, colours, shapes and line styles as :func:`interactive_html`,
    with a legend on the right. Every node is labelled up to
    :data:`STATIC_LABEL_ALL` nodes, otherwise the :data:`STATIC_TOP_LABELS`
    with most neighbours. Output is deterministic: no dates in the files,
    fixed SVG ids.

    Parameters
    ----------
    region : Region
        The region whose agencies and ties are drawn.
    path_or_buffer : str, path or binary file
        Where to write: a path (written atomically) or an open binary file.
    fmt : {"png", "svg"}, default "png"
        The image format.
    lang : str, default i18n.DEFAULT
        The language of the legend.

    Raises
    ------
    WorkbenchError
        When ``fmt`` is neither ``"png"`` nor ``"svg"``, or ``lang`` is not one of the workbench's languages.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    lang = _check_lang(lang)
    if fmt not in ("png", "svg"):
        raise WorkbenchError(f"unknown image format {fmt!r}; use 'png' or 'svg'")
    t = _words(lang)
    g = build_graph(region)
    n = g.number_of_nodes()
    pos = layout(g, seed=SEED)
    degree = _degrees(g)
    nodes = sorted(g)
    big = n > STATIC_LABEL_ALL

    with rc_context({"svg.hashsalt": "workbench", "svg.fonttype": "path",
                     "font.family": "DejaVu Sans"}):
        fig = Figure(figsize=(12, 8.5), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.01, 0.72, 0.9))
        ax.set_axis_off()
        ax.set_aspect("equal")
        fig.text(0.015, 0.965, f"{region.name} — {t['network']}", fontsize=13, va="top",
                 parse_math=False)

        shrink = min(1.0, (STATIC_LABEL_ALL / max(n, 1)) ** 0.75)  # smaller marks when crowded
        size = {v: max(10.0, (140 + 45 * math.sqrt(degree[v])) * shrink) for v in nodes}
        _draw_edges(ax, g, pos, size, big)
        for kind, (_, marker) in KIND_SHAPES.items():
            for faded in (False, True):
                sel = [v for v in nodes if g.nodes[v]["kind"] == kind
                       and (g.nodes[v].get("status") in FADED) == faded]
                if not sel:
                    continue
                colours = [_sector_colour(g.nodes[v].get("sector") or "") for v in sel]
                ax.scatter([pos[v][0] for v in sel], [pos[v][1] for v in sel],
                           s=[size[v] * (0.7 if kind == "unit" else 1) for v in sel],
                           c=[_fade(c) if faded else c for c in colours], marker=marker,
                           edgecolors=["#111111" if g.nodes[v].get("lead") else "#ffffff"
                                       for v in sel],
                           linewidths=[2.2 if g.nodes[v].get("lead") else 0.8 for v in sel],
                           linestyle="--" if faded else "-", zorder=3)
        labelled = nodes if not big else sorted(nodes, key=lambda v: (-degree[v], v))[
            :STATIC_TOP_LABELS]
        for v in labelled:
            x, y = pos[v]
            faded = g.nodes[v].get("status") in FADED
            ax.annotate(_short(g.nodes[v]["name"], 32), (x, y), xytext=(0, -9 if big else -11),
                        textcoords="offset points", ha="center", va="top",
                        fontsize=6 if big else 7, color="#888888" if faded else "#1a1a1a",
                        parse_math=False, zorder=4,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.75})
        ax.margins(x=0.14, y=0.05)  # room for the labels of nodes at the rim

        legend = _legend_items(g, lang)
        handles: list[Any] = []
        labels: list[str] = []
        headers: set[int] = set()

        def header(text: str) -> None:
            headers.add(len(labels))
            handles.append(Line2D([], [], linestyle="none"))
            labels.append(text)

        header(t["sectors"])
        for s in legend["sectors"]:
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=8,
                                  markerfacecolor=s["colour"], markeredgecolor="white"))
            labels.append(s["label"])
        header(t["kinds"])
        for k in legend["kinds"]:
            handles.append(Line2D([], [], linestyle="none", marker=KIND_SHAPES[k["id"]][1],
                                  markersize=7, markerfacecolor="#9e9e9e",
                                  markeredgecolor="white"))
            labels.append(k["label"])
        if any(g.nodes[v].get("status") in FADED for v in nodes):
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=8,
                                  markerfacecolor=_fade("#9e9e9e"), markeredgecolor="#9e9e9e"))
            labels.append(t["faded"])
        header(t["tie_types"])
        for k in legend["ties"]:
            _, width, mstyle = LINE_STYLES[k["style"]]
            handles.append(Line2D([], [], color=EDGE_COLOUR, linewidth=width * 0.55,
                                  linestyle=mstyle))
            labels.append(k["label"] + ("" if k["directed"] else " ↔"))
        leg = fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.745, 0.93),
                         frameon=False, fontsize=7.5, handlelength=2.4, borderaxespad=0)
        for i, text in enumerate(leg.get_texts()):
            text.set_parse_math(False)
            if i in headers:
                text.set_fontweight("bold")
                text.set_x(-18)

        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
        with _output(path_or_buffer) as out:
            fig.savefig(out, format=fmt, metadata=metadata)


def _draw_edges(ax: Any, g: nx.MultiDiGraph, pos: dict[Any, tuple[float, float]],
                size: dict[str, float], big: bool) -> None:
    """Ties grouped by line style; arrows on directed types while the graph is small."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import FancyArrowPatch

    sym = taxonomy().symmetric_types
    parallel = _parallel_index(g)
    groups: dict[tuple[str, bool], list[tuple[str, str, str]]] = {}
    for u, v, k in sorted(g.edges(keys=True)):
        faded = g.edges[u, v, k].get("status") in FADED
        groups.setdefault((_line_style(k), faded), []).append((u, v, k))
    for (style, faded), ties in sorted(groups.items()):
        _, width, mstyle = LINE_STYLES[style]
        alpha = 0.25 if faded else 0.6
        if big:
            ax.add_collection(LineCollection([(pos[u], pos[v]) for u, v, _ in ties],
                                             colors=EDGE_COLOUR, linewidths=width * 0.3,
                                             linestyles=mstyle, alpha=alpha, zorder=1))
            continue
        for u, v, k in ties:
            p = parallel[u, v, k]
            rad = 0.0 if not p else (0.12 if p % 2 else -0.12) * ((p + 1) // 2)
            ax.add_patch(FancyArrowPatch(
                pos[u], pos[v], arrowstyle="-" if k in sym else "-|>", mutation_scale=9,
                connectionstyle=f"arc3,rad={rad}", color=EDGE_COLOUR, linewidth=width * 0.55,
                linestyle=mstyle, alpha=alpha, zorder=1,
                shrinkA=math.sqrt(size[u]) / 2 + 1, shrinkB=math.sqrt(size[v]) / 2 + 2))


@contextmanager
def _output(target: str | os.PathLike[str] | IO[bytes]) -> Iterator[Any]:
    """A binary stream to write to; paths are written atomically (:func:`~workbench.files.atomic_stream`)."""
    if hasattr(target, "write"):
        yield target
        return
    with atomic_stream(Path(target)) as fh:
        yield fh


# --------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _flat(value: Any) -> Any:
    """A value GraphML and GEXF accept: lists joined by ``|``, ``None`` as ``""``.

    >>> _flat(("a", "b")), _flat(None), _flat(True), _flat("x\\x00y")
    ('a|b', '', 'yes', 'xy')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list | set | frozenset):
        return "|".join(_flat(v) for v in value)
    if isinstance(value, str):
        return _XML_INVALID.sub("", value)
    return value


def _export_graph(g: nx.MultiDiGraph, fmt: str) -> nx.MultiDiGraph:
    pos = layout(g, seed=SEED)
    tax = taxonomy()
    h: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    h.graph.update({k: _flat(v) for k, v in g.graph.items()})
    for node in sorted(g):
        d = g.nodes[node]
        attrs = {k: _flat(v) for k, v in d.items()}
        colour = _sector_colour(d.get("sector") or "")
        x, y = pos[node]
        if fmt == "gexf":
            attrs["label"] = attrs.pop("name")
            attrs["viz"] = {"color": {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16),
                                      "b": int(colour[5:7], 16), "a": 1.0},
                            "position": {"x": x * 1000, "y": y * 1000, "z": 0.0},
                            "size": 5.0 + 2.0 * math.sqrt(g.degree(node))}
        else:
            attrs.update(x=x, y=y, colour=colour)
        h.add_node(node, **attrs)
    for i, (u, v, k, d) in enumerate(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])):
        attrs = {key: _flat(val) for key, val in d.items()}
        attrs["symmetric"] = bool(d.get("symmetric"))
        if fmt == "gexf":
            # GEXF reserves "type" (directed/undirected) and needs unique edge ids.
            attrs["tie_type"] = attrs.pop("type")
            attrs["label"] = tax.label("relationship_types", k, i18n.DEFAULT)
            attrs["id"] = str(i)
        h.add_edge(u, v, key=k, **attrs)
    return h


def export_graph(region: Region, path: str | os.PathLike[str] | IO[bytes],
                 fmt: ExportFormat) -> None:
    """Write the region's full graph (:func:`build_graph`) for other tools.

    * ``"graphml"`` — for yEd, Cytoscape, networkx; edge ids are tie types.
    * ``"gexf"`` — for Gephi, with sector colours and the workbench layout as
      ``viz`` data; the tie type is the edge attribute ``tie_type`` (GEXF
      reserves ``type``).
    * ``"json"`` — networkx node-link JSON (``nodes``, ``edges``), lists kept
      as lists and missing values as ``null``.

    GraphML and GEXF hold no lists or missing values: lists become
    ``|``-joined text, missing values ``""``, yes/no fields ``"yes"``/``"no"``
    (or ``""``), and characters XML forbids are dropped. Every node carries
    its layout position (``x``, ``y`` in [-1, 1]) and sector ``colour``.
    Paths are written atomically.

    Parameters
    ----------
    region : Region
        The region whose graph is written.
    path : str, path or binary file
        Where to write: a path (written atomically) or an open binary file.
    fmt : {"graphml", "gexf", "json"}
        The file format, as listed above.

    Raises
    ------
    WorkbenchError
        When ``fmt`` is not one of the three formats.
    """
    if fmt not in ("graphml", "gexf", "json"):
        raise WorkbenchError(f"unknown export format {fmt!r}; use 'graphml', 'gexf' or 'json'")
    g = build_graph(region)
    with _output(path) as out:
        if fmt == "json":
            pos = layout(g, seed=SEED)
            data = nx.node_link_data(g, edges="edges")
            for node in data["nodes"]:
                x, y = pos[node["id"]]
                node.update(x=x, y=y, colour=_sector_colour(node.get("sector") or ""))
            data["nodes"].sort(key=lambda d: d["id"])
            data["edges"].sort(key=lambda d: (d["source"], d["target"], d["key"]))
            out.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True,
                                 default=list).encode("utf-8") + b"\n")
        elif fmt == "graphml":
            nx.write_graphml(_export_graph(g, fmt), out, encoding="utf-8")
        else:
            nx.write_gexf(_export_graph(g, fmt), out, encoding="utf-8")
