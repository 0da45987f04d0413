"""Errors and validation problems.

Every problem found in user data is a :class:`Problem` that says where it is
(file, spreadsheet row, column), what is wrong and how to fix it. Loading
collects all problems and raises a single :class:`RegionInvalid`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import i18n


class WorkbenchError(Exception):
    """Base class of the errors the workbench raises on purpose.

    ``fix`` says what the user can do about it; the command line prints the
    message and the fix on one line each and exits 1, never a traceback.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on (empty by default).
    fix : str or None
        What the user can do about it, printed after the message as
        ``(fix: ...)``; ``None`` when there is nothing to suggest.

    Examples
    --------
    >>> print(RegionNotFound("no region folder at data/partners/xx", "run workbench new-region xx"))
    no region folder at data/partners/xx (fix: run workbench new-region xx)
    """

    def __init__(self, message: str = "", fix: str | None = None):
        self.fix = fix
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        return f"{head} (fix: {self.fix})" if self.fix else head


class InstallationIncomplete(WorkbenchError):
    """The package's shipped files (templates, notebooks, reference regions) cannot be found.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on, naming the file that is missing.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


class NoWorkspace(WorkbenchError):
    """A command needs a folder of region folders and none was given or found.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


class RegionNotFound(WorkbenchError):
    """A path or region id names no region folder or workbook.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on, naming the path or id.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


class UnknownFormat(WorkbenchError):
    """An output format, language or other choice that the workbench does not offer.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on, naming the choice and those offered.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


class OutputNotWritable(WorkbenchError):
    """An output file or folder cannot be created or written.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on, naming the file or folder.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


class ChromiumMissing(WorkbenchError):
    """PDF printing and screenshots need the system Chromium, which is not installed.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


class PortInUse(WorkbenchError):
    """The dashboards' port is taken by another program.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on, naming the port.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


