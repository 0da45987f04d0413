"""Saving: the edit API, the change log, undo, concurrency and crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.data import RegionStore, load_region
from workbench.data.store import LOG_NAME
from workbench.errors import EditConflict, RegionInvalid

from .conftest import snapshot


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


def _writer(folder: str, worker: int, edits: int) -> None:
    store = RegionStore(folder, editor=f"writer-{worker}")
    for i in range(edits):
        store.add_agency(id=f"w{worker}-{i}", name=f"Agency {worker}/{i}", type="victim_support")
        store.add_relationship(source=f"w{worker}-{i}", target="ngo", type="referral")


def test_concurrent_writers_lose_nothing(tiny: Path):
    workers, edits = 6, 8
    code = ("import sys; from tests.test_data_store import _writer; "
            "_writer(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))")
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


_CRASH_LOOP = """
import sys
from workbench.data import RegionStore
store = RegionStore(sys.argv[1], editor="crash")
i = 0
while True:
    i += 1
    store.add_agency(id=f"k{i}", name="x" * 150 + str(i), type="victim_support", notes="n" * 2000)
    store.add_relationship(source=f"k{i}", target="ngo", type="referral")
"""


def test_kill_9_during_saves_leaves_valid_files(tiny: Path):
    rng = random.Random(7)
    root = Path(__file__).resolve().parents[1]
    seen_ids: set[str] = set()
    for _ in range(15):
        p = subprocess.Popen([sys.executable, "-c", _CRASH_LOOP, str(tiny)], cwd=root)
        time.sleep(1.0 + rng.random() * 0.8)  # import time, then a random point in the save loop
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        r = load_region(tiny)  # raises if any file is torn
        ids = set(r.by_id)
        assert seen_ids <= ids, "a saved agency was lost"
        seen_ids = ids
        RegionStore(tiny).history()  # the log stays readable
    assert len(seen_ids) > 12
