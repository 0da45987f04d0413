"""Retake the README's overview screenshots on the example regions only.

The browser tests (``tests/test_dashboards.py``) write their screenshots to
``docs/screenshots/tmp/`` from a data folder that also holds a region full of
script payloads; the pages that list every region (the landing page and the
conference comparison) are therefore retaken here, from ``data/partners``
alone, by ``workbench serve`` on a copy of it and Debian's Chromium:

    .venv/bin/python docs/screenshots/take.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.browser import launch  # noqa: E402
from tests.support.voila_server import Server  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "partners"
        shutil.copytree(ROOT / "data" / "partners", data)
        server = Server(data, Path(tmp) / "serve.log")  # on a copy: nothing is edited anyway
        try:
            server.wait_up()
            with launch({"width": 1360, "height": 900}) as page:
                page.goto(server.url + "/")
                page.locator(".wb-card").first.wait_for()
                page.screenshot(path=str(OUT / "landing.png"), full_page=True)
                server.wait_pool("conference")
                server.visiting("conference")
                page.set_viewport_size({"width": 1440, "height": 1000})
                page.goto(server.url + "/voila/render/conference.ipynb?lang=en")
                page.wait_for_selector(".wb-app.wb-ready", timeout=120_000)
                page.wait_for_timeout(500)
                page.screenshot(path=str(OUT / "conference.png"))
        finally:
            server.stop()
    print(f"wrote {OUT / 'landing.png'} and {OUT / 'conference.png'}")


if __name__ == "__main__":
    main()
