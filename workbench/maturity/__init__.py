"""Maturity against the five characteristics of a good partnership.

* :mod:`.scoring` — consensus, disagreement and coverage per indicator, a
  level 0–4 (or ``None``) and a confidence per characteristic;
* :mod:`.evidence` — network measures per characteristic and the conflicts
  between them and the self-assessment;
* :mod:`.assess` — both together (:func:`assess_region`) and the text table;
* :mod:`.rounds` — what changed between two rounds;
* :mod:`.reference` — the documented cases as reference profiles;
* :mod:`.charts` — radar and heatmap, as PNG and as HTML (imported on
  demand: it loads matplotlib).

The rule is explained in ``docs/maturity-scoring.md``.
"""

from .assess import assess_region, format_table
from .evidence import network_evidence
from .reference import compare_to_reference, reference_profiles, reference_regions
from .rounds import compare_rounds
from .scoring import score_region

__all__ = [
    "assess_region", "compare_rounds", "compare_to_reference", "format_table",
    "network_evidence", "reference_profiles", "reference_regions", "score_region",
]