@dataclass(frozen=True, slots=True)
class Said:
    """A finding worded by the catalogues: the key of its message, the keys of its fix, the values they name.

    The words are looked up when the finding is shown, in the reader's
    language: the command line and the dashboards' forms print the same
    sentence (:meth:`sentence`) from the same catalogue entry.

    Parameters
    ----------
    key : str
        The catalogue key of the message (``"problems.id_bad"``).
    fix : tuple of str, optional
        The catalogue keys of the fix, shown one after another; empty when there is no fix.
    values : tuple of tuple of (str, Any), optional
        The ``(name, value)`` pairs that fill the placeholders of the message and the fix.

    Examples
    --------
    >>> found = said("problems.id_bad", "problems.fix.id", value="Police!")
    >>> found.message("en")
    "'Police!' is not a valid id"
    >>> found.sentence("fr").startswith("« Police! » n'est pas un identifiant valide")
    True
    """

    key: str
    fix: tuple[str, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()

    def message(self, lang: str = i18n.DEFAULT) -> str:
        """The message in ``lang``, its placeholders filled.

        Parameters
        ----------
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The worded message, without its fix.
        """
        return i18n.text(self.key, lang, **dict(self.values))

    def fix_text(self, lang: str = i18n.DEFAULT) -> str | None:
        """The fix in ``lang``, its parts joined by a space.

        Parameters
        ----------
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str or None
            The worded fix; ``None`` when the finding has no fix.
        """
        values = dict(self.values)
        return " ".join(i18n.text(k, lang, **values) for k in self.fix) or None

    def pair(self, lang: str = i18n.DEFAULT) -> tuple[str, str | None]:
        """The message and the fix in ``lang``, apart.

        Parameters
        ----------
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        tuple of (str, str or None)
            ``(message, fix)``, as :meth:`message` and :meth:`fix_text` give them.
        """
        return self.message(lang), self.fix_text(lang)

    def sentence(self, lang: str = i18n.DEFAULT) -> str:
        """The message and its fix as one sentence in ``lang``: ``message (fix: …)``.

        Parameters
        ----------
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The sentence the command line and the forms show; the message alone without a fix.
        """
        return sentence(*self.pair(lang), lang)

    def about(self, field: str, lang: str = i18n.DEFAULT) -> str:
        """:meth:`sentence` headed by the form field it is about: ``Notes: message (fix: …)``.

        Parameters
        ----------
        field : str
            The field's label as the form shows it, already in ``lang``.
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The sentence a form shows under the field.
        """
        return i18n.text("problems.in_field", lang, field=field, sentence=self.sentence(lang))


def said(key: str, /, *fix: str, **values: Any) -> Said:
    """A :class:`Said` with message ``key``, fix keys ``fix`` and placeholder ``values``.

    Parameters
    ----------
    key : str
        The catalogue key of the message.
    *fix : str
        The catalogue keys of the fix, in order; none for a finding without a fix.
    **values : Any
        The values of the placeholders of the message and the fix, by name.

    Returns
    -------
    Said
        The finding, words not yet looked up.

    Examples
    --------
    >>> said("problems.id_bad", "problems.fix.id", value="X")
    Said(key='problems.id_bad', fix=('problems.fix.id',), values=(('value', 'X'),))
    """
    return Said(key, fix, tuple(values.items()))


def sentence(message: str, fix: str | None, lang: str = i18n.DEFAULT) -> str:
    """A message followed by its fix, worded in ``lang``.

    Parameters
    ----------
    message : str
        What is wrong, already in ``lang``.
    fix : str or None
        How to fix it, already in ``lang``; ``None`` or empty for no fix.
    lang : str, optional
        The language of the joining words (``(fix: …)``).

    Returns
    -------
    str
        ``message (fix: fix)`` as the language writes it, or ``message`` alone without a fix.

    Examples
    --------
    >>> sentence("unknown status 'x'", "use active", "en")
    "unknown status 'x' (fix: use active)"
    """
    return i18n.text("problems.with_fix", lang, message=message, fix=fix) if fix else message


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a region's data.

    ``row`` counts as a spreadsheet does: the header is row 1, so the first
    data row is row 2. ``row`` and ``column`` are ``None`` where they do not
    apply (a missing file, an encoding error). A problem made with
    :meth:`of` keeps its catalogue keys (``said``) and is shown in any
    language with :meth:`text`; ``message`` and ``fix`` hold its English words.

    Parameters
    ----------
    file : str
        The file the problem is in, relative to the region folder
        (``"agencies.csv"``), or the workbook sheet.
    row : int or None
        The spreadsheet row (header is 1, first data row 2); ``None`` when
        the problem is not in one row.
    column : str or None
        The column name; ``None`` when the problem is not in one column.
    message : str
        What is wrong, quoting the value found.
    fix : str or None
        How to fix it; ``None`` when there is nothing to suggest.
    severity : str
        ``"error"`` (the region cannot be loaded) or ``"warning"`` (it
        loads, but something looks wrong).
    said : Said or None
        The catalogue keys the problem was made from (:meth:`of`), so that it can be worded in
        any language; ``None`` for a problem given in English words only.

    Examples
    --------
    >>> print(Problem("agencies.csv", 3, "type", "unknown agency type 'Police '", "use 'police'"))
    agencies.csv:3:type: unknown agency type 'Police ' (fix: use 'police')
    >>> p = Problem.of("agencies.csv", 3, "id", said("problems.id_bad", "problems.fix.id", value="X"))
    >>> p.text("de").startswith("agencies.csv:3:id: „X“")
    True
    """

    file: str
    row: int | None
    column: str | None
    message: str
    fix: str | None = None
    severity: str = "error"
    said: Said | None = None

    @classmethod
    def of(cls, file: str, row: int | None, column: str | None, found: Said, severity: str = "error") -> Problem:
        """A problem worded by the catalogues (English ``message`` and ``fix`` filled in).

        Parameters
        ----------
        file : str
            The file the problem is in, relative to the region folder, or the workbook sheet.
        row : int or None
            The spreadsheet row (header is 1); ``None`` when the problem is not in one row.
        column : str or None
            The column name; ``None`` when the problem is not in one column.
        found : Said
            The catalogue keys and values of the message and its fix.
        severity : str, optional
            ``"error"`` (the region cannot be loaded) or ``"warning"``.

        Returns
        -------
        Problem
            The problem, which keeps ``found`` to be worded in any language.
        """
        message, fix = found.pair(i18n.DEFAULT)
        return cls(file, row, column, message, fix, severity, found)

    def words(self, lang: str = i18n.DEFAULT) -> tuple[str, str | None]:
        """The problem's message and fix in ``lang``, apart.

        Parameters
        ----------
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        tuple of (str, str or None)
            ``(message, fix)``; the English words of a problem made without catalogue keys.
        """
        return self.said.pair(lang) if self.said is not None else (self.message, self.fix)

    def text(self, lang: str = i18n.DEFAULT) -> str:
        """The problem as one line, ``FILE:ROW:COLUMN: message (fix: …)``, in ``lang``.

        A problem made without catalogue keys has only English words, and is shown in English throughout.
        A warning's line says so after the place.

        Parameters
        ----------
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The line; ``-`` stands for a missing row or column.
        """
        if self.said is None:
            lang = i18n.DEFAULT
        row = "-" if self.row is None else str(self.row)
        col = self.column or "-"
        head = f"{self.file}:{row}:{col}: "
        if self.severity != "error":
            head += i18n.text("problems.severity_head", lang,
                              severity=i18n.text(f"problems.severity.{self.severity}", lang)) + " "
        return head + sentence(*self.words(lang), lang)

    def __str__(self) -> str:
        return self.text(i18n.DEFAULT)

    @property
    def is_error(self) -> bool:
        """Whether the problem stops the region from loading (a warning does not)."""
        return self.severity == "error"


class RegionInvalid(WorkbenchError):
    """A region could not be loaded; ``problems`` lists every reason.

    ``lang`` is the language the region declares (``None`` when it could not
    be read): the command line words the problems in it unless told otherwise.

    Parameters
    ----------
    problems : iterable of Problem
        Every problem found, errors and warnings; the message counts the
        errors.
    lang : str or None
        The region's declared language, ``None`` when it could not be read.
    """

    def __init__(self, problems: Iterable[Problem], lang: str | None = None):
        self.problems: list[Problem] = list(problems)
        self.lang = lang
        n = sum(p.is_error for p in self.problems)
        super().__init__(f"{n} problem(s) in the region data")

    def text(self, lang: str = i18n.DEFAULT) -> str:
        """Every problem, one a line, in ``lang``.

        Parameters
        ----------
        lang : str, optional
            The reader's language; English where the catalogue lacks the entry.

        Returns
        -------
        str
            The lines of :meth:`Problem.text`, in the order the problems were found.
        """
        return "\n".join(p.text(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.text(i18n.DEFAULT)


class InvalidRegionId(WorkbenchError):
    """A region id (folder name, query string, widget value) is not allowed.

    Parameters
    ----------
    message : str
        What went wrong, in words the user can act on, naming the id.
    fix : str or None
        What the user can do about it, printed after the message; ``None``
        when there is nothing to suggest.
    """


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """One field an editor changed that somebody else changed first.

    Parameters
    ----------
    record : str
        The record as messages name it (``"agency ngo"``,
        ``"tie ngo → police (referral)"``).
    field : str
        The field (column of the data contract) both changed.
    started_from : Any
        Its value in the version the editor started from (``None`` or empty
        when it was empty).
    saved : Any
        Its value as saved now by somebody else.
    saved_by : str or None
        The role that saved it (``"ngo-coordinator"``); ``None`` when not
        known.
    mine : Any
        The value the editor wanted to save; ``None`` when not given.

    Examples
    --------
    >>> print(FieldConflict("agency ngo", "name", "Centre A", "Centre B", "ngo-coordinator", "Centre C"))
    agency ngo: name: you started from 'Centre A'; now saved: 'Centre B' (by ngo-coordinator)
    """

    record: str
    field: str
    started_from: Any
    saved: Any
    saved_by: str | None
    mine: Any = None

    def __str__(self) -> str:
        by = f" (by {self.saved_by})" if self.saved_by else ""
        return (f"{self.record}: {self.field}: you started from {_shown(self.started_from)}; "
                f"now saved: {_shown(self.saved)}{by}")


def _shown(value: Any) -> str:
    if value is None or value == () or value == []:
        return "(empty)"
    if isinstance(value, tuple | list):
        return repr("|".join(str(v) for v in value))
    return repr(value)


class EditConflict(WorkbenchError):
    """An edit that cannot be saved as asked, because of what is saved now.

    Either the record does not exist (any more) or already exists, or
    somebody else changed, since the version the editor started from
    (``base=``), a field the editor changed too, or a record the editor
    removes. ``fields`` then lists each such field (:class:`FieldConflict`:
    the value started from, the value saved now and who saved it); every
    other change of the same call was saved, and ``region`` is the region as
    saved now (``None`` when nothing was written). ``record`` names the
    record (``"agency ngo"``) and ``saved`` is it as saved now (``None`` when
    it is gone).

    Parameters
    ----------
    message : str
        What could not be saved and why.
    fields : sequence of FieldConflict
        The fields changed by both, empty when the whole record conflicts.
    record : str or None
        The record (``"agency ngo"``); ``None`` takes the record of the
        first field conflict, if any.
    saved : Any
        The record as saved now; ``None`` when it is gone.
    region : Any
        The region as saved now, after the other changes of the same call;
        ``None`` when nothing was written.
    saved_by : str or None
        The role that saved the conflicting version; ``None`` when not known.
    """

    def __init__(self, message: str, fields: Sequence[FieldConflict] = (), record: str | None = None,
                 saved: Any = None, region: Any = None, saved_by: str | None = None):
        self.fields: list[FieldConflict] = list(fields)
        self.record = record if record is not None else (self.fields[0].record if self.fields else None)
        self.saved = saved
        self.region = region
        self.saved_by = saved_by
        super().__init__(message)

    def __str__(self) -> str:
        head = str(self.args[0]) if self.args else ""
        return "\n".join([head, *(f"  {f}" for f in self.fields)]) if self.fields else head


class UndoRefused(EditConflict):
    """An undo that needs the editor's say-so: the change is somebody else's, or others changed it since.

    ``change`` is the change it would undo; ``fields`` lists the later
    edits by others that the undo would overwrite.

    Parameters
    ----------
    message : str
        Why the undo needs the editor's say-so.
    change : Any
        The change (an entry of the region's history) it would undo.
    fields : sequence of FieldConflict
        The later edits by others that the undo would overwrite.
    """

    def __init__(self, message: str, change: Any, fields: Sequence[FieldConflict] = ()):
        self.change = change
        super().__init__(message, fields)
