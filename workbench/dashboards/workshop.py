"""The regional workbench, for working groups at a workshop.

Pick a region and see its partner map; add, edit and remove agencies and
ties through forms (drop-downs from the taxonomy, checks as you type); answer
the self-assessment one characteristic at a time, per rater, with the
rubric's help texts. Every save goes through
:class:`~workbench.data.RegionStore` (atomic, locked, logged) under the role
the user typed; the last change can be undone. The maturity radar and the
gaps beside the sections are redrawn after each save.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace
from typing import Any

import ipywidgets as w
from markupsafe import Markup

from ..data import Region, RegionStore
from ..data.schema import _CONTACT_RE as CONTACT_RE
from ..data.schema import ID_RE
from ..data.store import Change, make_record
from ..errors import UndoRefused
from ..maturity import assess_region
from ..maturity.charts import radar_svg
from ..maturity.reference import reference_profiles
from ..maturity.scoring import CHARACTERISTICS, indicators_of
from ..network.graph import build_graph
from ..network.layout import layout
from ..network.views import embed_iframe, interactive_html
from ..roadmap.document import DEFAULT_REFERENCE
from ..roadmap.gaps import detect_gaps
from ..survey import unconfirmed_relationships
from ..taxonomy import rubric, taxonomy
from .common import (
    Dashboard,
    agency_label,
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
    today,
    type_label,
    vocabulary_options,
    warm_up_in_background,
)

MAP_HEIGHT = 560
#: How many gaps the side panel lists before "and N more".
SIDE_GAPS = 8
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_ID = re.compile(ID_RE)
_SINCE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ROUND = re.compile(r"[\w.:/+ -]{1,40}")


def slug(text: str) -> str:
    """An agency id suggested from a name (ASCII letters and digits, '-').

    >>> slug("Zone de police Charleroi (Sûreté)"), slug("Αττική")
    ('zone-de-police-charleroi-surete', '')
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:40].strip("-")


def looks_like_contact(text: str) -> bool:
    """Whether free text holds something like an e-mail address or a phone number.

    >>> looks_like_contact("DV referent"), looks_like_contact("call +32 470 12 34 56")
    (False, True)
    """
    return bool(CONTACT_RE.search(text or ""))


def valid_since(text: str) -> bool:
    """Whether ``text`` is a year, a month or a date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``).

    >>> valid_since("2021"), valid_since("2024-09"), valid_since("2024-13"), valid_since("2024-02-30")
    (True, True, False, False)
    """
    m = _SINCE.fullmatch(text)
    if m is None:
        return False
    try:
        dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return False
    return True


def _bool_options(t: dict[str, str]) -> list[tuple[str, str]]:
    return [(t["not_stated"], ""), (t["yes"], "yes"), (t["no"], "no")]


def _bool_value(v: bool | None) -> str:
    return "" if v is None else "yes" if v else "no"


def _as_bool(v: str) -> bool | None:
    return None if not v else v == "yes"


