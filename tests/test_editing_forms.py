"""Editing together through the dashboards' forms (issue 13, points 1 and 5), without a browser.

Two pages of the same region are two dashboard objects in one process: each
form keeps the record it was filled with and saves through the store's
``base=`` contract, so a field somebody else changed meanwhile is never
overwritten and the person is told which, and offered the choice.
"""

from __future__ import annotations

import html
import json
import shutil
import time
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
    # in the page's language, with its quotation marks (French here)
    assert f"« {old} »" in message and "« Name A »" in message and "« Name B »" in message and "Nom" in message
    assert fb.conflict.open and fb.name.value == "Name B"  # the form keeps what the person typed
    saved = load_region(data / REGION).by_id[aid]
    assert (saved.name, saved.notes) == ("Name A", "Note B")  # the other change was saved, the name was not
    assert log(data)[-1]["based_on"] == 0 and log(data)[-1]["editor"] == "ngo-coordinator"
    b.tabs.value = "history"  # the Changes list reads as a conversation
    assert "(à partir de la modification n° 0 :" in b.built["history"].widget.value
    b.tabs.value = "agencies"
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
    assert "now saved: “meets monthly” (by police-lead)." in b.messages.widget.value
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


# --- live pages (point 2) and presence (point 3), without a browser ---------------------------------------------

def test_a_save_shows_on_the_other_page_with_a_notice_and_a_form_being_typed_in_is_kept(data: Path):
    from workbench.dashboards import live

    a, b = page("police-lead", "agencies"), page("ngo-coordinator", "agencies")
    la, lb = live.attach(a, lambda: a.role_value), live.attach(b, lambda: b.role_value)
    fa, fb = a.built["agencies"], b.built["agencies"]
    assert not lb.check()  # nothing saved yet
    fa.name.value, fa.type.value = "Centre X", "shelter"
    fa.save_btn.click()
    assert lb.check()
    assert "police-lead added Centre X." in lb.news.value and "Centre X" in fb.table.value
    assert "centre-x" in {v for _, v in fb.pick.options}
    assert la.check() and la.news.value == ""  # nobody is told about their own save
    fa.pick.value = fb.pick.value = "centre-x"
    fb.notes.value = "being typed"
    fa.area.value = "Nord"
    fa.save_btn.click()
    lb.check()
    assert fb.notes.value == "being typed" and fb.area.value == ""  # not reset under the person
    assert "police-lead has just saved a change to this record" in fb.note.value
    fb.save_btn.click()
    saved = load_region(data / REGION).by_id["centre-x"]
    assert (saved.area, saved.notes) == ("Nord", "being typed")


