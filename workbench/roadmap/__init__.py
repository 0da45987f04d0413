"""The regional roadmap: gap detection, actions and documents.

* :mod:`.gaps` finds a region's gaps against the gap catalogue
  (:func:`detect_gaps`, :class:`Gap`);
* :mod:`.actions` drafts and ranks an action for each gap and merges the
  drafts with the coordinator's ``actions.csv``;
* :mod:`.document` gathers what a roadmap shows (:class:`~.document.Roadmap`);
  :mod:`.figures`, :mod:`.html`, :mod:`.docx` and :mod:`.markdown` lay it out;
* :mod:`.render` writes the documents (``workbench roadmap``) and
  :mod:`.publish` the static site of every region (``workbench publish``).

Only the gap engine's names are re-exported here; import the rest from
their modules.
"""

from .gaps import Gap, detect_gaps, gap_catalogue, needs_question

__all__ = ["Gap", "detect_gaps", "gap_catalogue", "needs_question"]
