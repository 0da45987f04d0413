"""Saving edits to a region folder: atomic, locked and logged.

Every edit goes through :class:`RegionStore`:

1. take the region's inter-process lock (``.workbench.lock`` in the folder);
2. re-read the region from disk, so an edit made by another process a
   moment ago is kept;
3. apply the change and validate the whole region again;
4. write the new content of every changed file, and the change log's new
   line, into one journal (``.workbench.journal``, itself written to a
   temporary file, flushed and renamed: the moment the save happens);
5. replace each changed file the same way (temporary file, flush,
   ``os.replace``), append the line to ``changes.jsonl`` (time, editor role,
   what changed, with the rows before and after so that the change can be
   undone), then delete the journal.

A crash before step 4 leaves the old region, after it the new one: the next
save finishes a journal it finds (under the lock), and a load reads the
journal's files over the folder's meanwhile. A save that touches two files
(removing an agency and its ties) is never seen half-done.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import MISSING, dataclass, fields, replace
from dataclasses import field as dc_field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from filelock import FileLock

from ..errors import EditConflict, FieldConflict, UndoRefused
from ..files import atomic_write, fsync_dir
from .load import (
    JOURNAL_FILES,
    JOURNAL_NAME,
    check_region_id,
    load_region,
    parse_region_files,
    remember_region,
)
from .model import Action, Agency, Answer, Region, RegionInfo, Relationship, SurveyRow, record_dict
from .schema import BOOL_WORDS, split_list
from .write import region_files, toml_text

LOCK_NAME = ".workbench.lock"
LOG_NAME = "changes.jsonl"
LOCK_TIMEOUT_S = 30.0
ALWAYS = ("region.toml", "agencies.csv", "relationships.csv")

_RECORD = {"agencies": Agency, "relationships": Relationship, "assessment": Answer, "actions": Action,
           "survey": SurveyRow}


def region_lock(folder: Path) -> FileLock:
    """The inter-process lock that guards a region folder.

    Parameters
    ----------
    folder : Path
        The region folder.

    Returns
    -------
    filelock.FileLock
        A re-entrant lock on the folder's lock file; waiting for it gives up after ``LOCK_TIMEOUT_S``
        seconds.
    """
    return FileLock(str(folder / LOCK_NAME), timeout=LOCK_TIMEOUT_S)


def record_key(table: str, record: Any) -> list[str]:
    """The key of ``record`` in ``table``, as the log writes it.

    Parameters
    ----------
    table : str
        A table of the data contract (``agencies``, ``relationships``, ``assessment``, ``actions``,
        ``survey``).
    record : dataclass
        A record of that table.

    Returns
    -------
    list of str
        The id of an agency or an action; the key fields of a tie, an answer or a survey row.
    """
    if table in ("agencies", "actions"):
        return [record.id]
    return list(record.key)


def make_record(table: str, values: dict[str, Any]) -> Any:
    """A record of ``table`` from a dict; text cells are trimmed, '' means not stated.

    Parameters
    ----------
    table : str
        A table of the data contract (``agencies``, ``relationships``, ``assessment``, ``actions``,
        ``survey``).
    values : dict
        The record's fields by column name.

    Returns
    -------
    dataclass
        The table's record (an ``Agency``, a ``Relationship`` …) with missing fields at their defaults.

    Raises
    ------
    EditConflict
        When ``values`` names a field the table does not have.
    """
    cls = _RECORD[table]
    names = {f.name for f in fields(cls)}
    unknown = set(values) - names
    if unknown:
        raise EditConflict(f"unknown field(s) for {table}: {', '.join(sorted(unknown))}")
    lists = {f.name for f in fields(cls) if f.default == ()}
    clean: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, str):
            v = v.strip() or None
        if isinstance(v, str) and k in lists:  # a form's "a|b" cell, as the files hold it
            v = split_list(v)
        if isinstance(v, str) and k in _BOOLS:
            v = BOOL_WORDS.get(v.lower(), v)
        if isinstance(v, list):
            v = tuple(v)
        if v is not None:
            clean[k] = v
    if table == "agencies" and "kind" not in clean:
        clean["kind"] = "organisation"
    return cls(**clean)


@dataclass(frozen=True)
class Change:
    """One logged change: rows before and after, per table.

    ``based_on`` is the version the editor started from: the ``seq`` of the
    change that last wrote the record(s) as the editor read them (``0``: as
    the files held them before the log mentions them); for an edit made
    without ``base=``, the log's last ``seq`` when it was saved. So the log
    reads as a conversation: *#14 ngo-coordinator, based on #12*.

    Parameters
    ----------
    seq : int
        The change's number in the log, from 1.
    time : str
        When it was saved, as an ISO 8601 UTC time.
    editor : str
        The role of the person who made it.
    summary : str
        What the change did, in a few words.
    rows : list of dict
        The rows the change touched: ``table``, ``key`` and the record's fields ``before``
        and ``after`` (``None`` where it did not exist).
    undoes : int, optional
        The ``seq`` of the change this one undid.
    based_on : int, optional
        The ``seq`` of the version the editor started from (see above).
    account : str, optional
        The editor's login account, when there was one.
    """

    seq: int
    time: str
    editor: str
    summary: str
    rows: list[dict[str, Any]]
    undoes: int | None = None
    based_on: int | None = None
    #: The editor's login account (the JupyterHub user, or the access file's account of
    #: ``workbench serve --access``) beside the role they typed; absent on a laptop and in older logs.
    account: str | None = None


class _Absent:
    """The ``base=`` of an editor who saw no such record (a new answer or action)."""

    def __repr__(self) -> str:
        return "ABSENT"


#: ``base=ABSENT``: the editor started from no record (see :meth:`RegionStore.set_answer`).
ABSENT = _Absent()
#: Boolean fields: a form may send the words the files accept (``"yes"``, ``"non"``).
_BOOLS = frozenset({"dv_relay", "lead", "mandatory", "temporary"})
#: Fields computed by the workbench, never edited by a person.
_DERIVED = frozenset({"kind"})
#: The identity fields of each table: an edit cannot change them.
_KEYS = {"agencies": ("id",), "actions": ("id",), "relationships": ("source", "target", "type"),
         "assessment": ("round", "indicator", "rater"), "region": ("id",)}


def record_label(table: str, key: list[str] | tuple[str, ...]) -> str:
    """How a record is named in messages and the log.

    Parameters
    ----------
    table : str
        A table of the data contract (``agencies``, ``relationships``, ``assessment``, ``actions``,
        ``survey``). Also ``region``.
    key : list of str or tuple of str
        The record's key in that table.

    Returns
    -------
    str
        A short English name for the record, as the log and messages use.

    Examples
    --------
    >>> record_label("relationships", ["ngo", "police", "referral"])
    'tie ngo → police (referral)'
    >>> record_label("assessment", ["2025-baseline", "C2.1", ""])
    'answer C2.1 (2025-baseline, -)'
    """
    if table == "agencies":
        return f"agency {key[0]}"
    if table == "actions":
        return f"action {key[0]}"
    if table == "relationships":
        return f"tie {key[0]} → {key[1]} ({key[2]})"
    if table == "assessment":
        return f"answer {key[1]} ({key[0]}, {key[2] or '-'})"
    return "region details"


def _normal(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (a full record) as :func:`record_dict` gives it: trimmed, '' → None, lists."""
    if table == "region":
        fields: dict[str, Any] = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}
        return record_dict(RegionInfo(**fields))
    return record_dict(make_record(table, {k: v for k, v in values.items() if k not in _DERIVED}))


