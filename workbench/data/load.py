"""Loading a region folder (or the tables of a workbook) into a :class:`Region`.

Loading never writes anything and never lets a traceback reach the user for
bad data: every problem is collected and raised at once as
:class:`~workbench.errors.RegionInvalid`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InvalidRegionId, Problem, RegionInvalid, said
from .model import REQUIRED_TABLES, TABLES, Region
from .schema import REGION_ID_RE, SOURCE_DIGEST, build_region, check_info
from .tables import RawTable, parse_csv

#: A save's journal (see :mod:`workbench.data.store`) and the files it may hold.
JOURNAL_NAME = ".workbench.journal"
JOURNAL_FILES = frozenset({"region.toml", *(f"{t}.csv" for t in TABLES)})
_REGION_ID = re.compile(REGION_ID_RE)


def check_region_id(region_id: str) -> str:
    """Return ``region_id`` if it is a safe region id, else raise InvalidRegionId.

    A safe id is 2–40 lower-case letters, digits or ``-`` (``be-hainaut``): it names the region's
    folder, so it can never climb out of the data folder or clash on a case-blind disk.

    Parameters
    ----------
    region_id : str
        The id to check, as a user typed it or a URL carried it.

    Returns
    -------
    str
        ``region_id`` unchanged.

    Raises
    ------
    InvalidRegionId
        When it is not a safe id (or not a string).

    Examples
    --------
    >>> check_region_id("be-hainaut")
    'be-hainaut'
    >>> check_region_id("../etc")
    Traceback (most recent call last):
    ...
    workbench.errors.InvalidRegionId: '../etc' is not a region id: use 2-40 lower-case letters, digits or '-'
    """
    if not isinstance(region_id, str) or not _REGION_ID.fullmatch(region_id):
        raise InvalidRegionId(
            f"{region_id!r} is not a region id: use 2-40 lower-case letters, digits or '-'")
    return region_id


def read_folder(folder: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of a region folder's files, refusing symbolic links.

    Only the files of the data contract are read (``region.toml`` and the tables' ``.csv``);
    a save that was committed but not finished (its journal) wins over the files on disk.

    Parameters
    ----------
    folder : pathlib.Path
        A region folder.

    Returns
    -------
    files : dict of str to bytes
        File name mapped to its bytes.
    problems : list of Problem
        A missing folder, or each symbolic link found (their targets are not read).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = pathlib.Path(tmp)
    ...     _ = (folder / "region.toml").write_bytes(b'id = "xx-a"')
    ...     _ = (folder / "notes.txt").write_bytes(b"not read")
    ...     read_folder(folder)
    ({'region.toml': b'id = "xx-a"'}, [])
    """
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    if not folder.is_dir():
        return files, [Problem.of(str(folder), None, None, said("problems.no_folder", "problems.fix.no_folder"))]
    for entry in sorted(folder.iterdir()):
        st = entry.lstat()
        if stat.S_ISLNK(st.st_mode):
            problems.append(Problem.of(str(entry), None, None, said("problems.symlink", "problems.fix.symlink")))
            continue
        if entry.name in JOURNAL_FILES and stat.S_ISREG(st.st_mode):
            files[entry.name] = entry.read_bytes()
    files.update(_journal(folder))
    return files, problems


def _journal(folder: Path) -> dict[str, bytes]:
    """The files of a save that was committed but not finished (a writer was killed).

    They are the region as saved; the next save finishes writing them.
    """
    path = folder / JOURNAL_NAME
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        files = json.loads(path.read_bytes().decode("utf-8"))["files"]
        return {name: text.encode("utf-8") for name, text in files.items() if name in JOURNAL_FILES}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


#: Regions whose files hold more bytes than this are never cached.
CACHE_MAX_BYTES = 4 * 2**20


