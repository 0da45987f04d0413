"""A button that sends its form's last keystrokes before the click.

ipywidgets keeps one state update per widget in flight: while the kernel
has not answered a field's last update, the browser holds the field's newer
text back, but it sends a button's click at once. On a kernel busy redrawing
other people's saves, a Save clicked right after typing therefore reached
the kernel before the last letters and saved the text as it was a moment
earlier (jupyter-widgets/ipywidgets#1382). :class:`FormButton` is drawn like
an ipywidgets ``Button``; its browser side (``form_button.js``, an
`anywidget <https://anywidget.dev>`_ module) first sends whatever the
fields under its :attr:`~FormButton.form` still hold back, then the click.
The websocket keeps messages in order, so the kernel has the form as the
person sees it when the click's callbacks run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets as T


class FormButton(anywidget.AnyWidget):
    """A button whose click arrives after the typing in its form.

    Parameters
    ----------
    **kwargs
        Trait values: ``description``, ``tooltip``, ``button_style``
        (``""``, ``"primary"``, ``"danger"``), ``disabled``, ``css_class``
        (the class tests and styles find the button by) and ``form`` (the
        widget whose fields are sent before the click, usually the section's
        box; ``None`` for a button that reads no form).

    Examples
    --------
    >>> b = FormButton(description="Save", css_class="wb-save")
    >>> clicks = []
    >>> b.on_click(clicks.append)
    >>> b.click()
    >>> clicks == [b]
    True
    """

    _esm = Path(__file__).with_name("form_button.js")
    description = T.Unicode("").tag(sync=True)
    tooltip = T.Unicode("").tag(sync=True)
    button_style = T.CaselessStrEnum(["", "primary", "success", "info", "warning", "danger"], "").tag(sync=True)
    disabled = T.Bool(False).tag(sync=True)
    css_class = T.Unicode("").tag(sync=True)
    form = T.Instance(w.Widget, allow_none=True).tag(sync=True, **w.widget_serialization)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._click_handlers = w.CallbackDispatcher()
        self.on_msg(self._handle_message)

    def on_click(self, callback: Callable[[FormButton], Any], remove: bool = False) -> None:
        """Call ``callback(button)`` when the button is clicked, as ``ipywidgets.Button.on_click`` does.

        Parameters
        ----------
        callback : callable
            Called with the button.
        remove : bool, optional
            Forget ``callback`` instead.
        """
        self._click_handlers.register_callback(callback, remove=remove)

    def click(self) -> None:
        """Run the click callbacks, as a click in the browser does (the kernel, like ipywidgets', trusts the page)."""
        self._click_handlers(self)

    def _handle_message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "click":
            self.click()


def attach_form(root: w.Widget, under: w.Widget | None = None) -> int:
    """Give every :class:`FormButton` under ``root`` (or ``under``) that has no form yet ``root`` as its form.

    A page calls it once its body is built: a click then first sends the
    held-back keystrokes of every field on the page (the role typed at the
    top included), whichever section the button is in.

    Parameters
    ----------
    root : ipywidgets.Widget
        The page's outermost box.
    under : ipywidgets.Widget, optional
        Where to look for buttons, when only part of the page is new (a section built when first opened,
        before it is shown); ``root`` by default.

    Returns
    -------
    int
        How many buttons were given the form.

    Examples
    --------
    >>> b = FormButton(description="Save")
    >>> page = w.VBox([w.Text(), w.HBox([b])])
    >>> attach_form(page), b.form is page
    (1, True)
    """
    found = 0
    todo = [root if under is None else under]
    seen: set[int] = set()
    while todo:
        x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, FormButton) and x.form is None:
            x.form = root
            found += 1
        todo.extend(getattr(x, "children", ()) or ())
    return found
