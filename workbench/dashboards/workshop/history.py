"""The history section: the change log, newest first."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ipywidgets as w
from markupsafe import Markup

from ... import api, i18n
from ...data.store import Change
from ..changes import change_text, role_text
from ..common import badge, e, table

if TYPE_CHECKING:  # for annotations only: the app imports every section
    from .app import Workshop


def when(stamp: str, lang: str) -> str:
    """A change's time stamp (ISO, UTC) as the date in ``lang`` and the time, in UTC.

    Parameters
    ----------
    stamp : str
        The ``time`` of a logged change, ISO 8601 (a time with an offset is converted to UTC).
    lang : str
        The language the date is written in.

    Returns
    -------
    str
        The date as ``lang`` writes it in figures, then ``HH:MM UTC``; ``stamp`` itself when it is not a time.

    Examples
    --------
    >>> when("2026-12-03T09:05:00+00:00", "de"), when("not a time", "fr")
    ('3.12.2026 09:05 UTC', 'not a time')
    """
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{i18n.date_text(moment.date(), lang, 'numeric')} {moment:%H:%M} UTC"


def based_on(change: Change, t: dict[str, str]) -> Markup:
    """Where a change started, when others saved in between: the log read as a conversation.

    Parameters
    ----------
    change : workbench.data.store.Change
        A logged change.
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~workbench.dashboards.common.texts`).

    Returns
    -------
    markupsafe.Markup
        "(based on #n …)" when the editor started from change ``n`` and others saved after it;
        empty for a change based on the one just before, an undo, or one that does not say.

    Examples
    --------
    >>> from workbench.dashboards.common import texts
    >>> str(based_on(Change(14, "", "ngo-coordinator", "edit agency ngo", [], based_on=12), texts("en")))
    "<span class='wb-based-on'>(based on #12: changes made since were kept)</span>"
    >>> str(based_on(Change(13, "", "ngo-coordinator", "edit agency ngo", [], based_on=12), texts("en")))
    ''
    """
    if change.based_on is None or change.undoes is not None or change.based_on >= change.seq - 1:
        return Markup("")
    return Markup(f"<span class='wb-based-on'>{e(t['based_on'].format(n=change.based_on))}</span>")


class HistorySection:
    """The change log, newest first.

    Its :attr:`widget` (an ``HTML`` of class ``wb-history``) shows the last
    :attr:`LIMIT` changes: number, time, who, what, an "undone" mark, and
    where a change started when others saved in between.

    Parameters
    ----------
    app : Workshop
        The workshop page the section belongs to: its region, language, words, messages and
        read-only state.
    """

    LIMIT = 30

    def __init__(self, app: Workshop) -> None:
        self.app = app
        self.widget = w.HTML()
        self.widget.add_class("wb-history")
        self.refresh()

    def refresh(self) -> None:
        """Read the change log again and redraw the table."""
        t, entry = self.app.t, self.app.entry
        assert entry is not None
        hist = api.open_store(entry.folder).history()
        undone = {c.undoes for c in hist if c.undoes is not None}
        rows = []
        for c in reversed(hist[-self.LIMIT:]):
            state = badge(t["undone_mark"], "muted") if c.seq in undone else Markup("")
            rows.append([c.seq, when(c.time, self.app.lang), role_text(c.editor, t),
                         Markup(f"{e(change_text(c, self.app.lang, self.app.region))} {state}{based_on(c, t)}")])
        intro = f"<p class='wb-intro'>{e(t['history_intro'])}</p>"
        self.widget.value = intro + table(["#", t["when"], t["who"], t["what"]], rows, "wb-log", t["no_history"])
