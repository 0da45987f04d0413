"""The roadmap as a Word document (python-docx), for working groups that edit in Word.

Same sections and texts as the HTML document (:mod:`.html`): summary with the
headline numbers, network map and figures, maturity radar and levels, gaps
with their evidence and catalogue actions, action plan, timeline, monitoring
and the data-quality annex. Section titles use Word's *Heading 1* and
subsections *Heading 2*, so the navigation pane lists them; tables are real
Word tables whose header row repeats on every page. The action plan sits in a
landscape section of its own.

Every piece of text goes in as a plain run; characters XML cannot hold are
dropped first (:func:`.markdown.clean`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from ..i18n import bcp47, labelled
from .content import (
    annex_sections,
    baseline_items,
    basis_text,
    clean,
    conflict_items,
    first_actions,
    gap_actions,
    gap_title,
    kpi_items,
    level_items,
    maturity_head,
    maturity_rows,
    monitoring_rows,
    network_rows,
    plan_head,
    plan_rows,
    severity_label,
    subtitle,
)
from .document import Roadmap
from .figures import network_png, radar_png, timeline_png

# The colours of the HTML document (templates/nbconvert/roadmap/static/roadmap.css).
INK, MUTED, ACCENT, LINE = "1B2631", "5D6D7E", "1F4E79", "C9D1D9"
WARN, AMBER, OK = "B03A2E", "B9770E", "1E8449"
ZEBRA, BOX = "F4F6F8", "EEF2F6"
SEVERITY_COLOURS = {"high": WARN, "medium": AMBER, "low": MUTED}
STATUS_COLOURS = {"done": OK, "agreed": ACCENT, "in_progress": ACCENT, "dropped": MUTED, "covered": MUTED}

PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)  # A4
#: Runs of white space a line may break at (the no-break spaces are not among them).
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f]+")
MARGIN_X, MARGIN_Y = Cm(2.0), Cm(1.8)
#: Plan table columns (cm), landscape: action, owner, partners, horizon, dates, status, indicator, priority.
PLAN_WIDTHS = (6.4, 3.1, 3.9, 2.5, 2.5, 2.0, 4.3, 1.0)
#: Elements that follow ``w:shd`` in a cell's and ``w:tblBorders`` in a table's properties (ECMA-376 order).
TC_PR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                   "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
TBL_PR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                        "w:tblDescription", "w:tblPrChange")


@dataclass(frozen=True)
class Span:
    """A run of text with its look (for table cells and mixed paragraphs).

    Parameters
    ----------
    text : str
        The words of the run.
    bold : bool, default False
        Set the run in bold.
    italic : bool, default False
        Set the run in italics.
    colour : str, optional
        Font colour as six hex digits (``"B22222"``); the document's colour when ``None``.
    size : float, optional
        Font size in points; the paragraph's size when ``None``.
    """

    text: str
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    size: float | None = None


Cell = str | Span | Sequence[Span]


def write_docx(rm: Roadmap) -> bytes:
    """The roadmap of ``rm`` as the bytes of a ``.docx`` file.

    Parameters
    ----------
    rm : Roadmap
        The region's roadmap, in its language.

    Returns
    -------
    bytes
        A Word document: summary, network, maturity, gaps, the plan on landscape
        pages, timeline, monitoring and annex, with the roadmap's language set for
        proofing.
    """
    doc = Document()
    _setup(doc, rm)
    _summary(doc, rm)
    _network(doc, rm)
    _maturity(doc, rm)
    _gaps(doc, rm)
    _new_section(doc, landscape=True)
    _plan(doc, rm)
    _new_section(doc, landscape=False)
    _timeline(doc, rm)
    _monitoring(doc, rm)
    _annex(doc, rm)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Sections.
# ---------------------------------------------------------------------------

def _summary(doc: DocumentObject, rm: Roadmap) -> None:
    t = rm.t
    doc.add_heading(clean(_line(labelled(t["title"], rm.region.info.name, rm.lang))), level=0)
    _para(doc, [Span(subtitle(rm), colour=MUTED)])
    _heading(doc, t["summary"], 1)
    _para(doc, t["summary_text"].format(**rm.summary_numbers()))
    _boxes(doc, kpi_items(rm), size=18)
    _boxes(doc, level_items(rm), size=15)
    _heading(doc, t["top_actions"], 2)
    _bullets(doc, first_actions(rm), t["none"])
    _para(doc, [Span(t["illustrative"], italic=True, colour=MUTED, size=9)])


def _network(doc: DocumentObject, rm: Roadmap) -> None:
    t, net = rm.t, rm.network
    _heading(doc, t["network"], 1, new_page=True)
    _figure(doc, network_png(rm), t["network"], t["network_caption"].format(region=rm.region.name),
            Cm(16.5), Cm(15.5))
    _heading(doc, t["network_figures"], 2)
    _table(doc, [t["network_figures"], ""], network_rows(rm), (8.0, 3.0), align={1: WD_ALIGN_PARAGRAPH.RIGHT})
    _heading(doc, t["isolates"], 2)
    _bullets(doc, (rm.name_of(a) for a in net["isolates"]), t["none"])
    _heading(doc, t["cut_agencies"], 2)
    _bullets(doc, (rm.name_of(a) for a in net["cut_agencies"]), t["none"])


def _maturity(doc: DocumentObject, rm: Roadmap) -> None:
    t = rm.t
    _heading(doc, t["maturity"], 1, new_page=True)
    _figure(doc, radar_png(rm), t["maturity"],
            t["maturity_caption"].format(region=rm.region.name, reference=rm.reference["name"]),
            Cm(12.5), Cm(11.0))
    _table(doc, maturity_head(rm), maturity_rows(rm), (5.6, 5.2, 2.6, 3.6),
           align={3: WD_ALIGN_PARAGRAPH.CENTER})
    _heading(doc, t["conflicts"], 2)
    _bullets(doc, conflict_items(rm), t["none"])


def _gaps(doc: DocumentObject, rm: Roadmap) -> None:
    t = rm.t
    _heading(doc, t["gaps"], 1, new_page=True)
    _para(doc, t["gaps_intro"])
    for g in rm.gaps:
        _heading(doc, f"{g.id} · {gap_title(rm, g)}", 2)
        undermines = ", ".join(rm.char_label(c) for c in g.characteristics)
        _para(doc, [Span(labelled(t["severity"], severity_label(rm, g.severity), rm.lang), bold=True,
                         colour=SEVERITY_COLOURS.get(g.severity, INK)),
                    Span(f" · {labelled(t['undermines'], undermines, rm.lang)} · {basis_text(rm, g)}")],
              keep_with_next=True)
        description = getattr(g, "description", "")
        if description:
            _para(doc, [Span(description, italic=True, colour=MUTED)])
        _para(doc, [Span(t["evidence"], bold=True)], keep_with_next=True, after=2)
        _bullets(doc, g.evidence, t["none"])
        _para(doc, [Span(t["catalogue_actions"], bold=True)], keep_with_next=True, after=2)
        acts = [[Span(text), Span(f"  [{seeds}]", colour=MUTED, size=8)] if seeds else [Span(text)]
                for text, seeds in gap_actions(rm, g)]
        _bullets(doc, acts, t["none"])
    if not rm.gaps:
        _none(doc, t["none"])


def _plan(doc: DocumentObject, rm: Roadmap) -> None:
    t = rm.t
    _heading(doc, t["plan"], 1)
    _para(doc, t["plan_intro"])
    rows: list[list[Cell]] = []
    for r in plan_rows(rm):
        action: list[Span] = [Span(r.action, bold=r.source == "agreed")]
        if r.gap:
            action.append(Span(f"\n{r.gap}", colour=MUTED, size=7.5))
        status = Span(r.status, bold=r.status_key in STATUS_COLOURS and r.status_key not in ("dropped", "covered"),
                      colour=STATUS_COLOURS.get(r.status_key))
        rows.append([action, r.owner, r.partners, r.horizon, r.dates, [status], r.indicator, r.priority])
    _table(doc, plan_head(rm), rows, PLAN_WIDTHS, size=8, align={7: WD_ALIGN_PARAGRAPH.CENTER})


def _timeline(doc: DocumentObject, rm: Roadmap) -> None:
    t = rm.t
    _heading(doc, t["timeline"], 1)
    _figure(doc, timeline_png(rm), t["timeline"], t["timeline_caption"], Cm(17.0), Cm(19.0))


def _monitoring(doc: DocumentObject, rm: Roadmap) -> None:
    t = rm.t
    _heading(doc, t["monitoring"], 1)
    _para(doc, t["monitoring_intro"])
    _table(doc, [t["col_action"], t["col_indicator"]], monitoring_rows(rm), (8.5, 8.5), size=9)
    _heading(doc, t["baseline"], 2)
    _bullets(doc, baseline_items(rm), t["none"])


def _annex(doc: DocumentObject, rm: Roadmap) -> None:
    _heading(doc, rm.t["annex"], 1, new_page=True)
    for title, items in annex_sections(rm):
        _heading(doc, title, 2)
        _bullets(doc, items, rm.t["none"])


# ---------------------------------------------------------------------------
# Document set-up: page, styles, language, properties, footer.
# ---------------------------------------------------------------------------

def _setup(doc: DocumentObject, rm: Roadmap) -> None:
    t, info = rm.t, rm.region.info
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.left_margin = sec.right_margin = MARGIN_X
    sec.top_margin = sec.bottom_margin = MARGIN_Y
    sec.footer_distance = Cm(0.9)

    tag = language_tag(rm.lang, info.country)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = RGBColor.from_string(INK)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _set_language(normal.element.get_or_add_rPr(), tag)
    for default in styles.element.findall(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")):
        _set_language(default, tag)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 12.5), ("Heading 3", 11)):
        style = styles[name]
        style.font.color.rgb = RGBColor.from_string(ACCENT)
        style.font.size = Pt(size)
        _set_language(style.element.get_or_add_rPr(), tag)
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    caption = styles["Caption"]
    caption.font.bold = False
    caption.font.italic = True
    caption.font.size = Pt(9)
    caption.font.color.rgb = RGBColor.from_string(MUTED)
    styles["List Bullet"].paragraph_format.space_after = Pt(2)

    title = clean(_line(labelled(t["title"], info.name, rm.lang)))
    props = doc.core_properties
    props.title = title
    props.subject = clean(_line(subtitle(rm)))
    props.language = tag
    props.author = props.last_modified_by = "TACTICS partnership workbench"
    props.keywords = clean(f"TACTICS; {info.id}; {info.country}")
    props.comments = clean(t["illustrative"])
    props.category = clean(t["title"])
    stamp = dt.datetime.combine(rm.date, dt.time(0, 0))
    props.created = props.modified = stamp
    props.revision = 1

    _footer(sec.footer.paragraphs[0], title)


def language_tag(lang: str, country: str | None) -> str:
    """A BCP 47 tag Word knows for proofing (:func:`workbench.i18n.bcp47`: ``fr`` in Belgium → ``fr-BE``).

    Parameters
    ----------
    lang : str
        The roadmap's language code.
    country : str or None
        The region's ISO country code, or ``None`` when unknown.

    Returns
    -------
    str
        A tag such as ``fr-BE``; the language's main country when ``country`` is ``None``.

    Examples
    --------
    >>> language_tag("fr", "BE"), language_tag("el", "GR"), language_tag("bg", None)
    ('fr-BE', 'el-GR', 'bg-BG')
    """
    return bcp47(lang, country)


def _set_language(rpr: BaseOxmlElement, tag: str) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    _insert(rpr, lang, ("w:eastAsianLayout", "w:specVanish", "w:oMath"))


def _footer(par: Paragraph, title: str) -> None:
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in (f"{title} · ", "PAGE", " / ", "NUMPAGES"):
        _add_run(par, Span("1" if piece in ("PAGE", "NUMPAGES") else piece, colour=MUTED, size=8))
        if piece in ("PAGE", "NUMPAGES"):  # the run becomes the field's current result
            run = par._p.r_lst[-1]
            fld = OxmlElement("w:fldSimple")
            fld.set(qn("w:instr"), f" {piece} ")
            run.addprevious(fld)
            fld.append(run)


def _new_section(doc: DocumentObject, landscape: bool) -> None:
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)


# ---------------------------------------------------------------------------
# Building blocks.
# ---------------------------------------------------------------------------

def _line(text: str) -> str:
    """Text on one line (headings, properties); no-break spaces stay (French puts one before a colon)."""
    return _BREAKING_SPACE.sub(" ", str(text)).strip()


def _heading(doc: DocumentObject, text: str, level: int, new_page: bool = False) -> Paragraph:
    h = doc.add_heading(clean(_line(text)), level=level)
    if new_page:
        h.paragraph_format.page_break_before = True
    return h


def _add_run(par: Paragraph, span: Span) -> None:
    run = par.add_run(clean(span.text))
    if span.bold:
        run.bold = True
    if span.italic:
        run.italic = True
    if span.colour:
        run.font.color.rgb = RGBColor.from_string(span.colour)
    if span.size:
        run.font.size = Pt(span.size)


def _spans(content: Cell) -> list[Span]:
    if isinstance(content, Span):
        return [content]
    if isinstance(content, str):
        return [Span(content)]
    return list(content)


def _para(doc: DocumentObject, content: Cell, keep_with_next: bool = False, after: float | None = None,
          style: str | None = None) -> Paragraph:
    par = doc.add_paragraph(style=style)
    for span in _spans(content):
        _add_run(par, span)
    if keep_with_next:
        par.paragraph_format.keep_with_next = True
    if after is not None:
        par.paragraph_format.space_after = Pt(after)
    return par


def _none(doc: DocumentObject, text: str) -> None:
    _para(doc, [Span(text, italic=True, colour=MUTED)])


def _bullets(doc: DocumentObject, items: Iterable[Cell], empty: str) -> None:
    items = list(items)
    if not items:
        _none(doc, empty)
    for item in items:
        _para(doc, item, style="List Bullet")


def _figure(doc: DocumentObject, png: bytes, alt: str, caption: str, max_w: Length, max_h: Length) -> None:
    """A centred picture no wider than ``max_w`` nor taller than ``max_h``, with its caption."""
    img = Image.from_blob(png)
    width = min(max_w, int(max_h * img.px_width / max(1, img.px_height)))
    par = doc.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    par.paragraph_format.keep_with_next = True
    par.paragraph_format.space_after = Pt(2)
    par.add_run().add_picture(io.BytesIO(png), width=Emu(width))
    doc_pr = par._p.xpath(".//wp:docPr")[-1]
    doc_pr.set("descr", clean(_line(caption)))
    doc_pr.set("title", clean(_line(alt)))
    cap = doc.add_paragraph(clean(caption), style="Caption")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER


#: What a box's label needs per character at 8 pt, and for the cell's inner margins: generous, so that
#: the longest word of a label fits on one line in the fonts Word and LibreOffice use.
LABEL_CHAR, CELL_PAD = Cm(0.18), Cm(0.45)


def box_columns(labels: Sequence[str], width: int = PAGE_W - 2 * MARGIN_X) -> int:
    """How many headline boxes go side by side: as many as fit the longest word of every label.

    A long word (``Organisationseinheiten``, ``Entscheidungsbefugnis``) in a narrow
    box is broken in the middle; the boxes wrap onto as few rows as keep every
    word whole, balanced (six boxes are two rows of three, not four and two).

    Parameters
    ----------
    labels : sequence of str
        The boxes' labels, in the document's language.
    width : int, optional
        The width the row may take, in EMU (the page between its margins).

    Returns
    -------
    int
        The number of boxes per row (at least 1).

    Examples
    --------
    >>> box_columns(["forums", "active ties", "gaps found"])
    3
    >>> box_columns(["Organisationen und Organisationseinheiten", "Gremien", "aktive Verbindungen",
    ...              "Zielgruppen mit Versorgungsweg", "Weitervermittlungen mit Rückmeldung", "gefundene Lücken"])
    3
    """
    longest = max((len(word) for label in labels for word in label.split()), default=0)
    n = len(labels)
    for rows in range(1, n + 1):
        cols = -(-n // rows)
        if width / cols >= longest * LABEL_CHAR + CELL_PAD:
            return cols
    return 1


def _boxes(doc: DocumentObject, items: Sequence[tuple[str, str]], size: float) -> None:
    """Headline numbers as rows of shaded boxes: the value large, its label small beneath.

    The rows hold :func:`box_columns` boxes each, all of one width; a shorter last row is centred.
    """
    cols = box_columns([label for _, label in items])
    width = (PAGE_W - 2 * MARGIN_X) / cols
    for start in range(0, len(items), cols):
        if start:  # a paragraph between the rows: two tables side by side in the file would be joined into one
            gap = doc.add_paragraph().paragraph_format
            gap.space_before, gap.space_after, gap.line_spacing = Pt(0), Pt(0), Pt(4)
        row = items[start:start + cols]
        table = doc.add_table(rows=1, cols=len(row))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _borders(table, "FFFFFF", size=12)
        for cell, (value, label) in zip(table.rows[0].cells, row, strict=True):
            cell.width = Emu(int(width))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            _shade(cell, BOX)
            par = cell.paragraphs[0]
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            par.paragraph_format.space_before = Pt(4)
            par.paragraph_format.space_after = Pt(0)
            _add_run(par, Span(value, bold=True, colour=ACCENT, size=size))
            sub = cell.add_paragraph()
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
            sub.paragraph_format.space_after = Pt(4)
            sub.paragraph_format.line_spacing = 1.0
            _add_run(sub, Span(label, colour=MUTED, size=8))
        _grid(table, [width] * len(row))
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _table(doc: DocumentObject, head: Sequence[str], rows: Iterable[Sequence[Cell]], widths_cm: Sequence[float],
           size: float = 9.5, align: dict[int, WD_ALIGN_PARAGRAPH] | None = None) -> Table:
    """A table with a shaded header row that Word repeats on every page; rows never split."""
    align = align or {}
    table = doc.add_table(rows=1, cols=len(head))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table, LINE)
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, text in zip(header.cells, head, strict=True):
        _shade(cell, ACCENT)
        _fill(cell, [Span(text, bold=True, colour="FFFFFF", size=size)], None)
    for n, row in enumerate(rows):
        tr = table.add_row()
        _row_flags(tr, header=False)
        for i, (cell, content) in enumerate(zip(tr.cells, row, strict=True)):
            if n % 2:
                _shade(cell, ZEBRA)
            _fill(cell, [s if s.size else Span(s.text, s.bold, s.italic, s.colour, size) for s in _spans(content)],
                  align.get(i))
    widths = [Cm(w) for w in widths_cm]
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    _grid(table, widths)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def _fill(cell: _Cell, spans: list[Span], align: WD_ALIGN_PARAGRAPH | None) -> None:
    par = cell.paragraphs[0]
    par.paragraph_format.space_before = Pt(1)
    par.paragraph_format.space_after = Pt(1)
    par.paragraph_format.line_spacing = 1.0
    if align is not None:
        par.alignment = align
    for span in spans:
        _add_run(par, span)


def _row_flags(row: _Row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flags = ["w:cantSplit", "w:tblHeader"] if header else ["w:cantSplit"]
    for tag in flags:
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    _insert(tc_pr, shd, TC_PR_AFTER_SHD)


def _borders(table: Table, colour: str, size: int = 4) -> None:
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), colour)
        borders.append(el)
    _insert(tbl_pr, borders, TBL_PR_AFTER_BORDERS)


def _insert(parent: BaseOxmlElement, child: BaseOxmlElement, successors: Sequence[str]) -> None:
    """Put ``child`` before the first of ``successors`` present (the schema's order), else last."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _grid(table: Table, widths: Sequence[float]) -> None:
    """Column widths in the table grid too (LibreOffice and Google Docs read these, Word the cells')."""
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Emu(int(w)).twips)))
