"""Injection: hostile text in every text field, every output, and hostile region ids.

Every text field a person can fill in (:data:`FIELDS`) of a copy of the tiny
fixture region is given a payload (:data:`PAYLOADS`: script, event handler,
``javascript:`` URL, template and spreadsheet formula) through
:class:`~workbench.data.RegionStore`, as a dashboard would save it. Each
payload carries a marker (``wbqPPFF``) that says which payload sits in which
field, and its script sets ``window.__pwned`` and calls ``alert`` with the
same number. The full run rotates the payloads through the fields until every
payload has been in every field; the reduced run does two rotations.

Then every output is produced and examined:

* HTML (the network view standalone and in its sandboxed iframe, the static
  SVG, the roadmap HTML, the roadmap Markdown rendered to HTML with raw HTML
  allowed, the comparison page) is opened in headless Chromium with a dialog
  listener; the canary is read in every frame, ``javascript:`` links are
  clicked, and the DOM is searched for live markup (an ``on…`` attribute, a
  ``javascript:`` address or a ``<script>`` that came from a payload). Every
  node and tie of the network view that carries a payload is hovered (its
  tooltip read) and clicked;
* the three dashboards are opened on a real ``workbench serve`` (when it
  exists) with the same checks, after visiting each section;
* PDF text is read with pypdf, and its links and actions searched for script;
* DOCX text is read with python-docx, and its links and field codes searched;
* CSV cells that start like a formula must start with ``'``; XLSX cells
  must be text with the quote prefix, never formulas;
* a template payload counts as executed when its output shows it evaluated
  (``49`` for ``{{7*7}}``, the marker without its ``{% raw %}``).

A payload *reaches* an output when its marker appears in the output's text;
"payloads × outputs tried" counts the pairs that reached. Executions must be 0.

Path traversal: hostile region ids (``../x``, ``..%2f``, ``a/b``, absolute
paths…) go through every place a region id enters — ``check_region_id``,
``create_region``, ``workbench new-region``, a workbook's ``region`` sheet on
``workbench import``, ``region.toml`` on load, and the dashboards' query
string — and each must be refused with nothing written; a dashboard asked for ``?region=../xx-secret`` must not show
the region folder placed beside the served data folder.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.data import RegionStore, load_region
from workbench.errors import ChromiumMissing

from . import Settings, checkout, progress
from .report import Section, must_be_zero, not_measured

#: (name, template): ``{n}`` is the number the payload's script reports, ``{m}`` its marker.
PAYLOADS: list[tuple[str, str]] = [
    ("<script>", "<script>window.__pwned={n};alert({n})</script>{m}"),
    ("<img onerror>", '<img src=x onerror="window.__pwned={n};alert({n})">{m}'),
    ("\"><svg onload>", '"><svg onload="window.__pwned={n};alert({n})">{m}'),
    ("\" autofocus onfocus= (attribute break-out)", '" autofocus onfocus="window.__pwned={n};alert({n})" x="{m}'),
    ("' autofocus onfocus= (attribute break-out)", "' autofocus onfocus='window.__pwned={n};alert({n})' x='{m}"),
    ("javascript: URL", "javascript:window.__pwned={n};alert({n})//{m}"),
    ("<a href=javascript:>", '<a href="javascript:window.__pwned={n};alert({n})">{m}</a>'),
    ("template {{7*7}}", "{{{{7*7}}}}{m}"),
    ("template {% raw %}", "{{% raw %}}{m}"),
    ("=HYPERLINK()", '=HYPERLINK("http://example.invalid/{m}","open")'),
    ("+cmd", "+cmd|' /C calc'!A0 {m}"),
    ("-1+1", "-1+1 {m}"),
    ("@SUM()", "@SUM(1) {m}"),
]

#: The text fields a person fills in.
FIELDS = ["region name", "region description", "agency name", "agency notes", "agency relay role",
          "agency area", "tie notes", "action title", "action indicator", "action notes",
          "assessment evidence", "assessment rater"]

FORMULA_START = ("=", "+", "-", "@")


def marker(p: int, f: int) -> str:
    return f"wbq{p:02d}{f:02d}"


def number(p: int, f: int) -> int:
    return 100 * p + f + 1001


def payload(p: int, f: int) -> str:
    """Payload ``p`` as placed in field ``f``.

    >>> payload(0, 3)
    '<script>window.__pwned=1004;alert(1004)</script>wbq0003'
    >>> payload(7, 0)
    '{{7*7}}wbq0700'
    """
    return PAYLOADS[p][1].format(n=number(p, f), m=marker(p, f))


def placements(rotation: int) -> dict[int, int]:
    """Field → payload index in one rotation (each field a different payload)."""
    return {f: (f + rotation) % len(PAYLOADS) for f in range(len(FIELDS))}


def make_region(parent: Path, rotation: int) -> Path:
    """A copy of the tiny region with this rotation's payloads saved in every text field."""
    from tests.support.regions import FIXTURES

    region_id = f"xx-inj{rotation:02d}"
    folder = parent / region_id
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", folder)
    toml = folder / "region.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"xx-tiny"', f'"{region_id}"'), encoding="utf-8")
    v = {FIELDS[f]: payload(p, f) for f, p in placements(rotation).items()}
    store = RegionStore(folder, editor="proof")
    store.set_info(name=v["region name"], description=v["region description"])
    store.edit_agency("ngo", name=v["agency name"], notes=v["agency notes"], relay_role=v["agency relay role"],
                      area=v["agency area"])
    store.edit_relationship("police-sapv", "ngo", "referral", notes=v["tie notes"])
    store.save_action(id="a1", title=v["action title"], gap="G01", characteristic="C3", owner="parquet",
                      partners=["praxis", "police"], horizon="short", start="2025-04-01", due="2025-12-31",
                      status="agreed", indicator=v["action indicator"], notes=v["action notes"])
    store.set_answer("2025-baseline", "C2.1", "1", rater=v["assessment rater"], evidence=v["assessment evidence"],
                     date="2025-03-03")
    return folder


