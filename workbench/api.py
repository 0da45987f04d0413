"""The workbench's public functions: what the command line, the notebooks and the dashboards call.

Each function takes paths or a loaded :class:`~workbench.data.Region`, does
one job and returns what it made; it prints nothing. Problems a user can fix
are raised as :class:`~workbench.errors.WorkbenchError` subclasses that carry
a message and a fix (:mod:`workbench.errors`); region data that does not
load raises :class:`~workbench.errors.RegionInvalid` listing every problem
as ``FILE:ROW:COLUMN``.

Heavy libraries (pandas, networkx, nbconvert, Playwright) are imported by the
function that needs them, so that importing this module stays cheap.

Where the line runs. The command line (:mod:`workbench.cli`), the dashboards
(:mod:`workbench.dashboards`) and the notebooks load, save, compute and
render only through the functions here; they never import the package's
inner modules (``data`` loading and the store, ``network``, ``maturity``,
``roadmap``, ``survey``, ``compare``, ``report``, ``build`` ...). Besides this
module they may import:

* plumbing and words: :mod:`~workbench.i18n`, :mod:`~workbench.config`,
  :mod:`~workbench.errors`, :mod:`~workbench.access`, :mod:`~workbench.paths`,
  :mod:`~workbench.files`, :mod:`~workbench.imports` (slow optional imports
  of other libraries kept out), :mod:`~workbench.taxonomy` (the vocabularies' and
  the rubric's labels), :mod:`~workbench.translations`, and the dashboards'
  own modules (widgets, escaping, the server);
* the data contract's declarations, which compute nothing: the records of
  :mod:`workbench.data.model` (``Region``, ``Agency``, ``SurveyRow`` ...), the
  field checks and limits the forms share with the loader
  (``check_length``, ``check_id``, ``check_round``, ``check_since``,
  ``contact_warning``, ``TEXT_MAX`` ... of :mod:`workbench.data.schema`), and
  the change log's record (``Change``, ``ABSENT``, ``LOG_NAME``,
  ``record_label`` of :mod:`workbench.data.store`);
* any type at all under ``if TYPE_CHECKING:``, for annotations only.

A store (:func:`open_store`) is the way to save: its edit methods take
``base=`` and return the region as saved. ``tests/test_style.py`` reads the
imports of the command line, every dashboard module and every notebook and
fails on anything past this line.

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

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .errors import NoWorkspace, RegionNotFound, UnknownFormat, WorkbenchError

if TYPE_CHECKING:
    from openpyxl import Workbook

    from .build import BuildReport
    from .data import Agency, Change, Region, RegionStore
    from .data.model import SurveyRow
    from .roadmap.document import Roadmap
    from .roadmap.gaps import Gap
    from .roadmap.publish import PublishReport
    from .survey import Collected, Merge
    from .survey.workbook import Returned

__all__ = [
    "DOCUMENT_FORMATS", "NETWORK_FORMATS", "language", "formats", "find_region", "data_folder", "example_regions",
    "open_region", "analyse", "new_region", "import_workbook", "export_workbook", "template_workbook",
    "write_network", "roadmap", "compare", "build", "publish", "survey_make", "survey_collect", "init",
    "read_region", "check_region_id", "open_store", "replay_changes",
    "network_figures", "network_picture", "lay_out", "warm_up_layouts", "network_view", "embed_view",
    "assess", "maturity_table", "round_change", "characteristics", "indicators", "reference_profile",
    "radar_png", "radar_svg",
    "evidence_band", "gaps", "checks", "basis_label",
    "roadmap_plan", "comparison_summary", "comparison_sections", "comparison_css",
    "unconfirmed_ties", "survey_respondents", "survey_roster", "survey_columns", "survey_words", "survey_file_name",
    "survey_book", "survey_workbook", "survey_read", "survey_read_files", "survey_save", "survey_round",
    "survey_rounds", "survey_merge", "survey_apply", "survey_report",
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


# -- what the dashboards call: regions and saving ------------------------------------------------

def read_region(path: str | Path, cache: bool = False) -> Region:
    """Load and validate exactly the folder or workbook ``path`` (no lookup of a bare region id).

    Parameters
    ----------
    path : str or pathlib.Path
        A region folder or ``.xlsx`` workbook.
    cache : bool, optional
        Read the region from :mod:`workbench.cache` when its files have not changed (and keep it
        there); the dashboards do, a check such as ``workbench validate`` does not.

    Returns
    -------
    Region
        The region, every table checked against the data contract.

    Raises
    ------
    RegionInvalid
        When the region does not load, with every problem found.

    Examples
    --------
    >>> read_region(example_regions()[0]).id
    'be-hainaut'
    """
    from .data import load_region

    return load_region(path, cache=cache)


def check_region_id(region_id: str) -> str:
    """``region_id`` if it is a safe region id (it names a folder), else :class:`~workbench.errors.InvalidRegionId`.

    Parameters
    ----------
    region_id : str
        A region id as typed, or a folder's name.

    Returns
    -------
    str
        ``region_id`` unchanged.

    Raises
    ------
    InvalidRegionId
        When it is not 2–40 lower-case letters, digits or ``-``.

    Examples
    --------
    >>> check_region_id("be-hainaut")
    'be-hainaut'
    >>> check_region_id("../etc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.InvalidRegionId: ...
    """
    from .data import check_region_id as check

    return check(region_id)


def open_store(folder: str | Path, editor: str = "unknown", account: str | None = None) -> RegionStore:
    """The store that saves edits to region ``folder``: atomic, locked, logged, refusing stale edits.

    Every edit method of the store (``add_agency``, ``edit_agency``, ``save_action``,
    ``set_answers``, ``undo``, ...) re-reads the region under its lock and returns the region as
    saved. An edit given ``base=`` (the record as the editor read it, or
    :data:`~workbench.data.store.ABSENT` for a new one) is refused with
    :class:`~workbench.errors.EditConflict` when someone else changed the same fields since.

    Parameters
    ----------
    folder : str or pathlib.Path
        The region folder.
    editor : str, optional
        The editor's role (never a person's name), written to the change log.
    account : str or None, optional
        The login account, logged beside the role; ``None`` on a laptop.

    Returns
    -------
    RegionStore
        The store; it holds no lock until an edit runs.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "be-hainaut"
    >>> _ = shutil.copytree(example_regions()[0], folder)
    >>> store = open_store(folder, editor="coordinator")
    >>> store.set_info(name="Hainaut (test)").name
    'Hainaut (test)'
    >>> store.history()[-1].editor
    'coordinator'
    >>> shutil.rmtree(folder.parent)
    """
    from .data import RegionStore

    return RegionStore(folder, editor=editor, account=account)


def replay_changes(region: Region, changes: Sequence[Change]) -> Region | None:
    """``region`` with the rows of logged ``changes`` applied, as the store saved them; ``None``: read the files.

    Parameters
    ----------
    region : Region
        The region as a page shows it.
    changes : sequence of Change
        Entries of the region's change log made since, oldest first.

    Returns
    -------
    Region or None
        The region with every change's rows applied; ``None`` when a change (an import) does not say
        which rows it wrote, and the files must be read again.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> replay_changes(region, []) == region
    True
    """
    from .data.store import replay

    return replay(region, changes)


# -- what the dashboards call: network, maturity, gaps ---------------------------------------------

def network_figures(region: Region, top: int = 10) -> dict[str, Any]:
    """The partner network's figures: size, density, reciprocity, brokers, isolates, cut agencies, pathways ...

    Parameters
    ----------
    region : Region
        A loaded region.
    top : int, optional
        How many single points of failure and critical ties to list, worst first.

    Returns
    -------
    dict
        The network section of :func:`analyse` (keys and formulas in
        :func:`workbench.network.analyse_network`), a fresh copy each time.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> figures = network_figures(region, top=3)
    >>> 0 < figures["agencies"] <= len(region.agencies), 0 <= figures["density"] <= 1
    (True, True)
    >>> set(figures["brokers"]) <= {a.id for a in region.agencies}
    True
    """
    from .network import analyse_network

    return analyse_network(region, top=top)


def network_picture(region: Region, fmt: str = "png", lang: str = i18n.DEFAULT) -> bytes:
    """The static map of the partner network as PNG or SVG bytes (what ``workbench network`` writes).

    Parameters
    ----------
    region : Region
        A loaded region.
    fmt : {"png", "svg"}, optional
        The picture's format.
    lang : str, optional
        The language of the legend.

    Returns
    -------
    bytes
        The picture.

    Raises
    ------
    UnknownFormat
        When ``fmt`` is neither ``png`` nor ``svg``.

    Examples
    --------
    >>> network_picture(open_region(example_regions()[0]))[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    import io

    from .network import static_image

    chosen = formats(fmt, ("png", "svg"))
    if len(chosen) != 1:
        raise UnknownFormat(f"one picture format, not {fmt}", "give png or svg")
    buf = io.BytesIO()
    static_image(region, buf, "svg" if chosen[0] == "svg" else "png", lang=lang)
    return buf.getvalue()


def lay_out(region: Region) -> dict[Any, tuple[float, float]]:
    """The positions of the region's map (seeded, so the same region always looks the same; cached on disk).

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    dict
        Each agency id mapped to its ``(x, y)`` position.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> set(lay_out(region)) == {a.id for a in region.agencies}
    True
    """
    from .network.graph import build_graph
    from .network.layout import layout

    return layout(build_graph(region))


def warm_up_layouts() -> None:
    """Import the map layout's optimiser now, so that the first map drawn after a save does not wait for it.

    Examples
    --------
    >>> warm_up_layouts()
    """
    from .network.layout import warm_up

    warm_up()


def network_view(region: Region, lang: str = i18n.DEFAULT, height: int = 640,
                 unconfirmed: frozenset[tuple[str, str, str]] = frozenset()) -> str:
    """The interactive map of the partner network, a whole HTML page (every user text escaped).

    Parameters
    ----------
    region : Region
        A loaded region.
    lang : str, optional
        The language of the page's words.
    height : int, optional
        The map's height in pixels.
    unconfirmed : frozenset of tuple of str, optional
        The ``(source, target, type)`` ties drawn dashed (:func:`unconfirmed_ties`).

    Returns
    -------
    str
        The page; show it with :func:`embed_view`.

    Examples
    --------
    >>> page = network_view(open_region(example_regions()[0]), "fr", height=400)
    >>> page.lstrip().lower().startswith("<!doctype html>") or page.lstrip().lower().startswith("<html")
    True
    """
    from .network.views import interactive_html

    return interactive_html(region, lang, height, unconfirmed=unconfirmed)


def embed_view(html_doc: str, height: int = 640, title: str = "") -> str:
    """An ``<iframe>`` (sandboxed, the page escaped into ``srcdoc``) showing the page ``html_doc``.

    Parameters
    ----------
    html_doc : str
        A whole page, such as :func:`network_view`'s.
    height : int, optional
        The frame's height in pixels.
    title : str, optional
        The frame's title, for screen readers.

    Returns
    -------
    str
        The ``<iframe>`` element.

    Examples
    --------
    >>> embed_view("<p>a & b</p>", 100, "Map")[:8]
    '<iframe '
    >>> 'srcdoc="&lt;p&gt;a &amp; b&lt;/p&gt;"' in embed_view("<p>a & b</p>", 100, "Map")
    True
    """
    from .network.views import embed_iframe

    return embed_iframe(html_doc, height, title)


def assess(region: Region, round_: str | None = None, lang: str = i18n.DEFAULT) -> dict[str, dict[str, Any]]:
    """The maturity of each characteristic: level, confidence and the network's evidence.

    Parameters
    ----------
    region : Region
        A loaded region.
    round_ : str or None, optional
        The assessment round; ``None`` takes the latest.
    lang : str, optional
        The language of the evidence statements.

    Returns
    -------
    dict of str to dict
        For each of :func:`characteristics`: its ``level`` (``None`` when unanswered), confidence,
        evidence and conflicts (see :func:`workbench.maturity.assess_region`).

    Examples
    --------
    >>> result = assess(open_region(example_regions()[0]))
    >>> sorted(result) == list(characteristics())
    True
    """
    from .maturity import assess_region

    return assess_region(region, round_, lang)


def maturity_table(result: dict[str, dict[str, Any]], lang: str = i18n.DEFAULT, region: str | None = None) -> str:
    """:func:`assess`'s result as the plain-text table ``workbench assess`` prints.

    Parameters
    ----------
    result : dict of str to dict
        What :func:`assess` returned.
    lang : str, optional
        The table's language.
    region : str or None, optional
        The heading's region name.

    Returns
    -------
    str
        The table, one line per characteristic.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> "C1" in maturity_table(assess(region), "en", region.name)
    True
    """
    from .maturity import format_table

    return format_table(result, lang, region=region)


def round_change(region: Region, old: str, new: str) -> dict[str, Any]:
    """What changed in the maturity assessment between two rounds.

    Parameters
    ----------
    region : Region
        A loaded region.
    old, new : str
        Two of its assessment rounds.

    Returns
    -------
    dict
        ``characteristics`` (old level, new level, change), ``moved`` (indicators whose answer
        changed) and ``new_disagreements`` (see :func:`workbench.maturity.rounds.compare_rounds`).

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> sorted(round_change(region, *region.rounds[:2])["characteristics"])
    ['C1', 'C2', 'C3', 'C4', 'C5']
    """
    from .maturity.rounds import compare_rounds

    return compare_rounds(region, old, new)


def characteristics() -> tuple[str, ...]:
    """The ids of the five maturity characteristics, in the rubric's order.

    Returns
    -------
    tuple of str
        ``C1`` to ``C5``.

    Examples
    --------
    >>> characteristics()
    ('C1', 'C2', 'C3', 'C4', 'C5')
    """
    from .maturity.scoring import CHARACTERISTICS

    return CHARACTERISTICS


def indicators(characteristic: str) -> list[str]:
    """The ids of one characteristic's indicators, in the rubric's order.

    Parameters
    ----------
    characteristic : str
        One of :func:`characteristics`.

    Returns
    -------
    list of str
        Its indicator ids.

    Examples
    --------
    >>> all(i.startswith("C1") for i in indicators("C1"))
    True
    """
    from .maturity.scoring import indicators_of

    return indicators_of(characteristic)


def reference_profile(lang: str = i18n.DEFAULT, reference: str | None = None) -> dict[str, Any] | None:
    """A documented reference network's maturity profile (default: the one the roadmap compares with).

    Parameters
    ----------
    lang : str, optional
        The language of the profile's name and notes.
    reference : str or None, optional
        The reference's id; ``None`` takes the roadmap's default.

    Returns
    -------
    dict or None
        The profile (its ``levels`` by characteristic, name, source); ``None`` when there is no
        reference of that id.

    Examples
    --------
    >>> sorted(reference_profile()["levels"])
    ['C1', 'C2', 'C3', 'C4', 'C5']
    >>> reference_profile(reference="nowhere") is None
    True
    """
    from .maturity.reference import reference_profiles
    from .roadmap.document import DEFAULT_REFERENCE

    return reference_profiles(lang).get(DEFAULT_REFERENCE if reference is None else reference)


def radar_png(series: Mapping[str, Mapping[str, int | None]], lang: str = i18n.DEFAULT,
              title: str | None = None) -> bytes:
    """The maturity radar as PNG bytes (the same bytes for the same input).

    Parameters
    ----------
    series : mapping of str to mapping
        Each outline's name mapped to its level by characteristic (``None``: not assessed).
    lang : str, optional
        The language of the axis labels, legend and default title.
    title : str or None, optional
        The chart's title; ``None`` uses the default title in ``lang``.

    Returns
    -------
    bytes
        The PNG image.

    Examples
    --------
    >>> radar_png({"now": {"C1": 2, "C2": 1}}, "en")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    from .maturity.charts import radar_png as draw

    return draw(series, lang, title)


def radar_svg(series: Mapping[str, Mapping[str, int | None]], lang: str = i18n.DEFAULT,
              title: str | None = None, radius: int = 130) -> str:
    """The maturity radar as an inline SVG (every label escaped).

    Parameters
    ----------
    series : mapping of str to mapping
        Each outline's name mapped to its level by characteristic (``None``: not assessed).
    lang : str, optional
        The language of the axis labels.
    title : str or None, optional
        The chart's title.
    radius : int, optional
        The radar's radius in pixels.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> radar_svg({"now": {"C1": 2, "C2": 1}}, "en", radius=60).startswith("<svg")
    True
    """
    from .maturity.charts import radar_svg as draw

    return draw(series, lang, title=title, radius=radius)


def evidence_band(band: Any) -> str:
    """The levels the network's evidence supports, as text (``"2"``, ``"1–3"``; empty for none).

    Parameters
    ----------
    band : sequence of int or None
        ``(low, high)`` from :func:`assess`'s evidence, or ``None``.

    Returns
    -------
    str
        The band as text.

    Examples
    --------
    >>> evidence_band((1, 3)), evidence_band((2, 2)), evidence_band(None)
    ('1–3', '2', '')
    """
    from .roadmap.content import evidence_band as band_text

    return band_text(band)


def gaps(region: Region, lang: str = i18n.DEFAULT) -> list[Gap]:
    """The gaps of the catalogue that the region shows, worded in ``lang``.

    Parameters
    ----------
    region : Region
        A loaded region.
    lang : str, optional
        The language of the gaps' titles and evidence.

    Returns
    -------
    list of Gap
        Each gap with its id, title, severity, basis and evidence.

    Examples
    --------
    >>> found = gaps(open_region(example_regions()[0]), "en")
    >>> all(g.id.startswith("G") for g in found) and len(found) > 0
    True
    """
    from .roadmap.gaps import detect_gaps

    return detect_gaps(region, lang)


def checks(region: Region, lang: str = i18n.DEFAULT) -> list[dict[str, Any]]:
    """Questions for the working group where a gap rule's signal is not recorded, by gap id.

    Parameters
    ----------
    region : Region
        A loaded region.
    lang : str, optional
        The questions' language.

    Returns
    -------
    list of dict
        Each with the gap's ``id`` and the ``question`` to ask.

    Examples
    --------
    >>> found = checks(open_region(example_regions()[0]), "en")
    >>> [c["id"] for c in found] == sorted(c["id"] for c in found)
    True
    """
    from .roadmap.gaps import detect_checks

    return detect_checks(region, lang)


def basis_label(basis: str, lang: str = i18n.DEFAULT) -> str:
    """What shows a gap (``evidence``, ``answers`` or ``both``), in words.

    Parameters
    ----------
    basis : str
        A gap's basis.
    lang : str, optional
        The language.

    Returns
    -------
    str
        The words.

    Examples
    --------
    >>> basis_label("evidence", "en") != basis_label("evidence", "fr")
    True
    """
    from .roadmap.gaps import basis_label as label

    return label(basis, lang)


# -- what the dashboards call: roadmap and comparison ----------------------------------------------

def roadmap_plan(region: Region, lang: str | None = None) -> Roadmap:
    """The roadmap of a loaded region as the documents show it: gaps, maturity, action plan.

    Parameters
    ----------
    region : Region
        A loaded region.
    lang : str or None, optional
        The roadmap's language; ``None`` takes the region's where supported.

    Returns
    -------
    Roadmap
        The roadmap (see :class:`workbench.roadmap.document.Roadmap`).

    Examples
    --------
    >>> plan = roadmap_plan(open_region(example_regions()[0]), "en")
    >>> plan.lang, plan.region.id
    ('en', 'be-hainaut')
    """
    from .roadmap.document import build_roadmap

    return build_roadmap(region, lang)


def comparison_summary(region: Region, lang: str = i18n.DEFAULT, today: dt.date | None = None) -> dict[str, Any]:
    """One region's column of the cross-region comparison.

    Parameters
    ----------
    region : Region
        A loaded region.
    lang : str, optional
        The language of its words.
    today : datetime.date or None, optional
        The date actions are judged against (overdue); ``None`` is today.

    Returns
    -------
    dict
        The region's figures, maturity, gaps and plan as the comparison shows them.

    Examples
    --------
    >>> comparison_summary(open_region(example_regions()[0]), "en")["id"]
    'be-hainaut'
    """
    from .compare import region_summary

    return region_summary(region, lang, today)


def comparison_sections(summaries: Sequence[dict[str, Any]], lang: str, today: dt.date) -> list[tuple[str, str, str]]:
    """The comparison page's sections for regions' :func:`comparison_summary` (all text escaped).

    Parameters
    ----------
    summaries : sequence of dict
        The regions' summaries, in column order.
    lang : str
        The page's language (one the comparison does not speak falls back to English).
    today : datetime.date
        The page's date.

    Returns
    -------
    list of tuple of str
        ``(id, heading, html)`` for each section.

    Examples
    --------
    >>> import datetime
    >>> today = datetime.date(2026, 1, 1)
    >>> found = comparison_sections([comparison_summary(open_region(p), "en", today)
    ...                              for p in example_regions()[:2]], "en", today)
    >>> len(found) > 2 and all(len(s) == 3 for s in found)
    True
    """
    from .compare import assemble, page_language, page_sections

    return page_sections(assemble(summaries, page_language(lang), today))


def comparison_css() -> str:
    """The comparison's stylesheet (one rule per line), as the page and the dashboard use it.

    Returns
    -------
    str
        The CSS.

    Examples
    --------
    >>> "{" in comparison_css()
    True
    """
    from .compare import CSS

    return CSS


# -- what the dashboards call: the partner survey ----------------------------------------------------

def unconfirmed_ties(region: Region) -> frozenset[tuple[str, str, str]]:
    """The ``(source, target, type)`` ties the latest survey round does not confirm; empty without a survey.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    frozenset of tuple of str
        The ties' keys.

    Examples
    --------
    >>> unconfirmed_ties(open_region(example_regions()[0]))
    frozenset()
    """
    from .survey import unconfirmed_relationships

    return unconfirmed_relationships(region)


def survey_respondents(region: Region) -> list[Agency]:
    """The agencies asked to answer the partner survey: every active organisation or unit that is not a forum.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    list of Agency
        The agencies, in file order.

    Examples
    --------
    >>> asked = survey_respondents(open_region(example_regions()[0]))
    >>> len(asked) > 0 and all(a.status == "active" and not a.is_forum for a in asked)
    True
    """
    from .survey import respondents

    return respondents(region)


def survey_roster(region: Region, agency_id: str) -> list[Agency]:
    """The partners listed in ``agency_id``'s survey workbook, one row each.

    Parameters
    ----------
    region : Region
        A loaded region.
    agency_id : str
        The organisation answering.

    Returns
    -------
    list of Agency
        Its partners, as its workbook lists them.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> me = survey_respondents(region)[0].id
    >>> me in {a.id for a in survey_roster(region, me)}
    False
    """
    from .survey.workbook import roster

    return roster(region, agency_id)


def survey_columns() -> tuple[str, ...]:
    """The columns of a survey workbook's ``ties`` sheet, in order (the partner first, then the answers).

    Returns
    -------
    tuple of str
        The column names.

    Examples
    --------
    >>> survey_columns()[:3]
    ('partner', 'partner_name', 'direction')
    """
    from .survey.workbook import TIES_HEADER

    return TIES_HEADER


def survey_words(lang: str) -> dict[str, str]:
    """The survey workbook's words in ``lang`` (its instructions and the answers' scales).

    Parameters
    ----------
    lang : str
        A language code.

    Returns
    -------
    dict of str to str
        The texts by key.

    Examples
    --------
    >>> "direction" in survey_words("en")
    True
    """
    from .survey.workbook import texts

    return texts(lang)


def survey_file_name(agency_id: str) -> str:
    """The file name of ``agency_id``'s survey workbook.

    Parameters
    ----------
    agency_id : str
        An organisation's id.

    Returns
    -------
    str
        ``<agency-id>.xlsx``.

    Examples
    --------
    >>> survey_file_name("pse-hainaut")
    'pse-hainaut.xlsx'
    """
    from .survey.workbook import survey_file_name as name

    return name(agency_id)


def survey_book(region: Region, agency: Agency, lang: str = i18n.DEFAULT) -> Workbook:
    """``agency``'s survey workbook as an open ``openpyxl`` workbook (as ``survey make`` writes it).

    Parameters
    ----------
    region : Region
        A loaded region.
    agency : Agency
        The organisation asked.
    lang : str, optional
        The workbook's language.

    Returns
    -------
    openpyxl.Workbook
        The workbook, with its ``about`` and ``ties`` sheets.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> "ties" in survey_book(region, survey_respondents(region)[0]).sheetnames
    True
    """
    from .survey import build_survey_workbook

    return build_survey_workbook(region, agency, lang)


def survey_workbook(region: Region, agency: Agency, lang: str = i18n.DEFAULT) -> bytes:
    """``agency``'s survey workbook as the bytes of an ``.xlsx`` file.

    Parameters
    ----------
    region : Region
        A loaded region.
    agency : Agency
        The organisation asked.
    lang : str, optional
        The workbook's language.

    Returns
    -------
    bytes
        The ``.xlsx`` file.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> survey_workbook(region, survey_respondents(region)[0], "fr")[:2]
    b'PK'
    """
    from .survey.workbook import survey_workbook_bytes

    return survey_workbook_bytes(region, agency, lang)


def survey_read(data: bytes, name: str, region: Region, round_: str) -> Returned:
    """Read one returned survey workbook: its answers as survey rows, and every problem found.

    Parameters
    ----------
    data : bytes
        The ``.xlsx`` file.
    name : str
        Its file name (problems name it).
    region : Region
        The region surveyed.
    round_ : str
        The round the answers belong to.

    Returns
    -------
    Returned
        The respondent, its rows and problems.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> me = survey_respondents(region)[0]
    >>> got = survey_read(survey_workbook(region, me), survey_file_name(me.id), region, "2026-01")
    >>> got.agency == me.id
    True
    """
    from .survey import read_survey_workbook

    return read_survey_workbook(data, name, region, round_)


def survey_read_files(region: Region, files: dict[str, bytes], round_: str) -> Collected:
    """Read several returned survey workbooks; those with errors are left out and their problems kept.

    Parameters
    ----------
    region : Region
        The region surveyed.
    files : dict of str to bytes
        The workbooks by file name.
    round_ : str
        The round the answers belong to.

    Returns
    -------
    Collected
        The workbooks read, their problems and the rows that count.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> survey_read_files(region, {"x.xlsx": b"not a workbook"}, "2026-01").rows
    ()
    """
    from .survey import collect_files

    return collect_files(region, files, round_)


def survey_save(store: RegionStore, round_: str, rows: tuple[SurveyRow, ...], how: str = "") -> Region:
    """Save one round's answers into ``survey.csv`` through ``store``; other organisations' answers stay.

    Parameters
    ----------
    store : RegionStore
        The region's store (:func:`open_store`).
    round_ : str
        The round.
    rows : tuple of SurveyRow
        The answers of the organisations that answered now.
    how : str, optional
        How they came (``upload``, ``form``), for the change log.

    Returns
    -------
    Region
        The region as saved.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from workbench.data.model import SurveyRow
    >>> folder = Path(tempfile.mkdtemp()) / "be-hainaut"
    >>> _ = shutil.copytree(example_regions()[0], folder)
    >>> me = survey_respondents(open_region(folder))[0].id
    >>> len(survey_save(open_store(folder), "2026-01", (SurveyRow("2026-01", me),), "form").survey)
    1
    >>> shutil.rmtree(folder.parent)
    """
    from .survey import save_answers

    return save_answers(store, round_, rows, how)


def survey_round(region: Region) -> str:
    """The round new answers go into: the region's latest survey round, else this year and month (``2026-03``).

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    str
        The round's label.

    Examples
    --------
    >>> import re
    >>> bool(re.fullmatch(r"\\d{4}-\\d{2}.*", survey_round(open_region(example_regions()[0]))))
    True
    """
    from .survey import current_round

    return current_round(region)


def survey_rounds(region: Region) -> list[str]:
    """The survey rounds the region's ``survey.csv`` holds, oldest first.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    list of str
        The rounds' labels; empty without a survey.

    Examples
    --------
    >>> survey_rounds(open_region(example_regions()[0]))
    []
    """
    from .survey.merge import rounds

    return rounds(region)


def survey_merge(region: Region, rows: tuple[SurveyRow, ...] | None = None, round_: str | None = None) -> Merge:
    """A survey round set beside the region's ties: confirmed, one-sided, unconfirmed, contradicted, unreported.

    Parameters
    ----------
    region : Region
        A loaded region.
    rows : tuple of SurveyRow or None, optional
        The round's answers; ``None`` takes them from the region's ``survey.csv``.
    round_ : str or None, optional
        The round; ``None`` takes the latest.

    Returns
    -------
    Merge
        The merge (see :class:`workbench.survey.Merge`).

    Examples
    --------
    >>> survey_merge(open_region(example_regions()[0])).answered
    ()
    """
    from .survey import merge_round

    return merge_round(region, rows, round_)


def survey_apply(store: RegionStore, merge: Merge, rows: tuple[SurveyRow, ...]) -> list[tuple[str, str, str]]:
    """Add to the region the ties a merged round reports and the region lacks; existing rows never change.

    Parameters
    ----------
    store : RegionStore
        The region's store (:func:`open_store`).
    merge : Merge
        The round's :func:`survey_merge`.
    rows : tuple of SurveyRow
        The round's answers.

    Returns
    -------
    list of tuple of str
        The ``(source, target, type)`` keys added.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "be-hainaut"
    >>> _ = shutil.copytree(example_regions()[0], folder)
    >>> region = open_region(folder)
    >>> survey_apply(open_store(folder), survey_merge(region, (), "2026-01"), ())
    []
    >>> shutil.rmtree(folder.parent)
    """
    from .survey.collect import apply_round

    return apply_round(store, merge, rows)


def survey_report(region: Region, merge: Merge, problems: list[str] | None = None,
                  added: list[tuple[str, str, str]] | None = None) -> str:
    """The merge of a survey round as the plain-text report ``survey collect`` prints.

    Parameters
    ----------
    region : Region
        The region surveyed.
    merge : Merge
        The round's :func:`survey_merge`.
    problems : list of str or None, optional
        The problems of the workbooks left out.
    added : list of tuple of str or None, optional
        The ties added (``--apply``); ``None`` when not applied.

    Returns
    -------
    str
        The report, ending in a newline.

    Examples
    --------
    >>> region = open_region(example_regions()[0])
    >>> survey_report(region, survey_merge(region, (), "2026-01")).endswith("\\n")
    True
    """
    from .survey import merge_text

    return merge_text(region, merge, problems, added)