class Workshop(Dashboard):
    """The regional workbench page."""

    kind = "workshop"
    SECTIONS = ("map", "agencies", "ties", "assessment", "history")

    def __init__(self, params: dict[str, str] | None = None) -> None:
        self.role_value = "workshop"
        self.section = "map"
        self.state: dict[str, Any] = {}
        super().__init__(params)

    # -- layout -----------------------------------------------------------------------
    def body(self) -> list[w.Widget]:
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
        self.section = name
        if name not in self.built:
            self.built[name] = SECTION_CLASSES[name](self)
        elif name in self.stale:
            self.built[name].refresh()
        self.stale.discard(name)
        self.messages.clear()
        self.messages.near = getattr(self.built[name], "notice", None)
        self.content.children = [self.built[name].widget]

    def refresh_side(self) -> None:
        """The maturity radar (beside the reference profile) and the detected gaps."""
        t, region = self.t, self.region
        assert region is not None
        result = assess_region(region)
        levels = {c: result[c]["level"] for c in CHARACTERISTICS}
        ref = reference_profiles(self.lang).get(DEFAULT_REFERENCE)
        series = {region.name: levels}
        if ref is not None:
            series[ref["name"]] = ref["levels"]
        radar = radar_svg(series, self.lang, title=t["radar_title"], radius=96)
        gaps = sorted(detect_gaps(region, self.lang), key=lambda g: (SEVERITY_ORDER.get(g.severity, 3), g.id))
        items = "".join(
            f"<li>{badge(t['sev_' + g.severity], 'sev-' + g.severity)} <b>{e(g.id)}</b> {e(g.title)}</li>"
            for g in gaps[:SIDE_GAPS])
        more = (f"<p class='wb-more'>{e(t['more_gaps'].format(n=len(gaps) - SIDE_GAPS))}</p>"
                if len(gaps) > SIDE_GAPS else "")
        link = f"roadmap.ipynb?region={e(region.id)}&amp;lang={e(self.lang)}"
        self.side.value = (
            f"<div class='wb-radar-box'>{radar}</div>"
            f"<h3>{e(t['gaps_title'].format(n=len(gaps)))}</h3>"
            + (f"<ul class='wb-gaps'>{items}</ul>{more}" if gaps else f"<p class='wb-empty'>{e(t['no_gaps'])}</p>")
            + f"<p><a href='{link}' target='_blank' rel='noopener'>{e(t['open_roadmap'])}</a></p>")

    # -- saving ---------------------------------------------------------------------
    def editor(self) -> str:
        """The role written to the change log; refuses anything that looks like contact details."""
        role = (self.role_value or "").strip() or "workshop"
        if looks_like_contact(role):
            raise ValueError(self.t["role_contact"])
        if len(role) > 80:
            raise ValueError(self.t["role_long"])
        return role

    def edit_store(self) -> RegionStore | None:
        try:
            editor = self.editor()
        except ValueError as exc:
            self.messages.error(str(exc))
            return None
        return self.store(editor)

    def after_save(self, text: str, select: str | None = None, region: Region | None = None) -> None:
        """Say what was saved, then redraw the radar, the gaps and the section shown.

        ``region`` is the region as the store saved it (else it is read
        again); ``select`` is the record the shown section should pick.
        Sections that are hidden are redrawn when they are shown again.
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

    def undo(self, _: Any = None) -> None:
        """Undo the person's own last change; ask first before undoing anyone else's or crossing later edits.

        A first click that needs the person's say-so explains why and turns
        the button into "Undo anyway"; the second click undoes exactly the
        change that was shown.
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
                crossed = ", ".join(f"{f.record}: {f.field}" + (f" ({f.saved_by})" if f.saved_by else "")
                                    for f in exc.fields)
                text = (self.t["undo_ask_crossing"].format(summary=exc.change.summary, fields=crossed) if exc.fields
                        else self.t["undo_ask_other"].format(editor=exc.change.editor, summary=exc.change.summary))
                self._ask_undo(exc.change.seq, text)
                return
            if undone is None:
                other = store.undo_candidate(mine_only=False)
                if other is None:
                    self.messages.show("info", self.t["nothing_to_undo"])
                else:
                    self._ask_undo(other.seq, self.t["undo_ask_other"].format(editor=other.editor,
                                                                              summary=other.summary))
                return
        self.after_save(self.t["undone"].format(summary=undone.summary, editor=undone.editor))

    def _ask_undo(self, seq: int, text: str) -> None:
        self.undo_pending = seq
        self._undo_button(asking=True)
        self.messages.show("warn", text)

    def _undo_button(self, asking: bool) -> None:
        self.undo_btn.description = self.t["undo_anyway" if asking else "undo"]
        self.undo_btn.button_style = "danger" if asking else ""


# --- sections --------------------------------------------------------------------------

class MapSection:
    """The partner map: the pyvis page in a sandboxed srcdoc iframe."""

    def __init__(self, app: Workshop) -> None:
        self.app = app
        self.widget = w.HTML()
        self.widget.add_class("wb-map")
        self.refresh()

    def refresh(self) -> None:
        region = self.app.region
        assert region is not None
        doc = interactive_html(region, self.app.lang, height=MAP_HEIGHT,
                               unconfirmed=unconfirmed_relationships(region))
        self.widget.value = embed_iframe(doc, MAP_HEIGHT, title=self.app.t["sec_map"] + " · " + region.name)


