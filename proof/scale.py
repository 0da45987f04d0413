"""Scale: synthetic regions of 100 to 100,000 agencies, five ties each.

Each size runs in a fresh process (so that nothing is cached and the peak
memory is that size's own): the region is written as a folder by the
benchmarks' generator (``benchmarks/synthetic.py``), then timed stage by
stage, as a dashboard or ``workbench analyse`` runs them —

* **load**: :func:`~workbench.data.load_region` (reading and validating);
* **analysis**: :func:`~workbench.network.analyse_network`, uncached;
* **maturity**: :func:`~workbench.maturity.assess_region` (scoring and network evidence);
* **gaps**: :func:`~workbench.roadmap.detect_gaps` (on the cached analysis, as in use);
* **documents** (sizes up to :data:`DOCUMENTS_UP_TO`): the roadmap as HTML,
  DOCX and Markdown, and as PDF, through
  :func:`~workbench.roadmap.render.render_roadmap`, in a kernel warmed up on
  the tiny fixture region first.

How time grows with size is the slope of log(time) against log(size)
(``numpy.polyfit``): 1 is linear, 2 quadratic.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support import procs

from . import Settings, checkout, progress
from .report import Section, fmt_s

TIES_PER_AGENCY = 5
#: Roadmap documents are rendered for sizes up to this many agencies.
DOCUMENTS_UP_TO = 1_000
STAGES = ("load", "analysis", "maturity", "gaps", "html", "docx+md", "pdf")


def _peak_mb() -> float:
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's size at fork.
    return procs.memory_mb(os.getpid(), "VmHWM") or 0.0


def worker(n: int, out: str) -> None:
    """Measure one size; write the figures as JSON to ``out`` (run in a fresh process)."""
    root = checkout()
    from benchmarks.synthetic import synthetic_region_folder
    from workbench.data import load_region
    from workbench.maturity import assess_region
    from workbench.network import analyse_network
    from workbench.roadmap import detect_gaps

    figures: dict[str, Any] = {"agencies": n, "ties": TIES_PER_AGENCY * n}
    with tempfile.TemporaryDirectory(prefix="wb-proof-scale-") as tmp:
        folder = synthetic_region_folder(Path(tmp), n, TIES_PER_AGENCY * n)
        figures["mb before"] = _peak_mb()

        def stage(name: str, fn: Any) -> Any:
            t0 = time.perf_counter()
            result = fn()
            figures[name] = time.perf_counter() - t0
            figures[f"mb after {name}"] = _peak_mb()
            return result

        region = stage("load", lambda: load_region(folder))
        figures["organisations"] = sum(1 for a in region.agencies if not a.is_forum)
        stage("analysis", lambda: analyse_network(region))
        stage("maturity", lambda: assess_region(region))
        stage("gaps", lambda: detect_gaps(region))
        if n <= DOCUMENTS_UP_TO:
            from workbench.roadmap.render import batch, render_roadmap
            docs = Path(tmp) / "docs"
            with batch() as b:
                # Warm up every format (kernel, imports, Chromium) on the tiny region first.
                render_roadmap(root / "tests" / "fixtures" / "regions" / "xx-tiny", docs / "warm", shared=b)
                stage("html", lambda: render_roadmap(folder, docs, ("html",), shared=b))
                stage("docx+md", lambda: render_roadmap(folder, docs, ("docx", "md"), shared=b))
                stage("pdf", lambda: render_roadmap(folder, docs, ("pdf",), shared=b))
                figures["kernel mb"] = max((procs.memory_mb(k, "VmHWM") or 0 for k in procs.kernels(os.getpid())),
                                           default=None)
            figures["pdf pages"] = _pdf_pages(docs / f"roadmap-{region.id}.pdf")
    figures["peak mb"] = _peak_mb()
    Path(out).write_text(json.dumps(figures))


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def measure(n: int) -> dict[str, Any]:
    """Run :func:`worker` for ``n`` agencies in a fresh interpreter."""
    root = checkout()
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        code = f"from proof.scale import worker; worker({n}, {out.name!r})"
        r = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=1800)
        if r.returncode != 0:
            raise RuntimeError(f"scale worker for {n} agencies failed:\n{r.stderr[-3000:]}")
        return json.loads(Path(out.name).read_text())


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Slope of log(time) on log(size); ``None`` with fewer than two sizes.

    >>> round(exponent([(100, 0.01), (1000, 0.1), (10000, 1.0)]), 2)
    1.0
    """
    import numpy as np
    pts = [(n, t) for n, t in points if t and t > 0]
    if len(pts) < 2:
        return None
    slope, _ = np.polyfit([math.log(n) for n, _ in pts], [math.log(t) for _, t in pts], 1)
    return float(slope)


