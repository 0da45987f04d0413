"""Several people edit one region at once, in Chromium (issue 13, point 6).

``WORKBENCH_TOGETHER_SESSIONS`` (8 by default) pages of ``workbench serve``
rename agencies for ``WORKBENCH_TOGETHER_SECONDS`` (default 60) seconds, some
all the same agency's name: no change is lost, every conflict is shown to
the person who made it, every page ends showing the region the files hold,
a save appears on the other pages within 2 s (p95), and a save made while
all the pages are open completes within 0.5 s (p95, with the suite's slack).
The figures are printed, the times of saves made while all save at once
too. Fewer sessions or seconds are for a loaded developer machine.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator

import psutil
import pytest

from .conftest import ROOT
from .support.browser import require_chromium
from .support.together import SOLO_SAVES, edit_together, verdict
from .support.voila_server import Server

#: The issue asks for 8 sessions.
SESSIONS = int(os.environ.get("WORKBENCH_TOGETHER_SESSIONS", "8"))
SECONDS = float(os.environ.get("WORKBENCH_TOGETHER_SECONDS", "60"))
REGION = "de-leipzig"
#: A save must appear on the other pages within this (p95), and complete within SAVE_S.
APPEAR_S, SAVE_S = 2.0, 0.5
#: As in tests/test_dashboards.py: a save target fails beyond this multiple (noise on a shared two-core machine).
SLACK = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    data = tmp_path_factory.mktemp("together") / "partners"
    data.mkdir()
    shutil.copytree(ROOT / "data" / "partners" / REGION, data / REGION)
    s = Server(data, tmp_path_factory.mktemp("log") / "serve.log", "--pool-size", "0")
    try:
        s.wait_up()
        yield s
    finally:
        s.stop()


def test_sessions_edit_one_region_together(server: Server, capsys: pytest.CaptureFixture[str]):
    run = edit_together(server, REGION, SESSIONS, SECONDS)
    found = verdict(run, server.data / REGION)
    out = ROOT / "build" / "editing-together.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"found": found, "saves": [vars(x) for x in run.saves], "shown": run.shown,
                               "log": (server.data / REGION / "changes.jsonl").read_text()}, indent=1))
    with capsys.disabled():
        print(f"\nediting together, {SESSIONS} sessions for {SECONDS:g} s: {found}")
    assert found["saved"] >= SESSIONS and found["errors"] == 0, found
    assert found["lost"] == 0 and found["overwritten"] == 0, found
    assert found["conflicts_unexplained"] == 0, found
    assert found["pages_off"] == 0, (found, run.shown)
    assert found["appearances"] > 0, found  # (a name renamed again before a page showed it is not timed)
    assert all("partner-" in p for p in run.presence), run.presence  # each page sees the others
    assert found["appear_p95_s"] <= APPEAR_S, found
    # A save with every page open (the "a save still completes under 0.5 s"); the times of saves while
    # all eight save at once are printed above: they queue at the region's lock.
    assert found["solo_saves"] == SOLO_SAVES and found["solo_errors"] == 0, found
    assert found["solo_save_p95_s"] <= SAVE_S * SLACK, found


def test_an_idle_open_page_costs_under_one_percent_of_a_core(server: Server, capsys: pytest.CaptureFixture[str]):
    """A page left open (its kernel watching the region) uses less than 1 % of a core."""
    from playwright.sync_api import sync_playwright

    from .support.browser import CHROMIUM_ARGS
    from .support.dashboards import open_dashboard

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            before = set(server.kernels())
            open_dashboard(page, server, "workshop", region=REGION, lang="en")
            page.locator(".wb-presence").wait_for()
            new = [k for k in server.kernels() if k not in before]
            assert new, "the page has no kernel of its own"
            proc = psutil.Process(new[0])
            time.sleep(5)  # the page settles
            c0, t0 = sum(proc.cpu_times()[:2]), time.monotonic()
            time.sleep(20)
            share = (sum(proc.cpu_times()[:2]) - c0) / (time.monotonic() - t0)
        finally:
            browser.close()
    with capsys.disabled():
        print(f"\nidle open page: its kernel used {share:.2%} of a core over 20 s")
    assert share < 0.01
