"""Roadmap documents: execute the parameterised notebook, export HTML, print PDF, write DOCX/MD.

The roadmap notebook (``templates/roadmap.ipynb``) takes papermill-style
parameters and is executed with nbclient; nbconvert turns it into a
self-contained HTML document with the ``templates/nbconvert/roadmap``
template (no input cells, sanitised, no CDN). Headless system Chromium
(Playwright with ``executable_path``; no browser download) prints that HTML
to PDF. DOCX and Markdown are laid out from the same :class:`Roadmap`.

One kernel is started per batch and reused for every region, which is what
makes building all regions fast; each run re-executes the whole notebook.
"""

from __future__ import annotations

import copy
import os
import queue
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..config import value as setting
from ..errors import ChromiumMissing, UnknownFormat
from ..files import atomic_write, output_dir
from ..i18n import DEFAULT
from ..imports import skip_rfc3987_syntax
from ..paths import templates_dir

skip_rfc3987_syntax()  # 1.3-2.5 s of every build, roadmap and publish otherwise (see workbench.imports)

import nbformat  # noqa: E402
from jupyter_core.utils import run_sync  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from papermill.iorw import load_notebook_node  # noqa: E402
from papermill.parameterize import parameterize_notebook  # noqa: E402

FORMATS = ("html", "pdf", "docx", "md")
T = TypeVar("T")
J = TypeVar("J")
FOOTER = ("<div style='font-size:8px;width:100%;text-align:center'>"
          "<span class='pageNumber'></span> / <span class='totalPages'></span></div>")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    """The system Chromium (Debian's ``chromium`` package), which prints the PDFs.

    Looks on ``PATH`` for ``chromium``, ``chromium-browser`` and
    ``google-chrome``, in that order; nothing is downloaded.

    Returns
    -------
    str
        The full path of the first one found.

    Raises
    ------
    ChromiumMissing
        When none is installed; the fix says how to install it or to leave
        ``pdf`` out of ``--format``.
    """
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing("printing a PDF needs Chromium, which is not installed",
                          "install Debian's 'chromium' package (sudo apt-get install chromium), "
                          "or leave pdf out of --format")


def notebook_template() -> nbformat.NotebookNode:
    """The roadmap notebook, with the metadata papermill's parameterisation expects.

    Returns
    -------
    nbformat.NotebookNode
        A fresh copy of ``templates/roadmap.ipynb`` (from the checkout or the
        installed distribution), not yet executed.

    Raises
    ------
    InstallationIncomplete
        When the shipped templates cannot be found.
    """
    return load_notebook_node(str(templates_dir() / "roadmap.ipynb"))


def html_exporter() -> HTMLExporter:
    """The nbconvert exporter that turns an executed roadmap notebook into the HTML document.

    It uses the ``templates/nbconvert/roadmap`` template, hides input cells
    and prompts, and sanitises the HTML.

    Returns
    -------
    nbconvert.HTMLExporter
        A new exporter; :class:`Batch` keeps one per build.

    Raises
    ------
    InstallationIncomplete
        When the shipped templates cannot be found.
    """
    exporter = HTMLExporter(template_name="roadmap", extra_template_basedirs=[str(templates_dir() / "nbconvert")],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            sanitize_html=True)
    return exporter