def load_region(path: str | Path, *, cache: bool = False) -> Region:
    """Load and validate a region folder or ``.xlsx`` workbook.

    Parameters
    ----------
    path : str or pathlib.Path
        A region folder, named by the region's id (``data/partners/be-hainaut``), or a workbook
        whose name ends in ``.xlsx``.
    cache : bool, optional
        Take a folder whose files have exactly the bytes of an earlier valid load from
        :mod:`workbench.cache` instead of checking it again (the dashboards do this; the command
        line checks every time). Folders over :data:`CACHE_MAX_BYTES` are never cached.

    Returns
    -------
    Region
        The region, every table checked against the data contract.

    Raises
    ------
    RegionInvalid
        With every problem found, each naming file, row and column.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from .workbook import read_workbook
        return read_workbook(path)
    try:
        check_region_id(path.name)
    except InvalidRegionId:
        raise RegionInvalid([Problem.of(str(path), None, None, said("problems.folder_name",
                                                                    "problems.fix.folder_name",
                                                                    value=path.name))]) from None
    files, problems = read_folder(path)
    if problems and not files:
        raise RegionInvalid(problems)
    if not cache or problems or sum(map(len, files.values())) > CACHE_MAX_BYTES:
        return parse_region_files(files, path, problems)
    from .. import cache as disk

    name = _cache_key(path, files)
    region = disk.get(name)
    if not isinstance(region, Region):
        region = parse_region_files(files, path, problems)
        disk.put(name, region)
    return region


def _cache_key(path: Path, files: Mapping[str, bytes]) -> str:
    from .. import cache as disk

    return disk.key("region", str(path), *(part for f in sorted(files) for part in (f, files[f])))


def remember_region(path: Path, region: Region) -> None:
    """Store ``region``, just saved and checked, as the cached load of the files now in ``path``.

    The store calls it under the region's lock right after a save, so that
    the next save, and the open pages, do not check the same bytes again.

    Parameters
    ----------
    path : Path
        The region folder whose files were just written.
    region : Region
        The region those files hold, as the save checked it. Nothing is
        stored when the folder now reads with problems or is too large to cache.
    """
    files, problems = read_folder(path)
    if problems or sum(map(len, files.values())) > CACHE_MAX_BYTES:
        return
    from .. import cache as disk

    disk.put(_cache_key(path, files), region)


def parse_region_files(files: Mapping[str, bytes], folder: Path,
                       problems: list[Problem] | None = None) -> Region:
    """Validate a region given the bytes of its files (no disk access).

    Parameters
    ----------
    files : mapping of str to bytes
        File name (``region.toml``, ``agencies.csv``...) mapped to its bytes; other names are ignored.
    folder : pathlib.Path
        The region's folder: its name must be the region's id, and it labels the problems' files.
        It is not read.
    problems : list of Problem or None, optional
        Problems already found while reading the files, reported with the others.

    Returns
    -------
    Region
        The region, every table checked against the data contract.

    Raises
    ------
    RegionInvalid
        With every problem found, each naming file, row and column.

    Examples
    --------
    >>> from pathlib import Path
    >>> from workbench.errors import RegionInvalid
    >>> try:
    ...     parse_region_files({}, Path("xx-a"))
    ... except RegionInvalid as exc:
    ...     print(str(exc).splitlines()[0].split(" (fix")[0])
    xx-a/region.toml:-:-: region.toml is missing
    """
    problems = list(problems or [])
    label = str(folder)
    info_raw: dict[str, Any] | None = None
    lines: dict[str, int] = {}
    if "region.toml" not in files:
        problems.append(Problem.of(f"{label}/region.toml", None, None,
                                   said("problems.file_missing", "problems.fix.region_toml", name="region.toml")))
    else:
        info_raw, lines, p = _read_region_toml(files["region.toml"], f"{label}/region.toml")
        problems += p
    raws: dict[str, RawTable | None] = {}
    for t in TABLES:
        name = f"{t}.csv"
        if name not in files:
            if t in REQUIRED_TABLES:
                problems.append(Problem.of(f"{label}/{name}", None, None,
                                           said("problems.file_missing", "problems.fix.table_missing",
                                                name=name)))
            raws[t] = None if t in REQUIRED_TABLES else RawTable(pd.DataFrame(), [], "none")
            continue
        raw, p = _parse_csv(files[name], f"{label}/{name}")
        problems += p
        raws[t] = raw
    if info_raw is not None:
        problems += check_info(info_raw, lines, f"{label}/region.toml", folder.name)
    return build_region(info_raw, raws, {t: f"{label}/{t}.csv" for t in TABLES},
                        f"{label}/region.toml", problems, folder, lines)


#: The tables read last, by a digest of their bytes and their file name: a save writes one table and
#: reads them all back.
_PARSED: dict[tuple[bytes, str], tuple[RawTable | None, tuple[Problem, ...]]] = {}
_PARSED_MAX = 64


def _parse_csv(data: bytes, file: str) -> tuple[RawTable | None, list[Problem]]:
    """:func:`~.tables.parse_csv`, read once per content; each caller gets its own copy of the table.

    The frame carries the digest of its bytes (``attrs``), under which
    :func:`~.schema.check_table` remembers its findings.
    """
    digest = hashlib.blake2b(data, digest_size=16).digest()
    hit = _PARSED.get((digest, file))
    if hit is None:
        raw, found = parse_csv(data, file)
        if raw is not None:
            raw.frame.attrs[SOURCE_DIGEST] = digest
        hit = (raw, tuple(found))
        if len(_PARSED) >= _PARSED_MAX:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[(digest, file)] = hit
    raw, seen = hit
    if raw is not None:
        raw = dataclasses.replace(raw, frame=raw.frame.copy(), columns=list(raw.columns))
    return raw, list(seen)


def _read_region_toml(data: bytes, file: str) -> tuple[dict[str, Any] | None, dict[str, int], list[Problem]]:
    """``region.toml`` parsed, the line of each key, and a problem when it is not UTF-8 or not TOML."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, {}, [Problem.of(file, None, None, said("problems.toml_not_utf8", "problems.fix.toml_utf8"))]
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return None, {}, [Problem.of(file, int(m.group(1)) if m else None, None,
                                     said("problems.toml_bad", "problems.fix.toml", detail=str(exc)))]
    lines: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*([A-Za-z_]+)\s*=", line)
        if m:
            lines.setdefault(m.group(1), i)
    return raw, lines, []
