"""Widgets the workshop's forms share: the checks shown as you type, the buttons row, read-only locking."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from ..common import e

if TYPE_CHECKING:  # for annotations only: the app imports every section
    from .app import Workshop


class Checks:
    """Messages shown under a form as the user types: errors block saving, warnings do not.

    Its :attr:`widget` (an ``HTML`` of class ``wb-checks``) lists them; a
    form calls :meth:`start`, then :meth:`error` and :meth:`warn` for each
    finding, then :meth:`show`.

    Examples
    --------
    >>> checks = Checks()
    >>> checks.start(); checks.warn("no area given"); checks.show()
    True
    >>> checks.error("a name is needed"); checks.show()
    False
    """

    def __init__(self) -> None:
        self.widget = w.HTML()
        self.widget.add_class("wb-checks")
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def start(self) -> None:
        """Forget the findings of the last check."""
        self.errors, self.warnings = [], []

    def error(self, text: str) -> None:
        """Note a finding that blocks saving.

        Parameters
        ----------
        text : str
            What is wrong; escaped when shown.
        """
        self.errors.append(text)

    def warn(self, text: str) -> None:
        """Note a finding that does not block saving.

        Parameters
        ----------
        text : str
            What to look at; escaped when shown.
        """
        self.warnings.append(text)

    def show(self) -> bool:
        """Show the findings noted since :meth:`start`, errors first.

        Returns
        -------
        bool
            ``True`` when there is no error: the form may be saved.
        """
        items = ([f"<li class='wb-check-error'>{e(x)}</li>" for x in self.errors]
                 + [f"<li class='wb-check-warn'>{e(x)}</li>" for x in self.warnings])
        self.widget.value = f"<ul>{''.join(items)}</ul>" if items else ""
        return not self.errors


def button_row(app: Workshop, *buttons: w.Button) -> w.HBox:
    """A form's row of buttons, hidden on a page where the person may not edit.

    Parameters
    ----------
    app : Workshop
        The workshop page; its ``read_only`` decides whether the row is shown.
    *buttons : ipywidgets.Button
        The form's buttons, in order.

    Returns
    -------
    ipywidgets.HBox
        The row, of class ``wb-buttons``.
    """
    box = w.HBox(list(buttons))
    box.add_class("wb-buttons")
    if app.read_only:
        box.layout.display = "none"
    return box


def lock(app: Workshop, widgets: list[w.Widget]) -> None:
    """Disable a form's fields on a page where the person may not edit; otherwise leave them.

    Parameters
    ----------
    app : Workshop
        The workshop page; its ``read_only`` decides.
    widgets : list of ipywidgets.Widget
        The fields to disable.
    """
    if app.read_only:
        for x in widgets:
            x.disabled = True

