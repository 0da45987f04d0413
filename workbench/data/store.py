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
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..errors import EditConflict
from .load import JOURNAL_FILES, JOURNAL_NAME, check_region_id, load_region, parse_region_files
from .model import Action, Agency, Answer, Region, RegionInfo, Relationship, SurveyRow, record_dict
from .write import region_files, toml_text

LOCK_NAME = ".workbench.lock"
LOG_NAME = "changes.jsonl"
LOCK_TIMEOUT_S = 30.0
ALWAYS = ("region.toml", "agencies.csv", "relationships.csv")

_RECORD = {"agencies": Agency, "relationships": Relationship, "assessment": Answer, "actions": Action,
           "survey": SurveyRow}


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (temp file, fsync, rename)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; keep the old file's mode, or the usual 0644.
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def region_lock(folder: Path) -> FileLock:
    """The inter-process lock that guards a region folder."""
    return FileLock(str(folder / LOCK_NAME), timeout=LOCK_TIMEOUT_S)


def record_key(table: str, record: Any) -> list[str]:
    if table in ("agencies", "actions"):
        return [record.id]
    return list(record.key)


def _key_of(table: str, rec: dict[str, Any]) -> list[str]:
    if table in ("agencies", "actions"):
        return [rec["id"]]
    if table == "relationships":
        return [rec["source"], rec["target"], rec["type"]]
    return [rec["round"], rec["indicator"], rec.get("rater") or ""]


