"""What a logged change did and who made it, in the reader's language.

The change log (``changes.jsonl``) stores each change's ``summary`` as a short
English sentence for the people who read the file itself, and beside it the
structured record of what changed (``rows``: table, key, the record before and
after; ``undoes``). The dashboards never show the stored sentence: they tell
the change from its rows in the page's language, so a French or Greek reader
reads French or Greek, for new and old log entries alike.

The workbench itself saves under a few fixed roles (the roadmap page saves as
``coordinator``); a reader sees such a role as the word of their language,
never as the id. A role a person typed is theirs and is shown as typed.
"""

from __future__ import annotations

from typing import Any

from ..data import Region
from ..data.store import Change, record_label
from ..taxonomy import taxonomy
from .common import texts

#: The roles the workbench saves under by itself, each with the key of its word in the ``ui`` catalogue:
#: ``coordinator`` of the roadmap page (:data:`~workbench.dashboards.roadmap_view.ROLE`) and ``survey``,
#: the editor ``workbench survey collect`` writes by default.
ROLES = {"coordinator": "role_coordinator", "survey": "role_survey"}

#: The main record of a change, in order of precedence, when it touched several tables.
_MAIN = ("agencies", "actions", "relationships", "region")
#: Each table's word in the ``ui`` catalogue, for a change that touched many records.
_TABLE_WORDS = {"agencies": "sec_agencies", "relationships": "sec_ties", "assessment": "sec_assessment",
                "actions": "change_actions", "survey": "sec_survey", "region": "change_region"}
#: At most this many indicators are listed for answers saved together; the others are counted.
_LISTED = 8


def role_text(editor: str, t: dict[str, str]) -> str:
    """The role ``editor`` as the reader sees it: the workbench's own roles in the page's language.

    Parameters
    ----------
    editor : str
        The ``editor`` of a logged change, of a conflicting save or of an open page (a role).
    t : dict of str to str
        The dashboards' words in the page's language (:func:`~.common.texts`).

    Returns
    -------
    str
        The page's word for one of the workbench's own roles (:data:`ROLES`); any other role
        as it was typed.

    Examples
    --------
    >>> role_text("coordinator", texts("fr")), role_text("coordinator", texts("en"))
    ('coordination', 'coordinator')
    >>> role_text("ngo-lead", texts("el"))
    'ngo-lead'
    """
    key = ROLES.get(editor)
    return t.get(key, editor) if key else editor


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """The record a row wrote, or the one it removed."""
    return row.get("after") or row.get("before") or {}


def _name(row: dict[str, Any], lang: str, region: Region | None) -> str:
    """How the record of ``row`` is named: an agency or action by its name, a tie by its two ends."""
    t, rec, table = texts(lang), _record(row), row.get("table")
    key = [str(k) for k in row.get("key") or []]
    if table == "agencies":
        return str(rec.get("name") or (key[0] if key else ""))
    if table == "actions":
        return str(rec.get("title") or (key[0] if key else ""))
    if table == "relationships" and len(key) == 3:
        ends = [region.by_id[x].name if region is not None and x in region.by_id else x for x in key[:2]]
        return f"{ends[0]} → {ends[1]} ({taxonomy().label('relationship_types', key[2], lang)})"
    if table == "assessment" and len(key) == 3:
        return t["change_answer"].format(indicator=key[1], round=key[0], rater=key[2] or "-")
    return t["change_region"]


def record_names(change: Change, lang: str, region: Region | None = None) -> dict[str, str]:
    """Each record ``change`` wrote, as messages of the store name it, mapped to its name in ``lang``.

    The store names records in its messages the way the log does
    (:func:`~workbench.data.store.record_label`, English: ``"agency ngo"``);
    a page shows the reader the record's own name instead, and a tie's type
    in their language.

    Parameters
    ----------
    change : workbench.data.store.Change
        A logged change.
    lang : str
        The reader's language.
    region : workbench.data.Region or None, optional
        The region, to name a tie's two ends; ``None``: by their ids.

    Returns
    -------
    dict of str to str
        The store's label of each record the change wrote, mapped to the reader's words.

    Examples
    --------
    >>> row = {"table": "agencies", "key": ["cx"], "before": None, "after": {"id": "cx", "name": "Centre X"}}
    >>> record_names(Change(3, "", "ngo-lead", "add agency cx", [row]), "fr")
    {'agency cx': 'Centre X'}
    """
    return {record_label(str(r.get("table")), [str(k) for k in r.get("key") or []]): _name(r, lang, region)
            for r in change.rows if r.get("table") and r.get("key")}


def _rows_text(rows: list[dict[str, Any]], lang: str, region: Region | None) -> str:
    """What ``rows`` did, in ``lang``: one record added, changed or removed, answers, or a count."""
    t = texts(lang)
    tables = {r.get("table") for r in rows}
    if tables == {"assessment"} and len(rows) > 1:
        whom = {(r["key"][0], r["key"][2]) for r in rows}
        if len(whom) == 1:
            rnd, rater = next(iter(whom))
            ids = sorted({str(r["key"][1]) for r in rows})
            listed = ", ".join(ids[:_LISTED]) + (f", … (+{len(ids) - _LISTED})" if len(ids) > _LISTED else "")
            return t["change_answers"].format(indicators=listed, round=rnd, rater=rater or "-")
    main = next((m for m in _MAIN if m in tables), None) if len(rows) > 1 else rows[0].get("table")
    primary = [r for r in rows if r.get("table") == main]
    if len(primary) != 1 or main not in (*_MAIN, "assessment"):
        words = [t[_TABLE_WORDS[x]] for x in _TABLE_WORDS if x in tables]
        return t["change_records"].format(n=len(rows), tables=", ".join(words))
    row = primary[0]
    how = ("change_added" if row.get("before") is None else "change_removed" if row.get("after") is None
           else "change_changed")
    out = t[how].format(what=_name(row, lang, region))
    return out if len(rows) == 1 else t["change_more"].format(change=out, n=len(rows) - 1)


def change_text(change: Change, lang: str, region: Region | None = None) -> str:
    """What ``change`` did, told in ``lang`` from its rows (never the stored English summary).

    Parameters
    ----------
    change : workbench.data.store.Change
        A change read from the log; old entries (without ``account`` or ``based_on``) too.
    lang : str
        The reader's language.
    region : workbench.data.Region or None, optional
        The region as the page shows it, to name a tie's agencies; ``None`` names them by id.

    Returns
    -------
    str
        Plain text (escape it for HTML): the record added, changed or removed, the answers saved,
        how many records a larger change touched, an undo with the number of the change it undid,
        or the creation or import of the region.

    Examples
    --------
    >>> row = {"table": "agencies", "key": ["cx"], "before": None, "after": {"id": "cx", "name": "Centre X"}}
    >>> change_text(Change(3, "", "ngo-lead", "add agency cx", [row]), "de")
    'Hinzugefügt: Centre X'
    >>> back = {**row, "before": row["after"], "after": None}
    >>> change_text(Change(4, "", "ngo-lead", "undo: add agency cx", [back], undoes=3), "en")
    'Removed: Centre X (undo of change #3)'
    """
    t = texts(lang)
    if not change.rows:
        return t["change_created" if change.summary.startswith("create region") else "change_imported"]
    what = _rows_text(change.rows, lang, region)
    return what if change.undoes is None else t["change_undo"].format(n=change.undoes, change=what)
