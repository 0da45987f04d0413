"""Editing together: several people edit one region at once, each in their own Chromium session.

Reuses the browser test's harness (``tests/support/together.py``): a real
``workbench serve`` on a copy of one example region; N browser contexts open
its regional workbench and rename agencies for a while, all at once, half
of their turns the same agency's name (so their saves cross). Counted from
the region's files and change log afterwards: changes lost (a save the page
reported that the log does not hold), fields overwritten without their
author being told, conflicts shown without saying which field and who,
pages that do not end showing the region the files hold. Timed: a save
(click to the page's answer to that click), and a save's appearance on the
other pages (measured in each page, from the moment the author's page
showed it).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from . import Settings, checkout, progress
from .report import Section, fmt_s, must_be_zero, not_measured, skipped, within

REGION = "de-leipzig"
#: A save appears on the other pages within this (p95), and completes within SAVE_S.
APPEAR_S, SAVE_S = 2.0, 0.5
#: Sessions and seconds of editing: the full run, the reduced one.
FULL_RUN, REDUCED_RUN = (8, 60.0), (3, 20.0)


def measure(sessions: int, seconds: float) -> dict[str, Any]:
    """Run the sessions against a fresh server; the verdict of :func:`tests.support.together.verdict`."""
    checkout()
    import shutil

    from tests.support.regions import ROOT
    from tests.support.together import edit_together, verdict
    from tests.support.voila_server import Server

    with tempfile.TemporaryDirectory(prefix="wb-proof-together-") as tmp:
        data = Path(tmp) / "partners"
        data.mkdir()
        shutil.copytree(ROOT / "data" / "partners" / REGION, data / REGION)
        server = Server(data, Path(tmp) / "serve.log", "--pool-size", "0")
        try:
            server.wait_up()
            run = edit_together(server, REGION, sessions, seconds)
            return verdict(run, data / REGION)
        finally:
            server.stop()


def table(found: dict[str, Any], timed: bool = True) -> Section:
    """The report's "Editing together" table and its checks, from one run's figures.

    Without ``timed`` (the reduced run, beside the test suite) the times are
    shown but not held to their targets, which the full run checks.
    """
    section = Section("together", "Editing together",
                      ["sessions", "editing for", "saves (conflicts)", "changes lost", "overwritten unseen",
                       "conflicts not explained", "pages off the files", "save p50 / p95 (all saving)",
                       "save p50 / p95 (one saving, all open)", "shown on the other pages p50 / p95"])
    section.rows = [[str(found["sessions"]), f"{found['seconds']:g} s", f"{found['saves']} ({found['conflicts']})",
                     str(found["lost"]), str(found["overwritten"]), str(found["conflicts_unexplained"]),
                     str(found["pages_off"]), f"{fmt_s(found['save_p50_s'])} / {fmt_s(found['save_p95_s'])}",
                     f"{fmt_s(found['solo_save_p50_s'])} / {fmt_s(found['solo_save_p95_s'])}",
                     f"{fmt_s(found['appear_p50_s'])} / {fmt_s(found['appear_p95_s'])}"]]
    section.checks = [
        must_be_zero("changes lost", found["lost"]),
        must_be_zero("fields overwritten without their author being told", found["overwritten"]),
        must_be_zero("conflicts shown without the field, the values and who saved", found["conflicts_unexplained"]),
        must_be_zero("pages not showing the region the files hold at the end", found["pages_off"]),
        must_be_zero("saves failed", found["errors"] + found["solo_errors"]),
    ]
    timings = [("a save shown on the other pages (p95)", found["appear_p95_s"], APPEAR_S),
               ("a save, click to answer, with every page open (p95)", found["solo_save_p95_s"], SAVE_S)]
    section.checks += [within(name, value, target) if timed
                       else skipped(name, f"< {target:g} s", "timed against its target in the full run only")
                       for name, value, target in timings]
    section.notes = [
        f"{found['sessions']} browser contexts in one headless Chromium, each a person with their own role, "
        f"rename agencies of {REGION} for {found['seconds']:g} s at once: every other turn the same agency's name "
        "(so their saves cross), else their own agency's. A conflict is answered by turns with *keep the saved "
        "value* and *put mine*. Chromium, the server and every page's kernel share this machine's cores.",
        f"Saves are timed twice: while all {found['sessions']} sessions save at once (about one save a second "
        "each; the saves queue at the region's lock, so this shows the queue) and then "
        f"{found['solo_saves']} saves by one person while every page stays open and redraws on each "
        "(held to the 0.5 s target of a save).",
        "A save is timed from the click to the page's answer to that click: the first message numbered after the "
        "click (each page numbers its messages), looked for every 25 ms; a click that gets no answer within "
        "2 minutes fails the run and says whether the page showed the button disabled.",
        f"{found['appearances']} appearances timed: from the moment the author's page showed the new name to the "
        "moment each other page did (a MutationObserver in each page); a name renamed again before a page "
        f"showed it is not counted ({found['missed']} of a page's own agency were never shown).",
    ]
    return section


def run(settings: Settings, shared: dict[str, Any] | None = None) -> Section:
    sessions, seconds = FULL_RUN if settings.full else REDUCED_RUN
    from .load import serve_missing

    missing = serve_missing()
    if missing:
        section = Section("together", "Editing together", ["sessions", "not measured"], [[str(sessions), missing]])
        section.checks = [not_measured("editing together", "0 changes lost", missing)]
        return section
    progress("together", f"{sessions} sessions editing {REGION} for {seconds:g} s")
    return table(measure(sessions, seconds), timed=settings.full)
