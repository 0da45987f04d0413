"""The change log as a reader of each language sees it (issue 12, "everything a user reads").

The log keeps an English ``summary`` in the file for people reading it there;
the dashboards tell every change from its structured rows in the page's
language, old log entries included, and show the roles the workbench saves
under itself (the roadmap page's ``coordinator``) as the language's word.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from workbench import i18n
from workbench.dashboards import roadmap_view, workshop
from workbench.dashboards.changes import ROLES, change_text, role_text
from workbench.dashboards.common import texts
from workbench.data import RegionStore, load_region
from workbench.data.store import Change

from .conftest import ROOT

REGION = "de-leipzig"
OTHERS = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "partners"
    root.mkdir()
    shutil.copytree(ROOT / "data" / "partners" / REGION, root / REGION)
    monkeypatch.setenv("WORKBENCH_DATA", str(root))
    monkeypatch.delenv("WORKBENCH_READ_ONLY", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return root


def _every_kind_of_change(folder: Path) -> list[Change]:
    """One change of each kind the dashboards save, then an undo; the log as the store reads it back."""
    store = RegionStore(folder, editor=roadmap_view.ROLE)
    region = load_region(folder)
    first, second = region.agencies[0].id, region.agencies[1].id
    rnd = region.assessment[0].round if region.assessment else "2026-test"
    store.add_agency(id="centre-x", name="Centre X", type="shelter", status="active")
    store.edit_agency("centre-x", area="Nord")
    store.add_relationship(source="centre-x", target=first, type="referral")
    store.set_answers(rnd, "test-rater", {"C1.1": ("written", None), "C1.2": ("no", None)})
    store.set_info(description="changed")
    store.remove_agency("centre-x")  # takes its tie along
    store.undo()
    store.add_relationship(source=first, target=second, type="co_location")
    return store.history()[-8:]


def test_every_change_is_told_in_each_language_not_in_the_stored_english(data: Path):
    changes = _every_kind_of_change(data / REGION)
    region = load_region(data / REGION)
    english = [change_text(c, i18n.DEFAULT, region) for c in changes]
    assert english[0] == "Added: Centre X" and english[1] == "Changed: Centre X"
    assert english[3].startswith("Answers C1.1, C1.2 (") and english[4] == "Changed: region details"
    assert english[5] == "Removed: Centre X; related records: 1"
    assert english[6] == f"Added: Centre X; related records: 1 (undo of change #{changes[5].seq})"
    for lang in OTHERS:
        told = [change_text(c, lang, region) for c in changes]
        for change, en, words in zip(changes, english, told, strict=True):
            assert words != en, (lang, words)
            assert change.summary not in words and "{" not in words, (lang, words)
        # a tie's type is the taxonomy's label in the language, its ends the agencies' names
        assert texts(lang)["sec_ties"] not in told[2] and region.agencies[0].name in told[2]
        assert i18n.text("taxonomy.relationship_types.referral", lang) in told[2]


def test_old_log_entries_still_display(data: Path):
    """Entries written before ``based_on``, ``account`` and ``undoes`` existed, and an import without rows."""
    folder = data / REGION
    row = {"table": "agencies", "key": ["x"], "before": {"id": "x", "name": "Old Name"},
           "after": {"id": "x", "name": "New Name"}}
    old = [{"seq": 1, "time": "2025-01-01T00:00:00+00:00", "editor": "workshop", "summary": "edit agency x",
            "rows": [row]},
           {"seq": 2, "time": "2025-01-02T00:00:00+00:00", "editor": "survey", "summary": "import x.xlsx",
            "rows": []}]
    (folder / "changes.jsonl").write_text("".join(json.dumps(x) + "\n" for x in old), encoding="utf-8")
    hist = RegionStore(folder).history()
    assert [change_text(c, "fr") for c in hist] == ["Modification : New Name", texts("fr")["change_imported"]]
    assert role_text(hist[1].editor, texts("bg")) == texts("bg")["role_survey"] != "survey"


def test_the_changes_list_is_in_the_pages_language(data: Path):
    _every_kind_of_change(data / REGION)
    app = workshop.Workshop({"region": REGION, "lang": "el"})
    app.role.value = "police-lead"
    app.tabs.value = "history"
    shown = app.built["history"].widget.value
    el = texts("el")
    assert el["change_added"].format(what="Centre X") in shown
    assert f"<td>{el['role_coordinator']}</td>" in shown and f"<td>{roadmap_view.ROLE}</td>" not in shown
    for c in RegionStore(data / REGION).history()[-8:]:
        assert c.summary not in shown


def test_the_roadmap_pages_role_is_a_word_of_every_language(data: Path):
    from workbench.dashboards import live

    assert roadmap_view.ROLE in ROLES
    for lang in OTHERS:
        assert role_text(roadmap_view.ROLE, texts(lang)) not in ("", roadmap_view.ROLE)
    # what others see of it: the notice of its save and the list of open pages
    fr = texts("fr")
    app = workshop.Workshop({"region": REGION, "lang": "fr"})
    app.role.value = "police-lead"
    app.tabs.value = "map"
    la = live.attach(app, lambda: app.role_value)
    rm = roadmap_view.RoadmapView({"region": REGION, "lang": "fr"})
    lr = live.attach(rm, lambda: roadmap_view.ROLE)
    lr.beat()
    la.beat()
    assert fr["presence_others"].format(roles=fr["role_coordinator"]) in la.bar.value
    assert roadmap_view.ROLE not in la.bar.value
    draft = next(i for i in rm.form.items.values() if i.source == "draft")
    rm.form.pick.value = draft.id
    rm.form.indicator.value = "Réunions par trimestre"
    rm.form.save_btn.click()
    assert la.check()
    assert la.news.value.count(fr["role_coordinator"]) == 1 and roadmap_view.ROLE not in la.news.value
    lr.stop()
    la.stop()


def test_a_conflict_names_the_roadmap_page_in_the_readers_language():
    from workbench.dashboards.together import conflict_who, record_note
    from workbench.errors import EditConflict, FieldConflict

    de: dict[str, Any] = texts("de")
    exc = EditConflict("x", [FieldConflict("action a1", "notes", "A", "B", roadmap_view.ROLE, "C")])
    assert conflict_who(exc, de) == de["role_coordinator"]
    assert de["role_coordinator"] in record_note(de, roadmap_view.ROLE, gone=False)
