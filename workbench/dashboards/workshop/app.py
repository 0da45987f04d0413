"""The workshop page: the role typed, undo, saving, the radar and gaps beside the sections, switching sections.

Each section lives in a module of its own (:mod:`.map`, :mod:`.agencies`,
:mod:`.ties`, :mod:`.survey`, :mod:`.assessment`, :mod:`.history`) and is built the first
time it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ... import api, i18n
from ...data import Region
from ...data.schema import contact_warning
from ...data.store import Change
from ...errors import UndoRefused
from ..changes import change_text, record_names, role_text
from ..common import (
    SEVERITY_ORDER,
    Dashboard,
    announce_ready,
    badge,
    button,
    e,
    field,
    list_regions,
    load,
    preheating,
    remember,
    warm_up_in_background,
)
from ..form_button import attach_form
from ..live import attach
from ..together import crossed_fields
from .agencies import AgencySection
from .assessment import AssessmentSection
from .history import HistorySection
from .map import MAP_HEIGHT, MapSection
from .survey import SurveySection
from .ties import TieSection

if TYPE_CHECKING:  # the store is opened by api (through Dashboard.store)
    from ...data import RegionStore

#: How many gaps the side panel lists before "and N more".
SIDE_GAPS = 8


class Workshop(Dashboard):
    """The regional workbench page: the role field and undo, the sections, the maturity radar and the gaps.

    The sections (:attr:`SECTIONS`: map, agencies, ties, assessment,
    history) are switched by buttons and each built the first time it is
    shown; every save is logged under the role the person typed.

    Parameters
    ----------
    params : dict of str to str or None, optional
        The request's query parameters (``region``, ``lang``, untrusted); ``None`` reads them from
        the environment (``QUERY_STRING``).
    """

    kind = "workshop"
    SECTIONS = ("map", "agencies", "ties", "survey", "assessment", "history")

    def __init__(self, params: dict[str, str] | None = None) -> None:
        self.role_value = "workshop"
        self.section = "map"
        self.state: dict[str, Any] = {}
        super().__init__(params)

    # -- layout -----------------------------------------------------------------------
    def body(self) -> list[w.Widget]:
        """The role field and undo, the section buttons and the section shown, the radar and gaps beside.

        Returns
        -------
        list of ipywidgets.Widget
            The children of the body box.
        """
        t = self.t
        self.role = field(w.Text(value=self.role_value, description=t["your_role"],
                                 placeholder=t["role_placeholder"]), "wb-role")
        self.role.layout.width = "440px"
        self.role.observe(lambda c: setattr(self, "role_value", c["new"]), "value")
        self.undo_btn = button(t["undo"], "wb-undo", tooltip=t["undo_help"])
        self.undo_pending: int | None = None  # the change an "Undo anyway" click undoes
        self.undo_btn.on_click(self.guard(self.undo))
        tools: list[w.Widget] = [self.role, self.undo_btn]
        if self.read_only:
            self.role.disabled = self.undo_btn.disabled = True
            tools = []
        toolbar = w.HBox(tools)
        toolbar.add_class("wb-toolbar")
        self.tabs = w.ToggleButtons(options=[(t[f"sec_{s}"], s) for s in self.SECTIONS], value=self.section)
        self.tabs.style.button_width = "auto"
        self.tabs.add_class("wb-sections")
        self.tabs.observe(self.guard(lambda c: self.show_section(c["new"])), "value")
        self.content = w.VBox()
        self.content.add_class("wb-content")
        self.side = w.HTML()
        self.side.add_class("wb-side")
        self.built: dict[str, Any] = {}
        self.stale: set[str] = set()  # sections built before the last save and hidden since
        self.refresh_side()
        self.show_section(self.section)
        main = w.VBox([self.tabs, self.content])
        main.add_class("wb-main")
        row = w.HBox([main, self.side])
        row.add_class("wb-columns")
        return [toolbar, row]

    def show_section(self, name: str) -> None:
        """Show a section, building it the first time and redrawing it when others saved meanwhile.

        Parameters
        ----------
        name : str
            One of :attr:`SECTIONS`.
        """
        self.section = name
        if name not in self.built:
            self.built[name] = SECTION_CLASSES[name](self)
            attach_form(self.root, self.built[name].widget)  # its buttons send the page's last keystrokes first
        elif name in self.stale:
            section = self.built[name]
            section.live([]) if hasattr(section, "live") else section.refresh()  # a form being typed in is kept
        self.stale.discard(name)
        self.messages.clear()
        self.messages.near = getattr(self.built[name], "notice", None)
        self.content.children = [self.built[name].widget]

    def refresh_side(self) -> None:
        """The maturity radar (beside the reference profile), the detected gaps with their basis, and the checks."""
        t, region = self.t, self.region
        assert region is not None
        result = api.assess(region)
        levels = {c: result[c]["level"] for c in api.characteristics()}
        ref = api.reference_profile(self.lang)
        series = {region.name: levels}
        if ref is not None:
            series[ref["name"]] = ref["levels"]
        radar = api.radar_svg(series, self.lang, title=t["radar_title"], radius=96)
        thin = "".join(  # too few answers: what the network evidence alone suggests, labelled as such
            f"<li>{e(t['evidence_only'].format(c=c, band=band))}</li>" for c in api.characteristics()
            if levels[c] is None and (band := api.evidence_band(result[c].get("evidence", {}).get("band"))))
        gaps = sorted(api.gaps(region, self.lang), key=lambda g: (SEVERITY_ORDER.get(g.severity, 3), g.id))
        items = "".join(
            f"<li>{badge(t['sev_' + g.severity], 'sev-' + g.severity)} <b>{e(g.id)}</b> {e(g.title)}"
            f" <span class='wb-basis'>({e(api.basis_label(g.basis, self.lang))})</span></li>"
            for g in gaps[:SIDE_GAPS])
        checks = api.checks(region, self.lang)
        names = {a.id: a.name for a in region.agencies}
        asks = "".join(
            f"<li>{e(c['question'])}"
            + (f" <span class='wb-basis'>({e(', '.join(names.get(a, a) for a in c['agencies']))})</span>"
               if c["agencies"] else "") + "</li>" for c in checks)
        more = (f"<p class='wb-more'>{e(t['more_gaps'].format(n=len(gaps) - SIDE_GAPS))}</p>"
                if len(gaps) > SIDE_GAPS else "")
        link = f"roadmap.ipynb?region={e(region.id)}&amp;lang={e(self.lang)}"
        self.side.value = (
            f"<div class='wb-radar-box'>{radar}</div>"
            + (f"<ul class='wb-evidence-only'>{thin}</ul>" if thin else "")
            + f"<h3>{e(t['gaps_title'].format(n=len(gaps)))}</h3>"
            + (f"<ul class='wb-gaps'>{items}</ul>{more}" if gaps else f"<p class='wb-empty'>{e(t['no_gaps'])}</p>")
            + (f"<h3>{e(t['checks_title'])}</h3><ul class='wb-checks'>{asks}</ul>" if checks else "")
            + f"<p><a href='{link}' target='_blank' rel='noopener'>{e(t['open_roadmap'])}</a></p>")

    # -- saving ---------------------------------------------------------------------
    def editor(self) -> str:
        """The role written to the change log; refuses anything that looks like contact details.

        Returns
        -------
        str
            The role typed, stripped of spaces; ``workshop`` when the field is empty.

        Raises
        ------
        ValueError
            The role looks like contact details, or is longer than 80 characters; the message,
            in the page's language, says which.
        """
        role = (self.role_value or "").strip() or "workshop"
        if contact_warning(role):
            raise ValueError(self.t["role_contact"])
        if len(role) > 80:
            raise ValueError(self.t["role_long"])
        return role

    def edit_store(self) -> RegionStore | None:
        """The region's store for one edit, under the role typed; ``None`` after saying why not.

        Returns
        -------
        workbench.data.RegionStore or None
            ``None`` when the role looks like contact details (the message says so).

        Raises
        ------
        ReadOnly
            The server is read-only, or this account may not edit the region.
        """
        try:
            editor = self.editor()
        except ValueError as exc:
            self.messages.error(str(exc))
            return None
        return self.store(editor)

    def after_save(self, text: str, select: str | None = None, region: Region | None = None) -> None:
        """Say what was saved, then redraw the radar, the gaps and the section shown.

        Sections that are hidden are redrawn when they are shown again.

        Parameters
        ----------
        text : str
            The message shown to the person, in the page's language (what was saved).
        select : str or None, optional
            The record the section shown should pick after the redraw (passed to its ``refresh``);
            ``None`` passes none.
        region : Region or None, optional
            The region as the store saved it; ``None`` reads it again from its folder.
        """
        assert self.entry is not None
        self.region = remember(self.entry.folder, region) if region is not None else load(self.entry.folder)
        self.messages.ok(text)
        self.refresh_side()
        for name, section in self.built.items():
            if name == self.section:
                section.refresh(**({"select": select} if select is not None else {}))
            else:
                self.stale.add(name)

    def update(self, region: Region | None = None, changes: Sequence[Change] = ()) -> None:
        """Show the region as saved now (``region``, else read again), after somebody else's save.

        The radar and gaps are redrawn; the section in view shows the
        change without resetting a form the person is typing in (it says
        so when the record it holds changed); hidden sections catch up when
        shown.

        Parameters
        ----------
        region : Region or None, optional
            The region as saved now; ``None`` reads it again from its folder.
        changes : sequence of workbench.data.store.Change, optional
            The changes others saved since the page last looked, oldest first; the section in
            view uses them to say who changed the record being edited.
        """
        assert self.entry is not None
        self.region = region if region is not None else load(self.entry.folder)
        self.refresh_side()
        for name, section in self.built.items():
            if name != self.section:
                self.stale.add(name)
            elif hasattr(section, "live"):
                section.live(list(changes))
            else:
                section.refresh()

    def undo(self, _: Any = None) -> None:
        """Undo the person's own last change; ask first before undoing anyone else's or crossing later edits.

        A first click that needs the person's say-so explains why and turns
        the button into "Undo anyway"; the second click undoes exactly the
        change that was shown.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        store = self.edit_store()
        if store is None:
            return
        pending, self.undo_pending = self.undo_pending, None
        self._undo_button(asking=False)
        undone: Change | None
        if pending is not None:
            undone = store.undo(seq=pending, force=True)
        else:
            try:
                undone = store.undo()
            except UndoRefused as exc:
                crossed = crossed_fields(exc, self.t, record_names(exc.change, self.lang, self.region), self.lang)
                what = change_text(exc.change, self.lang, self.region)
                text = (self.t["undo_ask_crossing"].format(summary=what, fields=crossed) if exc.fields
                        else self.t["undo_ask_other"].format(editor=role_text(exc.change.editor, self.t), summary=what))
                self._ask_undo(exc.change.seq, text)
                return
            if undone is None:
                other = store.undo_candidate(mine_only=False)
                if other is None:
                    self.messages.show("info", self.t["nothing_to_undo"])
                else:
                    self._ask_undo(other.seq, self.t["undo_ask_other"].format(
                        editor=role_text(other.editor, self.t), summary=change_text(other, self.lang, self.region)))
                return
        self.after_save(self.t["undone"].format(summary=change_text(undone, self.lang, self.region),
                                                editor=role_text(undone.editor, self.t)))

    def _ask_undo(self, seq: int, text: str) -> None:
        self.undo_pending = seq
        self._undo_button(asking=True)
        self.messages.show("warn", text)

    def _undo_button(self, asking: bool) -> None:
        self.undo_btn.description = self.t["undo_anyway" if asking else "undo"]
        self.undo_btn.button_style = "danger" if asking else ""


