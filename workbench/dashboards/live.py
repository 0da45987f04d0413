"""Live pages: every open page of a region shows what anybody saves, and who else has the region open.

Each page's kernel looks at a cheap stamp of its region, the size and time of
the change log (``changes.jsonl``, appended by every save, the command-line
import included), every :data:`POLL_S` seconds, on the kernel's own event
loop, so widgets are only touched from the thread that owns them. When the
stamp moved it reads the log's new lines and the region (through the
store's loader), and the page redraws what changed without resetting a form
the person is typing in (``update`` of each dashboard), with a short notice:
"*ngo-coordinator* added *Centre X*".

Presence: each page keeps a small heartbeat file, ``<data>/.presence/<region>/``
(beside the region folders, not inside a region's data, and ignored by git),
rewritten every :data:`HEARTBEAT_S` seconds with the role of the person; a
file older than :data:`EXPIRE_S` seconds counts as a closed page, so a page
whose kernel died drops out by itself, and a kernel that shuts down removes
its own.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w

from .. import api, i18n
from ..data import Region
from ..data.store import LOG_NAME, Change
from ..errors import RegionInvalid
from ..files import atomic_write
from .changes import role_text
from .common import _LOADED, e, load

#: Seconds between two looks at the change log.
POLL_S = 0.25
#: Seconds between two heartbeats of a page.
HEARTBEAT_S = 5.0
#: A heartbeat older than this is a page that was closed (or whose kernel died).
EXPIRE_S = 15.0
#: How many notices a page shows at once (the newest first).
NOTICES = 3
#: The folder of heartbeat files, under the data folder (one sub-folder per region).
PRESENCE_DIR = ".presence"


def log_stamp(folder: Path) -> tuple[int, int]:
    """The change log's size and modification time (``(0, 0)`` when there is none): it moves with every save.

    Parameters
    ----------
    folder : pathlib.Path
        A region folder.

    Returns
    -------
    tuple of (int, int)
        The size of ``changes.jsonl`` in bytes and its modification time in nanoseconds since the epoch.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> log_stamp(folder)
    (0, 0)
    >>> _ = (folder / LOG_NAME).write_text("{}\\n")
    >>> log_stamp(folder)[0]
    3
    """
    try:
        st = (folder / LOG_NAME).stat()
    except OSError:
        return (0, 0)
    return (st.st_size, st.st_mtime_ns)


def read_changes(folder: Path, offset: int) -> tuple[list[Change], int]:
    """The changes logged after byte ``offset``, and the offset after the last whole line.

    Parameters
    ----------
    folder : pathlib.Path
        A region folder.
    offset : int
        Where the last read stopped, in bytes from the start of ``changes.jsonl`` (0: from the start).

    Returns
    -------
    changes : list of workbench.data.store.Change
        The whole lines after ``offset``, oldest first; a line that is not a change is skipped, a line
        still being written is left for the next read.
    offset : int
        Where the next read starts.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> line = '{"seq": 1, "time": "", "editor": "workshop", "summary": "add agency ngo", "rows": []}'
    >>> _ = (folder / LOG_NAME).write_text(line + "\\n" + '{"seq": 2')
    >>> changes, offset = read_changes(folder, 0)
    >>> [c.editor for c in changes], offset == len(line) + 1
    (['workshop'], True)
    """
    try:
        with (folder / LOG_NAME).open("rb") as fh:
            fh.seek(offset)
            data = fh.read()
    except OSError:
        return [], offset
    end = data.rfind(b"\n") + 1  # a line being written is read next time
    out = []
    for line in data[:end].splitlines():
        try:
            out.append(Change(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return out, offset + end


def _name(region: Region | None, row: dict[str, Any]) -> str:
    rec = row.get("after") or row.get("before") or {}
    table = row.get("table")
    if table == "agencies":
        return str(rec.get("name") or rec.get("id"))
    if table == "actions":
        return str(rec.get("title") or rec.get("id"))
    if table == "relationships":
        names = [region.by_id[x].name if region is not None and x in region.by_id else x
                 for x in (rec.get("source"), rec.get("target"))]
        return f"{names[0]} → {names[1]}"
    return ""


def notice(change: Change, region: Region | None, t: dict[str, str], lang: str = i18n.DEFAULT) -> str:
    """One line saying what ``change`` did, in the page's language.

    Parameters
    ----------
    change : workbench.data.store.Change
        A change read from the log.
    region : workbench.data.Region or None
        The region as the page shows it, for the names of a tie's agencies; ``None`` names them by id.
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).
    lang : str, optional
        The page's language, for the plural form of a count ("saved 3 changes").

    Returns
    -------
    str
        Who added, changed or removed which record (or answers, or "n records"), as plain text.

    Examples
    --------
    >>> from workbench.dashboards.common import texts
    >>> row = {"table": "agencies", "key": ["cx"], "before": None, "after": {"id": "cx", "name": "Centre X"}}
    >>> notice(Change(3, "", "ngo-coordinator", "add agency cx", [row]), None, texts("en"))
    'ngo-coordinator added Centre X.'
    >>> rows = [{"table": "survey", "key": ["r", "q", "x"], "before": None, "after": {}}]
    >>> notice(Change(4, "", "coordinator", "survey", rows), None, texts("en"), "en")
    'coordinator saved 1 change.'
    """
    rows, who = change.rows, role_text(change.editor, t)
    if not rows:
        return t["live_imported"].format(who=who)
    tables = {r.get("table") for r in rows}
    if tables == {"assessment"}:
        whom = {(r["key"][0], r["key"][2]) for r in rows}
        if len(whom) == 1:
            rnd, rater = next(iter(whom))
            return t["live_changed"].format(who=who, what=t["live_answers"].format(
                rater=rater or "-", round=rnd))
    main = next((t_ for t_ in ("agencies", "actions", "relationships", "region") if t_ in tables), None)
    primary = [r for r in rows if r.get("table") == main]
    if len(primary) != 1:
        return i18n.plural("ui.live_many", len(rows), lang, who=who)
    row = primary[0]
    what = t["live_region"] if main == "region" else _name(region, row)
    key = "live_added" if row.get("before") is None else "live_removed" if row.get("after") is None else "live_changed"
    return t[key].format(who=who, what=what)


def apply_changes(region: Region, changes: Sequence[Change]) -> Region | None:
    """``region`` with the logged ``changes`` applied (each row's record as saved); ``None`` if one lacks rows.

    Much cheaper than reading and checking the files again, which every open
    page would do for every save; the rows are what the store saved, already
    checked. Applying a change the region already holds changes nothing.

    Parameters
    ----------
    region : workbench.data.Region
        The region as the page shows it.
    changes : sequence of workbench.data.store.Change
        The changes read from the log since, oldest first.

    Returns
    -------
    workbench.data.Region or None
        The region with every change's rows applied; ``None`` when a change (an import) does not say
        which rows it wrote, and the files must be read again.
    """
    return api.replay_changes(region, changes)


# --- presence ----------------------------------------------------------------------

def presence_folder(folder: Path) -> Path:
    """Where the heartbeats of region ``folder`` go: beside the region folders, never inside one.

    Parameters
    ----------
    folder : pathlib.Path
        A region folder.

    Returns
    -------
    pathlib.Path
        ``<data>/.presence/<region id>``; it may not exist yet.

    Examples
    --------
    >>> from pathlib import Path
    >>> presence_folder(Path("data/partners/be-wvl")).as_posix()
    'data/partners/.presence/be-wvl'
    """
    return folder.parent / PRESENCE_DIR / folder.name


@dataclass
class Presence:
    """This page's heartbeat file, and the roles of the other pages open on the same region.

    Parameters
    ----------
    folder : pathlib.Path
        The region folder the page shows.
    page : str
        The page's dashboard (``workshop``, ``roadmap``), written in the heartbeat.
    """

    folder: Path
    page: str

    def __post_init__(self) -> None:
        self.id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.last = 0.0
        self.role = ""

    @property
    def path(self) -> Path:
        """This page's heartbeat file.

        Returns
        -------
        pathlib.Path
            ``<data>/.presence/<region id>/<process id>-<random>.json``.
        """
        return presence_folder(self.folder) / f"{self.id}.json"

    def beat(self, role: str, now: float | None = None) -> None:
        """Say this page is open, with ``role``: rewrite its heartbeat file.

        The presence folder is made on the first beat, with a ``.gitignore``
        that keeps heartbeats out of the region data.

        Parameters
        ----------
        role : str
            The role of the person on this page, as the other pages show it.
        now : float or None, optional
            The time of the beat (seconds since the epoch); ``None`` for the clock's.

        Raises
        ------
        OSError
            The data folder cannot be written (a reviewer who may only read it).
        """
        now = time.time() if now is None else now
        here = presence_folder(self.folder)
        if not here.is_dir():
            here.mkdir(parents=True, exist_ok=True)
            ignore = here.parent / ".gitignore"
            if not ignore.exists():
                atomic_write(ignore, b"*\n")  # heartbeats are never region data
        atomic_write(self.path, json.dumps({"role": role, "page": self.page}).encode("utf-8"))
        self.last, self.role = now, role

    def others(self, now: float | None = None) -> list[str]:
        """Find the roles that have the region open in other pages now.

        Heartbeats older than :data:`EXPIRE_S` seconds, and files that cannot
        be read, are left out.

        Parameters
        ----------
        now : float or None, optional
            The time to judge the heartbeats' age against; ``None`` for the clock's.

        Returns
        -------
        list of str
            The roles, sorted, each once; empty when nobody else is here.
        """
        now = time.time() if now is None else now
        out = set()
        here = presence_folder(self.folder)
        try:
            files = list(here.glob("*.json"))
        except OSError:
            return []
        for p in files:
            if p.name == self.path.name:
                continue
            try:
                if now - p.stat().st_mtime > EXPIRE_S:
                    continue
                out.add(str(json.loads(p.read_bytes())["role"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(out)

    def leave(self) -> None:
        """Remove this page's heartbeat file (the page closed, or moved to another region)."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass


# --- the watcher ----------------------------------------------------------------------

class Live:
    """Keeps one page up to date with its region: the log watched, the views redrawn, notices and presence shown.

    Its :attr:`widget` holds the presence bar (who else has the region
    open) and the last :data:`NOTICES` notices of other people's saves.

    Parameters
    ----------
    app : workbench.dashboards.common.Dashboard
        The dashboard (:class:`~workbench.dashboards.workshop.Workshop` or
        :class:`~workbench.dashboards.roadmap_view.RoadmapView`): its
        ``entry``, ``region``, ``t`` and ``update(region, changes)`` are used.
    role : callable
        Called without arguments, gives the role of the person on this page (for presence, and so
        that they are not told about their own saves).
    poll : float, optional
        Seconds between two looks at the change log.
    """

    def __init__(self, app: Any, role: Callable[[], str], poll: float = POLL_S) -> None:
        self.app = app
        self.role = role
        self.poll = poll
        self.folder: Path | None = None
        self.stamp = (0, 0)
        self.offset = 0
        self.notes: list[str] = []
        self.presence: Presence | None = None
        self.handle: asyncio.TimerHandle | None = None
        self.stopped = False
        self.bar = w.HTML()
        self.bar.add_class("wb-live")
        self.news = w.HTML()
        self.news.add_class("wb-live-notices")
        self.widget = w.VBox([self.bar, self.news])
        self.widget.add_class("wb-live-box")
        self._follow()
        atexit.register(self.stop)

    def _follow(self) -> None:
        """Start from the region the page shows now (at start, and after the region picker moved)."""
        entry = self.app.entry
        folder = entry.folder if entry is not None else None
        if folder == self.folder:
            return
        if self.presence is not None:
            self.presence.leave()
        self.folder = folder
        self.notes = []
        self.news.value = ""
        self.presence = Presence(folder, self.app.kind) if folder is not None else None
        self.stamp = log_stamp(folder) if folder is not None else (0, 0)
        self.offset = self.stamp[0]
        if self.presence is not None:
            self.beat()

    def start(self) -> bool:
        """Look at the log every :attr:`poll` seconds on the running event loop (a kernel's).

        Returns
        -------
        bool
            ``True`` when the first look is scheduled; ``False`` when no event loop runs
            (outside a kernel, as in tests), so nothing is watched.
        """
        loop = kernel_loop()
        if loop is None:
            return False
        self.handle = loop.call_later(self.poll, self._tick, loop)
        return True

    def stop(self) -> None:
        """Stop looking at the log and remove the page's heartbeat (also when the kernel shuts down)."""
        self.stopped = True
        if self.handle is not None:
            self.handle.cancel()
        if self.presence is not None:
            self.presence.leave()

    def _tick(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            self.check()
        except Exception:  # noqa: BLE001 - the page must go on; the details go to the server's log
            traceback.print_exc(file=sys.__stderr__)
        if not self.stopped:
            self.handle = loop.call_later(self.poll, self._tick, loop)

    def beat(self, now: float | None = None) -> None:
        """Renew this page's heartbeat and show who else is here.

        On a data folder this person may read but not write (a reviewer) no
        heartbeat is written, so the others do not see them, but they still
        see the others.

        Parameters
        ----------
        now : float or None, optional
            The time of the beat (seconds since the epoch); ``None`` for the clock's.
        """
        if self.presence is None:
            return
        try:
            self.presence.beat(self.role(), now)
        except OSError:  # a data folder this person may read but not write (a reviewer): others do not see them
            self.presence.last = time.time() if now is None else now
        self.show_presence(now)

    def show_presence(self, now: float | None = None) -> None:
        """Show who else has the region open, in the page's language (again after a language switch).

        Parameters
        ----------
        now : float or None, optional
            The time to judge the other pages' heartbeats against; ``None`` for the clock's.
        """
        if self.presence is None:
            return
        t = self.app.t
        others = self.presence.others(now)
        text = (t["presence_others"].format(roles=", ".join(role_text(r, t) for r in others)) if others
                else t["presence_alone"])
        self.bar.value = f"<div class='wb-presence'>{e(text)}</div>"
        self.presence_lang = self.app.lang

    def check(self, now: float | None = None) -> bool:
        """Take one look at the region: redraw the page if somebody saved since the last look.

        It also follows the region picker, renews the heartbeat when it is due
        (or the person's role changed) and rewords the presence bar after a
        language switch. A region that no longer loads (a file edited by hand)
        leaves the page as it is.

        Parameters
        ----------
        now : float or None, optional
            The time of the look (seconds since the epoch); ``None`` for the clock's.

        Returns
        -------
        bool
            ``True`` when the change log moved and the page was brought up to date,
            ``False`` otherwise.
        """
        self._follow()
        if self.folder is None:
            return False
        now = time.time() if now is None else now
        if self.presence is not None and (now - self.presence.last >= HEARTBEAT_S or self.role() != self.presence.role):
            self.beat(now)
        elif self.presence is not None and getattr(self, "presence_lang", None) != self.app.lang:
            self.show_presence(now)
        stamp = log_stamp(self.folder)
        if stamp == self.stamp:
            return False
        if stamp[0] < self.offset:  # the log was replaced (a region copied over): read it again
            self.offset = 0
        changes, self.offset = read_changes(self.folder, self.offset)
        self.stamp = stamp
        region = apply_changes(self.app.region, changes) if self.app.region is not None else None
        if region is None:  # not all said by the log: read the files
            _LOADED.pop(self.folder, None)
            try:
                region = load(self.folder)
            except RegionInvalid:
                return False  # a save is never half-done; a file edited by hand is reported when saved
        if region != self.app.region:
            self.app.update(region, changes)
        self.tell(changes)
        return True

    def tell(self, changes: Sequence[Change]) -> None:
        """Show a short notice for each change somebody else made (the newest first).

        Only the last :data:`NOTICES` notices are kept; the person's own saves are not told.

        Parameters
        ----------
        changes : sequence of Change
            The change log's new entries, oldest first.
        """
        me = self.role()
        for c in changes:
            if c.editor != me:
                self.notes.insert(0, notice(c, self.app.region, self.app.t, self.app.lang))
        del self.notes[NOTICES:]
        self.news.value = "".join(f"<div class='wb-live-notice'>{e(n)}</div>" for n in self.notes)


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the kernel this code runs in (``None`` outside a kernel, as in tests).

    Returns
    -------
    asyncio.AbstractEventLoop or None
        The running loop, else the IPython kernel's; ``None`` when there is neither.
    """
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    io_loop = getattr(getattr(shell, "kernel", None), "io_loop", None)
    loop = getattr(io_loop, "asyncio_loop", None)
    return loop if isinstance(loop, asyncio.AbstractEventLoop) else None


def attach(app: Any, role: Callable[[], str]) -> Live:
    """Give ``app`` its live bar (under the header) and start watching, when a kernel's event loop runs.

    Parameters
    ----------
    app : workbench.dashboards.common.Dashboard
        The page; it gets the attribute ``live``.
    role : callable
        Called without arguments, gives the role of the person on this page.

    Returns
    -------
    Live
        The watcher, already looking at the log when a kernel's event loop runs (else started by nobody).
    """
    live = Live(app, role)
    children = list(app.root.children)
    children.insert(2, live.widget)
    app.root.children = children
    app.live = live
    live.start()
    return live
