"""``workbench serve``: the dashboards in ``notebooks/`` with Voilà, on 127.0.0.1.

What the server is allowed to do is declared once, in :func:`voila_config`:

* it listens on 127.0.0.1 only (a reverse proxy adds TLS and authentication
  when the dashboards are shared, see the README);
* it serves the three dashboards (:data:`~.common.DASHBOARDS`) and nothing
  else: Voilà is given a folder holding copies of them alone (see
  :func:`dashboards_folder`), so another notebook in ``notebooks/``, such as
  the analysts' ``explore.ipynb``, is neither rendered, listed nor preheated;
  sources are stripped and tracebacks hidden (Voilà's defaults, set
  explicitly), the kernel websocket accepts only widget messages, and
  ``file_allowlist`` is empty, so ``/voila/files/…`` serves no file at all;
* each dashboard keeps a pool of preheated kernels (``--pool-size``, 1 by
  default) that have imported everything and loaded the data before anyone
  asks; the notebooks call :func:`~.common.wait_for_request` (Voilà's exchange) before they
  read the query string;
* idle kernels whose page is gone are culled;
* the pages load nothing from the Internet: the ``workbench`` template
  (``templates/voila/templates/workbench``) drops the Font Awesome and
  Mermaid links of Voilà's ``lab`` template, and MathJax is not used;
* the data folder and the read-only switch reach the kernels as the
  environment variables ``WORKBENCH_DATA`` and ``WORKBENCH_READ_ONLY``.
* with ``--access FILE`` (:func:`access_config`) only the file's accounts get
  in, each known by its token, and each page's kernel is told the account
  and applies its rights (:mod:`workbench.access`); without it, as before.

The landing page (``/``) lists the dashboards with one line each, in the
language asked for (``?lang=``) or the browser's, and links every region; it
replaces Voilà's file tree.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import access, i18n
from ..config import SETTINGS, data_dir, environment, is_set
from ..errors import NoWorkspace, PortInUse
from ..paths import notebooks_dir, templates_dir
from .common import DASHBOARDS, list_regions, read_only, texts

if TYPE_CHECKING:
    from voila.app import Voila

#: The Voilà template of the dashboards, under ``templates/voila/templates/``.
TEMPLATE = "workbench"
DEFAULT_PORT: int = SETTINGS["port"].default
#: Seconds an idle kernel without a page may live.
CULL_IDLE_TIMEOUT: int = SETTINGS["cull_idle"].default
CULL_INTERVAL: int = SETTINGS["cull_interval"].default


@dataclass(frozen=True)
class ServeOptions:
    """What ``workbench serve`` was asked for.

    Parameters
    ----------
    data : pathlib.Path
        The folder of region folders the dashboards read and write (a workspace's ``data/partners``).
    port : int, optional
        The TCP port on 127.0.0.1 (1–65535).
    read_only : bool, optional
        Serve every region read-only: the dashboards show data but save nothing.
    pool_size : int, optional
        Preheated kernels kept ready per dashboard; 0 starts a kernel when a page is asked for.
    cull_idle_timeout : int, optional
        Seconds an idle kernel whose page is gone may live before it is stopped.
    base_url : str, optional
        The path the server is reached under behind a reverse proxy, starting and ending with ``/``.
    access : pathlib.Path or None, optional
        An access file of accounts, tokens and rights (:mod:`workbench.access`); ``None`` lets
        everybody who can open the page read and edit every region.

    Examples
    --------
    >>> from pathlib import Path
    >>> opts = ServeOptions(Path("data/partners"), port=9000)
    >>> opts.port, opts.read_only, opts.access is None
    (9000, False, True)
    """

    data: Path
    port: int = DEFAULT_PORT
    read_only: bool = False
    pool_size: int = SETTINGS["pool_size"].default
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT
    base_url: str = "/"
    access: Path | None = None


def voila_config(opts: ServeOptions) -> Any:
    """The Voilà configuration of the dashboards (a traitlets ``Config``).

    Parameters
    ----------
    opts : ServeOptions
        What ``workbench serve`` was asked for.

    Returns
    -------
    traitlets.config.Config
        Voilà's, the kernel manager's and (with ``opts.access``) the identity provider's settings:
        127.0.0.1 only, sources stripped, no file served, widget messages only, pools and culling.

    Examples
    --------
    >>> from pathlib import Path
    >>> c = voila_config(ServeOptions(Path("data/partners"), port=9000, pool_size=2))
    >>> c.Voila.ip, c.Voila.port, c.VoilaConfiguration.default_pool_size, c.VoilaConfiguration.file_allowlist
    ('127.0.0.1', 9000, 2, [])
    """
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = "127.0.0.1"
    c.Voila.port = opts.port
    c.Voila.port_retries = 0  # the port asked for, or a clear error
    c.Voila.open_browser = False
    c.Voila.base_url = opts.base_url
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.file_allowlist = []
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.preheat_kernel = opts.pool_size > 0
    c.VoilaConfiguration.default_pool_size = opts.pool_size
    # With preheating on, Voilà never starts a kernel for a request: a visitor who finds the pool
    # empty is given the refill kernel, and waits for this delay, its start and its prepare() (kept
    # short: the slow warm-ups run in a background thread). A refill started at once slows the page
    # of the visitor who took the preheated kernel (median 2.3 s instead of 1.7 s in Chromium on a
    # two-core machine); 2 s later it mostly does not, and a visitor of a burst waits those 2 s more.
    c.VoilaKernelManager.fill_delay = 2
    # Under load (20 kernels starting on two cores) a cell's output can come later than nbclient's
    # default 4 s after the cell ends; past that the output was dropped and the page never appeared.
    c.VoilaExecutor.iopub_timeout = 60
    c.KernelManager.transport = "ipc"  # kernels talk over Unix sockets, not TCP ports on 127.0.0.1
    c.MappingKernelManager.cull_interval = CULL_INTERVAL
    c.MappingKernelManager.cull_idle_timeout = opts.cull_idle_timeout
    c.MappingKernelManager.cull_connected = False
    if opts.access is not None:
        access_config(c)
    return c


def kernel_environment(opts: ServeOptions) -> dict[str, str]:
    """Environment variables the server sets for itself and its kernels.

    Parameters
    ----------
    opts : ServeOptions
        What ``workbench serve`` was asked for.

    Returns
    -------
    dict of str to str
        The workbench's settings as ``WORKBENCH_*`` variables (data folder, read-only switch,
        access file) and ``JUPYTER_PATH`` (:func:`jupyter_path`).

    Examples
    --------
    >>> from pathlib import Path
    >>> env = kernel_environment(ServeOptions(Path("/srv/partners"), read_only=True))
    >>> env["WORKBENCH_DATA"], "JUPYTER_PATH" in env
    ('/srv/partners', True)
    """
    return {**environment(data=opts.data, read_only=opts.read_only, access=opts.access),
            "JUPYTER_PATH": jupyter_path()}


def jupyter_path() -> str:
    """``JUPYTER_PATH`` with the workbench's templates first: Voilà looks in ``<path>/voila/templates/``.

    Returns
    -------
    str
        The installed package's templates folder, then the ``JUPYTER_PATH`` already set (if any),
        joined with the system's path separator.
    """
    return os.pathsep.join(p for p in (str(templates_dir()), os.environ.get("JUPYTER_PATH", "")) if p)


def preferred_language(accept_language: str | None) -> str:
    """The language the browser prefers (``Accept-Language``) among the workbench's, else English.

    Tags are taken in the browser's order of preference (``q`` weights, first
    one first when equal); ``bg-BG`` counts as ``bg``.

    Parameters
    ----------
    accept_language : str or None
        The request's ``Accept-Language`` header; ``None`` when the browser sent none.

    Returns
    -------
    str
        The first supported language in the browser's order, else :data:`workbench.i18n.DEFAULT`.

    Examples
    --------
    >>> preferred_language("fr-BE,fr;q=0.9,en;q=0.8"), preferred_language("nl;q=0.9,de;q=0.5")
    ('fr', 'de')
    >>> preferred_language("ja,el;q=0.3,en;q=0.7"), preferred_language("tlh"), preferred_language(None)
    ('en', 'en', 'en')
    """
    ranked = []
    for n, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-weight, n, tag.strip().lower().split("-")[0]))
    for _, _, code in sorted(ranked):
        if code in i18n.LANGUAGES:
            return code
    return i18n.DEFAULT


def landing_context(base_url: str, lang: str | None, accept_language: str | None) -> dict[str, Any]:
    """What the landing page shows: the dashboards, a line on each, the regions to open.

    The regions listed are those the visitor may read (:mod:`workbench.access`), read from the
    data folder of the settings.

    Parameters
    ----------
    base_url : str
        The server's base path, ending with ``/``; every link starts with it.
    lang : str or None
        The ``?lang=`` of the request: a supported code is used and kept in every link; ``None``
        or an unknown code falls back to the browser's language.
    accept_language : str or None
        The request's ``Accept-Language`` header, or ``None``.

    Returns
    -------
    dict
        The template's context: ``t`` (the page's words), ``lang``, ``base_url``, ``dashboards``
        (each with ``name``, ``title``, ``audience``, ``description``, ``url`` and ``regions``,
        a ``label`` and ``url`` per region; the conference dashboard lists none), ``read_only``,
        ``n_regions`` and ``languages`` (code, own name and link of each language).
    """
    explicit = lang is not None and lang in i18n.LANGUAGES
    lang = i18n.supported(lang) if explicit else preferred_language(accept_language)
    t = texts(lang)
    regions = list_regions()
    keep = {"lang": lang} if explicit else {}
    dashboards = []
    for name in DASHBOARDS:
        if not (notebooks_dir() / f"{name}.ipynb").is_file():
            continue
        url = f"{base_url}voila/render/{name}.ipynb"
        per_region = name != "conference"
        dashboards.append({
            "name": name, "title": t[f"title_{name}"], "audience": t[f"for_{name}"],
            "description": t[f"desc_{name}"],
            "url": url + ("?" + urllib.parse.urlencode(keep) if keep else ""),
            "regions": [{"label": r.label, "url": url + "?" + urllib.parse.urlencode({"region": r.id, **keep})}
                        for r in regions] if per_region else [],
        })
    return {"t": t, "lang": lang, "base_url": base_url, "dashboards": dashboards, "read_only": read_only(),
            "n_regions": len(regions),
            "languages": [(code, name, f"{base_url}?lang={code}") for code, name in i18n.LANGUAGES.items()]}


def _app_class() -> type[Voila]:
    """Voilà's app with the landing page in place of its file tree (built on demand: Voilà is heavy)."""
    from ..imports import skip_rfc3987_syntax

    skip_rfc3987_syntax()  # Jupyter's server imports jsonschema: 1.9 s less to start (workbench.imports)
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web
    from voila.app import Voila
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    class LandingHandler(JupyterHandler):
        @web.authenticated
        def get(self) -> None:
            lang = self.get_argument("lang", None)
            with access.visiting(self.current_user.username if is_set("access") else None):  # its regions only
                ctx = landing_context(self.base_url, lang, self.request.headers.get("Accept-Language"))
            template = self.settings["voila_jinja2_env"].get_template("landing.html")
            self.set_header("Cache-Control", "no-cache")
            self.write(template.render(**ctx))

    class TreeRedirect(web.RequestHandler):
        def get(self, *_: Any) -> None:
            self.redirect(self.settings.get("base_url", "/"))

    class ShutdownOnLeave(VoilaShutdownKernelHandler):
        """Voilà's "the page is gone, shut its kernel down" beacon, which carries no XSRF token.

        Voilà's own handler refuses it (voila-dashboards/voila#1458), so every
        closed tab would leave its kernel running until culled. Skipping the
        XSRF check here is safe: the request only names a kernel by its random
        id, which another site cannot know.
        """

        def check_xsrf_cookie(self) -> None:
            return None

    class WorkbenchVoila(Voila):
        """Voilà serving the dashboards: the landing page replaces the file tree."""

        def init_handlers(self) -> list[Any]:
            handlers = []
            for h in super().init_handlers():
                if h[1] is TornadoVoilaTreeHandler:
                    continue
                if h[1] is VoilaShutdownKernelHandler:
                    h = (h[0], ShutdownOnLeave, *h[2:])
                handlers.append(h)
            return [(self.server_url, LandingHandler),
                    (url_path_join(self.server_url, r"/voila/tree(.*)"), TreeRedirect), *handlers]

        def stop(self) -> None:
            # Shut the kernels down rather than leave them to notice that their parent is gone.
            try:
                self.ioloop.run_sync(lambda: self.kernel_manager.shutdown_all(now=True), timeout=15)
            except Exception as exc:  # noqa: BLE001 - stopping must go on
                self.log.warning("could not shut every kernel down: %s", exc)
            super().stop()

    return WorkbenchVoila


