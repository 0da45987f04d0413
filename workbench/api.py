"""The workbench's public functions: what the command line, the notebooks and the dashboards call.

Each function takes paths or a loaded :class:`~workbench.data.Region`, does
one job and returns what it made; it prints nothing. Problems a user can fix
are raised as :class:`~workbench.errors.WorkbenchError` subclasses that carry
a message and a fix (:mod:`workbench.errors`); region data that does not
load raises :class:`~workbench.errors.RegionInvalid` listing every problem
as ``FILE:ROW:COLUMN``.

Heavy libraries (pandas, networkx, nbconvert, Playwright) are imported by the
function that needs them, so that importing this module stays cheap.

Examples
--------
>>> from workbench import api
>>> region = api.open_region(api.example_regions()[0])
>>> result = api.analyse(region)
>>> sorted(result)[:4]
['checks', 'gaps', 'maturity', 'network']
>>> api.language("xx")
Traceback (most recent call last):
...
workbench.errors.UnknownFormat: unknown language 'xx' (fix: use one of en, fr, de, es, el, bg, ro, et)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .errors import NoWorkspace, RegionNotFound, UnknownFormat, WorkbenchError

if TYPE_CHECKING:
    from .build import BuildReport
    from .data import Region
    from .roadmap.publish import PublishReport
    from .survey import Collected, Merge

__all__ = [
    "DOCUMENT_FORMATS", "NETWORK_FORMATS", "language", "formats", "find_region", "data_folder", "example_regions",
    "open_region", "analyse", "new_region", "import_workbook", "export_workbook", "template_workbook",
    "write_network", "roadmap", "compare", "build", "publish", "survey_make", "survey_collect", "init",
]

#: The roadmap's document formats.
DOCUMENT_FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "md")
#: The partner network's export formats.
NETWORK_FORMATS: tuple[str, ...] = ("html", "png", "svg", "graphml", "gexf", "json")


# -- choices ---------------------------------------------------------------------------

def language(lang: str | None, fallback: str | None = None) -> str:
    """The language ``lang`` (refused if unsupported), else ``fallback`` if supported, else English.

    Parameters
    ----------
    lang : str or None
        A language code asked for by the user (``--lang``), or ``None``.
    fallback : str or None, optional
        Used when ``lang`` is ``None``: typically the region's own language,
        which may be one the workbench does not speak (then English).

    Returns
    -------
    str
        A supported language code.

    Raises
    ------
    UnknownFormat
        When ``lang`` is given and not supported.

    Examples
    --------
    >>> language("fr"), language(None, "bg"), language(None, "nl")
    ('fr', 'bg', 'en')
    """
    from .i18n import DEFAULT, LANGUAGES

    if lang is not None:
        if lang not in LANGUAGES:
            raise UnknownFormat(f"unknown language {lang!r}", f"use one of {', '.join(LANGUAGES)}")
        return lang
    return fallback if fallback in LANGUAGES else DEFAULT


def formats(value: str | Iterable[str], allowed: Sequence[str] = DOCUMENT_FORMATS) -> tuple[str, ...]:
    """Parse a comma-separated list of formats (or a list) and check each against ``allowed``.

    Parameters
    ----------
    value : str or iterable of str
        ``"html,pdf"`` as typed after ``--format`` (case and spaces do not matter), or a list of formats.
    allowed : sequence of str, optional
        The formats accepted: :data:`DOCUMENT_FORMATS` (the roadmap's) or :data:`NETWORK_FORMATS`.

    Returns
    -------
    tuple of str
        The formats, lower-case, in the order given.

    Raises
    ------
    UnknownFormat
        When a format is not allowed, or none is given.

    Examples
    --------
    >>> formats("HTML, md")
    ('html', 'md')
    >>> formats("odt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.UnknownFormat: unknown format odt (fix: give --format a comma-separated list of html, pdf, ...)
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    chosen = tuple(f.strip().lower() for f in items if f.strip())
    bad = [f for f in chosen if f not in allowed]
    if bad or not chosen:
        raise UnknownFormat(f"unknown format {', '.join(bad) or '(none given)'}",
                            f"give --format a comma-separated list of {', '.join(allowed)}")
    return chosen


# -- where regions are -------------------------------------------------------------------

def find_region(path: str | Path) -> Path:
    """``path`` if it is a region folder or workbook; a bare region id is looked up in the data folder.

    Parameters
    ----------
    path : str or pathlib.Path
        A path to a region folder or ``.xlsx`` workbook, or a region id (``be-hainaut``) of the
        workspace's data folder (:func:`workbench.config.data_dir`).

    Returns
    -------
    pathlib.Path
        ``path`` when it exists, else the region's folder in the data folder. It is not loaded
        or checked.

    Raises
    ------
    RegionNotFound
        When neither exists.

    Examples
    --------
    >>> find_region(example_regions()[0]) == example_regions()[0]
    True
    >>> find_region("no-such-region")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.RegionNotFound: no region folder or workbook at no-such-region (fix: ...)
    """
    from .config import data_dir

    path = Path(path)
    if path.exists():
        return path
    if len(path.parts) == 1 and (data_dir() / path.name).is_dir():
        return data_dir() / path.name
    raise RegionNotFound(f"no region folder or workbook at {path}",
                         "give the path of a region folder (e.g. data/partners/be-hainaut) or a .xlsx workbook; "
                         "'workbench new-region' creates one")


def data_folder(data: str | Path | None = None) -> Path:
    """The folder of region folders to read: ``data``, else the workspace's (:func:`workbench.config.data_dir`).

    Parameters
    ----------
    data : str or pathlib.Path or None, optional
        The folder given with ``--data``; ``None`` takes ``WORKBENCH_DATA`` or the ``data/partners``
        of the workspace the command runs in (or above it).

    Returns
    -------
    pathlib.Path
        An existing folder (as given, not made absolute).

    Raises
    ------
    NoWorkspace
        When the folder does not exist.
    """
    from .config import data_dir

    folder = Path(data) if data is not None else data_dir()
    if not folder.is_dir():
        if data is not None:
            raise NoWorkspace(f"{folder} is not a folder", "give a folder of region folders with --data")
        raise NoWorkspace(f"no data/partners folder here ({Path.cwd()}) or above",
                          "run 'workbench init DIR' and work inside DIR, or give --data DIR")
    return folder


def example_regions() -> list[Path]:
    """The folders of the illustrative example regions shipped with the workbench.

    Returns
    -------
    list of pathlib.Path
        The example region folders inside the installed package, in id order. They are
        invented, for trying the workbench; do not edit them in place (``workbench init --examples``
        copies them into a workspace).

    Examples
    --------
    >>> all((p / "region.toml").is_file() for p in example_regions())
    True
    """
    from .paths import examples_dir

    return sorted(p for p in examples_dir().iterdir() if (p / "region.toml").is_file())


def open_region(path: str | Path | Region) -> Region:
    """Load and validate a region folder or ``.xlsx`` workbook (a :class:`Region` is returned as it is).

    Parameters
    ----------
    path : str or pathlib.Path or Region
        A region folder or workbook, a region id of the workspace, or a loaded region.

    Returns
    -------
    Region
        The region, every table checked against the data contract.

    Raises
    ------
    RegionNotFound
        When ``path`` names no folder, workbook or region id of the workspace.
    RegionInvalid
        When the region does not load, with every problem found.
    """
    from .data import Region, load_region

    if isinstance(path, Region):
        return path
    return load_region(find_region(path))


# -- analysis ------------------------------------------------------------------------------

def analyse(region: str | Path | Region) -> dict[str, Any]:
    """The region's analysis as one JSON-ready dict (what ``workbench analyse --json`` prints).

    Parameters
    ----------
    region : str or pathlib.Path or Region
        A region folder or ``.xlsx`` workbook, a bare region id looked up in the workspace's
        data folder, or a region already loaded.

    Returns
    -------
    dict
        Keys ``region``, ``network``, ``maturity``, ``gaps`` and, when the region has
        partner-survey rows, ``survey`` (see :mod:`workbench.report`); words in English.

    Raises
    ------
    RegionNotFound
        When ``region`` names no folder, workbook or region id of the workspace.
    RegionInvalid
        When the region does not load, with every problem found.
    """
    from .report import analyse_region

    return analyse_region(open_region(region))


# -- region folders and workbooks ------------------------------------------------------------

def init(folder: str | Path, examples: bool = False, lang: str | None = None) -> list[str]:
    """Create a working group's workspace in ``folder`` (its README in ``lang``, default English).

    Parameters
    ----------
    folder : str or pathlib.Path
        A new or empty folder.
    examples : bool, optional
        Also copy the shipped example regions into the workspace.
    lang : str or None, optional
        Language of the workspace's README; ``None`` writes it in English.

    Returns
    -------
    list of str
        The ids of the example regions copied (empty without ``examples``).

    Raises
    ------
    UnknownFormat
        When ``lang`` is not a supported language.
    OutputNotWritable
        When ``folder`` is not empty or cannot be written.
    """
    from .workspace import init_workspace

    return init_workspace(Path(folder), examples=examples, lang=language(lang))


def new_region(region_id: str, name: str, country: str, language: str = i18n.DEFAULT,
               data: str | Path | None = None, editor: str = "unknown") -> Path:
    """Create an empty region folder in ``data`` (default: the workspace's ``data/partners``); return it.

    Parameters
    ----------
    region_id : str
        The region's id and folder name: 2–40 lower-case letters, digits or ``-``, by custom the
        country code first (``be-hainaut``).
    name : str
        The region's name as the documents show it.
    country : str
        The ISO 3166-1 alpha-2 code of its country (``BE``).
    language : str, optional
        The working group's language code, the default of its documents and dashboards.
    data : str or pathlib.Path or None, optional
        The folder of region folders; ``None`` takes the workspace's.
    editor : str, optional
        Who creates it (a role or organisation, never a person's name), recorded in the change log.

    Returns
    -------
    pathlib.Path
        The new region folder, holding ``region.toml``, ``agencies.csv`` and ``relationships.csv``
        (header rows only).

    Raises
    ------
    InvalidRegionId
        When ``region_id`` is not a safe id.
    EditConflict
        When the folder already exists and is not empty.
    """
    from .config import data_dir
    from .data import RegionInfo, check_region_id, create_region

    check_region_id(region_id)
    folder = Path(data if data is not None else data_dir()) / region_id
    create_region(folder, RegionInfo(id=region_id, name=name, country=country, language=language), editor)
    return folder


def import_workbook(workbook: str | Path, out: str | Path | None = None, force: bool = False,
                    editor: str = "import") -> Path:
    """Turn a region workbook into a region folder under ``out`` (or ``out`` itself); return the folder.

    Nothing is written when the workbook is invalid
    (:class:`~workbench.errors.RegionInvalid`) or when the folder exists and
    ``force`` is not given.

    Parameters
    ----------
    workbook : str or pathlib.Path
        A filled-in region workbook (``<region-id>.xlsx``, from :func:`export_workbook` or
        :func:`template_workbook`).
    out : str or pathlib.Path or None, optional
        The folder of region folders to write into, or the region's own folder (named by its id);
        ``None`` takes the workspace's data folder.
    force : bool, optional
        Replace the files of a region folder that already exists.
    editor : str, optional
        Who imports it (a role or organisation), recorded in the change log.

    Returns
    -------
    pathlib.Path
        The region folder written (atomically, with a change-log entry).

    Raises
    ------
    RegionInvalid
        When the workbook does not load, with every problem found.
    WorkbenchError
        When the region folder exists and ``force`` is not given.
    """
    from .config import data_dir
    from .data.store import write_region
    from .data.workbook import read_workbook
    from .data.write import region_files

    workbook = Path(workbook)
    region = read_workbook(workbook)
    base = Path(out) if out is not None else data_dir()
    folder = base if base.name == region.id else base / region.id
    if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")) and not force:
        raise WorkbenchError(f"{folder} already exists", "add --force to replace its files")
    write_region(folder, region_files(region), editor, f"import {workbook.name}")
    return folder


def export_workbook(region: str | Path | Region, out: str | Path, lang: str | None = None) -> Path:
    """Write a region as a guided ``.xlsx`` workbook; ``out`` is the file or a folder. Return the file.

    Parameters
    ----------
    region : str or pathlib.Path or Region
        A region folder or ``.xlsx`` workbook, a bare region id looked up in the workspace's
        data folder, or a region already loaded.
    out : str or pathlib.Path
        The workbook's path, which must be ``<region-id>.xlsx``, or a folder to write it into.
    lang : str or None, optional
        Language of the workbook's guidance; ``None`` takes the region's language where supported.

    Returns
    -------
    pathlib.Path
        The workbook written (atomically, replacing an older one).

    Raises
    ------
    RegionNotFound
        When ``region`` names no folder, workbook or region id of the workspace.
    RegionInvalid
        When the region does not load, with every problem found.
    WorkbenchError
        When ``out`` names an ``.xlsx`` file other than ``<region-id>.xlsx``.
    UnknownFormat
        When ``lang`` is not a supported language.
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from .data.workbook import workbook_bytes
    from .files import atomic_write, output_dir

    r = open_region(region)
    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        target = target / f"{r.id}.xlsx"
    if target.stem != r.id:
        raise WorkbenchError(f"the workbook must be named {r.id}.xlsx",
                             "keep the region id as the file name: on import it must equal the region id")
    chosen = language(lang, r.info.language)
    output_dir(target.parent)
    atomic_write(target, workbook_bytes(r, chosen))
    return target


def template_workbook(out: str | Path, lang: str | None = None) -> Path:
    """Write a blank, guided workbook for a working group to fill in; return the file.

    Parameters
    ----------
    out : str or pathlib.Path
        The workbook's path; rename it ``<region-id>.xlsx`` before importing it.
    lang : str or None, optional
        Language of the workbook's guidance; ``None`` writes English.

    Returns
    -------
    pathlib.Path
        ``out``, written.

    Raises
    ------
    UnknownFormat
        When ``lang`` is not a supported language.
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from .data.workbook import workbook_bytes
    from .files import atomic_write, output_dir

    target = Path(out)
    chosen = language(lang)
    output_dir(target.parent)
    atomic_write(target, workbook_bytes(None, chosen))
    return target


# -- outputs ----------------------------------------------------------------------------------

def write_network(region: str | Path | Region, out: str | Path, formats_: str | Iterable[str] = NETWORK_FORMATS,
                  lang: str | None = None) -> list[Path]:
    """Write the partner network as ``network-<id>.<fmt>`` files into ``out``; return them.

    Parameters
    ----------
    region : str or pathlib.Path or Region
        A region folder or ``.xlsx`` workbook, a bare region id looked up in the workspace's
        data folder, or a region already loaded.
    out : str or pathlib.Path
        The output folder, created if needed; files there of the same name are replaced.
    formats_ : str or iterable of str, optional
        Any of :data:`NETWORK_FORMATS`, as a list or ``"html,png"``: ``html`` is the interactive
        view (ties the latest survey round does not confirm are dashed), ``png``/``svg`` the static
        map, ``graphml``/``gexf`` (Gephi)/``json`` the graph.
    lang : str or None, optional
        Language of the view's and map's words; ``None`` takes the region's where supported.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats_``.

    Raises
    ------
    RegionNotFound
        When ``region`` names no folder, workbook or region id of the workspace.
    RegionInvalid
        When the region does not load, with every problem found.
    UnknownFormat
        When a format or ``lang`` is not supported.
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    import io

    from .files import atomic_write, output_dir
    from .network import export_graph, interactive_html, static_image

    chosen = formats(formats_, NETWORK_FORMATS)
    r = open_region(region)
    words = language(lang, r.info.language)
    folder = output_dir(Path(out))
    written = []
    for fmt in chosen:
        target = folder / f"network-{r.id}.{fmt}"
        if fmt == "html":
            from .survey import unconfirmed_relationships
            data = interactive_html(r, words, unconfirmed=unconfirmed_relationships(r)).encode("utf-8")
        else:
            buf = io.BytesIO()
            if fmt in ("png", "svg"):
                static_image(r, buf, fmt=fmt, lang=words)  # type: ignore[arg-type]  # checked by formats()
            else:
                export_graph(r, buf, fmt)  # type: ignore[arg-type]  # checked by formats()
            data = buf.getvalue()
        atomic_write(target, data)
        written.append(target)
    return written


def roadmap(region: str | Path, out: str | Path, formats_: str | Iterable[str] = DOCUMENT_FORMATS,
            lang: str | None = None, reference: str | None = None) -> dict[str, Path]:
    """Write a region's roadmap documents into ``out``; return the files by format.

    Parameters
    ----------
    region : str or pathlib.Path
        A region folder or workbook (or a region id in the workspace).
    out : str or pathlib.Path
        The output folder, created if needed.
    formats_ : str or iterable of str, optional
        Any of ``html``, ``pdf``, ``docx``, ``md``, as a list or ``"html,pdf"``. A PDF needs the
        system Chromium.
    lang : str or None, optional
        The documents' language (default: the region's where supported).
    reference : str or None, optional
        The id of the reference profile to compare against
        (:func:`workbench.maturity.reference_profiles`; default: the HAIP network).

    Returns
    -------
    dict of str to pathlib.Path
        Each format mapped to the document written.

    Raises
    ------
    RegionNotFound
        When ``region`` names no folder, workbook or region id of the workspace.
    RegionInvalid
        When the region does not load, with every problem found.
    UnknownFormat
        When a format or ``lang`` is not supported.
    ChromiumMissing
        When a PDF is asked for and Chromium is not installed (before anything is written).
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from .roadmap.render import render_roadmap

    chosen = formats(formats_)
    return render_roadmap(find_region(region), Path(out), chosen, lang=None if lang is None else language(lang),
                          reference=reference)


def compare(regions: Iterable[str | Path], out: str | Path, lang: str | None = None) -> Path:
    """Write the cross-region comparison page (``comparison.html``) into ``out``; return it.

    Parameters
    ----------
    regions : iterable of str or pathlib.Path
        Region folders, workbooks or region ids of the workspace, in the page's column order.
    out : str or pathlib.Path
        The output folder, created if needed.
    lang : str or None, optional
        The page's language; ``None`` writes English.

    Returns
    -------
    pathlib.Path
        ``out/comparison.html``, a single self-contained page.

    Raises
    ------
    RegionNotFound
        When a region is neither a folder, a workbook nor a region id of the workspace.
    RegionInvalid
        When a region does not load.
    UnknownFormat
        When ``lang`` is not supported.
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from .compare import write_comparison

    return write_comparison([find_region(p) for p in regions], Path(out), language(lang))


def build(data: str | Path | None, out: str | Path, formats_: str | Iterable[str] = DOCUMENT_FORMATS,
          lang: str | None = None) -> BuildReport:
    """Every region's roadmap documents plus the comparison; a broken region is reported, not fatal.

    Parameters
    ----------
    data : str or pathlib.Path or None
        The folder of region folders; ``None`` takes the workspace's.
    out : str or pathlib.Path
        The output folder: each region's documents go to ``out/<region-id>/``, the comparison
        to ``out/comparison.html``.
    formats_ : str or iterable of str, optional
        The roadmap formats, any of :data:`DOCUMENT_FORMATS`.
    lang : str or None, optional
        One language for every region's documents and the comparison; ``None`` writes each
        region's documents in its own language (else English) and the comparison in English.

    Returns
    -------
    BuildReport
        The regions built, those that failed and why, and the time taken.

    Raises
    ------
    NoWorkspace
        When the data folder does not exist.
    UnknownFormat
        When a format or ``lang`` is not supported.
    ChromiumMissing
        When a PDF is asked for and Chromium is not installed (before any region is built).
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from .build import build_all

    chosen = formats(formats_)
    return build_all(data_folder(data), Path(out), chosen, None if lang is None else language(lang))


def publish(data: str | Path | None, build_dir: str | Path, out: str | Path,
            languages: str | Iterable[str] | None = None) -> PublishReport:
    """Write the static, offline site of every region (documents missing or stale are rendered first).

    Parameters
    ----------
    data : str or pathlib.Path or None
        The folder of region folders; ``None`` takes the workspace's.
    build_dir : str or pathlib.Path
        Where :func:`build` wrote the documents; missing or stale ones are rendered first.
    out : str or pathlib.Path
        The site's folder, written in full.
    languages : str or iterable of str or None, optional
        The languages of the index and the comparison besides English (a list or a
        comma-separated string); ``None`` takes every supported language.

    Returns
    -------
    PublishReport
        The regions published, those rebuilt or failed, the number of pages and the time taken.

    Raises
    ------
    NoWorkspace
        When the data folder does not exist.
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from .roadmap.publish import publish as write_site

    if isinstance(languages, str):
        languages = [language(code.strip()) for code in languages.split(",") if code.strip()]
    return write_site(data_folder(data), Path(build_dir), Path(out), None if languages is None else list(languages))


# -- partner survey ---------------------------------------------------------------------------

def survey_make(region: str | Path | Region, out: str | Path, lang: str | None = None) -> list[Path]:
    """Write one survey workbook per active organisation into ``out``; return the files.

    Parameters
    ----------
    region : str or pathlib.Path or Region
        A region folder or ``.xlsx`` workbook, a bare region id looked up in the workspace's
        data folder, or a region already loaded.
    out : str or pathlib.Path
        The output folder, created if needed.
    lang : str or None, optional
        The workbooks' language; ``None`` takes the region's where supported.

    Returns
    -------
    list of pathlib.Path
        One workbook per active organisation of the region, each written atomically.

    Raises
    ------
    RegionNotFound
        When ``region`` names no folder, workbook or region id of the workspace.
    RegionInvalid
        When the region does not load, with every problem found.
    UnknownFormat
        When ``lang`` is not supported.
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from .survey import write_all

    r = open_region(region)
    return write_all(r, Path(out), language(lang, r.info.language))


def survey_collect(region: str | Path, returned: str | Path, round_: str | None = None, apply: bool = False,
                   editor: str = "survey") -> tuple[Collected, Merge, list[tuple[str, str, str]]]:
    """Read the returned survey workbooks, write ``survey.csv`` and merge; ``apply`` adds the new ties.

    Parameters
    ----------
    region : str or pathlib.Path
        A region folder (or a region id of the workspace); ``survey.csv`` is written into it.
    returned : str or pathlib.Path
        The folder holding the returned survey workbooks.
    round_ : str or None, optional
        The survey round's label; ``None`` means this year and month.
    apply : bool, optional
        Also add to ``relationships.csv`` the ties the answers report and the region lacks.
    editor : str, optional
        Who collects (a role or organisation), recorded in the change log.

    Returns
    -------
    collected : Collected
        What was read, with the problems of the workbooks left out.
    merge : Merge
        The round set beside the region's ties: each reported tie confirmed by both ends, one-sided
        or unconfirmed, the contradictions and the known ties nobody reported.
    added : list of tuple of str
        The ``(source, target, type)`` keys of the ties added; empty unless ``apply``.

    Raises
    ------
    RegionNotFound
        When ``region`` names no region folder or region id of the workspace.
    RegionInvalid
        When the region does not load.
    """
    from .survey import collect

    collected, merge, added = collect(find_region(region), Path(returned), round_, apply=apply, editor=editor)
    return collected, merge, list(added)
