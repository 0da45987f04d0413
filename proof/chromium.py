"""Headless system Chromium for the proof (Playwright, never a browser download)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workbench.roadmap.render import CHROMIUM_ARGS, chromium_path

#: How long any one step may wait (a kernel on a busy two-core machine can be slow).
TIMEOUT_MS = 120_000


@contextmanager
def browser() -> Iterator[Any]:
    """A Playwright ``Browser``; raises :class:`~workbench.errors.ChromiumMissing` without Chromium."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def page(b: Any, viewport: dict[str, int] | None = None) -> Iterator[Any]:
    """A fresh page in its own context; its JavaScript errors collect in ``page.errors``.

    Every step may wait up to :data:`TIMEOUT_MS`.
    """
    context = b.new_context(viewport=viewport or {"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.errors = errors
        yield pg
    finally:
        context.close()
