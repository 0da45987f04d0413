"""The cross-region comparison page (workbench.compare)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workbench import i18n
from workbench.compare import (
    comparison,
    comparison_html,
    normalised_network,
    shared_gaps,
    write_comparison,
)
from workbench.data import RegionStore, load_region
from workbench.errors import RegionInvalid, WorkbenchError
from workbench.roadmap.document import build_roadmap
from workbench.roadmap.gaps import detect_gaps

from .conftest import FIXTURES, ROOT

TODAY = dt.date(2025, 6, 1)
PARTNERS = sorted(p for p in (ROOT / "data" / "partners").iterdir() if p.is_dir() and not p.name.startswith("."))
SCRIPT_NAME = "<script>alert('region')</script> & Co"
AGENCY_NAME = "<img src=x onerror=alert('agency')>"
ACTION_TITLE = "<script>alert('action')</script>"


class _Cells(HTMLParser):
    """Collects the class of every cell of the heatmap table's body, and every src/href."""

    def __init__(self) -> None:
        super().__init__()
        self.table: str | None = None
        self.in_body = False
        self.heatmap_cells: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        self.links += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "table":
            self.table = a.get("class")
        elif tag == "tbody":
            self.in_body = True
        elif tag == "td" and self.table == "heatmap" and self.in_body:
            self.heatmap_cells.append(a.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.table = None


def _parse(page: str) -> _Cells:
    p = _Cells()
    p.feed(page)
    return p


@pytest.fixture(scope="module")
def partners():
    return [load_region(p) for p in PARTNERS]


@pytest.fixture(scope="module")
def partner_page(partners) -> str:
    return comparison_html(partners, today=TODAY)


@pytest.fixture
def hostile(tiny: Path) -> Path:
    """The tiny region with script payloads in its name, an agency name and an action title."""
    store = RegionStore(tiny, editor="test")
    store.set_info(name=SCRIPT_NAME)
    store.edit_agency("parquet", name=AGENCY_NAME)
    store.save_action(id="a0", title=ACTION_TITLE, gap="G01", owner="parquet", status="agreed")
    return tiny


def test_page_shows_every_partner_region(partners, partner_page):
    assert len(partners) >= 2
    for r in partners:
        assert escape(r.name) in partner_page
    assert partner_page.startswith("<!DOCTYPE html>")


def test_page_is_self_contained(partner_page):
    lowered = partner_page.lower()
    for needle in ("http://", "https://", "//cdn", "<script", "<link", "<iframe", "@import", "url("):
        assert needle not in lowered, needle
    links = _parse(partner_page).links
    assert links, "the radar must be embedded"
    assert all(v.startswith(("data:image/png;base64,", "#")) for v in links), links


def test_heatmap_has_five_cells_per_region(partners, partner_page):
    cells = [c for c in _parse(partner_page).heatmap_cells if c.split()[0] == "lvl"]
    assert len(cells) == 5 * len(partners)
    data = comparison(partners, today=TODAY)
    nulls = sum(lv is None for r in data["regions"] for lv in r["levels"].values())
    assert sum("none" in c.split() for c in cells) == nulls


def test_user_text_is_escaped(hostile: Path, tmp_path: Path):
    out = write_comparison([hostile, PARTNERS[0]], tmp_path / "out", today=TODAY)
    page = out.read_text(encoding="utf-8")
    assert out.name == "comparison.html"
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert escape(SCRIPT_NAME) in page
    assert escape(AGENCY_NAME) in page  # the owner of the first action
    assert escape(ACTION_TITLE) in page
    assert {t for t in _parse(page).tags} <= {
        "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3", "p", "nav", "b",
        "ol", "ul", "li", "a", "section", "figure", "img", "figcaption", "table", "thead", "tbody", "tr", "th",
        "td", "span", "dl", "dt", "dd", "div", "footer"}


def test_top_three_actions_are_the_first_open_items_of_the_plan(hostile: Path):
    region = load_region(hostile)
    data = comparison([region], today=TODAY)
    plan = build_roadmap(region, "en", today=TODAY).plan
    expected = [i.id for i in plan if i.status not in ("done", "dropped", "covered")][:3]
    got = data["regions"][0]["top_actions"]
    assert [a["id"] for a in got] == expected and len(got) == 3
    assert got[0]["title"] == ACTION_TITLE and got[0]["owner_name"] == AGENCY_NAME


def test_shared_gaps_on_a_constructed_pair(tiny: Path, tmp_path: Path):
    other = tmp_path / "xx-other"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", other)
    toml = (other / "region.toml").read_text(encoding="utf-8")
    (other / "region.toml").write_text(toml.replace('"xx-tiny"', '"xx-other"'), encoding="utf-8")
    store = RegionStore(other, editor="test")
    store.add_relationship(source="parquet", target="police", type="feedback")
    store.add_relationship(source="praxis", target="parquet", type="feedback")
    store.add_relationship(source="shelter", target="ngo", type="feedback")
    store.add_relationship(source="ngo", target="hospital", type="feedback")
    a, b = load_region(tiny), load_region(other)
    ga, gb = {g.id for g in detect_gaps(a)}, {g.id for g in detect_gaps(b)}
    assert ga != gb, "the pair must differ for the test to mean something"

    data = comparison([a, b], today=TODAY)
    assert data["shared_threshold"] == 2
    assert [g["id"] for g in data["shared_gaps"]] == sorted(ga & gb)
    assert all(g["count"] == 2 and g["regions"] == ["xx-tiny", "xx-other"] for g in data["shared_gaps"])
    assert data["gap_counts"] == {g: (g in ga) + (g in gb) for g in sorted(ga | gb)}

    page = comparison_html([a, b], today=TODAY)
    for gid in sorted(ga ^ gb):
        assert f"{gid} (1)" in page  # listed among the gaps found in fewer regions


def test_shared_gaps_counted_by_hand():
    def region(rid: str, *gaps: str) -> dict:
        return {"id": rid, "gaps": [{"id": g, "title": g, "severity": "low"} for g in gaps]}

    shared, counts = shared_gaps([region("a", "G01", "G02", "G02"), region("b", "G02", "G03"),
                                  region("c", "G01", "G02")])
    assert [(g["id"], g["count"], g["regions"]) for g in shared] == [("G02", 3, ["a", "b", "c"]),
                                                                      ("G01", 2, ["a", "c"])]
    assert counts == {"G01": 2, "G02": 3, "G03": 1}


def test_shared_gaps_need_most_regions(partners):
    data = comparison(partners, today=TODAY)
    n = len(partners)
    assert data["shared_threshold"] == max(2, -(-n // 2))
    counts = [g["count"] for g in data["shared_gaps"]]
    assert counts == sorted(counts, reverse=True)
    assert all(c >= data["shared_threshold"] for c in counts)
    found = {}
    for r in data["regions"]:
        for g in r["gaps"]:
            found[g["id"]] = found.get(g["id"], 0) + 1
    assert data["gap_counts"] == dict(sorted(found.items()))


def test_data_is_json_ready_and_normalised(partners):
    data = comparison(partners[:2], today=TODAY)
    assert json.loads(json.dumps(data)) == data
    for r in data["regions"]:
        net = r["network"]
        assert net["mean_degree"] == pytest.approx(2 * net["ties"] / net["agencies"])
        for key in ("largest_component_share", "isolate_share", "cut_share", "reciprocity",
                    "degree_centralization"):
            assert 0 <= net[key] <= 1
        assert len(r["top_actions"]) <= 3 and set(r["levels"]) == {"C1", "C2", "C3", "C4", "C5"}


def test_normalised_network_by_hand(tiny: Path):
    # Organisation graph of xx-tiny: 9 live organisations/units; undirected ties
    # police–sapv, sapv–ngo, parquet–praxis, police–parquet, police–ngo, ngo–shelter,
    # hospital–ngo, muni–ngo (funding) = 8; fpc is isolated.
    f = normalised_network(load_region(tiny))
    assert f["agencies"] == 9
    assert f["ties"] == 8
    assert f["mean_degree"] == pytest.approx(16 / 9)
    assert f["largest_component_share"] == pytest.approx(8 / 9)
    assert f["isolate_share"] == pytest.approx(1 / 9)


def test_output_is_deterministic(partners):
    first = comparison_html(partners[:3], today=TODAY)
    assert comparison_html(partners[:3], today=TODAY) == first
    assert "1 June 2025" in first  # the date, spelled for the page's language


def test_french_page(partners):
    page = comparison_html(partners[:2], lang="fr", today=TODAY)
    assert "Comparaison entre régions" in page and "<html lang='fr'>" in page
    assert comparison_html(partners[:2], lang="xx", today=TODAY).count("Cross-region comparison") >= 1


@pytest.fixture(scope="module")
def pair_summaries(partners):
    """Two example regions' columns in every language (the analysis is the slow part: once per language)."""
    from workbench.compare import region_summary

    return {lang: [region_summary(r, lang, TODAY) for r in partners[:2]] for lang in i18n.LANGUAGES}


#: The page's words that must follow the language.
PAGE_WORDS = ("title", "levels", "heatmap", "network", "gaps", "actions", "col_mean_degree", "region", "footer")


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_page_in_every_language_takes_its_words_from_the_catalogue(lang: str, pair_summaries):
    from workbench.compare import assemble, render_html

    data = assemble(pair_summaries[lang], lang, TODAY)
    page = render_html(data)
    assert f"<html lang='{lang}'>" in page
    for key in PAGE_WORDS:
        assert escape(i18n.text(f"compare.{key}", lang)) in page, key
    assert escape(i18n.date_text(TODAY, lang)) in page
    for c in ("C1", "C5"):
        assert escape(i18n.text(f"rubric.characteristics.{c}", lang)) in page
    for g in data["shared_gaps"]:
        assert g["title"] == i18n.text(f"gaps.{g['id']}.title", lang)
    own = i18n.catalogue(lang)
    for key in PAGE_WORDS if lang != i18n.DEFAULT else ():
        english = i18n.text(f"compare.{key}", i18n.DEFAULT)
        if f"compare.{key}" in own and own[f"compare.{key}"] != english:
            assert f">{escape(english)}<" not in page, key  # no English title left where the language has its own


@pytest.mark.parametrize("lang", ["fr", "bg"])
def test_a_summary_retold_in_a_language_is_the_summary_made_in_it(lang: str, pair_summaries):
    from workbench.compare import retold

    for english, own in zip(pair_summaries[i18n.DEFAULT], pair_summaries[lang], strict=True):
        assert retold(english, lang) == own
        assert english["top_actions"] and english["gaps"]


def test_invalid_regions_are_all_reported_and_nothing_written(tiny: Path, tmp_path: Path):
    broken = tmp_path / "xx-broken"
    shutil.copytree(tiny, broken)
    (broken / "region.toml").write_text('id = "xx-broken"\nname = "Broken"\ncountry = "ZZ"\n', encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(RegionInvalid) as exc:
        write_comparison([tiny, broken, tmp_path / "xx-missing", tiny], out, today=TODAY)
    files = {p.file.split("/")[-1] if "/" in p.file else p.file for p in exc.value.problems}
    assert "region.toml" in files and "xx-missing" in files
    assert any("given twice" in p.message for p in exc.value.problems)
    assert not out.exists()
    with pytest.raises(WorkbenchError):
        write_comparison([], out)
