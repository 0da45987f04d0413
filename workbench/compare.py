"""The cross-region comparison: levels, size-normalised network figures, shared gaps, first actions.

:func:`comparison` gathers, for every region, exactly what its roadmap shows
(:func:`~workbench.roadmap.document.build_roadmap`): the five maturity levels,
the network figures, the gaps and the ranked action plan. It returns JSON-ready
data; :func:`comparison_html` lays that out as one self-contained HTML page
(inline CSS, the radar as a base64 PNG, no script, no external address) and
:func:`write_comparison` writes it for ``workbench compare``. The page's
markup and style sheet are templates shipped in the package
(``workbench/templates/comparison.html.j2``, ``comparison_sections.html.j2``,
``comparison.css``).

Network figures are made comparable across regions of different size
(:func:`normalised_network`): raw density, arcs / (n(n−1)), falls roughly as
1/n when each agency keeps a bounded number of partners, so the page compares
the mean number of partners per agency instead, and gives every other figure
as a share or on its own 0–1 scale. Texts are in the ``compare`` translation
catalogue (:mod:`workbench.i18n`), in every supported language; numbers, shares
and the date are formatted for the page's language; every piece of user text is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import i18n
from .data import Region, load_region
from .errors import Problem, RegionInvalid, WorkbenchError
from .maturity import reference_profiles
from .network import analyse_network, organisation_graph
from .roadmap.document import CHARACTERISTICS, build_roadmap
from .roadmap.gaps import gap_text

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


class _Texts(Mapping[str, dict[str, str]]):
    """The page's words by language, read from the ``compare`` catalogue on demand."""

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
    """The ``compare`` catalogue's words in ``lang`` (read once per language)."""
    return i18n.section("compare", lang)


def texts() -> Mapping[str, dict[str, str]]:
    """The page's words (catalogue ``compare``) by language: ``texts()["el"]["title"]``.

    Returns
    -------
    Mapping of str to dict of str to str
        For each of the eight language codes, the ``compare`` catalogue's words
        by key; each language is read once, on first use.

    Examples
    --------
    >>> len(texts()), sorted(texts()) == sorted(i18n.LANGUAGES), "title" in texts()["el"]
    (8, True, True)
    """
    return _Texts()


def page_language(lang: str | None) -> str:
    """``lang`` when it is a supported language, else English.

    Parameters
    ----------
    lang : str or None
        The language asked for (a code such as ``"fr"``); ``None`` means English.

    Returns
    -------
    str
        One of the eight supported language codes.

    Examples
    --------
    >>> page_language("fr"), page_language("bg"), page_language("xx"), page_language(None)
    ('fr', 'bg', 'en', 'en')
    """
    return i18n.supported(lang)


def characteristic_name(c: str, lang: str) -> str:
    """A characteristic's name in ``lang`` (catalogue ``rubric.characteristics.<id>``).

    Parameters
    ----------
    c : str
        The characteristic's id, ``"C1"`` to ``"C5"``.
    lang : str
        The language code of the name.

    Returns
    -------
    str
        The characteristic's name, as the maturity rubric gives it.

    Examples
    --------
    >>> characteristic_name("C3", "fr")
    "Partage et usage de l'information"
    """
    return i18n.text(f"rubric.characteristics.{c}", lang)


def level_label(c: str, level: int, lang: str) -> str:
    """The descriptor of a characteristic's level in ``lang``.

    Parameters
    ----------
    c : str
        The characteristic's id, ``"C1"`` to ``"C5"``.
    level : int
        The maturity level, 0 to 4.
    lang : str
        The language code of the descriptor.

    Returns
    -------
    str
        The rubric's short label of that level for that characteristic
        (catalogue ``rubric.characteristics.<id>.levels.<level>.label``), shown
        in the heatmap's cells.

    Examples
    --------
    >>> level_label("C1", 0, "en") != level_label("C1", 4, "en")
    True
    """
    return i18n.text(f"rubric.characteristics.{c}.levels.{level}.label", lang)


