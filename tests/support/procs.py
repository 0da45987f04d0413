"""Processes and their memory, read from ``/proc`` (the proof runs on Linux)."""

from __future__ import annotations

import os
from pathlib import Path

_CLK_TCK = os.sysconf("SC_CLK_TCK")


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # the name in (…) may hold spaces


def descendants(pid: int) -> list[int]:
    """Every living process below ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            ppid = _ppid(int(entry.name))
            if ppid is not None:
                parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def memory_mb(pid: int, key: str = "VmRSS") -> float | None:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of ``pid``, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def kernels(pid: int) -> list[int]:
    """The Jupyter kernels started below ``pid``."""
    return [p for p in descendants(pid) if "ipykernel" in cmdline(p)]


def tree(pid: int) -> list[int]:
    """``pid`` and every living process below it."""
    return [pid, *descendants(pid)]


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User and system CPU seconds of ``pid`` (0 when it has gone).

    With ``children``, the CPU of its children that have ended and been
    waited for is added (the kernels a server has shut down).
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / _CLK_TCK


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by ``pid``, the processes below it, and those of them that have ended."""
    return sum(cpu_seconds(p, children=True) for p in tree(pid))


def pss_mb(pid: int) -> float | None:
    """Proportional set size of ``pid`` in MB (shared pages split among the processes sharing them).

    Falls back to the resident set when ``smaps_rollup`` cannot be read.
    """
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return memory_mb(pid)


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` and every process below it, in MB."""
    return sum(m for m in (pss_mb(p) for p in tree(pid)) if m is not None)


def environ(pid: int) -> dict[str, str]:
    """The environment ``pid`` was started with (empty when it cannot be read)."""
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)


def user_tree_pss_mb(pid: int, variable: str, value: str) -> float:
    """PSS in MB of the processes below ``pid`` started with ``variable=value``, and of everything below them.

    E.g. a JupyterHub user's single-user server with its kernels: ``JUPYTERHUB_USER=alice``.
    """
    mine = {p for p in descendants(pid) if environ(p).get(variable) == value}
    tops = [p for p in mine if _ppid(p) not in mine]
    return sum(tree_pss_mb(p) for p in tops)


def cores(pid: int) -> str:
    """The cores ``pid`` may run on, as the kernel lists them (``0``, ``0-1``), or ``?``."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Cpus_allowed_list:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"
