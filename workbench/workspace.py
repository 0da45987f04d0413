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

from .errors import OutputNotWritable
from .files import atomic_write, output_dir
from .paths import PARTNERS, examples_dir

README = """\
# Partnership workspace

This folder holds your working group's regions for the TACTICS partnership workbench.
Each region is a folder in `data/partners/` with plain CSV and TOML files.

What to do next, from this folder:

1. Create your region, or bring in a filled workbook:

       workbench new-region my-region --name "My region" --country BE --language fr
       workbench template --out my-region.xlsx --lang fr     # a blank, guided workbook
       workbench import my-region.xlsx                       # into data/partners/my-region

2. Check it and look at the partnership:

       workbench validate data/partners/my-region
       workbench analyse data/partners/my-region

3. Open the dashboards (map, questionnaire, roadmap) for the working group:

       workbench serve            # then open http://127.0.0.1:8866/

4. Write the roadmap documents and a static site for reviewers:

       workbench build --out out
       workbench publish --build out --out site

Keep this folder under version control (git) or on a shared drive: every save
is recorded in each region's change log. `out/` and `site/` are outputs and
can be made again at any time.
"""

GITIGNORE = """\
# Outputs of the workbench: made again by 'workbench build' and 'workbench publish'
/out/
/site/
/build/
# Temporary files of interrupted saves and the save lock
.*.tmp
.workbench.lock
"""


def init_workspace(folder: Path, examples: bool = False) -> list[str]:
    """Create a workspace in ``folder`` (new or empty); return the ids of the example regions copied.

    Refuses a folder that already holds a workspace or other files, so nothing is overwritten.

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
    atomic_write(folder / "README.md", README.encode("utf-8"))
    atomic_write(folder / ".gitignore", GITIGNORE.encode("utf-8"))
    copied = []
    if examples:
        for region in sorted(p for p in examples_dir().iterdir() if (p / "region.toml").is_file()):
            shutil.copytree(region, partners / region.name,
                            ignore=shutil.ignore_patterns(".*.tmp", ".workbench.lock", "__pycache__"))
            copied.append(region.name)
    return copied
