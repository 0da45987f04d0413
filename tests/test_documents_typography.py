"""The roadmap documents as a reader of each language sees them: words kept whole, the language's punctuation.

Found by looking at every language's PDF and DOCX as images (issue 12): in
German the headline boxes of the DOCX broke ``Organisationseinheiten`` and
``Entscheidungsbefugnis`` in the middle of the word, and the French title
read ``Feuille de route régionale: Hainaut`` without the space French puts
before a colon.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from matplotlib import font_manager
from PIL import ImageFont

from workbench import i18n
from workbench.data import load_region
from workbench.roadmap.content import kpi_items, level_items
from workbench.roadmap.document import Roadmap, build_roadmap
from workbench.roadmap.docx import write_docx
from workbench.roadmap.markdown import markdown

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "regions" / "xx-tiny"
TODAY = dt.date(2026, 12, 3)
#: Word's default inner cell margins (0.19 cm left and right) that the documents keep.
CELL_MARGINS = 2 * Cm(0.19)


@pytest.fixture(scope="module", params=list(i18n.LANGUAGES))
def lang_rm(request: pytest.FixtureRequest) -> Roadmap:
    return build_roadmap(load_region(TINY), request.param, today=TODAY)


def _width_emu(word: str, font: ImageFont.FreeTypeFont, size: float) -> float:
    """The printed width of ``word`` at ``size`` points, in EMU, measured with the font's own metrics."""
    return font.getlength(word) / 100 * size * Pt(1)


def test_every_word_of_the_headline_boxes_fits_its_box(lang_rm: Roadmap):
    """Each box label's longest word, measured in DejaVu Serif (what LibreOffice prints Cambria with)."""
    font = ImageFont.truetype(font_manager.findfont("DejaVu Serif"), 100)
    doc = docx.Document(io.BytesIO(write_docx(lang_rm)))
    labels = {label for _, label in [*kpi_items(lang_rm), *level_items(lang_rm)]}
    seen = set()
    for table in doc.tables:
        for cell in table.rows[0].cells:
            label = cell.paragraphs[-1].text
            if label not in labels or len(cell.paragraphs) != 2:
                continue
            seen.add(label)
            width = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) * Pt(1) / 20  # twentieths of a point
            for word in label.split():
                assert _width_emu(word, font, 8) + CELL_MARGINS <= width, (lang_rm.lang, word, label)
    assert seen == labels  # every box was looked at


def test_a_label_and_its_value_take_the_languages_colon(lang_rm: Roadmap):
    lang, name = lang_rm.lang, lang_rm.region.name
    title = i18n.text("documents.title", lang)
    md = markdown(lang_rm)
    doc = docx.Document(io.BytesIO(write_docx(lang_rm)))
    joined = i18n.labelled(title, name, lang)
    assert md.startswith(f"# {joined}\n") and doc.paragraphs[0].text == joined
    if lang == "fr":
        assert joined == f"{title}\u00a0: {name}" and f"{title}: " not in md
    else:
        assert joined == f"{title}: {name}"


#: The quotation marks each language prints (its primary and secondary pair), as its style guides have them.
QUOTES = {"fr": "«»“”", "de": "„“‚‘", "es": "«»“”", "el": "«»“”", "bg": "„“’‘", "ro": "„”«»", "et": "„“"}
#: Straight quotes that are code a person types, not prose: ``key = "…"``, ``--name "…"``, HTML attributes,
#: and the straight quote itself shown as the character a CSV file opened and never closed: ``(")``.
_CODE = re.compile(r'(=\s*"[^"]*"|--[a-z-]+ "[^"]*"|\w+=\'[^\']*\'|\("\))')


@pytest.mark.parametrize("lang", sorted(QUOTES))
def test_catalogues_quote_with_the_languages_own_marks(lang: str):
    assert set(QUOTES) == set(i18n.LANGUAGES) - {i18n.DEFAULT}
    found = []
    for domain in i18n.DOMAINS:
        for key, words in i18n.catalogue(lang).items():
            if not key.startswith(f"{domain}."):
                continue
            prose = _CODE.sub("", re.sub(r"<[^>]*>", "", words))
            wrong = {ch for ch in prose if ch in '"“”„«»‚‘' and ch not in QUOTES[lang]}
            if wrong:
                found.append(f"{key}: {''.join(sorted(wrong))} in {prose[:60]!r}")
    assert found == []
