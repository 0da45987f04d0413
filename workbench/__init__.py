"""TACTICS partnership workbench: map, assess and plan multi-agency responses to DV.

The names below are imported on first use (PEP 562), so that the command
line starts without loading pandas for commands that do not need it.
:mod:`workbench.api` holds the documented functions the command line, the
notebooks and the dashboards call; ``workbench.api`` works after a bare
``import workbench``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import api
    from .data import Region, RegionStore, load_region
    from .errors import Problem, RegionInvalid, WorkbenchError

__all__ = ["Problem", "Region", "RegionInvalid", "RegionStore", "WorkbenchError", "api", "load_region"]
__version__ = "0.1.0"

_WHERE = {"Region": ".data", "RegionStore": ".data", "load_region": ".data",
          "Problem": ".errors", "RegionInvalid": ".errors", "WorkbenchError": ".errors"}


def __getattr__(name: str) -> Any:
    if name == "api":
        return import_module(".api", __name__)
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
