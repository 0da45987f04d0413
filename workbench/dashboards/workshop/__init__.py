"""The regional workbench, for working groups at a workshop.

Pick a region and see its partner map; add, edit and remove agencies and
ties through forms (drop-downs from the taxonomy, checks as you type); answer
the self-assessment one characteristic at a time, per rater, with the
rubric's help texts. Every save goes through
:class:`~workbench.data.RegionStore` (atomic, locked, logged) under the role
the user typed; the last change can be undone. The maturity radar and the
gaps beside the sections are redrawn after each save.
"""

from .app import SEVERITY_ORDER, Workshop, prepare, show
from .assessment import _answer_word
from .widgets import looks_like_contact

__all__ = ["SEVERITY_ORDER", "Workshop", "_answer_word", "looks_like_contact", "prepare", "show"]