def run(settings: Settings, shared: dict[str, Any]) -> Section:
    checkout()
    results: dict[int, dict[str, Any]] = {}
    for n in settings.sizes:
        progress("scale", f"{n:,} agencies, {TIES_PER_AGENCY * n:,} ties")
        results[n] = measure(n)
    shared["scale"] = results
    sizes = sorted(results)
    columns = ["stage", *[f"{n:,} agencies" for n in sizes], "growth exponent (all sizes)",
               "exponent (largest two)"]
    rows = []
    for st in STAGES:
        pts = [(n, results[n].get(st)) for n in sizes if results[n].get(st) is not None]
        e_all, e_top = exponent(pts), exponent(pts[-2:])
        rows.append([_stage_label(st), *[fmt_s(results[n].get(st)) if st in results[n] else "not run"
                                         for n in sizes],
                     "—" if e_all is None else f"{e_all:.2f}", "—" if e_top is None else f"{e_top:.2f}"])
    rows.append(["peak memory of the process (MB)", *[f"{results[n]['peak mb']:,.0f}" for n in sizes], "", ""])
    rows.append(["peak memory after load + analysis (MB)",
                 *[f"{results[n]['mb after analysis']:,.0f}" for n in sizes], "", ""])
    rows.append(["peak memory of the notebook kernel (MB)",
                 *[f"{results[n]['kernel mb']:,.0f}" if results[n].get("kernel mb") else "—" for n in sizes],
                 "", ""])
    rows.append(["organisations in the graph / PDF pages",
                 *[f"{results[n]['organisations']:,} / {results[n].get('pdf pages', '—')}" for n in sizes], "", ""])
    section = Section("scale", "Scale", columns, rows)
    section.notes = [
        f"Synthetic regions from `benchmarks/synthetic.py` (seeded): {TIES_PER_AGENCY} ties per agency, one "
        "agency in fifty a forum, a tenth of the ties forum memberships; each size measured once in a fresh process.",
        f"Roadmap documents are rendered only up to {DOCUMENTS_UP_TO:,} agencies (\"not run\" above): a roadmap "
        "of thousands of agencies is not a document anyone reads, and the PDF of the 1,000-agency region already "
        "runs to the page count shown. Times are after a warm-up render of the tiny fixture region in the same "
        "kernel; PDF is the notebook run again and printed by Chromium.",
        "The exponent over all sizes understates growth where fixed start-up costs dominate the small sizes; "
        "the exponent over the largest two sizes is the one to read for large regions.",
    ]
    return section


def _stage_label(stage: str) -> str:
    return {
        "load": "load and validate (`load_region`)",
        "analysis": "network analysis (`analyse_network`, uncached)",
        "maturity": "maturity scoring and evidence (`assess_region`)",
        "gaps": "gap detection (`detect_gaps`)",
        "html": "roadmap HTML (`render_roadmap`)",
        "docx+md": "roadmap DOCX and Markdown",
        "pdf": "roadmap PDF (notebook and Chromium print)",
    }[stage]