def _as_dict(table: str, record: Any) -> dict[str, Any]:
    if isinstance(record, dict):
        return _normal(table, record)
    return record_dict(record)


def _blank(table: str, key: tuple[str, ...]) -> dict[str, Any]:
    """The record an editor who saw none started from: key fields set, the rest as not stated."""
    cls = RegionInfo if table == "region" else _RECORD[table]
    out: dict[str, Any] = {}
    for f in fields(cls):
        default = f.default if f.default is not MISSING else (() if f.default_factory is not MISSING else None)
        out[f.name] = list(default) if isinstance(default, tuple) else default
    for name, value in zip(_KEYS[table], key, strict=True):
        out[name] = value or None
    return out


#: One record change of a save: (table, key, base, values); ``values`` None removes the record.
_Item = tuple[str, tuple[str, ...], Any, "dict[str, Any] | None"]


class _Tables:
    """A region's records by table and key, changed one by one and rebuilt into a region once."""

    def __init__(self, region: Region) -> None:
        self.start = region
        self.rows = {t: {tuple(record_key(t, r)): r for r in getattr(region, t)} for t in _RECORD}
        self.info = region.info

    def get(self, table: str, key: tuple[str, ...]) -> dict[str, Any] | None:
        if table == "region":
            return record_dict(self.info)
        rec = self.rows[table].get(key)
        return None if rec is None else record_dict(rec)

    def put(self, table: str, key: tuple[str, ...], values: dict[str, Any] | None) -> None:
        if table == "region":
            if values is not None:
                self.info = RegionInfo(**values)
        elif values is None:
            self.rows[table].pop(key, None)
        else:
            self.rows[table][key] = make_record(table, {k: v for k, v in values.items() if k not in _DERIVED})

    def drop_agency_links(self, agency_id: str) -> None:
        """After removing an agency: its ties and survey rows go, its units lose their parent."""
        for key, a in list(self.rows["agencies"].items()):
            if a.parent == agency_id:
                self.rows["agencies"][key] = replace(a, parent=None)
        for key in [k for k in self.rows["relationships"] if agency_id in k[:2]]:
            del self.rows["relationships"][key]
        for key in [k for k in self.rows["survey"] if agency_id in k[1:3]]:
            del self.rows["survey"][key]

    def region(self) -> Region:
        tables: dict[str, Any] = {t: tuple(recs.values()) for t, recs in self.rows.items()}
        return _with_kinds(replace(self.start, info=self.info, **tables))


def replay(region: Region, changes: Sequence[Change]) -> Region | None:
    """``region`` with the rows of logged ``changes`` applied, as the store saved them.

    Parameters
    ----------
    region : Region
        The region as it was before the changes.
    changes : sequence of Change
        Entries of the region's change log made since, oldest first.

    Returns
    -------
    Region or None
        The region with every change's rows applied; ``None`` when a change (an import) does not say
        which rows it wrote, and the files must be read again.
    """
    tabs = _Tables(region)
    for change in changes:
        if not change.rows and not change.summary.startswith("create region"):
            return None  # an import of a folder that held no valid region: the log does not say what changed
        for row in change.rows:
            tabs.put(str(row["table"]), tuple(row["key"]), row["after"])
    return tabs.region()


@dataclass
class _Plan:
    """What one save found: conflicts, records gone or changed under a removal, versions started from."""

    conflicts: list[FieldConflict] = dc_field(default_factory=list)
    refused: list[str] = dc_field(default_factory=list)
    saved_by: str | None = None
    versions: list[int] = dc_field(default_factory=list)

    def error(self, region: Region | None, record: str | None, saved: Any) -> EditConflict:
        names = sorted({c.record for c in self.conflicts if c.field != "(removed)"})
        parts = list(self.refused)
        if names:
            parts.append(f"somebody else changed {', '.join(names)} after you opened it; the saved value was kept")
        if region is not None and names:
            parts.append("your other changes were saved")
        return EditConflict("; ".join(parts), self.conflicts, record=record, saved=saved, region=region,
                            saved_by=self.saved_by)