def shared_threshold(n_regions: int) -> int:
    """How many regions must share a gap for the page to list it: most of them, and at least two.

    Parameters
    ----------
    n_regions : int
        How many regions the comparison holds.

    Returns
    -------
    int
        Half of ``n_regions`` rounded up, and never less than 2.

    Examples
    --------
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

    Parameters
    ----------
    region : Region
        The loaded region; its live organisations and units are the agencies
        (forums and agencies whose status is not live are not counted).

    Returns
    -------
    dict of str to int, float or None
        ``agencies`` (n), ``arcs`` (directed ties), ``ties`` (E), ``mean_degree``,
        ``largest_component_share``, ``isolate_share``, ``cut_share``,
        ``reciprocity``, ``degree_centralization``, ``feedback_share``,
        ``groups_share`` and ``density``; the shares and ratios are 0–1, ``None``
        where they cannot be computed.

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
    """The gap's title in ``lang`` from the catalogue."""
    return gap_text(gap.id, "title", lang) if i18n.has(f"gaps.{gap.id}.title") else gap.title


def region_summary(region: Region, lang: str = i18n.DEFAULT, today: dt.date | None = None) -> dict[str, Any]:
    """One region's column of the comparison (JSON-ready): levels, network, gaps, first actions.

    The region is analysed as its roadmap would be
    (:func:`~workbench.roadmap.document.build_roadmap`).

    Parameters
    ----------
    region : Region
        The loaded region.
    lang : str, optional
        The language code of the gap titles and drafted actions; an unsupported
        code means English.
    today : datetime.date or None, optional
        The date of the analysis; ``None`` means today.

    Returns
    -------
    dict
        ``id``, ``name``, ``country`` (ISO code); ``levels`` and ``confidence``
        (level 0–4 or ``None``, and its confidence label, per characteristic
        ``C1`` to ``C5``); ``network`` (:func:`normalised_network`); ``gaps``
        (each ``id``, ``title``, ``severity``, ``characteristics``); and
        ``top_actions``, the first :data:`TOP_ACTIONS` open items of the action
        plan (not done, dropped or covered), each with ``id``, ``title``,
        ``gap``, ``status``, ``source`` (``"agreed"`` or ``"draft"``),
        ``owner`` (agency id or ``None``), ``owner_name`` and ``priority``
        (``None`` for an agreed action).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(Agency("p", "Police A", "police", "organisation"),))
    >>> s = region_summary(r, "fr", dt.date(2026, 12, 3))
    >>> s["id"], s["network"]["agencies"], len(s["top_actions"]) <= TOP_ACTIONS, sorted(s["levels"])[0]
    ('xx-a', 1, True, 'C1')
    """
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


def retold(summary: dict[str, Any], lang: str) -> dict[str, Any]:
    """A :func:`region_summary` with its words in ``lang``: gap titles and the workbench's draft actions.

    Everything else in a summary is numbers, ids or the region's own text, so a
    site in several languages analyses each region once and retells it.
    An agreed action keeps its coordinator's words; a gap or draft the
    catalogue does not know keeps its title.

    Parameters
    ----------
    summary : dict
        A region's :func:`region_summary` (at least its ``gaps`` and ``top_actions``).
    lang : str
        The language code to retell it in; an unsupported code means English.

    Returns
    -------
    dict
        A new summary with the retold ``gaps`` and ``top_actions``; the one
        given is not changed.

    Examples
    --------
    >>> s = {"gaps": [{"id": "G01", "title": "x"}], "top_actions": [
    ...     {"gap": "G01", "source": "draft", "title": "y"}, {"gap": "G01", "source": "agreed", "title": "Ours"}]}
    >>> r = retold(s, "fr")
    >>> r["gaps"][0]["title"], r["top_actions"][0]["title"][:20], r["top_actions"][1]["title"]
    ("Orientations sans retour vers l'envoyeur", "Convenir d'un messag", 'Ours')
    """
    lang = page_language(lang)
    draft = "gaps.{}.actions.1.text"
    return {**summary,
            "gaps": [{**g, "title": gap_text(g["id"], "title", lang)} if i18n.has(f"gaps.{g['id']}.title") else g
                     for g in summary["gaps"]],
            "top_actions": [{**a, "title": i18n.text(draft.format(a["gap"]), lang)}
                            if a["source"] == "draft" and a.get("gap") and i18n.has(draft.format(a["gap"])) else a
                            for a in summary["top_actions"]]}


