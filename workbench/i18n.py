"""The languages of the workbench and every word a user reads.

This is the only module that knows which languages exist. Words live in
gettext catalogues, one set per language, ``workbench/locales/<lang>/LC_MESSAGES/<domain>.po``,
read with Babel. Every entry is keyed by a stable id in ``msgctxt`` (for example
``taxonomy.sectors.justice``); ``msgid`` is the English text and ``msgstr`` the
translation (in the English catalogue ``msgstr`` repeats ``msgid``). A key whose
translation is missing, empty or fuzzy falls back to English. ``{placeholders}``
are filled with :meth:`str.format`.

Dates, numbers and percentages are formatted for the language with Babel.

Examples
--------
>>> text("taxonomy.sectors.health", "fr")
'Santé'
>>> text("ui.regions_count", "fr", n=3)
'3 régions'
>>> text("taxonomy.sectors.health", "xx")
'Health'
"""
from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

#: The supported languages, each with its own name, in the order a language switch lists them.
#: Adding a language: one line here and one catalogue set in ``locales/<code>/`` (see README).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "el": "Ελληνικά",
    "bg": "Български",
    "ro": "Română",
    "et": "Eesti",
}
#: The language every key exists in and every other language falls back to.
DEFAULT = "en"
#: Languages whose catalogues are finished: the completeness tests hold them to every key.
#: A translator adds the code when the language's catalogues pass ``workbench translations check``.
COMPLETE: tuple[str, ...] = ("en", "fr", "de", "es", "el", "bg", "ro", "et")
#: Babel locale of each language where the bare code is not the one European users expect.
_LOCALES = {"en": "en_GB"}
#: The catalogue files (gettext domains) of every language.
DOMAINS: tuple[str, ...] = ("taxonomy", "rubric", "gaps", "maturity", "network", "ui", "documents",
                            "compare", "site", "workbook", "survey", "problems", "cli")
#: Where the catalogues live.
LOCALES = Path(__file__).with_name("locales")


class MissingText(KeyError):
    """A key that is not in the English catalogue: a programming error, not a user's."""


def supported(lang: str | None) -> str:
    """``lang`` if it is a supported language, else the default language (English).

    Parameters
    ----------
    lang : str or None
        A language code as a user, a browser or a setting gave it (``"fr"``);
        ``None`` when none was given.

    Returns
    -------
    str
        ``lang`` when it is one of :data:`LANGUAGES`, else :data:`DEFAULT`.

    Examples
    --------
    >>> supported("bg"), supported("xx"), supported(None)
    ('bg', 'en', 'en')
    """
    return lang if lang in LANGUAGES else DEFAULT


def language_name(lang: str) -> str:
    """A language's own name, as a language switch shows it.

    Parameters
    ----------
    lang : str
        A supported language code (a key of :data:`LANGUAGES`).

    Returns
    -------
    str
        The language's name written in that language (``"Deutsch"`` for ``"de"``).

    Raises
    ------
    KeyError
        When ``lang`` is not supported (pass it through :func:`supported` first).

    Examples
    --------
    >>> language_name("el")
    'Ελληνικά'
    """
    return LANGUAGES[lang]


