"""``workbench build``: every region's documents and the comparison, in one batch.

A few notebook kernels (one per core, at most 4: the ``build_kernels``
setting) render the regions side by side, each reused for the regions it
takes, with one browser each for the PDFs. A region that fails to load or
render is reported at the end; the others are still built.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .errors import RegionInvalid, WorkbenchError
from .i18n import DEFAULT


@dataclass
class BuildReport:
    """What a batch built and what failed.

    Parameters
    ----------
    built : list of str
        The ids of the regions whose documents were written, in the order
        built.
    failed : dict of str to str
        Each region id that failed, mapped to the reason (the region's
        problems, or the error's type and message).
    seconds : float
        Wall-clock time of the whole batch, in seconds.
    """

    built: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def region_folders(data: Path) -> list[Path]:
    """The region folders directly under ``data`` (those with a ``region.toml``), by name.

    Parameters
    ----------
    data : pathlib.Path
        A folder of region folders (``data/partners`` of a workspace).

    Returns
    -------
    list of pathlib.Path
        Its visible sub-folders holding a ``region.toml``, sorted by name
        (the region id).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b", "a", ".hidden", "notes"):
    ...         (pathlib.Path(tmp) / name).mkdir()
    ...     for name in ("b", "a", ".hidden"):
    ...         _ = (pathlib.Path(tmp) / name / "region.toml").write_text("")
    ...     [p.name for p in region_folders(pathlib.Path(tmp))]
    ['a', 'b']
    """
    return sorted(p for p in data.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and (p / "region.toml").exists())


def build_all(data: Path, out: Path, formats: tuple[str, ...], lang: str | None = None) -> BuildReport:
    """Render every region under ``data`` into ``out/<region-id>/`` and the comparison into ``out``.

    Parameters
    ----------
    data : pathlib.Path
        A folder of region folders.
    out : pathlib.Path
        The output folder, created if needed.
    formats : tuple of str
        The roadmap formats to write for each region, among ``"html"``,
        ``"pdf"``, ``"docx"`` and ``"md"``.
    lang : str or None, optional
        One language code for every region's documents and the comparison;
        ``None`` (the default) writes each region's documents in its own
        language (else English) and the comparison in English.

    Returns
    -------
    BuildReport
        The regions built, those that failed and why, and the time taken.

    Raises
    ------
    ChromiumMissing
        When ``"pdf"`` is asked for and Chromium is not installed (checked
        before any region is built).
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    # Here, not at the top (publish reads region_folders only); render first, since it keeps jsonschema's
    # optional rfc3987-syntax import (1.3 s) out of nbformat, which nbclient imports (workbench.imports).
    from .roadmap.render import Batch, chromium_path, render_each, render_roadmap  # isort: skip

    from nbclient.exceptions import CellExecutionError  # isort: skip

    from .compare import write_comparison
    from .files import output_dir

    if "pdf" in formats:
        chromium_path()  # one clear error, not one per region
    output_dir(out)
    t0 = time.perf_counter()
    report = BuildReport()
    folders = region_folders(data)
    outcome: dict[str, str | None] = {}  # region id -> None when built, else why not

    def one(folder: Path, shared: Batch) -> None:
        try:
            render_roadmap(folder, out / folder.name, formats, lang=lang, shared=shared)
            outcome[folder.name] = None
        except RegionInvalid as exc:
            outcome[folder.name] = str(exc)
        except (WorkbenchError, CellExecutionError, OSError, ValueError) as exc:
            outcome[folder.name] = f"{type(exc).__name__}: {exc}"

    with tqdm(total=len(folders), desc="regions", unit="region") as bar:
        render_each(folders, one, done=lambda _folder: bar.update())
    for folder in folders:  # reported in the regions' order, whichever kernel finished first
        why = outcome[folder.name]
        if why is None:
            report.built.append(folder.name)
        else:
            report.failed[folder.name] = why
    good = [data / r for r in report.built]
    if good:
        write_comparison(good, out, lang or DEFAULT)
    report.seconds = time.perf_counter() - t0
    return report