@dataclass
class Batch:
    """Shared resources of one build: a kernel, an exporter, a browser (started lazily).

    Everything that talks to the kernel runs on one worker thread of the
    batch's own, with its own event loop. nbclient's synchronous calls
    (``jupyter_core.utils.run_sync``) otherwise pick the caller's loop or a
    helper thread depending on whether a loop is running in the calling
    thread at that moment (Playwright's sync API and Jupyter both leave one
    running), and a kernel client whose sockets were made on one loop and
    are awaited on another waits forever.

    Parameters
    ----------
    kernel : jupyter_client.KernelManager or None, optional
        The kernel's manager; ``None`` until the first notebook runs, which
        starts it.
    client : jupyter_client.KernelClient or None, optional
        The client talking to that kernel; ``None`` until it is started.
    exporter : nbconvert.HTMLExporter, optional
        The HTML exporter (by default :func:`html_exporter`).
    _playwright : object, optional
        Internal: Playwright's running instance, started with the first PDF.
    _browser : object, optional
        Internal: the headless Chromium, launched with the first PDF.
    _worker : concurrent.futures.ThreadPoolExecutor or None, optional
        Internal: the one thread that talks to the kernel.
    """

    kernel: Any = None
    client: Any = None
    exporter: HTMLExporter = field(default_factory=html_exporter)
    _playwright: Any = None
    _browser: Any = None
    _worker: ThreadPoolExecutor | None = None

    def _on_worker(self, fn: Callable[..., T], *args: Any) -> T:
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roadmap-kernel")
        return self._worker.submit(fn, *args).result()

    def execute(self, region_path: Path, lang: str | None, reference: str | None,
                today: str | None = None) -> nbformat.NotebookNode:
        """Run the roadmap notebook for one region on the batch's kernel (started by the first call).

        The work runs on the batch's own kernel thread, whatever thread calls.

        Parameters
        ----------
        region_path : Path
            The region's folder (the one holding ``region.toml``).
        lang : str or None
            The documents' language code; ``None`` means the region's language, else English.
        reference : str or None
            The id of the reference region to compare against; ``None`` means the notebook's default.
        today : str or None, optional
            The roadmap's date, ISO ``YYYY-MM-DD``; ``None`` means today.

        Returns
        -------
        nbformat.NotebookNode
            A copy of the roadmap notebook, its parameters set, with the outputs of its run.
        """
        return self._on_worker(self._execute, region_path, lang, reference, today)

    def _execute(self, region_path: Path, lang: str | None, reference: str | None,
                 today: str | None) -> nbformat.NotebookNode:
        region_path = Path(region_path).resolve()  # the kernel runs in the region's parent folder
        params = {"region_path": str(region_path), "lang": lang or "", "today": today or ""}
        if reference:
            params["reference"] = reference
        nb = parameterize_notebook(copy.deepcopy(notebook_template()), params)
        client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(region_path.parent)}}, km=self.kernel)
        if self.kernel is None:
            self.kernel = client.create_kernel_manager()
            client.start_new_kernel()
            self.client = client.start_new_kernel_client()
        else:
            client.kc = self.client
        client.execute(reset_kc=False, cleanup_kc=False)
        return nb

    def html(self, nb: nbformat.NotebookNode, title: str, lang: str | None = None) -> str:
        """The executed notebook as the roadmap's HTML document.

        Parameters
        ----------
        nb : nbformat.NotebookNode
            A notebook run by :meth:`execute`; its metadata gets the title.
        title : str
            The document's title.
        lang : str or None, optional
            The document's language code, set as ``<html lang>``; ``None`` means English.

        Returns
        -------
        str
            The whole HTML document, made by the batch's exporter.
        """
        nb.metadata["title"] = title
        self.exporter.language_code = lang or DEFAULT
        body, _ = self.exporter.from_notebook_node(nb)
        return body

    def pdf(self, html: str) -> bytes:
        """An HTML document printed to an A4 PDF by headless Chromium (launched by the first call).

        Parameters
        ----------
        html : str
            The whole HTML document, as :meth:`html` makes it.

        Returns
        -------
        bytes
            The PDF, with the page numbers in the footer.

        Raises
        ------
        ChromiumMissing
            When no Chromium is installed; the fix says how to install it.
        """
        if self._browser is None:
            executable = chromium_path()  # before Playwright starts: a clear error when it is missing
            from playwright.sync_api import sync_playwright
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=executable, headless=True,
                                                             args=CHROMIUM_ARGS)
        page = self._browser.new_page()
        try:
            page.set_content(html, wait_until="load")
            return page.pdf(format="A4", prefer_css_page_size=True, print_background=True, display_header_footer=True,
                            header_template="<span></span>",
                            footer_template=FOOTER,
                            margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
        finally:
            page.close()

    def close(self) -> None:
        """Stop what the batch started: the browser, the kernel and the kernel thread."""
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()
        if self.kernel is not None:
            self._on_worker(self._stop_kernel)
        if self._worker is not None:
            self._worker.shutdown()

    def _stop_kernel(self) -> None:
        self.client.stop_channels()
        run_sync(self.kernel.shutdown_kernel)(now=True)  # nbclient's manager is asynchronous


@contextmanager
def batch() -> Iterator[Batch]:
    """A :class:`Batch` for a ``with`` block, closed (kernel and browser stopped) at its end.

    Yields
    ------
    Batch
        A fresh batch; pass it as ``shared`` to :func:`render_roadmap` for
        each region to reuse one kernel and one browser.
    """
    b = Batch()
    try:
        yield b
    finally:
        b.close()


def kernels_for(jobs: int) -> int:
    """How many batches (kernels) to run side by side for ``jobs`` regions.

    Parameters
    ----------
    jobs : int
        The number of regions to render.

    Returns
    -------
    int
        The ``build_kernels`` setting, or when it is 0 the cores this process may use, at most 4; never more
        than ``jobs`` and at least 1.

    Examples
    --------
    >>> kernels_for(1)
    1
    """
    chosen = setting("build_kernels")
    if chosen <= 0:
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cores = os.cpu_count() or 1
        chosen = min(cores, 4)
    return max(1, min(chosen, jobs))


def render_each(jobs: Sequence[J], work: Callable[[J, Batch], None], kernels: int | None = None,
                done: Callable[[J], object] | None = None) -> None:
    """Run ``work(job, batch)`` for every job, on up to ``kernels`` batches side by side.

    Each batch (a kernel, and a browser once a PDF is printed) belongs to one
    thread from start to close, since Playwright's synchronous objects must
    stay on the thread that made them; the threads take the next job as they
    finish one. The roadmap notebook spends most of its time drawing figures
    in its kernel, a process of its own, so two kernels on two cores take
    about half the time of one.

    Parameters
    ----------
    jobs : sequence
        What to render, in the order to start them.
    work : callable
        Called as ``work(job, batch)``; it reports its own expected failures.
    kernels : int or None, optional
        How many batches; ``None`` asks :func:`kernels_for`.
    done : callable or None, optional
        Called with each job once its work returned (e.g. to advance a progress bar).

    Raises
    ------
    Exception
        The first exception ``work`` let through, once every thread has stopped (the others take no new
        job after it).

    Examples
    --------
    >>> seen = []
    >>> render_each([], lambda job, b: seen.append(job))
    >>> seen
    []
    """
    todo: queue.SimpleQueue[J] = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            with batch() as b:
                while not failures:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        return
                    work(job, b)
                    if done is not None:
                        done(job)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread below
            failures.append(exc)

    n = kernels_for(len(jobs)) if kernels is None else max(1, min(kernels, len(jobs)))
    if not jobs:
        return
    threads = [threading.Thread(target=worker, name=f"roadmap-batch-{k}", daemon=True) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]


def render_roadmap(region_path: Path, out: Path, formats: tuple[str, ...] = FORMATS, lang: str | None = None,
                   reference: str | None = None, shared: Batch | None = None,
                   today: str | None = None) -> dict[str, Path]:
    """Write a region's roadmap documents into ``out``; return the paths by format.

    Loading problems raise :class:`~workbench.errors.RegionInvalid` before
    anything is written. Files are named ``roadmap-<region id>.<format>`` and
    written atomically; HTML and PDF come from the executed roadmap notebook,
    DOCX and Markdown from :func:`~workbench.roadmap.document.build_roadmap`.

    Parameters
    ----------
    region_path : Path
        The region's folder (the one holding ``region.toml``).
    out : Path
        The output folder; created with its parents if needed.
    formats : tuple of str, optional
        Any of ``"html"``, ``"pdf"``, ``"docx"``, ``"md"``; by default all four.
    lang : str or None, optional
        The documents' language code; ``None`` (or an unsupported code) means
        the region's language, else English.
    reference : str or None, optional
        The id of the reference region to compare against; ``None`` means
        ``"de-hanover-haip"``.
    shared : Batch or None, optional
        A batch whose kernel and browser are reused (and left open); ``None``
        starts one for this call and stops it afterwards.
    today : str or None, optional
        The roadmap's date, ISO ``YYYY-MM-DD``; ``None`` means today.

    Returns
    -------
    dict of str to Path
        The path of each written file, by format, in the order html, pdf,
        docx, md (only the formats asked for).

    Raises
    ------
    RegionInvalid
        When the region's files do not load; nothing is written.
    UnknownFormat
        When ``formats`` names a format outside the four.
    ChromiumMissing
        When ``pdf`` is asked for and Chromium is not installed.
    OutputNotWritable
        When ``out`` cannot be created or written.
    """
    from ..data import load_region
    from .document import build_roadmap, document_language, texts
    from .docx import write_docx
    from .markdown import markdown

    region = load_region(region_path)  # validates first: nothing is written for a broken region
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise UnknownFormat(f"unknown format(s): {', '.join(sorted(unknown))}",
                            f"use a comma-separated list of {', '.join(FORMATS)}")
    if "pdf" in formats:
        chromium_path()  # missing Chromium is reported before anything is written
    output_dir(out)
    written: dict[str, Path] = {}
    stem = f"roadmap-{region.id}"
    with (batch() if shared is None else _borrow(shared)) as b:
        if "html" in formats or "pdf" in formats:
            nb = b.execute(region_path, lang, reference, today)
            language = document_language(region, lang)
            html = b.html(nb, f"{texts()[language]['title']} · {region.name}", language)
            if "html" in formats:
                atomic_write(out / f"{stem}.html", html.encode("utf-8"))
                written["html"] = out / f"{stem}.html"
            if "pdf" in formats:
                atomic_write(out / f"{stem}.pdf", b.pdf(html))
                written["pdf"] = out / f"{stem}.pdf"
        if "docx" in formats or "md" in formats:
            import datetime as dt
            rm = build_roadmap(region, lang, reference or "de-hanover-haip",
                               dt.date.fromisoformat(today) if today else None)
            if "docx" in formats:
                atomic_write(out / f"{stem}.docx", write_docx(rm))
                written["docx"] = out / f"{stem}.docx"
            if "md" in formats:
                atomic_write(out / f"{stem}.md", markdown(rm).encode("utf-8"))
                written["md"] = out / f"{stem}.md"
    return written


@contextmanager
def _borrow(b: Batch) -> Iterator[Batch]:
    yield b