# --------------------------------------------------------------------------
# What each output showed
# --------------------------------------------------------------------------

_MARK = re.compile(r"wbq(\d\d)(\d\d)")


@dataclass
class Seen:
    """What one output of one region showed: markers reached, executions, live markup."""

    reached: set[tuple[int, int]] = field(default_factory=set)
    executed: set[tuple[int, int]] = field(default_factory=set)
    evidence: list[str] = field(default_factory=list)

    def text(self, text: str) -> None:
        """Record the markers in ``text``, and template payloads that were evaluated."""
        flat = " ".join(text.split())
        for m in _MARK.finditer(flat):
            p, f = int(m[1]), int(m[2])
            self.reached.add((p, f))
            name = PAYLOADS[p][0]
            if name == "template {{7*7}}" and f"49{m[0]}" in flat:
                self.hit(p, f, "template evaluated")
            if name == "template {% raw %}" and "{% raw %}" + m[0] not in flat:
                self.hit(p, f, "template evaluated")

    def hit(self, p: int, f: int, how: str) -> None:
        self.executed.add((p, f))
        self.evidence.append(f"{PAYLOADS[p][0]} in {FIELDS[f]}: {how}")

    def number(self, n: Any, how: str) -> None:
        """A dialog or canary reported ``n``."""
        try:
            p, f = divmod(int(n) - 1001, 100)
        except (TypeError, ValueError):
            p, f = 0, 0
        self.hit(p, f, f"{how} ({n})")


LIVE_MARKUP = """() => {
  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background',
                          'ping', 'srcdoc', 'srcset'];
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const n = a.name.toLowerCase(), v = a.value.replace(/\\s/g, '').toLowerCase();
      if (!/wbq\\d{4}|__pwned/.test(a.value)) continue;
      if (n.startsWith('on')) out.push(el.tagName + ' ' + n + '=' + a.value);
      // a javascript: address where a URL is followed (text attributes such as title stay inert)
      if (URL_ATTRIBUTES.includes(n) && v.startsWith('javascript:')) out.push(el.tagName + ' ' + n + '=' + a.value);
    }
  }
  for (const s of document.querySelectorAll('script'))
    if (s.textContent.trim().startsWith('window.__pwned')) out.push('SCRIPT ' + s.textContent.slice(0, 60));
  return out;
}"""
CLICK_JS_LINKS = """() => { let n = 0;
  for (const a of document.querySelectorAll('a[href]'))
    if (/^\\s*javascript:/i.test(a.getAttribute('href'))) { a.click(); n++; }
  return n; }"""
TEXT = """() => (document.documentElement.innerText || document.documentElement.textContent || '')
  + Array.from(document.querySelectorAll('input, textarea')).map(e => ' ' + e.value).join('')
  + (typeof nodes === 'object' && nodes.get ? JSON.stringify(nodes.get()) + JSON.stringify(edges.get()) : '')"""


