"""Several people editing one region at once, each in their own Chromium session (test and proof).

:func:`edit_together` opens ``n`` workshop pages of one region (one browser
context each, as separate laptops), gives each a role, and lets every page
rename agencies for a while, all at once: on even turns the same *shared*
agency (the same field, so their saves cross), on odd turns the page's own
agency. A conflict shown to a page is answered alternately with *keep the
saved value* and *put mine*. Each page records, in the browser, when each
name first appeared in its agencies table; so the time a save took to
appear on the other pages is measured where a person would see it. At the
end one person saves a few times while every page stays open: the save time
of the dashboards' speed target, apart from the queue at the region's lock
that all pages saving at once form.

It returns what every page saw and did; :func:`verdict` checks it against
the region's files and change log: no change lost, no field overwritten
without its author being told, every page ending on the files' region.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.data import load_region

from .browser import CHROMIUM_ARGS, require_chromium
from .dashboards import url_of
from .voila_server import Server

TIMEOUT_MS = 120_000
#: Saves by one person at the end, while all the pages stay open (numbered from SOLO_TURN on).
SOLO_SAVES, SOLO_TURN = 10, 10_000
#: How often a page looks for the answer to a click (ms). Looking at every animation frame, as Playwright
#: does by default, kept eight pages drawing 60 frames a second: about a third of a core taken from the
#: kernels being measured. The time of a save is read to this resolution.
POLL_MS = 25
TOKEN = re.compile(r"S\d+K\d+")
#: Records, in each page, when each name first shows in its agencies table (ms since the epoch).
OBSERVER = """
window.__seen = {};
const look = () => {
  const t = document.querySelector('.wb-agencies');
  if (!t) return;
  const now = Date.now();
  for (const m of t.textContent.matchAll(/S\\d+K\\d+/g)) if (!(m[0] in window.__seen)) window.__seen[m[0]] = now;
};
new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
"""


@dataclass
class Save:
    """One click on Save: who, which agency, the name typed, what the page said, and how long it took."""

    session: int
    agency: str
    value: str
    outcome: str  # "ok", "conflict" (then a second answer follows), or "error"
    seconds: float
    message: str = ""
    answer: str = ""  # after a conflict: "keep" or "mine"


@dataclass
class Run:
    sessions: int
    seconds: float
    region: str
    shared: str
    saves: list[Save] = field(default_factory=list)
    seen: list[dict[str, float]] = field(default_factory=list)
    shown: list[list[str]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    presence: list[str] = field(default_factory=list)
    solo: list[Save] = field(default_factory=list)


#: The page's newest message so far: the highest ``data-seq`` (each page counts its messages), 0 for none.
NEWEST = """() => Math.max(0, ...[...document.querySelectorAll('.wb-messages .wb-msg')]
  .map(m => +m.dataset.seq || 0))"""
#: A shown message newer than ``after``: the answer to the click made after reading :data:`NEWEST`.
NEWER = """(after) => [...document.querySelectorAll('.wb-messages .wb-msg')]
  .find(m => +m.dataset.seq > after && m.offsetParent !== null) || null"""
#: What the page shows of a button, to say why a click got no answer.
STATE = """(sel) => { const b = document.querySelector(sel);
  return b ? {disabled: b.disabled, shown: b.offsetParent !== null} : 'no such button'; }"""


async def _click(page: Any, selector: str) -> tuple[str, str, float]:
    """Click ``selector`` and wait for the page's answer to that click: its kind, its words, the seconds taken.

    The answer is the first message newer than the page's newest before the
    click, so a message of an earlier click that the browser shows late is
    never taken for this one's.
    """
    before = await page.evaluate(NEWEST)
    t0 = time.perf_counter()
    await page.click(selector)
    try:
        found = await page.wait_for_function(NEWER, arg=before, polling=POLL_MS, timeout=TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001 - say what the page showed, then fail
        raise AssertionError(f"no answer to a click on {selector} within {TIMEOUT_MS / 1000:g} s; the button: "
                             f"{await page.evaluate(STATE, selector)}") from exc
    seconds = time.perf_counter() - t0
    cls, text = await found.evaluate("m => [m.className, m.innerText]")
    kind = "ok" if "wb-msg-ok" in cls else "conflict" if "wb-msg-warn" in cls else "error"
    return kind, text, seconds


FILLED = """(id) => document.querySelector('.wb-agency-id input')?.value === id"""
PICK = """(id) => [...document.querySelectorAll('.wb-agency-pick select option')]
  .map(o => o.textContent).find(t => t.endsWith('(' + id + ')'))"""


async def _pick(page: Any, agency: str) -> None:
    """Pick ``agency`` in the form (its option's label holds its name, which the others keep changing)."""
    for _ in range(20):
        label = await page.evaluate(PICK, agency)
        try:
            await page.select_option(".wb-agency-pick select", label=label, timeout=2000)
            # as a person does, type once the form shows the agency picked (its id field is filled first):
            # text typed while the page fills the form is mangled by it
            await page.wait_for_function(FILLED, arg=agency, polling=POLL_MS, timeout=TIMEOUT_MS)
            return
        except Exception:  # noqa: BLE001 - renamed meanwhile by another page: look again
            await page.wait_for_timeout(200)
    raise TimeoutError(f"could not pick {agency}")


async def _type_name(page: Any, value: str) -> None:
    """Type ``value`` as the agency's name and look at the field before saving, as a person would.

    Another page's save can land between the field being emptied and the text going in (the form is
    redrawn with the newly saved name while it is still clean); a person sees the field show the
    wrong text and types again. A name that still does not read as typed after three tries is saved
    as it is, and the check counts it as lost.
    """
    field = page.locator(".wb-agency-name input")
    for _ in range(3):
        await field.fill(value)
        # A person looks at the field and moves to Save; the form's buttons send the field's held-back text
        # before the click (dashboards/form_button.py), so no pause for the kernel is needed here.
        await page.wait_for_timeout(50)
        if await field.input_value() == value:
            return


async def _session(run: Run, page: Any, k: int, own: str, until: float) -> None:
    role = run.roles[k]
    await page.fill(".wb-role input", role)
    await page.locator(".wb-sections button", has_text="Agencies").click()
    await page.locator(".wb-agency-pick select").wait_for(timeout=TIMEOUT_MS)
    turn, conflicts = 0, 0
    while time.time() < until:
        agency = run.shared if turn % 2 == 0 else own
        value = f"Agency S{k}K{turn}"
        await _pick(page, agency)
        await _type_name(page, value)
        kind, text, seconds = await _click(page, "button.wb-agency-save")
        save = Save(k, agency, value, kind, seconds, text)
        run.saves.append(save)
        if kind == "conflict":
            conflicts += 1
            save.answer = "mine" if conflicts % 2 == 0 else "keep"
            if save.answer == "mine":
                kind2, text2, seconds2 = await _click(page, "button.wb-conflict-mine")
                run.saves.append(Save(k, agency, value, kind2, seconds2, text2))
            else:
                await page.click("button.wb-conflict-keep")
        turn += 1
        await page.wait_for_timeout(300)


async def _run(server: Server, region: str, n: int, seconds: float) -> Run:
    from playwright.async_api import async_playwright

    folder = server.data / region
    agencies = sorted(a.id for a in load_region(folder).agencies if not a.is_forum)
    if len(agencies) < n + 1:
        raise ValueError(f"{region} has {len(agencies)} agencies: too few for {n} sessions")
    run = Run(n, seconds, region, agencies[0], roles=[f"partner-{k + 1}" for k in range(n)])
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=require_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            contexts = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(n)]
            pages = [await c.new_page() for c in contexts]
            for page in pages:
                await page.add_init_script(OBSERVER)

            async def visit(page: Any) -> None:
                await page.goto(url_of(server, "workshop", region=region, lang="en"), timeout=TIMEOUT_MS)
                await page.wait_for_selector(".wb-app.wb-ready", timeout=TIMEOUT_MS)

            await asyncio.gather(*(visit(page) for page in pages))
            until = time.time() + seconds
            await asyncio.gather(*(_session(run, page, k, agencies[k + 1], until) for k, page in enumerate(pages)))
            await asyncio.sleep(3)  # the last saves reach every page
            # Then one person saves while every page stays open (each redraws on each save): the save time of
            # the dashboards' speed target, apart from the queue at the region's lock while all of them save.
            for turn in range(SOLO_SAVES):
                value = f"Agency S0K{SOLO_TURN + turn}"
                await _pick(pages[0], agencies[1])
                await _type_name(pages[0], value)
                kind, text, seconds_ = await _click(pages[0], "button.wb-agency-save")
                run.solo.append(Save(0, agencies[1], value, kind, seconds_, text))
                await asyncio.sleep(0.5)
            await asyncio.sleep(2)  # ... and reach every page
            for page in pages:
                run.seen.append(await page.evaluate("() => window.__seen"))
                run.shown.append(await page.eval_on_selector_all(
                    ".wb-agencies tbody tr td:first-child", "els => els.map(e => e.textContent)"))
                run.presence.append(await page.locator(".wb-presence").inner_text())
            for page in pages:
                await page.close(run_before_unload=True)
        finally:
            await browser.close()
    return run


