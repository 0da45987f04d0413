"""Load: simultaneous dashboard sessions against a real ``workbench serve`` on loopback.

Reuses the dashboards' test harness (``tests/support/voila_server.py``: a real
``workbench serve`` in a subprocess on a free port, on a copy of the example
regions) and the dashboards' page helpers (``tests/support/dashboards.py``).

* **sessions** — for each count N (rising), a ``workbench serve`` whose kernel
  pool is sized for the burst (``--pool-size N``, at most
  :data:`MAX_POOL`, the command's limit), pinned to one core with every
  kernel it starts, while the headless Chromium that stands in for the
  visitors (and this process) runs on the other cores, so the browsers do
  not take the core being measured. Once every pool is full and the server
  is idle, N browser contexts leave the landing page at once for the
  regional workbench of one example region each (round robin), and each is
  timed until it is interactive: the app marked ready, the maturity radar
  drawn and the network map drawn in its iframe. Each session is bounded by
  :data:`SESSION_TIMEOUT_S`; one that fails or times out is an error. The
  CPU seconds (user and system, from ``/proc``) of the server and its
  kernels are read before the burst, when the last page is interactive, and
  once the pool has been refilled and the server is idle again; so is the
  proportional set size (PSS) of the server and its kernels. Per session:
  the CPU of the burst (of the server and the kernels already there), the
  CPU with the start of the kernel that replaces the one the session took,
  and the memory the session added. Counts above
  the first whose p95 exceeds 10 s are not run; the largest count under it
  is the number of sessions one core serves.
* **targets** — the dashboards' speed targets, on a server with default
  settings and no pinning (as a person runs it): landing → interactive with
  no preheated kernel (``--read-only --pool-size 0``, cold) and with one
  (preheated); switching region in the regional workbench; saving an edit
  (an agency, from clicking Save to the "Saved" message).
"""

from __future__ import annotations

import asyncio
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.support import procs
from workbench.errors import ChromiumMissing

from . import Settings, checkout, progress
from .report import Section, fmt_s, not_measured
from .speed import DASHBOARD_TARGETS

#: Seconds a session may take before it counts as an error.
SESSION_TIMEOUT_S = 120
#: The p95 time to interactive that the largest supported count must stay under.
P95_LIMIT_S = 10.0
#: The largest pool ``workbench serve --pool-size`` accepts.
MAX_POOL = 8
#: Seconds to wait for the pools to fill and the server to fall idle, before and after a burst.
SETTLE_TIMEOUT_S = 240
#: The server counts as idle when its processes use less than this share of a core over a second.
IDLE_SHARE = 0.05
REGIONS = ("be-hainaut", "bg-plovdiv", "de-leipzig", "ee-harju", "es-valencia", "fr-nord", "gr-attica", "ro-cluj")
READY = ".wb-app.wb-ready .wb-side svg.wb-radar"
MAP_READY = "body[data-wb-ready='1']"
#: The working groups and the conference of issue 15, for the arithmetic under the table.
GROUPS, GROUP_SIZE = 7, 15


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