def inspect_page(pg: Any, url: str, seen: Seen, ready: str | None = None,
                 interact: Callable[[Any, Any], None] | None = None) -> None:
    """Open ``url``; record dialogs, the canary, live markup and text in every frame.

    ``ready`` is a selector waited for in the last frame (the network view's
    iframe, or the page itself); ``interact(page, frame)`` runs after that.
    """
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(url, wait_until="load", timeout=120_000)
    frames = pg.frames
    target = frames[-1]
    if ready:
        target.wait_for_selector(ready, timeout=120_000)
    if interact is not None:
        interact(pg, target)
    for fr in pg.frames:
        try:
            fr.evaluate(CLICK_JS_LINKS)
        except Exception:  # noqa: BLE001 - a frame that navigated away was a javascript: link that ran
            seen.evidence.append("a frame navigated when its javascript: links were clicked")
    pg.wait_for_timeout(300)
    for fr in pg.frames:
        canary = fr.evaluate("() => window.__pwned")
        if canary is not None:
            seen.number(canary, "window.__pwned set")
        for live in fr.evaluate(LIVE_MARKUP):
            m = re.search(r"__pwned=(\d+)", live)
            if m:
                seen.number(m[1], f"live markup {live[:70]}")
        seen.text(fr.evaluate(TEXT))
    for message in dialogs:
        seen.number(message, "alert() dialog")


#: Where on the page each node and tie that carries a payload is (tie: the middle of its drawn line).
PAYLOAD_SPOTS = """() => {
  const spots = [];
  for (const n of nodes.get({filter: n => /wbq\\d{4}/.test(n.title)}))
    spots.push(network.canvasToDOM(network.getPositions([n.id])[n.id]));
  for (const e of edges.get({filter: e => /wbq\\d{4}/.test(e.title)}))
    spots.push(network.canvasToDOM(network.body.edges[e.id].edgeType.getPoint(0.5)));
  return spots;
}"""
TOOLTIP = """() => { const t = document.querySelector('.vis-tooltip');
  return t && getComputedStyle(t).visibility === 'visible' ? t.innerText : null; }"""


def hover_payloads(seen: Seen) -> Callable[[Any, Any], None]:
    """Hover and click every node and tie of the network view that carries a payload.

    Each tooltip must appear; its text is recorded (that is where notes,
    relay roles, areas and tie notes show).
    """
    def interact(pg: Any, frame: Any) -> None:
        box = frame.locator("#mynetwork").bounding_box()
        for spot in frame.evaluate(PAYLOAD_SPOTS):
            x, y = box["x"] + spot["x"], box["y"] + spot["y"]
            pg.mouse.move(box["x"] + 2, box["y"] + 2)
            pg.mouse.move(x, y, steps=3)
            frame.wait_for_function(TOOLTIP, timeout=5_000)
            seen.text(frame.evaluate(TOOLTIP))
            pg.mouse.click(x, y)
            frame.wait_for_timeout(100)
    return interact


# --------------------------------------------------------------------------
# The outputs
# --------------------------------------------------------------------------

OUTPUTS = ["network view (standalone page)", "network view (sandboxed iframe)", "network image (SVG)",
           "roadmap HTML", "roadmap PDF", "roadmap DOCX", "roadmap Markdown (rendered as HTML)",
           "comparison page (HTML)", "region CSV files", "workbook export (XLSX)"]
HOW = {
    "network view (standalone page)": "Chromium: dialogs, canary, live markup, javascript: links clicked",
    "network view (sandboxed iframe)": "the same, inside `embed_iframe`'s sandboxed srcdoc iframe",
    "network image (SVG)": "Chromium, the SVG opened as a page (matplotlib draws text as outlines: no text "
                           "reaches it)",
    "roadmap HTML": "Chromium",
    "roadmap PDF": "pypdf: text, and no JavaScript or javascript: link in any action",
    "roadmap DOCX": "python-docx: text, and no javascript: link or field code from a payload",
    "roadmap Markdown (rendered as HTML)": "markdown rendered by nbconvert (raw HTML allowed), then Chromium",
    "comparison page (HTML)": "Chromium",
    "region CSV files": "every cell that starts with = + - @ must start with '",
    "workbook export (XLSX)": "no formula cell; formula-like text must carry the quote prefix",
    "dashboard: regional workbench": "a real `workbench serve`: the map, the agency form of the payload "
                                     "agency, ties, self-assessment (C2), changes, in Chromium",
    "dashboard: roadmap": "the plan and the payload action's form, in Chromium",
    "dashboard: conference": "every payload region side by side, in Chromium",
}
#: Payload rotations shown in the dashboards in the full run (each visit starts a kernel).
DASHBOARD_ROTATIONS = 3


