"""``workbench publish``: the static site, crawled in Chromium from a plain static server and from file://."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.roadmap.publish import SITE_MARK, publish

from .conftest import ROOT
from .support.browser import launch
from .support.voila_server import data_copy, free_port

EXE = Path(sys.executable).with_name("workbench")


def _run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.perf_counter()
    done = subprocess.run([str(EXE), *args], capture_output=True, text=True, cwd=ROOT, timeout=900)
    return done, time.perf_counter() - t0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path]]:
    """The example regions and the payload region, built, then published (timed)."""
    root = tmp_path_factory.mktemp("publish")
    data = data_copy(root)
    build = root / "out"
    done, _ = _run("build", "--data", str(data), "--out", str(build))
    assert done.returncode == 0, done.stderr
    out = root / "site"
    done, seconds = _run("publish", "--data", str(data), "--build", str(build), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "documents rendered first" not in done.stderr  # the build's documents were reused
    print(f"\nworkbench publish, {len(os.listdir(data))} regions with documents built: {seconds:.1f} s "
          f"(whole command); {done.stderr.strip()}")
    assert seconds < 10
    yield data, build, out


@pytest.fixture(scope="module")
def static_server(site: tuple[Path, Path, Path]) -> Iterator[str]:
    """``python -m http.server`` on the site: a plain static server."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(site[2])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _crawl(page, start: str, same_site: str) -> dict[str, list[str]]:  # noqa: ANN001
    """Open every page reachable from ``start``; every other link is fetched; collect what went wrong."""
    found: dict[str, list[str]] = {"broken": [], "outside": [], "dialogs": [], "executed": [], "maps": []}
    page.on("dialog", lambda d: (found["dialogs"].append(f"{page.url}: {d.message}"), d.dismiss()))

    def route(r):  # noqa: ANN001, ANN202
        url = r.request.url
        if url.startswith(same_site) or url.startswith(("data:", "about:", "blob:")):
            r.continue_()
        else:
            found["outside"].append(url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: resp.status >= 400 and found["broken"].append(f"{resp.url}: {resp.status}"))
    seen, todo, files = set(), [start], set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url, wait_until="load")
        if response is not None and response.status >= 400:
            found["broken"].append(f"{url}: {response.status}")
            continue
        for frame in page.frames:
            if frame.evaluate("() => !!window.pwned"):
                found["executed"].append(url)
        if page.locator("iframe").count():
            frame = page.frames[1]
            frame.wait_for_selector("canvas", timeout=30_000)  # the partner map drew: its scripts ran
            found["maps"].append(url)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            if href.startswith("#"):
                continue
            assert not urllib.parse.urlsplit(href).scheme, f"{url}: link {href} is not relative"
            target = urllib.parse.urljoin(url, href).split("#")[0]
            if target.endswith(".html"):
                todo.append(target)
            else:
                files.add(target)
    for target in sorted(files):
        if target.startswith("file:"):
            ok = Path(urllib.parse.unquote(urllib.parse.urlsplit(target).path)).is_file()
        else:
            with urllib.request.urlopen(target, timeout=10) as r:
                ok = r.status == 200 and len(r.read()) > 1000
        if not ok:
            found["broken"].append(target)
    found["pages"] = sorted(seen)
    found["files"] = sorted(files)
    return found


def test_every_link_works_from_a_static_server(site: tuple[Path, Path, Path], static_server: str) -> None:
    data, _, _ = site
    regions = sorted(p.name for p in data.iterdir())
    with launch() as page:
        found = _crawl(page, static_server + "index.html", static_server)
        errors = list(page.errors)
    for kind in ("broken", "outside", "dialogs", "executed"):
        assert found[kind] == [], kind
    assert errors == []
    pages = {p.removeprefix(static_server) for p in found["pages"]}
    assert {"index.html", "index.fr.html", "comparison.html", "comparison.fr.html"} <= pages
    for region in regions:  # the payload region too
        assert {f"{region}/index.html", f"{region}/roadmap-{region}.html"} <= pages
        assert {f"{static_server}{region}/roadmap-{region}.{fmt}" for fmt in ("pdf", "docx")} <= set(found["files"])
        assert f"{static_server}{region}/index.html" in found["maps"]


def test_the_site_works_from_file(site: tuple[Path, Path, Path]) -> None:
    out = site[2]
    start = (out / "index.html").as_uri()
    with launch() as page:
        found = _crawl(page, start, out.as_uri())
    for kind in ("broken", "outside", "dialogs", "executed"):
        assert found[kind] == [], kind
    assert len(found["maps"]) == len(list(site[0].iterdir()))


