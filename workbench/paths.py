"""Where the project's folders are (example data, templates, notebooks)."""

from __future__ import annotations

import os
from pathlib import Path

#: The project's top folder (the checkout the package is installed from).
ROOT = Path(__file__).resolve().parent.parent


def templates_dir() -> Path:
    return ROOT / "templates"


def data_dir() -> Path:
    """The folder of region folders: ``$WORKBENCH_DATA`` or ``data/partners``."""
    return Path(os.environ.get("WORKBENCH_DATA") or ROOT / "data" / "partners")


def reference_dir() -> Path:
    """The documented good-practice cases used as reference profiles."""
    return ROOT / "data" / "reference"


def notebooks_dir() -> Path:
    return ROOT / "notebooks"