def _pdf(path: Path, seen: Seen) -> None:
    from pypdf import PdfReader
    reader = PdfReader(path)
    seen.text(" ".join(p.extract_text() or "" for p in reader.pages))
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    if "/OpenAction" in root or (names is not None and "/JavaScript" in names.get_object()):
        seen.evidence.append("the PDF has a document-level action")
        seen.executed.add((-1, -1))
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            uri = str(action.get("/URI", ""))
            if action.get("/S") == "/JavaScript" or uri.strip().lower().startswith("javascript:"):
                m = _MARK.search(uri)
                seen.hit(int(m[1]), int(m[2]), f"PDF link {uri[:60]}") if m else seen.executed.add((-1, -1))


def _docx(path: Path, seen: Seen) -> None:
    import docx
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs + section.header.paragraphs]
    seen.text("\n".join(parts))
    xml = document.element.xml
    for code in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"", xml):
        m = _MARK.search("".join(code))
        if m:
            seen.hit(int(m[1]), int(m[2]), f"field code {''.join(code)[:60]}")
    for rel in document.part.rels.values():
        if rel.is_external and rel.target_ref.strip().lower().startswith("javascript:"):
            m = _MARK.search(rel.target_ref)
            seen.hit(int(m[1]), int(m[2]), "javascript: link") if m else seen.executed.add((-1, -1))


def _csv(folder: Path, seen: Seen) -> None:
    for path in sorted(folder.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        seen.text(text)
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                m = _MARK.search(cell)
                if m and cell.startswith(FORMULA_START):
                    seen.hit(int(m[1]), int(m[2]), f"{path.name}: cell {cell[:40]!r} would run as a formula")


def _xlsx(region: Any, seen: Seen) -> None:
    import openpyxl

    from workbench.data.workbook import workbook_bytes
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(region)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str):
                    continue
                seen.text(c.value)
                m = _MARK.search(c.value)
                if m and (c.data_type == "f" or c.value.startswith(FORMULA_START) and not c.quotePrefix):
                    seen.hit(int(m[1]), int(m[2]), f"{ws.title}!{c.coordinate} {c.value[:40]!r} is a formula")


def produce(folder: Path, out: Path, docs: Any) -> dict[str, Path]:
    """Write every output of the region in ``folder`` into ``out``; return their paths."""
    from nbconvert.filters.markdown import markdown2html

    from workbench.compare import comparison_html
    from workbench.network.views import embed_iframe, interactive_html, static_image
    from workbench.roadmap.render import render_roadmap

    region = load_region(folder)
    out.mkdir(parents=True, exist_ok=True)
    view = interactive_html(region)
    (out / "view.html").write_text(view, encoding="utf-8")
    (out / "host.html").write_text("<!DOCTYPE html><html><head><title>host</title></head><body>"
                                   + embed_iframe(view, 700) + "</body></html>", encoding="utf-8")
    static_image(region, out / "network.svg", fmt="svg")
    written = render_roadmap(folder, out, shared=docs)
    (out / "md.html").write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>md</title></head><body>"
                                 + markdown2html(written["md"].read_text(encoding="utf-8")) + "</body></html>",
                                 encoding="utf-8")
    (out / "comparison.html").write_text(comparison_html([region]), encoding="utf-8")
    return {"folder": folder, "view": out / "view.html", "host": out / "host.html", "svg": out / "network.svg",
            "md.html": out / "md.html", "comparison": out / "comparison.html", **written}


