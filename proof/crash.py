"""Crash and concurrency: saves killed with SIGKILL, and processes editing one region at once.

Reuses the test suite's save loop and writer (``tests/test_data_store.py``):

* **kills** — a process saves in a loop (an agency, a tie to it, and a
  temporary agency added and removed with its tie: a save of two files);
  after its first round it is killed with SIGKILL at a random moment in the
  next 400 ms, N times over on the same region. After each kill the region
  must load (no torn or half-saved file), no agency saved before may be
  missing, and once the next writer has finished any save cut short, the
  change log and the files must agree;
* **concurrency** — K processes each make M saves (an agency, then a tie to
  it) to one region at once; afterwards every one of the K·M records must
  be there, and the change log must hold K·M entries numbered 1…K·M.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbench.data import RegionStore, load_region
from workbench.data.load import JOURNAL_NAME
from workbench.data.store import LOG_NAME, recover, region_lock

from . import Settings, checkout, progress
from .report import Section, must_be_zero


def _fresh(parent: Path) -> Path:
    from tests.support.regions import FIXTURES
    folder = parent / "xx-tiny"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", folder)
    return folder


def _agencies_in_log(folder: Path) -> set[str]:
    """Agencies whose addition the change log records and no later entry removed."""
    present: set[str] = set()
    for change in RegionStore(folder).history():
        for row in change.rows:
            if row["table"] == "agencies":
                (present.add if row["after"] else present.discard)(row["key"][0])
    return present


def kills(tmp: Path, n: int, seed: int = 7) -> dict[str, int]:
    from tests.support.saves import kill_during_saves

    folder = _fresh(tmp)
    fixture = set(load_region(folder).by_id)
    rng = random.Random(seed)
    seen: set[str] = set()
    f = {"kills": 0, "not saving when killed": 0, "corrupt": 0, "lost": 0, "log disagrees": 0,
         "journal": 0, "temp file": 0, "torn log": 0}
    for i in range(n):
        f["kills"] += 1
        if kill_during_saves(folder, f"k{i}-", rng.random() * 0.4) != -signal.SIGKILL:
            f["not saving when killed"] += 1
        f["journal"] += (folder / JOURNAL_NAME).exists()
        f["temp file"] += any(folder.glob(".*.tmp"))
        log = folder / LOG_NAME
        f["torn log"] += log.exists() and not log.read_bytes().endswith(b"\n")
        try:
            ids = set(load_region(folder).by_id)
        except Exception as exc:  # noqa: BLE001 - a region that no longer loads is the failure counted
            f["corrupt"] += 1
            progress("crash", f"kill {i + 1}: the region no longer loads: {exc}")
            break
        f["lost"] += len(seen - ids)
        seen = {a for a in ids if not a.startswith("tmp-")}
        with region_lock(folder):
            recover(folder)  # what the next save does first (the load above already read a journal's files)
        if _agencies_in_log(folder) != ids - fixture:
            f["log disagrees"] += 1
    f["saved"] = len(seen - fixture)
    return f


def concurrent(tmp: Path, writers: int, saves: int) -> dict[str, float]:
    folder = _fresh(tmp)
    rounds = saves // 2
    code = ("import sys; from tests.support.saves import writer; "
            "writer(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))")
    root = checkout()
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code, str(folder), str(w), str(rounds)], cwd=root,
                              stderr=subprocess.PIPE, text=True) for w in range(writers)]
    failed = 0
    for p in procs:
        _, err = p.communicate(timeout=900)
        if p.returncode != 0:
            failed += 1
            progress("crash", f"a writer failed: {err[-500:]}")
    seconds = time.perf_counter() - t0
    region = load_region(folder)
    ties = {t.key for t in region.relationships}
    lost = sum(f"w{w}-{i}" not in region.by_id for w in range(writers) for i in range(rounds))
    lost += sum((f"w{w}-{i}", "ngo", "referral") not in ties for w in range(writers) for i in range(rounds))
    seqs = [c.seq for c in RegionStore(folder).history()]
    return {"writers": writers, "saves": 2 * rounds, "lost": lost, "failed": failed, "seconds": seconds,
            "log entries": len(seqs), "log in order": seqs == list(range(1, len(seqs) + 1))}


def run(settings: Settings) -> Section:
    checkout()
    with tempfile.TemporaryDirectory(prefix="wb-proof-crash-") as tmp:
        progress("crash", f"{settings.kills} saves killed with SIGKILL")
        k = kills(Path(tmp) / "kill", settings.kills)
        progress("crash", f"{settings.writers} processes × {settings.edits} saves at once")
        c = concurrent(Path(tmp) / "conc", settings.writers, settings.edits)
    expected_log = c["writers"] * c["saves"]
    section = Section(
        "crash", "Crash and concurrency",
        ["scenario", "runs", "files corrupt or unreadable", "saves lost", "what else was seen"],
        [
            [f"a save loop killed with SIGKILL at a random moment (0–400 ms into a round of 5 saves), "
             f"{k['kills']} times on one region",
             f"{k['kills']} kills", str(k["corrupt"]), str(k["lost"]),
             f"{k['saved']} agencies saved in all; {k['journal']} kills cut a save between its journal and "
             f"its files (the next save finished it), {k['temp file']} left a temporary file, "
             f"{k['torn log']} tore the change log's last line; "
             f"{k['not saving when killed']} runs had stopped before the kill"],
            [f"{c['writers']} processes saving to one region at once, {c['saves']} saves each "
             "(an agency, then a tie to it)",
             f"{expected_log} saves", "0" if c["log in order"] else "log out of order", str(c["lost"]),
             f"{c['log entries']} change-log entries numbered 1…{c['log entries']}; {c['failed']} writers "
             f"failed; {c['seconds']:.1f} s ({expected_log / c['seconds']:.1f} saves/s, one at a time "
             "under the region's lock)"],
        ],
    )
    section.checks = [
        must_be_zero("files corrupt or unreadable after a kill", k["corrupt"]),
        must_be_zero("saved agencies lost after a kill", k["lost"]),
        must_be_zero("kills after which the change log and the files disagree", k["log disagrees"]),
        must_be_zero("kills that found the save loop already stopped", k["not saving when killed"]),
        must_be_zero("updates lost by processes saving at once", c["lost"]),
        must_be_zero("writers that failed", c["failed"]),
        must_be_zero("change-log entries missing or out of order",
                     abs(c["log entries"] - expected_log) + (not c["log in order"])),
    ]
    section.notes = [
        "A save writes the new content of every changed file, and its change-log line, into one journal "
        "(`.workbench.journal`, written to a temporary file, flushed and renamed) before replacing any file; "
        "a kill before that leaves the old region, after it the new one (`workbench/data/store.py`).",
        "\"Saves lost\" after a kill counts agencies present after an earlier kill and missing after a later "
        "one; for processes saving at once, agencies and ties that a writer saved and that are not there.",
    ]
    return section
