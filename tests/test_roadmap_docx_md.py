"""The roadmap as a Word document and as Markdown: sections, action table, figures, escaping."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from dataclasses import replace
from html import escape as html_escape
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from workbench import i18n
from workbench.data import RegionStore, load_region
from workbench.roadmap.document import Roadmap, build_roadmap
from workbench.roadmap.docx import write_docx
from workbench.roadmap.html import SECTIONS as HTML_SECTIONS
from workbench.roadmap.markdown import clean, escape, markdown

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "regions" / "xx-tiny"
HAINAUT = ROOT / "data" / "partners" / "be-hainaut"
TODAY = dt.date(2025, 6, 1)
SECTIONS = ("summary", "network", "maturity", "gaps", "plan", "timeline", "monitoring", "annex")
SCRIPT = "<script>alert(1)</script>"


def _build(path: Path, lang: str | None = None) -> Roadmap:
    return build_roadmap(load_region(path), lang, today=TODAY)


@pytest.fixture(scope="module")
def tiny_rm() -> Roadmap:
    return _build(TINY)


@pytest.fixture(scope="module")
def hainaut_rm() -> Roadmap:
    return _build(HAINAUT)


@pytest.fixture(scope="module", params=["tiny", "hainaut"])
def rm(request: pytest.FixtureRequest, tiny_rm: Roadmap, hainaut_rm: Roadmap) -> Roadmap:
    return {"tiny": tiny_rm, "hainaut": hainaut_rm}[request.param]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Roadmap:
    """xx-tiny with markup, table pipes and a control character in what users typed."""
    folder = tmp_path_factory.mktemp("hostile") / "xx-tiny"
    shutil.copytree(TINY, folder)
    store = RegionStore(folder, editor="test")
    store.edit_agency("ngo", name=f"{SCRIPT} *bold* | _x_")
    store.edit_agency("police", name="Police\x07 [zone](javascript:x)")
    store.save_action(id="a3", title="Agree | split\nthe `table` & <b>it</b>", gap="G01", characteristic="C3",
                      owner="ngo", partners=("police",), horizon="short", status="agreed",
                      indicator="# not a heading")
    return build_roadmap(load_region(folder), today=TODAY)


def _actions(path: Path) -> list[dict[str, str]]:
    with (path / "actions.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


_WRITTEN: dict[int, bytes] = {}


def _open(rm: Roadmap) -> docx.document.Document:
    """The roadmap written as DOCX and read back (written once per roadmap: the network figure is slow)."""
    if id(rm) not in _WRITTEN:
        _WRITTEN[id(rm)] = write_docx(rm)
    return docx.Document(io.BytesIO(_WRITTEN[id(rm)]))


def _headings(doc: docx.document.Document, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def _plan_table(doc: docx.document.Document, rm: Roadmap) -> docx.table.Table:
    found = [t for t in doc.tables
             if [c.text for c in t.rows[0].cells][:2] == [rm.t["col_action"], rm.t["col_owner"]]]
    assert len(found) == 1
    return found[0]


def _all_text(doc: docx.document.Document) -> str:
    cells = (c.text for t in doc.tables for r in t.rows for c in r.cells)
    return "\n".join([*(p.text for p in doc.paragraphs), *cells])


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------

def test_docx_has_title_language_and_a_heading_per_section(rm: Roadmap):
    doc = _open(rm)
    assert doc.paragraphs[0].style.name == "Title"
    assert rm.region.name in doc.paragraphs[0].text
    assert _headings(doc, 1) == [rm.t[s] for s in SECTIONS]
    assert rm.t["top_actions"] in _headings(doc, 2)
    props = doc.core_properties
    assert props.language.startswith(rm.lang) and rm.region.name in props.title


def test_docx_for_a_french_region_is_in_french(hainaut_rm: Roadmap):
    assert hainaut_rm.lang == "fr"
    doc = _open(hainaut_rm)
    h1 = _headings(doc, 1)
    assert "Plan d'action" in h1 and "Synthèse pour les décideurs" in h1 and "Manques" in h1
    assert doc.core_properties.language == "fr-BE"
    header = [c.text for c in _plan_table(doc, hainaut_rm).rows[0].cells]
    assert header == ["Action", "Responsable", "Partenaires", "Horizon", "Dates", "Statut",
                      "Indicateur de suivi", "Priorité"]


def test_docx_in_english_when_asked():
    doc = _open(_build(HAINAUT, "en"))
    assert "Action plan" in _headings(doc, 1)
    assert doc.core_properties.language.startswith("en")


@pytest.mark.parametrize("path", [TINY, HAINAUT], ids=["tiny", "hainaut"])
def test_docx_action_table_holds_the_agreed_actions(path: Path, tiny_rm: Roadmap, hainaut_rm: Roadmap):
    rm = tiny_rm if path == TINY else hainaut_rm
    table = _plan_table(_open(rm), rm)
    first_column = [row.cells[0].text for row in table.rows[1:]]
    assert len(first_column) == len(rm.plan)
    agreed = _actions(path)
    assert agreed
    for n, action in enumerate(agreed):  # in the order of actions.csv, first, exactly as written
        assert first_column[n].startswith(f"{action['id']}: {action['title']}")
    statuses = [row.cells[5].text for row in table.rows[1:len(agreed) + 1]]
    assert statuses == [rm.status_label(a["status"]) for a in agreed]


def test_docx_tables_repeat_their_header_row_and_rows_do_not_split(hainaut_rm: Roadmap):
    doc = _open(hainaut_rm)
    table = _plan_table(doc, hainaut_rm)
    header_pr = table.rows[0]._tr.trPr
    assert header_pr is not None and header_pr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
    # network figures, maturity levels and monitoring are real tables too
    heads = [t.rows[0].cells[0].text for t in doc.tables]
    for key in ("network_figures", "characteristic", "col_action"):
        assert hainaut_rm.t[key] in heads


def test_docx_plan_sits_in_a_landscape_section(hainaut_rm: Roadmap):
    doc = _open(hainaut_rm)
    landscape = [s for s in doc.sections if s.page_width > s.page_height]
    assert len(landscape) == 1 and len(doc.sections) == 3


def test_docx_embeds_the_three_figures(rm: Roadmap):
    doc = _open(rm)
    shapes = doc.inline_shapes
    assert len(shapes) >= 3
    for shape in shapes:
        assert 0 < shape.width <= docx.shared.Cm(17.01)
        assert 0 < shape.height <= docx.shared.Cm(19.01)
    assert {p.text for p in doc.paragraphs if p.style.name == "Caption"} >= {rm.t["timeline_caption"]}


def test_docx_gaps_show_evidence_as_bullets_and_actions_with_seeds(hainaut_rm: Roadmap):
    doc = _open(hainaut_rm)
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    gap = hainaut_rm.gaps[0]
    assert any(h.startswith(f"{gap.id} · ") for h in _headings(doc, 2))
    assert all(clean(e) in bullets for e in gap.evidence)
    action = gap.actions[0]
    seeds = ", ".join(action["seeds"])
    assert any(b.startswith(action["text"]) and f"[{seeds}]" in b for b in bullets)


@pytest.mark.filterwarnings("ignore:Glyph")
def test_docx_keeps_user_text_literal_and_drops_control_characters(hostile: Roadmap):
    doc = _open(hostile)  # python-docx would raise on the \x07 in an agency name
    text = _all_text(doc)
    assert f"{SCRIPT} *bold* | _x_" in text
    assert "Police [zone](javascript:x)" in text and "\x07" not in text
    assert "a3: Agree | split\nthe `table` & <b>it</b>" in [r.cells[0].text.split("\nG01")[0]
                                                        for r in _plan_table(doc, hostile).rows]


@pytest.mark.filterwarnings("ignore:Glyph")  # matplotlib has no glyph for control characters
def test_docx_survives_control_characters_anywhere(tiny_rm: Roadmap):
    bad = "\x00\x01bad\x0btitle\x1f\ufffe"
    rm = replace(tiny_rm, plan=[replace(tiny_rm.plan[0], title=bad, indicator=bad)] + tiny_rm.plan[1:])
    text = _all_text(docx.Document(io.BytesIO(write_docx(rm))))
    assert "badtitle" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

def test_markdown_has_every_section(rm: Roadmap):
    md = markdown(rm)
    assert md.startswith(f"# {escape(i18n.labelled(rm.t['title'], rm.region.name, rm.lang))}\n")
    h2 = re.findall(r"^## (.+)$", md, flags=re.M)
    assert h2 == [escape(rm.t[s]) for s in SECTIONS]
    assert md.endswith("\n") and "\n\n\n" not in md
    assert "data:image" not in md


@pytest.mark.parametrize("path", [TINY, HAINAUT], ids=["tiny", "hainaut"])
def test_markdown_action_table(path: Path, tiny_rm: Roadmap, hainaut_rm: Roadmap):
    rm = tiny_rm if path == TINY else hainaut_rm
    md = markdown(rm)
    head = "| " + " | ".join(escape(rm.t[k]) for k in ("col_action", "col_owner", "col_partners", "col_horizon",
                                                      "col_dates", "col_status", "col_indicator",
                                                      "col_priority")) + " |"
    lines = md.splitlines()
    start = lines.index(head)
    rows = lines[start + 2:start + 2 + len(rm.plan)]
    assert all(r.startswith("| ") for r in rows) and not lines[start + 2 + len(rm.plan)].startswith("|")
    for row, action in zip(rows, _actions(path), strict=False):
        assert row.startswith(f"| **{escape(action['id'] + ': ' + action['title'])}**")


def _cells(line: str) -> int:
    """How many cells a table line has (escaped pipes do not count)."""
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_markdown_escapes_what_users_typed(hostile: Roadmap):
    md = markdown(hostile)
    assert "<script" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\| \\_x\\_" in md
    assert "\\[zone\\](javascript:x)" in md and "\x07" not in md
    assert "Agree \\| split<br>the \\`table\\` &amp; &lt;b&gt;it&lt;/b&gt;" in md
    assert "\\# not a heading" in md and "\n# not a heading" not in md
    # every table keeps its shape: each row has as many cells as its header
    tables = [block.splitlines() for block in md.split("\n\n") if block.startswith("|")]
    assert len(tables) >= 5
    for table in tables:
        assert len({_cells(line) for line in table}) == 1, table


def test_escape_and_clean():
    assert escape(SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape("a|b\nc") == "a\\|b<br>c"
    assert escape("1. x") == "1\\. x" and escape("0.046") == "0.046"
    assert escape(None) == "" and clean("a\x00b\tc\n") == "ab\tc\n"


# ---------------------------------------------------------------------------
# Every language
# ---------------------------------------------------------------------------

HEADINGS = (*SECTIONS, "top_actions", "network_figures", "conflicts", "baseline", "annex_missing")


def _translated(lang: str, keys: tuple[str, ...] = HEADINGS) -> list[str]:
    """The ``documents`` keys among ``keys`` that ``lang``'s catalogue translates (others fall back to English)."""
    own = i18n.catalogue(lang)
    return [k for k in keys if f"documents.{k}" in own]