def examine(paths: dict[str, Path], b: Any) -> dict[str, Seen]:
    """Examine every output of one region (from :func:`produce`)."""
    from .chromium import page

    seen = {o: Seen() for o in OUTPUTS}
    pages = {
        "network view (standalone page)": (paths["view"], "body[data-wb-ready='1']", True),
        "network view (sandboxed iframe)": (paths["host"], "body[data-wb-ready='1']", True),
        "network image (SVG)": (paths["svg"], None, False),
        "roadmap HTML": (paths["html"], None, False),
        "roadmap Markdown (rendered as HTML)": (paths["md.html"], None, False),
        "comparison page (HTML)": (paths["comparison"], None, False),
    }
    for name, (path, ready, do_hover) in pages.items():
        with page(b) as pg:
            inspect_page(pg, path.as_uri(), seen[name], ready, hover_payloads(seen[name]) if do_hover else None)
    seen["roadmap Markdown (rendered as HTML)"].text(paths["md"].read_text(encoding="utf-8").replace("\\", ""))
    _pdf(paths["pdf"], seen["roadmap PDF"])
    _docx(paths["docx"], seen["roadmap DOCX"])
    _csv(paths["folder"], seen["region CSV files"])
    _xlsx(load_region(paths["folder"]), seen["workbook export (XLSX)"])
    return seen


def self_test(b: Any, tmp: Path) -> tuple[int, int]:
    """Plant each payload where it *would* run, and count how many the checks catch.

    Guards against a vacuous proof: every planted payload must be caught.
    Returns (planted, caught).
    """
    from .chromium import page

    f = 0
    body = "".join(f"<div>{payload(p, f)}</div>" for p in (0, 1, 2, 6))
    body += f"<input value=\"{payload(3, f)}\"><input value='{payload(4, f)}'><a href=\"{payload(5, f)}\">x</a>"
    body += f"<p>49{marker(7, f)} and {marker(8, f)}</p>"  # what evaluated templates would show
    path = tmp / "vulnerable.html"
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    seen = Seen()
    with page(b) as pg:
        inspect_page(pg, path.as_uri(), seen)
    caught = {p for p, _ in seen.executed}
    folder = tmp / "vulnerable"
    folder.mkdir()
    (folder / "agencies.csv").write_text("id,name\n" + "".join(f"a{p},{payload(p, f)}\n" for p in (10, 11, 12))
                                         + f'a9,"{payload(9, f)}"\n', encoding="utf-8")
    csv_seen = Seen()
    _csv(folder, csv_seen)
    caught |= {p for p, _ in csv_seen.executed}
    return len(PAYLOADS), len(caught & set(range(len(PAYLOADS))))


# --------------------------------------------------------------------------
# The dashboards (a real `workbench serve`)
# --------------------------------------------------------------------------

DASHBOARD_OUTPUTS = ["dashboard: regional workbench", "dashboard: roadmap", "dashboard: conference"]
SECRET = "SECRETCANARY"


def query_ids() -> list[str]:
    """Hostile ``?region=`` values; ``xx-secret`` is a region folder next to the served data folder."""
    return ["../xx-secret", "..%2fxx-secret", "/etc/passwd", "xx-inj00/../../xx-secret", "..",
            "<img src=x onerror=window.__pwned=9;alert(9)>"]


