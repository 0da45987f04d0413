"""The partner survey in the workshop dashboard, in Chromium: download, fill, upload, merge, apply, the form."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from workbench.data import load_region

from .conftest import ROOT
from .support.browser import launch, require_chromium
from .support.dashboards import TIMEOUT_MS, forget_messages, message, open_dashboard, section
from .support.voila_server import Server
from .test_survey import fill, make_region
from .test_survey_dashboard import ANSWERS

SHOTS = ROOT / "docs" / "screenshots" / "tmp"

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    require_chromium()
    data = tmp_path_factory.mktemp("survey-data") / "partners"
    make_region(data / "xx-survey", n=8)
    s = Server(data, tmp_path_factory.mktemp("log") / "serve.log", "--pool-size", "0")
    try:
        s.wait_up()
        yield s
    finally:
        s.stop()


def test_survey_round_trip_in_the_browser(server: Server, tmp_path: Path):
    folder = server.data / "xx-survey"
    with launch(viewport={"width": 1440, "height": 1100}) as page:
        open_dashboard(page, server, "workshop", region="xx-survey", lang="en")
        page.fill(".wb-role input", "survey-coordinator")
        section(page, "Survey")
        page.locator(".wb-survey-none").wait_for(timeout=TIMEOUT_MS)
        page.fill(".wb-survey-round input", "2026-r1")
        page.click("button.wb-survey-prepare")
        link = page.locator("a.wb-download-zip")
        link.wait_for(timeout=TIMEOUT_MS)
        with page.expect_download() as got:
            link.click()
        zipped = tmp_path / got.value.suggested_filename
        got.value.save_as(zipped)
        assert zipped.name == "survey-xx-survey.zip"
        with zipfile.ZipFile(zipped) as z:
            books = {n: z.read(n) for n in z.namelist()}
        assert sorted(books) == [f"o{i:02d}.xlsx" for i in range(8)]
        paths = []
        for agency, answers in ANSWERS.items():  # two partners fill their workbook in
            p = tmp_path / f"{agency}.xlsx"
            p.write_bytes(fill(books[p.name], answers, role="ngo-lead"))
            paths.append(p)
        forget_messages(page)
        with page.expect_file_chooser() as chooser:
            page.click(".wb-survey-upload")
        chooser.value.set_files([str(p) for p in paths])
        message(page, "2 workbook(s) read and counted, 0 left out")
        state = page.locator(".wb-survey-state-box")
        state.locator(".wb-survey-state", has_text="2 of 8 organisations answered (25%)").wait_for()
        assert "1 confirmed by both ends" in state.inner_text()
        assert "Reported ties the region's list lacks: 5" in state.inner_text()
        forget_messages(page)
        page.click("button.wb-survey-apply")
        message(page, "Added 5 tie(s) reported in survey 2026-r1")
        keys = {r.key for r in load_region(folder).relationships}
        assert ("o01", "o03", "information_sharing") in keys and ("o00", "o01", "referral") in keys
        section(page, "Ties")
        row = page.locator(".wb-ties tr", has_text="Org 1").filter(has_text="Org 3")
        row.first.wait_for(timeout=TIMEOUT_MS)
        # A partner fills in its own ties in the form.
        section(page, "Survey")
        page.select_option(".wb-survey-me select", label="Org 2 (o02)")
        o04 = page.locator(".wb-survey-row-o04")
        o04.wait_for(timeout=TIMEOUT_MS)
        assert page.locator(".wb-survey-row").count() == 8  # every other active organisation and the forum
        o04.locator(".wb-survey-type select").select_option(label="Referral")
        o04.locator(".wb-survey-direction select").select_option(label="we → partner")
        o04.locator(".wb-survey-trust select").select_option(label="3")
        page.wait_for_timeout(300)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "workshop-survey.png"))
        page.locator(".wb-survey-form").screenshot(path=str(SHOTS / "workshop-survey-form.png"))
        forget_messages(page)
        page.click("button.wb-survey-save")
        message(page, "Saved the answers of Org 2 for survey 2026-r1")
        saved = [r for r in load_region(folder).survey if r.respondent == "o02"]
        assert [(r.partner, r.type, r.direction, r.trust) for r in saved] == [("o04", "referral", "to", 3)]
        state.locator(".wb-survey-state", has_text="3 of 8 organisations answered").wait_for()
        assert page.errors == []  # type: ignore[attr-defined]
        page.goto("about:blank")
        page.wait_for_timeout(300)
