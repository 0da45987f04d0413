"""The Voilà dashboards, end to end: a real ``workbench serve`` and Debian's Chromium.

Two servers run for the whole module on copies of the example regions plus a
region whose every text carries a script payload: one as a working group
uses it (a preheated kernel per dashboard), one ``--read-only`` without
preheated kernels (which also gives the cold-start time). Every page load
records the requests it made; any request that leaves 127.0.0.1 is blocked
and fails the test.

Speed targets (from the issue) are measured in Chromium, printed at the end
of the module and written to ``build/dashboard-timings.json``; the
assertions allow :data:`SLACK` times the target, because CI machines have
two cores shared with the kernels being timed. Screenshots go to
``docs/screenshots/tmp/`` for review.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from workbench.data import load_region
from workbench.maturity import assess_region
from workbench.maturity.scoring import CHARACTERISTICS, indicators_of
from workbench.taxonomy import rubric

from .conftest import ROOT
from .support.browser import CHROMIUM_ARGS, launch, require_chromium
from .support.dashboards import (
    TIMEOUT_MS,
    forget_messages,
    map_ready,
    message,
    open_dashboard,
    region_label,
    section,
    url_of,
)
from .support.voila_server import PAYLOADS, Server, data_copy

#: The issue's targets, in seconds.
TARGETS = {"landing_to_dashboard_cold": 5.0, "landing_to_dashboard_preheated": 2.5, "switch_region": 1.0,
           "save_edit": 0.5}
#: Assertions fail only beyond this multiple of a target (noise on a shared two-core machine).
SLACK = 2.0
SHOTS = ROOT / "docs" / "screenshots" / "tmp"
SESSIONS = 20
LOAD_TIMEOUT_MS = 180_000

pytestmark = pytest.mark.timeout(900)


@dataclass
class Report:
    """Timings and memory figures gathered by the tests, printed at the end."""

    times: dict[str, list[float]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, key: str, seconds: float) -> None:
        self.times.setdefault(key, []).append(round(seconds, 3))

    def median(self, key: str) -> float:
        return statistics.median(self.times[key])


REPORT = Report()


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[Report]:
    REPORT.facts["load_average_before"] = [round(x, 1) for x in os.getloadavg()]
    yield REPORT
    REPORT.facts["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    if not REPORT.times and len(REPORT.facts) <= 2:
        return
    out = ROOT / "build" / "dashboard-timings.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"targets": TARGETS, "times": REPORT.times, "facts": REPORT.facts}, indent=1))
    tr = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if tr is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        tr.write_line("")
        tr.write_line("dashboard timings (s), measured in Chromium; target in brackets:")
        for key, values in REPORT.times.items():
            target = f" [< {TARGETS[key]}]" if key in TARGETS else ""
            tr.write_line(f"  {key}: median {statistics.median(values):.2f}{target}  all {values}")
        for key, value in REPORT.facts.items():
            tr.write_line(f"  {key}: {value}")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return data_copy(tmp_path_factory.mktemp("dashboards"))


@pytest.fixture(scope="module")
def server(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    s = Server(data, tmp_path_factory.mktemp("log") / "serve.log")
    try:
        s.wait_up()
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def ro_server(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    s = Server(data, tmp_path_factory.mktemp("log-ro") / "serve.log", "--read-only", "--pool-size", "0")
    try:
        s.wait_up()
        yield s
    finally:
        s.stop()


# --- helpers -----------------------------------------------------------------------------

@contextmanager
def browser(width: int = 1440, height: int = 1000) -> Iterator[Any]:
    """A fresh Chromium page; on the way out it leaves the dashboard as a closing tab does.

    Leaving runs the page's ``beforeunload``, where Voilà asks the server to
    shut the page's kernel down (closing a Playwright context does not).
    """
    with launch(viewport={"width": width, "height": height}) as page:
        yield page
        page.unroute("**/*")  # an intercepted request would not outlive the page it leaves
        page.goto("about:blank")
        page.wait_for_timeout(300)


def assert_target(key: str) -> None:
    """The median of ``key`` is within SLACK × its target, unless another job is hogging the machine.

    A load average above twice the number of cores means something besides
    this test (and its own server and browser) is using the CPU: the figure
    is reported, and a warning is raised instead of a failure.
    """
    median, limit = REPORT.median(key), TARGETS[key] * SLACK
    if median < limit:
        return
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    message = f"{key}: median {median:.2f} s is over {limit:.2f} s ({SLACK} × the {TARGETS[key]} s target)"
    if load > 2 * cores:
        warnings.warn(f"{message}, measured on a busy machine (load {load:.1f} on {cores} cores)", stacklevel=2)
        return
    raise AssertionError(message)


class Watch:
    """Dialogs shown and requests that tried to leave 127.0.0.1 (those are blocked)."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.external: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
                r.continue_()
            else:
                self.external.append(url)
                r.abort()

        page.route("**/*", route)

    def check(self, page: Any) -> None:
        assert self.dialogs == []
        assert self.external == [], self.external
        assert page.errors == []