def dashboards_folder(folder: Path) -> Path:
    """Copy the dashboards of ``notebooks/``, and nothing else, into ``folder``; return it.

    Voilà renders (``/voila/render/…``), lists (``/voila/api/contents``) and
    keeps preheated kernels for every notebook under the folder it serves.
    ``notebooks/`` also holds notebooks that are not dashboards
    (``explore.ipynb``, which analysts open in Jupyter); serving a folder that
    holds only :data:`~.common.DASHBOARDS` keeps them out of all three at once.

    Parameters
    ----------
    folder : pathlib.Path
        An existing folder to serve (a temporary one under ``workbench serve``); dashboards
        already there are overwritten.

    Returns
    -------
    pathlib.Path
        ``folder`` itself.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     sorted(p.name for p in dashboards_folder(Path(tmp)).iterdir())
    ['conference.ipynb', 'roadmap.ipynb', 'workshop.ipynb']
    """
    for name in DASHBOARDS:
        source = notebooks_dir() / f"{name}.ipynb"
        if source.is_file():
            shutil.copyfile(source, folder / source.name)
    return folder


def serve(opts: ServeOptions) -> None:
    """Run the dashboards' server until interrupted (Ctrl-C or SIGTERM).

    Parameters
    ----------
    opts : ServeOptions
        What ``workbench serve`` was asked for.

    Raises
    ------
    NoWorkspace
        When ``opts.data`` is not a folder.
    PortInUse
        When ``opts.port`` cannot be listened on.
    """
    if not opts.data.is_dir():
        raise NoWorkspace(f"{opts.data} is not a folder of region folders",
                          "give a folder of region folders with --data, or run 'workbench init DIR'")
    check_port(opts.port)
    os.environ.update(kernel_environment(opts))
    app = _app_class()
    # Removed when the server stops (SIGTERM and Ctrl-C end Voilà's loop and return here).
    with tempfile.TemporaryDirectory(prefix="workbench-dashboards-") as folder:
        app.launch_instance(argv=[str(dashboards_folder(Path(folder)))], config=voila_config(opts))


