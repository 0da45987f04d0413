"""The reduced proof (``python -m proof --reduced``), as CI runs it inside ``make test``.

Every "must be 0" of the proof must be 0, every area must have been measured
(a figure that could not be measured fails the proof, so the dashboards'
figures fail it until ``workbench serve`` exists), and the report must hold a
table per area with the command and the machine it was measured on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proof import AREAS, run_proof
from proof.load import serve_missing
from proof.report import Check, Section, markdown, must_be_zero, not_measured, skipped, within

pytestmark = pytest.mark.timeout(1200)

TITLES = ["Bad input", "Crash and concurrency", "Injection", "Load", "Scale", "Speed targets of the earlier issues",
          "Editing together"]


@pytest.fixture(scope="module")
def reduced(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("proof") / "quality.md"
    report = run_proof(full=False, out=out)
    return report, out.read_text(encoding="utf-8")


def test_every_check_of_the_reduced_proof_passes(reduced):
    """Until `workbench serve` exists, the dashboards' figures fail the proof, and nothing else may."""
    report, _ = reduced
    failures = [f"[{s.title}] {c.name}: measured {c.shown}, must be {c.limit}" for s, c in report.failures]
    pending = serve_missing()
    if pending:
        assert failures, "the proof must fail while the dashboards cannot be measured"
        assert all(f"not measured: {pending}" in f for f in failures), failures
    else:
        assert failures == []


def test_the_must_be_zero_figures_are_zero(reduced):
    report, _ = reduced
    zeros = {c.name: c.value for s in report.sections for c in s.checks if c.limit == "= 0"}
    for name in ("tracebacks (exceptions other than a validation error)", "files changed by failed loads or imports",
                 "files corrupt or unreadable after a kill", "updates lost by processes saving at once",
                 "payloads executed (payload × output pairs)", "path-traversal ids accepted (API and command line)"):
        assert zeros[name] == 0, name


def test_the_report_has_a_table_per_area_with_command_and_machine(reduced):
    report, text = reduced
    assert [s.key for s in report.sections] == list(AREAS)
    assert text.startswith("# Quality")
    for i, title in enumerate(TITLES, start=1):
        assert f"## {i}. {title}" in text
    assert text.count("Measured by `") == len(AREAS)
    assert f"| cores | {report.machine.cores} " in text and "| memory |" in text
    assert "## How to rerun it" in text and "make proof" in text
    for s in report.sections:
        assert s.rows, s.title  # figures measured in this run


def test_a_failed_or_unmeasured_check_fails_the_report():
    ok = Section("x", "X", ["a"], [["1"]], [must_be_zero("tracebacks", 0), within("load", 4.4, 3.0),
                                             skipped("build", "< 90 s", "full run only")])
    bad = Section("y", "Y", ["a"], [["1"]], [must_be_zero("tracebacks", 1), within("load", 4.6, 3.0),
                                              not_measured("sessions", "p95 < 10 s", "workbench serve not "
                                                           "available yet")])
    assert ok.failures == []
    assert [c.name for c in bad.failures] == ["tracebacks", "load",
                                              "sessions — not measured: workbench serve not available yet"]
    assert Check("x", None, "= 0", False, skipped="why").status == "skipped"


def test_markdown_of_a_failing_report_says_fail(reduced):
    report, _ = reduced
    from dataclasses import replace
    broken = replace(report, sections=[*report.sections, Section("z", "Z", ["a"], [["1"]],
                                                                 [must_be_zero("tracebacks", 3)])])
    text = markdown(broken)
    assert "check(s) FAIL" in text and "| tracebacks | 3 | = 0 | FAIL |" in text


def test_the_committed_report_is_a_full_run():
    """docs/quality.md is the full proof's output, and the README links it."""
    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "quality.md").read_text(encoding="utf-8")
    assert "(full run," in text and "## How to rerun it" in text
    assert "docs/quality.md" in (root / "README.md").read_text(encoding="utf-8")
