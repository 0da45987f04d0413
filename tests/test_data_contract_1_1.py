"""Data contract version 1.1: the optional columns, the new values and ids, and version-1 regions unchanged."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.data import load_region
from workbench.data.model import AGENCY_COLUMNS, APPLIES_TO, RELATIONSHIP_COLUMNS, Region
from workbench.data.workbook import read_workbook, workbook_bytes
from workbench.data.write import ADDED, region_files
from workbench.errors import RegionInvalid

from .conftest import ROOT

REGIONS = sorted([*(ROOT / "data" / "partners").iterdir(), *(ROOT / "data" / "reference").iterdir()])
#: The fields version 1.1 adds to each record, with their "not recorded" value.
BLANK = {"agencies": {"frequency": None},
         "relationships": {"mode": None, "scope": (), "instrument": None, "mandatory": None, "temporary": None,
                           "content": ()}}


def version_1(folder: Path, dst: Path) -> Path:
    """A copy of ``folder`` as version 1 wrote it: the 1.1 columns dropped from its CSV files."""
    shutil.copytree(folder, dst)
    for table, added in ADDED.items():
        path = dst / f"{table}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        keep = [i for i, c in enumerate(rows[0]) if c not in added]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
        path.write_text(out.getvalue(), encoding="utf-8")
    return dst


def blanked(region: Region) -> Region:
    """``region`` with every version-1.1 field set to "not recorded"."""
    return dataclasses.replace(
        region,
        agencies=tuple(dataclasses.replace(a, **BLANK["agencies"]) for a in region.agencies),
        relationships=tuple(dataclasses.replace(r, **BLANK["relationships"]) for r in region.relationships))


def test_the_fields_blanked_here_are_the_ones_the_model_declares():
    assert {t: set(v) for t, v in BLANK.items()} == {t: set(v) for t, v in APPLIES_TO.items()}


@pytest.mark.parametrize("folder", REGIONS, ids=lambda p: p.name)
def test_a_version_1_region_loads_and_is_rewritten_unchanged(folder: Path, tmp_path: Path):
    """Without the new columns a region loads as it is with them left empty, and is written as version 1 wrote it.

    The files are written with version 1's columns only, holding the rows the files held (in the canonical
    order); written once, a folder is rewritten byte for byte.
    """
    copy = version_1(folder, tmp_path / folder.name)
    old = load_region(copy)
    assert old == blanked(load_region(folder))
    files = region_files(old)
    for table, columns in (("agencies", AGENCY_COLUMNS), ("relationships", RELATIONSHIP_COLUMNS)):
        written = list(csv.reader(io.StringIO(files[f"{table}.csv"].decode("utf-8"))))
        held = list(csv.reader(io.StringIO((copy / f"{table}.csv").read_text(encoding="utf-8"))))
        assert tuple(written[0]) == columns == tuple(held[0])
        assert sorted(written[1:]) == sorted(held[1:]), table
        (copy / f"{table}.csv").write_bytes(files[f"{table}.csv"])
    assert region_files(load_region(copy)) == files


def test_the_new_columns_load_and_round_trip_through_files_and_the_workbook(tiny: Path, tmp_path: Path):
    rel = tiny / "relationships.csv"
    lines = rel.read_text(encoding="utf-8").splitlines()
    lines[0] += ",mode,scope,instrument,mandatory,temporary,content"
    extra = {"police-sapv,ngo,referral,": ",proactive,,,,,",
             "police,ngo,formal_agreement,": ",,referral | data_protection,,,,",
             "ngo,police-sapv,feedback,": ",,,,,,contact_made|recurrence",
             "muni,ngo,funding,": ",,,,,Oui,",
             "ngo,police,training,": ",,,,NO,,"}
    lines[1:] = [line + next((v for k, v in extra.items() if line.startswith(k)), ",,,,,,") for line in lines[1:]]
    lines.append("police,ngo,shared_instrument,written,fortnightly,,,,,active,,,,DASH-RIC,,,")
    rel.write_text("\n".join(lines) + "\n", encoding="utf-8")
    agencies = tiny / "agencies.csv"
    text = agencies.read_text(encoding="utf-8").replace("forum_case_victim_risk,,,,,,,pilot,,",
                                                        "forum_case_victim_risk,,,,,,,pilot,,,bimonthly")
    agencies.write_text(text.replace("lead,notes\n", "lead,notes,frequency\n", 1), encoding="utf-8")
    region = load_region(tiny)
    ties = {r.key: r for r in region.relationships}
    assert ties["police-sapv", "ngo", "referral"].mode == "proactive"
    assert ties["police", "ngo", "formal_agreement"].scope == ("referral", "data_protection")
    assert ties["ngo", "police-sapv", "feedback"].content == ("contact_made", "recurrence")
    assert ties["muni", "ngo", "funding"].temporary is True and ties["ngo", "police", "training"].mandatory is False
    assert ties["police", "ngo", "shared_instrument"].instrument == "DASH-RIC"
    assert ties["police", "ngo", "shared_instrument"].frequency == "fortnightly"
    assert region.by_id["marac"].frequency == "bimonthly" and region.by_id["platform"].frequency is None
    # written back canonically: the used columns stay, the values in the contract's words
    files = region_files(region)
    header = files["relationships.csv"].decode().splitlines()[0]
    assert header.endswith(",notes,mode,scope,instrument,mandatory,temporary,content")
    assert "muni,ngo,funding,written,yearly,,,,,active,,,,,,yes,\n" in files["relationships.csv"].decode()
    # and through a workbook
    book = tmp_path / "xx-tiny.xlsx"
    book.write_bytes(workbook_bytes(region, "fr"))
    assert read_workbook(book) == region


def test_a_workbook_of_a_version_1_region_imports_as_the_same_region(tmp_path: Path):
    region = load_region(ROOT / "data" / "reference" / "hu-okit")
    book = tmp_path / "hu-okit.xlsx"
    book.write_bytes(workbook_bytes(blanked(region)))
    assert read_workbook(book) == blanked(region)


def problems_of(folder: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(RegionInvalid) as exc:
        load_region(folder)
    return [(Path(p.file).name, p.row, p.column, p.text()) for p in exc.value.problems if p.is_error]


@pytest.mark.parametrize(("column", "cell", "words"), [
    ("mode", "proactiv", "unknown referral mode 'proactiv' (fix: did you mean 'proactive'?)"),
    ("scope", "referral,training", "unknown scope 'referral,training'"),
    ("content", "outcome|verdict", "unknown feedback content 'verdict'"),
    ("mandatory", "maybe", "maybe"),
    ("instrument", "x" * 201, "201 characters"),
])
def test_a_wrong_value_in_a_new_column_is_reported_with_file_row_and_column(tiny: Path, column: str, cell: str,
                                                                          words: str):
    typ = {"mode": "referral", "scope": "formal_agreement", "content": "feedback", "mandatory": "training",
           "instrument": "statutory_duty"}[column]
    rel = tiny / "relationships.csv"
    rel.write_text(rel.read_text(encoding="utf-8").replace("legal_basis,since,status,notes\n",
                                                           f"legal_basis,since,status,notes,{column}\n")
                   + f'parquet,hospital,{typ},,,,,,,active,,"{cell}"\n', encoding="utf-8")
    found = problems_of(tiny)
    assert [(f, r, c) for f, r, c, _ in found] == [("relationships.csv", 21, column)]
    assert words in found[0][3]


@pytest.mark.parametrize(("column", "cell", "typ", "types"), [
    ("mode", "signpost", "funding", "referral"),
    ("scope", "training", "referral", "formal_agreement, information_sharing"),
    ("instrument", "VioGén", "feedback", "shared_instrument, statutory_duty"),
    ("mandatory", "yes", "funding", "training"),
    ("temporary", "no", "training", "funding"),
    ("content", "outcome", "referral", "feedback"),
])
def test_a_new_column_on_a_tie_it_does_not_apply_to_names_the_column_and_the_types(tiny: Path, column: str,
                                                                                   cell: str, typ: str, types: str):
    rel = tiny / "relationships.csv"
    rel.write_text(rel.read_text(encoding="utf-8").replace("legal_basis,since,status,notes\n",
                                                           f"legal_basis,since,status,notes,{column}\n")
                   + f"parquet,hospital,{typ},,,,,,,active,,{cell}\n", encoding="utf-8")
    found = problems_of(tiny)
    assert [(f, r, c) for f, r, c, _ in found] == [("relationships.csv", 21, column)]
    assert f":21:{column}: '{column}' applies only to ties of type {types}, not to a {typ} tie" in found[0][3]


def test_forum_frequency_on_an_organisation_is_refused_and_the_new_frequencies_are_accepted(tiny: Path):
    agencies = tiny / "agencies.csv"
    text = agencies.read_text(encoding="utf-8").replace("lead,notes\n", "lead,notes,frequency\n", 1)
    text = text.replace("Hôpital régional,health_hospital,,no,,,,,active,,", "Hôpital régional,health_hospital,,no,,,,,"
                        "active,,,monthly")
    text = text.replace("forum_practice_exchange,,,,,,,active,,", "forum_practice_exchange,,,,,,,active,,,twice_yearly")
    agencies.write_text(text, encoding="utf-8")
    found = problems_of(tiny)
    assert [(f, r, c) for f, r, c, _ in found] == [("agencies.csv", 9, "frequency")]
    assert "'frequency' applies only to forums (types forum_strategic_plenary," in found[0][3]
    assert "not to a row of type health_hospital" in found[0][3]
    text = text.replace("active,,,monthly", "active,,")
    agencies.write_text(text, encoding="utf-8")
    assert load_region(tiny).by_id["platform"].frequency == "twice_yearly"


def test_media_and_outreach_are_ids_with_words(tiny: Path):
    from workbench.taxonomy import taxonomy

    tax = taxonomy()
    assert (tax.label("agency_types", "media", "en"), tax.label("agency_types", "media", "fr")) == ("Media", "Médias")
    assert tax.label("relationship_types", "outreach", "fr") == "Sensibilisation"
    assert "outreach" not in tax.symmetric_types
    with (tiny / "agencies.csv").open("a", encoding="utf-8") as f:
        f.write("radio,Radio locale,media,,,,,,,active,,\n")
    with (tiny / "relationships.csv").open("a", encoding="utf-8") as f:
        f.write("ngo,radio,outreach,,bimonthly,,,,,active,\n")
    region = load_region(tiny)
    assert region.by_id["radio"].type == "media"
    assert any(r.key == ("ngo", "radio", "outreach") for r in region.relationships)


def test_the_store_accepts_the_new_fields_as_a_form_sends_them(tiny: Path):
    from workbench.data import RegionStore

    store = RegionStore(tiny, editor="test")
    before = load_region(tiny)
    tie = next(r for r in before.relationships if r.key == ("muni", "ngo", "funding"))
    store.edit_relationship("muni", "ngo", "funding", base=tie, temporary="yes")
    store.edit_relationship("police", "ngo", "formal_agreement", scope="referral|training")
    store.edit_agency("marac", frequency="weekly")
    after = load_region(tiny)
    ties = {r.key: r for r in after.relationships}
    assert ties["muni", "ngo", "funding"].temporary is True
    assert ties["police", "ngo", "formal_agreement"].scope == ("referral", "training")
    assert after.by_id["marac"].frequency == "weekly"
    with pytest.raises(RegionInvalid):  # what the loader refuses, the store refuses
        store.edit_relationship("muni", "ngo", "funding", mode="signpost")
    assert load_region(tiny) == after


def test_validate_prints_the_problem_in_the_contract_format(tiny: Path):
    from click.testing import CliRunner

    with (tiny / "relationships.csv").open("a", encoding="utf-8") as f:
        f.write("ngo,hospital,funding,,,,,,,active,\n")
    rel = tiny / "relationships.csv"
    rel.write_text(rel.read_text(encoding="utf-8").replace("status,notes\n", "status,notes,mode\n")
                   .replace("ngo,hospital,funding,,,,,,,active,\n", "ngo,hospital,funding,,,,,,,active,,assisted\n"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tiny)])
    assert result.exit_code == 1
    # in the region's language (French)
    assert f"{rel}:21:mode: « mode » ne sert que pour les liens de type referral, pas pour un lien funding" \
        in result.output