def catalogue_path(lang: str, domain: str) -> Path:
    """The ``.po`` file of ``domain`` in ``lang``.

    Parameters
    ----------
    lang : str
        A language code; it is not checked, so a new language's path can be named before it exists.
    domain : str
        A gettext domain, one of :data:`DOMAINS` (``"ui"``, ``"taxonomy"``...).

    Returns
    -------
    pathlib.Path
        ``locales/<lang>/LC_MESSAGES/<domain>.po`` inside the installed package; the file may not exist.

    Examples
    --------
    >>> catalogue_path("fr", "ui").parts[-3:]
    ('fr', 'LC_MESSAGES', 'ui.po')
    """
    return LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every translated key of ``lang`` (missing, empty and fuzzy entries left out).

    Parameters
    ----------
    lang : str
        A language code; a language with no catalogue files gives an empty mapping.

    Returns
    -------
    dict of str to str
        Each key (``msgctxt``) mapped to its translation, read once per language and kept.

    Examples
    --------
    >>> catalogue("en")["ui.save"]
    'Save'
    """
    found: dict[str, str] = {}
    for domain in DOMAINS:
        path = catalogue_path(lang, domain)
        if not path.is_file():
            continue
        with path.open("rb") as f:
            po = read_po(f, locale=None, domain=domain)
        for message in po:
            if message.context and message.string and not message.fuzzy and not message.pluralizable:
                found[message.context] = str(message.string)
    return found


@cache
def plurals(lang: str) -> tuple[dict[str, tuple[str, ...]], Callable[[int], int]]:
    """The entries of ``lang`` that have plural forms, and the language's rule for choosing one.

    Parameters
    ----------
    lang : str
        A language code; a language with no catalogue files gives no entries (and English's rule).

    Returns
    -------
    forms : dict of str to tuple of str
        Each key (``msgctxt``) of an entry with ``msgid_plural`` mapped to its forms, in the order of
        the catalogue's ``Plural-Forms`` header (untranslated and fuzzy entries left out).
    rule : callable
        Given a count, the index of the form to use (the header's ``plural=`` expression).

    Examples
    --------
    >>> forms, rule = plurals("en")
    >>> [rule(n) for n in (0, 1, 2)]
    [1, 0, 1]
    """
    found: dict[str, tuple[str, ...]] = {}
    expr = ""
    for domain in DOMAINS:
        path = catalogue_path(lang, domain)
        if not path.is_file():
            continue
        with path.open("rb") as f:
            po = read_po(f, locale=None, domain=domain)
        expr = expr or po.plural_expr
        for message in po:
            words = message.string
            if message.context and isinstance(words, tuple | list) and not message.fuzzy and all(words):
                found[message.context] = tuple(str(x) for x in words)
    return found, gettext.c2py(expr or "(n != 1)")


def plural(key: str, n: int, lang: str = DEFAULT, /, **values: object) -> str:
    """The words of ``key`` for a count of ``n`` in ``lang``, in the plural form the language uses for ``n``.

    Parameters
    ----------
    key : str
        The stable id of an entry with plural forms (``msgctxt`` of a ``msgid_plural`` entry).
    n : int
        The count; it also fills the ``{n}`` placeholder.
    lang : str, optional
        The reader's language; an unsupported code, or a language without this entry, reads English.
    **values : object
        The values of the other ``{placeholders}``, by name.

    Returns
    -------
    str
        The form for ``n``, its placeholders filled.

    Raises
    ------
    MissingText
        When not even the English catalogue holds ``key`` with plural forms.

    Examples
    --------
    >>> plural("ui.live_many", 1, "en", who="coordinator"), plural("ui.live_many", 3, "en", who="coordinator")
    ('coordinator saved 1 change.', 'coordinator saved 3 changes.')
    """
    forms, rule = plurals(supported(lang))
    words = forms.get(key)
    if words is None:
        forms, rule = plurals(DEFAULT)
        words = forms.get(key)
        if words is None:
            raise MissingText(key)
    return words[min(rule(n), len(words) - 1)].format(n=n, **values)


def text(key: str, lang: str = DEFAULT, /, **values: object) -> str:
    """The words of ``key`` in ``lang`` (English when it has none), ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        The stable id of the entry (its ``msgctxt``), for example ``"ui.save"``.
    lang : str, optional
        The reader's language; an unsupported code reads English.
    **values : object
        The values of the entry's ``{placeholders}``, by name; none leaves the text as written
        (braces included).

    Returns
    -------
    str
        The translated text, or the English one when ``lang`` lacks, empties or marks fuzzy the entry.

    Raises
    ------
    MissingText
        When not even the English catalogue holds ``key``.

    Examples
    --------
    >>> text("ui.undone", "en", summary="agency police-1 added", editor="coordinator")
    'Undone: agency police-1 added (by coordinator).'
    """
    words = catalogue(supported(lang)).get(key)
    if words is None:
        words = catalogue(DEFAULT).get(key)
        if words is None:
            raise MissingText(key)
    return words.format(**values) if values else words


def has(key: str) -> bool:
    """Whether ``key`` exists (in the English catalogue).

    Parameters
    ----------
    key : str
        A stable id (``msgctxt``) such as ``"ui.save"``.

    Returns
    -------
    bool
        True when the English catalogue holds ``key``, so :func:`text` will not raise for it.

    Examples
    --------
    >>> has("ui.save"), has("ui.no-such-key")
    (True, False)
    """
    return key in catalogue(DEFAULT)


def section(prefix: str, lang: str = DEFAULT) -> dict[str, str]:
    """Every key under ``prefix.`` with the prefix taken off, in ``lang`` (English where missing).

    Parameters
    ----------
    prefix : str
        A key prefix without the trailing dot, for example ``"ui"`` or ``"taxonomy.sectors"``.
    lang : str, optional
        The reader's language; an unsupported code reads English.

    Returns
    -------
    dict of str to str
        The rest of each key after ``prefix.`` mapped to its text; placeholders are left unfilled.

    Examples
    --------
    >>> section("ui", "fr")["save"]
    'Enregistrer'
    """
    start = prefix + "."
    merged = {k[len(start):]: v for k, v in catalogue(DEFAULT).items() if k.startswith(start)}
    merged.update({k[len(start):]: v for k, v in catalogue(supported(lang)).items() if k.startswith(start)})
    return merged


def keys(prefix: str) -> Iterable[str]:
    """The English keys starting with ``prefix``, in catalogue order.

    Parameters
    ----------
    prefix : str
        The start of the keys wanted, compared as plain text (``"taxonomy.sectors."``).

    Returns
    -------
    list of str
        The full keys, in the order of the domains and of the entries in each file.

    Examples
    --------
    >>> "ui.save" in keys("ui.")
    True
    """
    return [k for k in catalogue(DEFAULT) if k.startswith(prefix)]


def locale(lang: str) -> Locale:
    """The Babel locale that formats dates and numbers for ``lang``.

    Parameters
    ----------
    lang : str
        A language code; an unsupported one gives the default language's locale.

    Returns
    -------
    babel.Locale
        The locale European users of that language expect (British English for ``"en"``).

    Examples
    --------
    >>> str(locale("en")), str(locale("fr")), str(locale("xx"))
    ('en_GB', 'fr', 'en_GB')
    """
    lang = supported(lang)
    return Locale.parse(_LOCALES.get(lang, lang))


def date_text(day: dt.date, lang: str = DEFAULT, style: str = "long") -> str:
    """A date in ``lang``: ``style`` ``"long"`` spells the month, ``"numeric"`` uses digits.

    Parameters
    ----------
    day : datetime.date
        The date to write.
    lang : str, optional
        The reader's language; an unsupported code writes British English.
    style : {"long", "numeric", "medium", "short", "full"}, optional
        ``"numeric"`` writes day, month and year in digits in the language's order; any other
        value is a Babel date style.

    Returns
    -------
    str
        The date as readers of ``lang`` write it.

    Examples
    --------
    >>> day = dt.date(2026, 12, 3)
    >>> date_text(day, "fr"), date_text(day, "en"), date_text(day, "de", "numeric")
    ('3 décembre 2026', '3 December 2026', '3.12.2026')
    """
    if style == "numeric":
        return format_skeleton("yMd", day, locale=locale(lang))
    return format_date(day, style, locale=locale(lang))


def number_text(value: float, lang: str = DEFAULT, digits: int = 2) -> str:
    """A number in ``lang`` with at most ``digits`` decimals.

    Parameters
    ----------
    value : float
        The number; it is rounded to ``digits`` decimals and trailing zeros are dropped.
    lang : str, optional
        The reader's language, which sets the decimal and grouping signs.
    digits : int, optional
        The most decimals shown; 0 writes a whole number.

    Returns
    -------
    str
        The number with the language's separators.

    Examples
    --------
    >>> number_text(1234.5, "fr"), number_text(0.125, "de"), number_text(3, "en")
    ('1\\u202f234,5', '0,12', '3')
    """
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits if digits else "#,##0",
                          locale=locale(lang))


def percent_text(share: float, lang: str = DEFAULT) -> str:
    """A share (0–1) as a whole percentage in ``lang``.

    Parameters
    ----------
    share : float
        A share between 0 and 1 (0.26 for 26 %); it is rounded to a whole percentage.
    lang : str, optional
        The reader's language, which sets the sign's place and spacing.

    Returns
    -------
    str
        The percentage as the language writes it.

    Examples
    --------
    >>> percent_text(0.26, "fr"), percent_text(0.26, "en")
    ('26\\xa0%', '26%')
    """
    return format_percent(share, locale=locale(lang))


def labelled(label: str, value: object, lang: str = DEFAULT) -> str:
    """``label`` and its ``value`` joined as ``lang`` writes it: ``Severity: high``, ``Gravité : élevée``.

    French puts a no-break space before the colon (so the colon never starts a line);
    the other languages do not.

    Parameters
    ----------
    label : str
        The label, already in ``lang``.
    value : object
        What it labels (a word, a figure, a name), shown with :class:`str`.
    lang : str, optional
        The reader's language.

    Returns
    -------
    str
        The label, the language's colon and the value.

    Examples
    --------
    >>> labelled("Gravité", "élevée", "fr"), labelled("Schwere", "hoch", "de")
    ('Gravité\xa0: élevée', 'Schwere: hoch')
    """
    return text("documents.labelled", lang, label=label, value=value)


def size_text(n_bytes: int, lang: str = DEFAULT) -> str:
    """A file size in ``lang`` (CLDR's short units): kilobytes below a megabyte, else megabytes with one decimal.

    Parameters
    ----------
    n_bytes : int
        The size in bytes (decimal units: 1 kB = 1000 bytes); anything below 1 kB shows as 1 kB.
    lang : str, optional
        The reader's language, which sets the unit's abbreviation and the decimal sign.

    Returns
    -------
    str
        The size with its short unit.

    Examples
    --------
    >>> size_text(2_345_678, "fr"), size_text(12_300, "de"), size_text(80, "en")
    ('2,3\\u202fMo', '12 kB', '1 kB')
    """
    from babel.units import format_unit

    if n_bytes >= 1_000_000:
        return format_unit(round(n_bytes / 1_000_000, 1), "digital-megabyte", length="short", locale=locale(lang))
    return format_unit(max(1, round(n_bytes / 1000)), "digital-kilobyte", length="short", locale=locale(lang))

#: BCP 47 tags Word and browsers know for proofing and fonts, by language.
_TAGS = {"en": "en-GB", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "el": "el-GR", "bg": "bg-BG",
         "ro": "ro-RO", "et": "et-EE"}
#: Countries whose own French keeps their country in the tag (``fr-BE``).
_FRANCOPHONE = frozenset({"BE", "CH", "LU", "CA", "FR"})


def bcp47(lang: str, country: str | None = None) -> str:
    """The BCP 47 tag of ``lang`` as written in ``country`` (French keeps a francophone country).

    Word's proofing language and the HTML ``lang`` attribute take it.

    Parameters
    ----------
    lang : str
        A language code; an unsupported one gives English's tag.
    country : str or None, optional
        The region's ISO 3166-1 country code, if known.

    Returns
    -------
    str
        A tag such as ``"fr-BE"`` or ``"el-GR"``.

    Examples
    --------
    >>> bcp47("fr", "BE"), bcp47("fr", "DE"), bcp47("en", "EE"), bcp47("bg", "BG"), bcp47("xx")
    ('fr-BE', 'fr-FR', 'en-GB', 'bg-BG', 'en-GB')
    """
    lang = supported(lang)
    country = (country or "").upper()
    if lang == "fr" and country in _FRANCOPHONE:
        return f"fr-{country}"
    return _TAGS.get(lang, lang)
