"""Files: one atomic write for every file the workbench produces, one reader for its own data files.

A file is written to a temporary file beside it, flushed to disk and renamed
over the old one, so that a crash or a full disk leaves the old file or the
new one, never half of one. New files get the usual mode 0644 (``mkstemp``
would leave them private); a replaced file keeps its mode. A folder that
cannot be created or written is reported as
:class:`~workbench.errors.OutputNotWritable`, with the path and a fix.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from .errors import OutputNotWritable

__all__ = ["atomic_write", "atomic_stream", "output_dir", "fsync_dir", "read_resource"]


def output_dir(folder: Path) -> Path:
    """Create ``folder`` (and its parents) if needed; raise :class:`OutputNotWritable` if it cannot be written.

    Parameters
    ----------
    folder : pathlib.Path
        The output folder.

    Returns
    -------
    pathlib.Path
        ``folder`` itself, now existing and writable.

    Raises
    ------
    OutputNotWritable
        When a file of that name is in the way, the folder cannot be
        created, or it may not be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     output_dir(pathlib.Path(tmp) / "a" / "b").is_dir()
    True
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputNotWritable(f"cannot write into {folder}: a file of that name is in the way",
                                "choose another output folder") from None
    except OSError as exc:
        raise OutputNotWritable(f"cannot create the folder {folder}: {exc.strerror}",
                                "choose a folder you may write to (--out)") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputNotWritable(f"cannot write into {folder}: permission denied",
                                "choose a folder you may write to (--out)")
    return folder


@contextmanager
def atomic_stream(path: Path) -> Iterator[IO[bytes]]:
    """A binary stream whose content replaces ``path`` in one step when the block ends without error.

    Parameters
    ----------
    path : pathlib.Path
        The file to replace or create; its folder must exist.

    Yields
    ------
    IO of bytes
        A stream to a temporary file beside ``path``; if the block raises,
        the temporary file is removed and ``path`` is left as it was.

    Raises
    ------
    OutputNotWritable
        When the folder does not exist or may not be written.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        raise OutputNotWritable(f"cannot write {path}: the folder {path.parent} does not exist",
                                "create it first, or choose an existing output folder") from None
    except OSError as exc:
        raise OutputNotWritable(f"cannot write {path}: {exc.strerror}",
                                "choose a folder you may write to (--out)") from None
    try:
        # mkstemp makes the file private; keep the old file's mode, or the usual 0644.
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (temporary file, fsync, rename).

    Parameters
    ----------
    path : pathlib.Path
        The file to replace or create; its folder must exist.
    data : bytes
        The whole new content.

    Raises
    ------
    OutputNotWritable
        When the folder does not exist or may not be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "x.txt"
    ...     atomic_write(p, b"hello")
    ...     p.read_bytes(), oct(p.stat().st_mode & 0o777)
    (b'hello', '0o644')
    """
    with atomic_stream(path) as fh:
        fh.write(data)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk.

    Parameters
    ----------
    folder : pathlib.Path
        The folder whose entries to flush.
    """
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@cache
def read_resource(name: str) -> dict[str, Any]:
    """A TOML data file of the package's ``resources/`` folder, read once per process.

    The result is shared: callers must not change it.

    Parameters
    ----------
    name : str
        The file name in ``workbench/resources/`` (``"maturity.toml"``).

    Returns
    -------
    dict of str to Any
        The parsed TOML document.

    Examples
    --------
    >>> sorted(read_resource("maturity.toml"))[:2] == sorted(read_resource("maturity.toml"))[:2]
    True
    """
    with resources.files("workbench.resources").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)