class Checks:
    """Messages shown under a form as the user types: errors block saving, warnings do not."""

    def __init__(self) -> None:
        self.widget = w.HTML()
        self.widget.add_class("wb-checks")
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def start(self) -> None:
        self.errors, self.warnings = [], []

    def error(self, text: str) -> None:
        self.errors.append(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def show(self) -> bool:
        items = ([f"<li class='wb-check-error'>{e(x)}</li>" for x in self.errors]
                 + [f"<li class='wb-check-warn'>{e(x)}</li>" for x in self.warnings])
        self.widget.value = f"<ul>{''.join(items)}</ul>" if items else ""
        return not self.errors


def _buttons(app: Workshop, *buttons: w.Button) -> w.HBox:
    box = w.HBox(list(buttons))
    box.add_class("wb-buttons")
    if app.read_only:
        box.layout.display = "none"
    return box


def _lock(app: Workshop, widgets: list[w.Widget]) -> None:
    if app.read_only:
        for x in widgets:
            x.disabled = True


class AgencySection:
    """The agencies table and a form to add, edit or remove one."""

    def __init__(self, app: Workshop) -> None:
        self.app = app
        t = app.t
        tax = taxonomy()
        lang = app.lang
        self.pick = field(w.Dropdown(description=t["agency"]), "wb-agency-pick")
        self.id = field(w.Text(description=t["f_id"], placeholder=t["id_placeholder"]), "wb-agency-id")
        self.name = field(w.Text(description=t["f_name"], placeholder=t["name_placeholder"]), "wb-agency-name")
        types = sorted((tax.label("agency_types", k, lang), k) for k in tax.agency_types)
        forums = sorted((t["forum"] + " · " + tax.label("forum_types", k, lang), k) for k in tax.forum_types)
        self.type = field(w.Dropdown(options=[(t["choose"], ""), *types, *forums], description=t["f_type"]),
                          "wb-agency-type")
        self.parent = field(w.Dropdown(description=t["f_parent"]), "wb-agency-parent")
        self.status = field(w.Dropdown(options=vocabulary_options("agency_status", lang), description=t["f_status"]),
                            "wb-agency-status")
        self.relay = field(w.Dropdown(options=_bool_options(t), description=t["f_relay"]), "wb-agency-relay")
        self.relay_role = field(w.Text(description=t["f_relay_role"], placeholder=t["relay_role_placeholder"]),
                                "wb-agency-relay-role")
        self.lead = field(w.Dropdown(options=_bool_options(t), description=t["f_lead"]), "wb-agency-lead")
        groups = [(tax.label("priority_groups", k, lang), k) for k in tax.priority_groups]
        self.serves = field(w.SelectMultiple(options=groups, rows=5, description=t["f_serves"]), "wb-agency-serves")
        self.refuses = field(w.SelectMultiple(options=groups, rows=5, description=t["f_refuses"]),
                             "wb-agency-refuses")
        self.area = field(w.Text(description=t["f_area"]), "wb-agency-area")
        self.notes = field(w.Textarea(description=t["f_notes"], rows=2), "wb-agency-notes")
        self.checks = Checks()
        self.save_btn = button(t["save"], "wb-agency-save", primary=True)
        self.remove_btn = button(t["remove"], "wb-agency-remove")
        self.table = w.HTML()
        self.table.add_class("wb-table-box")
        self.notice = near_messages()
        self.id_touched = False
        form = w.GridBox([self.id, self.name, self.type, self.parent, self.status, self.relay, self.relay_role,
                          self.lead, self.serves, self.refuses, self.area, self.notes])
        form.add_class("wb-form")
        fields = [self.pick, self.id, self.name, self.type, self.parent, self.status, self.relay,
                  self.relay_role, self.lead, self.serves, self.refuses, self.area, self.notes]
        _lock(app, fields[1:])
        self.widget = w.VBox([
            w.HTML(f"<p class='wb-intro'>{e(t['agencies_intro' if not app.read_only else 'agencies_intro_ro'])}</p>"),
            self.pick, form, self.checks.widget, _buttons(app, self.save_btn, self.remove_btn), self.notice,
            self.table])
        self.pick.observe(app.guard(lambda c: self.fill(c["new"])), "value")
        for x in (self.name, self.type, self.parent, self.relay_role, self.notes, self.area):
            x.observe(app.guard(lambda _c: self.check()), "value")
        self.id.observe(app.guard(self._on_id), "value")
        self.name.observe(app.guard(self._suggest_id), "value")
        self.save_btn.on_click(app.guard(self.save))
        self.remove_btn.on_click(app.guard(self.remove))
        self.refresh()

    # -- filling -------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        region, t = self.app.region, self.app.t
        assert region is not None
        agencies = sorted(region.agencies, key=lambda a: (a.name.lower(), a.id))
        keep = select if select is not None else self.pick.value
        self.pick.options = [(t["new_agency"], "")] + [(f"{a.name} ({a.id})", a.id) for a in agencies]
        self.parent.options = [(t["none"], "")] + [(f"{a.name} ({a.id})", a.id) for a in agencies
                                                    if not a.is_forum]
        self.pick.value = keep if keep in region.by_id else ""
        self.fill(self.pick.value)
        rows = [[a.name, a.id, type_label(a.type, self.app.lang), agency_label(region, a.parent),
                 taxonomy().label("agency_status", a.status, self.app.lang),
                 t["yes"] if a.dv_relay else t["no"] if a.dv_relay is False else "",
                 ", ".join(taxonomy().label("priority_groups", g, self.app.lang) for g in a.target_groups)]
                for a in agencies]
        self.table.value = table([t["f_name"], t["f_id"], t["f_type"], t["f_parent"], t["f_status"],
                                  t["f_relay"], t["f_serves"]], rows, "wb-agencies", t["no_agencies"])

    def fill(self, agency_id: str) -> None:
        region, t = self.app.region, self.app.t
        assert region is not None
        a = region.by_id.get(agency_id) if agency_id else None
        self.remove_btn.description = t["remove"]
        self.remove_btn.button_style = ""
        self.remove_btn.disabled = a is None
        self.id.disabled = a is not None or self.app.read_only
        self.id_touched = a is not None
        self.id.value = a.id if a else ""
        self.name.value = a.name if a else ""
        self.type.value = a.type if a and a.type in dict((v, k) for k, v in self.type.options) else ""
        self.parent.value = a.parent if a and a.parent in region.by_id else ""
        self.status.value = a.status if a else "active"
        self.relay.value = _bool_value(a.dv_relay) if a else ""
        self.relay_role.value = a.relay_role or "" if a else ""
        self.lead.value = _bool_value(a.lead) if a else ""
        known = {v for _, v in self.serves.options}
        self.serves.value = tuple(g for g in (a.target_groups if a else ()) if g in known)
        self.refuses.value = tuple(g for g in (a.excluded_groups if a else ()) if g in known)
        self.area.value = a.area or "" if a else ""
        self.notes.value = a.notes or "" if a else ""
        self.check()

    def _on_id(self, change: dict[str, Any]) -> None:
        if not self.id.disabled and change["new"] != slug(self.name.value):
            self.id_touched = bool(change["new"])
        self.check()

    def _suggest_id(self, change: dict[str, Any]) -> None:
        if not self.id_touched and not self.pick.value:
            self.id.value = slug(change["new"])

    # -- checking as you type -------------------------------------------------------------
    def check(self) -> bool:
        t, region, c = self.app.t, self.app.region, self.checks
        assert region is not None
        c.start()
        new = not self.pick.value
        aid = self.id.value.strip()
        if not aid:
            c.error(t["id_missing"])
        elif not _ID.fullmatch(aid):
            c.error(t["id_bad"].format(id=aid))
        elif new and aid in region.by_id:
            c.error(t["id_taken"].format(id=aid, name=region.by_id[aid].name))
        name = self.name.value.strip()
        if not name:
            c.error(t["name_missing"])
        elif len(name) > 200:
            c.error(t["too_long"].format(field=t["f_name"], n=len(name), max=200))
        if not self.type.value:
            c.error(t["type_missing"])
        if self.parent.value and self.parent.value == aid:
            c.error(t["own_parent"])
        if self.type.value in taxonomy().forum_types and self.parent.value:
            c.error(t["forum_parent"])
        for label, x in ((t["f_name"], self.name), (t["f_relay_role"], self.relay_role),
                         (t["f_area"], self.area), (t["f_notes"], self.notes)):
            if looks_like_contact(x.value):
                c.warn(t["contact_warning"].format(field=label))
        for label, x in ((t["f_relay_role"], self.relay_role), (t["f_area"], self.area)):
            if len(x.value.strip()) > 200:
                c.error(t["too_long"].format(field=label, n=len(x.value.strip()), max=200))
        ok = c.show()
        self.save_btn.disabled = not ok or self.app.read_only
        return ok

    # -- saving ---------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.value, "type": self.type.value, "parent": self.parent.value or None,
            "status": self.status.value, "dv_relay": _as_bool(self.relay.value),
            "relay_role": self.relay_role.value, "lead": _as_bool(self.lead.value),
            "target_groups": list(self.serves.value), "excluded_groups": list(self.refuses.value),
            "area": self.area.value, "notes": self.notes.value,
        }

    def save(self, _: Any = None) -> None:
        if not self.check():
            self.app.messages.error(self.app.t["fix_first"])
            return
        store = self.app.edit_store()
        if store is None:
            return
        aid = self.id.value.strip()
        if self.pick.value:
            region = store.edit_agency(aid, **self.values())
        else:
            region = store.add_agency(id=aid, **self.values())
        self.app.after_save(self.app.t["saved_agency"].format(name=self.name.value.strip()), select=aid,
                            region=region)

    def remove(self, _: Any = None) -> None:
        t = self.app.t
        aid = self.pick.value
        if not aid:
            return
        if self.remove_btn.button_style != "danger":  # first click: ask again
            self.remove_btn.description = t["confirm_remove"]
            self.remove_btn.button_style = "danger"
            return
        store = self.app.edit_store()
        if store is None:
            return
        name = self.name.value
        region = store.remove_agency(aid)
        self.app.after_save(t["removed_agency"].format(name=name), select="", region=region)


