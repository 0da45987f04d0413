"""Time the partner survey on a 60-organisation region: making the workbooks and collecting them.

Prints the median time of ``survey make`` (60 workbooks) and of ``survey collect`` (60 returned
workbooks, each reporting its ties and ratings; survey.csv saved through the store), each beside
its target (5 s and 10 s) as a ratio measured in the same run.

    .venv/bin/python benchmarks/bench_survey.py [--organisations 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import tempfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import median_time  # noqa: E402

from workbench.data import load_region  # noqa: E402
from workbench.survey import collect, write_all  # noqa: E402

TARGET_MAKE_S, TARGET_COLLECT_S = 5.0, 10.0
TYPES = ["police", "victim_support", "shelter", "health_hospital", "social_services", "prosecution",
         "perpetrator_programme", "child_protection", "housing"]


def region_folder(parent: Path, n: int, seed: int = 1) -> Path:
    """A valid region of ``n`` active organisations, two forums and about 4·n ties."""
    rng = random.Random(seed)
    folder = parent / "xx-survey-bench"
    folder.mkdir(parents=True)
    (folder / "region.toml").write_text('id = "xx-survey-bench"\nname = "Survey bench"\ncountry = "BE"\n')
    ids = [f"o{i:03d}" for i in range(n)]
    rows = ["id,name,type"] + [f"{a},Organisation {a} – Région,{TYPES[i % len(TYPES)]}" for i, a in enumerate(ids)]
    rows += ["f1,Forum 1,forum_case_victim_risk", "f2,Forum 2,forum_steering_core"]
    (folder / "agencies.csv").write_text("\n".join(rows) + "\n")
    ties = {(a, b, rng.choice(["referral", "information_sharing", "feedback"]))
            for a in ids for b in rng.sample(ids, 4) if a != b}
    (folder / "relationships.csv").write_text(
        "source,target,type\n" + "".join(f"{s},{t},{k}\n" for s, t, k in sorted(ties)))
    return folder


def fill_all(folder: Path, books: Path, seed: int = 2) -> None:
    """Every organisation answers from relationships.csv, with ratings."""
    rng = random.Random(seed)
    region = load_region(folder)
    for path in sorted(books.glob("*.xlsx")):
        me = path.stem
        wb = openpyxl.load_workbook(path)
        ws = wb["ties"]
        where = {ws.cell(i, 1).value: i for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value}
        spare = max(where.values()) + 1
        dirs: dict[tuple[str, str], set[str]] = {}
        for r in region.relationships:
            if me in (r.source, r.target):
                other = r.target if r.source == me else r.source
                dirs.setdefault((other, r.type), set()).add("to" if r.source == me else "from")
        for (other, kind), d in sorted(dirs.items()):
            first = i = where[other]
            if ws.cell(i, 4).value:
                i, spare = spare, spare + 1
                ws.cell(i, 1).value = other
            ws.cell(i, 3).value = "both" if len(d) == 2 else d.pop()
            ws.cell(i, 4).value = kind
            ws.cell(i, 5).value = "monthly"
            if i == first:
                ws.cell(i, 7).value, ws.cell(i, 8).value = rng.randint(1, 4), rng.randint(1, 4)
            else:  # a copied row keeps the partner's one rating
                ws.cell(i, 7).value, ws.cell(i, 8).value = ws.cell(first, 7).value, ws.cell(first, 8).value
        wb["about"]["B3"] = "coordinator"
        buf = io.BytesIO()
        wb.save(buf)
        path.write_bytes(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--organisations", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = region_folder(Path(tmp), args.organisations)
        books = Path(tmp) / "books"

        def make() -> None:
            write_all(load_region(folder), books, "en")

        t_make = median_time(make, args.repeat)
        fill_all(folder, books)
        copies = iter(range(args.repeat))

        def run_collect() -> None:
            fresh = Path(tmp) / f"run{next(copies)}" / folder.name
            shutil.copytree(folder, fresh)
            collected, merge, _ = collect(fresh, books, "bench")
            assert len(merge.answered) == args.organisations and not collected.problems, collected.problems[:3]

        t_collect = median_time(run_collect, args.repeat)
    print(f"region: {args.organisations} organisations, 2 forums")
    print(f"survey make:    {t_make:.2f} s for {args.organisations} workbooks "
          f"(target < {TARGET_MAKE_S:.0f} s, ratio {t_make / TARGET_MAKE_S:.2f})")
    print(f"survey collect: {t_collect:.2f} s for {args.organisations} returned workbooks "
          f"(target < {TARGET_COLLECT_S:.0f} s, ratio {t_collect / TARGET_COLLECT_S:.2f})")


if __name__ == "__main__":
    main()