def shot(page: Any, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def http(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


# --- serving -------------------------------------------------------------------------------

def test_only_dashboards_are_served_and_sources_are_stripped(server: Server):
    status, landing = http(server.url + "/")
    assert status == 200
    for name in ("workshop", "roadmap", "conference"):
        assert f"/voila/render/{name}.ipynb" in landing
    assert "xx-payload" in landing  # every region folder is offered
    status, listing = http(server.url + "/voila/api/contents")
    names = sorted(x["name"] for x in json.loads(listing)["content"])
    assert names == ["conference.ipynb", "roadmap.ipynb", "workshop.ipynb"]
    for path in ("/voila/files/workshop.ipynb", "/voila/files/../data/partners/be-hainaut/agencies.csv",
                 "/voila/files/workshop.png", "/voila/render/../data/partners"):
        assert http(server.url + path)[0] in (403, 404), path
    server.visiting("conference")
    status, page = http(url_of(server, "conference"))
    assert status == 200
    assert "wait_for_request" not in page and "conference.prepare" not in page  # sources stripped
    assert "fontawesome" not in page and "mermaid" not in page.lower() and "cdnjs" not in page


def test_landing_page_lists_the_dashboards_in_both_languages(server: Server):
    with browser(1360, 900) as page:
        watch = Watch(page)
        page.goto(server.url + "/")
        expect(page.locator(".wb-card")).to_have_count(3)
        assert "Regional workbench" in page.locator(".wb-card-workshop h2").inner_text()
        shot(page, "landing", full=True)
        page.click("text=Français")
        assert "Atelier régional" in page.locator(".wb-card-workshop h2").inner_text()
        assert "lang=fr" in page.locator(".wb-card-roadmap .wb-region-links a").first.get_attribute("href")
        watch.check(page)


# --- the regional workbench ------------------------------------------------------------------

def test_workshop_opens_from_the_landing_page_and_switches_region(server: Server):
    with browser(1440, 900) as page:
        watch = Watch(page)
        for visit in range(3):
            server.wait_pool("workshop")
            page.goto(server.url + "/")
            server.visiting("workshop")
            t0 = time.perf_counter()
            page.locator(".wb-card-workshop .wb-region-links a", has_text="Hainaut").click()
            page.wait_for_selector(".wb-app.wb-ready", timeout=TIMEOUT_MS)
            REPORT.add("landing_to_dashboard_preheated" if visit else "landing_to_dashboard_preheated_first_visit",
                       time.perf_counter() - t0)
        expect(page.locator(".wb-body.wb-region-be-hainaut")).to_have_count(1)
        # Hainaut's documents are in French, so the page opens in French.
        assert "Atelier régional" in page.locator(".wb-title").inner_text()
        map_ready(page)
        shot(page, "workshop-map-fr")
        for region in ("de-leipzig", "es-valencia", "gr-attica", "be-hainaut"):
            t0 = time.perf_counter()
            page.select_option(".wb-region-pick select", value=None, label=region_label(server, region))
            page.wait_for_selector(f".wb-body.wb-region-{region} .wb-side svg.wb-radar", timeout=TIMEOUT_MS)
            REPORT.add("switch_region", time.perf_counter() - t0)
            t1 = time.perf_counter()
            map_ready(page)
            REPORT.add("switch_region_map_drawn", time.perf_counter() - t1 + REPORT.times["switch_region"][-1])
        # The language chosen on the switch stays when the region changes (Leipzig alone would open in German).
        page.locator(".wb-lang button", has_text="English").click()
        page.locator(".wb-sections button", has_text="Partner map").wait_for()
        assert "Regional workbench" in page.locator(".wb-title").inner_text()
        page.select_option(".wb-region-pick select", label=region_label(server, "de-leipzig"))
        page.wait_for_selector(".wb-body.wb-region-de-leipzig")
        assert "Regional workbench" in page.locator(".wb-title").inner_text()  # the chosen language stays
        map_ready(page)
        shot(page, "workshop-map")
        watch.check(page)
    assert_target("switch_region")
    assert_target("landing_to_dashboard_preheated")


def test_add_an_agency_and_a_tie_save_reload_find_them_and_undo(server: Server):
    region = "fr-nord"
    with browser(1440, 1000) as page:
        watch = Watch(page)
        open_dashboard(page, server, "workshop", region=region, lang="en")
        page.fill(".wb-role input", "test-coordinator")
        section(page, "Agencies")
        # Checks as you type: a bad id is refused before anything is saved.
        page.fill(".wb-agency-name input", "Maison des femmes de Roubaix")
        expect(page.locator(".wb-agency-id input")).to_have_value("maison-des-femmes-de-roubaix")  # suggested
        page.fill(".wb-agency-id input", "Maison Femmes!")
        page.locator(".wb-checks .wb-check-error", has_text="is not a valid id").wait_for()
        expect(page.locator("button.wb-agency-save")).to_be_disabled()
        page.fill(".wb-agency-notes textarea", "call 03 20 12 34 56 78")
        page.locator(".wb-checks .wb-check-warn", has_text="phone number").wait_for()
        shot(page, "workshop-agency-checks")
        page.fill(".wb-agency-id input", "maison-femmes-roubaix")
        page.fill(".wb-agency-notes textarea", "Opened in 2024.")
        page.select_option(".wb-agency-type select", label="Victim support")
        expect(page.locator(".wb-checks .wb-check-error")).to_have_count(0)
        forget_messages(page)
        t0 = time.perf_counter()
        page.click("button.wb-agency-save")
        message(page, "Saved: Maison des femmes de Roubaix")
        REPORT.add("save_edit", time.perf_counter() - t0)
        for area in ("Roubaix", "Roubaix-Tourcoing"):  # two more edits of the same agency, timed
            page.fill(".wb-agency-area input", area)
            page.wait_for_timeout(150)
            forget_messages(page)
            t0 = time.perf_counter()
            page.click("button.wb-agency-save")
            message(page, "Saved: Maison des femmes de Roubaix")
            REPORT.add("save_edit", time.perf_counter() - t0)
        assert "Roubaix-Tourcoing" in (server.data / region / "agencies.csv").read_text()
        section(page, "Ties")
        page.select_option(".wb-tie-source select", label="Maison des femmes de Roubaix (maison-femmes-roubaix)")
        target = page.locator(".wb-tie-target select option").nth(3).inner_text()
        page.select_option(".wb-tie-target select", label=target)
        page.select_option(".wb-tie-type select", label="Referral")
        page.fill(".wb-tie-since input", "2024-13")
        page.locator(".wb-checks .wb-check-error", has_text="not a year").wait_for()
        page.fill(".wb-tie-since input", "2024-09")
        expect(page.locator(".wb-checks .wb-check-error")).to_have_count(0)
        forget_messages(page)
        t0 = time.perf_counter()
        page.click("button.wb-tie-save")
        message(page, "Saved the tie Maison des femmes de Roubaix")
        REPORT.add("save_edit", time.perf_counter() - t0)
        shot(page, "workshop-tie-saved")
        # The files hold both, and the log says who did it.
        folder = server.data / region
        assert "maison-femmes-roubaix,Maison des femmes de Roubaix" in (folder / "agencies.csv").read_text()
        assert "maison-femmes-roubaix," in (folder / "relationships.csv").read_text()
        log = [json.loads(x) for x in (folder / "changes.jsonl").read_text().splitlines()]
        assert [x["editor"] for x in log[-2:]] == ["test-coordinator", "test-coordinator"]
        # Reload: both are there.
        open_dashboard(page, server, "workshop", region=region, lang="en")
        section(page, "Agencies")
        expect(page.locator(".wb-table-box td", has_text="Maison des femmes de Roubaix")).to_have_count(1)
        section(page, "Ties")
        expect(page.locator(".wb-tie-pick option", has_text="Maison des femmes de Roubaix →")).to_have_count(1)
        # Undo the tie. After the reload the page's role is the default one, so the tie is somebody
        # else's change: the first click says whose it is and asks, the second undoes it.
        page.click("button.wb-undo")
        page.locator(".wb-messages .wb-msg-warn", has_text="by test-coordinator, not by you").first.wait_for()
        expect(page.locator(".wb-messages .wb-msg-warn").first).to_contain_text("Added: Maison des femmes de Roubaix →")
        assert "maison-femmes-roubaix," in (folder / "relationships.csv").read_text()  # nothing undone yet
        expect(page.locator("button.wb-undo")).to_have_text("Undo anyway")
        shot(page, "workshop-undo-asks")
        page.click("button.wb-undo")
        message(page, "Undone: Added: Maison des femmes de Roubaix →")
        expect(page.locator("button.wb-undo")).to_have_text("Undo last change")
        expect(page.locator(".wb-tie-pick option", has_text="Maison des femmes de Roubaix →")).to_have_count(0)
        assert "maison-femmes-roubaix," not in (folder / "relationships.csv").read_text()
        section(page, "Changes")
        page.locator(".wb-history td", has_text="Removed: Maison des femmes de Roubaix →").wait_for()
        page.locator(".wb-history td", has_text="(undo of change #").wait_for()
        watch.check(page)
    assert_target("save_edit")


def _flipping_answer(folder: Path) -> tuple[str, str, str, str, str]:
    """A rater, an indicator, an answer (word, English label) that move a maturity level, and the current label."""
    from dataclasses import replace

    from workbench.data import Answer

    region = load_region(folder)
    rnd = region.rounds[-1]
    before = {c: v["level"] for c, v in assess_region(region).items()}
    raters = sorted({a.rater for a in region.assessment if a.round == rnd and a.rater})
    for rater in raters:
        for c in CHARACTERISTICS:
            for ind in indicators_of(c):
                spec = rubric().indicators[ind]
                for word, label in zip(spec["answers"], rubric().answer_labels(ind), strict=True):
                    current = next((a for a in region.assessment if a.key == (rnd, ind, rater)), None)
                    if current is None:
                        continue
                    others = tuple(a for a in region.assessment if a.key != (rnd, ind, rater))
                    changed = replace(region, assessment=(*others, Answer(rnd, ind, word, rater)))
                    if {c2: v["level"] for c2, v in assess_region(changed).items()} != before:
                        from workbench.dashboards.workshop import _answer_word

                        was = rubric().answer_labels(ind)[spec["answers"].index(_answer_word(ind, current.answer))] \
                            if _answer_word(ind, current.answer) in spec["answers"] else "Not applicable"
                        return rater, ind, word, label, was
    raise AssertionError("no single answer moves a level")


#: Types each (selector, text) letter by letter as input events, then clicks the button, in one task.
TYPE_THEN_CLICK = """([role, name, button]) => {
  for (const [selector, text] of [role, name]) {
    const input = document.querySelector(selector);
    for (let k = 1; k <= text.length; k++) {
      input.value = text.slice(0, k);
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
  }
  document.querySelector(button).click();
}"""


def test_a_save_clicked_the_moment_typing_ends_saves_every_letter(server: Server):
    """ipywidgets sends a click at once but holds a field's newer text back while its last update is
    unanswered (jupyter-widgets/ipywidgets#1382): typed fast and saved at once, the name and the role
    reached the kernel after the click, and the save took the text of a moment earlier (issue 13). The
    form's buttons send what the page's fields hold back before the click."""
    region = "es-valencia"
    name = "Unitat de Valoració Forense Integral de València, seu de la Ciutat de la Justícia"
    role = "coordinadora-de-la-xarxa-valenciana"
    with browser() as page:
        open_dashboard(page, server, "workshop", region=region, lang="en")
        section(page, "Agencies")
        page.select_option(".wb-agency-pick select", index=2)
        expect(page.locator(".wb-agency-id input")).not_to_have_value("")
        agency = page.locator(".wb-agency-id input").input_value()
        forget_messages(page)
        # Letter by letter, then the click, in one go in the page: faster than any kernel answers, so every
        # letter after the first of each field is still held back when the click leaves.
        page.evaluate(TYPE_THEN_CLICK, [[".wb-role input", role], [".wb-agency-name input", name],
                                        "button.wb-agency-save"])
        message(page, f"Saved: {name}")
    saved = {a.id: a.name for a in load_region(server.data / region).agencies}
    assert saved[agency] == name
    last = json.loads((server.data / region / "changes.jsonl").read_text().splitlines()[-1])
    assert last["editor"] == role, last


def test_answering_an_indicator_redraws_the_radar(server: Server):
    region = "ro-cluj"
    rater, indicator, _word, label, was = _flipping_answer(server.data / region)
    group = indicator.split(".")[0]
    with browser(1440, 1100) as page:
        watch = Watch(page)
        open_dashboard(page, server, "workshop", region=region, lang="en")
        section(page, "Self-assessment")
        radar = page.locator(".wb-side .wb-radar-box")
        before = radar.inner_html()
        page.locator(".wb-char-pick button", has_text=group).click()
        page.locator(".wb-char-pick button.mod-active", has_text=group).wait_for()
        page.fill(".wb-rater input", rater)
        page.press(".wb-rater input", "Enter")
        row = page.locator(f".wb-answer-{indicator.replace('.', '-')}")
        # The rater's own answers are filled in once the questionnaire knows who answers.
        row.locator("button.mod-active").filter(has_text=was).first.wait_for()
        choice = row.locator("button").filter(has_text=label).first
        choice.click()
        expect(choice).to_have_class(re.compile("mod-active"))
        page.wait_for_timeout(200)
        forget_messages(page)
        t0 = time.perf_counter()
        page.click("button.wb-answers-save")
        message(page, "Levels changed")
        REPORT.add("save_answers", time.perf_counter() - t0)
        page.wait_for_function("b => document.querySelector('.wb-side .wb-radar-box').innerHTML !== b", arg=before)
        assert radar.inner_html() != before
        page.locator(".wb-sections").scroll_into_view_if_needed()
        page.evaluate("() => document.querySelector('.wb-header').scrollIntoView()")
        shot(page, "workshop-assessment")
        text = (server.data / region / "assessment.csv").read_text()
        assert f",{indicator},{rater},{_word}," in text
        watch.check(page)


# --- the roadmap --------------------------------------------------------------------------------

def test_roadmap_edit_an_action_and_download_the_pdf(server: Server):
    region = "es-valencia"
    with browser(1440, 1000) as page:
        watch = Watch(page)
        open_dashboard(page, server, "roadmap", region=region, lang="en")
        page.locator(".wb-plan-table").wait_for()
        shot(page, "roadmap")
        proposal = page.locator(".wb-action-pick option", has_text="workbench suggestion").first.inner_text()
        page.select_option(".wb-action-pick select", label=proposal)
        page.locator(".wb-help", has_text="A proposal of the workbench").wait_for()  # the form is filled in
        page.select_option(".wb-action-status select", label="In progress")
        page.select_option(".wb-action-horizon select", label="Short term (≤ 1 year)")
        page.fill(".wb-action-indicator textarea", "Share of referrals answered within a week")
        forget_messages(page)
        t0 = time.perf_counter()
        page.click("button.wb-action-save")
        message(page, "Saved:")
        REPORT.add("save_action", time.perf_counter() - t0)
        row = next(x for x in (server.data / region / "actions.csv").read_text().splitlines()
                   if "Share of referrals answered within a week" in x)
        assert ",short,,,in_progress,Share of referrals answered within a week," in row
        expect(page.locator(".wb-plan-table td", has_text="Share of referrals answered within a week")).to_have_count(1)
        t0 = time.perf_counter()
        page.click("button.wb-prepare-docs")
        page.locator("a.wb-download-pdf").wait_for(timeout=240_000)
        REPORT.add("prepare_documents", time.perf_counter() - t0)
        for ext in ("html", "docx"):
            expect(page.locator(f"a.wb-download-{ext}")).to_have_count(1)
        with page.expect_download() as dl:
            page.click("a.wb-download-pdf")
        path = dl.value.path()
        assert dl.value.suggested_filename == f"roadmap-{region}.pdf"
        assert Path(path).read_bytes()[:5] == b"%PDF-"
        shot(page, "roadmap-downloads")
        t0 = time.perf_counter()
        page.select_option(".wb-region-pick select", label=region_label(server, "ee-harju"))
        page.locator(".wb-body.wb-region-ee-harju .wb-plan-table").wait_for()
        REPORT.add("switch_region_roadmap", time.perf_counter() - t0)
        expect(page.locator("a.wb-download-pdf")).to_have_count(0)  # documents belong to one region
        watch.check(page)


# --- the conference ------------------------------------------------------------------------------

def test_conference_compares_every_region_and_filters_by_country(server: Server):
    with browser(1440, 1000) as page:
        watch = Watch(page)
        open_dashboard(page, server, "conference", lang="en")
        rows = page.locator(".wb-compare table.heatmap tbody tr:not(.ref)")
        n = rows.count()
        assert n == len([p for p in server.data.iterdir() if (p / "region.toml").exists()])
        for title in ("Maturity levels side by side", "Network figures, normalised for size",
                      "Gaps most regions share"):
            expect(page.locator(".wb-compare h2", has_text=title)).to_have_count(1)
        shot(page, "conference")
        page.locator(".wb-country-gr input").uncheck()
        page.wait_for_function(f"() => document.querySelectorAll('.wb-compare table.heatmap tbody tr:not(.ref)')"
                               f".length === {n - 1}")
        expect(page.locator(".wb-compare", has_text="Αττική")).to_have_count(0)
        page.locator(".wb-lang button", has_text="Français").click()
        page.locator(".wb-compare h2", has_text="Niveaux de maturité côte à côte").wait_for()
        assert page.locator(".wb-country-gr input").is_checked() is False  # the filter stays
        watch.check(page)


# --- hostile data -----------------------------------------------------------------------------------

def test_script_payloads_stay_text_everywhere(server: Server):
    with browser(1440, 1000) as page:
        watch = Watch(page)
        open_dashboard(page, server, "workshop", region="xx-payload", lang="en")
        frame = map_ready(page)
        box = page.locator(".wb-map iframe").bounding_box()
        inner = frame.locator("#mynetwork").bounding_box()
        ids = page.frame(url="about:srcdoc") or next(f for f in page.frames if f != page.main_frame)
        nodes = ids.evaluate("() => nodes.getIds()")
        assert len(nodes) == 12
        for node in nodes:
            p = ids.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node)
            page.mouse.move(inner["x"] + p["x"], inner["y"] + p["y"], steps=2)
            page.wait_for_timeout(180)
        assert box is not None
        shot(page, "payload-map")
        for label in ("Agencies", "Ties", "Self-assessment", "Changes"):
            section(page, label)
            page.wait_for_timeout(300)
        section(page, "Agencies")
        page.select_option(".wb-agency-pick select", index=3)
        assert PAYLOADS[0] in page.locator(".wb-table-box").inner_text()  # shown as text
        shot(page, "payload-agencies")
        section(page, "Self-assessment")
        page.locator(".wb-char-pick button", has_text="C2").click()
        open_dashboard(page, server, "roadmap", region="xx-payload", lang="en")
        assert PAYLOADS[0] in page.locator(".wb-plan-table").inner_text()
        open_dashboard(page, server, "conference", lang="en")
        assert "Payload <script>" in page.locator(".wb-compare").inner_text()
        # A payload in the query string is refused, and shown as text.
        open_dashboard(page, server, "workshop", region="<img src=x onerror=alert(1)>", lang="en")
        assert "There is no region “<img src=x onerror=alert(1)>” here" in page.locator(".wb-banner").inner_text()
        assert page.evaluate("() => window.pwned") is None
        expect(page.locator("img[src=x], script:has-text('pwned')")).to_have_count(0)
        watch.check(page)


# --- read-only ------------------------------------------------------------------------------------------

def test_read_only_refuses_every_edit(ro_server: Server):
    folder = ro_server.data / "be-hainaut"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.suffix in (".csv", ".toml")}
    with browser(1440, 1000) as page:
        watch = Watch(page)
        t = open_dashboard(page, ro_server, "workshop", region="be-hainaut", lang="en")
        REPORT.add("landing_to_dashboard_cold_direct", t)
        page.locator(".wb-banner", has_text="Read-only").wait_for()
        expect(page.locator("button.wb-undo")).to_have_count(0)
        for label in ("Agencies", "Ties", "Self-assessment"):
            section(page, label)
            page.wait_for_timeout(300)
            expect(page.locator(".wb-buttons:visible")).to_have_count(0)
        expect(page.locator(".wb-answer button:not([disabled])")).to_have_count(0)
        section(page, "Agencies")
        page.select_option(".wb-agency-pick select", index=2)
        assert page.locator(".wb-agency-name input").is_disabled()
        shot(page, "read-only-workshop")
        open_dashboard(page, ro_server, "roadmap", region="be-hainaut", lang="en")
        assert page.locator(".wb-action-title input").is_disabled()
        # Even a page tampered with to click a hidden, disabled Save is refused by the kernel.
        page.evaluate("""() => { for (const b of document.querySelectorAll('.wb-buttons')) b.style.display = 'flex';
                                 const s = document.querySelector('button.wb-action-save');
                                 s.disabled = false; s.click(); }""")
        message(page, "this server is read-only", kind="error")
        watch.check(page)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.suffix in (".csv", ".toml")}
    assert after == before
    assert not (folder / "changes.jsonl").exists()


