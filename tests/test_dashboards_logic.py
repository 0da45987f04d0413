"""The dashboards' logic without a browser: texts, the request, read-only, forms, escaping, serving."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import ipywidgets as w
import pytest

from workbench.dashboards import common, conference, roadmap_view, serve, workshop
from workbench.dashboards.common import choose_lang, choose_region, list_regions, query_params, texts
from workbench.paths import templates_dir

from .conftest import ROOT, snapshot
from .support.voila_server import PAYLOADS, payload_region


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two example regions and the payload region, as the kernels' data folder."""
    root = tmp_path / "partners"
    root.mkdir()
    for rid in ("be-hainaut", "de-leipzig"):
        shutil.copytree(ROOT / "data" / "partners" / rid, root / rid)
    payload_region(root)
    monkeypatch.setenv("WORKBENCH_DATA", str(root))
    monkeypatch.delenv("WORKBENCH_READ_ONLY", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return root


def html_values(widget: w.Widget) -> list[str]:
    """The value of every HTML widget under ``widget``."""
    out = []
    if isinstance(widget, w.HTML):
        out.append(widget.value)
    for child in getattr(widget, "children", ()):
        out += html_values(child)
    return out


def test_english_and_french_texts_match():
    en, fr = texts("en"), texts("fr")
    assert en.keys() == fr.keys()
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", fr[key])), key


def test_the_query_string_is_checked_against_the_region_list(data: Path):
    regions = list_regions()
    assert [r.id for r in regions] == ["be-hainaut", "de-leipzig", "xx-payload"]
    for bad in ("../etc", "BE-HAINAUT", "be-hainaut/../x", "<script>", ""):
        entry, refused = choose_region(query_params(urllib_quote(f"region={bad}")).get("region", bad), regions)
        assert entry is not None and entry.id == "be-hainaut" and refused
    assert choose_region("de-leipzig", regions) == (regions[1], False)
    assert choose_region(None, regions) == (regions[0], False)
    assert query_params("&".join(f"k{i}=v" for i in range(50))) == {}
    assert choose_lang("fr", "de") == ("fr", True) and choose_lang("<b>", "fr") == ("fr", False)


def urllib_quote(query: str) -> str:
    from urllib.parse import quote

    key, _, value = query.partition("=")
    return f"{key}={quote(value)}"


def test_region_list_skips_what_is_not_a_region(data: Path):
    (data / "Not A Region").mkdir()
    (data / "no-toml").mkdir()
    (data / "linked").symlink_to(data / "de-leipzig")
    (data / "notes.txt").write_text("x")
    assert [r.id for r in list_regions()] == ["be-hainaut", "de-leipzig", "xx-payload"]


def test_workshop_form_adds_an_agency_then_undo(data: Path):
    app = workshop.Workshop({"region": "de-leipzig", "lang": "en"})
    app.role.value = "test-lead"
    app.tabs.value = "agencies"
    form = app.built["agencies"]
    form.name.value = "Frauenhaus Nord"
    assert form.id.value == "frauenhaus-nord"  # suggested from the name
    form.id.value = "Frauenhaus!"
    assert any("is not a valid id" in x for x in form.checks.errors) and form.save_btn.disabled
    form.id.value = "frauenhaus-nord"
    form.type.value = "shelter"
    form.status.value = "pilot"
    assert form.checks.errors == [] and not form.save_btn.disabled
    form.save_btn.click()
    assert "Saved: Frauenhaus Nord" in app.messages.widget.value
    row = next(x for x in (data / "de-leipzig" / "agencies.csv").read_text().splitlines()
               if x.startswith("frauenhaus-nord,"))
    assert row.startswith("frauenhaus-nord,Frauenhaus Nord,shelter,") and ",pilot," in row
    log = [json.loads(x) for x in (data / "de-leipzig" / "changes.jsonl").read_text().splitlines()]
    assert log[-1]["editor"] == "test-lead"
    app.undo_btn.click()
    assert "Undone: Added: Frauenhaus Nord (by test-lead)" in app.messages.widget.value
    assert "frauenhaus-nord" not in (data / "de-leipzig" / "agencies.csv").read_text()



@pytest.mark.parametrize("lang", ["en", "fr"])
def test_forms_and_loader_refuse_the_same_values_through_the_same_checks(data: Path, lang: str):
    """What a form refuses as the user types, the loader refuses in a file: the same sentence, same catalogue."""
    from workbench import i18n
    from workbench.data import load_region
    from workbench.data.schema import check_id, check_length, check_since, contact_warning
    from workbench.errors import RegionInvalid

    bad_id, bad_since, contact, long_area = "Frauenhaus!", "2024-13", "ask anna.muster@example.org", "A" * 201
    app = workshop.Workshop({"region": "de-leipzig", "lang": lang})
    t = app.t
    app.tabs.value = "agencies"
    form = app.built["agencies"]
    form.name.value, form.type.value, form.id.value = "Frauenhaus Nord", "shelter", bad_id
    form.notes.value, form.area.value = contact, long_area
    id_sentence = check_id(bad_id).sentence(lang)
    area_sentence = check_length(long_area, 200).sentence(lang)
    contact_sentence = contact_warning(contact).sentence(lang)
    assert id_sentence in form.checks.errors
    assert f"{t['f_area']}: {area_sentence}" in form.checks.errors or \
        f"{t['f_area']} : {area_sentence}" in form.checks.errors
    assert any(x.endswith(contact_sentence) and x.startswith(t["f_notes"]) for x in form.checks.warnings)
    app.tabs.value = "ties"
    ties = app.built["ties"]
    ties.since.value = bad_since
    since_sentence = check_since(bad_since).sentence(lang)
    assert since_sentence in ties.checks.errors
    if lang == "fr":  # the words are the catalogue's French, not English
        assert id_sentence.startswith("« Frauenhaus! » n'est pas un identifiant valide (solution : ")
        assert since_sentence == i18n.text("problems.with_fix", "fr", message=i18n.text(
            "problems.since_bad", "fr", value=bad_since), fix=i18n.text("problems.fix.since", "fr"))

    folder = data / "de-leipzig"
    with (folder / "agencies.csv").open("a", encoding="utf-8") as f:
        f.write(f"{bad_id},Frauenhaus Nord,shelter,,,,,,{long_area},active,,{contact}\n")
    with (folder / "relationships.csv").open("a", encoding="utf-8") as f:
        f.write(f"pd-revier-zentrum,pd,data_sharing,,,,,,{bad_since},active,\n")
    with pytest.raises(RegionInvalid) as exc:
        load_region(folder)
    printed = {p.column: p.text(lang) for p in exc.value.problems}
    assert printed["id"].endswith(": " + id_sentence)
    assert printed["area"].endswith(": " + area_sentence)
    assert printed["notes"].endswith(contact_sentence)
    assert printed["since"].endswith(": " + since_sentence)


def test_roadmap_saves_a_suggestion_as_an_action_of_the_group(data: Path):
    import datetime as dt

    app = roadmap_view.RoadmapView({"region": "de-leipzig", "lang": "en"})
    form = app.form
    draft = next(i for i in form.items.values() if i.source == "draft")
    form.pick.value = draft.id
    form.status.value = "in_progress"
    form.horizon.value = "medium"
    form.start.value, form.due.value = dt.date(2026, 3, 1), dt.date(2026, 1, 1)
    assert not form.check() and form.save_btn.disabled  # due before start
    form.due.value = dt.date(2027, 6, 30)
    form.indicator.value = "Meetings held per quarter"
    form.save_btn.click()
    assert "Saved:" in app.messages.widget.value and "Saved:" in form.notice.value
    row = next(x for x in (data / "de-leipzig" / "actions.csv").read_text().splitlines()
               if x.startswith(f"act-{draft.gap.lower()},"))
    assert ",medium,2026-03-01,2027-06-30,in_progress,Meetings held per quarter," in row
    assert form.pick.value == f"act-{draft.gap.lower()}"  # the form stays on the saved action


def test_a_role_that_looks_like_contact_details_is_refused(data: Path):
    app = workshop.Workshop({"region": "de-leipzig", "lang": "en"})
    app.role.value = "anna.muster@example.org"
    before = snapshot(data / "de-leipzig")
    app.undo_btn.click()
    assert "looks like an e-mail address" in app.messages.widget.value
    assert snapshot(data / "de-leipzig") == before


def test_read_only_refuses_in_the_kernel(data: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WORKBENCH_READ_ONLY", "1")
    before = snapshot(data / "be-hainaut")
    app = roadmap_view.RoadmapView({"region": "be-hainaut", "lang": "en"})
    assert app.form.title.disabled
    app.form.save_btn.disabled = False  # as a tampered page would
    app.form.save_btn.click()
    assert "this server is read-only" in app.messages.widget.value
    ws = workshop.Workshop({"region": "be-hainaut", "lang": "en"})
    with pytest.raises(common.ReadOnly):
        ws.store()
    ws.tabs.value = "agencies"
    form = ws.built["agencies"]
    assert form.name.disabled and form.save_btn.disabled
    assert snapshot(data / "be-hainaut") == before


def test_answers_are_saved_in_one_change(data: Path):
    app = workshop.Workshop({"region": "de-leipzig", "lang": "fr"})
    app.tabs.value = "assessment"
    q = app.built["assessment"]
    q.round.value = "2026-workshop"
    q.rater.value = "police-lead"
    q.group.value = "C3"
    first, second = list(q.rows)[:2]
    q.rows[first][0].value = "n/a"
    q.rows[second][0].value = q.rows[second][0].options[0][1]
    q.rows[second][1].value = "Protocole de 2024"
    q.save_btn.click()
    assert "2 réponse(s) enregistrée(s)" in app.messages.widget.value
    text = (data / "de-leipzig" / "assessment.csv").read_text()
    assert f"2026-workshop,{first},police-lead,n/a," in text
    assert "Protocole de 2024" in text
    log = (data / "de-leipzig" / "changes.jsonl").read_text().splitlines()
    assert len(log) == 1 and "answers C3 (2026-workshop, police-lead)" in log[0]


@pytest.mark.parametrize("page", ["workshop", "roadmap", "conference"])
def test_payloads_never_reach_html_unescaped(data: Path, page: str):
    params = {"region": "xx-payload", "lang": "en"}
    if page == "workshop":
        app = workshop.Workshop(params)
        for name in workshop.Workshop.SECTIONS:
            app.tabs.value = name
        app.built["agencies"].pick.value = "police"
        app.built["ties"].pick.value = "police|ngo|formal_agreement"
    elif page == "roadmap":
        app = roadmap_view.RoadmapView(params)
    else:
        app = conference.Conference(params)
    values = html_values(app.root)
    assert values
    for value in values:
        for payload in PAYLOADS:
            assert payload not in value
        assert "<script" not in value.lower().replace("&lt;script", "")
    # and the texts are there, escaped
    assert any("&lt;script&gt;window.pwned=1" in v for v in values)


def test_notebooks_are_thin_and_stored_without_outputs():
    # notebooks/ holds the dashboards and explore.ipynb, the analysts' notebook, which is not served
    # (see test_the_server_is_given_the_dashboards_only and tests/test_explore_notebook.py).
    nbs = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [p.name for p in nbs] == ["conference.ipynb", "explore.ipynb", "roadmap.ipynb", "workshop.ipynb"]
    assert sorted(p.name for p in (ROOT / "notebooks").iterdir()) == [p.name for p in nbs]
    dashboards = [p for p in nbs if p.stem in common.DASHBOARDS]
    assert sorted(p.stem for p in dashboards) == sorted(common.DASHBOARDS)
    for p in dashboards:
        nb = json.loads(p.read_text())
        cells = nb["cells"]
        assert 2 <= len(cells) <= 4
        assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in cells)
        source = ["".join(c["source"]) for c in cells]
        waits = [i for i, s in enumerate(source) if "wait_for_request()" in s]
        shows = [i for i, s in enumerate(source) if ".show()" in s]
        assert waits and shows and waits[0] < shows[0]


def test_the_server_is_given_the_dashboards_only(tmp_path: Path):
    """Voilà serves a folder holding copies of the dashboards and nothing else of notebooks/."""
    served = serve.dashboards_folder(tmp_path)
    assert served == tmp_path
    assert sorted(p.name for p in served.iterdir()) == sorted(f"{d}.ipynb" for d in common.DASHBOARDS)
    for p in served.iterdir():
        assert p.read_bytes() == (ROOT / "notebooks" / p.name).read_bytes()
    assert (ROOT / "notebooks" / "explore.ipynb").is_file() and not (served / "explore.ipynb").exists()


def test_server_configuration():
    opts = serve.default_options(ROOT / "data" / "partners", port=9999, read_only=True, pool_size=2)
    c = serve.voila_config(opts)
    assert c.Voila.ip == "127.0.0.1" and c.Voila.port == 9999
    assert c.VoilaConfiguration.file_allowlist == []
    assert c.VoilaConfiguration.strip_sources is True and c.VoilaConfiguration.show_tracebacks is False
    assert c.VoilaConfiguration.preheat_kernel is True and c.VoilaConfiguration.default_pool_size == 2
    assert c.MappingKernelManager.cull_idle_timeout == serve.CULL_IDLE_TIMEOUT
    env = serve.kernel_environment(opts)
    assert env["WORKBENCH_READ_ONLY"] == "1" and env["WORKBENCH_DATA"].endswith("partners")
    assert (templates_dir() / "voila" / "templates" / serve.TEMPLATE / "index.html.j2").is_file()
    template = (templates_dir() / "voila" / "templates" / serve.TEMPLATE).rglob("*")
    for path in template:
        if path.is_file():
            assert not re.search(r"https?://", path.read_text()), path


def test_landing_page_context(data: Path):
    ctx = serve.landing_context("/", None, "fr-BE,fr;q=0.9")
    assert ctx["lang"] == "fr" and [d["name"] for d in ctx["dashboards"]] == ["workshop", "roadmap", "conference"]
    workshop_links = [r["url"] for r in ctx["dashboards"][0]["regions"]]
    assert workshop_links[0] == "/voila/render/workshop.ipynb?region=be-hainaut"  # the region decides the language
    ctx = serve.landing_context("/tactics/", "en", None)
    assert ctx["dashboards"][2]["url"] == "/tactics/voila/render/conference.ipynb?lang=en"


def test_every_language_can_be_chosen(data: Path):
    """The landing page and every dashboard offer all eight languages; the region's is the default."""
    from workbench import i18n

    for lang in i18n.LANGUAGES:
        ctx = serve.landing_context("/", lang, "fr")
        assert ctx["lang"] == lang and [name for _, name, _ in ctx["languages"]] == list(i18n.LANGUAGES.values())
        assert ctx["dashboards"][0]["title"] == i18n.text("ui.title_workshop", lang)
        assert choose_lang(lang, "fr") == (lang, True)
    assert serve.landing_context("/", None, "bg-BG,bg;q=0.9,en;q=0.8")["lang"] == "bg"
    assert serve.landing_context("/", "tlh", "et")["lang"] == "et"  # an unknown ?lang= is ignored
    leipzig = workshop.Workshop({"region": "de-leipzig"})
    assert leipzig.lang == "de" and leipzig.lang_pick.value == "de"
    assert [code for _, code in leipzig.lang_pick.options] == list(i18n.LANGUAGES)
    assert i18n.text("ui.title_workshop", "de") in leipzig.title.value
    leipzig.lang_pick.value = "el"
    assert i18n.text("ui.title_workshop", "el") in leipzig.title.value
    assert leipzig.tabs.options[0][0] == i18n.text("ui.sec_map", "el")


def test_tie_form_shows_only_the_fields_of_the_chosen_type_and_saves_them(data: Path):
    """Version 1.1's tie fields: mode for a referral, scope for an agreement, hidden (and cleared) otherwise."""
    from workbench.data import load_region

    app = workshop.Workshop({"region": "de-leipzig", "lang": "en"})
    app.role.value = "test-lead"
    app.tabs.value = "ties"
    form = app.built["ties"]
    shown = {name: lambda x=x: x.layout.display != "none" for name, x in form.extra.items()}
    form.source.value, form.target.value, form.type.value = "pd-fachdienst", "runder-tisch", "referral"
    assert [n for n, visible in shown.items() if visible()] == ["mode"]
    form.extra["mode"].value = "proactive"
    form.type.value = "formal_agreement"
    assert [n for n, visible in shown.items() if visible()] == ["scope"]
    assert form.extra["mode"].value == ""  # a hidden field sends nothing
    form.extra["scope"].value = ("referral", "data_protection")
    form.extra["instrument"].value = "x"  # set behind the form's back: not sent for an agreement
    form.check()
    assert form.checks.errors == [] and not form.save_btn.disabled
    form.save_btn.click()
    tie = next(r for r in load_region(data / "de-leipzig").relationships
               if r.key == ("pd-fachdienst", "runder-tisch", "formal_agreement"))
    assert tie.scope == ("referral", "data_protection") and tie.mode is None and tie.instrument is None
    form.type.value = "training"
    assert [n for n, visible in shown.items() if visible()] == ["mandatory"]


def test_agency_form_asks_how_often_a_forum_meets_only_for_forums(data: Path):
    from workbench.data import load_region

    app = workshop.Workshop({"region": "de-leipzig", "lang": "fr"})
    app.role.value = "test-lead"
    app.tabs.value = "agencies"
    form = app.built["agencies"]
    form.pick.value = "pd"
    assert form.meets.layout.display == "none"
    form.pick.value = "runder-tisch"
    assert form.meets.layout.display != "none" and form.meets.description == app.t["f_meets"] == "Se réunit"
    form.meets.value = "twice_yearly"
    form.save_btn.click()
    assert load_region(data / "de-leipzig").by_id["runder-tisch"].frequency == "twice_yearly"
    assert ",twice_yearly\n" in (data / "de-leipzig" / "agencies.csv").read_text(encoding="utf-8")
