"""Time `workbench build` for the example regions, and the obvious alternative.

Prints, measured in one run:
* the full build (HTML, PDF, DOCX, Markdown and the comparison) — target < 90 s;
* the HTML-only build — target < 20 s;
* `jupyter nbconvert --execute` of the roadmap notebook once per region (HTML only),
  the obvious alternative, and the ratio of the two HTML times.

    .venv/bin/python benchmarks/bench_build.py [--skip-alternative]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--skip-alternative", action="store_true")
    args = ap.parse_args()
    wb = str(BIN / "workbench")
    with tempfile.TemporaryDirectory() as tmp:
        t_all = timed([wb, "build", "--out", f"{tmp}/all"])
        t_html = timed([wb, "build", "--out", f"{tmp}/html", "--format", "html"])
        print(f"workbench build (html, pdf, docx, md + comparison): {t_all:6.1f} s  (target < 90 s)")
        print(f"workbench build --format html                     : {t_html:6.1f} s  (target < 20 s)")
        if not args.skip_alternative:
            alt = Path(tmp) / "alt"
            alt.mkdir()
            t_alt = nbconvert_per_region(alt)
            print(f"jupyter nbconvert --execute, once per region (html): {t_alt:6.1f} s")
            print(f"ratio nbconvert-per-region / workbench build html   : {t_alt / t_html:6.1f}x")


if __name__ == "__main__":
    main()