def dashboards(regions: list[Path], tmp: Path, b: Any, settings: Settings) -> tuple[dict[str, Seen], int, int,
                                                                                   list[str]]:
    """Every payload region in the three dashboards; then hostile ``?region=`` values.

    Returns what each dashboard showed, and (attempts, accepted, what was accepted) for the query strings.
    """
    import urllib.parse

    from tests.support.dashboards import map_ready, section
    from tests.support.voila_server import Server

    from .chromium import page

    data = tmp / "dash" / "partners"
    for folder in regions:
        shutil.copytree(folder, data / folder.name)
    shutil.copytree(checkout() / "data" / "partners" / "be-hainaut", data / "be-hainaut")
    secret = tmp / "dash" / "xx-secret"
    shutil.copytree(data / regions[0].name, secret)
    (secret / "region.toml").write_text(f'id = "xx-secret"\nname = "{SECRET}"\ncountry = "BE"\n', encoding="utf-8")
    seen = {o: Seen() for o in DASHBOARD_OUTPUTS}
    server = Server(data, tmp / "dash" / "serve.log", "--pool-size", "2")
    limit = 120_000

    def url(name: str, **params: str) -> str:
        return f"{server.url}/voila/render/{name}.ipynb?" + urllib.parse.urlencode(params)

    def collect(pg: Any, into: Seen) -> None:
        for fr in pg.frames:
            into.text(fr.evaluate(TEXT))

    def pick_payload(pg: Any, select: str) -> None:
        """Choose the option that carries a payload (the payload agency or action) in ``select``."""
        pg.locator(select).wait_for(state="attached", timeout=limit)
        index = pg.evaluate("s => Array.from(document.querySelector(s).options)"
                            ".findIndex(o => /wbq\\d{4}/.test(o.textContent))", select)
        if index >= 0:
            pg.select_option(select, index=index)
            pg.wait_for_timeout(400)

    def workshop(pg: Any, _frame: Any, into: Seen) -> None:
        pg.wait_for_selector(".wb-app.wb-ready", timeout=limit)
        map_ready(pg)
        collect(pg, into)
        section(pg, "Agencies")
        pick_payload(pg, ".wb-agency-pick select")
        collect(pg, into)
        for label in ("Ties", "Self-assessment", "Changes"):
            section(pg, label)
            pg.wait_for_timeout(400)
            if label == "Self-assessment":
                pg.locator(".wb-char-pick button", has_text="C2").click()
                pg.wait_for_timeout(300)
            collect(pg, into)

    def roadmap(pg: Any, _frame: Any, into: Seen) -> None:
        pg.wait_for_selector(".wb-app.wb-ready", timeout=limit)
        collect(pg, into)
        pick_payload(pg, ".wb-action-pick select")
        collect(pg, into)

    attempts = accepted = 0
    what: list[str] = []
    try:
        server.wait_up()
        for folder in regions:
            progress("injection", f"dashboards: {folder.name}")
            for out, name, interact in ((DASHBOARD_OUTPUTS[0], "workshop", workshop),
                                        (DASHBOARD_OUTPUTS[1], "roadmap", roadmap)):
                with page(b, {"width": 1440, "height": 1000}) as pg:
                    inspect_page(pg, url(name, region=folder.name, lang="en"), seen[out],
                                 interact=lambda p_, f_, s_=seen[out], i_=interact: i_(p_, f_, s_))
        with page(b, {"width": 1440, "height": 1000}) as pg:
            inspect_page(pg, url("conference", lang="en"), seen[DASHBOARD_OUTPUTS[2]],
                         interact=lambda p_, f_: (p_.wait_for_selector(".wb-app.wb-ready", timeout=limit),
                                                  collect(p_, seen[DASHBOARD_OUTPUTS[2]])))
        progress("injection", "dashboards: hostile ?region= values")
        ids = query_ids() if settings.full else query_ids()[:1] + query_ids()[-1:]
        for i, bad in enumerate(ids):
            for name in ("workshop", "roadmap") if settings.full and i == 0 else ("workshop",):
                attempts += 1
                probe = Seen()
                with page(b, {"width": 1440, "height": 1000}) as pg:
                    inspect_page(pg, url(name, region=bad, lang="en"), probe, ready=".wb-app.wb-ready")
                    shown = pg.evaluate("() => document.body.innerText")
                if SECRET in shown or probe.executed:
                    accepted += 1
                    what.append(f"{name}?region={bad!r}: " + ("showed the region outside the data folder"
                                                               if SECRET in shown else "a payload ran"))
    finally:
        server.stop()
    return seen, attempts, accepted, what


# --------------------------------------------------------------------------
# Path traversal
# --------------------------------------------------------------------------

def traversal_ids(outside: Path) -> list[str]:
    return ["../x", "..", "../..", "../../etc", "..%2f..%2fetc", "%2e%2e%2fx", "a/b", "xx-tiny/../xx-tiny",
            "/etc", str(outside / "xx-evil"), "..\\..\\x", "C:\\x", "．．/x", "xx-tiny\x00", "", " ",
            "x" * 41, "XX-TINY", "xx tiny", "~", ".hidden", "xx-tiny/", "xx-tiny%00"]