class RegionStore:
    """Edit one region folder safely from several processes, and several editors, at once.

    Every edit may take ``base=``, the record as the editor read it (the
    dataclass, or a dict of its fields): a field whose new value equals the
    base is no edit; edited fields nobody else changed since are saved,
    other people's changes to other fields are kept, and a field somebody
    else changed since is never overwritten: the call saves the rest and
    raises :class:`~workbench.errors.EditConflict` listing each such field.
    Removing a record somebody else changed since ``base`` raises the same
    and removes nothing. Without ``base`` an edit works as in version 1.

    Parameters
    ----------
    folder : str or Path
        The region folder; its name must be a valid region id.
    editor : str, default "unknown"
        The editor's role (e.g. ``"police-zone-lead"``), written to the log.
    account : str, optional
        The editor's login account (the JupyterHub user, or the access file's
        account), logged beside the role; ``None`` on a laptop.

    Raises
    ------
    InvalidRegionId
        When the folder's name is not a valid region id.
    """

    def __init__(self, folder: str | Path, editor: str = "unknown", account: str | None = None):
        self.folder = Path(folder)
        check_region_id(self.folder.name)
        self.editor = editor
        #: The login account logged beside ``editor`` (see :attr:`Change.account`), if any.
        self.account = account
        # One lock object per store: it is re-entrant, so undo() can call apply().
        self._lock = region_lock(self.folder)

    # -- reading ---------------------------------------------------------------
    def load(self) -> Region:
        """The region as saved now, read from the folder and checked again.

        Returns
        -------
        Region
            The region, every table checked against the data contract (a save
            that a killed writer left in the journal is read as done).

        Raises
        ------
        RegionInvalid
            When the folder holds no valid region, with every problem found.
        """
        return load_region(self.folder)

    def history(self) -> list[Change]:
        """Every change in the region's log, oldest first.

        Returns
        -------
        list of Change
            One entry per line of ``changes.jsonl``; a line that cannot be read
            (the torn last line of a killed writer) is skipped. Empty when the
            folder has no log yet.
        """
        path = self.folder / LOG_NAME
        if not path.exists():
            return []
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(Change(**json.loads(line)))
            except (json.JSONDecodeError, TypeError):
                continue
        return out

    def version(self) -> int:
        """The region's version: the number of the log's last change.

        Returns
        -------
        int
            The ``seq`` of the log's last whole entry; ``0`` when the log is
            empty or missing.
        """
        return _last_seq(self.folder / LOG_NAME)

    # -- the one write path ----------------------------------------------------
    def apply(self, summary: str, edit: Callable[[Region], Region], undoes: int | None = None,
              based_on: int | Callable[[], int | None] | None = None) -> Region:
        """Apply ``edit`` to the region as saved now, under the lock, and save the result.

        Every edit method of the store ends here. The region is read again
        under the lock (finishing a save a killed writer left in the journal),
        ``edit`` makes the new region, which is checked as a whole, and the
        files it changes are written with one new line in the log. An edit
        that changes nothing writes and logs nothing.

        Parameters
        ----------
        summary : str
            What the change does, in a few words, for the log.
        edit : callable
            A function from the region as saved now to the region as it should
            be; whatever it raises reaches the caller and nothing is written.
        undoes : int, optional
            The ``seq`` of the change this one undoes, for the log.
        based_on : int or callable, optional
            The ``seq`` of the version the editor started from, for the log; a
            callable is asked after ``edit`` has run. ``None``: the log's last
            ``seq`` before this save.

        Returns
        -------
        Region
            The region as saved (unchanged when ``edit`` changed nothing).

        Raises
        ------
        RegionInvalid
            When the edited region breaks the data contract; nothing is written.
        """
        with self._lock:
            recover(self.folder)
            before = load_region(self.folder, cache=True)  # the last save left its check in the cache
            after = edit(before)
            files = region_files(after)
            checked = parse_region_files(files, self.folder)  # raises RegionInvalid
            old = {p.name: p.read_bytes() for p in self.folder.iterdir()
                   if p.name in files and p.is_file()}
            rows = _diff(before, checked)
            if not rows:
                return checked
            # Optional tables that do not exist yet are created only once they hold a row.
            changed = {name: data for name, data in files.items()
                       if old.get(name) != data and (name in old or name in ALWAYS or data.count(b"\n") > 1)}
            base = based_on() if callable(based_on) else based_on
            commit(self.folder, changed, with_account(log_entry(self.folder, self.editor, summary, rows, undoes, base),
                                                      self.account))
            remember_region(self.folder, checked)
            return checked

    def _save(self, summary: str, items: list[_Item], *, create: bool | None = None,
              missing_ok: bool = False, cascade: bool = False) -> Region:
        """Save record changes in one step.

        An item without base is version 1: with ``create`` True its values
        are a new record (refused if it exists), with ``create`` False they
        patch the record (refused if it is gone), with ``None`` they replace
        or add it; a removal of a missing record is refused unless
        ``missing_ok``. An item with base follows the ``base=`` rule; when
        the save has a single item, a refused removal or a record gone since
        writes nothing. ``cascade``: a removed agency takes its ties along.
        """
        plan = _Plan()
        log = _LogIndex(self.folder)

        def edit(region: Region) -> Region:
            plan.conflicts.clear()
            plan.refused.clear()
            plan.versions.clear()
            tabs = _Tables(region)
            for table, key, base, values in items:
                label = record_label(table, key)
                cur = tabs.get(table, key)
                if base is None:
                    if cur is None and values is None:
                        if missing_ok:
                            continue
                        raise EditConflict(f"{label} does not exist", record=label)
                    if create is True and cur is not None:
                        raise EditConflict(f"{label} already exists", record=label, saved=cur)
                    if create is False:
                        if cur is None:
                            raise EditConflict(f"{label} does not exist", record=label)
                        values = _normal(table, {**cur, **(values or {})})
                    new = values
                else:
                    start = _blank(table, key) if base is ABSENT else _as_dict(table, base)
                    plan.versions.append(log.version(table, key, None if base is ABSENT else start))
                    if cur is None and base is not ABSENT:
                        who = log.last_touch(table, key)
                        plan.saved_by = who[1] if who else None
                        if values is not None:  # a removal of a removed record is no news
                            plan.refused.append(f"{label} was removed" + (f" by {who[1]}" if who else "")
                                                + " after you opened it")
                        continue
                    current = cur if cur is not None else _blank(table, key)
                    if values is None:  # remove only the record as the editor saw it
                        found = [_conflict(log, label, table, key, f, start.get(f), current[f], None)
                                 for f in current if f not in _DERIVED and current[f] != start.get(f)]
                        if found:
                            plan.conflicts.extend(found)
                            plan.saved_by = found[0].saved_by
                            plan.refused.append(f"{label} was changed by {found[0].saved_by or 'somebody else'} "
                                                "after you opened it; it was not removed")
                            continue
                        new = None
                    else:
                        new, found = _merge(log, label, table, key, start, current, values)
                        plan.conflicts.extend(found)
                tabs.put(table, key, new)
                if cascade and new is None and table == "agencies":
                    tabs.drop_agency_links(key[0])
            if len(items) == 1 and plan.refused:
                raise plan.error(None, record_label(*items[0][:2]), tabs.get(*items[0][:2]))
            return tabs.region()

        saved = self.apply(summary, edit, based_on=lambda: max(plan.versions) if plan.versions else None)
        if plan.conflicts or plan.refused:
            table, key = items[0][:2]
            rec = _Tables(saved).get(table, key) if len(items) == 1 else None
            raise plan.error(saved, record_label(table, key) if len(items) == 1 else None, rec)
        return saved

    # -- edits -------------------------------------------------------------------
    def add_agency(self, **values: Any) -> Region:
        """Add a new agency, unit or forum to the region.

        Parameters
        ----------
        **values : Any
            The agency's fields by column name of ``agencies.csv``: ``id``,
            ``name`` and ``type`` are needed, the others are optional (text is
            trimmed, ``""`` is not stated, a list may be given as ``"a|b"``).
            ``kind`` is worked out by the workbench from ``type`` and ``parent``.

        Returns
        -------
        Region
            The region as saved, with the new agency.

        Raises
        ------
        EditConflict
            When an agency with that id exists already, or ``values`` names a
            field ``agencies.csv`` does not have; nothing is written.
        RegionInvalid
            When the new agency breaks the data contract (an unknown type, a
            parent that does not exist …); nothing is written.
        """
        rec = record_dict(make_record("agencies", values))
        return self._save(f"add agency {rec['id']}", [("agencies", (rec["id"],), None, rec)], create=True)

    def edit_agency(self, agency_id: str, base: Any = None, **changes: Any) -> Region:
        """Change some fields of an agency, keeping what others saved meanwhile when ``base`` is given.

        This is the store's ``base=`` contract, which every edit method with a
        ``base`` argument follows. ``base`` is the agency as the editor read
        it, before they started editing (the :class:`~workbench.data.Agency`
        that was loaded, or a dict of its fields). Each field of ``changes`` is
        then compared three ways, with ``base`` and with what is saved now:

        * a value equal to the one in ``base`` is no edit, so a form may send
          every field it shows;
        * an edited field that nobody changed since ``base`` is saved;
        * a field somebody else changed since ``base`` to another value than
          the editor's keeps its saved value: it is listed in the conflict
          raised once the rest of the edit is saved.

        Fields the editor did not change keep what others saved meanwhile.
        The log records as ``based_on`` the change that last wrote the agency
        as ``base`` holds it. Without ``base``, ``changes`` are written over
        the agency as saved now, whatever others saved since the editor read it.

        Parameters
        ----------
        agency_id : str
            The id of the agency to change.
        base : Agency or dict, optional
            The agency as the editor read it; ``None`` for no check.
        **changes : Any
            The new values by column name of ``agencies.csv`` (text trimmed,
            ``""`` clears a field); ``id``, if given, must be ``agency_id``.

        Returns
        -------
        Region
            The region as saved; unchanged, and nothing logged, when no field
            was edited.

        Raises
        ------
        EditConflict
            When a field of ``changes`` was changed by somebody else since
            ``base``: the other edited fields are saved first, and the error's
            ``fields`` lists each conflict (:class:`~workbench.errors.FieldConflict`:
            the value started from, the value saved now, who saved it and the
            value asked for), ``region`` is the region as saved and ``saved``
            the agency as saved (a dict of its fields). Also, with nothing
            written (``region`` is ``None``): when the agency was removed since
            ``base`` (``saved_by`` names who did, when the log says), when it
            does not exist (without ``base``), when ``changes`` would change
            the id or names a field the table does not have.
        RegionInvalid
            When the changed agency breaks the data contract; nothing is written.
        """
        if changes.get("id", agency_id) != agency_id:
            raise EditConflict("an agency's id cannot be changed; add a new agency instead")
        return self._save(f"edit agency {agency_id}", [("agencies", (agency_id,), base, changes)], create=False)

    def remove_agency(self, agency_id: str, base: Any = None) -> Region:
        """Remove an agency with its ties and survey rows; its units lose their parent link.

        With ``base``, only the agency as the editor read it is removed: when
        somebody else changed any of its fields since, nothing is removed and
        a conflict is raised instead. Removing an agency that somebody else
        removed since ``base`` does nothing and raises nothing.

        Parameters
        ----------
        agency_id : str
            The id of the agency to remove.
        base : Agency or dict, optional
            The agency as the editor read it (see :meth:`edit_agency`);
            ``None`` removes the agency as saved now.

        Returns
        -------
        Region
            The region as saved, without the agency and its ties.

        Raises
        ------
        EditConflict
            When the agency was changed since ``base`` (``fields`` lists each
            field changed, ``saved`` is the agency as saved now), or, without
            ``base``, when it does not exist; nothing is written.
        """
        return self._save(f"remove agency {agency_id}", [("agencies", (agency_id,), base, None)], cascade=True)

    def add_relationship(self, **values: Any) -> Region:
        """Add a new tie between two agencies.

        Parameters
        ----------
        **values : Any
            The tie's fields by column name of ``relationships.csv``: ``source``,
            ``target`` and ``type`` are needed and identify the tie; the others
            are optional (text is trimmed, ``""`` is not stated).

        Returns
        -------
        Region
            The region as saved, with the new tie.

        Raises
        ------
        EditConflict
            When the same tie (source, target and type) exists already, or
            ``values`` names a field ``relationships.csv`` does not have;
            nothing is written.
        RegionInvalid
            When the tie breaks the data contract (an end that is no agency of
            the region, an unknown type …); nothing is written.
        """
        rec = make_record("relationships", values)
        return self._save(f"add tie {rec.source} → {rec.target} ({rec.type})",
                          [("relationships", rec.key, None, record_dict(rec))], create=True)

    def edit_relationship(self, source: str, target: str, type: str, base: Any = None,
                          **changes: Any) -> Region:
        """Change some fields of a tie, keeping what others saved meanwhile when ``base`` is given.

        Parameters
        ----------
        source : str
            The id of the agency the tie goes from.
        target : str
            The id of the agency the tie goes to.
        type : str
            The tie's type (``"referral"`` …); with ``source`` and ``target``, it
            identifies the tie.
        base : Relationship or dict, optional
            The tie as the editor read it; edits follow the ``base=`` contract of
            :meth:`edit_agency`. ``None`` writes ``changes`` over the tie as saved now.
        **changes : Any
            The new values by column name of ``relationships.csv`` (text trimmed,
            ``""`` clears a field).

        Returns
        -------
        Region
            The region as saved; unchanged when no field was edited.

        Raises
        ------
        EditConflict
            When a field was changed by somebody else since ``base`` (the rest
            is saved; see :meth:`edit_agency` for what the error holds), or, with
            nothing written: when the tie was removed since ``base``, does not
            exist (without ``base``), when ``changes`` would change its source,
            target or type, or names a field the table does not have.
        RegionInvalid
            When the changed tie breaks the data contract; nothing is written.
        """
        key = (source, target, type)
        if any(changes.get(k, v) != v for k, v in zip(_KEYS["relationships"], key, strict=True)):
            raise EditConflict("source, target and type identify a tie; remove it and add a new one")
        return self._save(f"edit tie {source} → {target} ({type})", [("relationships", key, base, changes)],
                          create=False)

    def remove_relationship(self, source: str, target: str, type: str, base: Any = None) -> Region:
        """Remove a tie; with ``base``, only if nobody changed it since the editor read it.

        Parameters
        ----------
        source : str
            The id of the agency the tie goes from.
        target : str
            The id of the agency the tie goes to.
        type : str
            The tie's type.
        base : Relationship or dict, optional
            The tie as the editor read it (see :meth:`remove_agency`); ``None``
            removes the tie as saved now.

        Returns
        -------
        Region
            The region as saved, without the tie.

        Raises
        ------
        EditConflict
            When the tie was changed since ``base`` (``fields`` lists each field
            changed), or, without ``base``, when it does not exist; nothing is
            written.
        """
        return self._save(f"remove tie {source} → {target} ({type})",
                          [("relationships", (source, target, type), base, None)])

    def set_answer(self, round: str, indicator: str, answer: str, rater: str | None = None,
                   evidence: str | None = None, date: str | None = None, base: Any = None) -> Region:
        """Set one rater's answer to an indicator of the self-assessment, adding it or replacing it.

        Parameters
        ----------
        round : str
            The assessment round (``"2025-baseline"``).
        indicator : str
            The indicator answered (``"C2.1"``).
        answer : str
            The answer, as ``assessment.csv`` holds it (``"0"``, ``"1"``, ``"2"`` …).
        rater : str, optional
            Who answers (a role); ``None`` for the group's own answer.
        evidence : str, optional
            What the answer rests on; ``None`` leaves it empty.
        date : str, optional
            When it was answered (``YYYY-MM-DD``); ``None`` leaves it empty.
        base : Answer or dict, optional
            The answer as the editor read it, or :data:`ABSENT` when there was
            none; edits follow the ``base=`` contract of :meth:`edit_agency`
            (with :data:`ABSENT`, an answer somebody else gave meanwhile is a
            conflict). ``None`` writes the answer whatever is saved now.

        Returns
        -------
        Region
            The region as saved; unchanged when the answer was already so.

        Raises
        ------
        EditConflict
            When a field was changed by somebody else since ``base`` (the rest
            is saved; see :meth:`edit_agency` for what the error holds), or when
            the answer was removed since ``base``: then nothing is written.
        RegionInvalid
            When the answer breaks the data contract (an unknown indicator, an
            answer the indicator does not offer …); nothing is written.
        """
        rec = record_dict(make_record("assessment", dict(round=round, indicator=indicator, answer=answer,
                                                         rater=rater, evidence=evidence, date=date)))
        return self._save(f"answer {indicator} ({round}, {rater or '-'})",
                          [("assessment", (round, indicator, rater or ""), base, rec)])

    def set_answers(self, round: str, rater: str | None, answers: dict[str, tuple[str, str | None] | None],
                    base: dict[str, Any] | None = None, date: str | None = None,
                    summary: str | None = None) -> Region:
        """Save several answers of one rater in one step (one log line): set some, remove others.

        With ``base``, each answer follows the ``base=`` contract of
        :meth:`edit_agency` on its own: a conflict on one answer does not
        stop the others, which are saved before the conflict is raised.

        Parameters
        ----------
        round : str
            The assessment round.
        rater : str or None
            Who answers (a role); ``None`` for the group's own answers.
        answers : dict
            Indicator → ``(answer, evidence)`` to set (``evidence`` may be
            ``None``), or ``None`` to remove that answer (an answer that does
            not exist is left alone).
        base : dict, optional
            Indicator → the answer as the editor read it (an ``Answer`` or a
            dict of its fields); an indicator missing from it, or mapped to
            :data:`ABSENT`, had no answer. ``None`` saves ``answers`` over what
            is saved now, without checks.
        date : str, optional
            When the answers were given (``YYYY-MM-DD``), for each answer set.
        summary : str, optional
            What the change does, for the log; by default the round, the rater
            and the indicators.

        Returns
        -------
        Region
            The region as saved.

        Raises
        ------
        EditConflict
            When an answer was changed or removed by somebody else since
            ``base``: ``fields`` lists each field changed by both, and ``region``
            is the region as saved with the other answers. A single answer
            removed since ``base`` is refused as by :meth:`set_answer`: nothing
            is written.
        RegionInvalid
            When an answer breaks the data contract; nothing is written.
        """
        items: list[_Item] = []
        for indicator, pair in sorted(answers.items()):
            key = (round, indicator, rater or "")
            b = None if base is None else base.get(indicator) or ABSENT
            rec = None if pair is None else record_dict(make_record("assessment", dict(
                round=round, indicator=indicator, answer=pair[0], rater=rater, evidence=pair[1], date=date)))
            items.append(("assessment", key, b, rec))
        return self._save(summary or f"answers ({round}, {rater or '-'}): {', '.join(sorted(answers))}", items,
                          missing_ok=True)

    def remove_answer(self, round: str, indicator: str, rater: str | None = None, base: Any = None) -> Region:
        """Remove one rater's answer; with ``base``, only if nobody changed it since the editor read it.

        Parameters
        ----------
        round : str
            The assessment round.
        indicator : str
            The indicator whose answer goes.
        rater : str, optional
            Whose answer it is (a role); ``None`` for the group's own answer.
        base : Answer or dict, optional
            The answer as the editor read it (see :meth:`remove_agency`); ``None``
            removes the answer as saved now.

        Returns
        -------
        Region
            The region as saved, without the answer.

        Raises
        ------
        EditConflict
            When the answer was changed since ``base`` (``fields`` lists each
            field changed), or, without ``base``, when it does not exist; nothing
            is written.
        """
        return self._save(f"remove answer {indicator} ({round}, {rater or '-'})",
                          [("assessment", (round, indicator, rater or ""), base, None)])

    def save_action(self, base: Any = None, **values: Any) -> Region:
        """Add a roadmap action, or change one, keeping what others saved meanwhile when ``base`` is given.

        Parameters
        ----------
        base : Action or dict, optional
            The action as the editor read it, or :data:`ABSENT` for an action
            the editor is adding; the fields given in ``values`` are then the
            changes, under the ``base=`` contract of :meth:`edit_agency`. ``None``:
            ``values`` are the whole action, which replaces any saved under its id.
        **values : Any
            The action's fields by column name of ``actions.csv``; ``id`` and
            ``title`` are needed (text trimmed, ``""`` is not stated).

        Returns
        -------
        Region
            The region as saved.

        Raises
        ------
        EditConflict
            When a field was changed by somebody else since ``base`` (the rest
            is saved; see :meth:`edit_agency` for what the error holds); with
            nothing written, when the action was removed since ``base`` or
            ``values`` names a field the table does not have.
        RegionInvalid
            When the action breaks the data contract; nothing is written.
        """
        rec = record_dict(make_record("actions", values))
        # With base, the fields given are the changes (a form may send every one); without, the record.
        return self._save(f"save action {rec['id']}", [("actions", (rec["id"],), base,
                                                        rec if base is None else values)])

    def remove_action(self, action_id: str, base: Any = None) -> Region:
        """Remove a roadmap action; with ``base``, only if nobody changed it since the editor read it.

        Parameters
        ----------
        action_id : str
            The id of the action to remove.
        base : Action or dict, optional
            The action as the editor read it (see :meth:`remove_agency`);
            ``None`` removes the action as saved now.

        Returns
        -------
        Region
            The region as saved, without the action.

        Raises
        ------
        EditConflict
            When the action was changed since ``base`` (``fields`` lists each
            field changed), or, without ``base``, when it does not exist; nothing
            is written.
        """
        return self._save(f"remove action {action_id}", [("actions", (action_id,), base, None)])

    def set_info(self, base: Any = None, **changes: Any) -> Region:
        """Change the region's details (``region.toml``): name, country, language, coordinator …

        Parameters
        ----------
        base : RegionInfo or dict, optional
            The details as the editor read them; edits follow the ``base=``
            contract of :meth:`edit_agency`. ``None`` writes ``changes`` over the
            details as saved now.
        **changes : Any
            The new values by key of ``region.toml`` (text trimmed, ``""``
            clears a field); ``id``, if given, must be the folder's name.

        Returns
        -------
        Region
            The region as saved; unchanged when no field was edited.

        Raises
        ------
        EditConflict
            When a field was changed by somebody else since ``base`` (the rest
            is saved; see :meth:`edit_agency` for what the error holds), or when
            ``changes`` would change the region's id; then nothing is written.
        RegionInvalid
            When the new details break the data contract; nothing is written.
        """
        if changes.get("id", self.folder.name) != self.folder.name:
            raise EditConflict("a region's id is its folder's name and cannot be changed")
        return self._save("edit region details", [("region", (self.folder.name,), base, changes)], create=False)

    # -- undo --------------------------------------------------------------------
    def undo_candidate(self, mine_only: bool = True) -> Change | None:
        """The change :meth:`undo` would take back: the editor's own last change still in force.

        A change still in force is one that is not itself an undo, was not
        undone, and changed some rows.

        Parameters
        ----------
        mine_only : bool, default True
            Look only at the changes logged under this store's ``editor``;
            ``False``: when the editor has none, the last change of anyone.

        Returns
        -------
        Change or None
            The change; ``None`` when there is none to undo.
        """
        hist = self.history()
        undone = {c.undoes for c in hist if c.undoes is not None}
        open_ = [c for c in hist if c.undoes is None and c.seq not in undone and c.rows]
        mine = [c for c in open_ if c.editor == self.editor]
        if mine:
            return mine[-1]
        return None if mine_only or not open_ else open_[-1]

    @overload
    def undo(self, seq: None = None, force: bool = False) -> Change | None: ...
    @overload
    def undo(self, seq: int, force: bool = False) -> Change: ...

    def undo(self, seq: int | None = None, force: bool = False) -> Change | None:
        """Take back the editor's own last change, or change ``seq``, as a new change in the log.

        Only the fields that change set are put back (a record it added is
        removed, one it removed comes back); later changes to other fields
        stay. The undo is logged as a change of its own, which names the
        change it undoes.

        Parameters
        ----------
        seq : int, optional
            The number of the change to undo; ``None``: the editor's own last
            change still in force (:meth:`undo_candidate`).
        force : bool, default False
            Undo even a change made by somebody else, or one whose fields were
            changed again since (their later values are then overwritten).

        Returns
        -------
        Change or None
            The change that was undone; ``None`` when ``seq`` is ``None`` and
            the editor has no change to undo.

        Raises
        ------
        UndoRefused
            Without ``force``, when the change was made by somebody else, or
            when a field it set was changed again since (``fields`` lists each,
            with who changed it); nothing is written. It is an
            :class:`~workbench.errors.EditConflict`.
        EditConflict
            When change ``seq`` is not in the log, is itself an undo, was undone
            already or changed nothing; nothing is written.
        RegionInvalid
            When the region with the change taken back would break the data
            contract; nothing is written.
        """
        with self._lock:
            hist = self.history()
            undone = {c.undoes for c in hist if c.undoes is not None}
            target = (self.undo_candidate() if seq is None
                      else next((c for c in hist if c.seq == seq), None))
            if target is None and seq is None:
                return None
            if target is None or target.undoes is not None or target.seq in undone or not target.rows:
                raise EditConflict(f"change #{seq} cannot be undone: it is unknown, an undo, or undone already")
            if target.editor != self.editor and not force:
                raise UndoRefused(f"change #{target.seq} ({target.summary}) was made by {target.editor}, "
                                  "not by you: undo it anyway?", target)
            log = _LogIndex(self.folder)
            crossings: list[FieldConflict] = []

            def edit(region: Region) -> Region:
                crossings.clear()
                tabs = _Tables(region)
                for row in reversed(target.rows):
                    t, key = row["table"], tuple(row["key"])
                    label = record_label(t, key)
                    cur = tabs.get(t, key)
                    before, after = row["before"], row["after"]
                    if after is None:  # the change removed it: put it back
                        new = before
                        if cur is not None:
                            crossings.extend(_conflict(log, label, t, key, f, None, cur[f], before[f])
                                             for f in cur if f not in _DERIVED and cur[f] != before[f])
                    elif before is None:  # the change added it: remove it
                        new = None
                        if cur is not None:
                            crossings.extend(_conflict(log, label, t, key, f, after[f], cur[f], None)
                                             for f in cur if f not in _DERIVED and cur[f] != after[f])
                    else:
                        edited = [f for f in before if f not in _DERIVED and before[f] != after[f]]
                        if cur is None:
                            who = log.last_touch(t, key)
                            crossings.append(FieldConflict(label, "(removed)", None, None, who[1] if who else None))
                            new = before
                        else:
                            crossings.extend(_conflict(log, label, t, key, f, after[f], cur[f], before[f])
                                             for f in edited if cur[f] != after[f])
                            new = {**cur, **{f: before[f] for f in edited}}
                    tabs.put(t, key, new)
                if crossings and not force:
                    raise UndoRefused(f"undoing change #{target.seq} ({target.summary}) would overwrite "
                                      "changes made since: undo it anyway?", target, list(crossings))
                return tabs.region()

            self.apply(f"undo: {target.summary}", edit, undoes=target.seq, based_on=target.seq)
            return target