def test_regions_in_their_language_with_a_switch(site: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data, build, out = site
    fr = (out / "fr-nord" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in fr and "Feuille de route" in fr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Comparison of all regions" in index and 'href="index.fr.html"' in index
    assert 'lang="fr"' in index and "Carte des partenaires" in index  # the French region's line, in French
    # Documents in another language beside the build's: the region gets a switch to them.
    extra = tmp_path / "out"
    shutil.copytree(build, extra)
    for name in os.listdir(extra / "fr-nord"):
        if name.startswith("roadmap-"):
            (extra / "fr-nord" / "en").mkdir(exist_ok=True)
            shutil.copy2(extra / "fr-nord" / name, extra / "fr-nord" / "en" / name)
    report = publish(data, extra, tmp_path / "site", languages=["fr"])
    assert report.rebuilt == [] and report.failed == {}
    assert not (tmp_path / "site" / "index.de.html").exists()  # only the languages asked for, and English
    page = (tmp_path / "site" / "fr-nord" / "index.html").read_text(encoding="utf-8")
    assert 'href="../fr-nord/en/index.html"' in page
    english = (tmp_path / "site" / "fr-nord" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and 'href="../../fr-nord/index.html"' in english
    assert (tmp_path / "site" / "fr-nord" / "en" / "roadmap-fr-nord.pdf").is_file()


def test_index_and_comparison_in_every_language(site: tuple[Path, Path, Path]) -> None:
    from html import escape

    from workbench import i18n
    from workbench.roadmap.publish import page_name

    data, _, out = site
    for lang in i18n.LANGUAGES:
        index = (out / page_name("index", lang)).read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in index
        assert escape(i18n.text("site.title", lang)) in index and escape(i18n.text("site.regions", lang)) in index
        assert f'href="{page_name("comparison", lang)}"' in index
        assert all(f'href="{page_name("index", code)}"' in index for code in i18n.LANGUAGES if code != lang)
        comparison = (out / page_name("comparison", lang)).read_text(encoding="utf-8")
        assert f"<html lang='{lang}'>" in comparison and escape(i18n.text("compare.title", lang)) in comparison
    for region in ("gr-attica", "bg-plovdiv"):  # each region's page in its documents' language
        lang = (data / region / "region.toml").read_text(encoding="utf-8").split('language = "')[1][:2]
        page = (out / region / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        assert escape(i18n.text("site.roadmap", lang)) in page and escape(i18n.text("site.back", lang)) in page


def test_stale_documents_are_rendered_again_and_nothing_else_is_replaced(site: tuple[Path, Path, Path],
                                                                           tmp_path: Path) -> None:
    data, build, _ = site
    mine = tmp_path / "data"
    mine.mkdir()
    shutil.copytree(data / "xx-payload", mine / "xx-payload")
    shutil.copytree(data / "fr-nord", mine / "fr-nord")
    docs = tmp_path / "out"
    shutil.copytree(build, docs)
    for doc in (docs / "xx-payload").iterdir():  # documents older than the region's data
        os.utime(doc, (1_000_000, 1_000_000))
    report = publish(mine, docs, tmp_path / "site", languages=["fr"])
    assert report.rebuilt == ["xx-payload"]
    assert (docs / "xx-payload" / "roadmap-xx-payload.pdf").stat().st_mtime > 1_000_000
    assert sorted(report.regions) == ["fr-nord", "xx-payload"]
    # Published again over the same folder: nothing to render, the site replaced whole.
    assert publish(mine, docs, tmp_path / "site", languages=["fr"]).rebuilt == []
    assert (tmp_path / "site" / SITE_MARK).is_file()
    # A folder publish did not write is never replaced.
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="was not written by 'workbench publish'"):
        publish(mine, docs, other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_an_invalid_region_is_reported_and_left_out(site: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data, build, _ = site
    mine = tmp_path / "data"
    shutil.copytree(data / "fr-nord", mine / "fr-nord")
    shutil.copytree(data / "fr-nord", mine / "xx-broken")
    (mine / "xx-broken" / "agencies.csv").write_text("id,name\n", encoding="utf-8")
    done, _ = _run("publish", "--data", str(mine), "--build", str(build), "--out", str(tmp_path / "site"))
    assert done.returncode == 1
    assert "xx-broken: not published" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "site" / "fr-nord" / "index.html").is_file()
    assert not (tmp_path / "site" / "xx-broken").exists()
