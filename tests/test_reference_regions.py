"""The reference regions and their expectations are well formed (issue 14, point 4).

What must hold already: every reference region loads without a problem or a
warning, every row of every file cites seed lines that exist, and
``tests/fixtures/reference_expectations.toml`` names only existing regions,
gap ids and characteristics, each with a reason and a citation. Whether the
gap rules and the maturity scoring meet those expectations is measured by
``benchmarks/bench_reference.py``, not asserted here: that is the rule
rework's job.
"""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from workbench.data import load_region
from workbench.roadmap import gap_catalogue

from .conftest import ROOT

REFERENCE = ROOT / "data" / "reference"
FOLDERS = sorted(p for p in REFERENCE.iterdir() if (p / "region.toml").is_file())
EXPECTATIONS = ROOT / "tests" / "fixtures" / "reference_expectations.toml"

#: Physical line counts of the seed files, as listed in the partnership framework's
#: citation table (section 0); citations must fall inside them.
SEED_LINES = {"000": 20, "001": 66, "002": 30, "003": 442, "004": 7527}

#: The text column that carries the citation, per file.
CITED = {"agencies.csv": "notes", "relationships.csv": "notes", "assessment.csv": "evidence",
         "actions.csv": "notes"}

CITATION = re.compile(r"\[(\d{3}):([^\]]*)\]")
RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
CHARACTERISTICS = ("C1", "C2", "C3", "C4", "C5")


def cited_ranges(text: str) -> list[tuple[str, int, int]]:
    """The ``(seed, first, last)`` line ranges cited as ``[004:12-15, 20]`` in a text.

    Raises ``ValueError`` for a citation whose line list does not parse.

    >>> cited_ranges("Runs the office. [004:3386-3387, 3413]")
    [('004', 3386, 3387), ('004', 3413, 3413)]
    >>> cited_ranges("none here")
    []
    """
    out = []
    for seed, lines in CITATION.findall(text):
        for part in lines.split(","):
            m = RANGE.match(part.strip())
            if not m:
                raise ValueError(f"bad line range {part.strip()!r} in [{seed}:{lines}]")
            first = int(m.group(1))
            out.append((seed, first, int(m.group(2) or first)))
    return out


def bad_ranges(ranges: list[tuple[str, int, int]]) -> list[str]:
    """The ranges that name an unknown seed, run backwards or leave the seed file.

    >>> bad_ranges([("004", 1, 7527), ("004", 10, 9), ("004", 7000, 7600), ("009", 1, 2)])
    ['004:10-9', '004:7000-7600', '009:1-2']
    """
    return [f"{s}:{a}-{b}" for s, a, b in ranges
            if s not in SEED_LINES or not 1 <= a <= b <= SEED_LINES[s]]


def expectations() -> dict[str, dict[str, Any]]:
    with EXPECTATIONS.open("rb") as fh:
        return tomllib.load(fh)["regions"]


def test_the_citation_parser_refuses_what_it_cannot_read():
    with pytest.raises(ValueError):
        cited_ranges("[004:12-x]")


def test_there_are_eleven_reference_regions():
    assert len(FOLDERS) == 11


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_reference_region_loads_without_problems(folder: Path):
    region = load_region(folder)
    assert region.id == folder.name
    assert region.info.reference
    assert [str(w) for w in region.warnings] == []
    assert region.agencies and region.relationships and region.assessment


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_every_row_cites_seed_lines_that_exist(folder: Path):
    description = tomllib.loads((folder / "region.toml").read_text(encoding="utf-8"))["description"]
    assert re.search(r"\b004:\d+-\d+", description), "the description names the case's seed lines"
    missing, bad = [], []
    for name, column in CITED.items():
        path = folder / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row_no, row in enumerate(csv.DictReader(fh), start=2):
                ranges = cited_ranges(row.get(column) or "")
                if not ranges:
                    missing.append(f"{name}:{row_no}")
                bad += [f"{name}:{row_no}: {r}" for r in bad_ranges(ranges)]
    assert missing == [], "rows without a seed citation"
    assert bad == [], "citations outside the seed files"


def test_expectations_name_every_reference_region_and_only_those():
    assert sorted(expectations()) == [p.name for p in FOLDERS]


@pytest.mark.parametrize("region_id", sorted(expectations()))
def test_expectations_are_well_formed(region_id: str):
    spec = expectations()[region_id]
    catalogue = set(gap_catalogue()["gaps"])
    entries = spec.get("must_fire", []) + spec.get("must_not_fire", [])
    assert entries, "a region states at least one gap"
    for kind in ("must_fire", "must_not_fire"):
        ids = [e["gap"] for e in spec.get(kind, [])]
        assert len(ids) == len(set(ids)), f"{kind} repeats a gap"
        assert set(ids) <= catalogue, f"{kind} names gaps not in the catalogue: {set(ids) - catalogue}"
    both = {e["gap"] for e in spec.get("must_fire", [])} & {e["gap"] for e in spec.get("must_not_fire", [])}
    assert not both, f"gaps both required and forbidden: {both}"
    assert sorted(spec["maturity"]) == list(CHARACTERISTICS)
    for c, r in spec["maturity"].items():
        assert 0 <= r["min"] <= r["max"] <= 4, c
        assert r["follows"] in ("study", "ladder"), c
        entries.append(r)
    for e in entries:
        assert e["why"].strip(), e
        ranges = cited_ranges(f"[{e['cite']}]")
        assert ranges and not bad_ranges(ranges), e["cite"]
