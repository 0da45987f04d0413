"""Headless Chromium for browser tests: Debian's ``chromium`` driven by Playwright.

Playwright's own browser download is never used (conference laptops and CI
machines may not reach it). Use the fixture in a test module with::

    from .support.browser import browser_page  # noqa: F401

and take ``browser_page`` as an argument; or call :func:`launch` directly.
Without a Chromium binary the tests are skipped on a developer's machine but
FAIL when ``CI`` is set, so a CI image that lost Chromium cannot pass.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

#: Flags for a quiet, offline, container-friendly Chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium, or ``None``."""
    found = shutil.which("chromium")
    if found:
        return found
    default = Path("/usr/bin/chromium")
    return str(default) if default.exists() else None


def require_chromium() -> str:
    """The Chromium path; skips the test without one, or fails under ``CI``."""
    path = chromium_path()
    if path is None:
        message = "no system chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; browser tests may not be skipped in CI")
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - playwright is a test dependency
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    return path


@contextmanager
def launch(viewport: dict[str, int] | None = None) -> Iterator[Any]:
    """A fresh page in headless Chromium; the browser closes on exit.

    The page collects its JavaScript errors in ``page.errors`` (a list of
    strings) so tests can assert that none occurred.
    """
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800})
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.errors = errors  # type: ignore[attr-defined]
            yield page
            context.close()
        finally:
            browser.close()


@pytest.fixture
def browser_page() -> Iterator[Any]:
    """A Playwright ``Page`` in headless system Chromium (see :func:`launch`)."""
    with launch() as page:
        yield page


def usable_seconds(page, doc: str, path: Path) -> tuple[float, int]:
    """Seconds from opening ``doc`` (written to ``path``) until it is usable, and its node count.

    Usable: drawn, the network answers a query, and a hover brings up a tooltip.
    (Also used by the proof, proof/speed.py.)
    """
    path.write_text(doc, encoding="utf-8")
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-wb-ready='1']", timeout=30_000)
    count = page.evaluate("() => Object.keys(network.getPositions()).length")
    box = page.locator("#mynetwork").bounding_box()
    hub = page.evaluate("""() => { let best = null, most = -1;
        for (const id of nodes.getIds()) { const k = network.getConnectedEdges(id).length;
          if (k > most) { most = k; best = id; } } return best; }""")
    p = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", hub)
    page.mouse.move(box["x"] + p["x"], box["y"] + p["y"], steps=2)
    page.wait_for_function("() => { const t = document.querySelector('.vis-tooltip');"
                           " return t && getComputedStyle(t).visibility === 'visible'; }")
    return time.perf_counter() - started, count
