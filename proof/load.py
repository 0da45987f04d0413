"""Load: simultaneous dashboard sessions against a real ``workbench serve`` on loopback.

Reuses the dashboards' test harness (``tests/voila_server.py``: a real
``workbench serve`` in a subprocess on a free port, on a copy of the example
regions) and the dashboards' page helpers (``tests/test_dashboards.py``).

* **sessions** — for each count N (rising from 1 to 40), a fresh server with
  its default pool of one preheated kernel per dashboard; N browser contexts
  in one headless Chromium leave the landing page at once for the regional
  workbench of one example region each (round robin), and each is timed
  until it is interactive: the app marked ready, the maturity radar drawn
  and the network map drawn in its iframe. Each session is bounded by
  :data:`SESSION_TIMEOUT_S`; one that fails or times out is an error. While
  all N pages are open, the resident memory of every kernel is read from
  ``/proc``. Counts above the first whose p95 exceeds 10 s are not run.
* **targets** — the dashboards' speed targets: landing → interactive with no
  preheated kernel (``--read-only --pool-size 0``, cold) and with one
  (preheated); switching region in the regional workbench; saving an edit
  (an agency, from clicking Save to the "Saved" message).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from workbench.errors import ChromiumMissing

from . import Settings, checkout, procs, progress
from .report import Section, fmt_s, not_measured
from .speed import DASHBOARD_TARGETS

#: Seconds a session may take before it counts as an error.
SESSION_TIMEOUT_S = 120
#: The p95 time to interactive that the largest supported count must stay under.
P95_LIMIT_S = 10.0
REGIONS = ("be-hainaut", "bg-plovdiv", "de-leipzig", "ee-harju", "es-valencia", "fr-nord", "gr-attica", "ro-cluj")
READY = ".wb-app.wb-ready .wb-side svg.wb-radar"
MAP_READY = "body[data-wb-ready='1']"


def serve_missing() -> str | None:
    """Why the dashboards cannot be measured, or ``None`` when they can."""
    exe = Path(sys.executable).with_name("workbench")
    r = subprocess.run([str(exe), "serve", "--help"], capture_output=True, text=True)
    if r.returncode != 0:
        return "workbench serve not available yet"
    checkout()
    try:
        import tests.support.dashboards  # noqa: F401
        import tests.support.voila_server  # noqa: F401
    except ImportError as exc:
        return f"the dashboards' test harness is not available yet ({exc})"
    try:
        from workbench.roadmap.render import chromium_path
        chromium_path()
    except (FileNotFoundError, ChromiumMissing) as exc:
        return str(exc)
    return None


def p95(values: list[float]) -> float:
    """The 95th percentile (inclusive method; the value itself for one session).

    >>> p95([1.0]), p95([1.0, 2.0, 3.0, 4.0, 5.0])
    (1.0, 4.8)
    """
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


async def _sessions(server: Any, n: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from workbench.roadmap.render import CHROMIUM_ARGS, chromium_path

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            contexts = [await browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(n)]
            pages = [await c.new_page() for c in contexts]
            js_errors: list[str] = []
            for pg in pages:
                pg.on("pageerror", lambda exc: js_errors.append(str(exc)))
            for pg in pages:
                await pg.goto(server.url + "/", timeout=SESSION_TIMEOUT_S * 1000)

            async def visit(k: int) -> tuple[float, str | None]:
                pg = pages[k]
                t0 = time.perf_counter()
                try:
                    async with asyncio.timeout(SESSION_TIMEOUT_S):
                        await pg.goto(f"{server.url}/voila/render/workshop.ipynb?region={REGIONS[k % len(REGIONS)]}",
                                      timeout=0)
                        await pg.wait_for_selector(READY, timeout=0)
                        await pg.frame_locator(".wb-map iframe").locator(MAP_READY).wait_for(timeout=0)
                    return time.perf_counter() - t0, None
                except Exception as exc:  # noqa: BLE001 - a failed or timed-out session is an error counted
                    return time.perf_counter() - t0, f"{type(exc).__name__}: {str(exc)[:200]}"

            results = await asyncio.gather(*(visit(k) for k in range(n)))
            kernels = procs.kernels(server.proc.pid)
            rss = [m for m in (procs.memory_mb(k) for k in kernels) if m is not None]
            server_rss = procs.memory_mb(server.proc.pid) or 0.0
            for c in contexts:
                await c.close()
        finally:
            await browser.close()
    times = [t for t, err in results if err is None]
    return {"n": n, "times": times, "errors": [err for _, err in results if err], "js errors": js_errors,
            "kernels": len(kernels), "kernel mb": rss, "server mb": server_rss}


def sessions(data: Path, tmp: Path, counts: tuple[int, ...], shared_server: Any = None) -> list[dict[str, Any]]:
    """Each count of simultaneous sessions: on ``shared_server``, or on a fresh server for each."""
    from tests.support.voila_server import Server

    levels: list[dict[str, Any]] = []
    server = shared_server
    try:
        for n in counts:
            over = next((lv for lv in levels if "skipped" not in lv and (
                lv["errors"] or not lv["times"] or p95(lv["times"]) > P95_LIMIT_S)), None)
            if over is not None:
                levels.append({"n": n, "skipped": f"not run: {over['n']} sessions were already over "
                                                  f"{P95_LIMIT_S:g} s p95 (or failed)"})
                continue
            progress("load", f"{n} simultaneous session(s)")
            if shared_server is None:
                if server is not None:
                    server.stop()
                server = Server(data, tmp / f"serve-{n}.log")
                server.wait_up()
            else:
                server.wait_pool("workshop")
            levels.append(asyncio.run(_sessions(server, n)))
    finally:
        if server is not None and shared_server is None:
            server.stop()
    return levels


def _timed(times: list[float], why: dict[str, str], name: str, fn: Callable[[], list[float]]) -> None:
    """Run one target's measurement; a failure is recorded as the reason it was not measured."""
    try:
        times += fn()
    except Exception as exc:  # noqa: BLE001 - "not measured", which fails the run
        why[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"


def targets(data: Path, tmp: Path, cold: bool, repeat: int, shared_server: Any = None) -> dict[str, Any]:
    """The dashboards' speed targets, measured as the dashboards' tests measure them.

    Each is the median of ``repeat`` tries (switching region: of four switches);
    the cold start is measured only when ``cold`` (it needs a server without
    preheated kernels).
    """
    from tests.support.dashboards import message, open_dashboard, region_label, section
    from tests.support.voila_server import Server

    from .chromium import browser, page

    cold_name, preheated_name, switch_name, save_name = (name for name, _ in DASHBOARD_TARGETS)
    times: dict[str, list[float]] = {name: [] for name, _ in DASHBOARD_TARGETS}
    why: dict[str, str] = {}
    limit = SESSION_TIMEOUT_S * 1000

    def landing(server: Any, region: str, preheated: bool) -> list[float]:
        out = []
        for _ in range(repeat):
            with page(b, {"width": 1440, "height": 900}) as pg:
                if preheated:
                    server.wait_pool("workshop")
                pg.goto(server.url + "/")
                server.visiting("workshop")
                t0 = time.perf_counter()
                pg.locator(".wb-card-workshop .wb-region-links a", has_text=region).click()
                pg.wait_for_selector(".wb-app.wb-ready", timeout=limit)
                out.append(time.perf_counter() - t0)
            if not preheated:
                time.sleep(1.5)  # let the kernel shut down
        return out

    def switch(server: Any) -> list[float]:
        out = []
        with page(b, {"width": 1440, "height": 1000}) as pg:
            open_dashboard(pg, server, "workshop", region="be-hainaut", lang="en")
            for region in ("de-leipzig", "es-valencia", "gr-attica", "be-hainaut"):
                t0 = time.perf_counter()
                pg.select_option(".wb-region-pick select", label=region_label(server, region))
                pg.wait_for_selector(f".wb-body.wb-region-{region} .wb-side svg.wb-radar", timeout=limit)
                out.append(time.perf_counter() - t0)
        return out

    def save(server: Any) -> list[float]:
        out = []
        with page(b, {"width": 1440, "height": 1000}) as pg:
            open_dashboard(pg, server, "workshop", region="fr-nord", lang="en")
            pg.fill(".wb-role input", "proof")
            section(pg, "Agencies")
            for i in range(repeat):
                name = f"Proof agency {i}"
                pg.select_option(".wb-agency-pick select", index=0)  # a new agency
                # The kernel resets the form field by field (id, name, type, …): wait for it to have,
                # and a moment more, so that a late reset cannot undo what is typed next. Untimed.
                expect(pg.locator(".wb-agency-id input")).to_be_enabled(timeout=30_000)
                expect(pg.locator(".wb-agency-name input")).to_have_value("", timeout=30_000)
                pg.wait_for_timeout(300)
                pg.fill(".wb-agency-name input", name)
                pg.fill(".wb-agency-id input", f"proof-agency-{i}")
                pg.select_option(".wb-agency-type select", label="Victim support")
                errors = pg.locator(".wb-checks .wb-check-error")
                try:
                    expect(errors).to_have_count(0, timeout=30_000)  # several checks may show
                except AssertionError:
                    raise AssertionError(f"round {i}: the form still shows {errors.all_inner_texts()}") from None
                t0 = time.perf_counter()
                pg.click("button.wb-agency-save")
                message(pg, f"Saved: {name}")
                out.append(time.perf_counter() - t0)
                # The form is redrawn after the message (the new agency picked, the table last): wait for
                # it, or the next round's "new agency" choice can be overwritten by that redraw.
                pg.locator(".wb-agencies td", has_text=f"proof-agency-{i}").wait_for()
        return out

    with browser() as b:
        if cold:
            progress("load", "landing → interactive, cold (no preheated kernel)")
            server = Server(data, tmp / "serve-cold.log", "--read-only", "--pool-size", "0")
            try:
                server.wait_up()
                _timed(times[cold_name], why, cold_name, lambda: landing(server, "Leipzig", False))
            finally:
                server.stop()
        else:
            why[cold_name] = "skipped"
        progress("load", "landing → interactive preheated; switching region; saving an edit")
        server = shared_server or Server(data, tmp / "serve-targets.log")
        try:
            if shared_server is None:
                server.wait_up()
            _timed(times[preheated_name], why, preheated_name, lambda: landing(server, "Hainaut", True))
            _timed(times[switch_name], why, switch_name, lambda: switch(server))
            _timed(times[save_name], why, save_name, lambda: save(server))
        finally:
            if shared_server is None:
                server.stop()
    out: dict[str, Any] = {}
    for name, values in times.items():
        out[name] = statistics.median(values) if values and name not in why else None
        out[f"{name}: all"] = values
        if name in why:
            out[f"{name}: why"] = why[name]
    return out


def run(settings: Settings, shared: dict[str, Any]) -> Section:
    checkout()
    missing = shared.get("dashboards_missing", serve_missing())
    section = Section("load", "Load", ["simultaneous sessions", "p50 to interactive", "p95 to interactive",
                                       "errors", "kernels", "memory per kernel (mean / max)", "server process"])
    if missing:
        shared["dashboards_missing"] = missing
        section.rows = [[str(n), "—", "—", "—", "—", "—", f"not measured: {missing}"] for n in settings.sessions]
        section.checks = [not_measured("simultaneous dashboard sessions", f"p95 < {P95_LIMIT_S:g} s", missing)]
        return section
    from tests.support.voila_server import Server, data_copy
    with tempfile.TemporaryDirectory(prefix="wb-proof-load-") as tmp:
        data = data_copy(Path(tmp))
        if settings.full:  # a fresh server for each count, and for the targets
            levels = sessions(data, Path(tmp), settings.sessions)
            shared["dashboards"] = targets(data, Path(tmp), cold=True, repeat=3)
        else:  # one server for everything
            server = Server(data, Path(tmp) / "serve.log")
            try:
                server.wait_up()
                levels = sessions(data, Path(tmp), settings.sessions, shared_server=server)
                shared["dashboards"] = targets(data, Path(tmp), cold=False, repeat=1, shared_server=server)
            finally:
                server.stop()
    best = 0
    errors = 0
    for lv in levels:
        if "skipped" in lv:
            section.rows.append([str(lv["n"]), "—", "—", "—", "—", "—", lv["skipped"]])
            continue
        errors += len(lv["errors"])
        t = lv["times"]
        rss = lv["kernel mb"]
        ok = not lv["errors"] and t and p95(t) <= P95_LIMIT_S
        if ok:
            best = max(best, lv["n"])
        section.rows.append([str(lv["n"]), fmt_s(statistics.median(t)) if t else "—", fmt_s(p95(t)) if t else "—",
                             str(len(lv["errors"])) + (f" (+{len(lv['js errors'])} JS)" if lv["js errors"] else ""),
                             str(lv["kernels"]),
                             f"{statistics.mean(rss):,.0f} / {max(rss):,.0f} MB" if rss else "—",
                             f"{lv['server mb']:,.0f} MB"])
    section.more = [f"Largest count that stays under {P95_LIMIT_S:g} s p95 with no error: **{best or 'none'}** "
                    f"(of {', '.join(map(str, settings.sessions))}); {errors} session(s) failed or timed out in all.",
                    ""]
    section.notes = [
        f"Each session: a browser context that has the landing page open goes to the regional workbench of one "
        f"example region (round robin over {len(REGIONS)}) and is timed until the app is ready, the radar drawn "
        f"and the network map drawn; bounded at {SESSION_TIMEOUT_S} s. A fresh `workbench serve` per count "
        "(default settings: one preheated kernel per dashboard) in the full run, one server for every count in "
        "the reduced run; Chromium and the server share this machine's cores. With preheating, Voilà never "
        "starts a kernel for a request: the first visitor gets the preheated kernel, each later one the kernel "
        "started to refill the pool (2 s after it was emptied), and waits for its start and preparation.",
        "Memory per kernel is each kernel's resident set (VmRSS) while all the count's pages are open.",
    ]
    for lv in levels:
        section.notes += [f"Error at {lv['n']} sessions — {e}" for e in lv.get("errors", [])[:3]]
    return section
