"""A real ``workbench serve`` for browser tests, and the regions it serves.

:class:`Server` starts the command line in a subprocess on a free loopback
port, waits until it answers and its kernel pools are full, and stops it
(with its kernels) at the end. :func:`payload_region` writes a valid region
whose every free-text field carries an HTML/JS payload.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from workbench.data import RegionInfo, RegionStore
from workbench.data.write import toml_text
from workbench.files import atomic_write

from .regions import FIXTURES, ROOT

DASHBOARDS = ("workshop", "roadmap", "conference")

#: Script payloads: each would show a dialog, set ``window.pwned`` or load something if it ever ran.
PAYLOADS = (
    "<script>window.pwned=1;alert('name')</script>",
    "<img src=x onerror=\"window.pwned=1;alert('img')\">",
    "<a href=\"javascript:window.pwned=1;alert('a')\">href</a>",
    "\"><svg onload=\"window.pwned=1;alert('svg')\">",
    "' onmouseover='window.pwned=1;alert(5)' x='",
    "{{7*7}} </script><script>alert('break')</script>",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def payload_region(root: Path, region_id: str = "xx-payload") -> Path:
    """The tiny fixture region as ``root/region_id``, with a payload in every text a user types."""
    p = PAYLOADS
    folder = root / region_id
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", folder)
    atomic_write(folder / "region.toml", toml_text(RegionInfo(
        id=region_id, name="Payload " + p[0] + p[3], country="LU", language="en", coordinator="muni",
        description=p[1])).encode("utf-8"))
    store = RegionStore(folder, editor="test-fixture")
    store.edit_agency("police", name=p[0], relay_role=p[1], area=p[2], notes=p[3])
    store.edit_agency("ngo", name=p[1], notes=p[0] + " href " + p[4])
    store.edit_agency("shelter", name=p[2], area=p[5])
    store.edit_agency("marac", name=p[3], notes=p[2])
    store.edit_agency("parquet", name=p[4])
    store.edit_agency("hospital", name=p[5], relay_role=p[0])
    store.edit_relationship("police", "ngo", "formal_agreement", notes=p[0])
    store.edit_relationship("ngo", "shelter", "referral", notes=p[1])
    store.set_answer("2025-baseline", "C2.1", "2", rater=p[3][:60], evidence=p[0])
    store.save_action(id="a0", title=p[0] + " " + p[1], gap="G01", owner="parquet", status="agreed",
                      indicator=p[2], notes=p[4])
    (folder / "changes.jsonl").unlink()  # a fresh history for the tests
    return folder


def data_copy(root: Path) -> Path:
    """The example regions and the payload region in a fresh folder."""
    data = root / "partners"
    shutil.copytree(ROOT / "data" / "partners", data)
    payload_region(data)
    return data


class Server:
    """``workbench serve`` in a subprocess, with its log in a file.

    ``cores``: the cores the server may run on; its kernels, started by it,
    inherit them (the load measurement keeps the browsers off them).
    """

    def __init__(self, data: Path, log: Path, *args: str, cores: set[int] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = data
        self.log = log
        self.args = args
        self.pool = int(args[args.index("--pool-size") + 1]) if "--pool-size" in args else 1
        self.uses: dict[str, int] = {name: 0 for name in DASHBOARDS}
        exe = Path(sys.executable).with_name("workbench")
        self._log = log.open("wb")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("WORKBENCH_DATA", None)
        env.pop("WORKBENCH_READ_ONLY", None)
        self.proc = subprocess.Popen([str(exe), "serve", "--data", str(data), "--port", str(self.port), *args],
                                     stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                     start_new_session=True,
                                     preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"workbench serve exited with {self.proc.returncode}:\n{self.text()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        else:
            raise TimeoutError(f"workbench serve did not answer:\n{self.text()}")
        for name in DASHBOARDS:
            self.wait_pool(name, deadline - time.monotonic())

    def filled(self, name: str) -> int:
        """How many preheated kernels of ``name`` have finished preparing (they say so in the log)."""
        # Kernels write to the same log at once: two announcements can share a line with no break between.
        return len(re.findall(rf"preheated kernel ready: {re.escape(name)}(?=preheated|\W|$)", self.text()))

    def wait_pool(self, name: str, timeout: float = 90) -> bool:
        """Wait until the dashboard's preheated kernel is ready again (False: gave up)."""
        if not self.pool:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.filled(name) > self.uses[name]:
                return True
            time.sleep(0.2)
        return False

    def visiting(self, name: str) -> None:
        """Note that a page of ``name`` is being opened (it takes the preheated kernel, if any)."""
        if self.pool and self.filled(name) > self.uses[name]:
            self.uses[name] += 1

    def kernels(self) -> list[int]:
        """Process ids of the server's kernels."""
        import psutil

        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        pids = []
        for c in children:
            try:
                if "ipykernel_launcher" in " ".join(c.cmdline()):
                    pids.append(c.pid)
            except (psutil.ZombieProcess, psutil.NoSuchProcess):  # a kernel that has just ended
                continue
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()
