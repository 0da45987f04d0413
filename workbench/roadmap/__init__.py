"""The regional roadmap: gap detection, actions and documents."""

from .gaps import Gap, detect_gaps, gap_catalogue, needs_question

__all__ = ["Gap", "detect_gaps", "gap_catalogue", "needs_question"]
