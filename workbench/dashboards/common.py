"""What every dashboard shares: texts, the request, the region list, escaping, the header.

Untrusted input, and how it is handled here:

* the query string (``?region=…&lang=…``) is read only after
  :func:`wait_for_request` (a preheated kernel runs the notebook
  before anyone asks for it) and checked against the list of region folders
  and :data:`~workbench.i18n.LANGUAGES`; anything else is refused and
  the visitor sees the first region instead, with a note;
* everything a user typed (names, notes, roles, titles) and every file value
  goes through :func:`e` (``html.escape``) or :func:`table` before it reaches
  an ``ipywidgets.HTML``, which renders raw HTML;
* ``WORKBENCH_READ_ONLY`` (set by ``workbench serve --read-only``) is checked
  in the kernel before every write (:meth:`Dashboard.store`), not only by
  disabling buttons, since a browser can send any widget message it likes.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
import tomllib
import traceback
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
from markupsafe import Markup, escape

from .. import access, api, i18n
from ..config import SETTINGS, data_dir
from ..config import value as setting
from ..errors import InvalidRegionId, RegionInvalid, WorkbenchError
from ..i18n import LANGUAGES
from ..taxonomy import taxonomy
from .form_button import FormButton, attach_form

if TYPE_CHECKING:  # types for annotations; loading and saving go through api
    from ..data import Region, RegionStore

#: Environment variable that switches every edit off (``workbench serve --read-only``).
READ_ONLY_ENV = SETTINGS["read_only"].env
#: The dashboards, in the landing page's order (notebook ``notebooks/<name>.ipynb``).
DASHBOARDS = ("workshop", "roadmap", "conference")
#: Gaps are listed most severe first (the workshop's side panel, the roadmap).
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
#: Width of the labels in front of form fields.
LABEL_WIDTH = "150px"


class ReadOnly(WorkbenchError):
    """An edit was attempted on a read-only server, or on a region this account may only read.

    Raised by :meth:`Dashboard.store`; :meth:`Dashboard.guard` turns it into
    the page's "read-only" message.

    Parameters
    ----------
    message : str
        What was refused (for the server's log; the page shows its own words).
    fix : str or None
        What the user can do about it; ``None`` when there is nothing to suggest.
    """


def texts(lang: str) -> dict[str, str]:
    """The dashboards' own words (the ``ui`` catalogue) in ``lang``, English where it has none.

    Parameters
    ----------
    lang : str
        A language code; an unsupported one gives English.

    Returns
    -------
    dict of str to str
        Every ``ui.*`` key without its prefix, mapped to its words.

    Examples
    --------
    >>> texts("fr")["save"], texts("xx")["save"]
    ('Enregistrer', 'Save')
    """
    return _texts(lang)


@functools.cache
def _texts(lang: str) -> dict[str, str]:
    # Read once per language: pages ask for their words on every keystroke's check and every redraw,
    # and gathering the section from the catalogue took longer than the check itself.
    return i18n.section("ui", lang)


def language_options() -> list[tuple[str, str]]:
    """The language switch's options: every language in its own name, with its code.

    Returns
    -------
    list of (str, str)
        ``(name, code)`` pairs in the order of :data:`~workbench.i18n.LANGUAGES`, the name written in
        the language itself, as ``ipywidgets`` selection widgets take them.

    Examples
    --------
    >>> [code for _, code in language_options()] == list(LANGUAGES)
    True
    >>> language_options()[4]
    ('Ελληνικά', 'el')
    """
    return [(name, code) for code, name in LANGUAGES.items()]


def preheating() -> bool:
    """Whether this kernel is being preheated (it runs before any visitor asked for the page).

    Returns
    -------
    bool
        ``True`` when Voilà set ``VOILA_PREHEAT`` to ``True`` for this kernel: the query string is not
        known yet, and :func:`wait_for_request` must be called before reading it.
    """
    return os.environ.get("VOILA_PREHEAT") == "True"


def wait_for_request() -> None:
    """In a preheated kernel, pause until a visitor's request arrives; then ``QUERY_STRING`` holds it.

    The exchange of ``voila.utils.wait_for_request``: the kernel opens
    Voilà's ``voila/query/<kernel id>`` websocket, and the server sends the
    visitor's request variables there as one JSON object. Done here with
    the websockets client Voilà itself uses, because importing
    ``voila.utils`` loads Jupyter Server and costs a kernel 1.6 s of CPU,
    which a visitor pays whenever the pool is empty (Voilà then hands over
    the kernel it is refilling the pool with). A kernel started for a
    visitor already has the variables and returns at once.
    """
    if not preheating():
        return
    from websockets.sync.client import connect

    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL") or "/"
    url = (f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{os.environ.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{os.environ.get('VOILA_APP_PORT', '8866')}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}")
    try:
        with connect(url, open_timeout=5, max_size=2**20) as ws:
            message = ws.recv()
    except (OSError, TimeoutError) as exc:  # as Voilà does: the page then shows without its query string
        print(f"could not read the request from {url}: {exc}", file=sys.__stderr__, flush=True)
        return
    for key, value in json.loads(message).items():
        if isinstance(key, str) and isinstance(value, str):
            os.environ[key] = value


def announce_ready(dashboard: str) -> None:
    """Say in the server's log that a preheated kernel has done its homework and waits for a visitor.

    Written to the kernel process's own stderr, which is the server's (not to
    the page): ``preheated kernel ready: workshop``.

    Parameters
    ----------
    dashboard : str
        The dashboard's name, one of :data:`DASHBOARDS`.
    """
    print(f"preheated kernel ready: {dashboard}", file=sys.__stderr__, flush=True)


#: Whether this kernel has started its warm-up (:func:`warm_up_in_background` runs it once).
_WARMING = False


def warm_up_saves(folder: Path | None, layouts: bool = True) -> None:
    """Load what a first save needs and a kernel that found everything in the cache has not loaded.

    A region read from :mod:`workbench.cache` was never checked in this
    kernel, so the first save would pay for loading pandera's checks and
    pycountry's tables (about 0.35 s), and for SciPy's optimiser when the
    changed map is laid out again (about 0.6 s). The region in ``folder`` is
    checked once, and the optimiser imported, while nobody waits for them.
    Nothing to do when the server is read-only.

    Parameters
    ----------
    folder : pathlib.Path or None
        The region folder the page shows; ``None`` (no region) skips the check of a region.
    layouts : bool, optional
        Also import the map layout's optimiser (dashboards that redraw the map after a save).
    """
    if read_only():
        return
    if layouts:
        api.warm_up_layouts()
    if folder is not None:
        try:
            api.read_region(folder)  # checked, not cached
        except Exception:  # noqa: BLE001 - a broken region is reported where it is used, not here
            pass


def warm_up_in_background(folder: Path | None, layouts: bool = True) -> None:
    """:func:`warm_up_saves` in a background thread, while the kernel goes on.

    A kernel started for a visitor calls it once the page is shown; a
    preheated kernel at the end of its ``prepare()``, so that a visitor
    already waiting for it (Voilà hands a refilling kernel to the next
    visitor when the pool is empty) does not wait for the warm-up too. It
    runs once per kernel.

    Parameters
    ----------
    folder : pathlib.Path or None
        The region folder the page shows; ``None`` (no region) skips the check of a region.
    layouts : bool, optional
        Also import the map layout's optimiser (dashboards that redraw the map after a save).
    """
    global _WARMING
    if _WARMING:
        return
    _WARMING = True
    threading.Thread(target=warm_up_saves, args=(folder, layouts), name="workbench-warm-up", daemon=True).start()


def read_only() -> bool:
    """Whether this server refuses every edit.

    Returns
    -------
    bool
        The ``read_only`` setting (``workbench serve --read-only``, environment variable
        :data:`READ_ONLY_ENV`). Rights of one account on one region are :meth:`Dashboard.store`'s.
    """
    return bool(setting("read_only"))


def e(value: object) -> str:
    """``value`` as text that is safe inside HTML (``None`` → empty).

    Parameters
    ----------
    value : object
        Anything to be shown; it is turned into text with ``str``.

    Returns
    -------
    str
        The text with ``& < > " '`` escaped, ready for an ``ipywidgets.HTML``.

    Examples
    --------
    >>> e('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&#34;alert(1)&#34;&gt;'
    """
    return str(escape("" if value is None else str(value)))


def badge(text: str, kind: str) -> Markup:
    """A small coloured label, such as a gap's severity or a tie's status.

    Parameters
    ----------
    text : str
        The label's words; escaped.
    kind : str
        Its colour, one of the ``wb-<kind>`` classes in ``workbench.css`` (``high``, ``ok``,
        ``info``, ...); anything but letters, digits, ``-`` and ``_`` becomes ``info``.

    Returns
    -------
    markupsafe.Markup
        A ``<span class='wb-badge wb-<kind>'>``, safe to put in a :func:`table` cell as it is.

    Examples
    --------
    >>> str(badge("<high>", "high"))
    "<span class='wb-badge wb-high'>&lt;high&gt;</span>"
    >>> str(badge("x", "a' onclick='1"))
    "<span class='wb-badge wb-info'>x</span>"
    """
    kind = kind if kind.replace("_", "").replace("-", "").isalnum() else "info"
    return Markup(f"<span class='wb-badge wb-{kind}'>{escape(text)}</span>")


def table(head: Sequence[str], rows: Iterable[Sequence[object]], cls: str = "",
          empty: str = "") -> str:
    """An HTML table; every cell is escaped unless it is already :class:`~markupsafe.Markup`.

    Parameters
    ----------
    head : sequence of str
        The column headings; escaped.
    rows : iterable of sequence of object
        One sequence of cells per row; ``None`` cells are empty.
    cls : str, optional
        Extra CSS classes of the ``<table>``, besides ``wb-table``.
    empty : str, optional
        What to say instead of the table when there are no rows.

    Returns
    -------
    str
        The ``<table>``, or a ``<p class='wb-empty'>`` holding ``empty`` when ``rows`` is empty.

    Examples
    --------
    >>> table(["Name"], [], empty="No agencies yet")
    "<p class='wb-empty'>No agencies yet</p>"
    >>> html = table(["Name"], [["<b>x</b>"], [Markup("<i>ok</i>")]])
    >>> "<td>&lt;b&gt;x&lt;/b&gt;</td>" in html, "<td><i>ok</i></td>" in html
    (True, True)
    """
    rows = list(rows)
    if not rows:
        return f"<p class='wb-empty'>{e(empty)}</p>"
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape('' if c is None else c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table class='wb-table {e(cls)}'><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


# --- regions ------------------------------------------------------------------

@dataclass(frozen=True)
class RegionEntry:
    """A region folder as the pickers list it (read from ``region.toml`` only).

    Parameters
    ----------
    id : str
        The region id, which is the folder's name (``be-wvl``).
    name : str
        The region's name from ``region.toml``; the id when it has none.
    country : str
        Its ISO 3166 country code; empty when ``region.toml`` has none.
    language : str
        The region's language, one of :data:`~workbench.i18n.LANGUAGES` (English when it names another).
    folder : pathlib.Path
        The region folder.

    Examples
    --------
    >>> from pathlib import Path
    >>> RegionEntry("be-wvl", "West Flanders", "BE", "en", Path("be-wvl")).label
    'West Flanders (BE)'
    """

    id: str
    name: str
    country: str
    language: str
    folder: Path

    @property
    def label(self) -> str:
        """The region as the picker shows it: ``Name (country)``, or the name alone without a country.

        Returns
        -------
        str
            The label.
        """
        return f"{self.name} ({self.country})" if self.country else self.name


def list_regions(folder: Path | None = None) -> list[RegionEntry]:
    """Every region folder under ``folder`` (default :func:`~workbench.paths.data_dir`), by id.

    A folder counts when its name is a valid region id and it holds a
    ``region.toml``; the region itself is only validated when it is opened.
    Under JupyterHub only the regions the account may read are listed.

    Parameters
    ----------
    folder : pathlib.Path or None, optional
        The folder of region folders; ``None`` is the configured data folder.

    Returns
    -------
    list of RegionEntry
        Sorted by id; empty when the folder does not exist.
    """
    root = Path(folder) if folder is not None else data_dir()
    out: list[RegionEntry] = []
    if not root.is_dir():
        return out
    rights = access.current()  # under JupyterHub: only the regions the user may read are listed at all
    for p in sorted(root.iterdir()):
        if p.is_symlink() or not p.is_dir():
            continue
        try:
            api.check_region_id(p.name)
        except InvalidRegionId:
            continue
        if not rights.can_read(p.name):
            continue
        toml = p / "region.toml"
        if toml.is_symlink() or not toml.is_file():
            continue
        try:
            meta = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            meta = {}
        out.append(RegionEntry(p.name, str(meta.get("name") or p.name), str(meta.get("country") or ""),
                               i18n.supported(str(meta.get("language") or "")), p))
    return out


def query_params(query: str | None = None) -> dict[str, str]:
    """The request's query string (default ``$QUERY_STRING``), first value of each key.

    Call :func:`wait_for_request` before, in a preheated kernel.
    Values are not trusted: see :func:`choose_region` and :func:`choose_lang`.

    Parameters
    ----------
    query : str or None, optional
        A query string without its ``?``; ``None`` reads the environment variable ``QUERY_STRING``.

    Returns
    -------
    dict of str to str
        Each key with its first value; empty when the string has more than 20 fields.

    Examples
    --------
    >>> query_params("region=../etc&lang=fr&lang=en")
    {'region': '../etc', 'lang': 'fr'}
    """
    if query is None:
        query = os.environ.get("QUERY_STRING", "")
    try:
        parsed = urllib.parse.parse_qs(query, max_num_fields=20)
    except ValueError:  # more fields than any dashboard reads
        return {}
    return {k: v[0] for k, v in parsed.items() if v}


def choose_region(requested: str | None, regions: Sequence[RegionEntry]
                  ) -> tuple[RegionEntry | None, bool]:
    """The region asked for if it is in ``regions``, else the first; and whether the ask was refused.

    Parameters
    ----------
    requested : str or None
        The ``region`` of the query string, untrusted; ``None`` when none was asked for.
    regions : sequence of RegionEntry
        The regions this visitor may see (:func:`list_regions`).

    Returns
    -------
    entry : RegionEntry or None
        The region to show; ``None`` when ``regions`` is empty.
    refused : bool
        ``True`` when a region was asked for and is not in ``regions`` (the page says so).

    Examples
    --------
    >>> from pathlib import Path
    >>> regions = [RegionEntry(i, i, "", "en", Path(i)) for i in ("aa", "bb")]
    >>> [(r.id if r else None, refused) for r, refused in
    ...  (choose_region("bb", regions), choose_region("../x", regions), choose_region(None, []))]
    [('bb', False), ('aa', True), (None, False)]
    """
    by_id = {r.id: r for r in regions}
    if requested is not None and requested in by_id:
        return by_id[requested], False
    return (regions[0] if regions else None), requested is not None


def choose_lang(requested: str | None, region_language: str | None) -> tuple[str, bool]:
    """The language asked for if the dashboards speak it, else the region's, else English.

    The flag says whether it was asked for (then switching region keeps it).

    Parameters
    ----------
    requested : str or None
        The ``lang`` of the query string, untrusted; ``None`` when none was asked for.
    region_language : str or None
        The shown region's language; ``None`` when no region is shown.

    Returns
    -------
    lang : str
        A code of :data:`~workbench.i18n.LANGUAGES`.
    explicit : bool
        Whether ``lang`` is the one asked for.

    Examples
    --------
    >>> choose_lang("bg", "fr"), choose_lang("tlh", "el"), choose_lang(None, "et"), choose_lang(None, "xx")
    (('bg', True), ('el', False), ('et', False), ('en', False))
    """
    if requested is not None and requested in LANGUAGES:
        return requested, True
    return i18n.supported(region_language), False


_LOADED: dict[Path, tuple[tuple[tuple[str, int, int], ...], Region]] = {}


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for p in sorted(folder.iterdir()):
        if p.suffix in (".csv", ".toml") and not p.name.startswith("."):
            st = p.stat()
            out.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def load(folder: Path) -> Region:
    """The region in ``folder``, loaded again only when one of its files changed.

    Parameters
    ----------
    folder : pathlib.Path
        A region folder.

    Returns
    -------
    workbench.data.Region
        The region, from this kernel's memory when no ``.csv`` or ``.toml`` file of the folder changed
        (name, modification time, size), else from :mod:`workbench.cache` or the files.

    Raises
    ------
    workbench.errors.RegionInvalid
        The region's files break the data contract; its problems say where (as
        :func:`~workbench.data.load_region`).
    """
    folder = Path(folder)
    stamp = _stamp(folder)
    hit = _LOADED.get(folder)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    region = api.read_region(folder, cache=True)
    _LOADED[folder] = (stamp, region)
    return region


def remember(folder: Path, region: Region) -> Region:
    """Keep ``region`` (as a store just saved it) as the folder's current state, saving a reload.

    Parameters
    ----------
    folder : pathlib.Path
        The region folder just written.
    region : workbench.data.Region
        The region as saved in it.

    Returns
    -------
    workbench.data.Region
        ``region`` itself, which :func:`load` now returns until a file of the folder changes.
    """
    folder = Path(folder)
    _LOADED[folder] = (_stamp(folder), region)
    return region


def type_label(agency_type: str, lang: str) -> str:
    """The name of an agency type, or of a forum type, in ``lang``.

    Parameters
    ----------
    agency_type : str
        An ``agency_type`` id of the taxonomy's ``agency_types`` or ``forum_types`` (``police``,
        ``marac``); an unknown id is returned as it is.
    lang : str
        A language code; the taxonomy falls back to English.

    Returns
    -------
    str
        The type's label.

    Examples
    --------
    >>> type_label("no-such-type", "en")
    'no-such-type'
    """
    tax = taxonomy()
    kind = "forum_types" if agency_type in tax.forum_types else "agency_types"
    return tax.label(kind, agency_type, lang)


def agency_label(region: Region, agency_id: str | None) -> str:
    """``Name (id)`` of an agency, or the id when it is unknown.

    Parameters
    ----------
    region : workbench.data.Region
        The region the agency belongs to.
    agency_id : str or None
        An ``agency_id``; ``None`` or empty gives an empty label.

    Returns
    -------
    str
        ``Name (id)`` for an agency of the region, the id alone for another, ``""`` for none.
    """
    if not agency_id:
        return ""
    a = region.by_id.get(agency_id)
    return f"{a.name} ({a.id})" if a else agency_id


def vocabulary_options(vocabulary: str, lang: str, blank: str | None = None) -> list[tuple[str, str]]:
    """Drop-down options (label, id) of a closed vocabulary of the taxonomy.

    Parameters
    ----------
    vocabulary : str
        The vocabulary's name in the taxonomy (``agency_types``, ``tie_types``, ``statuses``, ...).
    lang : str
        The language of the labels.
    blank : str or None, optional
        The label of a first, empty option (value ``""``); ``None`` offers no empty option.

    Returns
    -------
    list of (str, str)
        ``(label, id)`` pairs in the taxonomy's order, as ``ipywidgets.Dropdown`` takes them.
    """
    tax = taxonomy()
    opts = [(tax.label(vocabulary, v, lang), v) for v in tax.values(vocabulary)]
    return ([(blank, "")] if blank is not None else []) + opts


# --- widgets -----------------------------------------------------------------

def field(widget: w.Widget, cls: str) -> w.Widget:
    """Give a form field the house label width and a CSS class tests and styles can find.

    Parameters
    ----------
    widget : ipywidgets.Widget
        The field; its description is given :data:`LABEL_WIDTH` when it has one.
    cls : str
        Its CSS class (``wb-f-name``), besides ``wb-field``.

    Returns
    -------
    ipywidgets.Widget
        ``widget`` itself, changed.
    """
    if hasattr(widget, "style") and hasattr(widget.style, "description_width"):
        widget.style.description_width = LABEL_WIDTH
    widget.add_class("wb-field")
    widget.add_class(cls)
    return widget


def near_messages() -> w.HTML:
    """Where a form shows the last message again, under its buttons.

    Returns
    -------
    ipywidgets.HTML
        An empty ``HTML`` with the classes ``wb-messages`` and ``wb-messages-near``, to be set as
        :attr:`Messages.near`.
    """
    near = w.HTML("")
    near.add_class("wb-messages")
    near.add_class("wb-messages-near")
    return near


def button(description: str, cls: str, primary: bool = False, tooltip: str = "") -> FormButton:
    """A button as wide as its words, with a CSS class tests and styles can find.

    It is a :class:`~.form_button.FormButton`: once its ``form`` is set (the
    section's box), the fields' last keystrokes reach the kernel before the click.

    Parameters
    ----------
    description : str
        The button's words.
    cls : str
        Its CSS class (``wb-save``).
    primary : bool, optional
        Draw it as the form's main action.
    tooltip : str, optional
        What the button does, shown on hover.

    Returns
    -------
    FormButton
        The button, with no callback and no form yet.
    """
    return FormButton(description=description, button_style="primary" if primary else "", tooltip=tooltip,
                      css_class=cls)


class Messages:
    """One line (or list) of feedback under a form: saved, refused, problems found.

    Its ``HTML`` widget (:attr:`widget`) has the CSS class given to the
    constructor, ``wb-messages`` by default.
    """

    def __init__(self, cls: str = "wb-messages") -> None:
        self.widget = w.HTML("")
        self.widget.add_class(cls)
        #: A second place for the same message, next to the buttons of the form in view
        #: (the top of the page may be out of sight when a long form is saved).
        self.near: w.HTML | None = None
        self.seq = 0  # every message differs from the last, so the page redraws it even if the words do not

    def clear(self) -> None:
        """Remove the message, here and next to the buttons."""
        self.widget.value = ""
        if self.near is not None:
            self.near.value = ""

    def show(self, kind: str, text: str, items: Iterable[str] = ()) -> None:
        """Show one message, here and next to the buttons (:attr:`near`), in place of the last.

        Parameters
        ----------
        kind : str
            ``ok``, ``error``, ``warn`` or ``info``: the message's colour (class ``wb-msg-<kind>``).
        text : str
            The message; escaped.
        items : iterable of str, optional
            A list under it (problems found, fields in conflict); each escaped.
        """
        lis = "".join(f"<li>{e(i)}</li>" for i in items)
        self.seq += 1
        self.widget.value = (f"<div class='wb-msg wb-msg-{e(kind)}' role='status' data-seq='{self.seq}'>{e(text)}"
                             + (f"<ul>{lis}</ul>" if lis else "") + "</div>")
        if self.near is not None:
            self.near.value = self.widget.value

    def ok(self, text: str) -> None:
        """Say that something was saved or done.

        Parameters
        ----------
        text : str
            The message; escaped.
        """
        self.show("ok", text)

    def error(self, text: str, items: Iterable[str] = ()) -> None:
        """Say that something was refused or failed.

        Parameters
        ----------
        text : str
            The message; escaped.
        items : iterable of str, optional
            A list of what was found under it; each escaped.
        """
        self.show("error", text, items)

    def problems(self, exc: RegionInvalid, t: dict[str, str], lang: str = i18n.DEFAULT) -> None:
        """Show the problems the loader found in a region, each as the command line prints it.

        Parameters
        ----------
        exc : RegionInvalid
            The refusal; each of its ``problems`` is listed.
        t : dict of str to str
            The dashboards' words in the page's language (:func:`texts`); ``t["problems"]`` heads the list.
        lang : str, optional
            The language each problem is written in.
        """
        self.error(t["problems"], [p.text(lang) for p in exc.problems])


class Dashboard:
    """A dashboard page: header with region picker and language switch, then a body.

    Subclasses set :attr:`kind` and :attr:`uses_region` and implement
    :meth:`body`. The header stays; the body is rebuilt when the region or
    the language changes.

    Parameters
    ----------
    params : dict of str to str or None, optional
        The request's query parameters (``region``, ``lang``, untrusted); ``None`` reads them from
        the environment with :func:`query_params`.
    """

    kind = "workshop"
    uses_region = True

    def __init__(self, params: dict[str, str] | None = None) -> None:
        params = params if params is not None else query_params()
        self.regions = list_regions()
        self.entry, refused = choose_region(params.get("region"), self.regions)
        self.read_only = self._read_only()
        self.refused = params.get("region") if refused and self.uses_region else None
        self.lang, self.lang_explicit = choose_lang(
            params.get("lang"), self.entry.language if self.entry and self.uses_region else None)
        self.region: Region | None = None
        self.messages = Messages()
        self.root = w.VBox()
        self.root.add_class("wb-app")
        self.root.add_class(f"wb-{self.kind}")
        self._build_header()
        self.render()
        self.root.add_class("wb-ready")

    def _read_only(self) -> bool:
        """A read-only server, or a region this person may read but not edit (a reviewer under JupyterHub)."""
        return read_only() or (self.entry is not None and not access.current().can_edit(self.entry.id))

    # -- texts and guards --------------------------------------------------------
    @property
    def t(self) -> dict[str, str]:
        """The dashboards' words in the page's language (:func:`texts`).

        Returns
        -------
        dict of str to str
            Every ``ui.*`` key without its prefix, mapped to its words.
        """
        return texts(self.lang)

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a widget callback: problems and refusals become messages, never a traceback.

        A region the loader refuses lists its problems; an edit on a read-only
        page says so; any other :class:`~workbench.errors.WorkbenchError`
        shows its words; an unexpected error tells the page that nothing was
        saved, and its traceback goes only to the server's log.

        Parameters
        ----------
        fn : callable
            The callback (a button's ``on_click`` or a widget's ``observe`` handler).

        Returns
        -------
        callable
            A callback taking the same arguments; it returns what ``fn`` returns,
            or ``None`` when ``fn`` raised.
        """
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except RegionInvalid as exc:
                self.messages.problems(exc, self.t, self.lang)
            except ReadOnly:
                self.messages.error(self.t["read_only_refused"])
            except WorkbenchError as exc:
                self.messages.error(str(exc))
            except Exception:  # a bug must not kill the page; the details go to the server's log
                traceback.print_exc(file=sys.__stderr__)
                self.messages.error(self.t["unexpected"])
            return None
        return run

    def store(self, editor: str = "workshop") -> RegionStore:
        """Open the region's store for one edit; refuses on a read-only page.

        Parameters
        ----------
        editor : str, optional
            The editor's role written to the change log (the dashboard, never a person's name).

        Returns
        -------
        RegionStore
            The store of the region in view, recording the account that is logged in, if known.

        Raises
        ------
        ReadOnly
            The server is read-only, or this account may not edit the region.
        WorkbenchError
            There is no region to edit.
        """
        if self.read_only or read_only():
            raise ReadOnly("read-only")
        if self.entry is None:
            raise WorkbenchError(self.t["no_regions"])
        if not access.current().can_edit(self.entry.id):  # a reviewer, or a region read but not owned
            raise ReadOnly(f"no right to edit {self.entry.id}")
        return api.open_store(self.entry.folder, editor=editor, account=access.account())  # who logged in, if known

    # -- header --------------------------------------------------------------------
    def _build_header(self) -> None:
        self.title = w.HTML()
        self.title.add_class("wb-title")
        self.region_pick = w.Dropdown(options=[(r.label, r.id) for r in self.regions],
                                      value=self.entry.id if self.entry else None)
        self.region_pick.add_class("wb-region-pick")
        self.region_pick.layout.display = "" if self.uses_region and self.regions else "none"
        self.region_pick.observe(self.guard(self._on_region), "value")
        self.lang_pick = w.ToggleButtons(options=language_options(), value=self.lang)
        self.lang_pick.add_class("wb-lang")
        self.lang_pick.style.button_width = "auto"
        self.lang_pick.observe(self.guard(self._on_lang), "value")
        self.home = w.HTML()
        self.home.add_class("wb-home")
        self.header = w.HBox([self.title, self.region_pick, self.lang_pick, self.home])
        self.header.add_class("wb-header")
        self.banner = w.HTML()
        self.banner.add_class("wb-banner")
        self.body_box = w.VBox()
        self.body_box.add_class("wb-body")
        self._region_class = ""
        self.root.children = [self.header, self.banner, self.messages.widget, self.body_box]

    def _update_header(self) -> None:
        t = self.t
        self.title.value = (f"<div class='wb-app-name'>{e(t['app'])}</div>"
                            f"<h1>{e(t['title_' + self.kind])}</h1>")
        self.region_pick.description = t["region"]
        base = os.environ.get("VOILA_BASE_URL", "/")
        self.home.value = (f"<a href='{e(base)}?lang={e(self.lang)}' class='wb-home-link'>"
                           f"← {e(t['all_dashboards'])}</a>")
        notes = []
        if self.refused is not None:
            notes.append(t["region_refused"].format(region=self.refused,
                                                    shown=self.entry.name if self.entry else "–"))
        if self.read_only and self.kind != "conference":
            notes.append(t["read_only_banner"] if read_only() else t["read_only_rights"])  # the server, or rights
        self.banner.value = "".join(f"<div class='wb-note'>{e(n)}</div>" for n in notes)

    def _on_region(self, change: dict[str, Any]) -> None:
        entry = next((r for r in self.regions if r.id == change["new"]), None)
        if entry is None or entry == self.entry:
            return
        self.entry = entry
        self.refused = None
        self.read_only = self._read_only()
        if not self.lang_explicit:
            lang, _ = choose_lang(None, entry.language)
            if lang != self.lang:
                self.lang = lang
                self.lang_pick.value = lang  # fires _on_lang, which would mark it explicit
                self.lang_explicit = False
        self.messages.clear()
        self.render()

    def _on_lang(self, change: dict[str, Any]) -> None:
        self.lang_explicit = True
        if change["new"] == self.lang and self.body_box.children:
            return
        self.lang = change["new"]
        self.render()
        live = getattr(self, "live", None)  # the page's live bar (dashboards.live.attach), if it has one
        if live is not None:
            live.show_presence()

    # -- body ------------------------------------------------------------------------
    def render(self) -> None:
        """Load the region (if any) and rebuild the body."""
        self._update_header()
        if self._region_class:
            self.body_box.remove_class(self._region_class)
            self._region_class = ""
        self.region = None
        if self.uses_region:
            if self.entry is None:
                self.body_box.children = [w.HTML(f"<p class='wb-empty'>{e(self.t['no_regions'])}</p>")]
                return
            try:
                self.region = load(self.entry.folder)
            except RegionInvalid as exc:
                self.messages.problems(exc, self.t, self.lang)
                self.body_box.children = [w.HTML(f"<p class='wb-empty'>{e(self.t['region_invalid'])}</p>")]
                return
            self._region_class = f"wb-region-{self.entry.id}"  # tells tests (and styles) which region is shown
            self.body_box.add_class(self._region_class)
        self.body_box.children = self.body()
        attach_form(self.root)  # every button sends the page's last keystrokes before its click

    def body(self) -> list[w.Widget]:  # pragma: no cover - every dashboard has its own
        """The page below the header for the region shown (:attr:`region`, loaded); every dashboard has its own.

        Returns
        -------
        list of ipywidgets.Widget
            The children of the body box.
        """
        raise NotImplementedError


def today() -> str:
    """Today's date, as the data files write dates.

    Returns
    -------
    str
        The local date in ISO 8601 (``YYYY-MM-DD``).

    Examples
    --------
    >>> d = today()
    >>> len(d), d[4], d[7], d.replace("-", "").isdigit()
    (10, '-', '-', True)
    """
    import datetime as dt
    return dt.date.today().isoformat()
