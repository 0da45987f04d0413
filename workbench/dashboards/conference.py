"""The conference comparison, for reviewers: every region side by side, read-only.

The sections are those of the comparison page (:mod:`workbench.compare`):
the radar overlay with the reference profiles, the characteristics × regions
heatmap, the network figures normalised for size, the gaps most regions
share and each region's first actions; filters by country choose the
regions shown. Nothing on this page edits anything.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

import ipywidgets as w

from .. import api, i18n
from ..data import Region
from ..errors import RegionInvalid
from .common import Dashboard, announce_ready, e, list_regions, load, preheating

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
#: Rules of the comparison page that style the page itself, not its sections.
_PAGE_ONLY = ("*", "body", "main", "h1", "nav", "footer", ".subtitle")


def scoped_css(css: str, scope: str) -> str:
    """``css`` with every selector put under ``scope``; page-level and print rules are dropped.

    The comparison page's stylesheet is reused inside the dashboard this way without
    restyling the dashboard around it.

    Parameters
    ----------
    css : str
        A plain stylesheet, one rule per line (as :data:`workbench.compare.CSS`); ``@`` rules
        (print, media) are dropped, as are rules whose selector is a page-level one.
    scope : str
        A CSS selector put before every selector kept (``".wb-compare"``).

    Returns
    -------
    str
        The kept rules, one a line.

    Examples
    --------
    >>> scoped_css("body{margin:0}\\nth,td{padding:2px}\\n@media print{body{x:y}}", ".c")
    '.c th,.c td{padding:2px}'
    """
    kept = "\n".join(line for line in css.splitlines() if not line.lstrip().startswith("@"))
    out = []
    for selectors, decls in _RULE.findall(kept):
        sels = [s.strip() for s in selectors.split(",")]
        if any(s.split(" ")[0] in _PAGE_ONLY for s in sels):
            continue
        out.append(",".join(f"{scope} {s}" for s in sels) + "{" + decls + "}")
    return "\n".join(out)


@cache
def country_name(code: str, lang: str) -> str:
    """A country's name in ``lang`` (pycountry's translations), else its code.

    Parameters
    ----------
    code : str
        An ISO 3166-1 alpha-2 country code (``"BE"``).
    lang : str
        The reader's language; where pycountry has no translation, the English name.

    Returns
    -------
    str
        The country's name, or ``code`` itself for an unknown code.

    Examples
    --------
    >>> country_name("DE", "en"), country_name("DE", "fr"), country_name("QQ", "fr")
    ('Germany', 'Allemagne', 'QQ')
    """
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    if lang == i18n.DEFAULT:
        return name
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext(country.name)
    except OSError:
        return name


_SUMMARIES: dict[tuple[str, str, str], tuple[Region, dict[str, Any]]] = {}


def summary(region: Region, lang: str, today: dt.date) -> dict[str, Any]:
    """:func:`workbench.api.comparison_summary`, computed again only when the region changed.

    Parameters
    ----------
    region : Region
        A loaded region; a new load of the same region (another object) is summarised again.
    lang : str
        The page's language.
    today : datetime.date
        The day the page is drawn (the summary's dates count from it).

    Returns
    -------
    dict
        The region's column of the comparison, as :func:`workbench.api.comparison_summary` gives it;
        the same object for the same region, language and day.
    """
    key = (region.id, lang, today.isoformat())
    hit = _SUMMARIES.get(key)
    if hit is not None and hit[0] is region:
        return hit[1]
    s = api.comparison_summary(region, lang, today)
    _SUMMARIES[key] = (region, s)
    return s


_SECTIONS: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[Region, ...], list[tuple[str, str, str]]]] = {}
#: One drawing at a time: the page's own and the background warm-up's (:func:`warm_up_languages`).
_DRAWING = threading.Lock()
#: How many drawn pages a kernel keeps (languages × country filters).
_KEEP = 64


def sections(regions: Sequence[Region], lang: str, today: dt.date) -> list[tuple[str, str, str]]:
    """:func:`workbench.api.comparison_sections` of ``regions`` in ``lang``, drawn again only when a region changed.

    Drawing the radar takes most of a second; keeping the drawn sections lets
    the page switch language, or back to a country filter, at once. At most
    64 drawings are kept; past that all are forgotten.

    Parameters
    ----------
    regions : sequence of Region
        The regions shown, in page order (those the country filter keeps).
    lang : str
        The page's language.
    today : datetime.date
        The day the page is drawn.

    Returns
    -------
    list of tuple of str
        The sections as ``(anchor, title, HTML)``, their text escaped.
    """
    key = (lang, today.isoformat(), tuple(r.id for r in regions))
    with _DRAWING:
        hit = _SECTIONS.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], regions, strict=True)):
            return hit[1]
        drawn = api.comparison_sections([summary(r, lang, today) for r in regions], lang, today)
        if len(_SECTIONS) >= _KEEP:
            _SECTIONS.clear()
        _SECTIONS[key] = (tuple(regions), drawn)
        return drawn


def warm_up_languages(regions: Sequence[Region], today: dt.date) -> None:
    """Draw the page of ``regions`` in every language in a background thread, so that a switch finds it drawn.

    Returns at once; the thread is a daemon and draws one language after another.

    Parameters
    ----------
    regions : sequence of Region
        The regions of the page as it is shown.
    today : datetime.date
        The day the page is drawn.
    """
    def run() -> None:
        for lang in i18n.LANGUAGES:
            sections(regions, lang, today)

    threading.Thread(target=run, name="workbench-conference-languages", daemon=True).start()


class Conference(Dashboard):
    """The comparison page.

    Parameters
    ----------
    params : dict of str to str or None, optional
        The page's query string, one value per name: ``lang`` picks the language (English when
        it is missing or not supported); ``region`` is ignored on this page. ``None`` reads the
        query string of the Voilà request.
    """

    kind = "conference"
    uses_region = False

    def __init__(self, params: dict[str, str] | None = None) -> None:
        self.selected: set[str] | None = None  # countries; None = all
        super().__init__(params)

    def load_all(self) -> tuple[list[Region], list[str]]:
        """Load every region the server lists, setting aside those that cannot be read.

        Returns
        -------
        regions : list of Region
            The regions loaded, in the order the server lists them.
        broken : list of str
            The names of the regions whose files are invalid; the page names them in a note
            instead of comparing them.
        """
        regions, broken = [], []
        for entry in self.regions:
            try:
                regions.append(load(entry.folder))
            except RegionInvalid:
                broken.append(entry.name)
        return regions, broken

    def body(self) -> list[w.Widget]:
        """The introduction, one checkbox per country (with its number of regions) and the comparison.

        Every region is loaded again; regions that cannot be read are named in
        a note above the filters. Ticking or unticking a country redraws the
        comparison with the regions of the countries ticked.

        Returns
        -------
        list of ipywidgets.Widget
            The children of the body box.
        """
        t = self.t
        self.all_regions, broken = self.load_all()
        countries: dict[str, int] = {}
        for r in self.all_regions:
            countries[r.info.country] = countries.get(r.info.country, 0) + 1
        self.boxes: dict[str, w.Checkbox] = {}
        for code in sorted(countries):
            box = w.Checkbox(value=self.selected is None or code in self.selected, indent=False,
                             description=f"{country_name(code, self.lang)} ({countries[code]})")
            box.layout.width = "auto"
            box.add_class("wb-country")
            box.add_class(f"wb-country-{code.lower()}")
            box.observe(self.guard(self._on_filter), "value")
            self.boxes[code] = box
        filters = w.HBox([w.HTML(f"<b>{e(t['countries'])}</b>"), *self.boxes.values()])
        filters.add_class("wb-filters")
        notes = []
        if broken:
            notes.append(t["broken_regions"].format(names=", ".join(broken)))
        self.page = w.HTML()
        self.page.add_class("wb-compare")
        self.draw()
        head = w.HTML(f"<p class='wb-intro'>{e(t['conference_intro'])}</p>"
                      + "".join(f"<div class='wb-note'>{e(n)}</div>" for n in notes))
        return [head, filters, self.page]

    def _on_filter(self, _change: dict[str, Any]) -> None:
        self.selected = {code for code, box in self.boxes.items() if box.value}
        self.draw()

    def draw(self) -> None:
        """Draw the comparison of the regions whose country is ticked, or say that none is.

        The sections come with a list of links to each of them and the
        subtitle with the number of regions and today's date; drawings are
        kept (:func:`sections`), so switching back to a filter is immediate.
        """
        t = self.t
        today = dt.date.today()
        shown = [r for r in self.all_regions if self.selected is None or r.info.country in self.selected]
        if not shown:
            self.page.value = f"<p class='wb-empty'>{e(t['no_region_selected'])}</p>"
            return
        drawn = sections(shown, self.lang, today)
        nav = "".join(f"<a href='#wb-{sid}'>{e(title)}</a>" for sid, title, _ in drawn)
        body = "".join(f"<section id='wb-{sid}'><h2>{e(title)}</h2>{html}</section>"
                       for sid, title, html in drawn)
        subtitle = i18n.text("compare.subtitle", self.lang, n=len(shown), date=i18n.date_text(today, self.lang))
        self.page.value = (
            f"<style>{scoped_css(api.comparison_css(), '.wb-compare')}</style>"
            f"<p class='subtitle'>{e(subtitle)}</p>"
            f"<nav class='wb-nav'>{nav}</nav>{body}")


def prepare() -> None:
    """Load every region and compute its column of the comparison in every language (a few ms each).

    Run by a preheated kernel before the request; skipped otherwise. Once
    the kernel is ready, the page of every region is drawn in every language
    in the background (:func:`warm_up_languages`), so that a visitor's
    language switch finds it drawn.
    """
    if not preheating():
        return
    today = dt.date.today()
    regions = []
    for entry in list_regions():
        try:
            region = load(entry.folder)
        except RegionInvalid:
            continue
        regions.append(region)
        for lang in i18n.LANGUAGES:
            summary(region, lang, today)
    announce_ready("conference")
    warm_up_languages(regions, today)


def show(params: dict[str, str] | None = None) -> None:
    """Build the page for this request and display it.

    Parameters
    ----------
    params : dict of str to str or None, optional
        The page's query string, one value per name: ``lang`` picks the language (English when
        it is missing or not supported); ``region`` is ignored on this page. ``None`` reads the
        query string of the Voilà request.
    """
    from IPython.display import display

    app = Conference(params)
    display(app.root)
    warm_up_languages(app.all_regions, dt.date.today())