@pytest.fixture(scope="module", params=list(i18n.LANGUAGES))
def lang_rm(request: pytest.FixtureRequest) -> Roadmap:
    return _build(TINY, request.param)


def test_markdown_and_html_in_every_language_take_their_headings_from_the_catalogue(lang_rm: Roadmap):
    lang = lang_rm.lang
    words = {k: i18n.text(f"documents.{k}", lang) for k in HEADINGS}
    md = markdown(lang_rm)
    assert md.startswith(f"# {escape(i18n.labelled(i18n.text('documents.title', lang), lang_rm.region.name, lang))}")
    assert re.findall(r"^## (.+)$", md, flags=re.M) == [escape(words[s]) for s in SECTIONS]
    html = "".join(section(lang_rm) for section in HTML_SECTIONS.values())
    assert re.findall(r"<h2>(.*?)</h2>", html) == [html_escape(words[s]) for s in SECTIONS]
    assert i18n.date_text(TODAY, lang) in md  # the date is spelled for the language
    english = {k: i18n.text(f"documents.{k}", i18n.DEFAULT) for k in HEADINGS}
    for key in _translated(lang) if lang != i18n.DEFAULT else []:
        if words[key] != english[key]:  # no English heading left where the language has its own
            assert f"# {escape(english[key])}\n" not in md and f">{html_escape(english[key])}<" not in html, key
    for gap in lang_rm.gaps:  # gap titles and severities in the language too
        assert f"{gap.id} · {escape(i18n.text(f'gaps.{gap.id}.title', lang))}" in md
        assert escape(i18n.text(f"gaps.severity_labels.{gap.severity}", lang)) in md


@pytest.mark.parametrize("lang", ["el", "bg"])
def test_docx_in_greek_and_bulgarian_holds_the_catalogues_words(lang: str):
    rm = _build(TINY, lang)
    doc = docx.Document(io.BytesIO(write_docx(rm)))
    text = _all_text(doc)
    translated = _translated(lang)
    assert translated, f"the {lang} catalogue translates no heading yet"
    for key in translated:
        assert i18n.text(f"documents.{key}", lang) in text, key
    assert doc.core_properties.language == i18n.bcp47(lang, rm.region.info.country)
    h1 = _headings(doc, 1)
    assert h1 == [i18n.text(f"documents.{s}", lang) for s in SECTIONS]
    assert all(i18n.text(f"documents.{s}", i18n.DEFAULT) not in h1 for s in _translated(lang, SECTIONS))
