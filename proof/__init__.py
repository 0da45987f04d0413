"""One command that proves reliability, security and speed: ``python -m proof``.

Seven areas, one module each, every one returning a
:class:`~proof.report.Section` of figures measured in the run:

* :mod:`.badinput` — malformed files, encodings, workbooks and fuzzed bytes;
* :mod:`.crash` — saves killed with SIGKILL, and processes editing at once;
* :mod:`.injection` — script, event-handler, URL, template and formula
  payloads in every text field and every output, opened in Chromium;
* :mod:`.load` — simultaneous dashboard sessions against ``workbench serve``;
* :mod:`.scale` — synthetic regions of 100 to 100,000 agencies;
* :mod:`.speed` — the speed targets of the earlier issues;
* :mod:`.together` — several people editing one region at once, in Chromium.

:func:`run_proof` runs them and writes ``docs/quality.md``. The proof runs
from a source checkout: it reuses the test suite's corpora and helpers
(``tests/``) and the benchmarks' synthetic regions (``benchmarks/``).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .report import Machine, ProofReport, Section, write

#: The repository's top folder: the proof is a tool of the checkout, not of the package.
ROOT = Path(__file__).resolve().parents[1]

AREAS = ("badinput", "crash", "injection", "load", "scale", "speed", "together")


@dataclass(frozen=True)
class Settings:
    """How much each area does: the full proof, or the reduced one CI runs."""

    full: bool
    #: examples per property-based fuzzer
    fuzz_examples: int
    #: saves killed with SIGKILL
    kills: int
    #: processes editing one region at once, and edit rounds each
    writers: int
    edits: int
    #: payload placements per field (all payloads in the full run)
    injection_rounds: int | None
    #: simultaneous dashboard sessions, rising
    sessions: tuple[int, ...]
    #: synthetic region sizes (agencies; five ties each)
    sizes: tuple[int, ...]
    #: time `workbench build` (all formats and HTML only)
    build: bool


FULL = Settings(full=True, fuzz_examples=200, kills=50, writers=8, edits=20, injection_rounds=None,
                sessions=(1, 2, 3, 4, 5, 6, 8, 10, 20), sizes=(100, 1_000, 10_000, 100_000), build=True)
REDUCED = Settings(full=False, fuzz_examples=40, kills=8, writers=4, edits=6, injection_rounds=2,
                   sessions=(1, 2), sizes=(100, 1_000, 10_000), build=False)


def checkout() -> Path:
    """The source checkout, importable as ``tests`` and ``benchmarks`` (the proof reuses both)."""
    if not (ROOT / "tests" / "fixtures" / "regions" / "xx-tiny").is_dir():
        raise RuntimeError(f"the proof runs from a source checkout; {ROOT} has no tests/fixtures")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return ROOT


def progress(area: str, message: str) -> None:
    print(f"[proof:{area}] {message}", file=sys.stderr, flush=True)


def run_proof(full: bool = True, out: Path | None = None, only: Sequence[str] | None = None,
              command: str | None = None) -> ProofReport:
    """Run the proof (or the ``only`` areas) and write the report to ``out``.

    Parameters
    ----------
    full : the full counts (about 15 minutes) or the reduced ones CI runs
    out : where to write the Markdown report (nothing written when ``None``)
    only : a subset of :data:`AREAS`
    command : the command line shown in the report
    """
    checkout()
    from . import badinput, crash, injection, load, scale, speed, together

    settings = FULL if full else REDUCED
    areas = [a for a in AREAS if not only or a in only]
    report = ProofReport(full=full, command=command or _command(full, only),
                         machine=Machine.here(), started=dt.datetime.now(dt.UTC))
    shared: dict[str, Any] = {}
    if "load" in areas or "injection" in areas or "speed" in areas:
        missing = load.serve_missing()
        if missing:
            shared["dashboards_missing"] = missing
    runners: dict[str, Callable[[], Section]] = {
        "badinput": lambda: badinput.run(settings),
        "crash": lambda: crash.run(settings),
        "injection": lambda: injection.run(settings, shared),
        "load": lambda: load.run(settings, shared),
        "scale": lambda: scale.run(settings, shared),
        "speed": lambda: speed.run(settings, shared),
        "together": lambda: together.run(settings, shared),
    }
    t0 = time.perf_counter()
    with _empty_cache():
        for area in areas:
            progress(area, "start")
            started = time.perf_counter()
            try:
                section = runners[area]()
            except Exception as exc:  # noqa: BLE001 - one broken area must not lose the others' figures
                section = _crashed(area, exc)
            section.seconds = time.perf_counter() - started
            report.sections.append(section)
            progress(area, f"done in {section.seconds:.0f} s; {len(section.failures)} failure(s)")
    report.seconds = time.perf_counter() - t0
    report.machine.load = (report.machine.load[0], os.getloadavg()[0])
    if out is not None:
        write(report, out)
    return report


@contextmanager
def _empty_cache() -> Iterator[None]:
    """A fresh :mod:`workbench.cache` folder for the run (and every process it starts).

    Nothing stored by an earlier run or by the user's own work can make a
    figure look better; what the run itself stores (a preheated dashboard
    kernel laying out the regions for the kernels started after it) counts.
    """
    from workbench.cache import ENV

    before = os.environ.get(ENV)
    with tempfile.TemporaryDirectory(prefix="workbench-proof-cache-") as folder:
        os.environ[ENV] = folder
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(ENV, None)
            else:
                os.environ[ENV] = before


def _crashed(area: str, exc: Exception) -> Section:
    """The section of an area that raised: it fails the run, with the error in its notes."""
    import traceback

    from .report import not_measured
    section = Section(area, f"{area} (the area's code failed)", ["error"], [[f"{type(exc).__name__}: {exc}"]])
    section.checks = [not_measured(f"the {area} area", "runs to the end", f"{type(exc).__name__}: {exc}")]
    section.more = ["```", *"".join(traceback.format_exception(exc)[-6:]).splitlines(), "```", ""]
    progress(area, f"FAILED: {type(exc).__name__}: {exc}")
    return section


def _command(full: bool, only: Sequence[str] | None) -> str:
    cmd = "make proof" if full and not only else ".venv/bin/python -m proof"
    if not full:
        cmd += " --reduced"
    if only:
        cmd += " --only " + " ".join(only)
    return cmd


__all__ = ["AREAS", "FULL", "REDUCED", "ProofReport", "Settings", "run_proof"]