def test_cold_start_from_the_landing_page(ro_server: Server):
    with browser(1440, 900) as page:
        watch = Watch(page)
        for _ in range(3):
            page.goto(ro_server.url + "/")
            t0 = time.perf_counter()
            page.locator(".wb-card-workshop .wb-region-links a", has_text="Leipzig").click()
            page.wait_for_selector(".wb-app.wb-ready", timeout=TIMEOUT_MS)
            REPORT.add("landing_to_dashboard_cold", time.perf_counter() - t0)
            page.wait_for_timeout(1500)  # let the previous kernel shut down
        watch.check(page)
    assert_target("landing_to_dashboard_cold")


# --- load ------------------------------------------------------------------------------------------------

def _rss_mib(pids: list[int]) -> list[float]:
    import psutil

    out = []
    for pid in pids:
        try:
            out.append(psutil.Process(pid).memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            pass
    return out


def test_twenty_simultaneous_sessions_all_render(server: Server):
    """20 visitors open the regional workbench at once; every page must render its radar and its map.

    The 20 Chromium pages run on the same machine as the server and its
    kernels, so the times are an upper bound of what visitors on their own
    laptops would see.
    """
    from playwright.async_api import async_playwright

    regions = ["be-hainaut", "bg-plovdiv", "de-leipzig", "ee-harju", "es-valencia", "fr-nord", "gr-attica",
               "ro-cluj"]
    for name in ("workshop", "roadmap", "conference"):
        server.wait_pool(name)
    idle = _rss_mib(server.kernels())
    REPORT.facts["idle_preheated_kernel_rss_mib"] = round(statistics.mean(idle)) if idle else None
    before = len(server.kernels())

    async def run() -> tuple[list[tuple[float, float]], list[float], int]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=require_chromium(), headless=True, args=CHROMIUM_ARGS)
            try:
                contexts = [await browser.new_context(viewport={"width": 1280, "height": 800})
                            for _ in range(SESSIONS)]
                pages = [await c.new_page() for c in contexts]

                async def visit(k: int) -> tuple[float, float]:
                    page = pages[k]
                    t0 = time.perf_counter()
                    await page.goto(url_of(server, "workshop", region=regions[k % len(regions)]),
                                    timeout=LOAD_TIMEOUT_MS)
                    await page.wait_for_selector(".wb-app.wb-ready .wb-side svg.wb-radar", timeout=LOAD_TIMEOUT_MS)
                    ready = time.perf_counter() - t0
                    frame = page.frame_locator(".wb-map iframe")
                    await frame.locator("body[data-wb-ready='1']").wait_for(timeout=LOAD_TIMEOUT_MS)
                    return ready, time.perf_counter() - t0

                server.visiting("workshop")
                results = await asyncio.gather(*(visit(k) for k in range(SESSIONS)), return_exceptions=True)
                kernels = server.kernels()
                rss = _rss_mib(kernels)
                for k, r in enumerate(results):
                    if isinstance(r, BaseException):
                        await pages[k].screenshot(path=str(SHOTS / f"load-failed-{k}.png"))
                # Close the tabs as a browser does (beforeunload runs, Voilà asks for the kernel's shutdown).
                for page in pages:
                    await page.close(run_before_unload=True)
                for c in contexts:
                    await c.close()
                failed = [f"{k}: {r!r}"[:300] for k, r in enumerate(results) if isinstance(r, BaseException)]
                assert not failed, failed
                return [r for r in results if not isinstance(r, BaseException)], rss, len(kernels)
            finally:
                await browser.close()

    results, rss, n_kernels = asyncio.run(run())
    assert len(results) == SESSIONS
    for i, key in enumerate(("ready", "map_drawn")):
        values = [r[i] for r in results]
        REPORT.facts[f"sessions_{key}_p50_s"] = round(statistics.median(values), 1)
        REPORT.facts[f"sessions_{key}_p95_s"] = round(statistics.quantiles(values, n=20, method="inclusive")[18], 1)
    REPORT.facts["sessions"] = SESSIONS
    REPORT.facts["kernels_while_loaded"] = n_kernels
    REPORT.facts["kernel_rss_mib_mean"] = round(statistics.mean(rss)) if rss else None
    REPORT.facts["kernel_rss_mib_max"] = round(max(rss)) if rss else None
    REPORT.facts["kernels_rss_mib_total"] = round(sum(rss)) if rss else None
    assert n_kernels >= SESSIONS
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(server.kernels()) > before + 1:
        time.sleep(1)
    REPORT.facts["kernels_after_close"] = len(server.kernels())
    assert len(server.kernels()) <= before + 1  # + the refilled pool