def check_port(port: int, host: str = "127.0.0.1") -> None:
    """Raise :class:`~workbench.errors.PortInUse` if ``port`` cannot be listened on.

    The port is bound for a moment and let go, as the server will bind it (a port in
    ``TIME_WAIT`` counts as free).

    Parameters
    ----------
    port : int
        The TCP port, 1–65535.
    host : str, optional
        The address to listen on.

    Raises
    ------
    PortInUse
        When another program holds the port (or it cannot be bound); the fix names the next port.
    """
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado does: TIME_WAIT is no obstacle
        try:
            sock.bind((host, port))
        except OSError:
            raise PortInUse(f"port {port} on {host} is in use by another program",
                            f"stop that program, or choose another port: workbench serve --port {port + 1}") from None


def default_options(data: Path | None = None, **kwargs: Any) -> ServeOptions:
    """The options of ``workbench serve``, with the data folder resolved to an absolute path.

    Parameters
    ----------
    data : pathlib.Path or None, optional
        The folder of region folders; ``None`` takes the settings' (:func:`workbench.config.data_dir`:
        ``WORKBENCH_DATA``, else the workspace the command runs in).
    **kwargs : Any
        The other fields of :class:`ServeOptions` (``port``, ``read_only``, ``pool_size``...).

    Returns
    -------
    ServeOptions
        The options, ``data`` absolute (the kernels run in another folder).

    Examples
    --------
    >>> default_options(Path("partners"), port=9000).data.is_absolute()
    True
    """
    return ServeOptions(data=(data or data_dir()).resolve(), **kwargs)


