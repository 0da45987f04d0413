"""Bad input: every malformed file gets a clear message, no traceback, and no file is touched.

Reuses the test suite's corpora — ``tests/test_data_malformed.py`` (files
and encodings, each with the exact file, row and column expected) and
``tests/test_data_workbook.py`` (broken workbooks) — and its property-based
fuzzers (``tests/test_data_fuzz.py``), run here with a stated example count.

Each attempt loads the input and sorts the outcome:

* *clear*: :class:`~workbench.errors.RegionInvalid` whose every error names
  the file and carries a fix — for a corpus case, exactly the expected file,
  row and column; for a fuzzed input, a file of the region and, where a row
  applies, a row;
* *accepted*: the input was valid after all (a fuzzer can write a valid file);
* *traceback*: any other exception — a bug;
and, separately, whether any file in the folder (or next to it) changed.
"""

from __future__ import annotations

import shutil
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.data import load_region
from workbench.errors import Problem, RegionInvalid

from . import Settings, checkout, progress
from .report import Section, must_be_zero

Where = tuple[str, int | None, str | None]


@dataclass
class Tally:
    """Outcomes of one kind of input."""

    kind: str
    tried: int = 0
    clear: int = 0
    accepted: int = 0
    tracebacks: int = 0
    changed: int = 0
    unclear: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    valid: list[str] = field(default_factory=list)

    def row(self) -> list[str]:
        return [self.kind, f"{self.tried:,}", f"{self.clear:,}", f"{self.accepted:,}",
                f"{self.tried - self.clear - self.accepted - self.tracebacks:,}",
                f"{self.tracebacks:,}", f"{self.changed:,}"]


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the region folder and what lies next to it)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.name != ".workbench.lock"}


def attempt(tally: Tally, label: str, load: Callable[[], Any], watched: Path,
            judge: Callable[[RegionInvalid], bool]) -> None:
    """Run ``load`` once and record its outcome in ``tally``."""
    before = _tree(watched)
    tally.tried += 1
    try:
        load()
    except RegionInvalid as exc:
        if judge(exc):
            tally.clear += 1
        else:
            tally.unclear.append(f"{label}: " + "; ".join(str(p) for p in exc.problems if p.is_error)[:300])
    except Exception as exc:  # noqa: BLE001 - counting exactly these is the point
        tally.tracebacks += 1
        tally.crashes.append(f"{label}: {type(exc).__name__}: {exc}\n"
                             + "".join(traceback.format_tb(exc.__traceback__)[-3:]))
    else:
        tally.accepted += 1
        tally.valid.append(label)
    if _tree(watched) != before:
        tally.changed += 1


def exact(expected: set[Where]) -> Callable[[RegionInvalid], bool]:
    """A corpus case: exactly the expected (file, row, column), each error with a fix."""
    def judge(exc: RegionInvalid) -> bool:
        errors = [p for p in exc.problems if p.is_error]
        got = {(Path(p.file).name, p.row, p.column) for p in errors}
        return got == expected and all(p.fix and str(p).startswith(f"{p.file}:") for p in errors)
    return judge


def located(files: set[str]) -> Callable[[RegionInvalid], bool]:
    """A fuzzed input: every error names one of ``files`` (a file, or a workbook and sheet) and has a fix."""
    def judge(exc: RegionInvalid) -> bool:
        errors = [p for p in exc.problems if p.is_error]
        return bool(errors) and all(
            p.fix and p.message and (Path(p.file).name in files or Path(p.file.split("[")[0]).name in files)
            and str(p).startswith(f"{p.file}:") for p in errors)
    return judge


def _fresh(parent: Path) -> Path:
    from tests.support.regions import FIXTURES
    shutil.rmtree(parent, ignore_errors=True)
    parent.mkdir(parents=True)
    folder = parent / "xx-tiny"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", folder)
    return folder


def corpus(tmp: Path) -> tuple[Tally, Tally, Tally]:
    """The malformed-file corpus, its encoding cases, and the broken workbooks."""
    from tests.test_data_malformed import CASES, ENCODING_CASES
    from tests.test_data_workbook import WORKBOOK_CASES
    from workbench.cli import main

    encodings = {c[0] for c in ENCODING_CASES}
    files, codes = Tally("malformed region files (tests/test_data_malformed.py)"), Tally(
        "text encodings (same file, other code pages)")
    for name, mutation, expected in CASES:
        tally = codes if name in encodings else files
        folder = _fresh(tmp / "case")
        mutation(folder)
        attempt(tally, name, lambda f=folder: load_region(f), folder.parent, exact(expected))

    books = Tally("broken workbooks, loaded and imported (tests/test_data_workbook.py)")
    from click.testing import CliRunner
    for name, make, expected in WORKBOOK_CASES:
        parent = tmp / "book"
        shutil.rmtree(parent, ignore_errors=True)
        parent.mkdir()
        book = make(parent)
        attempt(books, name, lambda b=book: load_region(b), parent, exact(expected()))
        # `workbench import` of the same file: exit 1 with a clear message, and nothing written.
        (parent / "partners").mkdir()

        def imported(b: Path = book, out: Path = parent / "partners") -> None:
            r = CliRunner().invoke(main, ["import", str(b), "--out", str(out)])
            if r.exit_code != 1 or not isinstance(r.exception, SystemExit):
                raise RuntimeError(f"import exited {r.exit_code}: {r.output[-300:]}") from r.exception
            raise RegionInvalid([Problem(b.name, None, None, r.output.strip(), "as printed")])
        attempt(books, f"import {name}", imported, parent,
                lambda exc, b=book: all(b.name in line for line in exc.problems[0].message.splitlines()))
    return files, codes, books


