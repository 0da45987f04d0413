"""Time loading and validating a 10,000-agency, 50,000-tie region.

Prints the median time of ``load_region`` and its ratio to the floor of a
bare ``pandas.read_csv`` of the same two files, measured in the same run.

    .venv/bin/python benchmarks/bench_load.py [--agencies 10000] [--ties 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import median_time, synthetic_region_folder  # noqa: E402

from workbench.data import load_region  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--agencies", type=int, default=10_000)
    ap.add_argument("--ties", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic_region_folder(Path(tmp), args.agencies, args.ties)
        load_region(folder)  # warm imports and caches

        def bare() -> None:
            pd.read_csv(folder / "agencies.csv", dtype=str, keep_default_na=False)
            pd.read_csv(folder / "relationships.csv", dtype=str, keep_default_na=False)

        t_bare = median_time(bare, args.repeat)
        t_load = median_time(lambda: load_region(folder), args.repeat)
    print(f"region: {args.agencies} agencies, {args.ties} ties")
    print(f"bare pandas.read_csv : {t_bare:.3f} s")
    print(f"load_region          : {t_load:.3f} s   (target < 3 s)")
    print(f"ratio                : {t_load / t_bare:.1f}x the read_csv floor (aim <= 3x)")


if __name__ == "__main__":
    main()
