"""Editing together: the store's ``base=`` rule, the log's ``based_on``, undo across editors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.data import RegionStore, load_region
from workbench.data.store import ABSENT, LOG_NAME
from workbench.errors import EditConflict, UndoRefused

from .conftest import snapshot


def _log(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / LOG_NAME).read_text(encoding="utf-8").splitlines()]


def test_the_issue_story_keeps_both_edits(tiny: Path):
    """First renames, second (whose form still holds the old name) sets the area: both stay."""
    a, b = RegionStore(tiny, editor="ngo-coordinator"), RegionStore(tiny, editor="police-lead")
    read_a, read_b = load_region(tiny).by_id["ngo"], load_region(tiny).by_id["ngo"]
    a.edit_agency("ngo", base=read_a, name="Centre X")
    form = {"name": read_b.name, "type": read_b.type, "area": "Nord", "notes": read_b.notes}  # every field
    b.edit_agency("ngo", base=read_b, **form)
    ngo = load_region(tiny).by_id["ngo"]
    assert (ngo.name, ngo.area) == ("Centre X", "Nord")


def test_same_field_changed_by_both_is_a_conflict_naming_everything(tiny: Path):
    a, b = RegionStore(tiny, editor="ngo-coordinator"), RegionStore(tiny, editor="police-lead")
    read = load_region(tiny).by_id["ngo"]
    a.edit_agency("ngo", base=read, name="Centre X")
    with pytest.raises(EditConflict) as info:
        b.edit_agency("ngo", base=read, name="Centre Y", area="Sud")
    exc = info.value
    assert exc.record == "agency ngo"
    [f] = exc.fields
    assert (f.field, f.started_from, f.saved, f.saved_by, f.mine) == (
        "name", "Centre de prévention des violences", "Centre X", "ngo-coordinator", "Centre Y")
    assert "ngo-coordinator" in str(exc) and "Centre X" in str(exc)
    ngo = load_region(tiny).by_id["ngo"]
    assert (ngo.name, ngo.area) == ("Centre X", "Sud")  # the rest of b's edit was saved
    assert exc.region is not None and exc.region.by_id["ngo"] == ngo and exc.saved["name"] == "Centre X"
    # "put mine": a deliberate second save from what is saved now
    b.edit_agency("ngo", base=exc.region.by_id["ngo"], name="Centre Y")
    assert load_region(tiny).by_id["ngo"].name == "Centre Y"


def test_same_new_value_is_no_conflict(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    read = load_region(tiny).by_id["police"]
    a.edit_agency("police", base=read, area="Nord")
    b.edit_agency("police", base=read, area="Nord")  # no error, nothing to save
    assert [e["summary"] for e in _log(tiny)] == ["edit agency police"]


def test_removing_a_record_changed_since_asks_first(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    read = load_region(tiny).by_id["hospital"]
    a.edit_agency("hospital", base=read, notes="moved")
    before = snapshot(tiny)
    with pytest.raises(EditConflict) as info:
        b.remove_agency("hospital", base=read)
    assert info.value.fields[0].field == "notes" and info.value.fields[0].saved_by == "a"
    assert snapshot(tiny) == before  # nothing removed, not even its ties
    b.remove_agency("hospital", base=load_region(tiny).by_id["hospital"])
    region = load_region(tiny)
    assert "hospital" not in region.by_id and all("hospital" not in r.key for r in region.relationships)


def test_editing_a_record_removed_since_writes_nothing(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    read = load_region(tiny).by_id["shelter"]
    a.remove_agency("shelter", base=read)
    before = snapshot(tiny)
    with pytest.raises(EditConflict) as info:
        b.edit_agency("shelter", base=read, name="Abri")
    assert "removed by a" in str(info.value) and info.value.saved_by == "a"
    assert snapshot(tiny) == before


def test_ties_answers_actions_and_details_follow_the_same_rule(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    r = load_region(tiny)
    tie = next(t for t in r.relationships if t.key == ("ngo", "shelter", "referral"))
    a.edit_relationship(*tie.key, base=tie, frequency="monthly")
    with pytest.raises(EditConflict) as info:
        b.edit_relationship(*tie.key, base=tie, frequency="weekly", notes="ok")
    assert info.value.fields[0].field == "frequency" and info.value.record == "tie ngo → shelter (referral)"

    # an answer nobody had given, given by two raters' laptops at once
    a.set_answer("2025-baseline", "C2.1", "1", rater="ngo-lead", base=ABSENT)
    with pytest.raises(EditConflict) as info:
        b.set_answer("2025-baseline", "C2.1", "2", rater="ngo-lead", base=ABSENT)
    assert (info.value.fields[0].started_from, info.value.fields[0].saved) == (None, "1")

    act = next(x for x in r.actions if x.id == "a2")
    a.save_action(base=act, id="a2", title=act.title, status="agreed")
    b.save_action(base=act, id="a2", title=act.title, owner="ngo")  # another field: both kept
    a2 = next(x for x in load_region(tiny).actions if x.id == "a2")
    assert (a2.status, a2.owner) == ("agreed", "ngo")

    a.set_info(base=r.info, name="Région test")
    with pytest.raises(EditConflict) as info:
        b.set_info(base=r.info, name="Test region", description="new")
    assert info.value.record == "region details"
    assert load_region(tiny).info.description == "new"


def test_log_records_the_version_each_save_started_from(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    a.add_agency(id="fp2", name="Planning 2", type="family_planning_centre")  # seq 1, no base
    read = load_region(tiny).by_id["fp2"]
    a.edit_agency("fp2", base=read, area="Nord")  # seq 2, based on seq 1
    b.edit_agency("fp2", base=read, notes="x")  # seq 3, also based on 1: a conversation with #2
    b.edit_agency("police", base=load_region(tiny).by_id["police"], notes="y")  # never logged before: 0
    log = _log(tiny)
    assert [e["based_on"] for e in log] == [0, 1, 1, 0]
    assert [c.based_on for c in b.history()] == [0, 1, 1, 0]


def test_undo_is_the_editors_own_last_change(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    a.edit_agency("ngo", base=load_region(tiny).by_id["ngo"], area="Nord")
    b.edit_agency("police", base=load_region(tiny).by_id["police"], notes="b's")
    assert a.undo().summary == "edit agency ngo"  # not b's later change
    region = load_region(tiny)
    assert region.by_id["ngo"].area is None and region.by_id["police"].notes == "b's"
    assert a.undo() is None and a.undo_candidate() is None
    other = a.undo_candidate(mine_only=False)
    assert other is not None and other.editor == "b"
    with pytest.raises(UndoRefused) as info:  # says whose it would undo
        a.undo(other.seq)
    assert info.value.change.editor == "b" and "made by b" in str(info.value)
    a.undo(other.seq, force=True)
    assert load_region(tiny).by_id["police"].notes is None


def test_undo_keeps_later_edits_of_other_fields_and_asks_before_crossing_one(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    a.edit_agency("ngo", base=load_region(tiny).by_id["ngo"], area="Nord", notes="a's")
    b.edit_agency("ngo", base=load_region(tiny).by_id["ngo"], notes="b's", status="pilot")
    before = snapshot(tiny)
    with pytest.raises(UndoRefused) as info:
        a.undo()
    [f] = info.value.fields
    assert (f.field, f.started_from, f.saved, f.saved_by) == ("notes", "a's", "b's", "b")
    assert snapshot(tiny) == before
    b.undo()  # b takes back its change: a's is whole again
    a.undo()
    ngo = load_region(tiny).by_id["ngo"]
    assert (ngo.area, ngo.notes, ngo.status) == (None, None, "active")


def test_undo_of_an_older_change_reverts_only_its_fields(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    a.edit_agency("ngo", base=load_region(tiny).by_id["ngo"], area="Nord")
    b.edit_agency("ngo", base=load_region(tiny).by_id["ngo"], notes="b's")
    a.undo()
    ngo = load_region(tiny).by_id["ngo"]
    assert (ngo.area, ngo.notes) == (None, "b's")
    assert _log(tiny)[-1]["undoes"] == 1 and _log(tiny)[-1]["based_on"] == 1


def test_several_answers_in_one_save_conflict_one_by_one(tiny: Path):
    a, b = RegionStore(tiny, editor="a"), RegionStore(tiny, editor="b")
    read = {x.indicator: x for x in load_region(tiny).assessment if x.rater == "ngo-lead"}
    a.set_answer("2025-baseline", "C1.1", "2", rater="ngo-lead", date="2025-03-02", base=read["C1.1"])
    with pytest.raises(EditConflict) as info:
        b.set_answers("2025-baseline", "ngo-lead", {"C1.1": ("0", None), "C3.6": ("1", "better"),
                                                    "C2.1": ("2", None)}, base=read, date="2025-03-02")
    assert [(f.record, f.field) for f in info.value.fields] == [("answer C1.1 (2025-baseline, ngo-lead)", "answer")]
    got = {x.indicator: x.answer for x in load_region(tiny).assessment if x.rater == "ngo-lead"}
    assert got == {"C1.1": "2", "C3.6": "1", "C2.1": "2"}
