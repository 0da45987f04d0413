"""``workbench publish``: a static, offline website of every region for reviewers.

The site reuses what ``workbench build`` wrote (each region's roadmap HTML,
PDF and DOCX and the comparison) and adds what a reader needs around it::

    SITE/index.html               the index in English (index.<lang>.html: in each
                                  other supported language, index.bg.html …)
    SITE/comparison.html          the comparison (comparison.<lang>.html likewise)
    SITE/<region>/index.html      the region in its documents' language: the
                                  documents and the interactive partner map
    SITE/<region>/roadmap-<region>.html, .pdf, .docx
    SITE/<region>/<lang>/…        the same in another language, when the build
                                  folder holds documents in ``<build>/<region>/<lang>/``

Every link is relative, so the folder works from ``file://``, from an
intranet share and from any static web server; no page fetches anything
(each carries a Content-Security-Policy that forbids it). The partner map is
the self-contained network page in a sandboxed ``srcdoc`` iframe, as in the
dashboards.

Documents missing from the build folder, or older than a file of their
region, are rendered into it first (that is the slow part: about 3 s a
region); with documents up to date, publishing the eight example regions
takes a few seconds. The site is written into a temporary folder beside
``SITE`` and moved into place at the end: a failed run leaves the previous
site whole. A folder that was not written by ``publish`` is never replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import i18n
from ..errors import RegionInvalid, UnknownFormat, WorkbenchError

#: The file that marks a folder as a site written by ``publish`` (and so replaceable).
SITE_MARK = ".workbench-site"
#: The documents every region's page links.
DOCUMENTS = ("html", "pdf", "docx")
#: The CSP of pages that show no partner map: nothing is fetched and no script runs.
STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass
class PublishReport:
    """What one ``publish`` did.

    Parameters
    ----------
    regions : list of str, optional
        The ids of the regions published, in folder order.
    rebuilt : list of str, optional
        The regions whose documents were missing or older than their data and
        were rendered first: ``<region id>`` for the region's own language,
        ``<region id>/<lang>`` for another language's sub-folder.
    failed : dict of str to str, optional
        The regions left out, by folder name, each with the loading problems
        that kept it out.
    pages : int, optional
        How many HTML pages were written (documents copied from the build
        folder are not counted).
    seconds : float, optional
        How long the whole run took, in seconds, rendering included.
    """

    regions: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0


def site_languages(chosen: Sequence[str] | None = None) -> list[str]:
    """Languages the index and the comparison are written in: ``chosen`` (default: every supported one).

    The default language (English) is always among them, first: ``index.html`` is the site's door.

    Parameters
    ----------
    chosen : sequence of str or None, optional
        Language codes (``"bg"``, ``"el"`` …); ``None`` means every supported one.

    Returns
    -------
    list of str
        English and the chosen codes, in the workbench's order of languages
        (en fr de es el bg ro et), each once.

    Raises
    ------
    UnknownFormat
        When ``chosen`` names a language the workbench does not speak.

    Examples
    --------
    >>> site_languages()[:2], len(site_languages()), site_languages(["bg", "el"])
    (['en', 'fr'], 8, ['en', 'el', 'bg'])
    """
    if chosen is None:
        return list(i18n.LANGUAGES)
    unknown = [code for code in chosen if code not in i18n.LANGUAGES]
    if unknown:
        raise UnknownFormat(f"unknown language {', '.join(unknown)}", f"use any of {', '.join(i18n.LANGUAGES)}")
    return [code for code in i18n.LANGUAGES if code == i18n.DEFAULT or code in chosen]


def page_name(stem: str, lang: str) -> str:
    """The file of a top-level page in a language: the default language (English) has the plain name.

    Parameters
    ----------
    stem : str
        The page's name without extension (``"index"``, ``"comparison"``).
    lang : str
        The page's language code.

    Returns
    -------
    str
        ``<stem>.html`` in English, ``<stem>.<lang>.html`` in any other language.

    Examples
    --------
    >>> page_name("index", "en"), page_name("comparison", "fr"), page_name("index", "el")
    ('index.html', 'comparison.fr.html', 'index.el.html')
    """
    return f"{stem}.html" if lang == i18n.DEFAULT else f"{stem}.{lang}.html"


def language_name(code: str) -> str:
    """A language's own name, for the language switches (the code itself if unknown).

    Parameters
    ----------
    code : str
        A language code such as ``"de"``.

    Returns
    -------
    str
        The language's name in that language (``"Deutsch"`` for ``"de"``), or
        ``code`` unchanged when the workbench does not speak it.

    Examples
    --------
    >>> language_name("de"), language_name("tlh")
    ('Deutsch', 'tlh')
    """
    return i18n.LANGUAGES.get(code, code)


def _words(lang: str) -> dict[str, str]:
    """The site's words (catalogue ``site``) in ``lang``, English where not yet translated."""
    return i18n.section("site", i18n.supported(lang))