def _merge(log: _LogIndex, label: str, table: str, key: tuple[str, ...], start: dict[str, Any],
           current: dict[str, Any], changes: dict[str, Any]) -> tuple[dict[str, Any], list[FieldConflict]]:
    """Three-way merge of one record: the editor's ``changes`` to ``start`` applied to ``current``.

    A field whose value in ``changes`` equals ``start`` is no edit; an edited
    field is taken unless somebody else saved another value since.
    """
    mine = _normal(table, {**start, **changes})
    merged = dict(current)
    found = []
    for f, value in mine.items():
        if f in _DERIVED or value == start[f] or value == current[f]:
            continue
        if current[f] != start[f]:
            found.append(_conflict(log, label, table, key, f, start[f], current[f], value))
        else:
            merged[f] = value
    return merged, found


def _conflict(log: _LogIndex, label: str, table: str, key: tuple[str, ...], f: str, start: Any, saved: Any,
              mine: Any) -> FieldConflict:
    who = log.last_change(table, key, f)
    return FieldConflict(label, f, _plain(start), _plain(saved), who, _plain(mine))


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class _LogIndex:
    """Questions about one record's history, answered from the end of the change log."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOG_NAME
        self._lines: list[bytes] | None = None

    def _entries(self, table: str, key: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(entry, row) for each logged row of the record, newest first."""
        if self._lines is None:
            self._lines = self.path.read_bytes().split(b"\n") if self.path.is_file() else []
        needle = json.dumps({"table": table, "key": list(key)}, ensure_ascii=False)[1:-1].encode("utf-8")
        if table == "region":
            needle = b'"table": "region"'
        for line in reversed(self._lines):
            if needle not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            for row in entry.get("rows", ()):
                if row.get("table") == table and (table == "region" or tuple(row.get("key", ())) == key):
                    yield entry, row

    def version(self, table: str, key: tuple[str, ...], record: dict[str, Any] | None) -> int:
        """The ``seq`` of the change that wrote ``record`` as it is (0: before the log mentions it)."""
        for entry, row in self._entries(table, key):
            if row.get("after") is not None and record is not None and _same(row["after"], record):
                return int(entry["seq"])
            if row.get("after") is None and record is None:
                return int(entry["seq"])
        return 0

    def last_touch(self, table: str, key: tuple[str, ...]) -> tuple[int, str] | None:
        for entry, _row in self._entries(table, key):
            return int(entry["seq"]), str(entry.get("editor"))
        return None

    def last_change(self, table: str, key: tuple[str, ...], f: str) -> str | None:
        """Who last changed field ``f`` of the record (``None`` when the log does not say)."""
        for entry, row in self._entries(table, key):
            before, after = row.get("before") or {}, row.get("after") or {}
            if before.get(f) != after.get(f):
                return str(entry.get("editor"))
        return None


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(f) == v for f, v in b.items() if f not in _DERIVED)


