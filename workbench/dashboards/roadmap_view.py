"""The roadmap, for coordinators: the region's gaps and its action plan.

The plan is :func:`~workbench.api.roadmap_plan`'s, the one the
documents print: actions the working group agreed (``actions.csv``) first,
then the workbench's drafts ranked by priority. A coordinator picks an
action, edits its owner, horizon, dates, status and monitoring indicator,
and saves it to ``actions.csv`` (a draft becomes an agreed action with its
own id; rows written by people are never dropped). The documents (HTML, PDF,
DOCX) are rendered on demand and offered as download links.
"""

from __future__ import annotations

import base64
import concurrent.futures
import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
from markupsafe import Markup

from .. import api, i18n
from ..data import Region
from ..data.schema import TITLE_MAX, check_length, contact_warning
from ..data.store import ABSENT, Change
from ..errors import EditConflict
from ..taxonomy import rubric, taxonomy
from .common import (
    SEVERITY_ORDER,
    Dashboard,
    announce_ready,
    badge,
    button,
    e,
    field,
    list_regions,
    load,
    near_messages,
    preheating,
    remember,
    table,
    vocabulary_options,
    warm_up_in_background,
)
from .live import attach
from .together import ConflictBox, form_values, held, quietly, record_note, restore, show_conflict, touched_by

if TYPE_CHECKING:  # types for annotations; the roadmap is made by api
    from ..roadmap.actions import PlanItem
    from ..roadmap.document import Roadmap

