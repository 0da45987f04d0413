"""The agencies section: their table and a form to add, edit or remove one."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ...data.schema import TEXT_MAX, check_id, check_length, contact_warning
from ...data.store import Change
from ...errors import EditConflict
from ...taxonomy import taxonomy
from ..common import agency_label, button, e, field, near_messages, table, type_label, vocabulary_options
from ..together import (
    ConflictBox,
    form_values,
    held,
    kept,
    quietly,
    record_note,
    set_options,
    show_conflict,
    touched_by,
)
from .widgets import Checks, button_row, lock

if TYPE_CHECKING:  # for annotations only: the app imports every section
    from .app import Workshop


def slug(text: str) -> str:
    """An agency id suggested from a name (ASCII letters and digits, '-').

    Parameters
    ----------
    text : str
        An agency's name as typed, in any script.

    Returns
    -------
    str
        At most 40 characters, accents dropped; empty when the name holds no Latin
        letter or digit (the person then types an id).

    Examples
    --------
    >>> slug("Zone de police Charleroi (Sûreté)"), slug("Αττική")
    ('zone-de-police-charleroi-surete', '')
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:40].strip("-")


def _bool_options(t: dict[str, str]) -> list[tuple[str, str]]:
    return [(t["not_stated"], ""), (t["yes"], "yes"), (t["no"], "no")]


def _bool_value(v: bool | None) -> str:
    return "" if v is None else "yes" if v else "no"


def _as_bool(v: str) -> bool | None:
    return None if not v else v == "yes"


