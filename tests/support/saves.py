"""Processes that save a region at once, or are killed while saving (tests and the proof)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from workbench.data import RegionStore

from .regions import ROOT


def writer(folder: str, worker: int, edits: int) -> None:
    store = RegionStore(folder, editor=f"writer-{worker}")
    for i in range(edits):
        store.add_agency(id=f"w{worker}-{i}", name=f"Agency {worker}/{i}", type="victim_support")
        store.add_relationship(source=f"w{worker}-{i}", target="ngo", type="referral")


#: Saves in a loop until killed: ``python -c CRASH_LOOP FOLDER PREFIX``. Each round
#: adds an agency and a tie to it (one file each), then adds and removes a
#: ``tmp-`` agency with its tie (the removal writes two files). It prints "saved"
#: after each round, so a kill can be timed inside the loop; the prefix keeps each
#: run's agency ids new (an existing id would stop the loop).
CRASH_LOOP = """
import sys
from workbench.data import RegionStore
store = RegionStore(sys.argv[1], editor="crash")
i = 0
while True:
    i += 1
    a, t = f"{sys.argv[2]}{i}", f"tmp-{sys.argv[2]}{i}"
    store.add_agency(id=a, name="x" * 150 + str(i), type="victim_support", notes="n" * 2000)
    store.add_relationship(source=a, target="ngo", type="referral")
    store.add_agency(id=t, name="temporary", type="victim_support")
    store.add_relationship(source=t, target="ngo", type="referral")
    store.remove_agency(t)
    print("saved", flush=True)
"""


def kill_during_saves(folder: Path, prefix: str, delay: float) -> int:
    """Start the save loop; ``delay`` seconds after its first round of saves, kill -9 it.

    Returns its exit code: ``-SIGKILL`` when it was still saving.
    """
    p = subprocess.Popen([sys.executable, "-c", CRASH_LOOP, str(folder), prefix], cwd=ROOT,
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    p.stdout.readline()
    time.sleep(delay)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    p.stdout.close()
    return p.returncode
