"""Keeping the catalogues in step: check a language against English, merge new English keys into it.

The English catalogue (``locales/en/LC_MESSAGES/<domain>.po``) is the source: its
``msgctxt`` is the key, its ``msgid`` the English text. :func:`update` brings
every other language in line with it (new keys added with an empty
translation, keys whose English changed marked fuzzy with the previous English
kept, keys English no longer has dropped); :func:`check` lists what a
language still lacks.

A translation may equal the English text only where the entry carries the
``ignore-same`` flag (Weblate's flag for the same purpose): proper names, codes
and words the language borrows unchanged ("Justice" in French).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from .i18n import DEFAULT, DOMAINS, LANGUAGES, catalogue_path

#: The flag that allows a translation to equal the English text.
SAME_FLAG = "ignore-same"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>")
_PROJECT = "tactics-workbench"
_HEADER = """\
# {language}: {domain} texts of the TACTICS partnership workbench.
# msgctxt is the key, msgid the English text, msgstr the translation.
# See the README, section "Translating", for how to check and correct it.
#"""


@dataclass(frozen=True)
class Finding:
    """One thing a catalogue lacks, named by language, domain and key.

    Parameters
    ----------
    lang : str
        The language code of the catalogue (``"fr"``).
    domain : str
        The catalogue (gettext domain), one of :data:`workbench.i18n.DOMAINS`.
    key : str
        The entry's key (its ``msgctxt``, ``"taxonomy.sectors.health"``).
    problem : str
        What is wrong and, where it helps, what to do.
    """

    lang: str
    domain: str
    key: str
    problem: str

    def __str__(self) -> str:
        return f"{catalogue_path(self.lang, self.domain).name} [{self.lang}] {self.key}: {self.problem}"


def new(lang: str, domain: str) -> Catalog:
    """An empty catalogue of ``domain`` in ``lang``, with the project's header.

    Parameters
    ----------
    lang : str
        A supported language code.
    domain : str
        One of :data:`workbench.i18n.DOMAINS`.

    Returns
    -------
    babel.messages.catalog.Catalog
        A catalogue with no entries and the project's header comment.
    """
    return Catalog(locale=lang, domain=domain, project=_PROJECT, version=None, fuzzy=False,
                   header_comment=_HEADER.format(language=LANGUAGES[lang], domain=domain),
                   language_team=f"{LANGUAGES[lang]} ({lang})", msgid_bugs_address="")


def read(lang: str, domain: str) -> Catalog:
    """The catalogue of ``domain`` in ``lang`` (an empty one if the file does not exist yet).

    Parameters
    ----------
    lang : str
        A supported language code.
    domain : str
        One of :data:`workbench.i18n.DOMAINS`.

    Returns
    -------
    babel.messages.catalog.Catalog
        The entries of ``locales/<lang>/LC_MESSAGES/<domain>.po``.
    """
    path = catalogue_path(lang, domain)
    if not path.is_file():
        return new(lang, domain)
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=domain)


def write(catalog: Catalog, lang: str, domain: str) -> None:
    """Save ``catalog`` as the ``.po`` file of ``domain`` in ``lang`` (atomically).

    Parameters
    ----------
    catalog : babel.messages.catalog.Catalog
        The entries to save, in the order to write them; previous English
        texts of fuzzy entries are kept.
    lang : str
        A supported language code.
    domain : str
        One of :data:`workbench.i18n.DOMAINS`.
    """
    from .files import atomic_write
    buf = io.BytesIO()
    write_po(buf, catalog, include_previous=True, sort_output=False)
    path = catalogue_path(lang, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, buf.getvalue())


def placeholders(words: str) -> list[str]:
    """The ``{placeholders}`` of a text, sorted.

    Parameters
    ----------
    words : str
        A text of a catalogue, English or translated.

    Returns
    -------
    list of str
        Each ``{...}`` as written, repeats included.

    Examples
    --------
    >>> placeholders("{n} of {m} ties ({n})")
    ['{m}', '{n}', '{n}']
    """
    return sorted(_PLACEHOLDER.findall(words))


def markup(words: str) -> list[str]:
    """The HTML tags of a text, in order.

    Parameters
    ----------
    words : str
        A text of a catalogue, English or translated.

    Returns
    -------
    list of str
        Each opening and closing tag as written.

    Examples
    --------
    >>> markup("a <b>bold</b> word")
    ['<b>', '</b>']
    """
    return _MARKUP.findall(words)


def _entries(catalog: Catalog) -> dict[str, Message]:
    return {m.context: m for m in catalog if m.context}


