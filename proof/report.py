"""What a proof run found, and ``docs/quality.md`` written from it.

Each area of the proof returns a :class:`Section`: a table of the figures
measured in this run, notes on what was and was not done, and the
:class:`Check` items that decide whether the run passes (a "must be 0" that
is not 0, a speed target missed by more than 50 %, or an area that could not
be measured at all).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

from workbench.files import atomic_write

#: A speed target fails only when missed by more than this share.
TOLERANCE = 0.5


@dataclass
class Check:
    """One pass/fail figure of the run.

    ``value`` is ``None`` when the figure could not be measured: that fails,
    unless ``skipped`` says why it was deliberately left out of this run.
    """

    name: str
    value: float | None
    limit: str
    ok: bool
    skipped: str = ""
    unit: str = ""

    @property
    def shown(self) -> str:
        """The measured value for a table cell.

        >>> Check("a", 3, "= 0", False).shown, Check("b", 2.345, "< 3 s", True, unit="s").shown
        ('3', '2.35 s')
        """
        if self.value is None:
            return "—"
        if self.unit == "s":
            return fmt_s(self.value)
        if self.unit:
            return f"{self.value:,.0f} {self.unit}"
        return f"{self.value:,.0f}"

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        return "pass" if self.ok else "FAIL"


def must_be_zero(name: str, value: int | None) -> Check:
    """A count that must be 0 (``None``: not measured, which fails).

    >>> must_be_zero("tracebacks", 0).ok, must_be_zero("tracebacks", 2).ok, must_be_zero("x", None).ok
    (True, False, False)
    """
    return Check(name, value, "= 0", value == 0)


def within(name: str, value: float | None, target: float, unit: str = "s") -> Check:
    """A figure that must stay under ``target`` × 1.5 (the target missed by at most 50 %).

    >>> c = within("load", 4.0, 3.0); (c.ok, c.limit)
    (True, '< 3 s (fails above 4.5 s)')
    >>> within("load", 4.6, 3.0).ok
    False
    """
    limit = target * (1 + TOLERANCE)
    return Check(name, value, f"< {target:g} {unit} (fails above {limit:g} {unit})",
                 value is not None and value <= limit, unit=unit)


def not_measured(name: str, limit: str, why: str) -> Check:
    """A figure the run should have measured but could not: it fails the run."""
    return Check(f"{name} — not measured: {why}", None, limit, False)


def skipped(name: str, limit: str, why: str) -> Check:
    """A figure deliberately left out of this (reduced) run: it does not fail it."""
    return Check(name, None, limit, True, skipped=why)


@dataclass
class Section:
    """One area of the proof: its table, its checks, and how long it took."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Markdown shown after the table (a second table, a paragraph)
    more: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok and not c.skipped]


@dataclass
class Machine:
    """The facts of the machine a run was measured on."""

    cores: int
    memory_gib: float
    cpu: str
    python: str
    system: str
    #: 1-minute load average when the run started and ended (other work on the machine)
    load: tuple[float, float] = (0.0, 0.0)

    @classmethod
    def here(cls) -> Machine:
        return cls(cores=os.cpu_count() or 1, memory_gib=_meminfo_gib(), cpu=_cpu_model(),
                   python=platform.python_version(), system=f"{platform.system()} {platform.release()}",
                   load=(os.getloadavg()[0], 0.0))

    def line(self) -> str:
        return f"{self.cores} cores ({self.cpu}), {self.memory_gib:.1f} GiB memory"


def _meminfo_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 ** 2
    except OSError:
        pass
    return float("nan")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


@dataclass
class ProofReport:
    """Everything one run measured."""

    full: bool
    command: str
    machine: Machine
    started: dt.datetime
    sections: list[Section] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[tuple[Section, Check]]:
        return [(s, c) for s in self.sections for c in s.failures]

    @property
    def ok(self) -> bool:
        return not self.failures


def fmt_s(seconds: float | None, digits: int = 2) -> str:
    """Seconds for a table cell.

    >>> fmt_s(0.01234), fmt_s(12.345), fmt_s(None)
    ('0.012 s', '12.3 s', '—')
    """
    if seconds is None:
        return "—"
    if seconds < 0.1:
        return f"{seconds:.3f} s"
    return f"{seconds:.{1 if seconds >= 10 else digits}f} s"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_cell(c) for c in columns) + " |",
           "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


RERUN = """\
## How to rerun it

```
make proof                                    # all of it: writes docs/quality.md (about {minutes} minutes here)
.venv/bin/python -m proof           # the same, without installing first
.venv/bin/python -m proof --reduced # the smaller counts CI runs inside `make test` (tests/test_proof.py)
.venv/bin/python -m proof --only crash --out /tmp/q.md
      # one or more areas: badinput, crash, injection, load, scale, speed, together
```

The run exits with status 1, and the table says FAIL, when a "must be 0" is not 0, when a
speed target of the earlier issues is missed by more than 50 %, or when an area could not be
measured at all. The code is in `proof/` (one module per area).
"""


def markdown(report: ProofReport) -> str:
    """``docs/quality.md``: a table per area, with its checks, command and machine."""
    m = report.machine
    verdict = "**all checks pass**" if report.ok else f"**{len(report.failures)} check(s) FAIL**"
    lines = [
        "# Quality: bad input, crashes, injection, load, scale",
        "",
        "One command proves the workbench's reliability, security and speed, and wrote this page: "
        f"`{report.command}` ({'full' if report.full else 'reduced'} run, "
        f"{report.started:%Y-%m-%d %H:%M} UTC, {report.seconds / 60:.1f} minutes). Result: {verdict}.",
        "",
        "| machine | |",
        "|---|---|",
        f"| cores | {m.cores} ({_cell(m.cpu)}) |",
        f"| memory | {m.memory_gib:.1f} GiB |",
        f"| system | {m.system}, Python {m.python} |",
        f"| load average (1 min) at start / end | {m.load[0]:.1f} / {m.load[1]:.1f} |",
        "",
    ]
    for i, s in enumerate(report.sections, start=1):
        lines += [f"## {i}. {s.title}", "",
                  f"Measured by `{report.command}` (`proof/{s.key}.py`, {fmt_s(s.seconds)}) "
                  f"on {m.line()}.", ""]
        if s.rows:
            lines += _table(s.columns, s.rows) + [""]
        lines += s.more
        if s.checks:
            lines += _table(["check", "measured", "must be", "result"],
                            [[c.name, c.shown, c.limit, c.status + (f" ({c.skipped})" if c.skipped else "")]
                             for c in s.checks]) + [""]
        lines += [f"- {n}" for n in s.notes]
        if s.notes:
            lines.append("")
    lines.append(RERUN.format(minutes=max(1, round(report.seconds / 60)) if report.full else "15–20"))
    return "\n".join(lines)


def write(report: ProofReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, markdown(report).encode("utf-8"))
