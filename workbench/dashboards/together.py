"""Editing together: what a form shows when somebody else saved first, and keeping a form while the page moves.

Every form remembers the record as it filled it (its *base*) and saves
through the store's ``base=`` contract (:class:`~workbench.data.RegionStore`):
fields nobody else touched are saved, a field somebody else changed since is
never overwritten. Then :func:`show_conflict` names each such field (what
the person started from, what is saved now and by whom, what they wrote)
and offers the choice: keep the saved value, or put theirs (a deliberate
second save, based on what is saved now). A removal of a record somebody
else changed asks the same way.

:func:`kept` redraws a section without resetting a form someone is typing in.

A redraw passes through states nobody should see or act on: giving a
drop-down new options selects its first one for a moment, and filling a
form field by field checks it half-filled, which disables its Save button.
Such a moment reaching the browser is worse than a flicker: a click that
lands on a button while the browser shows it disabled is dropped without a
word (the person, or a browser test, waits for an answer that never comes).
So a form redraws :func:`quietly` (its own observers ignore what the redraw
does, and it checks itself once at the end), :func:`set_options` keeps the
picked value, and :func:`held` sends the buttons' state to the browser once,
as it stands when the redraw is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

import ipywidgets as w
from traitlets import TraitError

from .. import i18n
from ..errors import EditConflict
from .changes import role_text
from .common import button, e

#: The form label (``ui`` key) of each record field, for the conflict message.
FIELD_LABELS = {
    "name": "f_name", "type": "f_type", "parent": "f_parent", "status": "f_status", "dv_relay": "f_relay",
    "relay_role": "f_relay_role", "lead": "f_lead", "target_groups": "f_serves", "excluded_groups": "f_refuses",
    "area": "f_area", "notes": "f_notes", "formality": "f_formality", "frequency": "f_frequency",
    "role": "f_role", "attendance": "f_attendance", "legal_basis": "f_legal", "since": "f_since",
    "title": "f_title", "owner": "f_owner", "horizon": "f_horizon", "start": "f_start", "due": "f_due",
    "indicator": "f_indicator", "answer": "f_answer", "evidence": "f_evidence",
}


def shown(value: Any, t: dict[str, str]) -> str:
    """A saved value as a person reads it in a conflict message.

    Parameters
    ----------
    value : Any
        A field's value as the store holds it: text, a flag, a tuple of ids, or ``None``.
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).

    Returns
    -------
    str
        "(empty)" in the page's words for nothing, yes/no for a flag, a list joined by commas, any
        other value between the language's quotation marks (``ui.quoted``).

    Examples
    --------
    >>> t = {"empty_value": "(empty)", "yes": "yes", "no": "no", "quoted": "“{value}”"}
    >>> shown(None, t), shown(("a", "b"), t), shown(True, t), shown("Centre A", t)
    ('(empty)', 'a, b', 'yes', '“Centre A”')
    """
    if value is None or value == "" or value == () or value == []:
        return t["empty_value"]
    if isinstance(value, bool):
        return t["yes"] if value else t["no"]
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return t["quoted"].format(value=value)


def conflict_items(exc: EditConflict, t: dict[str, str], records: dict[str, str] | None = None,
                   removing: bool = False) -> list[str]:
    """One line per field of ``exc``: the field, what the person started from, what is saved now, by whom, theirs.

    Parameters
    ----------
    exc : workbench.errors.EditConflict
        The conflict the store refused a save with.
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).
    records : dict of str to str or None, optional
        When one save wrote several records: each record as ``exc`` names it (``"tie ngo → police
        (referral)"``) mapped to the words that put in front of its fields; ``None``: one record.
    removing : bool, optional
        The person removed the record: the lines leave out "yours".

    Returns
    -------
    list of str
        One line per changed field, in ``exc``'s order; a removal by somebody else gives none.

    Examples
    --------
    >>> from workbench.errors import FieldConflict
    >>> from workbench.dashboards.common import texts
    >>> exc = EditConflict("x", [FieldConflict("agency ngo", "name", "Centre A", "Centre B", "ngo-lead", "C")])
    >>> conflict_items(exc, texts("en"))
    ['Name: you started from “Centre A”; now saved: “Centre B” (by ngo-lead); yours: “C”.']
    """
    out = []
    for f in exc.fields:
        if f.field == "(removed)":
            continue
        label = t.get(FIELD_LABELS.get(f.field, ""), f.field)
        if records and f.record in records:  # several records in one save: say which
            label = f"{records[f.record]} · {label}"
        values = dict(field=label, start=shown(f.started_from, t), saved=shown(f.saved, t),
                      who=role_text(f.saved_by, t) if f.saved_by else t["somebody"])
        if removing:  # the person wrote nothing into the record: they removed it
            out.append(t["conflict_field_saved"].format(**values))
        else:
            out.append(t["conflict_field"].format(**values, mine=shown(f.mine, t)))
    return out


def crossed_fields(exc: Any, t: dict[str, str], names: dict[str, str], lang: str) -> str:
    """The later edits an undo would cross, in the page's language: each record, field and who saved it.

    Parameters
    ----------
    exc : workbench.errors.UndoRefused
        The store's refusal; its ``fields`` are the later edits (a field, or ``(removed)``).
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).
    names : dict of str to str
        The store's label of each record mapped to its name for the reader
        (:func:`~.changes.record_names`); a record not in it keeps the store's label.
    lang : str
        The page's language (for the way it joins a label and a value).

    Returns
    -------
    str
        One part per later edit, joined by commas.

    Examples
    --------
    >>> from workbench.errors import FieldConflict, UndoRefused
    >>> from workbench.dashboards.common import texts
    >>> exc = UndoRefused("x", None, [FieldConflict("agency ngo", "name", "A", "B", "ngo-lead")])
    >>> crossed_fields(exc, texts("fr"), {"agency ngo": "Centre X"}, "fr")
    'Centre X\\xa0: Nom (ngo-lead)'
    """
    parts = []
    for f in exc.fields:
        name = names.get(f.record, f.record)
        what = (t["change_removed"].format(what=name) if f.field == "(removed)"
                else i18n.labelled(name, t.get(FIELD_LABELS.get(f.field, ""), f.field), lang))
        parts.append(what + (f" ({role_text(f.saved_by, t)})" if f.saved_by else ""))
    return ", ".join(parts)


def conflict_who(exc: EditConflict, t: dict[str, str]) -> str:
    """Who saved what the person ran into (``somebody else`` when the log does not say).

    Parameters
    ----------
    exc : workbench.errors.EditConflict
        The conflict the store refused a save with.
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).

    Returns
    -------
    str
        The editor (account or dashboard) of the save, or the page's words for "somebody else".

    Examples
    --------
    >>> from workbench.errors import FieldConflict
    >>> conflict_who(EditConflict("x", [FieldConflict("agency ngo", "name", "A", "B", "ngo-lead", "C")]), {})
    'ngo-lead'
    >>> conflict_who(EditConflict("x", []), {"somebody": "somebody else"})
    'somebody else'
    """
    who = exc.saved_by or next((f.saved_by for f in exc.fields if f.saved_by), None)
    return role_text(who, t) if who else t["somebody"]


class ConflictBox:
    """Under a form: the choice after a conflict, *keep the saved value* or *put mine*; hidden otherwise.

    Its :attr:`widget` (an ``HBox`` of class ``wb-conflict``) holds the two
    buttons; :meth:`ask` shows them with what each does.

    Parameters
    ----------
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).
    guard : callable
        The page's :meth:`~.common.Dashboard.guard`, which wraps both buttons' callbacks so that a
        problem becomes a message, never a traceback.
    """

    def __init__(self, t: dict[str, str], guard: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        self.t = t
        self.keep_btn = button(t["conflict_keep"], "wb-conflict-keep")
        self.mine_btn = button(t["conflict_mine"], "wb-conflict-mine", primary=True)
        self.widget = w.HBox([self.keep_btn, self.mine_btn])
        self.widget.add_class("wb-conflict")
        self.widget.add_class("wb-buttons")
        self._keep: Callable[[], None] | None = None
        self._mine: Callable[[], None] | None = None
        self.keep_btn.on_click(guard(lambda _b: self._run(self._keep)))
        self.mine_btn.on_click(guard(lambda _b: self._run(self._mine)))
        self.hide()

    @property
    def open(self) -> bool:
        """Whether the choice is shown.

        Returns
        -------
        bool
            ``True`` while the person has not chosen.
        """
        return self.widget.layout.display != "none"

    def ask(self, keep: Callable[[], None], mine: Callable[[], None] | None, mine_label: str | None = None) -> None:
        """Show the choice.

        Parameters
        ----------
        keep : callable
            Called without arguments for *keep the saved value*.
        mine : callable or None
            Called without arguments for *put mine*; ``None`` hides that button.
        mine_label : str or None, optional
            Other words for *put mine* (``remove anyway``); ``None`` keeps the usual ones.
        """
        self._keep, self._mine = keep, mine
        self.mine_btn.description = mine_label or self.t["conflict_mine"]
        self.mine_btn.layout.display = "none" if mine is None else ""
        self.widget.layout.display = ""

    def state(self) -> tuple[Any, ...] | None:
        """Note what the box asks now, so that :meth:`resume` can ask it again after a redraw.

        Returns
        -------
        tuple or None
            The *keep* and *put mine* actions and the *put mine* button's words;
            ``None`` when the box is hidden.
        """
        return (self._keep, self._mine, self.mine_btn.description) if self.open else None

    def resume(self, state: tuple[Any, ...] | None) -> None:
        """Ask again what :meth:`state` saved before a redraw.

        Parameters
        ----------
        state : tuple or None
            What :meth:`state` returned; ``None`` leaves the box hidden.
        """
        if state is not None:
            self.ask(state[0], state[1], state[2])

    def parts(self) -> list[w.Widget]:
        """The widgets whose state the box changes (for :func:`held`).

        Returns
        -------
        list of ipywidgets.Widget
            The box's layout, the *put mine* button and its layout.
        """
        return [self.widget.layout, self.mine_btn, self.mine_btn.layout]

    def hide(self) -> None:
        """Hide the choice and forget its actions."""
        self._keep = self._mine = None
        self.widget.layout.display = "none"

    def _run(self, action: Callable[[], None] | None) -> None:
        self.hide()
        if action is not None:
            action()


def show_conflict(app: Any, exc: EditConflict, box: ConflictBox, keep: Callable[[], None],
                  mine: Callable[[], None] | None, removing: bool = False,
                  records: dict[str, str] | None = None) -> None:
    """Tell the person what ``exc`` found and offer the choice in ``box``.

    Parameters
    ----------
    app : workbench.dashboards.common.Dashboard
        The page: its words (``app.t``) and its messages (``app.messages``), where the warning goes.
    exc : workbench.errors.EditConflict
        The conflict the store refused a save with.
    box : ConflictBox
        The form's choice, shown by this call.
    keep : callable
        Called without arguments when the person keeps the saved value: shows the saved record in the form.
    mine : callable or None
        Called without arguments when the person puts theirs: saves their values again, based on what is
        saved now; ``None`` when there is nothing left to put them onto (the record was removed).
    removing : bool, optional
        The person was removing the record: "put mine" becomes "remove anyway".
    records : dict of str to str or None, optional
        Several records in one save: the words naming each (see :func:`conflict_items`).
    """
    t = app.t
    who = conflict_who(exc, t)
    items = conflict_items(exc, t, records, removing)
    if exc.saved is None and not exc.fields and mine is None:  # the record is gone
        app.messages.show("warn", t["conflict_gone"].format(who=who))
        box.ask(keep, None)
    elif removing:
        app.messages.show("warn", t["conflict_remove"].format(who=who), items)
        box.ask(keep, mine, t["remove_anyway"])
    else:
        app.messages.show("warn", t["conflict_head"].format(who=who), items)
        box.ask(keep, mine)


def form_values(widgets: Sequence[w.Widget]) -> list[Any]:
    """What a form's fields hold now, to be put back with :func:`restore`.

    Parameters
    ----------
    widgets : sequence of ipywidgets.Widget
        The form's fields (each with a ``value``).

    Returns
    -------
    list
        Their values, in the same order.

    Examples
    --------
    >>> form_values([w.Text(value="Centre A"), w.Checkbox(value=True)])
    ['Centre A', True]
    """
    return [x.value for x in widgets]


def restore(widgets: Sequence[w.Widget], values: Sequence[Any]) -> None:
    """Put ``values`` back into ``widgets`` (a value a drop-down no longer offers is left as it is).

    Parameters
    ----------
    widgets : sequence of ipywidgets.Widget
        The form's fields.
    values : sequence
        One value per field, as :func:`form_values` read them.

    Examples
    --------
    >>> d = w.Dropdown(options=[("A", "a")])
    >>> restore([d], ["gone"]); d.value
    'a'
    """
    for x, v in zip(widgets, values, strict=True):
        try:
            if x.value != v:
                x.value = v
        except TraitError:
            continue


@contextmanager
def kept(widgets: Sequence[w.Widget], keep: bool = True) -> Iterator[None]:
    """Redraw inside the block; afterwards the form holds again what the person had typed (when ``keep``).

    Parameters
    ----------
    widgets : sequence of ipywidgets.Widget
        The form's fields.
    keep : bool, optional
        Put their values back after the block; ``False`` lets the redraw's values stand.

    Yields
    ------
    None
        The block runs with the values read before it.

    Examples
    --------
    >>> name = w.Text(value="typed")
    >>> with kept([name]):
    ...     name.value = "redrawn"
    >>> name.value
    'typed'
    """
    values = form_values(widgets)
    yield
    if keep:
        restore(widgets, values)


def touched_by(changes: Sequence[Any], table: str, key: str | Sequence[str]) -> str | None:
    """Who, among ``changes`` (:class:`~workbench.data.store.Change`), last saved the record; ``None``: nobody.

    Parameters
    ----------
    changes : sequence of workbench.data.store.Change
        The changes saved since the form was filled, oldest first.
    table : str
        The record's table (``agencies``, ``ties``, ``memberships``, ``actions``, ...).
    key : str or sequence of str
        The record's key in that table: an id, or the columns of a composite key.

    Returns
    -------
    str or None
        The editor of the latest change that wrote the record (an import counts as writing every
        record); ``None`` when none did.

    Examples
    --------
    >>> from workbench.data.store import Change
    >>> row = {"table": "agencies", "key": ["ngo"], "before": None, "after": {"id": "ngo"}}
    >>> touched_by([Change(1, "", "ngo-lead", "add agency ngo", [row])], "agencies", "ngo")
    'ngo-lead'
    """
    want = [key] if isinstance(key, str) else list(key)
    for change in reversed(changes):
        if not change.rows:  # an import rewrote the files: it may have changed anything
            return change.editor
        if any(r.get("table") == table and list(r.get("key", ())) == want for r in change.rows):
            return change.editor
    return None


def record_note(t: dict[str, str], who: str, gone: bool) -> str:
    """The line a form shows when the record it edits was saved by somebody else meanwhile.

    Parameters
    ----------
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).
    who : str
        Who saved it (an account or a dashboard's name).
    gone : bool
        The record was removed, not changed.

    Returns
    -------
    str
        The sentence, HTML-escaped.

    Examples
    --------
    >>> record_note({"form_gone": "{who} removed it", "form_changed": "{who} changed it"}, "<x>", True)
    '&lt;x&gt; removed it'
    """
    return e(t["form_gone" if gone else "form_changed"].format(who=role_text(who, t)))


def options_of(dropdown: w.Widget) -> list[Any]:
    """The values a drop-down offers, in its order.

    Parameters
    ----------
    dropdown : ipywidgets.Widget
        A selection widget whose options are ``(label, value)`` pairs.

    Returns
    -------
    list
        The values, without their labels.

    Examples
    --------
    >>> options_of(w.Dropdown(options=[("A", "a"), ("B", "b")]))
    ['a', 'b']
    """
    return [v for _, v in dropdown.options]


def set_options(dropdown: w.Widget, options: Sequence[tuple[str, Any]]) -> None:
    """Give ``dropdown`` new ``options``, in the order the person saw the ones it had; new ones go last.

    Others renaming a record must not move the one a person is about to
    pick: the browser sends the position picked, and a list re-sorted by
    name meanwhile would give another record. The first options are taken
    in their own order.

    Parameters
    ----------
    dropdown : ipywidgets.Widget
        A selection widget whose options are ``(label, value)`` pairs.
    options : sequence of (str, Any)
        The new ``(label, value)`` pairs.

    Examples
    --------
    >>> d = w.Dropdown(options=[("A", "a"), ("B", "b")])
    >>> set_options(d, [("Zed", "a"), ("B", "b"), ("C", "c")]); d.options
    (('Zed', 'a'), ('B', 'b'), ('C', 'c'))
    >>> set_options(d, [("B", "b"), ("C", "c"), ("Zed", "a")]); [v for _, v in d.options]
    ['a', 'b', 'c']
    >>> d.value = "b"; set_options(d, [("A", "a"), ("Bee", "b")]); d.value
    'b'
    """
    where = {v: i for i, v in enumerate(options_of(dropdown))}
    ordered = sorted(options, key=lambda o: where.get(o[1], len(where)))
    if tuple(ordered) != tuple(dropdown.options):
        value = dropdown.value
        with dropdown.hold_sync():  # the browser never sees the first option picked for a moment
            dropdown.options = ordered
            if dropdown.value != value and any(v == value for _, v in ordered):
                dropdown.value = value


@contextmanager
def quietly(form: Any) -> Iterator[None]:
    """Redraw ``form`` inside the block without its observers taking the redraw for the person's doing.

    The form's observers return at once while its ``quiet`` attribute is
    true: a drop-down given new options does not fill the form with its
    first option, and a field set while the form is half-filled does not
    check it. The redraw fills and checks the form itself.

    Parameters
    ----------
    form : object
        A form section with a ``quiet`` attribute that its observers consult.

    Yields
    ------
    None
        The block runs with ``form.quiet`` true; afterwards it is as before (blocks may nest).

    Examples
    --------
    >>> class Form:
    ...     quiet = False
    >>> f = Form()
    >>> with quietly(f):
    ...     f.quiet
    True
    >>> f.quiet
    False
    """
    was = form.quiet
    form.quiet = True
    try:
        yield
    finally:
        form.quiet = was


@contextmanager
def held(widgets: Iterable[w.Widget]) -> Iterator[None]:
    """Send what the block changes in ``widgets`` to the browser once, as it stands at the end.

    A button disabled and enabled again inside the block never shows
    disabled in the browser, so a click at that moment is not lost.

    Parameters
    ----------
    widgets : iterable of ipywidgets.Widget
        The widgets (buttons, layouts) whose state the browser should only see when the block is done.

    Yields
    ------
    None
        The block runs with their changes held back.

    Examples
    --------
    >>> b = w.Button()
    >>> with held([b]):
    ...     b.disabled = True
    ...     b.disabled = False
    >>> b.disabled
    False
    """
    with ExitStack() as stack:
        for x in widgets:
            stack.enter_context(x.hold_sync())
        yield
