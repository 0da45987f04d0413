"""Roadmap documents for every example region, built as a user builds them (`workbench build`)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from workbench import i18n
from workbench.data import RegionStore, load_region

from .conftest import FIXTURES, ROOT

REGIONS = sorted(p.name for p in (ROOT / "data" / "partners").glob("*/"))
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(\s*["']?https?:""", re.I)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    exe = Path(sys.executable).with_name("workbench")
    r = subprocess.run([str(exe), "build", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert f"built {len(REGIONS)} region(s)" in r.stderr
    return out


@pytest.mark.parametrize("region_id", REGIONS)
def test_every_format_for_every_region(built: Path, region_id: str):
    region = load_region(ROOT / "data" / "partners" / region_id)
    folder = built / region_id
    stem = f"roadmap-{region_id}"
    html = (folder / f"{stem}.html").read_text(encoding="utf-8")
    assert region.name.replace("'", "&#x27;") in html or region.name in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "<script" not in html.lower()
    pdf = PdfReader(folder / f"{stem}.pdf")
    assert len(pdf.pages) >= 8  # summary, network, maturity, gaps, plan, timeline, monitoring, annex
    text = " ".join(p.extract_text() for p in pdf.pages[:2])
    first_word = region.name.split()[0]
    assert first_word in text, (first_word, text[:300])
    document = docx.Document(folder / f"{stem}.docx")
    table_text = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for action in region.actions:
        assert action.id in table_text
    md = (folder / f"{stem}.md").read_text(encoding="utf-8")
    assert md.startswith("# ") and "| " in md


def test_french_region_gets_a_french_document(built: Path):
    html = (built / "be-hainaut" / "roadmap-be-hainaut.html").read_text(encoding="utf-8")
    assert "Feuille de route régionale" in html and "Plan d'action" in html
    assert '<html lang="fr">' in html
    de = (built / "de-leipzig" / "roadmap-de-leipzig.html").read_text(encoding="utf-8")
    assert i18n.text("documents.title", "de") in de and "Regional roadmap" not in de


#: The documents' headings a reader looks for first.
HEADINGS = ("summary", "network", "maturity", "gaps", "plan", "timeline", "monitoring", "annex")


@pytest.mark.parametrize("region_id", ["gr-attica", "bg-plovdiv"])
def test_greek_and_bulgarian_regions_get_pdf_and_docx_in_their_alphabet(built: Path, region_id: str):
    region = load_region(ROOT / "data" / "partners" / region_id)
    lang = region.info.language
    own = i18n.catalogue(lang)
    translated = [k for k in HEADINGS if f"documents.{k}" in own]
    assert translated, f"the {lang} catalogue translates no heading yet"
    stem = built / region_id / f"roadmap-{region_id}"
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    pdf = PdfReader(stem.with_suffix(".pdf"))
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    document = docx.Document(stem.with_suffix(".docx"))
    docx_text = "\n".join(p.text for p in document.paragraphs)
    for key in translated:
        words = i18n.text(f"documents.{key}", lang)
        english = i18n.text(f"documents.{key}", i18n.DEFAULT)
        assert " ".join(words.split()) in pdf_text, (key, words)
        assert words in docx_text, (key, words)
        if english != words:
            assert english not in docx_text.split("\n"), key
    # the PDF embeds the fonts that draw these alphabets (nothing left to the reader's machine)
    fonts = {str(f.get_object().get("/BaseFont")) for page in pdf.pages[:2]
             for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()}
    assert fonts and all("+" in f for f in fonts), fonts  # subset-embedded: "ABCDEF+FontName"


def test_comparison_is_built(built: Path):
    page = (built / "comparison.html").read_text(encoding="utf-8")
    for region_id in REGIONS:
        assert load_region(ROOT / "data" / "partners" / region_id).name.split()[0] in page


def test_hostile_text_is_escaped_in_every_format(tmp_path: Path):
    folder = tmp_path / "xx-tiny"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", folder)
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    store = RegionStore(folder, editor="test")
    store.edit_agency("ngo", name=f"NGO {payload}", notes=payload)
    store.save_action(id="a9", title=f"Act {payload}", owner="ngo", status="agreed")
    exe = Path(sys.executable).with_name("workbench")
    out = tmp_path / "docs"
    r = subprocess.run([str(exe), "roadmap", str(folder), "--out", str(out)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    html = (out / "roadmap-xx-tiny.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = (out / "roadmap-xx-tiny.md").read_text(encoding="utf-8")
    assert "<script>" not in md
    text = " ".join(p.extract_text() for p in PdfReader(out / "roadmap-xx-tiny.pdf").pages)
    assert "<script>alert(1)</script>" in text  # shown literally
    body = " ".join(p.text for p in docx.Document(io.BytesIO((out / "roadmap-xx-tiny.docx").read_bytes())).paragraphs)
    assert "Act <script>" in body or any("Act <script>" in c.text for t in docx.Document(
        out / "roadmap-xx-tiny.docx").tables for row in t.rows for c in row.cells)


def test_broken_region_is_reported_and_others_built(tmp_path: Path):
    data = tmp_path / "partners"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", data / "xx-tiny")
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", data / "xx-broken")
    (data / "xx-broken" / "region.toml").write_text('id = "xx-broken"\nname = "Broken"\ncountry = "EL"\n')
    exe = Path(sys.executable).with_name("workbench")
    out = tmp_path / "out"
    r = subprocess.run([str(exe), "build", "--data", str(data), "--out", str(out), "--format", "html"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1
    assert "xx-broken: not built" in r.stderr and "region.toml:3:country" in r.stderr
    assert (out / "xx-tiny" / "roadmap-xx-tiny.html").exists() and not (out / "xx-broken").exists()
    assert (out / "comparison.html").exists()


def test_build_lang_puts_every_region_and_the_comparison_in_one_language(tmp_path: Path):
    """``workbench build --lang CODE``: the benchmark's English-only build, and a refused unknown code."""
    data = tmp_path / "partners"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", data / "xx-tiny")
    exe = Path(sys.executable).with_name("workbench")
    own_lang = load_region(data / "xx-tiny").info.language
    other = next(code for code in i18n.LANGUAGES if code not in (own_lang, i18n.DEFAULT))
    runs = {}
    for lang in (None, other):
        out = tmp_path / f"out-{lang}"
        cmd = [str(exe), "build", "--data", str(data), "--out", str(out), "--format", "md"]
        r = subprocess.run(cmd + (["--lang", lang] if lang else []), cwd=ROOT, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        runs[lang] = out
    title = {lang: i18n.text("documents.title", lang) for lang in (own_lang, other)}
    for lang, words in ((None, title[own_lang]), (other, title[other])):
        assert (runs[lang] / "xx-tiny" / "roadmap-xx-tiny.md").read_text(encoding="utf-8").startswith(f"# {words}")
    assert f"<html lang='{other}'>" in (runs[other] / "comparison.html").read_text(encoding="utf-8")
    r = subprocess.run([str(exe), "build", "--data", str(data), "--out", str(tmp_path / "bad"), "--lang", "xx"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and "en, fr" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "bad").exists()


def test_render_each_spreads_regions_over_batches_each_kept_on_its_own_thread(monkeypatch: pytest.MonkeyPatch):
    import threading

    from workbench.roadmap import render

    seen: list[tuple[str, int, str]] = []

    def work(job: str, b: render.Batch) -> None:
        seen.append((job, id(b), threading.current_thread().name))
        time.sleep(0.05)

    render.render_each([f"r{k}" for k in range(6)], work, kernels=2)
    assert sorted(j for j, _, _ in seen) == [f"r{k}" for k in range(6)]
    threads_of = {}
    for _, batch_id, thread in seen:
        threads_of.setdefault(batch_id, set()).add(thread)
    assert len(threads_of) == 2 and all(len(t) == 1 for t in threads_of.values())  # a batch never changes thread
    monkeypatch.setenv("WORKBENCH_BUILD_KERNELS", "3")
    assert render.kernels_for(8) == 3 and render.kernels_for(2) == 2

    def boom(job: str, b: render.Batch) -> None:
        raise RuntimeError(f"broke on {job}")

    with pytest.raises(RuntimeError, match="broke on"):
        render.render_each(["a", "b", "c"], boom, kernels=2)