def access_config(c: Any) -> None:
    """Add ``workbench serve --access FILE`` to the Voilà configuration ``c``.

    Who the visitor is, is Jupyter Server's business: its identity provider
    reads a token from ``?token=`` (or the ``Authorization`` header, or the
    login page's password field) and then remembers the visitor with a signed
    cookie. :func:`identity_provider_class` only looks the token up in the
    access file instead of comparing it with the server's one token, and puts
    the account's name in the request's :data:`~workbench.access.ACCOUNT_HEADER`
    (overwriting whatever the browser sent), which Voilà hands to the page's
    kernel; the kernel reads the account's rights from the file
    (:func:`workbench.access.current`). A visitor without a valid token is sent
    to the login page by every handler.

    Parameters
    ----------
    c : traitlets.config.Config
        The configuration to change in place, as :func:`voila_config` builds it.

    Examples
    --------
    >>> from traitlets.config import Config
    >>> c = Config()
    >>> access_config(c)
    >>> c.VoilaConfiguration.http_header_envs == [access.ACCOUNT_HEADER]
    True
    """
    c.Voila.identity_provider_class = identity_provider_class()
    c.VoilaConfiguration.http_header_envs = [access.ACCOUNT_HEADER]


def identity_provider_class() -> type[Any]:
    """Jupyter Server's identity provider, with the access file's accounts and tokens (built on demand).

    Returns
    -------
    type
        A subclass of ``jupyter_server.auth.identity.IdentityProvider`` that knows a visitor by
        an account's token from the access file (read again on every look-up, so a removed
        account is out at once) and hands the account's name to the page's kernel.
    """
    from jupyter_server.auth.identity import IdentityProvider, User
    from tornado import web

    def accounts() -> dict[str, access.Account]:
        from ..config import value

        return access.read_access(value("access"))

    class AccessFileIdentityProvider(IdentityProvider):
        """The accounts of the access file; a visitor is an account, known by its token."""

        @property
        def auth_enabled(self) -> bool:
            return True

        async def get_user(self, handler: web.RequestHandler) -> User | None:
            user = await self._get_user(handler)
            headers = handler.request.headers
            if access.ACCOUNT_HEADER in headers:
                del headers[access.ACCOUNT_HEADER]  # never the browser's word
            if user is not None:
                headers[access.ACCOUNT_HEADER] = user.username
            return user

        async def get_user_token(self, handler: web.RequestHandler) -> User | None:
            found = access.account_for_token(accounts(), self.get_token(handler) or "")
            return User(username=found.name) if found is not None else None

        def user_from_cookie(self, cookie_value: str) -> User | None:
            user = super().user_from_cookie(cookie_value)
            return user if user is not None and user.username in accounts() else None  # removed from the file

        def process_login_form(self, handler: web.RequestHandler) -> User | None:
            found = access.account_for_token(accounts(), handler.get_argument("password", default=""))
            return User(username=found.name) if found is not None else None

    return AccessFileIdentityProvider