def shared_gaps(summaries: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Gaps by the number of regions they are found in.

    A gap listed twice in one region counts once; its title is the one of the
    first region it is found in.

    Parameters
    ----------
    summaries : sequence of dict
        The regions' :func:`region_summary` (at least ``id`` and ``gaps``).

    Returns
    -------
    shared : list of dict
        The gaps found in at least :func:`shared_threshold` regions (most
        widely shared first, then by id), each with ``id``, ``title``,
        ``count``, ``regions`` (ids, in the order given) and ``severity``
        (by region id).
    counts : dict of str to int
        The number of regions each gap is found in, for every gap found
        anywhere, by gap id in id order.

    Examples
    --------
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


def comparison(regions: Sequence[Region], lang: str = i18n.DEFAULT,
               today: dt.date | None = None) -> dict[str, Any]:
    """The cross-region comparison as JSON-ready data.

    Keys: ``lang``, ``date`` (ISO), ``characteristics``, ``regions`` (one
    :func:`region_summary` each, in the order given), ``references`` (the
    reference profiles' names and levels), ``shared_threshold``,
    ``shared_gaps`` and ``gap_counts`` (:func:`shared_gaps`).

    Parameters
    ----------
    regions : sequence of Region
        The loaded regions, in the order of the page's columns.
    lang : str, optional
        The page's language code; an unsupported code means English.
    today : datetime.date or None, optional
        The comparison's date; ``None`` means today.

    Returns
    -------
    dict
        The data described above, ready for :func:`render_html` or ``json.dumps``.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> a = Region(RegionInfo("xx-a", "A", "BE"), agencies=(Agency("p", "Police A", "police", "organisation"),))
    >>> b = Region(RegionInfo("xx-b", "B", "FR"), agencies=(Agency("p", "Police B", "police", "organisation"),))
    >>> data = comparison([a, b], "de", dt.date(2026, 12, 3))
    >>> data["lang"], data["date"], [r["id"] for r in data["regions"]], data["shared_threshold"]
    ('de', '2026-12-03', ['xx-a', 'xx-b'], 2)
    """
    lang = page_language(lang)
    today = today or dt.date.today()
    return assemble([region_summary(r, lang, today) for r in regions], lang, today)


def assemble(summaries: Sequence[dict[str, Any]], lang: str, today: dt.date) -> dict[str, Any]:
    """:func:`comparison` data from regions' :func:`region_summary` (for callers that cache them).

    Parameters
    ----------
    summaries : sequence of dict
        The regions' :func:`region_summary`, already in ``lang`` (see :func:`retold`),
        in the order of the page's columns.
    lang : str
        The page's language code (a supported one): the reference profiles'
        names are given in it.
    today : datetime.date
        The comparison's date.

    Returns
    -------
    dict
        The same keys as :func:`comparison`.
    """
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

    Parameters
    ----------
    series : sequence of dict of str to int or None
        Each outline's level (0 to 4, or ``None``) by characteristic id; a
        missing characteristic counts as ``None``.
    step : float, optional
        The distance, in levels, between outlines that share a level.

    Returns
    -------
    list of list of float
        For each series, its radius on each axis ``C1`` to ``C5`` (0 to 4, or ``nan``).

    Examples
    --------
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

    Parameters
    ----------
    data : dict
        :func:`comparison` data (``lang``, ``regions``, ``references``); the
        axis names and the legend are in its language.

    Returns
    -------
    bytes
        A PNG image, the radar on the left, the legend (each region's name and
        country, its characteristics without a level) on the right.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    lang = data["lang"]
    t = texts()[lang]
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
        label = c + "\n" + "\n".join(textwrap.wrap(characteristic_name(c, lang), 16))
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

def _escape(value: object) -> Markup:
    """Every ``{{ }}`` value of the page's templates, escaped as :func:`html.escape` does (``None`` as nothing)."""
    if isinstance(value, Markup):
        return value
    return Markup(escape("" if value is None else str(value), quote=True))


@cache
def _templates() -> Environment:
    """The page's templates (``workbench/templates/comparison*.html.j2``), every value escaped."""
    env = Environment(loader=PackageLoader("workbench", "templates"), autoescape=True, finalize=_escape,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals.update(
        CHARACTERISTICS=CHARACTERISTICS, LEVEL_COLOURS=LEVEL_COLOURS, LEVEL_INK=LEVEL_INK,
        NETWORK_COLUMNS=NETWORK_COLUMNS, REGION_COLOURS=REGION_COLOURS, fmt=_fmt, rare_gaps=_rare_gaps,
        round=round, characteristic_name=characteristic_name, level_label=level_label, number=i18n.number_text,
    )
    return env


#: The page's style sheet (``workbench/templates/comparison.css``); the dashboards scope it to their section.
CSS = resources.files("workbench").joinpath("templates", "comparison.css").read_text(encoding="utf-8")


def _fmt(value: float | int | None, kind: str, t: dict[str, str], lang: str = i18n.DEFAULT) -> str:
    """A figure of the network table, written for ``lang``.

    >>> t = {"not_applicable": "n/a"}
    >>> _fmt(0.5, "share", t, "fr"), _fmt(2.25, "degree", t, "de"), _fmt(0.125, "ratio", t), _fmt(None, "count", t)
    ('50\xa0%', '2,2', '0.12', 'n/a')
    """
    if value is None:
        return t["not_applicable"]
    if kind == "count":
        return i18n.number_text(value, lang, 0)
    if kind == "share":
        return i18n.percent_text(value, lang)
    return i18n.number_text(value, lang, 1 if kind == "degree" else 2)


def _rare_gaps(data: dict[str, Any]) -> list[str]:
    """``"G07 (1)"`` for each gap found in fewer regions than the shared threshold."""
    return [f"{gid} ({count})" for gid, count in data["gap_counts"].items() if count < data["shared_threshold"]]


def page_sections(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The page's sections as ``(anchor, title, HTML)``: levels (radar and heatmap), network, gaps, actions.

    The dashboards show these same sections; all text in them is escaped.
    Their markup is ``workbench/templates/comparison_sections.html.j2``.

    Parameters
    ----------
    data : dict
        :func:`comparison` data; the titles and texts are in its language.

    Returns
    -------
    list of tuple of (str, str, str)
        Four sections, in page order: ``levels``, ``network``, ``gaps``,
        ``actions``; each anchor with its title and its HTML fragment.
    """
    t = texts()[data["lang"]]
    png = base64.b64encode(radar_png(data)).decode("ascii")
    macros: Any = _templates().get_template("comparison_sections.html.j2").module  # the template's macros
    return [("levels", t["levels"], str(macros.levels(data, t, png))),
            ("network", t["network"], str(macros.network(data, t))),
            ("gaps", t["gaps"], str(macros.gaps(data, t))),
            ("actions", t["actions"], str(macros.actions(data, t)))]


def render_html(data: dict[str, Any]) -> str:
    """Lay out :func:`comparison` data as one self-contained HTML page (no script, no external address).

    The page is ``workbench/templates/comparison.html.j2`` with :data:`CSS` inline.

    Parameters
    ----------
    data : dict
        :func:`comparison` (or :func:`assemble`) data; the page is in its language.

    Returns
    -------
    str
        The whole HTML document, ``<html lang>`` set to the data's language.
    """
    lang = data["lang"]
    return _templates().get_template("comparison.html.j2").render(
        lang=lang, t=texts()[lang], css=CSS, sections=page_sections(data), n_regions=len(data["regions"]),
        date=i18n.date_text(dt.date.fromisoformat(data["date"]), lang))


def comparison_html(regions: Sequence[Region], lang: str = i18n.DEFAULT, today: dt.date | None = None) -> str:
    """The cross-region comparison as one self-contained HTML page.

    The page holds the radar overlay (a base64 PNG), the characteristics ×
    regions heatmap, the size-normalised network table, the gaps most regions
    share and each region's first three open actions. It has no script and
    no external address; every region, agency and action text is escaped.
    The same regions and ``today`` give the same page.

    Parameters
    ----------
    regions : sequence of Region
        The loaded regions, in the order of the page's columns.
    lang : str, optional
        The page's language code; an unsupported code means English.
    today : datetime.date or None, optional
        The date printed on the page; ``None`` means today.

    Returns
    -------
    str
        The whole HTML document.
    """
    return render_html(comparison(regions, lang, today))


def write_comparison(paths: Iterable[str | Path], out_dir: str | Path, lang: str = i18n.DEFAULT,
                     today: dt.date | None = None) -> Path:
    """Load the regions at ``paths`` and write ``out_dir/comparison.html`` atomically.

    Parameters
    ----------
    paths : iterable of str or Path
        The regions to compare, each a region folder or a workbook, in the
        order of the page's columns.
    out_dir : str or Path
        The output folder; created with its parents if needed.
    lang : str, optional
        The page's language code; an unsupported code means English.
    today : datetime.date or None, optional
        The date printed on the page; ``None`` means today.

    Returns
    -------
    Path
        The written page, ``out_dir/comparison.html``.

    Raises
    ------
    RegionInvalid
        With the problems of every region that fails to load (or is given
        twice); nothing is written then.
    WorkbenchError
        When no path is given.
    OutputNotWritable
        When ``out_dir`` cannot be created or written.
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