def _tie_key(value: str) -> tuple[str, str, str] | None:
    parts = value.split("|")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


class TieSection:
    """The ties table and a form to add, edit or remove one."""

    def __init__(self, app: Workshop) -> None:
        self.app = app
        t, lang, tax = app.t, app.lang, taxonomy()
        self.pick = field(w.Dropdown(description=t["tie"]), "wb-tie-pick")
        self.source = field(w.Dropdown(description=t["f_source"]), "wb-tie-source")
        self.target = field(w.Dropdown(description=t["f_target"]), "wb-tie-target")
        types = [(tax.label("relationship_types", k, lang), k) for k in tax.relationship_types]
        self.type = field(w.Dropdown(options=[(t["choose"], ""), *types], description=t["f_tie_type"]),
                          "wb-tie-type")
        blank = t["not_stated"]
        self.formality = field(w.Dropdown(options=vocabulary_options("formality", lang, blank),
                                          description=t["f_formality"]), "wb-tie-formality")
        self.frequency = field(w.Dropdown(options=vocabulary_options("frequency", lang, blank),
                                          description=t["f_frequency"]), "wb-tie-frequency")
        self.role = field(w.Dropdown(options=vocabulary_options("membership_role", lang, blank),
                                     description=t["f_role"]), "wb-tie-role")
        self.attendance = field(w.Dropdown(options=vocabulary_options("attendance", lang, blank),
                                           description=t["f_attendance"]), "wb-tie-attendance")
        self.legal = field(w.Dropdown(options=vocabulary_options("legal_basis", lang, blank),
                                      description=t["f_legal"]), "wb-tie-legal")
        self.since = field(w.Text(description=t["f_since"], placeholder="2021-03"), "wb-tie-since")
        self.status = field(w.Dropdown(options=vocabulary_options("agency_status", lang),
                                       description=t["f_status"]), "wb-tie-status")
        self.notes = field(w.Textarea(description=t["f_notes"], rows=2), "wb-tie-notes")
        self.help = w.HTML()
        self.help.add_class("wb-help")
        self.checks = Checks()
        self.save_btn = button(t["save"], "wb-tie-save", primary=True)
        self.remove_btn = button(t["remove"], "wb-tie-remove")
        self.table = w.HTML()
        self.table.add_class("wb-table-box")
        self.notice = near_messages()
        form = w.GridBox([self.source, self.target, self.type, self.status, self.formality, self.frequency,
                          self.role, self.attendance, self.legal, self.since, self.notes])
        form.add_class("wb-form")
        _lock(app, [self.source, self.target, self.type, self.status, self.formality, self.frequency,
                    self.role, self.attendance, self.legal, self.since, self.notes])
        self.widget = w.VBox([
            w.HTML(f"<p class='wb-intro'>{e(t['ties_intro' if not app.read_only else 'ties_intro_ro'])}</p>"),
            self.pick, form, self.help, self.checks.widget, _buttons(app, self.save_btn, self.remove_btn),
            self.notice, self.table])
        self.pick.observe(app.guard(lambda c: self.fill(c["new"])), "value")
        for x in (self.source, self.target, self.type, self.since, self.notes):
            x.observe(app.guard(lambda _c: self.check()), "value")
        self.save_btn.on_click(app.guard(self.save))
        self.remove_btn.on_click(app.guard(self.remove))
        self.refresh()

    def _name(self, agency_id: str) -> str:
        region = self.app.region
        assert region is not None
        a = region.by_id.get(agency_id)
        return a.name if a else agency_id

    def refresh(self, select: str | None = None) -> None:
        region, t, lang, tax = self.app.region, self.app.t, self.app.lang, taxonomy()
        assert region is not None
        ties = sorted(region.relationships, key=lambda r: (self._name(r.source).lower(), self._name(r.target).lower(),
                                                           r.type))
        keep = select if select is not None else self.pick.value
        self.pick.options = [(t["new_tie"], "")] + [
            (f"{self._name(r.source)} → {self._name(r.target)} · "
             f"{tax.label('relationship_types', r.type, lang)}", "|".join(r.key)) for r in ties]
        agencies = sorted(region.agencies, key=lambda a: (a.name.lower(), a.id))
        opts = [(t["choose"], "")] + [(f"{a.name} ({a.id})", a.id) for a in agencies]
        self.source.options = opts
        self.target.options = opts
        self.pick.value = keep if keep in {v for _, v in self.pick.options} else ""
        self.fill(self.pick.value)
        rows = [[self._name(r.source), tax.label("relationship_types", r.type, lang), self._name(r.target),
                 tax.label("formality", r.formality, lang) if r.formality else "",
                 tax.label("frequency", r.frequency, lang) if r.frequency else "",
                 tax.label("agency_status", r.status, lang), r.since or ""] for r in ties]
        self.table.value = table([t["f_source"], t["f_tie_type"], t["f_target"], t["f_formality"],
                                  t["f_frequency"], t["f_status"], t["f_since"]], rows, "wb-ties", t["no_ties"])

    def fill(self, value: str) -> None:
        region, t = self.app.region, self.app.t
        assert region is not None
        key = _tie_key(value) if value else None
        r = next((x for x in region.relationships if x.key == key), None)
        editing = r is not None
        for x in (self.source, self.target, self.type):
            x.disabled = editing or self.app.read_only
        self.remove_btn.description = t["remove"]
        self.remove_btn.button_style = ""
        self.remove_btn.disabled = not editing
        ids = {v for _, v in self.source.options}
        self.source.value = r.source if r and r.source in ids else ""
        self.target.value = r.target if r and r.target in ids else ""
        self.type.value = r.type if r else ""
        self.formality.value = r.formality or "" if r else ""
        self.frequency.value = r.frequency or "" if r else ""
        self.role.value = r.role or "" if r else ""
        self.attendance.value = r.attendance or "" if r else ""
        self.legal.value = r.legal_basis or "" if r else ""
        self.since.value = r.since or "" if r else ""
        self.status.value = r.status if r else "active"
        self.notes.value = r.notes or "" if r else ""
        self.check()

    def check(self) -> bool:
        t, region, c, lang = self.app.t, self.app.region, self.checks, self.app.lang
        assert region is not None
        tax = taxonomy()
        c.start()
        typ = self.type.value
        spec = tax.relationship_types.get(typ, {})
        self.help.value = (f"<p>{e(spec.get('help_' + lang) or spec.get('help_en', ''))}</p>" if typ else "")
        membership = typ == "forum_membership"
        for x in (self.role, self.attendance):
            x.disabled = not membership or self.app.read_only
            if not membership:
                x.value = ""
        src, tgt = self.source.value, self.target.value
        if not src or not tgt:
            c.error(t["tie_ends_missing"])
        elif src == tgt:
            c.error(t["tie_self"])
        if not typ:
            c.error(t["tie_type_missing"])
        if src and tgt and typ and not self.pick.value:
            if any(r.key == (src, tgt, typ) for r in region.relationships):
                c.error(t["tie_exists"])
        if membership and tgt and not region.by_id[tgt].is_forum:
            c.error(t["membership_target"])
        if src and typ and typ != "forum_membership" and region.by_id[src].is_forum:
            c.warn(t["forum_source"])
        since = self.since.value.strip()
        if since and not valid_since(since):
            c.error(t["since_bad"].format(value=since))
        if looks_like_contact(self.notes.value):
            c.warn(t["contact_warning"].format(field=t["f_notes"]))
        ok = c.show()
        self.save_btn.disabled = not ok or self.app.read_only
        return ok

    def save(self, _: Any = None) -> None:
        t = self.app.t
        if not self.check():
            self.app.messages.error(t["fix_first"])
            return
        store = self.app.edit_store()
        if store is None:
            return
        values = {"formality": self.formality.value, "frequency": self.frequency.value,
                  "role": self.role.value, "attendance": self.attendance.value,
                  "legal_basis": self.legal.value, "since": self.since.value, "status": self.status.value,
                  "notes": self.notes.value}
        src, tgt, typ = self.source.value, self.target.value, self.type.value
        if self.pick.value:
            region = store.edit_relationship(src, tgt, typ, **values)
        else:
            region = store.add_relationship(source=src, target=tgt, type=typ, **values)
        self.app.after_save(t["saved_tie"].format(source=self._name(src), target=self._name(tgt)),
                            select="|".join((src, tgt, typ)), region=region)

    def remove(self, _: Any = None) -> None:
        t = self.app.t
        key = _tie_key(self.pick.value) if self.pick.value else None
        if key is None:
            return
        if self.remove_btn.button_style != "danger":
            self.remove_btn.description = t["confirm_remove"]
            self.remove_btn.button_style = "danger"
            return
        store = self.app.edit_store()
        if store is None:
            return
        region = store.remove_relationship(*key)
        self.app.after_save(t["removed_tie"].format(source=self._name(key[0]), target=self._name(key[1])),
                            select="", region=region)


