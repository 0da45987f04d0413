"""Gap detection: which gaps of the catalogue a region shows, and why.

The catalogue (``resources/gaps.toml``, gaps G01–G36 of the partnership
framework; its words are in the ``gaps`` translation catalogue) holds the characteristics each gap undermines, its
base severity, its seed evidence, the thresholds its rule reads
(``params``) and its roadmap actions. This package holds one small function
per decidable gap, registered in :data:`RULES` by gap id: the engine
(:mod:`.engine`: findings, facts, registry, detection, severity and evidence
sentences) apart from the rules, grouped by the gap's first characteristic in
the catalogue (:mod:`.rules_c1` … :mod:`.rules_c5`). Gaps whose
catalogue ``detection`` is ``needs_question`` have no rule: the data contract
holds nothing that decides them (see :func:`needs_question`).

Conventions shared by every rule (also in ``docs/gap-rules.md``):

* **Live** (:mod:`workbench.data.facts`, shared with the maturity evidence):
  an agency or forum whose status is ``active`` or ``pilot``; a tie whose
  status is ``active`` and that joins two live agencies. Planned and
  discontinued rows, and ties on trial (``pilot``), are not part of today's
  network; G28 reads pilot funding ties as temporary funding.
* **Family**: an organisation and its units (``parent``) count as one when a
  rule asks whether feedback comes back or a referral stays inside one house;
  G08 and G34 read an agency with the organisations above it and its units
  (``Facts.family``).
* **Not recorded is not missing**: a rule whose only signal would be a tag,
  column or tie the region did not fill adds a check (a question for the
  working group), never a gap. The feedback rules (G01, G24, G35) conclude
  from a missing feedback tie only where the region records feedback
  somewhere (``Facts.feedback_recorded``).
* **Present at a forum**: a live membership tie whose ``attendance`` is not
  ``rare``, ``absent``, ``declined`` or ``excluded``. Attendance problems are
  read from every forum, whatever its status: a partner that declined or was
  excluded is a barrier until a live forum shows otherwise.
* **Answers**: the consensus score (0 no, 1 partial, 2 yes) of an indicator in
  the latest round, from :func:`workbench.maturity.scoring.indicator_scores`
  (median of the raters' scores, the lower middle one when their number is
  even). "C3.6 ≤ 0" means its consensus is 0; an indicator nobody answered, or
  answered ``n/a``, never fires anything.

Severity (also the catalogue key ``gaps.severity_rule``): the catalogue's base severity
(low for one undermined characteristic, medium for two or more, one step
higher when victims' safety is directly at stake), raised one step, at most to
high, when the gap concerns a priority group that no referral pathway reaches
from an entry point, or when the agencies it names include an entry point.
"""

from . import rules_c1, rules_c2, rules_c3, rules_c4, rules_c5  # noqa: F401  (importing registers the rules)
from .engine import (
    AWAY,
    BASES,
    NOTE_CHARS,
    RULES,
    SEVERITIES,
    Facts,
    Finding,
    Gap,
    Rule,
    Tie,
    answers_at_most,
    basis_label,
    detect_checks,
    detect_gaps,
    gap_actions,
    gap_catalogue,
    gap_text,
    needs_question,
    recommendation_text,
    rule,
    severity_label,
)

__all__ = [
    "AWAY", "BASES", "NOTE_CHARS", "RULES", "SEVERITIES", "Facts", "Finding", "Gap", "Rule", "Tie",
    "answers_at_most", "basis_label", "detect_checks", "detect_gaps", "gap_actions", "gap_catalogue", "gap_text",
    "needs_question", "recommendation_text", "rule", "severity_label",
]
