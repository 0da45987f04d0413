"""Time maturity scoring and network evidence for every example region, after loading.

Prints, per region and in total, the median time of ``assess_region`` (scoring,
evidence and conflicts), and its ratio to the 1 s budget and to the time
``load_region`` took for the same regions, all measured in the same run.

    .venv/bin/python benchmarks/bench_maturity.py [--data data/partners] [--repeat 7]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import median_time  # noqa: E402

from workbench.config import data_dir  # noqa: E402
from workbench.data import load_region  # noqa: E402
from workbench.maturity import assess_region  # noqa: E402

BUDGET = 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=data_dir())
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    folders = sorted(p for p in args.data.iterdir() if p.is_dir() and not p.name.startswith("."))
    t0 = time.perf_counter()
    regions = [load_region(p) for p in folders]
    t_load = time.perf_counter() - t0
    assess_region(regions[0])  # warm the rubric, taxonomy and maturity.toml caches
    for r in regions:
        t = median_time(lambda r=r: assess_region(r), args.repeat)
        print(f"{r.id:24} {len(r.agencies):4} agencies {len(r.relationships):4} ties "
              f"{len(r.assessment):4} answers  {1000 * t:7.1f} ms")
    total = median_time(lambda: [assess_region(r) for r in regions], args.repeat)
    print(f"all {len(regions)} regions: {total:.3f} s  (budget {BUDGET:.0f} s: "
          f"{total / BUDGET:.1%} of it; loading took {t_load:.3f} s, "
          f"assessing is {total / t_load:.2f}x the load time)")


if __name__ == "__main__":
    main()