def check(lang: str) -> list[Finding]:
    """Everything ``lang`` lacks against English: keys, translations, placeholders, markup, copies of English.

    Parameters
    ----------
    lang : str
        A supported language code; English is checked against itself (only
        keys and placeholders can then be wrong).

    Returns
    -------
    list of Finding
        One finding per faulty entry, by domain in the order of
        :data:`workbench.i18n.DOMAINS`; empty when the language is complete.
    """
    found: list[Finding] = []
    for domain in DOMAINS:
        english = _entries(read(DEFAULT, domain))
        catalog = read(lang, domain)
        own = _entries(catalog)
        for key, source in english.items():
            message = own.get(key)
            forms = _forms(message.string) if message is not None else []
            # each form is held to the English one it stands for (a language's plural forms, to the plural)
            sources = [_forms(source.id)[min(i, len(_forms(source.id)) - 1)] for i in range(len(forms))]
            if message is None:
                found.append(Finding(lang, domain, key, "missing"))
            elif not all(forms):
                found.append(Finding(lang, domain, key, "not translated"))
            elif message.fuzzy:
                found.append(Finding(lang, domain, key, "fuzzy: the English changed, check the translation"))
            elif str(message.id) != str(source.id):
                found.append(Finding(lang, domain, key, "msgid differs from the English text: run update"))
            elif source.pluralizable and len(forms) != catalog.num_plurals:
                found.append(Finding(lang, domain, key, f"{len(forms)} plural forms; the catalogue's "
                                     f"Plural-Forms header asks for {catalog.num_plurals}"))
            elif any(placeholders(f) != placeholders(e) for f, e in zip(forms, sources, strict=True)):
                bad = next(f for f, e in zip(forms, sources, strict=True) if placeholders(f) != placeholders(e))
                english_of = sources[forms.index(bad)]
                found.append(Finding(lang, domain, key, f"placeholders {placeholders(bad)} "
                                     f"differ from English {placeholders(english_of)}"))
            elif any(markup(f) != markup(e) for f, e in zip(forms, sources, strict=True)):
                bad = next(f for f, e in zip(forms, sources, strict=True) if markup(f) != markup(e))
                english_of = sources[forms.index(bad)]
                found.append(Finding(lang, domain, key, f"markup {markup(bad)} differs from English "
                                     f"{markup(english_of)}"))
            elif (lang != DEFAULT and forms == _forms(source.id)
                  and SAME_FLAG not in message.flags and SAME_FLAG not in source.flags):
                found.append(Finding(lang, domain, key, f"equal to the English text; translate it, or flag "
                                     f"it '{SAME_FLAG}' if it is a name or a word {lang} uses unchanged"))
        found.extend(Finding(lang, domain, key, "not in the English catalogue: remove it")
                     for key in own.keys() - english.keys())
    return found


def _forms(value: Any) -> list[str]:
    """An entry's words as a list: one string, or each plural form (``msgid_plural`` entries)."""
    return [str(x) for x in value] if isinstance(value, tuple | list) else [str(value)]


def update(lang: str) -> int:
    """Bring ``lang``'s catalogues in line with English; the number of entries that need a translator.

    Kept: every translation whose key English still has (marked fuzzy, with the
    previous English, when the English text changed) and the translator's
    comments and flags. Added: new keys, untranslated. Dropped: keys English no longer has.

    Parameters
    ----------
    lang : str
        A supported language code other than English.

    Returns
    -------
    int
        The number of entries, over all domains, that are untranslated or
        fuzzy after the update.

    Raises
    ------
    ValueError
        When ``lang`` is English or not a supported language.
    """
    if lang not in LANGUAGES or lang == DEFAULT:
        raise ValueError(f"update works on a supported language other than {DEFAULT}: {lang}")
    todo = 0
    for domain in DOMAINS:
        english = read(DEFAULT, domain)
        old = _entries(read(lang, domain))
        merged = new(lang, domain)
        merged.creation_date = english.creation_date
        for source in english:
            if not source.context:
                continue
            before = old.get(source.context)
            flags = set(source.flags) - {"fuzzy"}
            words: str | tuple[str, ...] = ("",) * merged.num_plurals if source.pluralizable else ""
            previous: list[str] = []
            comments: list[str] = []
            if before is not None and before.pluralizable == source.pluralizable:
                words = tuple(_forms(before.string)) if source.pluralizable else str(before.string)
                comments = list(before.user_comments)
                flags |= set(before.flags)
                if str(before.id) != str(source.id) and all(_forms(words)):
                    flags.add("fuzzy")
                    previous = _forms(before.id)
            merged.add(source.id, words, context=source.context, flags=flags,
                       auto_comments=source.auto_comments, user_comments=comments, previous_id=previous)
            todo += not all(_forms(words)) or "fuzzy" in flags
        write(merged, lang, domain)
    return todo