def traversal(tmp: Path) -> tuple[int, int, list[str]]:
    """Hostile ids through every entry point; returns (attempts, accepted, what was accepted)."""
    import openpyxl
    from click.testing import CliRunner
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from workbench.cli import main
    from workbench.data import RegionInfo, check_region_id, create_region
    from workbench.errors import WorkbenchError

    from .badinput import _tree

    sandbox = tmp / "sandbox"
    partners = sandbox / "partners"
    outside = sandbox / "outside"
    outside.mkdir(parents=True)
    from tests.support.regions import FIXTURES
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", partners / "xx-tiny")
    from tests.support.fuzz import tiny_workbook
    attempts, accepted, what = 0, 0, []

    def refused(entry: str, bad_id: str, fn: Callable[[], Any]) -> None:
        nonlocal attempts, accepted
        if entry.startswith("workbench import") and ILLEGAL_CHARACTERS_RE.search(bad_id):
            return  # a workbook cell cannot hold control characters: nothing to try
        attempts += 1
        before = _tree(sandbox)
        ok = False
        try:
            result = fn()
            ok = result is False
        except (WorkbenchError, ValueError):
            ok = True
        except Exception as exc:  # noqa: BLE001 - a crash is not a refusal
            what.append(f"{entry} {bad_id!r}: {type(exc).__name__}: {exc}")
        if _tree(sandbox) != before:
            ok = False
            what.append(f"{entry} {bad_id!r}: files changed")
        if not ok:
            accepted += 1
            what.append(f"{entry} {bad_id!r}: not refused")

    def cli(*args: str) -> bool:
        r = CliRunner().invoke(main, list(args))
        if not isinstance(r.exception, SystemExit) or r.exit_code == 0:
            raise RuntimeError(f"exit {r.exit_code}: {r.output[-200:]}")
        return False  # refused with a message

    for bad in traversal_ids(outside):
        refused("check_region_id", bad, lambda b=bad: check_region_id(b))
        refused("create_region", bad, lambda b=bad: create_region(
            partners / b if b else partners / "x", RegionInfo(id=b, name="Evil", country="BE")))
        refused("workbench new-region", bad, lambda b=bad: cli("new-region", b, "--data", str(partners),
                                                               "--name", "Evil", "--country", "BE"))

        def workbook_id(b: str = bad) -> bool:
            wb = openpyxl.load_workbook(io.BytesIO(tiny_workbook()))
            ws = wb["region"]
            row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "id")
            ws.cell(row=row, column=2).value = b
            path = tmp / "xx-tiny.xlsx"
            wb.save(path)
            return cli("import", str(path), "--out", str(partners))
        refused("workbench import (region sheet id)", bad, workbook_id)

        def toml_id(b: str = bad) -> bool:
            folder = partners / "xx-tiny"
            toml = folder / "region.toml"
            original = toml.read_bytes()
            toml.write_text(original.decode().replace('id = "xx-tiny"', f"id = {json.dumps(b)}"))
            try:
                load_region(folder)
            except WorkbenchError:
                return False
            finally:
                toml.write_bytes(original)
            return True
        refused("load (region.toml id)", bad, toml_id)
    return attempts, accepted, what


# --------------------------------------------------------------------------

