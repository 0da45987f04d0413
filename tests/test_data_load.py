"""Loading valid regions in every accepted dialect."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.data import load_region
from workbench.errors import RegionInvalid

from .conftest import ROOT


def test_tiny_region_loads(tiny: Path):
    r = load_region(tiny)
    assert r.id == "xx-tiny" and r.info.country == "BE" and r.info.language == "fr"
    assert len(r.agencies) == 12
    assert {a.id for a in r.forums} == {"platform", "marac"}
    assert {a.id for a in r.units} == {"police-sapv"}
    assert r.by_id["ngo"].target_groups == ("dv_victims_general", "children_adolescents")
    assert r.by_id["shelter"].excluded_groups == ("undocumented",)
    assert r.by_id["muni"].lead is True and r.by_id["police"].lead is False
    assert r.by_id["fpc"].dv_relay is None
    assert r.by_id["old"].status == "discontinued" and not r.by_id["old"].is_live
    assert len(r.relationships) == 19
    assert r.rounds == ["2025-baseline"]
    assert r.actions[0].partners == ("praxis", "police")


def test_semicolon_bom_and_cp1252_are_read_alike(tiny: Path):
    base = load_region(tiny)
    text = (tiny / "agencies.csv").read_text(encoding="utf-8")
    (tiny / "agencies.csv").write_bytes(text.replace(",", ";").encode("cp1252"))
    (tiny / "relationships.csv").write_bytes(b"\xef\xbb\xbf" + (tiny / "relationships.csv").read_bytes())
    again = load_region(tiny)
    assert again.agencies == base.agencies and again.relationships == base.relationships


def test_crlf_blank_rows_headers_case_and_spaces(tiny: Path):
    base = load_region(tiny)
    lines = (tiny / "agencies.csv").read_text().splitlines()
    header = ", ".join(h.upper() for h in lines[0].split(","))
    body = [",".join(f" {c} " if c else c for c in ln.split(",")) for ln in lines[1:]]
    (tiny / "agencies.csv").write_bytes(("\r\n".join([header, *body[:3], "", ",,,", *body[3:]]) + "\r\n").encode())
    again = load_region(tiny)
    assert again.agencies == base.agencies


def test_booleans_in_every_language(tiny: Path):
    text = (tiny / "agencies.csv").read_text()
    text = text.replace("Centre,active,yes,", "Centre,active,OUI,").replace(",active,no,", ",active,Nein,")
    (tiny / "agencies.csv").write_text(text)
    r = load_region(tiny)
    assert r.by_id["muni"].lead is True and r.by_id["police"].lead is False


def test_warnings_do_not_block(tiny: Path):
    text = (tiny / "agencies.csv").read_text()
    (tiny / "agencies.csv").write_text(text.replace("DV referent", "call +32 471 12 34 56"))
    r = load_region(tiny)
    assert any(w.column == "relay_role" and w.row == 3 for w in r.warnings)


def test_optional_tables_may_be_absent(tiny: Path):
    (tiny / "assessment.csv").unlink()
    (tiny / "actions.csv").unlink()
    r = load_region(tiny)
    assert r.assessment == () and r.actions == ()


def test_header_only_relationships(tiny: Path):
    (tiny / "relationships.csv").write_text("source,target,type\n")
    assert load_region(tiny).relationships == ()


@pytest.mark.parametrize("folder", sorted((ROOT / "data" / "partners").glob("*/")) +
                         sorted((ROOT / "data" / "reference").glob("*/")), ids=lambda p: p.name)
def test_example_regions_are_valid(folder: Path):
    try:
        r = load_region(folder)
    except RegionInvalid as exc:  # pragma: no cover - shows every problem
        pytest.fail(str(exc))
    assert r.id == folder.name


def test_example_regions_meet_the_brief():
    regions = [load_region(p) for p in sorted((ROOT / "data" / "partners").glob("*/"))]
    assert sorted(r.info.country for r in regions) == sorted(["EE", "BG", "FR", "DE", "GR", "ES", "RO", "BE"])
    for r in regions:
        assert 25 <= len(r.agencies) <= 60, r.id
        assert 60 <= len(r.relationships) <= 250, r.id
        assert r.forums and r.units, r.id
        assert len({rel.type for rel in r.relationships}) >= 8, r.id
        raters = {a.rater for a in r.assessment}
        assert 2 <= len(raters) <= 3, r.id
        assert r.actions, r.id
    refs = {load_region(p).id for p in (ROOT / "data" / "reference").glob("*/")}
    assert refs == {"de-hanover-haip", "gb-scotland-division", "at-vienna-marac",
                    "at-hospital-protection-groups", "fi-dv-investigation-team", "hu-okit",
                    "fr-embedded-social-workers", "de-berlin-big", "hu-crisis-ambulance", "pt-oeste-gavvd",
                    "si-ljubljana-perpetrator-programme"}


def test_long_free_text_loads_in_linear_time(tiny: Path):
    """A pasted document in a notes cell must not stall every load (the contact check once took 4 s per 40 KB)."""
    import time

    from workbench.data import RegionStore
    RegionStore(tiny, editor="test").edit_agency("ngo", notes="n" * 300_000 + " write to ngo@example.org")
    t0 = time.perf_counter()
    region = load_region(tiny)
    assert time.perf_counter() - t0 < 2.0
    assert any(w.column == "notes" and "e-mail" in w.message for w in region.warnings)


def test_every_problem_is_worded_in_each_finished_language(tiny: Path):
    """The loader's problems carry their catalogue keys: each finished language words them, with no English left."""
    from workbench import i18n

    text = (tiny / "agencies.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",colour"  # an unknown column: a warning
    text = [text[0], *(line + "," for line in text[1:])]
    text.append("Bad!,X,policee,nobody,maybe,,elderly;disabled,,,sleeping,,call +32 470 12 34 56,")
    (tiny / "agencies.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(RegionInvalid) as exc:
        load_region(tiny)
    problems = exc.value.problems
    assert len(problems) >= 7 and any(not p.is_error for p in problems)
    assert all(p.said is not None for p in problems)
    for lang in i18n.COMPLETE:
        if lang == i18n.DEFAULT:
            continue
        for p in problems:
            english, words = p.text(i18n.DEFAULT), p.text(lang)
            assert words.split(": ", 1)[0] == english.split(": ", 1)[0]  # FILE:ROW:COLUMN unchanged
            assert p.message not in words and (p.fix is None or p.fix not in words), (lang, words)
            if not p.is_error:
                assert i18n.text("problems.severity.warning", lang) in words
