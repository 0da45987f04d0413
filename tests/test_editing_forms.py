"""Editing together through the dashboards' forms (issue 13, points 1 and 5), without a browser.

Two pages of the same region are two dashboard objects in one process: each
form keeps the record it was filled with and saves through the store's
``base=`` contract, so a field somebody else changed meanwhile is never
overwritten and the person is told which, and offered the choice.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from workbench.dashboards import roadmap_view, workshop
from workbench.data import RegionStore, load_region
from workbench.data.store import write_region
from workbench.data.write import region_files

from .conftest import ROOT

REGION = "de-leipzig"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "partners"
    root.mkdir()
    shutil.copytree(ROOT / "data" / "partners" / REGION, root / REGION)
    monkeypatch.setenv("WORKBENCH_DATA", str(root))
    monkeypatch.delenv("WORKBENCH_READ_ONLY", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return root


def page(role: str, section: str, lang: str = "en") -> Any:
    app = workshop.Workshop({"region": REGION, "lang": lang})
    app.role.value = role
    app.tabs.value = section
    return app


def log(data: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (data / REGION / "changes.jsonl").read_text().splitlines()]


def test_every_form_saves_through_base(data: Path, monkeypatch: pytest.MonkeyPatch):
    """The audit: each edit and removal of each dashboard hands the store the version its form started from."""
    seen: dict[str, Any] = {}
    for name in ("edit_agency", "remove_agency", "edit_relationship", "remove_relationship", "set_answers",
                 "save_action"):
        real = getattr(RegionStore, name)

        def spy(self: RegionStore, *args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            seen[_name] = kwargs.get("base", "missing")
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(RegionStore, name, spy)
    app = page("police-lead", "agencies")
    form = app.built["agencies"]
    form.pick.value = form.pick.options[1][1]
    form.area.value = "Nord"
    form.save_btn.click()
    form.remove_btn.click()
    form.remove_btn.click()
    app.tabs.value = "ties"
    ties = app.built["ties"]
    ties.pick.value = ties.pick.options[1][1]
    ties.notes.value = "monthly"
    ties.save_btn.click()
    ties.remove_btn.click()
    ties.remove_btn.click()
    app.tabs.value = "assessment"
    q = app.built["assessment"]
    q.round.value, q.rater.value = "2026-workshop", "police-lead"
    q.rows[next(iter(q.rows))][0].value = "n/a"
    q.save_btn.click()
    rm = roadmap_view.RoadmapView({"region": REGION, "lang": "en"})
    rm.form.indicator.value = "Meetings per quarter"
    rm.form.save_btn.click()
    assert set(seen) == {"edit_agency", "remove_agency", "edit_relationship", "remove_relationship", "set_answers",
                         "save_action"}
    assert "missing" not in seen.values() and None not in seen.values(), seen


def test_a_rename_and_an_area_from_two_pages_are_both_kept(data: Path):
    """The issue's report: the second editor's stale form no longer puts the old name back."""
    a, b = page("police-lead", "agencies"), page("ngo-coordinator", "agencies")
    fa, fb = a.built["agencies"], b.built["agencies"]
    aid = fa.pick.options[1][1]
    fa.pick.value = fb.pick.value = aid
    fa.name.value = "Renamed by the police"
    fa.save_btn.click()
    fb.area.value = "Leipzig-Nord"
    fb.save_btn.click()
    assert "wb-msg-ok" in b.messages.widget.value
    saved = load_region(data / REGION).by_id[aid]
    assert (saved.name, saved.area) == ("Renamed by the police", "Leipzig-Nord")
    assert [c["based_on"] for c in log(data)] == [0, 0]  # both started from the files as they were


def test_the_same_field_from_two_pages_is_a_conflict_shown_to_its_author(data: Path):
    a, b = page("police-lead", "agencies"), page("ngo-coordinator", "agencies", lang="fr")
    fa, fb = a.built["agencies"], b.built["agencies"]
    aid = fa.pick.options[1][1]
    fa.pick.value = fb.pick.value = aid
    old = fb.name.value
    fa.name.value = "Name A"
    fa.save_btn.click()
    fb.name.value, fb.notes.value = "Name B", "Note B"
    fb.save_btn.click()
    message = b.messages.widget.value
    assert "wb-msg-warn" in message and "police-lead" in message
    assert f"“{old}”" in message and "“Name A”" in message and "“Name B”" in message and "Nom" in message
    assert fb.conflict.open and fb.name.value == "Name B"  # the form keeps what the person typed
    saved = load_region(data / REGION).by_id[aid]
    assert (saved.name, saved.notes) == ("Name A", "Note B")  # the other change was saved, the name was not
    assert log(data)[-1]["based_on"] == 0 and log(data)[-1]["editor"] == "ngo-coordinator"
    fb.conflict.mine_btn.click()  # the deliberate second save
    assert load_region(data / REGION).by_id[aid].name == "Name B"
    assert log(data)[-1]["based_on"] == log(data)[-2]["seq"]
    fa.name.value = "Name A again"
    fa.save_btn.click()
    fa.conflict.keep_btn.click()
    assert fa.name.value == "Name B" and load_region(data / REGION).by_id[aid].name == "Name B"


def test_removing_a_record_somebody_else_changed_asks_first(data: Path):
    a, b = page("police-lead", "ties"), page("ngo-coordinator", "ties")
    ta, tb = a.built["ties"], b.built["ties"]
    value = ta.pick.options[1][1]
    ta.pick.value = tb.pick.value = value
    ta.notes.value = "meets monthly"
    ta.save_btn.click()
    tb.remove_btn.click()
    tb.remove_btn.click()
    assert "police-lead" in b.messages.widget.value and "Remove it anyway?" in b.messages.widget.value
    keys = {"|".join(r.key) for r in load_region(data / REGION).relationships}
    assert value in keys
    assert tb.conflict.mine_btn.description == "Remove anyway"
    tb.conflict.mine_btn.click()
    assert value not in {"|".join(r.key) for r in load_region(data / REGION).relationships}


def test_answers_and_actions_report_conflicts_to_their_author(data: Path):
    a, b = page("police-lead", "assessment"), page("ngo-coordinator", "assessment")
    qa, qb = a.built["assessment"], b.built["assessment"]
    for q in (qa, qb):
        q.round.value, q.rater.value, q.group.value = "2026-workshop", "group", "C2"
    ind = next(iter(qa.rows))
    qa.rows[ind][0].value = "n/a"
    qa.save_btn.click()
    qb.rows[ind][0].value = qb.rows[ind][0].options[0][1]
    qb.save_btn.click()
    assert f"{ind} · Answer" in b.messages.widget.value and "“n/a”" in b.messages.widget.value
    assert "wb-msg-ok" in a.messages.widget.value
    ra = roadmap_view.RoadmapView({"region": REGION, "lang": "en"})
    rb = roadmap_view.RoadmapView({"region": REGION, "lang": "en"})
    draft = next(i for i in ra.form.items.values() if i.source == "draft")
    ra.form.pick.value = rb.form.pick.value = draft.id
    ra.form.indicator.value = "indicator A"
    ra.form.save_btn.click()
    rb.form.indicator.value = "indicator B"
    rb.form.save_btn.click()
    assert "“indicator A”" in rb.messages.widget.value and "“indicator B”" in rb.messages.widget.value
    assert [x.indicator for x in load_region(data / REGION).actions if x.gap == draft.gap] == ["indicator A"]


def test_a_command_line_import_is_never_overwritten_by_a_stale_form(data: Path):
    app = page("police-lead", "agencies")
    form = app.built["agencies"]
    aid = form.pick.options[1][1]
    form.pick.value = aid
    folder = data / REGION
    region = load_region(folder)
    from dataclasses import replace

    imported = replace(region, agencies=tuple(replace(x, name="From the workbook") if x.id == aid else x
                                              for x in region.agencies))
    write_region(folder, region_files(imported), "import", "import region.xlsx")
    assert log(data)[-1]["rows"][0]["key"] == [aid]  # the import logs what it changed
    form.name.value = "From the form"
    form.save_btn.click()
    assert "“From the workbook” (by import)" in app.messages.widget.value
    assert load_region(folder).by_id[aid].name == "From the workbook"
