"""Several editors interleave random edits from stale reads: a stateful property test of the store.

A model keeps what the region should hold and who last changed each field.
Each editor edits from the region as it last read it; the model predicts,
field by field, what the ``base=`` rule does (no edit, applied, or a
conflict naming the value started from, the value saved and who saved it),
and the test checks that the store did exactly that, and that the files
hold exactly the model: every non-conflicting change applied, nothing else
lost.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from workbench.data import RegionStore, load_region
from workbench.data.model import record_dict
from workbench.data.store import ABSENT, record_label
from workbench.errors import EditConflict

from .conftest import FIXTURES

EDITORS = ("ngo-coordinator", "police-lead", "municipality")
#: Records edited, and the values each field may take.
AGENCIES = {("ngo",), ("hospital",), ("police",)}
AGENCY_FIELDS = {"name": ["Centre A", "Centre B", "Centre C"], "area": [None, "Nord", "Sud"],
                 "notes": [None, "n1", "n2"], "status": ["active", "pilot"]}
TIES = {("ngo", "shelter", "referral"), ("hospital", "ngo", "referral")}
TIE_FIELDS = {"frequency": [None, "monthly", "weekly"], "notes": [None, "t1", "t2"]}
ANSWERS = {("2025-baseline", "C2.1", "rater-1"), ("2025-baseline", "C1.1", "ngo-lead")}
INFO_FIELDS = {"name": ["Tiny", "Petite région"], "description": [None, "d1", "d2"]}
FIELDS = {"agencies": AGENCY_FIELDS, "relationships": TIE_FIELDS}


def _changes(table: str) -> st.SearchStrategy[dict[str, Any]]:
    spec = INFO_FIELDS if table == "region" else FIELDS[table]
    return st.dictionaries(st.sampled_from(sorted(spec)), st.none(), min_size=1, max_size=3).flatmap(
        lambda d: st.fixed_dictionaries({f: st.sampled_from(spec[f]) for f in d}))


class Workshop(RuleBasedStateMachine):
    """Three editors, one region folder, reads that go stale."""

    @initialize()
    def start(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="workbench-stateful-"))
        self.folder = self.tmp / "xx-tiny"
        shutil.copytree(FIXTURES / "regions" / "xx-tiny", self.folder)
        region = load_region(self.folder)
        self.stores = {e: RegionStore(self.folder, editor=e) for e in EDITORS}
        self.views = {e: region for e in EDITORS}
        self.model = self._records(region)
        self.writers: dict[tuple[str, tuple[str, ...], str], str] = {}
        self.conflicts_seen = 0

    def teardown(self) -> None:
        if hasattr(self, "tmp"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the model ----------------------------------------------------------------
    @staticmethod
    def _records(region: Any) -> dict[tuple[str, tuple[str, ...]], dict[str, Any] | None]:
        out: dict[tuple[str, tuple[str, ...]], dict[str, Any] | None] = {
            ("region", ("xx-tiny",)): record_dict(region.info)}
        out.update({("agencies", (a.id,)): record_dict(a) for a in region.agencies})
        out.update({("relationships", r.key): record_dict(r) for r in region.relationships})
        out.update({("assessment", a.key): record_dict(a) for a in region.assessment})
        out.update({("actions", (a.id,)): record_dict(a) for a in region.actions})
        return {k: ({f: v for f, v in r.items() if f != "kind"} if r else r) for k, r in out.items()}

    def _view_record(self, editor: str, table: str, key: tuple[str, ...]) -> dict[str, Any] | None:
        return self._records(self.views[editor]).get((table, key))

    def _predict(self, editor: str, table: str, key: tuple[str, ...], start: dict[str, Any] | None,
                 changes: dict[str, Any] | None) -> tuple[bool, set[tuple], dict[str, Any] | None]:
        """(refused as a whole, expected conflicts, the record afterwards) under the base= rule."""
        label = record_label(table, key)
        cur = self.model.get((table, key))
        blank = {"round": key[0], "indicator": key[1], "rater": key[2], "answer": None, "evidence": None,
                 "date": None} if table == "assessment" else None
        begin = start if start is not None else blank
        assert begin is not None
        if cur is None and start is not None:
            return changes is not None, set(), None  # removed meanwhile (a removal of it is no news)
        current = cur if cur is not None else blank
        assert current is not None
        if changes is None:
            found = {(label, f, begin.get(f), current[f], self.writers.get((table, key, f)), None)
                     for f in current if current[f] != begin.get(f)}
            return bool(found), found, (cur if found else None)
        merged, found = dict(current), set()
        for f, v in changes.items():
            if v == begin[f] or v == current[f]:
                continue
            if current[f] != begin[f]:
                found.add((label, f, begin[f], current[f], self.writers.get((table, key, f)), v))
            else:
                merged[f] = v
        return False, found, merged

    def _record_write(self, editor: str, table: str, key: tuple[str, ...], new: dict[str, Any] | None) -> None:
        old = self.model.get((table, key)) or {}
        for f in set(old) | set(new or {}):
            if old.get(f) != (new or {}).get(f):
                self.writers[(table, key, f)] = editor
        self.model[(table, key)] = new

    def _run(self, editor: str, table: str, key: tuple[str, ...], start: dict[str, Any] | None,
             changes: dict[str, Any] | None, call: Any) -> None:
        refused, expected, after = self._predict(editor, table, key, start, changes)
        try:
            region = call()
        except EditConflict as exc:
            got = {(f.record, f.field, f.started_from, f.saved, f.saved_by, f.mine) for f in exc.fields}
            assert refused or expected, f"{editor}: unexpected conflict {exc}"
            assert got == expected, (got, expected)
            self.conflicts_seen += 1
            if not refused and exc.region is not None:
                self._record_write(editor, table, key, after)
            return
        assert not refused and not expected, f"{editor}: conflict not reported: {expected or 'refusal'}"
        self._record_write(editor, table, key, after)
        self.views[editor] = region

    # -- what editors do -------------------------------------------------------------
    @rule(editor=st.sampled_from(EDITORS))
    def read(self, editor: str) -> None:
        self.views[editor] = load_region(self.folder)

    @rule(editor=st.sampled_from(EDITORS), key=st.sampled_from(sorted(AGENCIES)), changes=_changes("agencies"))
    def edit_agency(self, editor: str, key: tuple[str, ...], changes: dict[str, Any]) -> None:
        base = self.views[editor].by_id[key[0]]
        self._run(editor, "agencies", key, self._view_record(editor, "agencies", key), changes,
                  lambda: self.stores[editor].edit_agency(key[0], base=base, **changes))

    @rule(editor=st.sampled_from(EDITORS), key=st.sampled_from(sorted(TIES)), changes=_changes("relationships"))
    def edit_tie(self, editor: str, key: tuple[str, ...], changes: dict[str, Any]) -> None:
        base = next(r for r in self.views[editor].relationships if r.key == key)
        self._run(editor, "relationships", key, self._view_record(editor, "relationships", key), changes,
                  lambda: self.stores[editor].edit_relationship(*key, base=base, **changes))

    @rule(editor=st.sampled_from(EDITORS), changes=_changes("region"))
    def edit_details(self, editor: str, changes: dict[str, Any]) -> None:
        key = ("xx-tiny",)
        self._run(editor, "region", key, self._view_record(editor, "region", key), changes,
                  lambda: self.stores[editor].set_info(base=self.views[editor].info, **changes))

    @rule(editor=st.sampled_from(EDITORS), key=st.sampled_from(sorted(ANSWERS)),
          answer=st.sampled_from(["0", "1", "2"]), evidence=st.sampled_from([None, "e1", "e2"]))
    def set_answer(self, editor: str, key: tuple[str, ...], answer: str, evidence: str | None) -> None:
        start = self._view_record(editor, "assessment", key)
        base = next((a for a in self.views[editor].assessment if a.key == key), ABSENT)
        self._run(editor, "assessment", key, start, {"answer": answer, "evidence": evidence, "date": None},
                  lambda: self.stores[editor].set_answer(key[0], key[1], answer, rater=key[2],
                                                         evidence=evidence, base=base))

    @rule(editor=st.sampled_from(EDITORS), key=st.sampled_from(sorted(ANSWERS)))
    def remove_answer(self, editor: str, key: tuple[str, ...]) -> None:
        base = next((a for a in self.views[editor].assessment if a.key == key), None)
        if base is None:
            return
        self._run(editor, "assessment", key, record_dict(base), None,
                  lambda: self.stores[editor].remove_answer(key[0], key[1], key[2], base=base))

    # -- what must hold ----------------------------------------------------------------
    @precondition(lambda self: hasattr(self, "folder"))
    @invariant()
    def files_hold_the_model(self) -> None:
        on_disk = self._records(load_region(self.folder))
        expected = {k: v for k, v in self.model.items() if v is not None}
        assert on_disk == expected


Workshop.TestCase.settings = settings(max_examples=25, stateful_step_count=14, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])
TestEditorsInterleaving = Workshop.TestCase