def newest_source(folder: Path) -> float:
    """The latest modification time of a region folder and its files (hidden files aside).

    Documents in the build folder older than this are stale and rendered again.
    Sub-folders' contents are not looked at.

    Parameters
    ----------
    folder : Path
        A region's folder.

    Returns
    -------
    float
        The newest modification time of the folder itself and of its files
        directly inside (those whose name starts with ``.`` aside), in seconds
        since the epoch.
    """
    times = [folder.stat().st_mtime]
    times += [p.stat().st_mtime for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return max(times)


def _fresh(paths: Sequence[Path], since: float) -> bool:
    return all(p.is_file() and p.stat().st_mtime >= since for p in paths)


def _docs(folder: Path, region_id: str) -> dict[str, Path]:
    return {fmt: folder / f"roadmap-{region_id}.{fmt}" for fmt in DOCUMENTS}


def document_folders(build: Path, region_id: str, main_lang: str) -> dict[str, Path]:
    """The build folders holding a region's documents, by language: the region's own first.

    ``<build>/<region>/`` holds the documents in ``main_lang`` (what ``workbench
    build`` writes); a sub-folder named after another language code holds that
    language's (``workbench roadmap PATH --lang CODE --out <build>/<region>/CODE``).
    Such a sub-folder counts only when it holds the HTML, PDF and DOCX.

    Parameters
    ----------
    build : Path
        The build folder (where ``workbench build`` wrote the documents).
    region_id : str
        The region's id, also its sub-folder's name in ``build``.
    main_lang : str
        The language code of the region's documents (its documents' language).

    Returns
    -------
    dict of str to Path
        Language code to folder: ``main_lang`` to ``<build>/<region>`` always
        (even when it does not exist yet), then each complete language
        sub-folder in alphabetical order.
    """
    top = build / region_id
    found = {main_lang: top}
    if top.is_dir():
        for sub in sorted(p for p in top.iterdir() if p.is_dir()):
            if sub.name != main_lang and sub.name in i18n.LANGUAGES \
                    and all(p.is_file() for p in _docs(sub, region_id).values()):
                found[sub.name] = sub
    return found


def _csp_of(doc: str) -> str:
    """The Content-Security-Policy of a network page: its parent page needs the same.

    A ``srcdoc`` frame inherits its parent's policy, so the page around the
    partner map lets run exactly the map's own scripts and nothing else.
    """
    found = re.search(r'http-equiv="Content-Security-Policy"\s+content="([^"]*)"', doc)
    if found is None:  # pragma: no cover - the network page always has one
        raise WorkbenchError("the partner map page has no Content-Security-Policy")
    return " ".join(found.group(1).split())


class _Site:
    """Writes the pages of one site into a folder."""

    def __init__(self, root: Path) -> None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        from ..paths import templates_dir

        self.root = root
        self.env = Environment(loader=FileSystemLoader(templates_dir() / "site"), autoescape=True,
                               undefined=StrictUndefined, keep_trailing_newline=True)
        self.pages = 0

    def page(self, rel: str, template: str, **ctx: Any) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.env.get_template(template).render(**ctx), encoding="utf-8")
        self.pages += 1

    def copy(self, src: Path, rel: str) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)


def publish(data: Path, build: Path, site: Path, languages: Sequence[str] | None = None) -> PublishReport:
    """Write the static site of every region under ``data`` into ``site``.

    Parameters
    ----------
    data : Path
        Folder of region folders.
    build : Path
        Where ``workbench build`` wrote the documents; missing or stale ones
        are rendered into it first.
    site : Path
        The site's folder; replaced as a whole at the end.
    languages : sequence of str, optional
        The languages of the index and the comparison (:func:`site_languages`:
        English and these; default every supported language). Each region's
        own pages are in its documents' languages whatever this says.

    Returns
    -------
    PublishReport
        The regions published, those whose documents were rendered first, and
        those left out because their data has problems.
    """
    from ..build import region_folders
    from ..data import load_region
    from ..files import output_dir
    from .document import document_language

    t0 = time.perf_counter()
    site_langs = site_languages(languages)
    if not data.is_dir():
        raise WorkbenchError(f"{data} is not a folder of region folders")
    if site.exists() and (not site.is_dir() or (any(site.iterdir()) and not (site / SITE_MARK).exists())):
        raise WorkbenchError(f"{site} exists and was not written by 'workbench publish': "
                             "choose an empty or new folder")
    report = PublishReport()
    regions, sources = [], {}
    for folder in region_folders(data):
        try:
            region = load_region(folder)
        except RegionInvalid as exc:
            report.failed[folder.name] = str(exc)
            continue
        regions.append(region)
        sources[region.id] = (folder, newest_source(folder))
    if not regions:
        raise WorkbenchError(f"no valid region folder in {data}")
    folders = {r.id: document_folders(build, r.id, document_language(r)) for r in regions}
    _render_stale(regions, folders, sources, report)

    output_dir(site.resolve().parent)
    tmp = site.parent / f".{site.name}.publishing-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        out = _Site(tmp)
        _write(out, regions, folders, [sources[r.id][0] for r in regions], build, data, report, site_langs)
        (tmp / SITE_MARK).write_text("written by workbench publish\n", encoding="utf-8")
        _swap(tmp, site)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report.regions = [r.id for r in regions]
    report.pages = out.pages
    report.seconds = time.perf_counter() - t0
    return report