def edit_together(server: Server, region: str, n: int, seconds: float) -> Run:
    """Run ``n`` sessions editing ``region`` on ``server`` for ``seconds``; what they saw and did."""
    return asyncio.run(_run(server, region, n, seconds))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def verdict(run: Run, folder: Path) -> dict[str, Any]:
    """What the run shows against the files: losses, silent overwrites, conflicts, pages off, and the times."""
    log = [json.loads(x) for x in (folder / "changes.jsonl").read_text(encoding="utf-8").splitlines()]
    names = [(c, r) for c in log for r in c["rows"] if r["table"] == "agencies" and r["before"] and r["after"]
             and r["before"]["name"] != r["after"]["name"]]
    written = {(c["editor"], r["after"]["name"]) for c, r in names}
    solo = [s for s in run.solo if s.outcome == "ok"]
    busy = [s for s in run.saves if s.outcome == "ok"]
    oks = busy + solo
    lost = [s for s in oks if (run.roles[s.session], s.value) not in written]
    # A save that overwrote a name it had not seen: the change that set the name before it is newer than its base.
    overwritten = 0
    last: dict[str, int] = {}
    for c, r in names:
        key = r["key"][0]
        if key in last and last[key] > (c.get("based_on") or 0):
            overwritten += 1
        last[key] = c["seq"]
    conflicts = [s for s in run.saves if s.outcome == "conflict"]
    unexplained = [s for s in conflicts if "you started from" not in s.message or "partner-" not in s.message]
    region = load_region(folder)
    files = sorted(a.name for a in region.agencies)
    off = sum(sorted(shown) != files for shown in run.shown)
    delays: list[float] = []
    missed = 0
    for s in oks:
        author = run.seen[s.session]
        token = TOKEN.search(s.value)
        assert token is not None
        if token.group() not in author:
            continue
        for k, seen in enumerate(run.seen):
            if k == s.session:
                continue
            if token.group() in seen:
                delays.append(max(0.0, (seen[token.group()] - author[token.group()]) / 1000))
            elif s.agency != run.shared:
                missed += 1
    return {
        "sessions": run.sessions, "seconds": run.seconds, "saves": len(run.saves), "saved": len(oks),
        "conflicts": len(conflicts), "errors": sum(s.outcome == "error" for s in run.saves),
        "lost": len(lost), "overwritten": overwritten, "conflicts_unexplained": len(unexplained),
        "pages_off": off, "missed": missed, "lost_saves": [(run.roles[s.session], s.value, s.message) for s in lost],
        "save_p50_s": statistics.median(s.seconds for s in busy) if busy else None,
        "save_p95_s": p95([s.seconds for s in busy]) if busy else None,
        "appear_p50_s": statistics.median(delays) if delays else None,
        "appear_p95_s": p95(delays) if delays else None,
        "appearances": len(delays),
        "solo_saves": len(solo), "solo_errors": len(run.solo) - len(solo),
        "solo_save_p50_s": statistics.median(s.seconds for s in solo) if solo else None,
        "solo_save_p95_s": p95([s.seconds for s in solo]) if solo else None,
    }