def _answer_options(indicator: str, lang: str, t: dict[str, str]) -> list[tuple[str, str]]:
    spec = rubric().indicators[indicator]
    words = list(spec["answers"])
    labels = spec.get(f"labels_{lang}") or spec.get("labels_en") or words
    return [*zip(labels, words, strict=True), (t["na"], "n/a"), (t["not_answered"], "")]


def _answer_word(indicator: str, answer: str) -> str:
    """The answer as one of the indicator's words (``2`` → ``written``), or ``n/a``."""
    r = rubric()
    spec = r.indicators[indicator]
    try:
        score = r.score(indicator, answer)
    except (KeyError, ValueError):
        return ""
    if score is None:
        return "n/a"
    scores = list(spec.get("scores", [0, 1, 2]))
    return spec["answers"][scores.index(score)] if score in scores else ""


class AssessmentSection:
    """The questionnaire: one characteristic at a time, per rater and round."""

    GROUPS = (*CHARACTERISTICS, "X")

    def __init__(self, app: Workshop) -> None:
        self.app = app
        t = app.t
        region = app.region
        assert region is not None
        rounds = region.rounds
        default_round = app.state.get("round") or (rounds[-1] if rounds else f"{today()[:4]}-workshop")
        self.round = field(w.Combobox(value=default_round, options=rounds, description=t["round"],
                                      placeholder="2025-baseline", continuous_update=False), "wb-round")
        self.rater = field(w.Combobox(value=app.state.get("rater", ""), description=t["rater"],
                                      placeholder=t["rater_placeholder"], continuous_update=False), "wb-rater")
        chars = rubric().characteristics
        self.group = w.ToggleButtons(
            options=[(c, c) for c in CHARACTERISTICS] + [(t["context"], "X")],
            tooltips=[chars[c].get(app.lang) or chars[c]["en"] for c in CHARACTERISTICS] + [t["context_help"]],
            value=app.state.get("group", "C1"))
        self.group.style.button_width = "auto"
        self.group.add_class("wb-char-pick")
        self.intro = w.HTML()
        self.intro.add_class("wb-char-intro")
        self.items = w.VBox()
        self.items.add_class("wb-indicators")
        self.save_btn = button(t["save_answers"], "wb-answers-save", primary=True)
        self.next_btn = button(t["save_next"], "wb-answers-next")
        self.rows: dict[str, tuple[w.ToggleButtons, w.Text]] = {}
        _lock(app, [self.round, self.rater])
        top = w.HBox([self.round, self.rater])
        top.add_class("wb-form-row")
        self.notice = near_messages()
        self.widget = w.VBox([w.HTML(f"<p class='wb-intro'>{e(t['assessment_intro'])}</p>"), top, self.group,
                              self.intro, self.items, _buttons(app, self.save_btn, self.next_btn), self.notice])
        self.round.observe(app.guard(self._on_who), "value")
        self.rater.observe(app.guard(self._on_who), "value")
        self.group.observe(app.guard(lambda c: self.show_group(c["new"])), "value")
        self.save_btn.on_click(app.guard(lambda _b: self.save(False)))
        self.next_btn.on_click(app.guard(lambda _b: self.save(True)))
        self.refresh()

    def indicators(self, group: str) -> list[str]:
        return list(rubric().raw["factors"]) if group == "X" else indicators_of(group)

    def existing(self) -> dict[str, Any]:
        region = self.app.region
        assert region is not None
        rnd, rater = self.round.value.strip(), self.rater.value.strip()
        return {a.indicator: a for a in region.assessment if a.round == rnd and (a.rater or "") == rater}

    def refresh(self) -> None:
        region = self.app.region
        assert region is not None
        self.round.options = region.rounds
        self._update_raters()
        self.show_group(self.group.value)

    def _update_raters(self) -> None:
        region = self.app.region
        assert region is not None
        rnd = self.round.value.strip()
        self.rater.options = sorted({a.rater for a in region.assessment if a.round == rnd and a.rater})

    def _on_who(self, _change: dict[str, Any]) -> None:
        self.app.state["round"] = self.round.value
        self.app.state["rater"] = self.rater.value
        self._update_raters()
        self.show_group(self.group.value)

    def show_group(self, group: str) -> None:
        app, t, lang = self.app, self.app.t, self.app.lang
        app.state["group"] = group
        r = rubric()
        if group == "X":
            self.intro.value = f"<h3>{e(t['context'])}</h3><p>{e(t['context_help'])}</p>"
        else:
            spec = r.characteristics[group]
            self.intro.value = (f"<h3>{e(group)} {e(spec.get(lang) or spec['en'])}</h3>"
                                f"<p>{e(spec.get('definition_' + lang) or spec.get('definition_en', ''))}</p>")
        have = self.existing()
        self.rows = {}
        children: list[w.Widget] = []
        for ind in self.indicators(group):
            spec = r.indicators[ind]
            question = spec.get(f"question_{lang}") or spec.get("question_en", "")
            help_text = spec.get(f"help_{lang}") or spec.get("help_en")
            head = f"<div class='wb-question'><b>{e(ind)}</b> {e(question)}</div>"
            if help_text:
                head += f"<details class='wb-rubric-help'><summary>{e(t['help'])}</summary>{e(help_text)}</details>"
            current = have.get(ind)
            answer = w.ToggleButtons(options=_answer_options(ind, lang, t),
                                     value=_answer_word(ind, current.answer) if current else "")
            answer.style.button_width = "auto"
            answer.add_class("wb-answer")
            answer.add_class(f"wb-answer-{ind.replace('.', '-')}")
            evidence = w.Text(value=(current.evidence or "") if current else "", placeholder=t["evidence_placeholder"])
            evidence.layout.width = "100%"
            evidence.add_class("wb-evidence")
            _lock(app, [answer, evidence])
            self.rows[ind] = (answer, evidence)
            box = w.VBox([w.HTML(head), answer, evidence])
            box.add_class("wb-indicator")
            children.append(box)
        self.items.children = children
        self.save_btn.description = t["save_answers_of"].format(group=t["context"] if group == "X" else group)

    def save(self, move_on: bool) -> None:
        app, t = self.app, self.app.t
        rnd, rater = self.round.value.strip(), self.rater.value.strip()
        if not _ROUND.fullmatch(rnd):
            app.messages.error(t["round_bad"])
            return
        if not rater:
            app.messages.error(t["rater_missing"])
            return
        if looks_like_contact(rater) or len(rater) > 80:
            app.messages.error(t["rater_bad"])
            return
        have = self.existing()
        changes: dict[str, tuple[str, str]] = {}
        for ind, (answer, evidence) in self.rows.items():
            old = have.get(ind)
            old_pair = (_answer_word(ind, old.answer), old.evidence or "") if old else ("", "")
            new_pair = (answer.value or "", evidence.value.strip() if answer.value else "")
            if new_pair != old_pair:
                changes[ind] = new_pair
        group = self.group.value
        if changes:
            store = app.edit_store()
            if store is None:
                return
            before = assess_region(app.region) if app.region is not None else {}
            date = today()

            def edit(region: Region) -> Region:
                rows = {a.key: a for a in region.assessment}
                for ind, (word, evidence) in changes.items():
                    key = (rnd, ind, rater)
                    if word:
                        rows[key] = make_record("assessment", {"round": rnd, "indicator": ind, "answer": word,
                                                               "rater": rater, "evidence": evidence, "date": date})
                    else:
                        rows.pop(key, None)
                return replace(region, assessment=tuple(rows.values()))

            saved = store.apply(f"answers {group} ({rnd}, {rater}): {', '.join(sorted(changes))}", edit)
            after = assess_region(saved)
            moved = [f"{c} {t['level_none'] if before.get(c, {}).get('level') is None else before[c]['level']}"
                     f" → {t['level_none'] if after[c]['level'] is None else after[c]['level']}"
                     for c in CHARACTERISTICS if before.get(c, {}).get("level") != after[c]["level"]]
            text = t["saved_answers"].format(n=len(changes)) + (" " + t["levels_moved"].format(
                moves="; ".join(moved)) if moved else "")
            app.after_save(text, region=saved)
        else:
            app.messages.show("info", t["no_changes"])
        if move_on:
            nxt = self.GROUPS[(self.GROUPS.index(group) + 1) % len(self.GROUPS)]
            self.group.value = nxt


