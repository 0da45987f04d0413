"""Saving: the edit API, the change log, undo, concurrency and crashes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.data import RegionStore, load_region
from workbench.data.store import LOG_NAME
from workbench.errors import EditConflict, RegionInvalid

from .conftest import snapshot
from .support.saves import kill_during_saves


def test_add_edit_remove_agency_and_tie(tiny: Path):
    store = RegionStore(tiny, editor="ngo-lead")
    store.add_agency(id="housing", name="Logement social", type="housing", target_groups=["homeless"])
    store.add_relationship(source="ngo", target="housing", type="referral", formality="verbal")
    r = load_region(tiny)
    assert r.by_id["housing"].target_groups == ("homeless",)
    assert ("ngo", "housing", "referral") in {x.key for x in r.relationships}
    store.edit_agency("housing", name="Agence immobilière sociale", dv_relay=True)
    assert load_region(tiny).by_id["housing"].dv_relay is True
    store.remove_agency("housing")
    r = load_region(tiny)
    assert "housing" not in r.by_id
    assert all("housing" not in (x.source, x.target) for x in r.relationships)


def test_answers_and_actions(tiny: Path):
    store = RegionStore(tiny, editor="coordinator")
    store.set_answer("2025-baseline", "C2.1", "partial", rater="ngo-lead")
    store.set_answer("2025-baseline", "C2.1", "yes", rater="ngo-lead")  # replaces
    r = load_region(tiny)
    got = [a for a in r.assessment if a.indicator == "C2.1"]
    assert [(a.answer, a.rater) for a in got] == [("yes", "ngo-lead")]
    store.save_action(id="a3", title="Train reception staff", owner="police", horizon="medium")
    store.save_action(id="a3", title="Train reception staff", owner="police", horizon="short", status="agreed")
    a3 = next(a for a in load_region(tiny).actions if a.id == "a3")
    assert a3.horizon == "short" and a3.status == "agreed"


def test_invalid_edit_is_refused_and_writes_nothing(tiny: Path):
    store = RegionStore(tiny, editor="x")
    before = snapshot(tiny)
    with pytest.raises(RegionInvalid) as info:
        store.add_relationship(source="ngo", target="nowhere", type="referral")
    assert any(p.column == "target" for p in info.value.problems)
    with pytest.raises(RegionInvalid):
        store.add_agency(id="Bad Id", name="x", type="police")
    with pytest.raises(EditConflict):
        store.add_agency(id="ngo", name="dup", type="police")
    with pytest.raises(EditConflict):
        store.remove_relationship("ngo", "police", "referral")
    assert snapshot(tiny) == before


def test_change_log_and_undo(tiny: Path):
    store = RegionStore(tiny, editor="police-zone-lead")
    original = load_region(tiny)
    store.add_agency(id="fp2", name="Planning familial 2", type="family_planning_centre")
    store.edit_agency("ngo", notes="moved offices")
    log = [json.loads(x) for x in (tiny / LOG_NAME).read_text().splitlines()]
    assert [e["summary"] for e in log] == ["add agency fp2", "edit agency ngo"]
    assert log[0]["editor"] == "police-zone-lead" and log[0]["time"]
    assert log[1]["rows"][0]["before"]["notes"] is None and log[1]["rows"][0]["after"]["notes"] == "moved offices"
    assert store.undo().summary == "edit agency ngo"
    assert store.undo().summary == "add agency fp2"
    assert store.undo() is None
    assert load_region(tiny) == original
    store.remove_agency("ngo")  # cascades to its ties
    store.undo()
    assert load_region(tiny) == original


def test_concurrent_writers_lose_nothing(tiny: Path):
    workers, edits = 6, 8
    code = ("import sys; from tests.support.saves import writer; "
            "writer(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))")
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tiny), str(w), str(edits)], cwd=root)
             for w in range(workers)]
    assert all(p.wait(timeout=300) == 0 for p in procs)
    r = load_region(tiny)
    for w in range(workers):
        for i in range(edits):
            assert f"w{w}-{i}" in r.by_id
            assert (f"w{w}-{i}", "ngo", "referral") in {x.key for x in r.relationships}
    log = RegionStore(tiny).history()
    assert len(log) == workers * edits * 2
    assert [c.seq for c in log] == list(range(1, len(log) + 1))


def test_kill_9_during_saves_leaves_valid_files(tiny: Path):
    rng = random.Random(7)
    seen_ids: set[str] = set()
    for n in range(10):  # the proof (proof/crash.py) kills 50
        # still saving when killed (not stopped by an error of its own)
        assert kill_during_saves(tiny, f"k{n}-", rng.random() * 0.4) == -signal.SIGKILL
        r = load_region(tiny)  # raises if any file is torn, or a save half done
        ids = {i for i in r.by_id if not i.startswith("tmp-")}
        assert seen_ids <= ids, "a saved agency was lost"
        assert any(i.startswith(f"k{n}-") for i in ids), "the run saved nothing before it was killed"
        seen_ids = ids
        RegionStore(tiny).history()  # the log stays readable


_CRASH_AFTER = """
import os, sys
import workbench.data.store as st
store = st.RegionStore(sys.argv[1], editor="crash")
store.add_agency(id="tmp1", name="T", type="victim_support")
store.add_relationship(source="tmp1", target="ngo", type="referral")
real, done = st.atomic_write, [0]

def atomic_write(path, data):
    if done[0] == int(sys.argv[2]):
        os._exit(9)  # the power goes off
    real(path, data)
    done[0] += 1

def write(fd, data):  # only the change log is written with os.write
    if done[0] == int(sys.argv[2]):
        os._exit(9)
    return real_os_write(fd, data)

real_os_write = os.write
st.atomic_write, st.os.write = atomic_write, write
store.remove_agency("tmp1")  # two files: agencies.csv and relationships.csv
"""


@pytest.mark.parametrize("writes", [0, 1, 2, 3], ids=["before-journal", "after-journal", "after-one-file",
                                                      "before-log"])
def test_a_two_file_save_cut_anywhere_is_all_or_nothing(tiny: Path, writes: int):
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-c", _CRASH_AFTER, str(tiny), str(writes)], cwd=root)
    assert r.returncode == 9
    region = load_region(tiny)  # never half a save: raises on a tie to a removed agency
    removed = "tmp1" not in region.by_id
    assert removed == (writes > 0)  # the journal is the moment the save happens
    assert removed == all("tmp1" not in (t.source, t.target) for t in region.relationships)
    store = RegionStore(tiny, editor="next")
    store.add_agency(id="after", name="After", type="police")  # finishes the cut save first
    assert not (tiny / ".workbench.journal").exists()
    assert ("tmp1" not in load_region(tiny).by_id) == removed
    summaries = [c.summary for c in store.history()]
    assert summaries[-1] == "add agency after"
    assert ("remove agency tmp1" in summaries) == removed
    assert [c.seq for c in store.history()] == list(range(1, len(summaries) + 1))
