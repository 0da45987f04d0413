"""Reference profiles: the documented good-practice cases, to set a region beside.

The reference regions (HAIP Hanover, a Police Scotland division, MARAC
Vienna, and further IMPRODOVA good-practice cases) are region folders under :func:`workbench.paths.reference_dir`,
transcribed from the case studies; their assessment round is the study's
reading, scored exactly like a working group's answers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .. import i18n
from ..data import Region, load_region
from ..paths import reference_dir
from .scoring import score_region


def reference_regions(folder: Path | None = None) -> dict[str, Region]:
    """Every reference region folder, loaded through the data API, by id.

    Parameters
    ----------
    folder : pathlib.Path or None, optional
        A folder of region folders; ``None`` reads the shipped reference regions
        (:func:`workbench.paths.reference_dir`). Hidden entries and plain files are skipped.

    Returns
    -------
    dict of str to Region
        Each region's id mapped to the region, in folder-name order.

    Raises
    ------
    WorkbenchError
        When a region folder cannot be read (the loader's errors).

    Examples
    --------
    >>> sorted(reference_regions())[:2]
    ['at-hospital-protection-groups', 'at-vienna-marac']
    """
    root = reference_dir() if folder is None else folder
    regions = (load_region(p, cache=True) for p in sorted(root.iterdir())
               if p.is_dir() and not p.name.startswith("."))
    return {r.id: r for r in regions}


def profile(region: Region, round: str | None = None) -> dict[str, int | None]:
    """The five levels of one region, ``{"C1": 2, …}``.

    Parameters
    ----------
    region : Region
        A loaded region.
    round : str or None, optional
        The assessment round; ``None`` scores the latest.

    Returns
    -------
    dict of str to int or None
        ``"C1"`` to ``"C5"`` mapped to a level 0–4, ``None`` where too few indicators are answered.

    Examples
    --------
    >>> profile(reference_regions()["de-hanover-haip"])["C2"]
    4
    """
    chars = score_region(region, round)["characteristics"]
    return {c: s["level"] for c, s in chars.items()}


@cache
def _profiles() -> dict[str, dict[str, Any]]:
    """The reference regions' English names, latest rounds and levels (read and scored once)."""
    return {rid: {"name": r.name, "round": r.rounds[-1] if r.rounds else None, "levels": profile(r)}
            for rid, r in reference_regions().items()}


def reference_profiles(lang: str = i18n.DEFAULT) -> dict[str, dict[str, Any]]:
    """The reference regions' names (in ``lang``) and levels.

    Parameters
    ----------
    lang : str, optional
        Language of the names. They come from the ``maturity`` catalogue
        (``maturity.reference_names.<id>``); a reference region the catalogue does not name
        keeps the name in its ``region.toml``.

    Returns
    -------
    dict of str to dict
        Each reference region's id mapped to ``name``, ``round`` (the study's round label,
        ``None`` without one) and ``levels`` (as :func:`profile`); a fresh copy on each call.

    Examples
    --------
    >>> reference_profiles()["de-hanover-haip"]["levels"]["C2"]
    4
    >>> reference_profiles("fr")["at-vienna-marac"]["name"]
    'MARAC de Vienne (référence)'
    """
    def name(rid: str, default: str) -> str:
        key = f"maturity.reference_names.{rid}"
        return i18n.text(key, lang) if i18n.has(key) else default

    return {rid: {**p, "name": name(rid, p["name"]), "levels": dict(p["levels"])}
            for rid, p in _profiles().items()}


def compare_to_reference(levels: dict[str, int | None], reference_id: str,
                         lang: str = i18n.DEFAULT) -> dict[str, Any]:
    """A region's levels beside one reference profile: the gap per characteristic.

    Parameters
    ----------
    levels : dict of str to int or None
        The region's levels, ``"C1"`` to ``"C5"`` mapped to 0–4 or ``None`` (as :func:`profile`);
        a characteristic left out counts as ``None``.
    reference_id : str
        The id of a reference region (a key of :func:`reference_profiles`).
    lang : str, optional
        Language of the reference's name.

    Returns
    -------
    dict
        ``reference`` (the id), ``name`` (in ``lang``) and ``characteristics``: per
        characteristic ``region``, ``reference`` and ``gap`` (reference − region, positive when
        the reference is ahead, ``None`` when either level is ``None``).

    Raises
    ------
    KeyError
        For an id that is not a reference region.

    Examples
    --------
    >>> c = compare_to_reference({"C1": 1, "C2": None, "C3": 3, "C4": 2, "C5": 2},
    ...                          "at-vienna-marac")
    >>> c["characteristics"]["C3"]
    {'region': 3, 'reference': 1, 'gap': -2}
    """
    ref = reference_profiles(lang)[reference_id]
    out = {}
    for c, ref_level in ref["levels"].items():
        own = levels.get(c)
        out[c] = {"region": own, "reference": ref_level,
                  "gap": None if own is None or ref_level is None else ref_level - own}
    return {"reference": reference_id, "name": ref["name"], "characteristics": out}