def run(settings: Settings, shared: dict[str, Any]) -> Section:
    checkout()
    from workbench.roadmap.render import batch

    from .chromium import browser

    rotations = settings.injection_rounds or len(PAYLOADS)
    results: dict[str, Seen] = {o: Seen() for o in OUTPUTS}
    dash_missing = shared.get("dashboards_missing")
    dash_rotations = 0
    q_attempts = q_accepted = 0
    q_what: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wb-proof-inj-") as tmp:
        tmp_path = Path(tmp)
        produced = []
        with batch() as docs:
            for r in range(rotations):
                progress("injection", f"payload rotation {r + 1} of {rotations}: the outputs")
                folder = make_region(tmp_path / "regions", r)
                produced.append(produce(folder, tmp_path / "out" / folder.name, docs))
        planted = caught = 0
        try:
            with browser() as b:
                planted, caught = self_test(b, tmp_path)
                for r, paths in enumerate(produced):
                    progress("injection", f"payload rotation {r + 1} of {rotations}: examined")
                    for name, s in examine(paths, b).items():
                        results[name].reached |= s.reached
                        results[name].executed |= s.executed
                        results[name].evidence += s.evidence
                if not dash_missing:
                    dash_rotations = min(DASHBOARD_ROTATIONS if settings.full else 1, len(produced))
                    try:
                        dash, q_attempts, q_accepted, q_what = dashboards(
                            [p["folder"] for p in produced[:dash_rotations]], tmp_path, b, settings)
                        results.update(dash)
                    except Exception as exc:  # noqa: BLE001 - "not measured", which fails the run
                        dash_missing = f"the dashboards could not be examined: {type(exc).__name__}: " + \
                            str(exc).splitlines()[0][:200]
            chromium_missing = None
        except (FileNotFoundError, ChromiumMissing) as exc:
            chromium_missing = str(exc)
        progress("injection", "path traversal")
        attempts, accepted, accepted_what = traversal(tmp_path)

    outputs = OUTPUTS + ([] if dash_missing else DASHBOARD_OUTPUTS)
    rows = []
    total_pairs = total_exec = 0
    for o in outputs:
        s = results[o]
        placed = (dash_rotations if o in DASHBOARD_OUTPUTS else rotations) * len(FIELDS)
        fields = {f for _, f in s.reached}
        pairs = {p for p, _ in s.reached}
        executed = {p for p, _ in s.executed}
        total_pairs += len(pairs)
        total_exec += len(executed)
        rows.append([o, f"{len(fields)} of {len(FIELDS)}", f"{len(s.reached)} of {placed}",
                     f"{len(pairs)} of {len(PAYLOADS)}", str(len(executed)), HOW[o]])
    if dash_missing:
        rows.append(["dashboards (Voilà)", "—", "—", "—", "—", f"not measured: {dash_missing}"])
    rows.append(["**all outputs**", "", "", f"**{total_pairs} payloads × outputs**", f"**{total_exec}**", ""])
    section = Section("injection", "Injection",
                      ["output", "fields that reach it", "payload placements shown", "payloads tried",
                       "payloads executed", "how it was checked"], rows)
    section.checks = [
        must_be_zero("payloads executed (payload × output pairs)",
                     None if chromium_missing else total_exec),
        must_be_zero("path-traversal ids accepted (API and command line)", accepted),
        must_be_zero("planted payloads the checks missed (self-test of the checks)",
                     None if chromium_missing else planted - caught),
    ]
    if chromium_missing:
        section.checks.append(not_measured("HTML outputs in Chromium", "= 0", chromium_missing))
    if dash_missing:
        section.checks.append(not_measured("payloads and hostile ?region= in the dashboards", "= 0", dash_missing))
    else:
        section.checks.append(must_be_zero("hostile ?region= values accepted by the dashboards", q_accepted))
    section.more = _coverage(results, outputs) + [
        "",
        f"Path traversal: {len(traversal_ids(Path('/x')))} hostile region ids (`../x`, `..%2f..%2fetc`, `a/b`, "
        "`/etc`, an absolute path, `..\\..\\x`, a NUL byte, …) × 5 entry points (`check_region_id`, "
        "`create_region`, `workbench new-region`, `workbench import` with the id in the workbook's region sheet, "
        f"load with the id in `region.toml`) = {attempts} attempts (a workbook cannot hold a NUL byte); "
        f"{attempts - accepted} refused with a message and nothing written, {accepted} accepted."
        + ("" if dash_missing else
           f" In the dashboards' query string: {q_attempts} hostile `?region=` values (`../xx-secret`, "
           f"`..%2fxx-secret`, `/etc/passwd`, a script…, with a region folder `xx-secret` placed beside the "
           f"served data folder): {q_attempts - q_accepted} refused, {q_accepted} accepted."),
        "",
    ]
    section.notes = [
        f"{len(PAYLOADS)} payloads: " + ", ".join(f"`{name}`" for name, _ in PAYLOADS) + f"; {len(FIELDS)} text "
        f"fields; {rotations} rotation(s) of payloads through the fields ({rotations * len(FIELDS)} placements "
        "per output" + (", every payload in every field)" if rotations >= len(PAYLOADS) else ")")
        + ("" if dash_missing else f"; the dashboards get the first {dash_rotations} rotation(s) (each dashboard "
           "visit starts a kernel)") + ".",
        "In the network view (standalone and in its iframe) every node and tie that carries a payload is "
        "hovered, its tooltip read, and clicked.",
        "Load and save paths take *paths* (the command line's arguments); region *ids* from a person or a "
        "query string go through `check_region_id`, or are looked up among the listed region folders.",
    ]
    for o in outputs:
        section.notes += [f"Executed — {o}: {e}" for e in results[o].evidence[:5]]
    section.notes += [f"Accepted — {w}" for w in (accepted_what + q_what)[:10]]
    return section


def _coverage(results: dict[str, Seen], outputs: list[str]) -> list[str]:
    """Which fields reach which outputs (a ✓ where a payload's marker showed)."""
    short = ["view", "iframe", "SVG", "HTML", "PDF", "DOCX", "MD", "compare", "CSV", "XLSX", "workshop",
             "roadmap", "conference"][:len(outputs)]
    lines = ["Which text fields reach which output (✓: the field's payloads were shown there):", "",
             "| field | " + " | ".join(short) + " |", "|---|" + "---|" * len(short)]
    for f, name in enumerate(FIELDS):
        marks = ["✓" if any(ff == f for _, ff in results[o].reached) else "" for o in outputs]
        lines.append(f"| {name} | " + " | ".join(marks) + " |")
    return lines