def _render_stale(regions: Sequence[Any], folders: dict[str, dict[str, Path]],
                  sources: dict[str, tuple[Path, float]], report: PublishReport) -> None:
    """Render, into the build folder, every region's documents that are missing or older than its data."""
    stale = [(r, lang, out) for r in regions for lang, out in folders[r.id].items()
             if not _fresh(list(_docs(out, r.id).values()), sources[r.id][1])]
    if not stale:
        return
    from tqdm import tqdm

    from .render import render_each, render_roadmap  # the notebook machinery (3 s to import) only when stale

    def one(job: tuple[Any, str, Path], shared: Any) -> None:
        region, lang, out = job
        render_roadmap(sources[region.id][0], out, (*DOCUMENTS, "md"), lang=lang, shared=shared)

    with tqdm(total=len(stale), desc="documents", unit="region") as bar:
        render_each(stale, one, done=lambda _job: bar.update())
    for region, lang, _out in stale:
        report.rebuilt.append(region.id if lang == next(iter(folders[region.id])) else f"{region.id}/{lang}")


def _write(out: _Site, regions: Sequence[Any], folders: dict[str, dict[str, Path]], paths: list[Path],
           build: Path, data: Path, report: PublishReport, languages: list[str]) -> None:
    from markupsafe import Markup

    from ..compare import assemble, region_summary, render_html, retold
    from ..network import embed_iframe, interactive_html

    # The comparison: the build's when it is newer than every region, else drawn again; one per site language.
    # Each region is analysed once; every language retells the same analysis (only the words differ).
    newest = max([data.stat().st_mtime, *(newest_source(p) for p in paths)])
    day = dt.date.today()
    summaries: list[dict[str, Any]] = []
    for lang in languages:
        built = build / "comparison.html"
        if lang == i18n.DEFAULT and _fresh([built], newest):
            out.copy(built, "comparison.html")
            continue
        if not summaries:
            summaries = [region_summary(r, i18n.DEFAULT, day) for r in regions]
        page = render_html(assemble([retold(s, lang) for s in summaries], lang, day))
        (out.root / page_name("comparison", lang)).write_text(page, encoding="utf-8")

    rows: dict[str, list[dict[str, Any]]] = {lang: [] for lang in languages}
    for region in regions:
        by_lang = folders[region.id]
        main = next(iter(by_lang))
        for lang, src in by_lang.items():
            prefix = "" if lang == main else f"{lang}/"
            up = "../" if lang == main else "../../"
            for doc in _docs(src, region.id).values():
                out.copy(doc, f"{region.id}/{prefix}{doc.name}")
            network = interactive_html(region, i18n.supported(lang))
            t = _words(lang)
            switch = [(code, language_name(code), None if code == lang else
                       (up + f"{region.id}/" + ("" if code == main else f"{code}/") + "index.html"))
                      for code in by_lang] if len(by_lang) > 1 else []
            out.page(f"{region.id}/{prefix}index.html", "region.html.j2",
                     lang=lang, t=t, csp=_csp_of(network), title=f"{region.name} · {t['roadmap']}",
                     heading=region.name, switch=switch, switch_label=t["language"],
                     back=up + page_name("index", lang if lang in languages else i18n.DEFAULT),
                     country=region.info.country, description=region.info.description or "",
                     # embed_iframe escapes the whole page into srcdoc, and the title.
                     network=Markup(embed_iframe(network, title=f"{region.name} · {t['network']}")),
                     **{fmt: f"roadmap-{region.id}.{fmt}" for fmt in DOCUMENTS})
        t = _words(main)
        line = {"name": region.name, "country": region.info.country, "lang": main, "t": t,
                "page": f"{region.id}/index.html",
                **{fmt: f"{region.id}/roadmap-{region.id}.{fmt}" for fmt in DOCUMENTS},
                "others": [(code, language_name(code), f"{region.id}/{code}/index.html")
                           for code in by_lang if code != main]}
        for lang in languages:
            rows[lang].append(line)

    for lang in languages:
        t = _words(lang)
        comparison = page_name("comparison", lang)
        failed = t["failed"].format(regions=", ".join(sorted(report.failed))) if report.failed else ""
        out.page(page_name("index", lang), "index.html.j2", lang=lang, t=t, csp=STATIC_CSP, title=t["title"],
                 heading=t["title"], switch_label=t["language"],
                 switch=[(code, language_name(code), None if code == lang else page_name("index", code))
                         for code in languages],
                 comparison=comparison, regions=rows[lang], failed=failed,
                 published=t["published"].format(date=i18n.date_text(day, lang), n=len(regions)))


def _swap(new: Path, site: Path) -> None:
    """Put ``new`` in the place of ``site`` (the old site, if any, is removed after)."""
    old = None
    if site.exists():
        old = site.parent / f".{site.name}.old-{os.getpid()}"
        os.replace(site, old)
    os.replace(new, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
