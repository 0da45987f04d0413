"""The partner survey: every organisation reports its own ties, and the merge says which both ends confirm."""

from .collect import Collected, collect, collect_files, current_round, default_round, save_answers
from .merge import Merge, merge_round, tie_keys, unconfirmed_relationships
from .report import merge_text, survey_block
from .workbook import build_survey_workbook, read_survey_workbook, respondents, write_all

__all__ = ["Collected", "Merge", "build_survey_workbook", "collect", "collect_files", "current_round",
           "default_round", "merge_round", "merge_text", "read_survey_workbook", "respondents", "save_answers",
           "survey_block", "tie_keys", "unconfirmed_relationships", "write_all"]
