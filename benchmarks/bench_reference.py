"""The reference regions against what the IMPRODOVA study says of them (issue 14, point 4).

Reads ``tests/fixtures/reference_expectations.toml`` and analyses every
reference region (``data/reference/``) and example region
(``data/partners/``) through the public API, exactly as
``workbench analyse --json`` does. Prints, per reference region: the gaps
that must fire and fire, the gaps that must not fire but fire, the maturity
levels inside their ranges, and the number of gaps and of checks ("n/a"
while the analysis has no ``checks`` list); then the totals; then, per gap
rule, on how many of the example and reference regions it fires.

    .venv/bin/python benchmarks/bench_reference.py
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from workbench import api
from workbench.paths import examples_dir, reference_dir
from workbench.roadmap import gap_catalogue

EXPECTATIONS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reference_expectations.toml"


def expectations(path: Path = EXPECTATIONS) -> dict[str, dict[str, Any]]:
    """The per-region expectations, by region id."""
    with path.open("rb") as fh:
        return tomllib.load(fh)["regions"]


def in_range(level: int | None, spec: dict[str, Any]) -> bool:
    """Whether a level lies in ``[min, max]``; an unset level only where ``null_ok``.

    >>> in_range(3, {"min": 3, "max": 4}), in_range(2, {"min": 3, "max": 4})
    (True, False)
    >>> in_range(None, {"min": 0, "max": 4}), in_range(None, {"min": 0, "max": 4, "null_ok": True})
    (False, True)
    """
    if level is None:
        return bool(spec.get("null_ok", False))
    return int(spec["min"]) <= level <= int(spec["max"])


def analysed(folder: Path) -> dict[str, Any]:
    """What ``workbench analyse --json`` gives for one region folder, reduced to what is compared."""
    out = api.analyse(folder)
    checks = out.get("checks")
    return {
        "gaps": {g["id"] for g in out["gaps"]},
        "levels": {c: m.get("level") for c, m in out["maturity"].items()},
        "checks": None if checks is None else len(checks),
    }


def score(spec: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """One region's figures against its expectations.

    >>> spec = {"must_fire": [{"gap": "G01"}, {"gap": "G04"}], "must_not_fire": [{"gap": "G02"}],
    ...         "maturity": {"C1": {"min": 3, "max": 4}, "C2": {"min": 0, "max": 2}}}
    >>> f = score(spec, {"gaps": {"G01", "G02"}, "levels": {"C1": 3, "C2": 3}, "checks": None})
    >>> f["hit"], f["missed"], f["false"], f["in_range"], f["out_of_range"]
    (['G01'], ['G04'], ['G02'], ['C1'], {'C2': 3})
    """
    must = [e["gap"] for e in spec.get("must_fire", [])]
    must_not = [e["gap"] for e in spec.get("must_not_fire", [])]
    ranges = spec.get("maturity", {})
    fired = result["gaps"]
    return {
        "hit": sorted(set(must) & fired), "of_must": len(must), "missed": sorted(set(must) - fired),
        "false": sorted(set(must_not) & fired), "of_must_not": len(must_not),
        "in_range": sorted(c for c, r in ranges.items() if in_range(result["levels"].get(c), r)),
        "out_of_range": {c: result["levels"].get(c) for c, r in sorted(ranges.items())
                         if not in_range(result["levels"].get(c), r)},
        "of_ranges": len(ranges),
    }


def main() -> None:
    specs = expectations()
    refs = {p.name: p for p in sorted(reference_dir().iterdir()) if (p / "region.toml").is_file()}
    examples = {p.name: p for p in sorted(examples_dir().iterdir()) if (p / "region.toml").is_file()}
    results = {rid: analysed(p) for rid, p in {**examples, **refs}.items()}

    print(f"Reference regions against tests/fixtures/reference_expectations.toml ({len(specs)} regions)")
    totals = dict.fromkeys(("hit", "of_must", "false", "of_must_not", "in_range", "of_ranges"), 0)
    for rid in sorted(specs):
        if rid not in results:
            print(f"{rid}: no such reference region")
            continue
        r, f = results[rid], score(specs[rid], results[rid])
        out = ", ".join(f"{c}={lvl} not in [{specs[rid]['maturity'][c]['min']}, {specs[rid]['maturity'][c]['max']}]"
                        for c, lvl in f["out_of_range"].items())
        checks = "n/a" if r["checks"] is None else r["checks"]
        print(f"{rid}")
        print(f"  must fire and fire      {len(f['hit'])}/{f['of_must']}   missed {', '.join(f['missed']) or '-'}")
        print(f"  must not fire but fire  {len(f['false'])}/{f['of_must_not']}   {', '.join(f['false']) or '-'}")
        print(f"  levels in range         {len(f['in_range'])}/{f['of_ranges']}   {out or '-'}")
        print(f"  gaps {len(r['gaps'])}, checks {checks}")
        for key, n in (("hit", len(f["hit"])), ("of_must", f["of_must"]), ("false", len(f["false"])),
                       ("of_must_not", f["of_must_not"]), ("in_range", len(f["in_range"])),
                       ("of_ranges", f["of_ranges"])):
            totals[key] += n
    print(f"total: must fire and fire {totals['hit']}/{totals['of_must']}; "
          f"must not fire but fire {totals['false']}/{totals['of_must_not']}; "
          f"levels in range {totals['in_range']}/{totals['of_ranges']}")

    print(f"\nPer rule: regions it fires on ({len(examples)} example, {len(refs)} reference, "
          f"{len(examples) + len(refs)} in all)")
    for gid in sorted(gap_catalogue()["gaps"]):
        n_ex = sum(gid in results[r]["gaps"] for r in examples)
        n_ref = sum(gid in results[r]["gaps"] for r in refs)
        flag = "  <- fires on every reference region" if refs and n_ref == len(refs) else ""
        print(f"  {gid}  examples {n_ex:2}/{len(examples)}  reference {n_ref:2}/{len(refs)}  "
              f"all {n_ex + n_ref:2}/{len(examples) + len(refs)}{flag}")


if __name__ == "__main__":
    main()