#: The documents offered for download, with their MIME types.
DOCUMENTS = (("html", "text/html"), ("pdf", "application/pdf"), ("docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
#: The role the roadmap page saves under (the change log's editor).
ROLE = "coordinator"
#: Longest time documents may take to render.
RENDER_TIMEOUT_S = 300


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _dates(start: str | None, due: str | None, lang: str) -> str:
    """An action's start and due dates in ``lang`` (a date that is not a date is shown as written).

    >>> _dates("2027-01-15", "2027-06-30", "de"), _dates(None, "2027-06-30", "en")
    ('15.1.2027 – 30.6.2027', '30/06/2027')
    """
    return " – ".join(i18n.date_text(d, lang, "numeric") if (d := _date(x)) else x for x in (start, due) if x)


def status_word(status: str, lang: str) -> str:
    """An agreed action's status in ``lang`` (its id when the documents have no word for it).

    Parameters
    ----------
    status : str
        An ``action_status`` id of the taxonomy (``proposed``, ``agreed``, ``in_progress``, ``done``,
        ``dropped``).
    lang : str
        A language code.

    Returns
    -------
    str
        The status as the roadmap documents write it, or ``status`` itself when they have no word for it.

    Examples
    --------
    >>> status_word("done", "fr"), status_word("postponed", "fr")
    ('réalisée', 'postponed')
    """
    key = f"documents.status_{status}"
    return i18n.text(key, lang) if i18n.has(key) else status


def horizon_word(horizon: str | None, lang: str) -> str:
    """An action's horizon in ``lang``, as the documents write it.

    Parameters
    ----------
    horizon : str or None
        A ``horizon`` id of the taxonomy (``short``, ``medium``, ``long``); ``None`` when not stated.
    lang : str
        A language code.

    Returns
    -------
    str
        The horizon with its span of years; ``horizon`` itself when the documents have no word for it,
        ``""`` for ``None``.

    Examples
    --------
    >>> horizon_word("short", "de"), horizon_word(None, "en")
    ('kurzfristig (≤ 1 Jahr)', '')
    """
    key = f"documents.horizon_{horizon}"
    return i18n.text(key, lang) if horizon and i18n.has(key) else horizon or ""


def download_link(path: Path, mime: str, label: str, lang: str) -> str:
    """An ``<a download>`` link carrying the file as a data URI (works in Voilà without serving files).

    Parameters
    ----------
    path : pathlib.Path
        The file to offer; it is read whole into the page.
    mime : str
        Its MIME type (see :data:`DOCUMENTS`).
    label : str
        The link's words; escaped.
    lang : str
        The language the file's size is written in.

    Returns
    -------
    str
        The ``<a class='wb-download wb-download-<ext>'>`` element, the file's size after the label.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> f = Path(tempfile.mkdtemp()) / "roadmap.html"
    >>> _ = f.write_text("<p>hi</p>")
    >>> link = download_link(f, "text/html", "Roadmap (HTML)", "en")
    >>> "download='roadmap.html'" in link, "href='data:text/html;base64,PHA+aGk8L3A+'" in link
    (True, True)
    """
    data = path.read_bytes()
    ext = path.suffix.lstrip(".")
    return (f"<a class='wb-download wb-download-{e(ext)}' download='{e(path.name)}' "
            f"href='data:{mime};base64,{base64.b64encode(data).decode('ascii')}'>"
            f"{e(label)} <span class='wb-size'>{e(i18n.size_text(len(data), lang))}</span></a>")


def render_documents(folder: Path, lang: str) -> dict[str, Path]:
    """Render the region's roadmap as HTML, PDF and DOCX into a fresh temporary folder.

    Runs in a worker thread: the renderer drives Playwright's synchronous API
    and a notebook kernel, neither of which may run inside the kernel's own
    event loop.

    Parameters
    ----------
    folder : pathlib.Path
        The region folder.
    lang : str
        The documents' language.

    Returns
    -------
    dict of str to pathlib.Path
        Each format (``html``, ``pdf``, ``docx``) mapped to its file in the new folder.

    Raises
    ------
    workbench.errors.RegionInvalid
        The region's files break the data contract.
    workbench.errors.ChromiumMissing
        Chromium, which prints the PDF, is not installed; its fix says how to install it.
    concurrent.futures.TimeoutError
        Rendering took longer than :data:`RENDER_TIMEOUT_S` seconds.
    """
    out = Path(tempfile.mkdtemp(prefix="wb-roadmap-"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(api.roadmap, folder, out, tuple(f for f, _ in DOCUMENTS), lang)
        return job.result(timeout=RENDER_TIMEOUT_S)


class RoadmapView(Dashboard):
    """The roadmap page: the region's gaps, its action plan with a form to edit one action, the documents.

    Parameters
    ----------
    params : dict of str to str or None, optional
        The request's query parameters (``region``, ``lang``, untrusted); ``None`` reads them from
        the environment (``QUERY_STRING``).
    """

    kind = "roadmap"

    def body(self) -> list[w.Widget]:
        """The figures, the gaps, the plan with its action form, and the documents.

        Returns
        -------
        list of ipywidgets.Widget
            One box per part of the page.
        """
        t = self.t
        self.summary = w.HTML()
        self.summary.add_class("wb-summary")
        self.gaps = w.HTML()
        self.gaps.add_class("wb-table-box")
        self.plan = w.HTML()
        self.plan.add_class("wb-table-box")
        self.form = ActionForm(self)
        self.messages.near = self.form.notice
        self.docs_btn = button(t["prepare_documents"], "wb-prepare-docs", primary=True)
        self.docs_btn.on_click(self.guard(self.prepare_documents))
        self.docs = w.HTML(f"<p class='wb-note-small'>{e(t['documents_intro'])}</p>")
        self.docs.add_class("wb-docs")
        self.refresh()
        docs = w.VBox([w.HTML(f"<h2>{e(t['documents'])}</h2>"), w.HBox([self.docs_btn]), self.docs])
        docs.add_class("wb-section")
        return [self.summary,
                _section(t["gaps_heading"], t["gaps_intro"], self.gaps),
                _section(t["plan_heading"], t["plan_intro"], self.plan),
                _section(t["edit_action"], t["edit_action_intro" if not self.read_only else "read_only_banner"],
                         self.form.widget),
                docs]

    def refresh(self, select: str | None = None) -> None:
        """Recompute the roadmap (gaps, plan) and redraw the figures, every table and the action form.

        Parameters
        ----------
        select : str or None, optional
            The action id the form shows afterwards; ``None`` keeps the one picked, else the first.
        """
        assert self.region is not None
        t = self.t
        self.rm: Roadmap = api.roadmap_plan(self.region, self.lang)
        rm, lang = self.rm, self.lang
        gaps = sorted(rm.gaps, key=lambda g: (SEVERITY_ORDER.get(g.severity, 3), g.id))
        n_high = sum(g.severity == "high" for g in gaps)
        agreed = [i for i in rm.plan if i.source == "agreed"]
        drafts = [i for i in rm.plan if i.source == "draft" and i.status != "covered"]
        self.summary.value = (
            f"<div class='wb-kpis'><div><b>{len(gaps)}</b>{e(t['kpi_gaps'])}</div>"
            f"<div><b>{n_high}</b>{e(t['kpi_high'])}</div>"
            f"<div><b>{len(agreed)}</b>{e(t['kpi_agreed'])}</div>"
            f"<div><b>{len(drafts)}</b>{e(t['kpi_drafts'])}</div></div>")
        rows: list[list[object]] = []
        for g in gaps:
            evidence = Markup("<br>").join(g.evidence[:3])  # join escapes each sentence
            if len(g.evidence) > 3:
                evidence += Markup(f"<br><i>{e(t['and_more'].format(n=len(g.evidence) - 3))}</i>")
            rows.append([Markup(f"<b>{e(g.id)}</b>"), g.title,
                         badge(t["sev_" + g.severity], "sev-" + g.severity), ", ".join(g.characteristics),
                         Markup(evidence)])
        self.gaps.value = table([t["col_gap"], t["col_title"], t["col_severity"], t["col_chars"],
                                 t["col_evidence"]], rows, "wb-gaps-table", t["no_gaps"])
        rows = []
        for n, item in enumerate([*agreed, *drafts], 1):
            status = (badge(status_word(item.status, lang), "st-" + item.status)
                      if item.source == "agreed" else badge(t["draft_badge"], "draft"))
            rows.append([n, item.title, item.gap or "", rm.name_of(item.owner),
                         horizon_word(item.horizon, lang), _dates(item.start, item.due, lang), status,
                         item.indicator or ""])
        head = [i18n.text(f"documents.col_{c}", lang) for c in ("action", "owner", "horizon", "dates", "status",
                                                                 "indicator")]
        self.plan.value = table(["#", head[0], t["col_gap"], *head[1:]], rows, "wb-plan-table", t["no_actions"])
        self.form.refresh(select)

    def update(self, region: Region | None = None, changes: Sequence[Change] = ()) -> None:
        """Show the region as saved now: gaps and plan redrawn, the form keeping what the person typed.

        Called by the live watcher (:class:`~.live.Live`) when somebody else
        saved, and after an edit conflict.

        Parameters
        ----------
        region : Region or None, optional
            The region as saved now; ``None`` reads it again from its folder.
        changes : sequence of Change, optional
            The change log's new entries, used to say who changed the action in the form.
        """
        assert self.entry is not None
        self.region = region if region is not None else load(self.entry.folder)
        self.form.live(list(changes))

    def prepare_documents(self, _: Any = None) -> None:
        """Render the roadmap documents and show their download links (the button's callback).

        The button is disabled while they render; a failure shows a message in
        the documents' place and reaches :meth:`~.common.Dashboard.guard`.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        assert self.entry is not None
        t = self.t
        self.docs_btn.disabled = True
        self.docs.value = f"<p class='wb-working'>{e(t['documents_working'])}</p>"
        try:
            written = render_documents(self.entry.folder, self.lang)
            links = "".join(download_link(written[fmt], mime, t[f"download_{fmt}"], self.lang)
                            for fmt, mime in DOCUMENTS if fmt in written)
            self.docs.value = f"<div class='wb-downloads'>{links}</div>"
        except BaseException:
            self.docs.value = f"<p class='wb-msg wb-msg-error'>{e(t['documents_failed'])}</p>"
            raise
        finally:
            self.docs_btn.disabled = False


def _section(title: str, intro: str, widget: w.Widget) -> w.VBox:
    box = w.VBox([w.HTML(f"<h2>{e(title)}</h2><p class='wb-intro'>{e(intro)}</p>"), widget])
    box.add_class("wb-section")
    return box


class ActionForm:
    """Edit one action of the plan: owner, horizon, dates, status, monitoring indicator.

    Its :attr:`widget` holds the pick of an action, the fields, the checks
    of what was typed, the save button (hidden on a read-only page) and the
    conflict choice; a saved draft becomes an agreed action in ``actions.csv``.

    Parameters
    ----------
    app : RoadmapView
        The roadmap page the form belongs to: its region, plan, words and messages.
    """

    def __init__(self, app: RoadmapView) -> None:
        self.app = app
        t, lang = app.t, app.lang
        self.pick = field(w.Dropdown(description=t["action"]), "wb-action-pick")
        self.title = field(w.Text(description=t["f_title"]), "wb-action-title")
        self.owner = field(w.Dropdown(description=t["f_owner"]), "wb-action-owner")
        self.horizon = field(w.Dropdown(options=vocabulary_options("horizon", lang, t["not_stated"]),
                                        description=t["f_horizon"]), "wb-action-horizon")
        self.start = field(w.DatePicker(description=t["f_start"]), "wb-action-start")
        self.due = field(w.DatePicker(description=t["f_due"]), "wb-action-due")
        self.status = field(w.Dropdown(options=vocabulary_options("action_status", lang),
                                       description=t["f_action_status"]), "wb-action-status")
        self.indicator = field(w.Textarea(description=t["f_indicator"], rows=2), "wb-action-indicator")
        self.notes = field(w.Textarea(description=t["f_notes"], rows=2), "wb-action-notes")
        self.about = w.HTML()
        self.about.add_class("wb-help")
        self.checks = w.HTML()
        self.checks.add_class("wb-checks")
        self.save_btn = button(t["save_action"], "wb-action-save", primary=True)
        grid = w.GridBox([self.title, self.owner, self.horizon, self.status, self.start, self.due,
                          self.indicator, self.notes])
        grid.add_class("wb-form")
        buttons = w.HBox([self.save_btn])
        buttons.add_class("wb-buttons")
        if app.read_only:
            for x in (self.title, self.owner, self.horizon, self.start, self.due, self.status, self.indicator,
                      self.notes):
                x.disabled = True
            buttons.layout.display = "none"
        self.notice = near_messages()
        self.base: Any = None  # the action as the form was filled with it (ABSENT for a draft)
        self.filled: list[Any] = []
        self.fields = [self.title, self.owner, self.horizon, self.start, self.due, self.status, self.indicator,
                       self.notes]
        self.conflict = ConflictBox(t, app.guard)
        self.note = w.HTML()
        self.note.add_class("wb-form-note")
        self.widget = w.VBox([self.pick, self.about, self.note, grid, self.checks, buttons, self.conflict.widget,
                              self.notice])
        self.items: dict[str, PlanItem] = {}
        self.quiet = False  # while the page redraws the form (:func:`~.together.quietly`)
        self.pick.observe(app.guard(lambda c: None if self.quiet else self.fill(c["new"])), "value")
        for x in (self.title, self.start, self.due, self.indicator, self.notes):
            x.observe(app.guard(lambda _c: None if self.quiet else self.check()), "value")
        self.save_btn.on_click(app.guard(self.save))

    def refresh(self, select: str | None = None) -> None:
        """Offer the plan's actions (those already covered left out) and the agencies as owners; fill the form.

        Parameters
        ----------
        select : str or None, optional
            The action id to show; ``None`` keeps the one picked, else the first.
        """
        with held([self.save_btn, *self.conflict.parts()]), quietly(self):  # checked once, when filled
            self._refresh(select)

    def _refresh(self, select: str | None) -> None:
        app, t = self.app, self.app.t
        rm, region = app.rm, app.region
        assert region is not None
        items = [i for i in rm.plan if i.status != "covered"]
        self.items = {i.id: i for i in items}
        keep = select if select is not None else self.pick.value
        self.pick.options = [
            ((status_word(i.status, app.lang) if i.source == "agreed" else t["draft_badge"])
             + f" · {i.title[:90]}" + ("…" if len(i.title) > 90 else ""), i.id) for i in items]
        owners = sorted((a for a in region.agencies if not a.is_forum), key=lambda a: a.name.lower())
        self.owner.options = [(t["not_stated"], "")] + [(f"{a.name} ({a.id})", a.id) for a in owners]
        if keep in self.items:
            self.pick.value = keep
        elif items:
            self.pick.value = items[0].id
        self.fill(self.pick.value)

    def fill(self, action_id: str | None) -> None:
        """Put an action's owner, horizon, dates, status, indicator and notes into the fields.

        Parameters
        ----------
        action_id : str or None
            An agreed action's id or a draft's; ``None`` or unknown empties the form.
        """
        t, rm = self.app.t, self.app.rm
        item = self.items.get(action_id or "")
        owners = {v for _, v in self.owner.options}
        self.title.value = item.title if item else ""
        self.owner.value = item.owner if item and item.owner in owners else ""
        self.horizon.value = item.horizon if item and item.horizon in taxonomy().values("horizon") else ""
        self.start.value = _date(item.start) if item else None
        self.due.value = _date(item.due) if item else None
        status = item.status if item and item.source == "agreed" else "proposed"
        self.status.value = status if status in taxonomy().values("action_status") else "proposed"
        self.indicator.value = (item.indicator or "") if item else ""
        self.notes.value = (item.notes or "") if item else ""
        if item is None:
            self.about.value = ""
        else:
            gap = next((g for g in rm.gaps if g.id == item.gap), None)
            chars = rubric().characteristics
            what = [t["about_agreed"] if item.source == "agreed" else t["about_draft"]]
            if gap is not None:
                what.append(t["about_gap"].format(gap=f"{gap.id} {gap.title}"))
            if item.characteristic in chars:
                what.append(f"{item.characteristic} {rubric().name(item.characteristic, rm.lang)}")
            self.about.value = f"<p>{' · '.join(e(x) for x in what)}</p>"
        self.base = self._saved(item)
        self.filled = form_values(self.fields)
        self.note.value = ""
        self.conflict.hide()
        self.check()

    def check(self) -> bool:
        """Check what was typed: a title of allowed length, due not before start, no contact details.

        Errors disable the save button; a warning (contact details) does not.

        Returns
        -------
        bool
            ``True`` when nothing blocks saving.
        """
        t = self.app.t
        errors, warnings = [], []
        title = self.title.value.strip()
        if not title:
            errors.append(t["title_missing"])
        elif (bad := check_length(title, TITLE_MAX)) is not None:
            errors.append(bad.about(t["f_title"], self.app.lang))
        if self.start.value and self.due.value and self.due.value < self.start.value:
            errors.append(t["due_before_start"])
        for label, x in ((t["f_title"], self.title), (t["f_indicator"], self.indicator), (t["f_notes"], self.notes)):
            if (contact := contact_warning(x.value)) is not None:
                warnings.append(contact.about(label, self.app.lang))
        items = ([f"<li class='wb-check-error'>{e(x)}</li>" for x in errors]
                 + [f"<li class='wb-check-warn'>{e(x)}</li>" for x in warnings])
        self.checks.value = f"<ul>{''.join(items)}</ul>" if items else ""
        self.save_btn.disabled = bool(errors) or self.app.read_only or not self.pick.value
        return not errors

    def _new_id(self, item: PlanItem) -> str:
        region = self.app.region
        assert region is not None
        taken = {a.id for a in region.actions}
        base = f"act-{(item.gap or 'x').lower()}"
        n, candidate = 1, base
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def save(self, _: Any = None) -> None:
        """Save the form to ``actions.csv`` (the save button's callback); a draft gets an id of its own.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        app, t = self.app, self.app.t
        item = self.items.get(self.pick.value or "")
        if item is None or not self.check():
            app.messages.error(t["fix_first"])
            return
        store = app.store(ROLE)
        action_id = item.id if item.source == "agreed" else self._new_id(item)
        try:
            saved = self._save(store, item, action_id, self.base)
        except EditConflict as exc:
            self._conflict(exc, action_id)
            return
        assert app.entry is not None
        app.messages.ok(t["saved_action"].format(title=self.title.value.strip()))
        app.region = remember(app.entry.folder, saved)
        app.refresh(select=action_id)

    def _save(self, store: Any, item: PlanItem, action_id: str, base: Any) -> Region:
        return store.save_action(
            base=base, id=action_id, title=self.title.value, gap=item.gap, characteristic=item.characteristic,
            owner=self.owner.value or None, partners=list(item.partners), horizon=self.horizon.value or None,
            start=self.start.value.isoformat() if self.start.value else None,
            due=self.due.value.isoformat() if self.due.value else None,
            status=self.status.value, indicator=self.indicator.value, notes=self.notes.value)

    # -- editing together -------------------------------------------------------------------
    def _saved(self, item: PlanItem | None) -> Any:
        """The action as saved in the region the page shows (ABSENT for a draft nobody saved yet)."""
        region = self.app.region
        if item is None or region is None:
            return None
        return next((a for a in region.actions if a.id == item.id), ABSENT)

    def _conflict(self, exc: EditConflict, action_id: str) -> None:
        """Somebody else saved this action first: say what, keep the form, offer to keep theirs or put mine."""
        app = self.app

        def keep() -> None:
            app.update()
            app.refresh(select=action_id)

        def mine() -> None:
            app.update()
            if action_id in self.items:
                self.pick.value = action_id
            self.base = exc.saved  # what is saved now: a deliberate second save
            self.save()

        app.update(exc.region)
        show_conflict(app, exc, self.conflict, keep, mine if exc.saved is not None else None)

    def typing(self) -> bool:
        """Tell whether the form holds something the person typed and has not saved.

        Returns
        -------
        bool
            ``True`` when a field differs from what the form was filled with.
        """
        return form_values(self.fields) != self.filled

    def live(self, changes: list[Change]) -> None:
        """Redraw gaps and plan; the form keeps what the person is typing and says if its action changed.

        A form nobody typed in simply shows the action as saved now. A form
        being typed in (or waiting on a conflict choice) keeps its values and
        its base, and a note says who changed or removed its action meanwhile,
        so the next save is checked against what the person had read.

        Parameters
        ----------
        changes : list of Change
            The change log's new entries, to name who touched the action.
        """
        typing, pick = self.typing(), self.pick.value
        values, base, filled, asking = form_values(self.fields), self.base, self.filled, self.conflict.state()
        with held([self.save_btn, *self.conflict.parts()]):
            self.app.refresh(select=pick)
            if not (typing or asking is not None):
                return
            if self.pick.value != pick:  # the draft became somebody's action, or the action was removed
                self.note.value = record_note(self.app.t, touched_by(changes, "actions", pick)
                                              or self.app.t["somebody"], gone=True)
                return
            with quietly(self):
                restore(self.fields, values)
            now = self._saved(self.items.get(pick))
            self.filled, self.base = filled, base
            self.conflict.resume(asking)
            self.check()
        if now != base:
            who = touched_by(changes, "actions", pick) or self.app.t["somebody"]
            self.note.value = record_note(self.app.t, who, gone=now is None)


def prepare() -> None:
    """Warm the caches (run by a preheated kernel before the request; skipped otherwise)."""
    from ..errors import RegionInvalid

    if not preheating():
        return

    for entry in list_regions():
        try:
            region = load(entry.folder)
        except RegionInvalid:
            continue
        api.roadmap_plan(region, region.info.language)
        warm_up_in_background(entry.folder, layouts=False)
        break
    announce_ready("roadmap")


def show(params: dict[str, str] | None = None) -> None:
    """Build the page for this request and display it.

    The roadmap notebook's cell: the page follows other people's saves
    (:func:`~.live.attach`) and saves as ``coordinator`` (:data:`ROLE`).

    Parameters
    ----------
    params : dict of str to str or None, optional
        The request's query parameters (``region``, ``lang``, untrusted); ``None`` reads them from
        the environment (``QUERY_STRING``).
    """
    from IPython.display import display

    app = RoadmapView(params)
    attach(app, lambda: ROLE)
    display(app.root)
    warm_up_in_background(app.entry.folder if app.entry else None, layouts=False)