def make_record(table: str, values: dict[str, Any]) -> Any:
    """A record of ``table`` from a dict; text cells are trimmed, '' means not stated."""
    cls = _RECORD[table]
    names = {f.name for f in fields(cls)}
    unknown = set(values) - names
    if unknown:
        raise EditConflict(f"unknown field(s) for {table}: {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, str):
            v = v.strip() or None
        if isinstance(v, list):
            v = tuple(v)
        if v is not None:
            clean[k] = v
    if table == "agencies" and "kind" not in clean:
        clean["kind"] = "organisation"
    return cls(**clean)


@dataclass(frozen=True)
class Change:
    """One logged change: rows before and after, per table."""

    seq: int
    time: str
    editor: str
    summary: str
    rows: list[dict[str, Any]]
    undoes: int | None = None


class RegionStore:
    """Edit one region folder safely from several processes at once.

    Parameters
    ----------
    folder : path of the region folder (its name must be a valid region id)
    editor : the editor's role (e.g. ``"police-zone-lead"``), written to the log
    """

    def __init__(self, folder: str | Path, editor: str = "unknown"):
        self.folder = Path(folder)
        check_region_id(self.folder.name)
        self.editor = editor
        # One lock object per store: it is re-entrant, so undo() can call apply().
        self._lock = region_lock(self.folder)

    # -- reading ---------------------------------------------------------------
    def load(self) -> Region:
        return load_region(self.folder)

    def history(self) -> list[Change]:
        """Every change in the log, oldest first (a torn last line is skipped)."""
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

    # -- the one write path ----------------------------------------------------
    def apply(self, summary: str, edit: Callable[[Region], Region], undoes: int | None = None) -> Region:
        """Apply ``edit`` to the current region under the lock and save it."""
        with self._lock:
            recover(self.folder)
            before = self.load()
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
            commit(self.folder, changed, log_entry(self.folder, self.editor, summary, rows, undoes))
            return checked

    # -- edits -------------------------------------------------------------------
    def _upsert(self, table: str, record: Any, must_exist: bool | None, summary: str) -> Region:
        key = record_key(table, record)

        def edit(region: Region) -> Region:
            rows = list(getattr(region, table))
            idx = next((i for i, r in enumerate(rows) if record_key(table, r) == key), None)
            if must_exist is True and idx is None:
                raise EditConflict(f"{table}: {'/'.join(key)} does not exist")
            if must_exist is False and idx is not None:
                raise EditConflict(f"{table}: {'/'.join(key)} already exists")
            if idx is None:
                rows.append(record)
            else:
                rows[idx] = record
            return _with_kinds(replace(region, **{table: tuple(rows)}))

        return self.apply(summary, edit)

    def add_agency(self, **values: Any) -> Region:
        rec = make_record("agencies", values)
        return self._upsert("agencies", rec, False, f"add agency {rec.id}")

    def edit_agency(self, agency_id: str, **changes: Any) -> Region:
        current = self.load().by_id.get(agency_id)
        if current is None:
            raise EditConflict(f"agency {agency_id} does not exist")
        rec = make_record("agencies", {**record_dict(current), **changes})
        if rec.id != agency_id:
            raise EditConflict("an agency's id cannot be changed; add a new agency instead")
        return self._upsert("agencies", rec, True, f"edit agency {agency_id}")

    def remove_agency(self, agency_id: str) -> Region:
        """Remove an agency with its ties (and its units' parent link)."""
        def edit(region: Region) -> Region:
            if agency_id not in region.by_id:
                raise EditConflict(f"agency {agency_id} does not exist")
            agencies = tuple(replace(a, parent=None) if a.parent == agency_id else a
                             for a in region.agencies if a.id != agency_id)
            rels = tuple(r for r in region.relationships if agency_id not in (r.source, r.target))
            return _with_kinds(replace(region, agencies=agencies, relationships=rels))
        return self.apply(f"remove agency {agency_id}", edit)

    def add_relationship(self, **values: Any) -> Region:
        rec = make_record("relationships", values)
        return self._upsert("relationships", rec, False, f"add tie {rec.source} → {rec.target} ({rec.type})")

    def edit_relationship(self, source: str, target: str, type: str, **changes: Any) -> Region:
        cur = next((r for r in self.load().relationships if r.key == (source, target, type)), None)
        if cur is None:
            raise EditConflict(f"tie {source} → {target} ({type}) does not exist")
        rec = make_record("relationships", {**record_dict(cur), **changes})
        if rec.key != cur.key:
            raise EditConflict("source, target and type identify a tie; remove it and add a new one")
        return self._upsert("relationships", rec, True, f"edit tie {source} → {target} ({type})")

    def remove_relationship(self, source: str, target: str, type: str) -> Region:
        return self._remove("relationships", [source, target, type],
                            f"remove tie {source} → {target} ({type})")

    def set_answer(self, round: str, indicator: str, answer: str, rater: str | None = None,
                   evidence: str | None = None, date: str | None = None) -> Region:
        rec = make_record("assessment", dict(round=round, indicator=indicator, answer=answer,
                                             rater=rater, evidence=evidence, date=date))
        return self._upsert("assessment", rec, None, f"answer {indicator} ({round}, {rater or '-'})")

    def remove_answer(self, round: str, indicator: str, rater: str | None = None) -> Region:
        return self._remove("assessment", [round, indicator, rater or ""],
                            f"remove answer {indicator} ({round}, {rater or '-'})")

    def save_action(self, **values: Any) -> Region:
        rec = make_record("actions", values)
        return self._upsert("actions", rec, None, f"save action {rec.id}")

    def remove_action(self, action_id: str) -> Region:
        return self._remove("actions", [action_id], f"remove action {action_id}")

    def set_info(self, **changes: Any) -> Region:
        def edit(region: Region) -> Region:
            return replace(region, info=replace(region.info, **changes))
        return self.apply("edit region details", edit)

    def _remove(self, table: str, key: list[str], summary: str) -> Region:
        def edit(region: Region) -> Region:
            rows = [r for r in getattr(region, table) if record_key(table, r) != key]
            if len(rows) == len(getattr(region, table)):
                raise EditConflict(f"{table}: {'/'.join(key)} does not exist")
            return replace(region, **{table: tuple(rows)})
        return self.apply(summary, edit)

    def undo(self) -> Change | None:
        """Revert the most recent change that is not yet undone; return it."""
        with self._lock:
            hist = self.history()
            undone = {c.undoes for c in hist if c.undoes is not None}
            target = next((c for c in reversed(hist) if c.undoes is None and c.seq not in undone), None)
            if target is None:
                return None

            def edit(region: Region) -> Region:
                tables = {t: {tuple(record_key(t, r)): r for r in getattr(region, t)} for t in _RECORD}
                info = region.info
                for row in reversed(target.rows):
                    t = row["table"]
                    if t == "region":
                        info = RegionInfo(**row["before"])
                        continue
                    key = tuple(row["key"])
                    tables[t].pop(key, None)
                    if row["before"] is not None:
                        tables[t][key] = make_record(t, row["before"])
                return _with_kinds(replace(region, info=info, **{t: tuple(v.values()) for t, v in tables.items()}))

            self.apply(f"undo: {target.summary}", edit, undoes=target.seq)
            return target


def log_entry(folder: Path, editor: str, summary: str, rows: list[dict[str, Any]],
              undoes: int | None = None) -> dict[str, Any]:
    """The change log's next line (call under the lock)."""
    return {"seq": _last_seq(folder / LOG_NAME) + 1, "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "editor": editor, "summary": summary, "rows": rows, "undoes": undoes}


def commit(folder: Path, files: dict[str, bytes], entry: dict[str, Any]) -> None:
    """Save ``files`` and log ``entry`` as one step, through the journal (call under the lock)."""
    journal = {"files": {name: data.decode("utf-8") for name, data in files.items()}, "log": entry}
    atomic_write(folder / JOURNAL_NAME, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
    _finish(folder, files, entry)


def recover(folder: Path) -> None:
    """Finish a save that a killed writer committed, and drop its temp files (call under the lock)."""
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
    _fsync_dir(folder)


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
    """Create a new, empty region folder (refuses to overwrite one)."""
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
    """Write a whole validated region (import) in one step, under the lock."""
    folder.mkdir(parents=True, exist_ok=True)
    with region_lock(folder):
        recover(folder)
        commit(folder, files, log_entry(folder, editor, summary, []))


__all__ = ["RegionStore", "Change", "atomic_write", "commit", "create_region", "recover", "write_region",
           "toml_text"]