def split_cores() -> tuple[set[int], set[int]] | None:
    """The core for the server and its kernels, and the cores for the browsers; ``None`` on one core."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    return {cores[0]}, set(cores[1:])


@contextmanager
def _on_cores(cores: set[int] | None) -> Iterator[None]:
    """Run this thread, and every process it starts (Playwright's driver and Chromium), on ``cores``."""
    before = os.sched_getaffinity(0)
    if cores:
        os.sched_setaffinity(0, cores)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


async def _settle(server: Any, pool: int, timeout: float = SETTLE_TIMEOUT_S) -> bool:
    """Wait until every dashboard has ``pool`` preheated kernels waiting and the server is idle.

    False when it gave up after ``timeout`` seconds.
    """
    from tests.support.voila_server import DASHBOARDS

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(server.filled(name) - server.uses[name] >= pool for name in DASHBOARDS):
            break
        await asyncio.sleep(0.5)
    else:
        return False
    before = procs.tree_cpu_seconds(server.proc.pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        now = procs.tree_cpu_seconds(server.proc.pid)
        if now - before < IDLE_SHARE:
            return True
        before = now
    return False


def _client_cpu(server_pid: int) -> float:
    """CPU seconds of this process and everything it started (Chromium), less the server's."""
    return procs.tree_cpu_seconds(os.getpid()) - procs.tree_cpu_seconds(server_pid)


async def _sessions(server: Any, n: int, pool: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from workbench.roadmap.render import CHROMIUM_ARGS, chromium_path

    pid = server.proc.pid
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
            settled_before = await _settle(server, pool)
            load = os.getloadavg()[0]
            cpu0, client0, mem0 = procs.tree_cpu_seconds(pid), _client_cpu(pid), procs.tree_pss_mb(pid)
            # The page's CPU: the server's and that of the kernels already there (the sessions take them); the
            # kernels started to refill the pool during the burst count only in the CPU with refill.
            old = procs.tree(pid)
            page0 = sum(procs.cpu_seconds(k) for k in old)

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

            t0 = time.perf_counter()
            results = await asyncio.gather(*(visit(k) for k in range(n)))
            wall = time.perf_counter() - t0
            page1, client1 = sum(procs.cpu_seconds(k) for k in old), _client_cpu(pid)
            kernels = procs.kernels(pid)
            where = {"server": procs.cores(pid), "kernels": sorted({procs.cores(k) for k in kernels}),
                     "browser": sorted({procs.cores(c) for c in procs.descendants(os.getpid())
                                        if "chrom" in procs.cmdline(c).lower()})}
            server.uses["workshop"] += n  # each session took a kernel that had said it was ready
            settled_after = await _settle(server, pool)
            cpu2, mem2 = procs.tree_cpu_seconds(pid), procs.tree_pss_mb(pid)
            for c in contexts:
                await c.close()
        finally:
            await browser.close()
    times = [t for t, err in results if err is None]
    return {"n": n, "pool": pool, "times": times, "errors": [err for _, err in results if err], "js errors": js_errors,
            "wall s": wall, "load": load, "settled": settled_before and settled_after, "where": where,
            "server cpu burst s": page1 - page0, "server cpu with refill s": cpu2 - cpu0,
            "browser cpu burst s": client1 - client0, "memory before mb": mem0, "memory added mb": mem2 - mem0}


def sessions(data: Path, tmp: Path, counts: tuple[int, ...], fresh: bool = True) -> list[dict[str, Any]]:
    """Each count of simultaneous sessions, the server pinned apart from the browsers.

    With ``fresh``, a new server for each count, its pool sized for that count;
    else one server for every count, its pool sized for the largest.
    """
    from tests.support.voila_server import Server

    split = split_cores()
    server_cores, browser_cores = split if split else (None, None)
    levels: list[dict[str, Any]] = []
    server = None
    try:
        with _on_cores(browser_cores):
            for n in counts:
                over = next((lv for lv in levels if "skipped" not in lv and (
                    lv["errors"] or not lv["times"] or p95(lv["times"]) > P95_LIMIT_S)), None)
                if over is not None:
                    levels.append({"n": n, "skipped": f"not run: {over['n']} sessions were already over "
                                                      f"{P95_LIMIT_S:g} s p95 (or failed)"})
                    continue
                pool = min(n if fresh else max(counts), MAX_POOL)
                if server is None or fresh:
                    if server is not None:
                        server.stop()
                    progress("load", f"a server with a pool of {pool} kernels per dashboard")
                    server = Server(data, tmp / f"serve-{n}.log", "--pool-size", str(pool), cores=server_cores)
                    server.wait_up()
                progress("load", f"{n} simultaneous session(s)")
                levels.append(asyncio.run(_sessions(server, n, pool)))
    finally:
        if server is not None:
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


def _per_session(lv: dict[str, Any]) -> dict[str, float]:
    """The level's figures per session, and the shares of a core busy during the burst."""
    n, wall = lv["n"], max(lv["wall s"], 1e-9)
    return {"cpu page": lv["server cpu burst s"] / n, "cpu kernel": lv["server cpu with refill s"] / n,
            "mib": lv["memory added mb"] / n, "browser cpu": lv["browser cpu burst s"] / n,
            "server busy": lv["server cpu burst s"] / wall,
            "browser busy": lv["browser cpu burst s"] / wall}


def arithmetic(levels: list[dict[str, Any]], best: int) -> list[str]:
    """Markdown: what seven working groups of 15 (and 200 reviewers) would need, from the measured figures.

    The figures per session are those of the largest count measured without
    error (else of the first measured). Sessions per core: the largest count
    that stayed under the limit when the server used most of its core during
    that burst (it was then the limit); else, since the server's core was not
    what held the pages back (other work on the machine, or the browsers),
    the limit divided by the CPU seconds of a page.
    """
    measured = [lv for lv in levels if "skipped" not in lv and lv["times"]]
    if not measured:
        return []
    clean = [lv for lv in measured if not lv["errors"]]
    lv = clean[-1] if clean else measured[0]
    f = _per_session(lv)
    at_best = next((x for x in measured if x["n"] == best), None)
    by_cpu = math.floor(P95_LIMIT_S / f["cpu page"]) if f["cpu page"] > 0 else 0
    server_bound = at_best is not None and _per_session(at_best)["server busy"] >= 0.8
    per_core = best if server_bound else by_cpu
    editors = GROUPS * GROUP_SIZE
    lines = [f"Per session, at {lv['n']} simultaneous session(s): {f['cpu page']:.2f} CPU seconds of the server "
             f"for the page, {f['cpu kernel']:.2f} with the start of the kernel that replaces the one it took, and "
             f"{f['mib']:,.0f} MiB; the server with its idle pool of {lv['pool']} kernel(s) per dashboard holds "
             f"{lv['memory before mb']:,.0f} MiB. Sessions per core: {best or 'none'} measured under "
             f"{P95_LIMIT_S:g} s p95, {by_cpu} by CPU ({P95_LIMIT_S:g} s of a core over the page's CPU seconds). "
             + (f"The server used most of its core in that burst, so the arithmetic below takes the measured {best}."
                if server_bound else
                f"The server used {_per_session(at_best or lv)['server busy']:.0%} of its core during the burst of "
                f"{(at_best or lv)['n']} (Chromium {_per_session(at_best or lv)['browser busy']:.0%} of its cores, "
                f"{_per_session(at_best or lv)['browser cpu']:.1f} CPU seconds a page): the server's core was not what "
                "held "
                "the pages back (other work on this shared machine, or the browsers), so the arithmetic below "
                f"takes {by_cpu}, the core's CPU alone."),
             ""]
    if per_core:
        lines += [
            f"- **{GROUPS} working groups of {GROUP_SIZE}** ({editors} editors on `workbench serve`): one group "
            f"opening the workbench at the same moment needs {math.ceil(GROUP_SIZE / per_core)} core(s) for the "
            f"server to keep p95 under {P95_LIMIT_S:g} s with a pool sized for it, all {GROUPS} groups at the "
            f"same moment {math.ceil(editors / per_core)}; in a steady stream one core opens "
            f"{60 / f['cpu kernel']:.0f} sessions a minute (kernel start included), and the {editors} sessions "
            f"cost {editors * f['cpu kernel']:,.0f} CPU seconds in all. They hold "
            f"{editors * f['mib'] / 1024:.1f} GiB while open ({GROUP_SIZE * f['mib'] / 1024:.1f} GiB a group), "
            "plus each server with its idle pool (above). Under JupyterHub each editor also has a single-user "
            "Jupyter server of their own (not measured here) beside the session's kernel.",
            f"- **A conference of 200 reviewers** on `workbench serve --read-only` would need "
            f"{math.ceil(200 / per_core)} cores to open 200 pages at the same moment, "
            f"{200 * f['cpu kernel']:,.0f} CPU seconds and {200 * f['mib'] / 1024:.1f} GiB; the published static "
            "site serves them instead (figures and arithmetic in [capacity.md](capacity.md)).",
            "",
        ]
    return lines


def run(settings: Settings, shared: dict[str, Any]) -> Section:
    checkout()
    missing = shared.get("dashboards_missing", serve_missing())
    section = Section("load", "Load", ["simultaneous sessions", "kernel pool per dashboard", "p50 to interactive",
                                       "p95 to interactive", "errors",
                                       "server CPU per session: page / with its kernel's start",
                                       "Chromium CPU per session", "memory per session (PSS)",
                                       "server with its idle pool (PSS)",
                                       "cores busy in the burst: server / browsers", "load average (1 min)"])
    if missing:
        shared["dashboards_missing"] = missing
        section.rows = [[str(n), *["—"] * 9, f"not measured: {missing}"] for n in settings.sessions]
        section.checks = [not_measured("simultaneous dashboard sessions", f"p95 < {P95_LIMIT_S:g} s", missing)]
        return section
    from tests.support.voila_server import data_copy
    with tempfile.TemporaryDirectory(prefix="wb-proof-load-") as tmp:
        data = data_copy(Path(tmp))
        # The full run: a fresh server for each count and for the targets; the reduced one: one server for
        # every count, and one for the targets.
        levels = sessions(data, Path(tmp), settings.sessions, fresh=settings.full)
        shared["dashboards"] = targets(data, Path(tmp), cold=settings.full, repeat=3 if settings.full else 1)
    best = 0
    errors = 0
    for lv in levels:
        if "skipped" in lv:
            section.rows.append([str(lv["n"]), *["—"] * 9, lv["skipped"]])
            continue
        errors += len(lv["errors"])
        t = lv["times"]
        ok = not lv["errors"] and t and p95(t) <= P95_LIMIT_S
        if ok:
            best = max(best, lv["n"])
        f = _per_session(lv)
        section.rows.append([str(lv["n"]), str(lv["pool"]), fmt_s(statistics.median(t)) if t else "—",
                             fmt_s(p95(t)) if t else "—",
                             str(len(lv["errors"])) + (f" (+{len(lv['js errors'])} JS)" if lv["js errors"] else ""),
                             f"{f['cpu page']:.2f} s / {f['cpu kernel']:.2f} s", f"{f['browser cpu']:.2f} s",
                             f"{f['mib']:,.0f} MiB",
                             f"{lv['memory before mb']:,.0f} MiB", f"{f['server busy']:.0%} / {f['browser busy']:.0%}",
                             f"{lv['load']:.1f}" + ("" if lv["settled"] else " (not settled: pool or server)")])
    split = split_cores()
    where = {key: sorted({c for lv in levels if "where" in lv
                          for c in ([lv["where"][key]] if key == "server" else lv["where"][key])})
             for key in ("server", "kernels", "browser")}
    section.more = [f"Largest count that stays under {P95_LIMIT_S:g} s p95 with no error, with the server and its "
                    f"kernels on one core: **{best or 'none'}** "
                    f"(of {', '.join(map(str, settings.sessions))}); {errors} session(s) failed or timed out in all.",
                    "", *arithmetic(levels, best)]
    section.notes = [
        f"Each session: a browser context that has the landing page open goes to the regional workbench of one "
        f"example region (round robin over {len(REGIONS)}) and is timed until the app is ready, the radar drawn "
        f"and the network map drawn; bounded at {SESSION_TIMEOUT_S} s. "
        + ("A fresh `workbench serve` per count in the full run, its pool sized for the burst "
           f"(`--pool-size` = the count, at most {MAX_POOL}), one server for every count in the reduced run. "
           if settings.full else f"One `workbench serve` for every count (the reduced run), its pool sized for the "
           f"largest (`--pool-size {min(max(settings.sessions), MAX_POOL)}`). ")
        + "Each burst starts once every dashboard's pool is full and the server idle (under "
        f"{IDLE_SHARE:.0%} of a core over a second); beyond the pool, a visitor gets the kernel started to refill "
        "it (2 s after it was emptied) and waits for its start.",
        ("Where it ran, read from `/proc` (`Cpus_allowed_list`) during each burst: the server on core(s) "
         f"{', '.join(where['server']) or '?'}, its kernels on {', '.join(where['kernels']) or '?'}, Chromium "
         f"(and the proof driving it) on {', '.join(where['browser']) or '?'}; pinned with `sched_setaffinity`, "
         "the kernels inheriting the server's." if split else
         "This machine has one core: the server and Chromium share it (not pinned)."),
        "Server CPU: user and system seconds of the server and every kernel (those ended included), from "
        "`/proc/<pid>/stat`; \"page\" from the start of the burst to the last page interactive, of the server "
        "and of the kernels already there when it began (not those started to refill the pool), \"with its "
        "kernel's start\" until the pool is refilled and the server idle again (a session's cost in a steady "
        "stream: its page and the preheating of the kernel that replaces the one it took), both divided by the "
        "count. Memory per session: the proportional set size (`smaps_rollup`) of the server and its kernels "
        "once the pool is refilled, less that before the burst, divided by the count. Cores busy: CPU seconds "
        "of the server (or of Chromium and the proof) during the burst over its wall time; near 100 % for the "
        "browsers means they, not the server, set the pace (each visitor has a browser of their own; here all "
        "share the browsers' cores). Chromium CPU per session: that of Chromium and the proof during the burst, "
        "divided by the count.",
    ]
    section.notes.append("The static site under 200 concurrent clients (`benchmarks/bench_site.py`), earlier runs of "
                         "this measurement with their load averages, and the arithmetic worked through: "
                         "[capacity.md](capacity.md).")
    for lv in levels:
        section.notes += [f"Error at {lv['n']} sessions — {e}" for e in lv.get("errors", [])[:3]]
    return section
