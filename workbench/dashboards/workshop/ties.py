"""The ties section: their table and a form to add, edit or remove one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ...data.model import APPLIES_TO
from ...data.schema import TEXT_MAX, check_length, check_since, contact_warning
from ...data.store import Change
from ...errors import EditConflict
from ...taxonomy import taxonomy
from ..common import button, e, field, near_messages, table, vocabulary_options
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


def _tie_key(value: str) -> tuple[str, str, str] | None:
    parts = value.split("|")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


class TieSection:
    """The ties table and a form to add, edit or remove one.

    Parameters
    ----------
    app : Workshop
        The workshop dashboard the section belongs to: its region, language,
        texts and the store it saves through.
    """

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
        # Version 1.1: each shown only for the tie types it applies to (APPLIES_TO).
        yes_no = [(blank, ""), (t["yes"], "yes"), (t["no"], "no")]
        self.extra: dict[str, Any] = {
            "mode": field(w.Dropdown(options=vocabulary_options("referral_mode", lang, blank),
                                     description=t["f_mode"]), "wb-tie-mode"),
            "scope": field(w.SelectMultiple(options=vocabulary_options("agreement_scope", lang), rows=4,
                                            description=t["f_scope"]), "wb-tie-scope"),
            "instrument": field(w.Text(description=t["f_instrument"], placeholder="DASH-RIC"), "wb-tie-instrument"),
            "mandatory": field(w.Dropdown(options=yes_no, description=t["f_mandatory"]), "wb-tie-mandatory"),
            "temporary": field(w.Dropdown(options=yes_no, description=t["f_temporary"]), "wb-tie-temporary"),
            "content": field(w.SelectMultiple(options=vocabulary_options("feedback_content", lang), rows=4,
                                              description=t["f_content"]), "wb-tie-content"),
        }
        self.help = w.HTML()
        self.help.add_class("wb-help")
        self.checks = Checks()
        self.save_btn = button(t["save"], "wb-tie-save", primary=True)
        self.remove_btn = button(t["remove"], "wb-tie-remove")
        self.table = w.HTML()
        self.table.add_class("wb-table-box")
        self.notice = near_messages()
        self.base: Any = None  # the tie as the form was filled with it: what the person started from
        self.filled: list[Any] = []
        self.conflict = ConflictBox(t, app.guard)
        self.note = w.HTML()
        self.note.add_class("wb-form-note")
        self.fields = [self.source, self.target, self.type, self.status, self.formality, self.frequency,
                       self.role, self.attendance, self.legal, *self.extra.values(), self.since, self.notes]
        form = w.GridBox([self.source, self.target, self.type, self.status, self.formality, self.frequency,
                          self.role, self.attendance, self.legal, *self.extra.values(), self.since, self.notes])
        form.add_class("wb-form")
        lock(app, [self.source, self.target, self.type, self.status, self.formality, self.frequency,
                    self.role, self.attendance, self.legal, *self.extra.values(), self.since, self.notes])
        self.widget = w.VBox([
            w.HTML(f"<p class='wb-intro'>{e(t['ties_intro' if not app.read_only else 'ties_intro_ro'])}</p>"),
            self.pick, self.note, form, self.help, self.checks.widget,
            button_row(app, self.save_btn, self.remove_btn), self.conflict.widget, self.notice, self.table])
        self.quiet = False  # while the page redraws the form (:func:`~..together.quietly`)
        self.pick.observe(app.guard(lambda c: None if self.quiet else self.fill(c["new"])), "value")
        for x in (self.source, self.target, self.type, self.since, self.notes, self.extra["instrument"]):
            x.observe(app.guard(lambda _c: None if self.quiet else self.check()), "value")
        self.save_btn.on_click(app.guard(self.save))
        self.remove_btn.on_click(app.guard(self.remove))
        self.refresh()

    def _name(self, agency_id: str) -> str:
        region = self.app.region
        assert region is not None
        a = region.by_id.get(agency_id)
        return a.name if a else agency_id

    def refresh(self, select: str | None = None) -> None:
        """Redraw the table and pick lists as the region is now and fill the form with the tie picked.

        Parameters
        ----------
        select : str or None, optional
            The tie to pick, as ``source|target|type`` (``""`` for a new tie); ``None`` keeps
            the one picked, if it still exists.
        """
        with held([self.save_btn, self.remove_btn, *self.conflict.parts()]), quietly(self):
            self._refresh(select)

    def _refresh(self, select: str | None = None) -> None:
        region, t, lang, tax = self.app.region, self.app.t, self.app.lang, taxonomy()
        assert region is not None
        ties = sorted(region.relationships, key=lambda r: (self._name(r.source).lower(), self._name(r.target).lower(),
                                                           r.type))
        keep = select if select is not None else self.pick.value
        set_options(self.pick, [(t["new_tie"], "")] + [
            (f"{self._name(r.source)} → {self._name(r.target)} · "
             f"{tax.label('relationship_types', r.type, lang)}", "|".join(r.key)) for r in ties])
        agencies = sorted(region.agencies, key=lambda a: (a.name.lower(), a.id))
        opts = [(t["choose"], "")] + [(f"{a.name} ({a.id})", a.id) for a in agencies]
        set_options(self.source, opts)  # others' renames must not move what a person is about to pick
        set_options(self.target, opts)
        self.pick.value = keep if keep in {v for _, v in self.pick.options} else ""
        self.fill(self.pick.value)
        rows = [[self._name(r.source), tax.label("relationship_types", r.type, lang), self._name(r.target),
                 tax.label("formality", r.formality, lang) if r.formality else "",
                 tax.label("frequency", r.frequency, lang) if r.frequency else "",
                 tax.label("agency_status", r.status, lang), r.since or ""] for r in ties]
        self.table.value = table([t["f_source"], t["f_tie_type"], t["f_target"], t["f_formality"],
                                  t["f_frequency"], t["f_status"], t["f_since"]], rows, "wb-ties", t["no_ties"])

    def fill(self, value: str) -> None:
        """Put a tie's fields into the form (the pick list's callback), then check them.

        The two agencies and the type identify a tie, so they are locked while
        an existing tie is edited.

        Parameters
        ----------
        value : str
            The tie as ``source|target|type``; ``""`` (or a tie the region does not hold)
            empties the form for a new tie.
        """
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
        x = self.extra
        x["mode"].value = r.mode or "" if r else ""
        x["scope"].value = r.scope if r else ()
        x["instrument"].value = r.instrument or "" if r else ""
        x["mandatory"].value = _yes_no(r.mandatory) if r else ""
        x["temporary"].value = _yes_no(r.temporary) if r else ""
        x["content"].value = r.content if r else ()
        self.base = r
        self.note.value = ""
        self.conflict.hide()
        self.check()
        self.filled = form_values(self.fields)

    def check(self) -> bool:
        """Check what was typed and list what is wrong under the form, as the person types.

        It also shows the chosen type's help and only the fields that apply to
        it. Errors (an end missing, a tie to itself, no type, a tie that exists
        already, a membership of something that is not a forum, a bad *since*
        date, a text too long) disable the save button; a warning (a forum as
        the source, contact details in the notes) does not.

        Returns
        -------
        bool
            ``True`` when nothing blocks saving.
        """
        t, region, c, lang = self.app.t, self.app.region, self.checks, self.app.lang
        assert region is not None
        tax = taxonomy()
        c.start()
        typ = self.type.value
        self.help.value = f"<p>{e(tax.help('relationship_types', typ, lang))}</p>" if typ else ""
        membership = typ == "forum_membership"
        for x in (self.role, self.attendance):
            x.disabled = not membership or self.app.read_only
            if not membership:
                x.value = ""
        for name, x in self.extra.items():  # only the fields that apply to the chosen type are shown
            applies = typ in APPLIES_TO["relationships"][name]
            x.layout.display = None if applies else "none"
            if not applies:
                x.value = () if isinstance(x, w.SelectMultiple) else ""
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
        if since and (bad := check_since(since)) is not None:
            c.error(bad.sentence(self.app.lang))
        if (contact := contact_warning(self.notes.value)) is not None:
            c.warn(contact.about(t["f_notes"], self.app.lang))
        if (long := check_length(self.extra["instrument"].value.strip(), TEXT_MAX)) is not None:
            c.error(long.about(t["f_instrument"], self.app.lang))
        ok = c.show()
        self.save_btn.disabled = not ok or self.app.read_only
        return ok

    def save(self, _: Any = None) -> None:
        """Add the tie, or save the changes to the one picked (the save button's callback).

        Nothing is saved while the form has errors, or while the role typed looks
        like contact details; either is said in a message. When somebody else
        changed the same tie since the form was filled, the rest is saved and
        the conflict box asks whose value to keep.

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
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
        x = self.extra
        values.update(mode=x["mode"].value, scope=list(x["scope"].value), instrument=x["instrument"].value,
                      mandatory=x["mandatory"].value, temporary=x["temporary"].value, content=list(x["content"].value))
        src, tgt, typ = self.source.value, self.target.value, self.type.value
        if self.pick.value:
            try:
                region = store.edit_relationship(src, tgt, typ, base=self.base, **values)
            except EditConflict as exc:
                self._conflict(exc, removing=False)
                return
        else:
            try:
                region = store.add_relationship(source=src, target=tgt, type=typ, **values)
            except EditConflict:  # somebody added the same tie since the page last looked
                self.app.messages.error(t["tie_exists"])
                return
        self.app.after_save(t["saved_tie"].format(source=self._name(src), target=self._name(tgt)),
                            select="|".join((src, tgt, typ)), region=region)

    def remove(self, _: Any = None) -> None:
        """Remove the tie picked, on a second click (the remove button's callback).

        The first click turns the button into a red *confirm* button; the
        second removes the tie, unless somebody else changed it meanwhile
        (the conflict box then asks).

        Parameters
        ----------
        _ : Any, optional
            The button clicked (unused).
        """
        t = self.app.t
        key = _tie_key(self.pick.value) if self.pick.value else None
        if key is None:
            return
        if self.remove_btn.button_style != "danger":
            self.remove_btn.description = t["confirm_remove"]
            self.remove_btn.button_style = "danger"
            return
        self._remove()

    def _remove(self) -> None:
        key = _tie_key(self.pick.value)
        store = self.app.edit_store()
        if store is None or key is None:
            return
        try:
            region = store.remove_relationship(*key, base=self.base)
        except EditConflict as exc:
            self._conflict(exc, removing=True)
            return
        self.app.after_save(self.app.t["removed_tie"].format(source=self._name(key[0]), target=self._name(key[1])),
                            select="", region=region)

    # -- editing together -------------------------------------------------------------------
    def _conflict(self, exc: EditConflict, removing: bool) -> None:
        """Somebody else saved this tie first: say what, keep the form, offer to keep theirs or put mine."""
        value = self.pick.value

        def keep() -> None:
            self.app.update()
            self.refresh(select=value)

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
        and its base, and a note says who changed or removed its tie meanwhile,
        so the next save is checked against what the person had read.

        Parameters
        ----------
        changes : list of Change
            The change log's new entries, to name who touched the tie.
        """
        typing, value = self.typing(), self.pick.value
        base, filled, asking = self.base, self.filled, self.conflict.state()
        region = self.app.region
        assert region is not None
        key = _tie_key(value) if value else None
        now = next((r for r in region.relationships if r.key == key), None)
        moved = base is not None and now != base
        with held([self.save_btn, self.remove_btn, *self.conflict.parts()]):
            with quietly(self), kept(self.fields, keep=typing or asking is not None):
                self._refresh()
            if typing or asking is not None:
                self.base, self.filled = base, filled
                self.conflict.resume(asking)
                self.check()
        if typing or asking is not None:
            if moved and key is not None:
                who = touched_by(changes, "relationships", key) or self.app.t["somebody"]
                self.note.value = record_note(self.app.t, who, gone=now is None)

