"""Regions for tests and the proof: the hand-made fixtures, and a big synthetic region."""

from __future__ import annotations

import random
from pathlib import Path

from workbench.data import Agency, Region, RegionInfo, Relationship
from workbench.taxonomy import taxonomy

#: The repository's top folder, and its test fixtures.
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Bytes of every file in a folder (to prove nothing was written)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != ".workbench.lock"}


def synthetic_region(n: int = 1500, seed: int = 7) -> Region:
    """A plausible big region: preferential attachment, units, forums, statuses, groups."""
    rng = random.Random(seed)
    tax = taxonomy()
    agency_types = sorted(tax.agency_types)
    forum_types = sorted(tax.forum_types)
    tie_types = sorted(set(tax.relationship_types) - {"part_of", "forum_membership"})
    groups = sorted(tax.priority_groups)
    agencies: list[Agency] = []
    ties: list[Relationship] = []
    orgs: list[str] = []
    targets: list[str] = []
    for i in range(n):
        aid = f"a{i:04d}"
        roll = rng.random()
        status = "planned" if roll < 0.02 else "discontinued" if roll < 0.04 else "active"
        if i > 20 and rng.random() < 0.03:
            agencies.append(Agency(aid, f"Forum {i}", rng.choice(forum_types), "forum",
                                   status=status))
            for member in rng.sample(orgs, min(len(orgs), rng.randint(4, 15))):
                ties.append(Relationship(member, aid, "forum_membership"))
            continue
        parent = rng.choice(orgs) if orgs and rng.random() < 0.15 else None
        agencies.append(Agency(
            aid, f"Agency {i} ({rng.choice(['Nord', 'Süd', 'Αθήνα', 'Пловдив'])})",
            rng.choice(agency_types), "unit" if parent else "organisation", parent=parent,
            target_groups=tuple(rng.sample(groups, rng.randint(0, 2))), status=status,
            notes="Synthetic agency." if rng.random() < 0.2 else None))
        if parent:
            ties.append(Relationship(aid, parent, "part_of"))
        for target in sorted({rng.choice(targets) for _ in range(2)}) if targets else ():
            ties.append(Relationship(aid, target, rng.choice(tie_types)))
        orgs.append(aid)
        targets += [aid, aid]  # preferential attachment: hubs get more ties
        targets += [t.target for t in ties[-2:]]
    return Region(RegionInfo("xx-big", "Synthetic region", "BE"), agencies=tuple(agencies),
                  relationships=tuple(ties))