def sent_to_browser(widgets: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Record every state update the kernel sends to the browser for ``widgets`` (name, state sent)."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name, x in widgets.items():
        def send(msg: dict[str, Any], buffers: Any = None, name: str = name) -> None:
            if msg.get("method") == "update" and msg.get("state"):
                out.append((name, dict(msg["state"])))
        x._send = send
    return out


@pytest.mark.parametrize("typing", [False, True])
def test_another_pages_save_never_shows_a_valid_forms_save_button_disabled(data: Path, typing: bool):
    """The stalled Save of the multi-session browser test (issue 13).

    Another page's rename gave this page's agency pick new options; ipywidgets
    selects the first option ("new agency") when options change, so the form
    was filled empty, checked (Save disabled), then filled again (Save enabled),
    and each step went to the browser. A click landing while the browser showed
    Save disabled was dropped by the browser without a word, and the page waited
    for an answer that never came. The browser must only ever see the end state.
    """
    from workbench.dashboards import live

    a, b = page("police-lead", "agencies"), page("ngo-coordinator", "agencies")
    lb = live.attach(b, lambda: b.role_value)
    fa, fb = a.built["agencies"], b.built["agencies"]
    ids = sorted(x.id for x in load_region(data / REGION).agencies if not x.is_forum)
    fb.pick.value = ids[2]
    if typing:
        fb.notes.value = "being typed"
    assert not fb.save_btn.disabled
    sent = sent_to_browser({"save": fb.save_btn, "pick": fb.pick, "name": fb.name, "notes": fb.notes,
                            "conflict": fb.conflict.widget.layout})
    for k in range(3):
        fa.pick.value = ids[1]
        fa.name.value = f"Renamed {k}"
        fa.save_btn.click()
        assert lb.check()
    assert f"Renamed 2 ({ids[1]})" in [label for label, _ in fb.pick.options]
    assert [s for name, s in sent if name == "save"] == []  # never disabled, not even for a moment
    assert [s for name, s in sent if name in ("name", "notes", "conflict")] == []  # the form is not redrawn
    picks = [s for name, s in sent if name == "pick"]
    assert len(picks) == 3 and all(s["index"] == fb.pick.index for s in picks)  # one update each, same record
    assert fb.pick.value == ids[2] and fb.notes.value == ("being typed" if typing else fb.base.notes or "")


def test_the_roadmap_and_the_questionnaire_follow_other_pages(data: Path):
    from workbench.dashboards import live

    a = page("police-lead", "assessment")
    q = a.built["assessment"]
    q.round.value, q.rater.value, q.group.value = "2026-workshop", "police-lead", "C2"
    rm = roadmap_view.RoadmapView({"region": REGION, "lang": "en"})
    la, lr = live.attach(a, lambda: a.role_value), live.attach(rm, lambda: roadmap_view.ROLE)
    b = page("police-lead-2", "assessment")
    qb = b.built["assessment"]
    qb.round.value, qb.rater.value, qb.group.value = "2026-workshop", "police-lead", "C2"
    ind = next(iter(qb.rows))
    qb.rows[ind][0].value = "n/a"
    qb.save_btn.click()
    radar = a.side.value
    assert la.check() and q.rows[ind][0].value == "n/a" and a.side.value != radar
    draft = next(i for i in rm.form.items.values() if i.source == "draft")
    b2 = roadmap_view.RoadmapView({"region": REGION, "lang": "en"})
    b2.form.pick.value = draft.id
    b2.form.indicator.value = "Meetings per quarter"
    b2.form.save_btn.click()
    assert lr.check()
    assert "Meetings per quarter" in rm.plan.value


def test_presence_lists_the_other_open_pages_and_forgets_closed_ones(data: Path):
    from workbench.dashboards import live

    a, b = page("police-lead", "map"), page("ngo-coordinator", "map")
    la, lb = live.attach(a, lambda: a.role_value), live.attach(b, lambda: b.role_value)
    la.beat()
    assert "Also open now: ngo-coordinator" in la.bar.value and "police-lead" not in la.bar.value
    assert not (data / REGION / live.PRESENCE_DIR).exists()  # never inside the region's data
    assert (data / live.PRESENCE_DIR / ".gitignore").read_text() == "*\n"
    lb.stop()  # the page closed
    la.beat()
    assert "Nobody else has this region open." in la.bar.value
    lb.presence.beat("ngo-coordinator")  # a page whose kernel died: its heartbeat ages
    assert la.presence.others(now=time.time() + live.EXPIRE_S + 1) == []
    assert la.presence.others() == ["ngo-coordinator"]


def test_the_roadmap_form_keeps_what_is_typed_when_its_action_is_saved_elsewhere(data: Path):
    from workbench.dashboards import live

    a = roadmap_view.RoadmapView({"region": REGION, "lang": "en"})
    b = roadmap_view.RoadmapView({"region": REGION, "lang": "en"})
    la = live.attach(a, lambda: "coordinator-a")
    agreed = next(i for i in a.form.items.values() if i.source == "agreed")
    a.form.pick.value = b.form.pick.value = agreed.id
    a.form.notes.value = "typed, not saved"
    b.form.indicator.value = "Referrals per month"
    b.form.save_btn.click()
    assert la.check()
    assert a.form.notes.value == "typed, not saved" and a.form.indicator.value == (agreed.indicator or "")
    assert "coordinator has just saved a change to this record" in a.form.note.value
    assert "Referrals per month" in a.plan.value
    a.form.save_btn.click()
    saved = next(x for x in load_region(data / REGION).actions if x.id == agreed.id)
    assert (saved.notes, saved.indicator) == ("typed, not saved", "Referrals per month")


def test_a_page_that_cannot_write_its_heartbeat_still_shows_who_is_here(data: Path, monkeypatch: pytest.MonkeyPatch):
    from workbench.dashboards import live

    a, b = page("police-lead", "map"), page("reviewer", "map")
    live.attach(a, lambda: a.role_value)

    def refused(self: object, role: str, now: float | None = None) -> None:
        raise PermissionError("read-only data folder")

    monkeypatch.setattr(live.Presence, "beat", refused)
    lb = live.attach(b, lambda: b.role_value)  # does not raise
    assert "Also open now: police-lead" in lb.bar.value


def test_the_workshop_side_shows_each_gaps_basis_and_the_checks(data: Path):
    from workbench.roadmap.gaps import basis_label, detect_checks, detect_gaps

    a = page("police-lead", "agencies", lang="fr")
    region = load_region(data / REGION)
    side = a.side.value
    gaps, checks = detect_gaps(region, "fr"), detect_checks(region, "fr")
    # escaped for HTML (markupsafe writes ' as &#39;): unescaped, every question is there
    assert checks and all(c["question"] in html.unescape(side) for c in checks)
    assert all(c["question"] not in side for c in checks if "'" in c["question"])
    from workbench.dashboards.workshop.app import SIDE_GAPS

    shown = sum(side.count(f"<span class='wb-basis'>({basis_label(b, 'fr')})</span>")
                for b in ("evidence", "answers", "both"))
    assert shown == min(len(gaps), SIDE_GAPS)


def test_an_agency_or_tie_added_meanwhile_on_another_page_is_said_in_the_pages_language(data: Path):
    """Two pages add the same id (or the same tie) before either sees the other's: the second is told, in
    its language and in the form's own words, and nothing of the first is overwritten."""
    a, b = page("police-lead", "agencies"), page("ngo-coordinator", "agencies", lang="fr")
    for app, name in ((a, "Centre A"), (b, "Centre B")):
        form = app.built["agencies"]
        form.pick.value = ""
        form.id.value, form.name.value = "centre-neuf", name
        form.type.value = form.type.options[1][1]
    a.built["agencies"].save_btn.click()
    b.built["agencies"].save_btn.click()
    shown = html.unescape(b.messages.widget.value)
    assert b.t["id_taken"].format(id="centre-neuf", name="Centre A") in shown
    assert load_region(data / REGION).by_id["centre-neuf"].name == "Centre A"
    a.tabs.value = b.tabs.value = "ties"
    ta, tb = a.built["ties"], b.built["ties"]
    existing = {(r.source, r.target) for r in load_region(data / REGION).relationships if r.type == "referral"}
    ids = [v for _, v in ta.source.options if v]
    src, tgt = next((x, y) for x in ids for y in ids if x != y and (x, y) not in existing)
    for form in (ta, tb):
        form.pick.value = ""
        form.source.value, form.target.value, form.type.value = src, tgt, "referral"
    ta.save_btn.click()
    tb.save_btn.click()
    assert b.t["tie_exists"] in html.unescape(b.messages.widget.value)
    rels = load_region(data / REGION).relationships
    assert sum(1 for r in rels if (r.source, r.target, r.type) == (src, tgt, "referral")) == 1
