"""An on-disk cache for slow work that depends only on its inputs.

Two things are cached: validated regions (keyed by the bytes of their files)
and network layouts (keyed by the graph). A dashboard kernel started for a
visitor then reads a region and its map's positions in milliseconds instead of
validating the files and solving a Kamada–Kawai layout again; ``workbench
build`` and the preheated kernels fill the cache.

Every key also holds a fingerprint of the package's own code and resource
files, so an upgraded or edited workbench never reads what an older one
stored. The cache is `diskcache <https://grantjenks.com/docs/diskcache/>`_
(SQLite, safe across processes) in ``$WORKBENCH_CACHE``, or the user's cache
folder (``~/.cache/workbench`` on Linux); ``WORKBENCH_CACHE=off`` turns it
off. It never stands in the way: when the folder cannot be used, or an entry
cannot be read, the work is simply done again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from .config import SETTINGS

#: Environment variable: the cache folder, or ``off`` (the ``cache`` setting of :mod:`workbench.config`).
ENV = SETTINGS["cache"].env

#: The cache keeps at most this many bytes, dropping the oldest entries first.
SIZE_LIMIT = 256 * 2**20

_MISSING = object()


def folder() -> Path | None:
    """The cache folder (the ``cache`` setting), or ``None`` when ``$WORKBENCH_CACHE`` is ``off``.

    Returns
    -------
    pathlib.Path or None
        The folder the cache lives in; ``None`` when the cache is turned off.
    """
    from .config import value

    where: Path | None = value("cache")
    return where


@cache
def _store(where: Path | None) -> Any:
    if where is None:
        return None
    try:
        import diskcache

        return diskcache.Cache(str(where), size_limit=SIZE_LIMIT,
                               eviction_policy="least-recently-stored", timeout=5)
    except Exception:  # noqa: BLE001 - an unusable cache folder only costs speed
        return None


@cache
def fingerprint() -> str:
    """A digest of the package's source and resource files (names and bytes)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(kind: str, *parts: bytes | str) -> str:
    """A cache key for ``kind`` of work on ``parts`` (and this version of the code).

    Parameters
    ----------
    kind : str
        The kind of work (``"region"``, ``"layout"``); it starts the key, so
        kinds never collide.
    *parts : bytes or str
        Everything the work depends on (file bytes, a graph's edge list), in
        a fixed order.

    Returns
    -------
    str
        ``"<kind>:<40 hex digits>"``, a digest of the code's fingerprint,
        ``kind`` and ``parts``.

    Examples
    --------
    >>> key("x", b"a") == key("x", b"a") != key("x", b"b")
    True
    """
    digest = hashlib.blake2b(digest_size=20)
    for part in (fingerprint(), kind, *parts):
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return f"{kind}:{digest.hexdigest()}"


def get(name: str) -> Any:
    """The value stored under ``name``, or ``None``.

    Parameters
    ----------
    name : str
        A key made by :func:`key`.

    Returns
    -------
    Any
        The value stored under ``name``; ``None`` when there is none, the
        cache is off or unusable, or the entry cannot be read.
    """
    store = _store(folder())
    if store is None:
        return None
    try:
        value = store.get(name, _MISSING)
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss
        return None
    return None if value is _MISSING else value


def put(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` (quietly does nothing when the cache is unusable).

    Parameters
    ----------
    name : str
        A key made by :func:`key`.
    value : Any
        Any picklable value.
    """
    store = _store(folder())
    if store is None:
        return
    try:
        store.set(name, value)
    except Exception:  # noqa: BLE001 - a full disk or a read-only folder only costs speed
        pass
