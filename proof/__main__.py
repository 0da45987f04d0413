"""``python -m proof [--reduced] [--only AREA ...] [--out FILE]``.

Runs the proof, writes the report, prints the checks that failed, and exits
with status 1 when any did.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import AREAS, ROOT, run_proof
from .report import TOLERANCE


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m proof", description=(
        "Prove reliability, security and speed: bad input, crashes and concurrency, injection, load, scale "
        "and the speed targets. Writes a Markdown report (docs/quality.md for the full run)."))
    ap.add_argument("--reduced", action="store_true", help="the smaller counts CI runs (a few minutes)")
    ap.add_argument("--only", nargs="+", choices=AREAS, metavar="AREA", help=f"run only these areas: {AREAS}")
    ap.add_argument("--out", type=Path, default=None,
                    help="report file (default: docs/quality.md for a full run of every area, "
                         "else out/quality.md)")
    args = ap.parse_args(argv)
    out = args.out or ROOT / ("docs" if not args.reduced and not args.only else "out") / "quality.md"
    argv_text = " ".join(sys.argv[1:] if argv is None else argv)
    command = ("make proof" if not argv_text else f".venv/bin/python -m proof {argv_text}")
    report = run_proof(full=not args.reduced, out=out, only=args.only, command=command)
    print(f"wrote {out} in {report.seconds / 60:.1f} minutes", file=sys.stderr)
    for section, check in report.failures:
        print(f"FAIL [{section.title}] {check.name}: measured {check.shown}, must be {check.limit}",
              file=sys.stderr)
    if report.failures:
        print(f"{len(report.failures)} check(s) failed (a \"must be 0\" not 0, a speed target missed by more "
              f"than {TOLERANCE:.0%}, or a figure not measured)", file=sys.stderr)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
