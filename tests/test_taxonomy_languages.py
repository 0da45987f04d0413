"""Taxonomy, rubric and maturity words come from the catalogues, in every language.

For each of the eight languages, every label, help text, rubric question,
answer label, level descriptor, measure name, reference name and chart word
is the language's own catalogue entry wherever that catalogue has the key
(el, bg and et are still being translated: where they lack a key, English),
and the resource files these words used to live in hold no prose any more.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from workbench import i18n
from workbench.data import Answer, Region, RegionInfo
from workbench.files import read_resource
from workbench.maturity import assess_region, reference_profiles
from workbench.maturity.charts import heatmap_figure, heatmap_html, radar_figure, radar_svg
from workbench.maturity.evidence import MEASURES, network_evidence
from workbench.maturity.scoring import CHARACTERISTICS, indicators_of
from workbench.taxonomy import rubric, taxonomy

LANGS = list(i18n.LANGUAGES)
TABLES = ("sectors", "agency_types", "forum_types", "relationship_types", "priority_groups")
VOCABULARIES = ("agency_status", "formality", "frequency", "membership_role", "attendance", "legal_basis",
                "horizon", "action_status", "boolean", "referral_mode", "agreement_scope", "feedback_content")
#: The resource files whose prose moved to the catalogues.
CONVERTED = ("taxonomy.toml", "rubric.toml", "maturity.toml")


def own(key: str, lang: str) -> str:
    """The language's own words for ``key``, English only where its catalogue lacks the key."""
    assert key in i18n.catalogue(i18n.DEFAULT), f"{key} is not in the English catalogue"
    return i18n.catalogue(lang).get(key) or i18n.catalogue(i18n.DEFAULT)[key]


def words_of(lang: str) -> Iterator[tuple[str, str, str]]:
    """(key, what the package gives, what the catalogue says) for every taxonomy and rubric text."""
    tax, rb = taxonomy(), rubric()
    for table in TABLES:
        for k in getattr(tax, table):
            yield f"taxonomy.{table}.{k}", tax.label(table, k, lang), own(f"taxonomy.{table}.{k}", lang)
            if i18n.has(f"taxonomy.{table}.{k}.help"):
                yield f"taxonomy.{table}.{k}.help", tax.help(table, k, lang), own(f"taxonomy.{table}.{k}.help", lang)
    for vocabulary in VOCABULARIES:
        for v in tax.values(vocabulary):
            key = f"taxonomy.vocabularies.{vocabulary}.{v}"
            yield key, tax.label(vocabulary, v, lang), own(key, lang)
    for c in rb.characteristics:
        key = f"rubric.characteristics.{c}"
        yield key, rb.name(c, lang), own(key, lang)
        yield key + ".definition", rb.definition(c, lang), own(key + ".definition", lang)
        for level in range(5):
            yield (f"{key}.levels.{level}.label", rb.level_label(c, level, lang),
                   own(f"{key}.levels.{level}.label", lang))
            yield (f"{key}.levels.{level}.descriptor", rb.descriptor(c, level, lang),
                   own(f"{key}.levels.{level}.descriptor", lang))
    for i, spec in rb.indicators.items():
        key = f"rubric.{'factors' if i.startswith('X') else 'indicators'}.{i}"
        if i.startswith("X"):
            yield key, rb.name(i, lang), own(key, lang)
        yield key + ".question", rb.question(i, lang), own(key + ".question", lang)
        if i18n.has(key + ".help"):
            yield key + ".help", rb.help(i, lang), own(key + ".help", lang)
        for word, label in zip(spec["answers"], rb.answer_labels(i, lang), strict=True):
            yield f"{key}.answers.{word}", label, own(f"{key}.answers.{word}", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_taxonomy_and_rubric_words_are_the_languages_own(lang: str):
    found = list(words_of(lang))
    # every key of the two catalogues is read through the package, and nothing else
    assert sorted(key for key, _, _ in found) == sorted([*i18n.keys("taxonomy."), *i18n.keys("rubric.")])
    assert [key for key, given, expected in found if given != expected] == []
    if lang != i18n.DEFAULT:  # the language's entries are used, not English
        translated = [(given, i18n.text(key)) for key, given, _ in found if key in i18n.catalogue(lang)]
        assert translated and sum(g != e for g, e in translated) > 0.8 * len(translated)
    if lang in i18n.COMPLETE:
        assert [key for key, _, _ in found if key not in i18n.catalogue(lang)] == []


def test_a_value_the_taxonomy_does_not_know_is_shown_as_it_is():
    assert taxonomy().label("agency_types", "not_a_type", "fr") == "not_a_type"
    assert taxonomy().help("agency_types", "not_a_type", "fr") == ""


@pytest.mark.parametrize("lang", LANGS)
def test_measure_and_reference_names_are_the_languages_own(lang: str):
    region = Region(RegionInfo("xx-a", "A", "BE"))
    measures = {mid: m for ev in network_evidence(region, lang).values() for mid, m in ev["measures"].items()}
    assert set(measures) == set(MEASURES)
    for mid, m in measures.items():
        assert m["name"] == own(f"maturity.measures.{mid}", lang)
    refs = reference_profiles(lang)
    assert refs, "no reference regions"
    for rid, p in refs.items():
        assert p["name"] == own(f"maturity.reference_names.{rid}", lang), rid


def _assessed(lang: str) -> dict[str, Any]:
    answers = tuple(Answer("2025", i, s, r) for c in CHARACTERISTICS for i in indicators_of(c)
                    for r, s in (("police", "2"), ("ngo", "0")))
    return assess_region(Region(RegionInfo("xx-a", "A", "BE"), assessment=answers), lang=lang)


def _figure_texts(fig: Any) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


def _chart_words(lang: str) -> Callable[[str], str]:
    return lambda word: own(f"maturity.charts.{word}", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_chart_labels_are_in_the_language(lang: str):
    w, rb = _chart_words(lang), rubric()
    result = _assessed(lang)
    assert {c: r["label"] for c, r in result.items()} == {
        c: rb.level_label(c, r["level"], lang) for c, r in result.items()}
    series = {"Region": {c: r["level"] for c, r in result.items()}, "Other": {"C1": 1}}
    names = [rb.name(c, lang) for c in CHARACTERISTICS]

    radar = _figure_texts(radar_figure(series, lang))
    assert w("radar") in radar and w("none") in radar
    for name in names:  # the axis labels are wrapped (long words broken): spaces and line breaks aside
        assert "".join(name.split()) in "".join(radar.split()), name
    svg = html.unescape(radar_svg(series, lang))
    assert w("radar") in svg and w("level") in svg and w("none") in svg
    assert all("".join(name.split()) in "".join(svg.split()) for name in names)

    heat = _figure_texts(heatmap_figure(result, lang))
    for word in ("heatmap", "consensus", "missing", "na", "score.0", "score.2"):
        assert w(word) in heat, word
    table = html.unescape(heatmap_html(result, lang))
    assert w("consensus") in table and w("disagreement") in table
    assert rb.question("C2.1", lang) in table and rb.name("C4", lang) in table


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from _keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from _keys(v)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


@pytest.mark.parametrize("name", CONVERTED)
def test_converted_resources_hold_no_prose(name: str):
    raw = read_resource(name)
    language_field = re.compile(rf"(?:.+_)?(?:{'|'.join(LANGS)})")
    assert [k for k in _keys(raw) if language_field.fullmatch(k)] == []
    # what is left are ids, colours, seeds ("004:76-77") and numbers: no words with spaces
    assert [s for s in _strings(raw) if not re.fullmatch(r"[\w.:#/-]+", s)] == []
