"""Where the workbench finds its own files and the working group's data.

Two kinds of folders:

* **Shipped files** (the roadmap notebook and nbconvert templates, the Voilà
  template, the dashboards' notebooks, the reference regions and the example
  regions). In a source checkout they are the repository's top-level folders
  ``templates/``, ``notebooks/`` and ``data/``. A built wheel installs the same
  tree as Jupyter projects install theirs, under
  ``<prefix>/share/jupyter/workbench/``, found through
  :func:`jupyter_core.paths.jupyter_path`. :func:`share_dir` returns whichever
  holds them; nothing else in the package looks for the folder above itself.
* **The working group's data** (region folders): ``--data DIR`` on the command
  line, else the ``data`` setting (:func:`workbench.config.data_dir`:
  ``$WORKBENCH_DATA``, else the ``data/partners`` folder of the workspace the
  command runs in, found by :func:`find_workspace`; ``workbench init``
  creates such a workspace). Region data is never written into the
  installation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import InstallationIncomplete

#: Sub-folder of each Jupyter data directory where the wheel puts the shipped files.
SHARE_NAME = "workbench"
#: The file whose presence marks a folder as holding the shipped files.
_MARKER = Path("templates") / "roadmap.ipynb"
#: A workspace's folder of region folders, relative to the workspace.
PARTNERS = Path("data") / "partners"


@cache
def share_dir() -> Path:
    """The folder holding ``templates/``, ``notebooks/`` and ``data/reference`` (checkout or installation).

    Returns
    -------
    pathlib.Path
        The repository's top-level folder in a checkout, else the first
        ``share/jupyter/workbench`` folder of :func:`jupyter_core.paths.jupyter_path`
        that holds the templates.

    Raises
    ------
    InstallationIncomplete
        When neither holds them.
    """
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / _MARKER).is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    from jupyter_core.paths import jupyter_path

    candidates = [Path(p) for p in jupyter_path(SHARE_NAME)]
    for folder in candidates:
        if (folder / _MARKER).is_file():
            return folder
    raise InstallationIncomplete(
        "the workbench's templates and notebooks were not found in "
        + ", ".join(str(p) for p in candidates),
        "reinstall the package from its wheel (pip install --force-reinstall tactics-workbench)")


def templates_dir() -> Path:
    """The roadmap notebook, nbconvert, site and Voilà templates, the workbook layout.

    Returns
    -------
    pathlib.Path
        ``templates/`` of :func:`share_dir`.

    Raises
    ------
    InstallationIncomplete
        When the shipped files are found neither in a checkout nor in the
        installation.
    """
    return share_dir() / "templates"


def notebooks_dir() -> Path:
    """The three dashboards Voilà serves, and ``explore.ipynb`` for analysts in Jupyter (not served).

    Returns
    -------
    pathlib.Path
        ``notebooks/`` of :func:`share_dir`.

    Raises
    ------
    InstallationIncomplete
        When the shipped files are found neither in a checkout nor in the
        installation.
    """
    return share_dir() / "notebooks"


def reference_dir() -> Path:
    """The documented good-practice cases used as reference profiles.

    Returns
    -------
    pathlib.Path
        ``data/reference/`` of :func:`share_dir`, one folder per reference
        region.

    Raises
    ------
    InstallationIncomplete
        When the shipped files are found neither in a checkout nor in the
        installation.
    """
    return share_dir() / "data" / "reference"


def examples_dir() -> Path:
    """The illustrative example regions (copied into a workspace by ``workbench init --examples``).

    Returns
    -------
    pathlib.Path
        ``data/partners/`` of :func:`share_dir`, one folder per example region.

    Raises
    ------
    InstallationIncomplete
        When the shipped files are found neither in a checkout nor in the
        installation.
    """
    return share_dir() / "data" / "partners"


def find_workspace(start: Path | None = None) -> Path | None:
    """The nearest folder, from ``start`` (default: the current folder) upwards, that has ``data/partners``.

    Parameters
    ----------
    start : pathlib.Path or None
        The folder to start from; ``None`` means the current folder.

    Returns
    -------
    pathlib.Path or None
        The workspace folder (the one holding ``data/partners``, not
        ``data/partners`` itself); ``None`` when no folder up to the root
        has one.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PARTNERS).is_dir():
            return folder
    return None
