"""Seeded synthetic regions of any size, for benchmarks and scale tests."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from workbench.data.model import AGENCY_COLUMNS, RELATIONSHIP_COLUMNS, Region
from workbench.data.tables import write_csv
from workbench.taxonomy import taxonomy


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn`` (the machines are shared and noisy)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


TIE_TYPES = ["referral", "feedback", "information_sharing", "consultation", "training",
             "formal_agreement", "informal_tie", "joint_operation", "funding", "statutory_duty"]


def synthetic_files(n_agencies: int, n_ties: int, seed: int = 1) -> dict[str, bytes]:
    """The files of a valid synthetic region with about n_agencies rows and n_ties ties."""
    rng = random.Random(seed)
    tax = taxonomy()
    types = sorted(tax.agency_types)
    groups = sorted(tax.priority_groups)
    n_forums = max(1, n_agencies // 50)
    ids = [f"a{i:06d}" for i in range(n_agencies - n_forums)]
    forums = [f"f{i:05d}" for i in range(n_forums)]
    agencies = []
    for i, a in enumerate(ids):
        parent = ids[rng.randrange(i)] if i > 10 and rng.random() < 0.1 else ""
        agencies.append([a, f"Agency {i} – Région", rng.choice(types), parent,
                         rng.choice(["yes", "no", ""]), "", "|".join(rng.sample(groups, rng.randrange(3))),
                         "", f"area {i % 40}", rng.choice(["active"] * 8 + ["pilot", "planned"]), "", ""])
    for f in forums:
        agencies.append([f, f"Forum {f}", rng.choice(sorted(tax.forum_types)), "", "", "", "", "", "",
                         "active", "", ""])
    seen: set[tuple[str, str, str]] = set()
    ties = []
    n_member = n_ties // 10
    while len(ties) < n_member:
        key = (rng.choice(ids), rng.choice(forums), "forum_membership")
        if key not in seen:
            seen.add(key)
            ties.append([*key, "", "", rng.choice(["member", "chair", ""]),
                         rng.choice(["regular", "rare", ""]), "", "", "active", ""])
    while len(ties) < n_ties:
        s, t = rng.choice(ids), rng.choice(ids)
        key = (s, t, rng.choice(TIE_TYPES))
        if s != t and key not in seen:
            seen.add(key)
            ties.append([*key, rng.choice(["written", "verbal", ""]), rng.choice(["monthly", ""]), "",
                         "", "", rng.choice(["2019", ""]), "active", ""])
    toml = f'id = "xx-synthetic"\nname = "Synthetic {n_agencies}"\ncountry = "BE"\nlanguage = "en"\n'
    return {"region.toml": toml.encode(), "agencies.csv": write_csv(AGENCY_COLUMNS, agencies),
            "relationships.csv": write_csv(RELATIONSHIP_COLUMNS, ties)}


def synthetic_region_folder(parent: Path, n_agencies: int, n_ties: int, seed: int = 1) -> Path:
    folder = parent / "xx-synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in synthetic_files(n_agencies, n_ties, seed).items():
        (folder / name).write_bytes(data)
    return folder


def synthetic_region(n_agencies: int, n_ties: int, seed: int = 1) -> Region:
    from workbench.data import parse_region_files
    return parse_region_files(synthetic_files(n_agencies, n_ties, seed), Path("xx-synthetic"))