class AgencySection:
    """The agencies table and a form to add, edit or remove one.

    Parameters
    ----------
    app : Workshop
        The workshop dashboard the section belongs to: its region, language,
        texts and the store it saves through.
    """

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
        # How often a forum meets (version 1.1): shown for forum types only.
        self.meets = field(w.Dropdown(options=vocabulary_options("frequency", lang, t["not_stated"]),
                                      description=t["f_meets"]), "wb-agency-meets")
        self.notes = field(w.Textarea(description=t["f_notes"], rows=2), "wb-agency-notes")
        self.checks = Checks()
        self.save_btn = button(t["save"], "wb-agency-save", primary=True)
        self.remove_btn = button(t["remove"], "wb-agency-remove")
        self.table = w.HTML()
        self.table.add_class("wb-table-box")
        self.notice = near_messages()
        self.id_touched = False
        self.quiet = False  # while the page redraws the form (:func:`~..together.quietly`)
        self.base: Any = None  # the agency as the form was filled with it: what the person started from
        self.filled: list[Any] = []
        self.conflict = ConflictBox(t, app.guard)
        self.note = w.HTML()
        self.note.add_class("wb-form-note")
        form = w.GridBox([self.id, self.name, self.type, self.parent, self.status, self.meets, self.relay,
                          self.relay_role, self.lead, self.serves, self.refuses, self.area, self.notes])
        form.add_class("wb-form")
        fields = [self.pick, self.id, self.name, self.type, self.parent, self.status, self.meets, self.relay,
                  self.relay_role, self.lead, self.serves, self.refuses, self.area, self.notes]
        lock(app, fields[1:])
        self.fields = fields[1:]
        self.widget = w.VBox([
            w.HTML(f"<p class='wb-intro'>{e(t['agencies_intro' if not app.read_only else 'agencies_intro_ro'])}</p>"),
            self.pick, self.note, form, self.checks.widget, button_row(app, self.save_btn, self.remove_btn),
            self.conflict.widget, self.notice, self.table])
        self.pick.observe(app.guard(lambda c: None if self.quiet else self.fill(c["new"])), "value")
        for x in (self.name, self.type, self.parent, self.relay_role, self.notes, self.area):
            x.observe(app.guard(lambda _c: None if self.quiet else self.check()), "value")
        self.id.observe(app.guard(self._on_id), "value")
        self.name.observe(app.guard(self._suggest_id), "value")
        self.save_btn.on_click(app.guard(self.save))
        self.remove_btn.on_click(app.guard(self.remove))
        self.refresh()

    # -- filling -------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Redraw the table and pick lists as the region is now and fill the form with the agency picked.

        Parameters
        ----------
        select : str or None, optional
            The agency id to pick (``""`` for a new agency); ``None`` keeps the one picked,
            if it still exists.
        """
        with held(self.buttons()):
            self.lists(select)
            self.fill(self.pick.value)

    def buttons(self) -> list[w.Widget]:
        """List the form's buttons and conflict box, whose state the browser sees only when a redraw is done.

        Returns
        -------
        list of ipywidgets.Widget
            The save and remove buttons and the conflict box's parts (for :func:`~..together.held`).
        """
        return [self.save_btn, self.remove_btn, *self.conflict.parts()]

    def lists(self, select: str | None = None) -> None:
        """Redraw the pick lists and the table as the region is now; the fields are left as they are.

        Parameters
        ----------
        select : str or None, optional
            The agency id to pick (``""`` for a new agency); ``None`` keeps the one picked.
            An id the region does not hold picks a new agency.
        """
        region, t = self.app.region, self.app.t
        assert region is not None
        agencies = sorted(region.agencies, key=lambda a: (a.name.lower(), a.id))
        keep = select if select is not None else self.pick.value
        with quietly(self):
            # others' renames must not move what a person is about to pick
            set_options(self.pick, [(t["new_agency"], "")] + [(f"{a.name} ({a.id})", a.id) for a in agencies])
            set_options(self.parent, [(t["none"], "")] + [(f"{a.name} ({a.id})", a.id) for a in agencies
                                                           if not a.is_forum])
            self.pick.value = keep if keep in region.by_id else ""
        rows = [[a.name, a.id, type_label(a.type, self.app.lang), agency_label(region, a.parent),
                 taxonomy().label("agency_status", a.status, self.app.lang),
                 t["yes"] if a.dv_relay else t["no"] if a.dv_relay is False else "",
                 ", ".join(taxonomy().label("priority_groups", g, self.app.lang) for g in a.target_groups)]
                for a in agencies]
        self.table.value = table([t["f_name"], t["f_id"], t["f_type"], t["f_parent"], t["f_status"],
                                  t["f_relay"], t["f_serves"]], rows, "wb-agencies", t["no_agencies"])

    def fill(self, agency_id: str) -> None:
        """Put an agency's fields into the form (the pick list's callback), then check them.

        Parameters
        ----------
        agency_id : str
            The id of the agency to edit; ``""`` (or an id the region does not hold)
            empties the form for a new agency.
        """
        region = self.app.region
        assert region is not None
        a = region.by_id.get(agency_id) if agency_id else None
        with held(self.buttons()), quietly(self):  # checked once, when it is filled
            self._fill(a)

    def _fill(self, a: Any) -> None:
        region, t = self.app.region, self.app.t
        assert region is not None
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
        self.meets.value = a.frequency or "" if a else ""
        self.base = a
        self.note.value = ""
        self.conflict.hide()
        self.filled = form_values(self.fields)
        self.check()

    def _on_id(self, change: dict[str, Any]) -> None:
        if self.quiet:
            return
        if not self.id.disabled and change["new"] != slug(self.name.value):
            self.id_touched = bool(change["new"])
        self.check()

    def _suggest_id(self, change: dict[str, Any]) -> None:
        if self.quiet:
            return
        if not self.id_touched and not self.pick.value:
            self.id.value = slug(change["new"])

    # -- checking as you type -------------------------------------------------------------
    def check(self) -> bool:
        """Check what was typed and list what is wrong under the form, as the person types.

        Errors (a missing or taken id, no name or type, a text too long, an
        agency its own parent, a forum with a parent) disable the save button;
        a warning (contact details in a text) does not. The *meets* field is
        shown for forums only.

        Returns
        -------
        bool
            ``True`` when nothing blocks saving.
        """
        t, region, c, lang = self.app.t, self.app.region, self.checks, self.app.lang
        assert region is not None
        c.start()
        new = not self.pick.value
        aid = self.id.value.strip()
        if not aid:
            c.error(t["id_missing"])
        elif (bad := check_id(aid)) is not None:
            c.error(bad.sentence(lang))
        elif new and aid in region.by_id:
            c.error(t["id_taken"].format(id=aid, name=region.by_id[aid].name))
        name = self.name.value.strip()
        if not name:
            c.error(t["name_missing"])
        elif (bad := check_length(name, TEXT_MAX)) is not None:
            c.error(bad.about(t["f_name"], lang))
        if not self.type.value:
            c.error(t["type_missing"])
        if self.parent.value and self.parent.value == aid:
            c.error(t["own_parent"])
        forum = self.type.value in taxonomy().forum_types
        if forum and self.parent.value:
            c.error(t["forum_parent"])
        self.meets.layout.display = None if forum else "none"
        if not forum:
            self.meets.value = ""
        for label, x in ((t["f_name"], self.name), (t["f_relay_role"], self.relay_role),
                         (t["f_area"], self.area), (t["f_notes"], self.notes)):
            if (bad := contact_warning(x.value)) is not None:
                c.warn(bad.about(label, lang))
        for label, x in ((t["f_relay_role"], self.relay_role), (t["f_area"], self.area)):
            if (bad := check_length(x.value.strip(), TEXT_MAX)) is not None:
                c.error(bad.about(label, lang))
        ok = c.show()
        self.save_btn.disabled = not ok or self.app.read_only
        return ok

    # -- saving ---------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Read the form's fields as the store takes them (all but the id).

        Returns
        -------
        dict of str to Any
            The agency's fields by column name of ``agencies.csv``; ``yes``/``no`` become
            ``True``/``False``, not stated ``None``.
        """
        return {
            "name": self.name.value, "type": self.type.value, "parent": self.parent.value or None,
            "status": self.status.value, "dv_relay": _as_bool(self.relay.value),
            "relay_role": self.relay_role.value, "lead": _as_bool(self.lead.value),
            "target_groups": list(self.serves.value), "excluded_groups": list(self.refuses.value),
            "area": self.area.value, "notes": self.notes.value, "frequency": self.meets.value,
        }

    def save(self, _: Any = None) -> None:
        """Add the agency, or save the changes to the one picked (the save button's callback).

        Nothing is saved while the form has errors, or while the role typed looks
        like contact details; either is said in a message. When somebody else
        changed the same agency since the form was filled, the rest is saved and
        the conflict box asks whose value to keep.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        if not self.check():
            self.app.messages.error(self.app.t["fix_first"])
            return
        store = self.app.edit_store()
        if store is None:
            return
        aid = self.id.value.strip()
        if self.pick.value:
            try:
                region = store.edit_agency(aid, base=self.base, **self.values())
            except EditConflict as exc:
                self._conflict(exc, removing=False)
                return
        else:
            try:
                region = store.add_agency(id=aid, **self.values())
            except EditConflict as exc:  # somebody added this id since the page last looked
                saved = exc.saved if isinstance(exc.saved, dict) else {}
                self.app.messages.error(self.app.t["id_taken"].format(id=aid, name=saved.get("name") or aid))
                return
        self.app.after_save(self.app.t["saved_agency"].format(name=self.name.value.strip()), select=aid,
                            region=region)

    def remove(self, _: Any = None) -> None:
        """Remove the agency picked, on a second click (the remove button's callback).

        The first click turns the button into a red *confirm* button; the
        second removes the agency, unless somebody else changed it meanwhile
        (the conflict box then asks).

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        t = self.app.t
        aid = self.pick.value
        if not aid:
            return
        if self.remove_btn.button_style != "danger":  # first click: ask again
            self.remove_btn.description = t["confirm_remove"]
            self.remove_btn.button_style = "danger"
            return
        self._remove()

    def _remove(self) -> None:
        store = self.app.edit_store()
        if store is None:
            return
        name = self.name.value
        try:
            region = store.remove_agency(self.pick.value, base=self.base)
        except EditConflict as exc:
            self._conflict(exc, removing=True)
            return
        self.app.after_save(self.app.t["removed_agency"].format(name=name), select="", region=region)

    # -- editing together -------------------------------------------------------------------
    def _conflict(self, exc: EditConflict, removing: bool) -> None:
        """Somebody else saved this agency first: say what, keep the form, offer to keep theirs or put mine."""
        aid = self.pick.value

        def keep() -> None:
            self.app.update()
            self.refresh(select=aid)

        def mine() -> None:
            self.base = exc.saved  # what is saved now: a deliberate second save
            self._remove() if removing else self.save()

        self.app.update(exc.region)
        show_conflict(self.app, exc, self.conflict, keep, mine if exc.saved is not None else None, removing)

    def typing(self) -> bool:
        """Tell whether the form holds something the person typed and has not saved.

        Returns
        -------
        bool
            ``True`` when a field differs from what the form was filled with.
        """
        return form_values(self.fields) != self.filled

    def live(self, changes: list[Change]) -> None:
        """Show what others saved: the table and lists now; the form only if the person is not typing in it.

        A form being typed in (or waiting on a conflict choice) keeps its values
        and its base, and a note says who changed or removed its agency
        meanwhile, so the next save is checked against what the person had read.

        Parameters
        ----------
        changes : list of Change
            The change log's new entries, to name who touched the agency.
        """
        typing, aid = self.typing(), self.pick.value
        base, filled, asking = self.base, self.filled, self.conflict.state()
        region = self.app.region
        assert region is not None
        now = region.by_id.get(aid) if aid else None
        moved = base is not None and now != base  # somebody else saved the agency this form holds
        with held(self.buttons()):
            if (typing or asking is not None) and (now is not None or not aid):
                self.lists()  # the form, and the choice it offers, stay as they are
                self.check()
            else:
                with quietly(self), kept(self.fields, keep=typing or asking is not None):
                    self.refresh()
                if typing or asking is not None:
                    self.base, self.filled = base, filled
                    self.conflict.resume(asking)
                    self.check()
        if moved and (typing or asking is not None):
            who = touched_by(changes, "agencies", aid) or self.app.t["somebody"]
            self.note.value = record_note(self.app.t, who, gone=now is None)

