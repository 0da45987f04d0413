"""Processes and their memory, read from ``/proc`` (the proof runs on Linux)."""

from __future__ import annotations

from pathlib import Path


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