SECTION_CLASSES: dict[str, type] = {
    "map": MapSection, "agencies": AgencySection, "ties": TieSection, "survey": SurveySection,
    "assessment": AssessmentSection, "history": HistorySection,
}


def prepare() -> None:
    """Warm the caches a visitor will need (run by a preheated kernel before the request).

    Every region is loaded and laid out (both land in :mod:`workbench.cache`,
    where kernels started for visitors find them) and the first one drawn once, so that the
    taxonomy, rubric, gap catalogue, vis-network assets and plotting code
    are read before anyone waits for them. Nothing here depends on the
    request; the data are checked again (by file stamps) when it comes. A
    kernel started for a waiting visitor skips this and goes straight to work.
    """
    from ...errors import RegionInvalid

    if not preheating():
        return

    first, folder = None, None
    for entry in list_regions():
        try:
            region = load(entry.folder)
        except RegionInvalid:
            continue
        if first is None:
            first, folder = region, entry.folder
        api.lay_out(region)  # stored on disk: a kernel started for a visitor reads it
    if first is not None:
        api.network_view(first, i18n.DEFAULT, height=MAP_HEIGHT)
        api.assess(first)
        api.gaps(first, i18n.DEFAULT)
        api.radar_svg({"x": {c: 1 for c in api.characteristics()}})
    warm_up_in_background(folder)  # after the drawing, so that the two do not share the CPU
    announce_ready("workshop")


def show(params: dict[str, str] | None = None) -> None:
    """Build the page for this request and display it.

    The workshop notebook's cell: the page follows other people's saves
    (:func:`~workbench.dashboards.live.attach`) under the role typed in it.

    Parameters
    ----------
    params : dict of str to str or None, optional
        The request's query parameters (``region``, ``lang``, untrusted); ``None`` reads them from
        the environment (``QUERY_STRING``).
    """
    from IPython.display import display

    app = Workshop(params)
    attach(app, lambda: app.role_value)
    display(app.root)
    warm_up_in_background(app.entry.folder if app.entry else None)
