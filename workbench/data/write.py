"""Canonical serialisation of a :class:`Region` back to its files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .model import (
    ACTION_COLUMNS,
    AGENCY_COLUMNS,
    AGENCY_COLUMNS_1_1,
    ASSESSMENT_COLUMNS,
    RELATIONSHIP_COLUMNS,
    RELATIONSHIP_COLUMNS_1_1,
    SURVEY_COLUMNS,
    Region,
    RegionInfo,
)
from .tables import write_csv

#: Every column of each table: version 1's, then the optional ones version 1.1 adds.
COLUMNS: dict[str, Sequence[str]] = {
    "agencies": (*AGENCY_COLUMNS, *AGENCY_COLUMNS_1_1),
    "relationships": (*RELATIONSHIP_COLUMNS, *RELATIONSHIP_COLUMNS_1_1),
    "assessment": ASSESSMENT_COLUMNS,
    "actions": ACTION_COLUMNS,
    "survey": SURVEY_COLUMNS,
}
#: The version-1.1 columns of each table, written only when a row fills them.
ADDED: dict[str, Sequence[str]] = {"agencies": AGENCY_COLUMNS_1_1, "relationships": RELATIONSHIP_COLUMNS_1_1}


def cell(value: Any) -> str:
    """Text of a record value as the contract writes it.

    Parameters
    ----------
    value : Any
        A field of a record: ``None``, a ``bool``, a tuple or list of str, or
        anything :func:`str` writes.

    Returns
    -------
    str
        ``""`` for ``None``, ``"yes"``/``"no"`` for booleans, the items joined
        by ``|`` for tuples and lists, else ``str(value)``.

    Examples
    --------
    >>> cell(None), cell(True), cell(("children", "elderly")), cell(3)
    ('', 'yes', 'children|elderly', '3')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return "|".join(value)
    return str(value)


def written_columns(region: Region, table: str) -> list[str]:
    """The columns a region's CSV file of ``table`` holds: version 1's, and version 1.1's that a row fills.

    So a folder written for version 1 is rewritten byte for byte by an edit.

    Parameters
    ----------
    region : Region
        The region to write.
    table : str
        One of :data:`workbench.data.model.TABLES`.

    Returns
    -------
    list of str
        Column names in the contract's order.

    Examples
    --------
    >>> from .model import Agency
    >>> forum = Agency("marac", "MARAC", "forum_case_victim_risk", "forum")
    >>> written_columns(Region(RegionInfo("xx-a", "A", "BE"), agencies=(forum,)), "agencies")[-1]
    'notes'
    >>> from dataclasses import replace
    >>> written_columns(Region(RegionInfo("xx-a", "A", "BE"), agencies=(replace(forum, frequency="monthly"),)),
    ...                 "agencies")[-1]
    'frequency'
    """
    added = ADDED.get(table, ())
    records = getattr(region, table)
    used = {c for c in added if any(cell(getattr(r, c)) for r in records)}
    return [c for c in COLUMNS[table] if c not in added or c in used]


def table_rows(region: Region, table: str, columns: Sequence[str] | None = None) -> list[list[str]]:
    """The rows of one table, as text cells in contract column order and stable order.

    Parameters
    ----------
    region : Region
        The region to write.
    table : str
        One of :data:`workbench.data.model.TABLES`.
    columns : sequence of str, optional
        The columns to write (the first being the table's own key columns);
        every column of :data:`COLUMNS` when not given.

    Returns
    -------
    list of list of str
        One row of text cells per record, in the contract's column order,
        sorted by the table's key (id; source, target, type; round,
        indicator, rater; round, respondent, partner, type).
    """
    cols = COLUMNS[table] if columns is None else columns
    records = getattr(region, table)
    rows = [[cell(getattr(r, c)) for c in cols] for r in records]
    if table == "agencies":
        rows.sort(key=lambda r: r[0])
    elif table == "relationships":
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
    elif table == "assessment":
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
    elif table == "survey":
        rows.sort(key=lambda r: (r[0], r[1], r[2], r[4]))
    else:
        rows.sort(key=lambda r: r[0])
    return rows


def toml_text(info: RegionInfo) -> str:
    """``region.toml`` text (TOML basic strings are JSON-compatible).

    Parameters
    ----------
    info : RegionInfo
        The region's identity.

    Returns
    -------
    str
        One ``key = value`` line per field that is set, ending in a newline;
        ``reference = true`` only for a reference region.

    Examples
    --------
    >>> print(toml_text(RegionInfo("be-x", "Région « X »", "BE", "fr")), end="")
    id = "be-x"
    name = "Région « X »"
    country = "BE"
    language = "fr"
    """
    lines = []
    for key in ("id", "name", "country", "language", "coordinator", "description"):
        value = getattr(info, key)
        if value is not None:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    if info.reference:
        lines.append("reference = true")
    return "\n".join(lines) + "\n"


def region_files(region: Region) -> dict[str, bytes]:
    """Every file of the region folder, as bytes.

    Parameters
    ----------
    region : Region
        The region to write.

    Returns
    -------
    dict of str to bytes
        ``region.toml`` and one CSV file per table (those without rows
        hold only the header), by file name.

    Examples
    --------
    >>> files = region_files(Region(RegionInfo("xx-a", "A", "BE")))
    >>> sorted(files)[:3], files["agencies.csv"].decode().splitlines()[0].split(",")[:3]
    (['actions.csv', 'agencies.csv', 'assessment.csv'], ['id', 'name', 'type'])
    """
    files = {"region.toml": toml_text(region.info).encode("utf-8")}
    for table in COLUMNS:
        cols = written_columns(region, table)
        files[f"{table}.csv"] = write_csv(cols, table_rows(region, table, cols))
    return files