def log_entry(folder: Path, editor: str, summary: str, rows: list[dict[str, Any]],
              undoes: int | None = None, based_on: int | None = None) -> dict[str, Any]:
    """The change log's next line (call under the lock); ``based_on`` defaults to the last ``seq``.

    Parameters
    ----------
    folder : Path
        The region folder.
    editor : str
        The role of the person who made the change.
    summary : str
        What the change did.
    rows : list of dict
        The rows the change touched: ``table``, ``key`` and the record's fields ``before``
        and ``after`` (``None`` where it did not exist).
    undoes : int, optional
        The ``seq`` of the change this one undoes.
    based_on : int, optional
        The ``seq`` of the version the editor started from.

    Returns
    -------
    dict
        The log line: ``seq`` (one after the log's last), ``time``, ``editor``, ``summary``, ``rows``,
        ``undoes`` and ``based_on``.
    """
    last = _last_seq(folder / LOG_NAME)
    return {"seq": last + 1, "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "editor": editor, "summary": summary, "rows": rows, "undoes": undoes,
            "based_on": last if based_on is None else based_on}


def commit(folder: Path, files: dict[str, bytes], entry: dict[str, Any]) -> None:
    """Save ``files`` and log ``entry`` as one step, through the journal (call under the lock).

    Parameters
    ----------
    folder : Path
        The region folder.
    files : dict of str to bytes
        The content of each file to write, by file name.
    entry : dict
        The log line, as :func:`log_entry` makes it.
    """
    journal = {"files": {name: data.decode("utf-8") for name, data in files.items()}, "log": entry}
    atomic_write(folder / JOURNAL_NAME, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
    _finish(folder, files, entry)


def recover(folder: Path) -> None:
    """Finish a save that a killed writer committed, and drop its temp files (call under the lock).

    Parameters
    ----------
    folder : Path
        The region folder.
    """
    for p in folder.glob(".*.tmp"):
        p.unlink(missing_ok=True)
    path = folder / JOURNAL_NAME
    if path.is_symlink() or not path.is_file():
        return
    try:
        journal = json.loads(path.read_bytes().decode("utf-8"))
        files = {name: text.encode("utf-8") for name, text in journal["files"].items() if name in JOURNAL_FILES}
        entry = journal["log"]
        logged = entry["seq"] in {c.seq for c in RegionStore(folder).history()}
    except (ValueError, KeyError, TypeError, AttributeError):
        path.unlink()  # not written by commit(): atomic_write never leaves half a journal
        return
    _finish(folder, files, None if logged else entry)


def _finish(folder: Path, files: dict[str, bytes], entry: dict[str, Any] | None) -> None:
    """Write the journal's files and log line, then drop the journal."""
    for name, data in files.items():
        target = folder / name
        if not target.is_file() or target.read_bytes() != data:
            atomic_write(target, data)
    if entry is not None:
        log = folder / LOG_NAME
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            # A torn line from a killed writer must not glue onto ours.
            if os.fstat(fd).st_size and not _ends_with_newline(log):
                line = b"\n" + line
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    (folder / JOURNAL_NAME).unlink()
    fsync_dir(folder)


def _last_seq(log: Path) -> int:
    """The ``seq`` of the log's last whole entry (0 for none), reading only the end of the file.

    A save must not get slower as the log grows; a torn last line is skipped.
    """
    if not log.is_file():
        return 0
    with log.open("rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        size = 1 << 14
        while True:
            start = max(0, end - size)
            fh.seek(start)
            lines = fh.read(end - start).split(b"\n")
            for line in reversed(lines[1:] if start else lines):  # the first may be cut
                try:
                    return int(json.loads(line)["seq"])
                except (ValueError, KeyError, TypeError):
                    continue
            if not start:
                return 0
            size *= 4


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _with_kinds(region: Region) -> Region:
    """Recompute each agency's kind (forum / unit / organisation) after an edit."""
    from ..taxonomy import taxonomy
    forum_types = taxonomy().forum_types

    def kind(a: Agency) -> str:
        return "forum" if a.type in forum_types else "unit" if a.parent else "organisation"

    return replace(region, agencies=tuple(
        a if a.kind == kind(a) else replace(a, kind=kind(a)) for a in region.agencies))


def _diff(before: Region, after: Region) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if before.info != after.info:
        rows.append({"table": "region", "key": [before.info.id],
                     "before": record_dict(before.info), "after": record_dict(after.info)})
    for t in _RECORD:
        old = {tuple(record_key(t, r)): r for r in getattr(before, t)}
        new = {tuple(record_key(t, r)): r for r in getattr(after, t)}
        for key in sorted(old.keys() | new.keys()):
            o, n = old.get(key), new.get(key)
            if o != n:
                rows.append({"table": t, "key": list(key),
                             "before": record_dict(o) if o else None,
                             "after": record_dict(n) if n else None})
    return rows


def create_region(folder: str | Path, info: RegionInfo, editor: str = "unknown") -> Region:
    """Create a new, empty region folder (refuses to overwrite one).

    Parameters
    ----------
    folder : str or Path
        The new region's folder; its name is the region's id.
    info : RegionInfo
        The region's details.
    editor : str, default "unknown"
        The role written to the log.

    Returns
    -------
    Region
        The new region as loaded from the folder, with no agencies or ties.

    Raises
    ------
    InvalidRegionId
        When the folder's name is not a valid region id.
    RegionInvalid
        When ``info`` would not make a valid region.
    EditConflict
        When the folder exists and is not empty.
    """
    folder = Path(folder)
    check_region_id(folder.name)
    files = region_files(Region(info=info))
    parse_region_files(files, folder)  # validate before touching the disk
    if folder.exists() and any(folder.iterdir()):
        raise EditConflict(f"{folder} already exists and is not empty")
    folder.mkdir(parents=True, exist_ok=True)
    with region_lock(folder):
        commit(folder, {name: files[name] for name in ALWAYS}, log_entry(folder, editor, "create region", []))
    return load_region(folder)


def write_region(folder: Path, files: dict[str, bytes], editor: str, summary: str) -> None:
    """Write a whole validated region (import) in one step, under the lock.

    The log gets the rows the import changed (before and after, as for an
    edit), so that open pages can say what changed and a later conflict can
    name the import's editor; a folder that held no valid region logs none.

    Parameters
    ----------
    folder : Path
        The region folder.
    files : dict of str to bytes
        Every file of the region, already validated.
    editor : str
        The role written to the log.
    summary : str
        What the import did.
    """
    from ..errors import RegionInvalid

    folder.mkdir(parents=True, exist_ok=True)
    with region_lock(folder):
        recover(folder)
        rows: list[dict[str, Any]] = []
        if (folder / "region.toml").is_file():
            try:
                rows = _diff(load_region(folder), parse_region_files(files, folder))
            except RegionInvalid:
                rows = []
        commit(folder, files, log_entry(folder, editor, summary, rows))


__all__ = ["RegionStore", "Change", "atomic_write", "commit", "create_region", "recover", "write_region",
           "toml_text"]


def with_account(entry: dict[str, Any], account: str | None) -> dict[str, Any]:
    """The log line ``entry`` with the editor's login ``account`` beside the role, when there is one.

    Without an account the line is as before, so logs written on a laptop
    stay readable by older versions.

    Parameters
    ----------
    entry : dict
        A log line, as :func:`log_entry` makes it.
    account : str or None
        The editor's login account.

    Returns
    -------
    dict
        The same line, with ``account`` added when given.

    Examples
    --------
    >>> with_account({"seq": 1, "editor": "police-lead"}, "alice")
    {'seq': 1, 'editor': 'police-lead', 'account': 'alice'}
    >>> with_account({"seq": 1, "editor": "police-lead"}, None)
    {'seq': 1, 'editor': 'police-lead'}
    """
    return {**entry, "account": account} if account else entry
