"""The partner map section."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import ipywidgets as w

from ... import api, i18n
from ...errors import WorkbenchError

if TYPE_CHECKING:  # for annotations only: the app imports every section
    from .app import Workshop

MAP_HEIGHT = 560


class MapSection:
    """The partner map: the pyvis page in a sandboxed srcdoc iframe.

    Its :attr:`widget` (an ``HTML`` of class ``wb-map``, :data:`MAP_HEIGHT`
    pixels high) shows the region's agencies and ties in the page's
    language (English when the network view does not speak it yet), the
    ties the survey has not confirmed marked as such.

    Parameters
    ----------
    app : Workshop
        The workshop page the section belongs to: its region, language, words, messages and
        read-only state.
    """

    def __init__(self, app: Workshop) -> None:
        self.app = app
        self.widget = w.HTML()
        self.widget.add_class("wb-map")
        self.refresh()

    def refresh(self) -> None:
        """Draw the map of the region as the page shows it now."""
        region = self.app.region
        assert region is not None
        unconfirmed = api.unconfirmed_ties(region)
        try:
            doc = api.network_view(region, self.app.lang, height=MAP_HEIGHT, unconfirmed=unconfirmed)
        except (WorkbenchError, KeyError) as exc:  # a network view that does not speak the language yet
            print(f"partner map in {i18n.DEFAULT}, not {self.app.lang}: {exc!r}", file=sys.__stderr__, flush=True)
            doc = api.network_view(region, i18n.DEFAULT, height=MAP_HEIGHT, unconfirmed=unconfirmed)
        self.widget.value = api.embed_view(doc, MAP_HEIGHT, title=self.app.t["sec_map"] + " · " + region.name)