def fuzz(tmp: Path, examples: int) -> list[tuple[Tally, int]]:
    """The test suite's fuzzers, each for ``examples`` examples; returns each tally with its count."""
    from hypothesis import HealthCheck, Phase, given, settings

    from tests.support.fuzz import (
        FILES,
        RANDOM_BYTES,
        RANDOM_CSV,
        RANDOM_WORKBOOK,
        SHEETS,
        WORKBOOK_CELLS,
        write_random_csv,
        write_workbook_cells,
    )

    run_settings = settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                            phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    region_files = set(FILES)
    book_files = {"xx-tiny.xlsx", "xx-fuzz.xlsx"}
    out: list[tuple[Tally, int]] = []

    def run(tally: Tally, strategies: dict[str, Any], body: Callable[..., None]) -> None:
        @run_settings
        @given(**strategies)
        def property_(**kwargs: Any) -> None:
            body(**kwargs)

        property_()
        out.append((tally, examples))

    t = Tally("random bytes as a region file (hypothesis)")

    def random_bytes(name: str, data: bytes) -> None:
        folder = _fresh(tmp / "fz")
        (folder / name).write_bytes(data)
        attempt(t, f"{name} ← {data[:60]!r}", lambda: load_region(folder), folder.parent, located(region_files))
    run(t, RANDOM_BYTES, random_bytes)

    c = Tally("random CSV tables, 3 encodings, `,` or `;` (hypothesis)")

    def random_csv(**kw: Any) -> None:
        folder = _fresh(tmp / "fz")
        write_random_csv(folder, **kw)
        attempt(c, f"{kw['name']} ← {kw['rows'][:2]!r}"[:120], lambda: load_region(folder), folder.parent,
                located(region_files))
    run(c, RANDOM_CSV, random_csv)

    b = Tally("random bytes as a workbook (hypothesis)")

    def random_book(data: bytes) -> None:
        parent = tmp / "wb"
        shutil.rmtree(parent, ignore_errors=True)
        parent.mkdir()
        (parent / "xx-fuzz.xlsx").write_bytes(data)
        attempt(b, "xx-fuzz.xlsx", lambda: load_region(parent / "xx-fuzz.xlsx"), parent, located(book_files))
    run(b, RANDOM_WORKBOOK, random_book)

    w = Tally(f"random typed cells in a valid workbook, sheets {', '.join(SHEETS)} (hypothesis)")

    def random_cells(cells: list[Any]) -> None:
        parent = tmp / "wb"
        shutil.rmtree(parent, ignore_errors=True)
        parent.mkdir()
        write_workbook_cells(parent / "xx-tiny.xlsx", cells)
        attempt(w, f"xx-tiny.xlsx ← {cells!r}"[:160], lambda: load_region(parent / "xx-tiny.xlsx"), parent,
                located(book_files))
    run(w, WORKBOOK_CELLS, random_cells)
    return out


def run(settings: Settings) -> Section:
    checkout()
    import warnings
    with tempfile.TemporaryDirectory(prefix="wb-proof-bad-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on odd cells; the outcomes are what count
        progress("badinput", "corpus of malformed files, encodings and workbooks")
        tallies = list(corpus(Path(tmp)))
        progress("badinput", f"fuzzers, {settings.fuzz_examples} examples each")
        fuzzed = fuzz(Path(tmp), settings.fuzz_examples)
    tallies += [t for t, _ in fuzzed]
    total = Tally("all")
    for t in tallies:
        total.tried += t.tried
        total.clear += t.clear
        total.accepted += t.accepted
        total.tracebacks += t.tracebacks
        total.changed += t.changed
    section = Section(
        "badinput", "Bad input",
        ["input", "tried", "clear message (file, row, column)", "valid after all", "unclear message",
         "tracebacks", "files changed"],
        [t.row() for t in tallies] + [["**all**", *[f"**{x}**" for x in total.row()[1:]]]],
    )
    section.checks = [
        must_be_zero("tracebacks (exceptions other than a validation error)", total.tracebacks),
        must_be_zero("files changed by failed loads or imports", total.changed),
        must_be_zero("corpus cases without their exact file, row and column",
                     sum(len(t.unclear) for t in tallies[:3])),
    ]
    section.notes = [
        f"Fuzzers: hypothesis, {settings.fuzz_examples} generated examples each "
        f"({sum(n for _, n in fuzzed):,} in all), derandomised so a run can be repeated; "
        "strategies from `tests/test_data_fuzz.py`.",
        "A corpus case counts as clear only when the errors name exactly the expected file, spreadsheet row "
        "(header = 1) and column, and each suggests a fix; a fuzzed input, when every error names a file of "
        "the region (or the workbook and sheet) and suggests a fix.",
        "\"Files changed\" compares the bytes of every file in the region's folder and the folder around it "
        "before and after each attempt; each broken workbook is also imported with `workbench import`, "
        "which must exit 1 and write nothing.",
    ]
    for t in tallies:
        section.notes += [f"Traceback — {c}" for c in t.crashes[:5]]
        section.notes += [f"Unclear — {u}" for u in t.unclear[:5]]
        section.notes += [f"Valid after all — {v}" for v in t.valid[:2]]
    return section
