"""The translation catalogues: one set per language, in step with English.

Every language must have the English keys, and no translated entry may change
a placeholder or a piece of markup. Languages listed in ``i18n.COMPLETE`` must
also translate every entry (no empty, fuzzy or English-copied entry unless it
is flagged ``ignore-same``); a translator adds the language there when done.
Every language but English also has a glossary (``locales/<lang>/glossary.md``)
with a table of the domain terms.
"""
import datetime as dt

import pytest
from babel.messages.catalog import Catalog
from click.testing import CliRunner

from workbench import i18n, translations
from workbench.cli import main

STRUCTURE = ("missing", "placeholders", "markup", "msgid differs", "not in the English")


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_language_has_the_english_keys_placeholders_and_markup(lang):
    for domain in i18n.DOMAINS:
        path = i18n.catalogue_path(lang, domain)
        assert path.is_file(), f"{path} is missing: run workbench translations update"
    wrong = [str(f) for f in translations.check(lang) if f.problem.startswith(STRUCTURE)]
    assert wrong == []


@pytest.mark.parametrize("lang", i18n.COMPLETE)
def test_complete_languages_translate_every_entry(lang):
    assert [str(f) for f in translations.check(lang)] == []


def test_english_is_complete_and_every_key_is_unique():
    assert i18n.DEFAULT in i18n.COMPLETE
    seen: dict[str, str] = {}
    for domain in i18n.DOMAINS:
        for m in translations.read(i18n.DEFAULT, domain):
            if m.context:
                assert m.context not in seen, f"{m.context} in {domain} and {seen[m.context]}"
                assert m.context.startswith(domain + "."), m.context
                assert str(m.string) == str(m.id), m.context
                seen[m.context] = domain
    assert len(seen) > 1000


def test_the_check_finds_each_kind_of_fault(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    monkeypatch.setattr(translations, "catalogue_path", lambda lang, domain: tmp_path / lang / f"{domain}.po")
    monkeypatch.setattr(translations, "DOMAINS", ("ui",))
    en = translations.new("en", "ui")
    for key, words in {"ui.a": "{n} ties", "ui.b": "a <b>word</b>", "ui.c": "Justice", "ui.d": "Save",
                       "ui.e": "Undo", "ui.f": "Open"}.items():
        en.add(words, words, context=key)
    translations.write(en, "en", "ui")
    fr = translations.new("fr", "ui")
    fr.add("{n} ties", "{m} liens", context="ui.a")
    fr.add("a <b>word</b>", "un mot", context="ui.b")
    fr.add("Justice", "Justice", context="ui.c")
    fr.add("Save", "Enregistrer", context="ui.d", flags={"fuzzy"})
    fr.add("Open", "", context="ui.f")
    fr.add("Gone", "Parti", context="ui.g")
    translations.write(fr, "fr", "ui")
    problems = {f.key: f.problem for f in translations.check("fr")}
    assert problems["ui.a"].startswith("placeholders") and problems["ui.b"].startswith("markup")
    assert problems["ui.c"].startswith("equal to the English") and problems["ui.d"].startswith("fuzzy")
    assert problems["ui.e"] == "missing" and problems["ui.f"] == "not translated"
    assert problems["ui.g"].startswith("not in the English")
    # an entry flagged ignore-same may equal English; update adds new keys and marks changed English fuzzy
    en = translations.read("en", "ui")
    en.delete("Undo", context="ui.e")
    en.add("Undo the last change", "Undo the last change", context="ui.e")
    translations.write(en, "en", "ui")
    fixed = Catalog(locale="fr")
    fixed.add("Justice", "Justice", context="ui.c", flags={"ignore-same"})
    fixed.add("Undo", "Annuler", context="ui.e")
    translations.write(fixed, "fr", "ui")
    assert translations.update("fr") == 5  # a, b, d, f new and e fuzzy
    after = {m.context: m for m in translations.read("fr", "ui") if m.context}
    assert "ui.c" not in {f.key for f in translations.check("fr")}
    assert after["ui.e"].fuzzy and str(after["ui.e"].string) == "Annuler"
    assert '#| msgid "Undo"' in (tmp_path / "fr" / "ui.po").read_text()  # the translator sees what changed
    assert set(after) == {"ui.a", "ui.b", "ui.c", "ui.d", "ui.e", "ui.f"}


def test_text_falls_back_to_english_and_refuses_unknown_keys(monkeypatch):
    assert i18n.text("ui.save", "fr") == "Enregistrer"
    assert i18n.text("ui.save", "xx") == "Save"
    monkeypatch.setitem(i18n.catalogue("de"), "ui.save", "Speichern")
    assert i18n.text("ui.save", "de") == "Speichern"
    monkeypatch.delitem(i18n.catalogue("de"), "ui.save")
    assert i18n.text("ui.save", "de") == "Save"
    with pytest.raises(i18n.MissingText):
        i18n.text("ui.no-such-key", "fr")


def test_dates_numbers_and_percentages_follow_the_language():
    day = dt.date(2026, 12, 3)
    assert i18n.date_text(day, "fr") == "3 décembre 2026"
    assert i18n.date_text(day, "de", "numeric") == "3.12.2026"
    assert i18n.date_text(day, "el") == "3 Δεκεμβρίου 2026"
    assert i18n.percent_text(0.26, "fr").replace("\xa0", " ") == "26 %"
    assert i18n.number_text(0.5, "de") == "0,5"


def test_languages_command_lists_all_eight_in_their_own_names():
    out = CliRunner().invoke(main, ["languages"]).output.splitlines()
    assert out == [f"{code}\t{name}" for code, name in i18n.LANGUAGES.items()]
    assert [line.split("\t")[0] for line in out] == ["en", "fr", "de", "es", "el", "bg", "ro", "et"]
    assert "Български" in out[5] and "Ελληνικά" in out[4]


def test_translations_check_command():
    runner = CliRunner()
    ok = runner.invoke(main, ["translations", "check", *i18n.COMPLETE])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(main, ["translations", "check", "xx"])
    assert bad.exit_code == 1 and "supported: en fr de es el bg ro et" in bad.output


#: Concepts the issue names for every glossary, matched in the English column.
GLOSSARY_CONCEPTS = ("police", "prosecut", "victim support", "perpetrator programme", "risk",
                     "protection order")


def _glossary_rows(text):
    """Body rows of the first Markdown table in ``text``, as lists of stripped cells."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return [row for row in rows[1:] if not all(set(cell) <= set("-: ") for cell in row)]


@pytest.mark.parametrize("lang", [code for code in i18n.LANGUAGES if code != i18n.DEFAULT])
def test_every_translated_language_has_a_glossary(lang):
    path = i18n.LOCALES / lang / "glossary.md"
    assert path.is_file(), f"{path} is missing"
    text = path.read_text(encoding="utf-8")
    rows = _glossary_rows(text)
    assert len(rows) >= 30, f"{path}: {len(rows)} rows, expected a table of at least 30"
    assert all(len(row) >= 3 and row[0] and row[1] for row in rows), \
        [row for row in rows if len(row) < 3 or not (row[0] and row[1])]
    english = [row[0].lower() for row in rows]
    assert [c for c in GLOSSARY_CONCEPTS if not any(c in e for e in english)] == []


def test_a_glossary_row_parser_reads_only_the_table():
    text = "# Title\n\nIntro | not a row\n\n| English | X | Note |\n|---|---|---|\n| police | P | |\n"
    assert _glossary_rows(text) == [["police", "P", ""]]
