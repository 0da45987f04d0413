"""The workbench's settings, declared once, each with its default, its environment variable and its help.

Every setting a user or an administrator can change is a :class:`Setting` in
:data:`SETTINGS`; the command line's options take their defaults and help
text from here, and the dashboards' kernels read theirs through
:func:`value` (``workbench serve`` hands the server's settings to its kernels
as the environment variables named here). Nothing else in the package reads
these environment variables.

* ``data`` (``WORKBENCH_DATA``): the folder of region folders;
* ``port`` (``WORKBENCH_PORT``): the port of ``workbench serve`` on 127.0.0.1;
* ``pool_size`` (``WORKBENCH_POOL_SIZE``): preheated kernels per dashboard;
* ``cull_idle`` (``WORKBENCH_CULL_IDLE``): seconds before an idle kernel without a page is stopped;
* ``cull_interval`` (``WORKBENCH_CULL_INTERVAL``): seconds between two looks for idle kernels;
* ``read_only`` (``WORKBENCH_READ_ONLY``): refuse every edit in every dashboard;
* ``build_kernels`` (``WORKBENCH_BUILD_KERNELS``): notebook kernels rendering regions side by side in ``build``
  and ``publish``;
* ``cache`` (``WORKBENCH_CACHE``): the cache folder of validated regions and layouts, or ``off``;
* ``edit_regions`` (``WORKBENCH_EDIT_REGIONS``) and ``read_regions`` (``WORKBENCH_READ_REGIONS``): which
  regions the person using this server may edit and read (see :mod:`workbench.access`);
* ``access`` (``WORKBENCH_ACCESS``): the access file of ``workbench serve --access`` (accounts, tokens, rights).

Examples
--------
>>> SETTINGS["port"].default, SETTINGS["port"].env
(8866, 'WORKBENCH_PORT')
>>> value("pool_size", {"WORKBENCH_POOL_SIZE": "3"})
3
>>> value("read_only", {"WORKBENCH_READ_ONLY": "yes"}), value("read_only", {})
(True, False)
>>> value("cache", {"WORKBENCH_CACHE": "off"}) is None
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import WorkbenchError
from .paths import PARTNERS, find_workspace

__all__ = ["Setting", "SETTINGS", "value", "is_set", "environment", "data_dir"]

_TRUE = ("1", "true", "yes", "on")
_OFF = ("off", "0", "no", "false", "none")


def _flag(text: str) -> bool:
    return text.strip().lower() in _TRUE


def _cache(text: str) -> Path | None:
    return None if text.strip().lower() in _OFF else Path(text)


def _ids(text: str) -> frozenset[str] | None:
    """``*`` (every region: ``None``) or a comma-separated list of region ids."""
    items = frozenset(x.strip() for x in text.split(",") if x.strip())
    return None if "*" in items else items


def _default_cache() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("workbench", appauthor=False))


def _default_data() -> Path:
    workspace = find_workspace()
    return (workspace if workspace is not None else Path.cwd()) / PARTNERS


@dataclass(frozen=True)
class Setting:
    """One setting: its default (a value, or a function that computes it), environment variable and help.

    Parameters
    ----------
    name : str
        The setting's name, its key in :data:`SETTINGS` (``"pool_size"``).
    default : Any
        The value when the environment variable is unset or empty; a callable
        is called (with no argument) each time the default is needed.
    env : str
        The environment variable that sets it (``"WORKBENCH_POOL_SIZE"``).
    help : str
        One or two sentences for ``--help`` and for error messages.
    parse : callable
        Turns the variable's text into the value; it raises ``ValueError`` on
        a text it does not accept. ``str`` by default.
    """

    name: str
    default: Any
    env: str
    help: str
    parse: Callable[[str], Any] = str

    def default_value(self) -> Any:
        """The setting's default now: the value, or what the default function returns.

        Returns
        -------
        Any
            The default, computed afresh when it is a function (the data folder
            depends on the folder the command runs in).
        """
        return self.default() if callable(self.default) else self.default


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("data", _default_data, "WORKBENCH_DATA",
            "Folder of region folders (default: data/partners of the workspace the command runs in).", Path),
    Setting("port", 8866, "WORKBENCH_PORT", "Port of the dashboards on 127.0.0.1.", int),
    Setting("pool_size", 1, "WORKBENCH_POOL_SIZE",
            "Preheated kernels kept ready per dashboard (0: start a kernel at each visit).", int),
    Setting("cull_idle", 900, "WORKBENCH_CULL_IDLE",
            "Seconds after which a kernel whose page has gone is shut down.", int),
    Setting("cull_interval", 60, "WORKBENCH_CULL_INTERVAL", "Seconds between two looks for idle kernels.", int),
    Setting("read_only", False, "WORKBENCH_READ_ONLY",
            "Refuse every edit in every dashboard (e.g. for reviewers).", _flag),
    Setting("build_kernels", 0, "WORKBENCH_BUILD_KERNELS",
            "Notebook kernels that render regions side by side in `build` and `publish` (0: one per core, "
            "at most 4; each takes about 250 MiB).", int),
    Setting("cache", _default_cache, "WORKBENCH_CACHE",
            "Folder of the on-disk cache of validated regions and layouts, or 'off'.", _cache),
    Setting("edit_regions", None, "WORKBENCH_EDIT_REGIONS",
            "Comma-separated ids of the regions this server's user may edit ('*': every region; "
            "unset: every region, as on a laptop). Set per user by the JupyterHub deployment.", _ids),
    Setting("read_regions", None, "WORKBENCH_READ_REGIONS",
            "Comma-separated ids of further regions the user may read ('*': every region).", _ids),
    Setting("access", None, "WORKBENCH_ACCESS",
            "Access file (TOML) of accounts, their tokens and the regions each edits and reads; visitors "
            "without a valid token see nothing (unset: everybody edits every region, as on a laptop).", Path),
)}


def value(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """The setting's value: its environment variable if set and not empty, else its default.

    Parameters
    ----------
    name : str
        A key of :data:`SETTINGS`.
    environ : mapping of str to str or None
        The environment to read; ``None`` means this process's.

    Returns
    -------
    Any
        The parsed value (an ``int`` for ports, sizes and seconds, a ``bool``
        for flags, a ``Path`` or ``None`` for the cache, a frozenset of
        region ids or ``None`` for the rights).

    Raises
    ------
    WorkbenchError
        When the variable is set to a text its setting does not accept; the
        fix says to correct or unset it.
    """
    setting = SETTINGS[name]
    env = os.environ if environ is None else environ
    raw = env.get(setting.env, "").strip()
    if not raw:
        return setting.default_value()
    try:
        return setting.parse(raw)
    except ValueError:
        raise WorkbenchError(f"{setting.env}={raw!r} is not a valid value: {setting.help}",
                             f"fix or unset {setting.env}") from None


def is_set(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the setting's environment variable is set and not empty (else its default applies).

    Parameters
    ----------
    name : str
        A key of :data:`SETTINGS`.
    environ : mapping of str to str or None
        The environment to read; ``None`` means this process's.

    Returns
    -------
    bool
        ``True`` when the variable holds more than blanks.

    Examples
    --------
    >>> is_set("port", {"WORKBENCH_PORT": "9000"}), is_set("port", {"WORKBENCH_PORT": " "})
    (True, False)
    """
    env = os.environ if environ is None else environ
    return bool(env.get(SETTINGS[name].env, "").strip())


def environment(**values: Any) -> dict[str, str]:
    """Environment variables that hand ``values`` (by setting name) to another process (a dashboard kernel).

    Parameters
    ----------
    **values : Any
        Setting names mapped to values: ``True``/``False`` for flags, ``None``
        for the cache turned off (for another setting: unset), anything
        else written with :func:`str`.

    Returns
    -------
    dict of str to str
        Each setting's environment variable mapped to its text.
    """
    out = {}
    for name, v in values.items():
        setting = SETTINGS[name]
        if isinstance(v, bool):
            out[setting.env] = "1" if v else ""
        elif v is None:
            out[setting.env] = "off" if name == "cache" else ""
        else:
            out[setting.env] = str(v)
    return out


def data_dir() -> Path:
    """The folder of region folders: ``$WORKBENCH_DATA``, else the workspace's ``data/partners``.

    The workspace is the current folder or the nearest folder above it that
    has ``data/partners`` (:func:`workbench.paths.find_workspace`). Outside
    any workspace this is ``./data/partners`` of the current folder, which
    commands that create a region make; commands that read say there is no
    workspace.

    Returns
    -------
    pathlib.Path
        The folder of region folders (it need not exist yet).
    """
    return Path(value("data"))
