"""The reference cases land where the study puts them."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.maturity import assess_region, compare_to_reference, reference_profiles
from workbench.maturity.reference import profile, reference_regions

from .conftest import ROOT


def levels(rid: str) -> dict[str, int | None]:
    return reference_profiles()[rid]["levels"]


def test_the_reference_regions_load_through_the_data_api():
    refs = reference_regions()
    assert sorted(refs) == ["at-hospital-protection-groups", "at-vienna-marac", "de-berlin-big", "de-hanover-haip",
                            "fi-dv-investigation-team", "fr-embedded-social-workers", "gb-scotland-division",
                            "hu-crisis-ambulance", "hu-okit", "pt-oeste-gavvd", "si-ljubljana-perpetrator-programme"]
    assert all(r.info.reference for r in refs.values())


def test_haip_steering_is_level_4_and_every_characteristic_strong():
    haip = levels("de-hanover-haip")
    assert haip["C2"] == 4
    # the study reads HAIP as strong on all five characteristics [004:3413-4008]
    assert min(haip.values()) >= 3


def test_vienna_information_sharing_is_low():
    vienna = levels("at-vienna-marac")
    assert vienna["C3"] is not None and vienna["C3"] <= 1
    # weak steering (no structure, no clear roles), strongest on its targeted focus
    assert vienna["C2"] <= 2 and vienna["C1"] >= vienna["C2"]
    assert vienna["C1"] == 2  # one group, written, with a 21-item selection template


def test_scotland_strong_on_targeting_and_sharing_weaker_on_steering():
    scot = levels("gb-scotland-division")
    assert scot["C1"] >= 3 and scot["C3"] >= 3
    assert scot["C2"] < scot["C3"]  # no funded coordinators, not statutory [004:6549-6560]


def test_reference_profiles_order_of_the_cases():
    haip, vienna = levels("de-hanover-haip"), levels("at-vienna-marac")
    assert all(haip[c] > vienna[c] for c in haip)


def test_haip_feedback_gap_is_visible_in_the_network():
    # "police in most cases do not receive any feedback" [004:4074-4079]
    haip = assess_region(reference_regions()["de-hanover-haip"])
    assert [c["measure"] for c in haip["C3"]["conflicts"]] == ["c3_referral_feedback"]


def test_compare_to_reference():
    own = profile(reference_regions()["at-vienna-marac"])
    c = compare_to_reference(own, "de-hanover-haip")
    assert c["name"].startswith("HAIP")
    assert c["characteristics"]["C2"] == {"region": own["C2"], "reference": 4,
                                          "gap": 4 - own["C2"]}


def test_reference_regions_from_another_folder(tmp_path: Path):
    shutil.copytree(ROOT / "data" / "reference" / "at-vienna-marac", tmp_path / "at-vienna-marac")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "README.md").write_text("not a region")
    assert list(reference_regions(tmp_path)) == ["at-vienna-marac"]
