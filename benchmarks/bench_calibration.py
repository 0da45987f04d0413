"""Calibration figures over the reference regions (issue 14).

Prints, per reference region of ``benchmarks/calibration.toml``: the gaps
that must fire and fire, the gaps that must not fire and fire, the
maturity levels inside their ranges; then the totals. The number of
checks per region is printed once the gap engine produces checks. Run: ``python benchmarks/bench_calibration.py``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from workbench.maturity.reference import profile, reference_regions
from workbench.roadmap.gaps import detect_gaps

SPEC = Path(__file__).with_name("calibration.toml")


def expectations() -> dict[str, dict[str, Any]]:
    """The per-region expectations of ``calibration.toml``."""
    with SPEC.open("rb") as fh:
        return tomllib.load(fh)["regions"]


def in_range(level: int | None, bounds: list[int]) -> bool:
    """Whether a level lies in ``[lo, hi]``; an unset level lies in no range.

    >>> in_range(3, [3, 4]), in_range(None, [0, 2]), in_range(2, [3, 4])
    (True, False, False)
    """
    return level is not None and bounds[0] <= level <= bounds[1]


def calibrate(region_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    """One region's figures: fired ids, hits, false alarms, ranges met, checks."""
    region = reference_regions()[region_id]
    gaps = detect_gaps(region)
    fired = {g.id for g in gaps}
    levels = profile(region)
    ranges = spec.get("ranges", {})
    return {
        "must_fire": sorted(set(spec["must_fire"]) & fired), "of_must_fire": len(spec["must_fire"]),
        "missed": sorted(set(spec["must_fire"]) - fired),
        "false": sorted(set(spec["must_not_fire"]) & fired), "of_must_not": len(spec["must_not_fire"]),
        "in_range": sorted(c for c, b in ranges.items() if in_range(levels.get(c), b)),
        "out_of_range": {c: levels.get(c) for c, b in ranges.items() if not in_range(levels.get(c), b)},
        "of_ranges": len(ranges),
    }


def main() -> None:
    totals = [0, 0, 0, 0, 0, 0]
    for rid, spec in sorted(expectations().items()):
        f = calibrate(rid, spec)
        print(f"{rid}: must fire {len(f['must_fire'])}/{f['of_must_fire']} (missed {f['missed']}); "
              f"must not fire but fire {len(f['false'])}/{f['of_must_not']} {f['false']}; "
              f"levels in range {len(f['in_range'])}/{f['of_ranges']} (out {f['out_of_range']})")
        for k, v in enumerate((len(f["must_fire"]), f["of_must_fire"], len(f["false"]), f["of_must_not"],
                               len(f["in_range"]), f["of_ranges"])):
            totals[k] += v
    print("checks per region: none yet (the gap engine has no checks; issue 14 point 2 is open)")
    print(f"total: must fire {totals[0]}/{totals[1]}; must not fire but fire {totals[2]}/{totals[3]}; "
          f"levels in range {totals[4]}/{totals[5]}")


if __name__ == "__main__":
    main()
