"""Collecting a survey round: read the returned workbooks, merge, save, apply.

Bad workbooks are reported and left out; the others still count. A workbook
made for another region, or a second workbook for the same organisation, is
reported too and left out (with a duplicate, every copy is left out until the
coordinator keeps one: the workbench does not guess which is right).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from ..data.model import Region, SurveyRow
from ..data.store import RegionStore
from ..errors import Problem, WorkbenchError
from .merge import Merge, merge_round, new_relationships
from .workbook import Returned, read_survey_workbook


@dataclass(frozen=True)
class Collected:
    """The workbooks of one round as read, and what counts.

    Parameters
    ----------
    round : str
        The round's label (``"2026-03"``).
    returned : tuple of Returned
        Every workbook read, in file-name order, including those left out.
    problems : tuple of Problem
        What was wrong with the workbooks, each naming its file; a workbook
        with an error is left out.
    rows : tuple of SurveyRow
        The rows that count: those of the workbooks kept, plus one row
        without a partner for each organisation that answered with no tie.
    """

    round: str
    returned: tuple[Returned, ...]
    problems: tuple[Problem, ...]
    rows: tuple[SurveyRow, ...]

    @property
    def used(self) -> tuple[str, ...]:
        """The file names of the workbooks whose answers count, sorted."""
        return tuple(sorted({r.file for r in self.returned if r.ok and r.file not in self.refused}))

    @property
    def refused(self) -> frozenset[str]:
        """The file names of the workbooks left out because of an error in them."""
        return frozenset(p.file.split("[")[0] for p in self.problems if p.is_error)


def default_round(today: dt.date | None = None) -> str:
    """The round label used when none is given: the year and month.

    Parameters
    ----------
    today : datetime.date or None
        The date to label; ``None`` means today.

    Returns
    -------
    str
        ``YYYY-MM``.

    Examples
    --------
    >>> default_round(dt.date(2026, 3, 9))
    '2026-03'
    """
    return (today or dt.date.today()).strftime("%Y-%m")


def collect_files(region: Region, files: dict[str, bytes], round_: str) -> Collected:
    """Read returned workbooks given as ``{file name: bytes}`` (a folder, or a dashboard upload).

    Parameters
    ----------
    region : Region
        The region the workbooks were made for.
    files : dict of str to bytes
        Each returned workbook's file name mapped to its bytes.
    round_ : str
        The round's label, given to every row.

    Returns
    -------
    Collected
        The workbooks read, the problems found (including organisations that
        returned more than one workbook, all of which are then left out) and
        the rows that count.
    """
    returned = [read_survey_workbook(data, name, region, round_) for name, data in sorted(files.items())]
    problems = [p for r in returned for p in r.problems]
    by_agency: dict[str, list[str]] = {}
    for r in returned:
        if r.ok:
            by_agency.setdefault(r.agency or "", []).append(r.file)
    for agency, names in by_agency.items():
        if len(names) > 1:
            for name in names:
                others = ", ".join(n for n in names if n != name)
                problems.append(Problem(name, None, None,
                                        f"{agency} returned more than one workbook (also {others})",
                                        "keep the right one in the folder, remove the others and collect again"))
    refused = {p.file.split("[")[0] for p in problems if p.is_error}
    rows: list[SurveyRow] = []
    for r in returned:
        if not r.ok or r.file in refused:
            continue
        # An answer without any tie still says the organisation answered.
        rows.extend(r.rows or (SurveyRow(round_, r.agency or ""),))
    return Collected(round_, tuple(returned), tuple(problems), tuple(rows))


def read_folder(folder: Path) -> dict[str, bytes]:
    """The ``.xlsx`` files of a folder (symbolic links and Excel's lock files are skipped).

    Parameters
    ----------
    folder : pathlib.Path
        The folder the returned workbooks were put in.

    Returns
    -------
    dict of str to bytes
        Each ``.xlsx`` file's name mapped to its bytes, by name.

    Raises
    ------
    WorkbenchError
        When ``folder`` is not a folder.
    """
    if not folder.is_dir():
        raise WorkbenchError(f"{folder} is not a folder of returned survey workbooks")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$") and p.is_file()
            and not p.is_symlink()}


def save_round(store: RegionStore, collected: Collected) -> Region:
    """Replace the round's rows in ``survey.csv`` (locked, atomic, logged).

    Parameters
    ----------
    store : RegionStore
        The region's store.
    collected : Collected
        The round to save; rows of other rounds are kept.

    Returns
    -------
    Region
        The region as saved.
    """
    def edit(region: Region) -> Region:
        keep = tuple(r for r in region.survey if r.round != collected.round)
        return replace(region, survey=keep + collected.rows)
    n = len({r.respondent for r in collected.rows})
    return store.apply(f"survey {collected.round}: {n} answers", edit)


def save_answers(store: RegionStore, round_: str, rows: tuple[SurveyRow, ...], how: str = "") -> Region:
    """Replace the answers of the organisations in ``rows`` for ``round_`` in ``survey.csv`` (locked, atomic, logged).

    The answers of the round's other organisations, and every other round,
    are kept: a dashboard receives the workbooks a few at a time, and a
    partner may answer in the form while others return workbooks. An
    organisation answering again replaces its earlier answer.

    Parameters
    ----------
    store : RegionStore
        The region's store.
    round_ : str
        The round's label.
    rows : tuple of SurveyRow
        The rows that count (:attr:`Collected.rows`, or a form's answer):
        at least one per organisation that answered.
    how : str
        How the answers came (``"form"``), for the change log.

    Returns
    -------
    Region
        The region as saved.
    """
    who = {r.respondent for r in rows}

    def edit(region: Region) -> Region:
        keep = tuple(r for r in region.survey if r.round != round_ or r.respondent not in who)
        return replace(region, survey=keep + rows)
    names = ", ".join(sorted(who))
    return store.apply(f"survey {round_}: answer of {names}" + (f" ({how})" if how else ""), edit)


def current_round(region: Region, today: dt.date | None = None) -> str:
    """The round new answers go into: the region's latest survey round, else this year and month.

    Parameters
    ----------
    region : Region
        A loaded region.
    today : datetime.date or None
        The date for a region without a survey; ``None`` means today.

    Returns
    -------
    str
        A round label.

    Examples
    --------
    >>> from workbench.data import Region, RegionInfo
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), survey=(SurveyRow("2026-03", "a"), SurveyRow("2025-10", "b")))
    >>> current_round(r), current_round(Region(RegionInfo("xx-a", "A", "BE")), dt.date(2027, 1, 5))
    ('2026-03', '2027-01')
    """
    labels = sorted({r.round for r in region.survey})
    return labels[-1] if labels else default_round(today)


def apply_round(store: RegionStore, merge: Merge, rows: tuple[SurveyRow, ...]) -> list[tuple[str, str, str]]:
    """Add the reported ties ``relationships.csv`` lacks; existing rows are never touched.

    Returns the keys added. The new ties are worked out under the store's
    lock on the region as saved at that moment.

    Parameters
    ----------
    store : RegionStore
        The region's store.
    merge : Merge
        The merge of the round.
    rows : tuple of SurveyRow
        The round's reported rows (for the frequency and formality of new
        ties).

    Returns
    -------
    list of tuple of str
        The ``(source, target, type)`` keys of the ties added, in the merge's
        order; empty when every reported tie was known.
    """
    added: list[tuple[str, str, str]] = []

    def edit(region: Region) -> Region:
        new = new_relationships(region, merge, rows)
        added[:] = [r.key for r in new]
        return replace(region, relationships=region.relationships + tuple(new))
    store.apply(f"survey {merge.round}: add reported ties", edit)
    return added


def collect(folder: Path, returned_dir: Path, round_: str | None = None, *, apply: bool = False,
            editor: str = "survey") -> tuple[Collected, Merge, list[tuple[str, str, str]]]:
    """``workbench survey collect``: read, save ``survey.csv``, merge, and with ``apply`` add new ties.

    Parameters
    ----------
    folder : pathlib.Path
        The region folder.
    returned_dir : pathlib.Path
        The folder holding the returned workbooks.
    round_ : str or None
        The round's label; ``None`` means this year and month
        (:func:`default_round`).
    apply : bool
        Whether to add the reported ties that ``relationships.csv`` lacks.
    editor : str
        The role the changes are logged under.

    Returns
    -------
    collected : Collected
        The workbooks read and the rows that count.
    merge : Merge
        The merge of the round, on the region as saved.
    added : list of tuple of str
        The ``(source, target, type)`` keys of the ties added; empty without
        ``apply``.

    Raises
    ------
    RegionInvalid
        When the region folder cannot be read or its data has errors.
    WorkbenchError
        When ``returned_dir`` is not a folder.
    """
    store = RegionStore(folder, editor=editor)
    region = store.load()
    round_ = round_ or default_round()
    collected = collect_files(region, read_folder(returned_dir), round_)
    region = save_round(store, collected)
    merge = merge_round(region, collected.rows, round_)
    added = apply_round(store, merge, collected.rows) if apply else []
    return collected, merge, added
