"""A corpus of malformed inputs, each with the exact file, row and column expected.

Every case starts from the valid tiny region, breaks one thing, and checks
that loading reports exactly the expected errors (file, row, column) with a
fix, raises no other exception, and writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.data import load_region
from workbench.errors import RegionInvalid

from .conftest import snapshot

Mutation = Callable[[Path], None]


def sub(file: str, old: str, new: str) -> Mutation:
    def m(folder: Path) -> None:
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return m


def append(file: str, line: str) -> Mutation:
    def m(folder: Path) -> None:
        with (folder / file).open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return m


def write(file: str, data: bytes) -> Mutation:
    def m(folder: Path) -> None:
        (folder / file).write_bytes(data)
    return m


def delete(file: str) -> Mutation:
    def m(folder: Path) -> None:
        (folder / file).unlink()
    return m


def symlink(file: str) -> Mutation:
    def m(folder: Path) -> None:
        target = folder.parent / f"outside-{file}"
        (folder / file).rename(target)
        os.symlink(target, folder / file)
    return m


def bytes_sub(file: str, old: str, new: bytes) -> Mutation:
    def m(folder: Path) -> None:
        data = (folder / file).read_bytes()
        (folder / file).write_bytes(data.replace(old.encode("utf-8"), new, 1))
    return m


def recode(file: str, old: str, new: str, encoding: str) -> Mutation:
    """Replace ``old`` by ``new``, then save the whole file in another code page."""
    def m(folder: Path) -> None:
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        (folder / file).write_bytes(text.replace(old, new, 1).encode(encoding, errors="replace"))
    return m


def both(*ms: Mutation) -> Mutation:
    def m(folder: Path) -> None:
        for x in ms:
            x(folder)
    return m


A, R, S, X, T = "agencies.csv", "relationships.csv", "assessment.csv", "actions.csv", "region.toml"
AG_ROW = ",,,,,,,active,,"

CASES: list[tuple[str, Mutation, set[tuple[str, int | None, str | None]]]] = [
    # agencies.csv
    ("unknown agency type", sub(A, "Zone de police Test,police,", "Zone de police Test,Police ,"), {(A, 3, "type")}),
    ("duplicate agency id", append(A, "ngo,Another NGO,victim_support" + AG_ROW[:-1]), {(A, 14, "id")}),
    ("agency id with spaces", sub(A, "fpc,Centre", "Family Planning,Centre"),
     {(A, 10, "id"), (X, 3, "partners")}),  # the action that named 'fpc' now points nowhere
    ("empty agency name", sub(A, "hospital,Hôpital régional,", "hospital,,"), {(A, 9, "name")}),
    ("agency name too long", sub(A, "Hôpital régional", "H" * 201), {(A, 9, "name")}),
    ("unknown parent", sub(A, "police_victim_service,police,", "police_victim_service,polise,"), {(A, 4, "parent")}),
    ("parent is a forum", sub(A, "police_victim_service,police,", "police_victim_service,marac,"), {(A, 4, "parent")}),
    ("unit is its own parent", sub(A, "police_victim_service,police,", "police_victim_service,police-sapv,"),
     {(A, 4, "parent")}),
    ("units in a loop", both(sub(A, "hospital,Hôpital régional,health_hospital,,", "hospital,Hôpital régional,health_hospital,fpc,"),
                             sub(A, "fpc,Centre de planning familial,family_planning_centre,,", "fpc,Centre de planning familial,family_planning_centre,hospital,")),
     {(A, 9, "parent"), (A, 10, "parent")}),
    ("forum with a parent", sub(A, "marac,Concertation de cas,forum_case_victim_risk,,", "marac,Concertation de cas,forum_case_victim_risk,muni,"),
     {(A, 13, "parent")}),
    ("bad boolean", sub(A, "shelter,Maison d'accueil,shelter,,no,", "shelter,Maison d'accueil,shelter,,maybe,"), {(A, 6, "dv_relay")}),
    ("bad lead boolean", sub(A, "Centre,active,yes,", "Centre,active,si,"), {(A, 2, "lead")}),
    ("unknown target group", sub(A, "high_risk_victims,", "high_risk,"), {(A, 3, "target_groups")}),
    ("groups separated by semicolon", sub(A, "dv_victims_general|children_adolescents", "dv_victims_general;children_adolescents"),
     {(A, 5, "target_groups")}),
    ("unknown excluded group", sub(A, ",undocumented,", ",sans-papiers,"), {(A, 6, "excluded_groups")}),
    ("unknown agency status", sub(A, ",discontinued,", ",closed,"), {(A, 11, "status")}),
    ("missing name column", sub(A, "id,name,type", "id,nom,type"), {(A, 1, "name")}),
    ("duplicate column", sub(A, "id,name,type,parent", "id,name,type,type"), {(A, 1, "type")}),
    ("row with too many cells", sub(A, "fpc,Centre de planning familial,", "fpc,Centre de planning, familial,"), {(A, 10, None)}),
    ("value under a blank header", sub(A, "old,Ancienne cellule,social_services,,,,,,,discontinued,,", "old,Ancienne cellule,social_services,,,,,,,discontinued,,,oops"),
     {(A, 11, None)}),
    ("empty agencies file", write(A, b""), {(A, None, None)}),
    ("missing agencies file", delete(A), {(A, None, None)}),
    ("agencies file is a symlink", symlink(A), {(A, None, None)}),
    ("unclosed quote", sub(A, "Ancienne cellule", '"Ancienne cellule'), {(A, 11, None)}),
    # relationships.csv
    ("tie from an unknown agency", sub(R, "hospital,ngo,referral", "hopital,ngo,referral"), {(R, 10, "source")}),
    ("tie to an unknown agency", sub(R, "ngo,shelter,referral", "ngo,shelters,referral"), {(R, 9, "target")}),
    ("self-loop", sub(R, "muni,ngo,funding", "muni,muni,funding"), {(R, 18, "target")}),
    ("unknown tie type", sub(R, "ngo,police,training", "ngo,police,coaching"), {(R, 19, "type")}),
    ("bad formality", sub(R, "police,ngo,formal_agreement,written", "police,ngo,formal_agreement,signed"), {(R, 8, "formality")}),
    ("bad frequency", sub(R, "ngo,police,training,,quarterly", "ngo,police,training,,every_week"), {(R, 19, "frequency")}),
    ("role on a referral", sub(R, "ngo,shelter,referral,verbal,ad_hoc,", "ngo,shelter,referral,verbal,ad_hoc,chair"), {(R, 9, "role")}),
    ("unknown forum role", sub(R, ",chair,regular", ",president,regular"), {(R, 11, "role")}),
    ("unknown attendance", sub(R, ",member,rare,", ",member,seldom,"), {(R, 14, "attendance")}),
    ("bad since month", sub(R, "2020-03", "2020-13"), {(R, 8, "since")}),
    ("bad legal basis", sub(R, ",consent,2019", ",gdpr,2019"), {(R, 3, "legal_basis")}),
    ("duplicate tie", append(R, "ngo,shelter,referral,,,,,,,,"), {(R, 21, "type")}),
    ("membership of a non-forum", sub(R, "police,platform,forum_membership", "police,ngo,forum_membership"), {(R, 12, "target")}),
    ("tasking from a non-forum", sub(R, "marac,police,tasking", "muni,police,tasking"), {(R, 17, "source")}),
    ("empty source", sub(R, "old,ngo,referral", ",ngo,referral"), {(R, 20, "source")}),
    ("bad tie status", sub(R, "old,ngo,referral,,,,,,,active", "old,ngo,referral,,,,,,,gone"), {(R, 20, "status")}),
    ("missing relationships file", delete(R), {(R, None, None)}),
    ("missing type column", write(R, b"source,target\npolice,ngo\n"), {(R, 1, "type")}),
    ("blank first row", sub(R, "source,target,type", "\nsource,target,type"), {(R, 1, None)}),
    ("no agencies but ties", both(write(A, b"id,name,type\n"), write(R, b"source,target,type\npolice,ngo,referral\n"),
                                  delete(X), sub(T, 'coordinator = "muni"\n', "")),
     {(R, 2, "source"), (R, 2, "target")}),
    # assessment.csv
    ("unknown indicator", sub(S, "2025-baseline,X1,", "2025-baseline,X9,"), {(S, 7, "indicator")}),
    ("bad answer", sub(S, "C1.1,ngo-lead,1,", "C1.1,ngo-lead,maybe,"), {(S, 3, "answer")}),
    ("impossible date", sub(S, "2025-03-02\n2025", "2025-02-30\n2025"), {(S, 3, "date")}),
    ("answer given twice", append(S, "2025-baseline,C1.1,ngo-lead,2,,"), {(S, 8, "indicator")}),
    ("empty round", sub(S, "2025-baseline,C5.1", ",C5.1"), {(S, 6, "round")}),
    ("empty answer", sub(S, "C3.6,police-lead,2,", "C3.6,police-lead,,"), {(S, 4, "answer")}),
    # actions.csv
    ("duplicate action id", append(X, "a1,Another,,,,,,,,,,"), {(X, 4, "id")}),
    ("unknown owner", sub(X, ",C3,parquet,", ",C3,prosecutor,"), {(X, 2, "owner")}),
    ("unknown partner", sub(X, "praxis|police", "praxis|polis"), {(X, 2, "partners")}),
    ("bad horizon", sub(X, ",short,2025-05-01", ",soon,2025-05-01"), {(X, 3, "horizon")}),
    ("due before start", sub(X, "2025-04-01,2025-12-31", "2025-04-01,2024-12-31"), {(X, 2, "due")}),
    ("bad gap id", sub(X, ",G13,", ",G1,"), {(X, 3, "gap")}),
    ("bad characteristic", sub(X, ",G13,C2,", ",G13,C6,"), {(X, 3, "characteristic")}),
    ("bad action status", sub(X, ",agreed,", ",approved,"), {(X, 2, "status")}),
    # region.toml
    ("missing region.toml", delete(T), {(T, None, None)}),
    ("invalid toml", sub(T, 'name = "Tiny test region"', "name = Tiny test region"), {(T, 2, None)}),
    ("id differs from folder", sub(T, 'id = "xx-tiny"', 'id = "xx-other"'), {(T, 1, "id")}),
    ("EU code for Greece", sub(T, 'country = "BE"', 'country = "EL"'), {(T, 3, "country")}),
    ("language name instead of code", sub(T, 'language = "fr"', 'language = "french"'), {(T, 4, "language")}),
    ("unknown coordinator", sub(T, 'coordinator = "muni"', 'coordinator = "mayor"'), {(T, 5, "coordinator")}),
    ("missing name", sub(T, 'name = "Tiny test region"\n', ""), {(T, None, "name")}),
]

#: Text that is not UTF-8: each must be refused, never read into nonsense.
ENCODING_CASES: list[tuple[str, Mutation, set[tuple[str, int | None, str | None]]]] = [
    ("bytes that are neither UTF-8 nor cp1252", bytes_sub(A, "Ancienne cellule", b"Ancienne \x81"), {(A, 11, None)}),
    ("UTF-8 file with one stray byte", bytes_sub(A, "Parquet", b"Par\xc0\xafquet"), {(A, 8, None)}),
    ("UTF-16 file", lambda f: (f / A).write_bytes((f / A).read_text().encode("utf-16")), {(A, 1, None)}),
    ("UTF-16 file without BOM", lambda f: (f / A).write_bytes((f / A).read_text().encode("utf-16-le")), {(A, 1, None)}),
    ("UTF-32 file", lambda f: (f / A).write_bytes((f / A).read_text().encode("utf-32")), {(A, 1, None)}),
    # other code pages that Windows-1252 would read without an error, into nonsense
    ("Windows-1251 file (Bulgarian)", recode(A, "Parquet,", "Прокуратура Пловдив,", "cp1251"), {(A, 8, None)}),
    ("KOI8-R file (Russian)", recode(A, "Parquet,", "Прокуратура,", "koi8_r"), {(A, 8, None)}),
    ("ISO-8859-5 file (Cyrillic)", recode(A, "Parquet,", "Прокуратура,", "iso8859_5"), {(A, 8, None)}),
    ("Windows-1253 file (Greek)", recode(A, "Hôpital régional", "Νοσοκομείο Αθηνών", "cp1253"), {(A, 9, None)}),
    ("ISO-8859-7 file (Greek)", recode(A, "Hôpital régional", "Νοσοκομείο Αθηνών", "iso8859_7"), {(A, 9, None)}),
    ("Windows-1250 file (Polish)", recode(A, "Parquet,", "Prokuratura Władysławowo,", "cp1250"), {(A, 8, None)}),
    ("Windows-1250 file (Romanian)", recode(A, "Parquet,", "Parchetul Judeţului Cluj,", "cp1250"), {(A, 8, None)}),
    ("Windows-1257 file (Estonian)", recode(A, "Parquet,", "Prokuratuur Žõgeva,", "cp1257"), {(A, 8, None)}),
    ("Shift-JIS file", recode(A, "Parquet,", "検察庁,", "shift_jis"), {(A, 8, None)}),
    ("Mac Roman file", recode(A, "Parquet,", "Parquet Hôpital,", "mac_roman"), {(A, 4, None)}),
    ("GB18030 file", recode(A, "Parquet,", "检察院,", "gb18030"), {(A, 4, None)}),
]
CASES += ENCODING_CASES


@pytest.mark.parametrize(("mutation", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_input_is_reported_exactly(tiny: Path, mutation: Mutation, expected):
    mutation(tiny)
    before = snapshot(tiny)
    with pytest.raises(RegionInvalid) as info:
        load_region(tiny)
    errors = [p for p in info.value.problems if p.is_error]
    got = {(Path(p.file).name, p.row, p.column) for p in errors}
    assert got == expected, "\n".join(map(str, errors))
    for p in errors:
        assert p.fix, f"no fix suggested: {p}"
        assert str(p).startswith(p.file + ":")
    assert snapshot(tiny) == before


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


def test_suggestion_names_the_right_value(tiny: Path):
    sub(A, "Zone de police Test,police,", "Zone de police Test,Police ,")(tiny)
    with pytest.raises(RegionInvalid) as info:
        load_region(tiny)
    (p,) = info.value.problems
    assert "unknown agency type 'Police'" in p.message and p.fix == "did you mean 'police'?"


def test_bad_region_ids_are_refused_before_touching_files(tmp_path: Path):
    for name in ("..", "Has Space", "UPPER", "a", "x" * 41):
        with pytest.raises(RegionInvalid):
            load_region(tmp_path / name)
