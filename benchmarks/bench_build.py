"""Time `workbench build` for the example regions, and the obvious alternative.

Prints, measured in one run:
* the full build (HTML, PDF, DOCX, Markdown and the comparison), each region in its own
  language (the default) — target < 90 s;
* the same full build forced to English (``--lang en``), and the ratio of the two: what
  speaking eight languages costs;
* the HTML-only build — target < 20 s;
* `jupyter nbconvert --execute` of the roadmap notebook once per region (HTML only),
  the obvious alternative, and the ratio of the two HTML times.

    .venv/bin/python benchmarks/bench_build.py [--skip-alternative] [--repeat N]

The machine's load average is printed before and after: on a shared machine the figures
are only comparable with each other, within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbench.i18n import DEFAULT

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    """Seconds ``cmd`` takes, started with an empty cache (no layout stored by an earlier run)."""
    with tempfile.TemporaryDirectory(prefix="workbench-bench-cache-") as cache:
        env = {**os.environ, "WORKBENCH_CACHE": cache}
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=env)
        return time.perf_counter() - t0


def nbconvert_per_region(out: Path) -> float:
    """The alternative: papermill-style parameters injected, then one nbconvert --execute per region."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    regions = sorted(p for p in (ROOT / "data" / "partners").glob("*/"))
    t0 = time.perf_counter()
    for folder in regions:
        nb = parameterize_notebook(load_notebook_node(str(ROOT / "templates" / "roadmap.ipynb")),
                                   {"region_path": str(folder)})
        path = out / f"{folder.name}.ipynb"
        path.write_text(json.dumps(nb))
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html", "--no-input",
                        str(path)], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def load_average() -> str:
    """The 1, 5 and 15 minute load averages and the number of cores, as one line."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def languages(data: Path) -> dict[str, str]:
    """Each example region's id mapped to the language its documents are built in by default."""
    import tomllib

    from workbench.i18n import supported

    return {p.name: supported(tomllib.loads((p / "region.toml").read_text(encoding="utf-8")).get("language"))
            for p in sorted(data.iterdir()) if (p / "region.toml").exists()}


def documents_in_process(data: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds to word every region's DOCX and Markdown in its own language, then in English, alternated.

    In one process, without the notebook kernel and Chromium the full build starts: what the
    language itself costs, with less of the shared machine's noise than whole builds.
    """
    from workbench.data import load_region
    from workbench.roadmap.document import build_roadmap
    from workbench.roadmap.docx import write_docx
    from workbench.roadmap.markdown import markdown

    regions = [load_region(p) for p in sorted(data.iterdir()) if (p / "region.toml").exists()]
    for r in regions[:1]:
        markdown(build_roadmap(r, DEFAULT))  # warm the catalogues and caches once
    own: list[float] = []
    eng: list[float] = []
    for _ in range(repeat):
        for lang, times in ((None, own), (DEFAULT, eng)):
            t0 = time.perf_counter()
            for r in regions:
                rm = build_roadmap(r, lang)
                markdown(rm)
                write_docx(rm)
            times.append(time.perf_counter() - t0)
    return own, eng


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--skip-alternative", action="store_true")
    ap.add_argument("--documents-only", action="store_true",
                    help="only the in-process DOCX and Markdown comparison (no kernel, no Chromium)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="full builds of each kind, alternated; the best of each is compared (default 1)")
    args = ap.parse_args()
    wb = str(BIN / "workbench")
    own = languages(ROOT / "data" / "partners")
    print(f"{len(own)} example regions: " + ", ".join(f"{r} ({lang})" for r, lang in own.items()))
    print("before: " + load_average())
    d_own, d_en = documents_in_process(ROOT / "data" / "partners", max(3, args.repeat))
    m_own, m_en = statistics.median(d_own), statistics.median(d_en)
    print(f"DOCX + Markdown of every region, in process, median of {len(d_own)}: own languages {m_own:5.1f} s, "
          f"{DEFAULT} only {m_en:5.1f} s, ratio {m_own / m_en:4.2f}x; " + load_average())
    if args.documents_only:
        return
    with tempfile.TemporaryDirectory() as tmp:
        t_own: list[float] = []
        t_en: list[float] = []
        for i in range(args.repeat):  # alternated, so a burst of load on the shared machine hits both
            t_own.append(timed([wb, "build", "--out", f"{tmp}/own-{i}"]))
            t_en.append(timed([wb, "build", "--out", f"{tmp}/en-{i}", "--lang", DEFAULT]))
            print(f"  run {i + 1}: own languages {t_own[-1]:6.1f} s, {DEFAULT} only {t_en[-1]:6.1f} s; "
                  + load_average())
        t_all, t_eng = min(t_own), min(t_en)
        t_html = timed([wb, "build", "--out", f"{tmp}/html", "--format", "html"])
        verdict = "within" if t_all < 90 else "OVER"
        best = f"best of {args.repeat}" if args.repeat > 1 else "one run"
        print(f"workbench build, each region in its own language: {t_all:6.1f} s  ({best}; target < 90 s: {verdict})")
        print(f"workbench build --lang {DEFAULT} (English only)        : {t_eng:6.1f} s  ({best})")
        print(f"ratio own languages / English only              : {t_all / t_eng:6.2f}x")
        print(f"workbench build --format html                   : {t_html:6.1f} s  (target < 20 s)")
        if not args.skip_alternative:
            alt = Path(tmp) / "alt"
            alt.mkdir()
            t_alt = nbconvert_per_region(alt)
            print(f"jupyter nbconvert --execute, once per region (html): {t_alt:6.1f} s")
            print(f"ratio nbconvert-per-region / workbench build html   : {t_alt / t_html:6.1f}x")
    print("after:  " + load_average())


if __name__ == "__main__":
    main()
