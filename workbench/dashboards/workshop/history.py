"""The history section: the change log, newest first."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ipywidgets as w
from markupsafe import Markup

from ... import i18n
from ...data import RegionStore
from ...data.store import Change
from ..common import badge, e, table

if TYPE_CHECKING:  # for annotations only: the app imports every section
    from .app import Workshop


def when(stamp: str, lang: str) -> str:
    """A change's time stamp (ISO, UTC) as the date in ``lang`` and the time, in UTC.

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
            rows.append([c.seq, when(c.time, self.app.lang), c.editor,
                         Markup(f"{e(c.summary)} {state}{based_on(c, t)}")])
        intro = f"<p class='wb-intro'>{e(t['history_intro'])}</p>"
        self.widget.value = intro + table(["#", t["when"], t["who"], t["what"]], rows, "wb-log", t["no_history"])
