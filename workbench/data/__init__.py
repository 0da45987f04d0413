"""Region data: loading, validation, workbooks and safe saving.

This is the only package that reads or writes region files.
"""

from .load import check_region_id, load_region, parse_region_files
from .model import Action, Agency, Answer, Region, RegionInfo, Relationship
from .store import Change, RegionStore, create_region

__all__ = [
    "Action", "Agency", "Answer", "Change", "Region", "RegionInfo", "RegionStore",
    "Relationship", "check_region_id", "create_region", "load_region", "parse_region_files",
]
