"""The regional workbench, for working groups at a workshop.

Pick a region and see its partner map; add, edit and remove agencies and
ties through forms (drop-downs from the taxonomy, checks as you type); answer
the self-assessment one characteristic at a time, per rater, with the
rubric's help texts. Every save goes through
:class:`~workbench.data.RegionStore` (atomic, locked, logged) under the role
the user typed; the last change can be undone. The maturity radar and the
gaps beside the sections are redrawn after each save.
"""

from .app import Workshop, prepare, show
from .assessment import _answer_word

__all__ = ["Workshop", "_answer_word", "prepare", "show"]
