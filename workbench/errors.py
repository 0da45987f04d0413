"""Errors and validation problems.

Every problem found in user data is a :class:`Problem` that says where it is
(file, spreadsheet row, column), what is wrong and how to fix it. Loading
collects all problems and raises a single :class:`RegionInvalid`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class WorkbenchError(Exception):
    """Base class of the errors the workbench raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a region's data.

    ``row`` counts as a spreadsheet does: the header is row 1, so the first
    data row is row 2. ``row`` and ``column`` are ``None`` where they do not
    apply (a missing file, an encoding error).

    Examples
    --------
    >>> print(Problem("agencies.csv", 3, "type", "unknown agency type 'Police '", "use 'police'"))
    agencies.csv:3:type: unknown agency type 'Police ' (fix: use 'police')
    """

    file: str
    row: int | None
    column: str | None
    message: str
    fix: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        col = self.column or "-"
        head = f"{self.file}:{row}:{col}: "
        if self.severity != "error":
            head += f"{self.severity}: "
        tail = f" (fix: {self.fix})" if self.fix else ""
        return f"{head}{self.message}{tail}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class RegionInvalid(WorkbenchError):
    """A region could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        n = sum(p.is_error for p in self.problems)
        super().__init__(f"{n} problem(s) in the region data")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class InvalidRegionId(WorkbenchError):
    """A region id (folder name, query string, widget value) is not allowed."""


class EditConflict(WorkbenchError):
    """An edit refers to something that does not exist or already exists."""
