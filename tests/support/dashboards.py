"""Driving a served dashboard page in the browser (tests and the proof)."""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

from .voila_server import Server

TIMEOUT_MS = 90_000


def url_of(server: Server, name: str, **params: str) -> str:
    query = urllib.parse.urlencode(params)
    return f"{server.url}/voila/render/{name}.ipynb" + (f"?{query}" if query else "")


def open_dashboard(page: Any, server: Server, name: str, **params: str) -> float:
    """Open a dashboard (with a preheated kernel when the server has one); seconds until interactive."""
    server.wait_pool(name)
    server.visiting(name)
    t0 = time.perf_counter()
    page.goto(url_of(server, name, **params))
    page.wait_for_selector(".wb-app.wb-ready", timeout=TIMEOUT_MS)
    return time.perf_counter() - t0


def section(page: Any, label: str) -> None:
    page.locator(".wb-sections button", has_text=label).click()


def forget_messages(page: Any) -> None:
    """Remove the messages shown so far, so that :func:`message` waits for the next one."""
    page.evaluate("() => document.querySelectorAll('.wb-messages .wb-msg').forEach(m => m.remove())")


def message(page: Any, text: str, kind: str = "ok") -> Any:
    loc = page.locator(f".wb-messages .wb-msg-{kind}", has_text=text).first
    loc.wait_for(timeout=TIMEOUT_MS)
    return loc


def map_ready(page: Any) -> Any:
    frame = page.frame_locator(".wb-map iframe")
    frame.locator("body[data-wb-ready='1']").wait_for(timeout=TIMEOUT_MS)
    return frame


def region_label(server: Server, region_id: str) -> str:
    """The label the region picker shows for ``region_id``."""
    from workbench.dashboards.common import list_regions

    return next(r.label for r in list_regions(server.data) if r.id == region_id)