class HistorySection:
    """The change log, newest first."""

    LIMIT = 30

    def __init__(self, app: Workshop) -> None:
        self.app = app
        self.widget = w.HTML()
        self.widget.add_class("wb-history")
        self.refresh()

    def refresh(self) -> None:
        t, entry = self.app.t, self.app.entry
        assert entry is not None
        hist = RegionStore(entry.folder).history()
        undone = {c.undoes for c in hist if c.undoes is not None}
        rows = []
        for c in reversed(hist[-self.LIMIT:]):
            state = badge(t["undone_mark"], "muted") if c.seq in undone else Markup("")
            rows.append([c.seq, c.time.replace("T", " ").replace("+00:00", " UTC"), c.editor,
                         Markup(f"{e(c.summary)} {state}")])
        intro = f"<p class='wb-intro'>{e(t['history_intro'])}</p>"
        self.widget.value = intro + table(["#", t["when"], t["who"], t["what"]], rows, "wb-log", t["no_history"])


SECTION_CLASSES: dict[str, type] = {
    "map": MapSection, "agencies": AgencySection, "ties": TieSection,
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
    from ..errors import RegionInvalid

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
        layout(build_graph(region))  # stored on disk: a kernel started for a visitor reads it
    if first is not None:
        interactive_html(first, "en", height=MAP_HEIGHT)
        assess_region(first)
        detect_gaps(first, "en")
        radar_svg({"x": {c: 1 for c in CHARACTERISTICS}})
    warm_up_in_background(folder)  # after the drawing, so that the two do not share the CPU
    announce_ready("workshop")


def show(params: dict[str, str] | None = None) -> None:
    """Build the page for this request and display it."""
    from IPython.display import display

    app = Workshop(params)
    display(app.root)
    warm_up_in_background(app.entry.folder if app.entry else None)
