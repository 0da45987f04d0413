"""A working group's workspace: the folder ``workbench init`` creates.

A workspace holds the group's region folders in ``data/partners/``; the
command line and the dashboards find it when they run inside it (see
:func:`workbench.paths.data_dir`). Outputs (``out/``, ``site/``) stay out of
version control, the region data goes in: a region folder is plain CSV and
TOML, made to be read in ``git diff``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import i18n
from .errors import OutputNotWritable
from .files import atomic_write, output_dir
from .paths import PARTNERS, examples_dir

GITIGNORE = """\
# Outputs of the workbench: made again by 'workbench build' and 'workbench publish'
/out/
/site/
/build/
# Temporary files of interrupted saves and the save lock
.*.tmp
.workbench.lock
"""


def readme(lang: str = i18n.DEFAULT) -> str:
    """The workspace's ``README.md`` in ``lang`` (English where it has no translation yet).

    Parameters
    ----------
    lang : str, optional
        The working group's language.

    Returns
    -------
    str
        Markdown saying what the folder holds and what to do next, ending with one newline.

    Examples
    --------
    >>> readme("fr").splitlines()[0]
    '# Espace de travail du partenariat'
    """
    return i18n.text("cli.workspace_readme", lang).rstrip("\n") + "\n"


def init_workspace(folder: Path, examples: bool = False, lang: str = i18n.DEFAULT) -> list[str]:
    """Create a workspace in ``folder`` (new or empty); return the ids of the example regions copied.

    The workspace holds an empty ``data/partners/`` for the region folders, a ``README.md`` and a
    ``.gitignore`` that keeps the outputs (``out/``, ``site/``, ``build/``) out of version control.

    Parameters
    ----------
    folder : pathlib.Path
        The workspace folder: it must not exist yet or be an empty folder; its parents are created.
    examples : bool, optional
        Also copy the shipped example regions into ``data/partners/`` to try the workbench on.
    lang : str, optional
        Language of the ``README.md``.

    Returns
    -------
    list of str
        The ids (folder names) of the example regions copied, in name order; empty without ``examples``.

    Raises
    ------
    OutputNotWritable
        When ``folder`` is a file or a folder that is not empty (nothing is overwritten), or
        cannot be created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     init_workspace(pathlib.Path(tmp) / "group")
    ...     sorted(p.name for p in (pathlib.Path(tmp) / "group").iterdir())
    []
    ['.gitignore', 'README.md', 'data']
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OutputNotWritable(f"{folder} already exists and is not empty",
                                "give a new or empty folder to 'workbench init'")
    partners = output_dir(folder / PARTNERS)
    atomic_write(folder / "README.md", readme(lang).encode("utf-8"))
    atomic_write(folder / ".gitignore", GITIGNORE.encode("utf-8"))
    copied = []
    if examples:
        for region in sorted(p for p in examples_dir().iterdir() if (p / "region.toml").is_file()):
            shutil.copytree(region, partners / region.name,
                            ignore=shutil.ignore_patterns(".*.tmp", ".workbench.lock", "__pycache__"))
            copied.append(region.name)
    return copied
