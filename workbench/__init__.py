"""TACTICS partnership workbench: map, assess and plan multi-agency responses to DV."""

from .data import Region, RegionStore, load_region
from .errors import Problem, RegionInvalid, WorkbenchError

__all__ = ["Problem", "Region", "RegionInvalid", "RegionStore", "WorkbenchError", "load_region"]
__version__ = "0.1.0"
