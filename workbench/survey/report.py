"""The merge as JSON (``analyse --json``'s ``survey`` block) and as a plain-text report."""

from __future__ import annotations

from typing import Any

from ..data.model import Region
from ..network import metrics
from ..network.graph import organisation_graph
from .merge import Merge, merge_round, rounds

FIGURES = ("density", "degree_centralization", "reciprocity", "components", "max_betweenness")


def figures(region: Region) -> dict[str, float | int]:
    """The network figures that missing answers move most, on ``region``'s ties.

    Parameters
    ----------
    region : Region
        A region; only its agencies and ties are read.

    Returns
    -------
    dict of str to float or int
        :data:`FIGURES`: ``density`` (0 to 1), ``degree_centralization``
        (0 to 1), ``reciprocity`` (0 to 1), ``components`` (a count) and
        ``max_betweenness`` (normalised, 0 to 1; 0.0 without agencies).

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> ags = tuple(Agency(i, i, "police", "organisation") for i in "abc")
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=ags,
    ...            relationships=(Relationship("a", "b", "informal_tie"), Relationship("a", "c", "informal_tie")))
    >>> figures(r)["degree_centralization"], figures(r)["components"]
    (1.0, 1)
    """
    g = organisation_graph(region)
    u = metrics.undirected(g)
    bw = metrics.betweenness(g).values
    return {"density": metrics.density(g), "degree_centralization": metrics.degree_centralization(u),
            "reciprocity": metrics.reciprocity(g), "components": metrics.components(g),
            "max_betweenness": max(bw.values(), default=0.0)}


def _network_on(region: Region, merge: Merge, status: str | None) -> Region:
    from ..data.model import Relationship
    rels = tuple(Relationship(s, t, ty) for s, t, ty in merge.keys(status))
    return Region(region.info, agencies=region.agencies, relationships=rels)


def survey_block(region: Region, merge: Merge | None = None) -> dict[str, Any] | None:
    """The ``survey`` block of ``analyse --json`` (``None`` when the region has no survey rows).

    The data contract fixes ``round``, ``response_rate``, ``confirmed``,
    ``one_sided``, ``unconfirmed``, ``trust`` and ``value`` (agency → mean of
    the ratings the other organisations gave it). The workbench adds
    ``rounds``, ``asked``, ``answered``, ``not_answered``, ``by_sector``,
    ``trust_counts``, ``value_counts``, ``contradictions``, ``new_ties``,
    ``not_reported`` (live rows of relationships.csv that an end which
    answered did not report), ``figures`` (on ``relationships``, on every
    ``reported`` tie and on ``confirmed`` ties only) and ``warning``.

    Parameters
    ----------
    region : Region
        A loaded region.
    merge : Merge or None
        The merge to report; ``None`` merges the region's latest round.

    Returns
    -------
    dict of str to Any or None
        The block; ``None`` when ``merge`` is ``None`` and the region has no
        survey rows.
    """
    if merge is None:
        if not region.survey:
            return None
        merge = merge_round(region)
    return {
        "round": merge.round,
        "rounds": rounds(region) or [merge.round],
        "response_rate": merge.response_rate,
        "confirmed": merge.count("confirmed"),
        "one_sided": merge.count("one_sided"),
        "unconfirmed": merge.count("unconfirmed"),
        "trust": {a: v["mean"] for a, v in merge.trust.items()},
        "value": {a: v["mean"] for a, v in merge.value.items()},
        "trust_counts": {a: v["count"] for a, v in merge.trust.items()},
        "value_counts": {a: v["count"] for a, v in merge.value.items()},
        "asked": len(merge.asked),
        "answered": list(merge.answered),
        "not_answered": [a for a in merge.asked if a not in set(merge.answered)],
        "by_sector": merge.by_sector,
        "ties": [{"source": k[0], "target": k[1], "type": k[2], **v} for k, v in merge.ties.items()],
        "contradictions": list(merge.contradictions),
        "new_ties": [list(k) for k in merge.new],
        "not_reported": list(merge.not_reported),
        "figures": {"relationships": figures(region),
                    "reported": figures(_network_on(region, merge, None)),
                    "confirmed": figures(_network_on(region, merge, "confirmed"))},
        "warning": merge.warning,
    }


def merge_text(region: Region, merge: Merge, problems: list[str] | None = None,
               added: list[tuple[str, str, str]] | None = None) -> str:
    """The merge report a coordinator reads (printed by ``survey collect`` and saved beside the workbooks).

    Parameters
    ----------
    region : Region
        The region surveyed (for agency names and figures).
    merge : Merge
        The merge to report.
    problems : list of str or None
        The workbooks left out, one line each; ``None`` or empty leaves the
        section out.
    added : list of tuple of str or None
        The ``(source, target, type)`` keys of the ties added by ``--apply``;
        ``None`` leaves the section out.

    Returns
    -------
    str
        The report in English, one finding per line, ending in a newline.
    """
    block = survey_block(region, merge)
    assert block is not None
    names = {a.id: a.name for a in region.agencies}
    lines = [f"Partner survey {merge.round}: {region.name} ({region.id})", ""]
    lines.append(f"Answered: {len(merge.answered)} of {len(merge.asked)} organisations "
                 f"({merge.response_rate:.0%})")
    for sector, s in merge.by_sector.items():
        missing = f"; not answered: {', '.join(s['missing'])}" if s["missing"] else ""
        lines.append(f"  {sector or 'other'}: {s['answered']} of {s['asked']} ({s['rate']:.0%}){missing}")
    if merge.warning:
        w = merge.warning
        why = []
        if w["response_rate"] < w["threshold"]:
            why.append(f"the response rate is under {w['threshold']:.0%}")
        if w["silent_sectors"]:
            why.append(f"no organisation answered in: {', '.join(w['silent_sectors'])}")
        lines.append(f"WARNING: {' and '.join(why)}; betweenness and centralization are the figures "
                     "missing answers distort most: read them with care.")
    lines += ["", f"Ties reported: {len(merge.ties)}: {block['confirmed']} confirmed by both ends, "
              f"{block['one_sided']} one-sided (the other end answered without it), "
              f"{block['unconfirmed']} unconfirmed (the other end did not answer)"]
    lines.append("Contradictions (both ends report the tie, differently):")
    for c in merge.contradictions:
        a, p = c["agencies"]
        what = "; ".join(f"{f}: {a} says {v[0] or '-'}, {p} says {v[1] or '-'}" for f, v in c["fields"].items())
        lines.append(f"  {names.get(a, a)} – {names.get(p, p)} ({c['type']}): {what}")
    if not merge.contradictions:
        lines.append("  none")
    lines.append(f"Reported ties that relationships.csv lacks: {len(merge.new)}")
    for src, tgt, ty in merge.new:
        lines.append(f"  {src} → {tgt} ({ty}, {merge.ties[(src, tgt, ty)]['status'].replace('_', '-')})")
    lines.append(f"Rows of relationships.csv that no end which answered reported: {len(merge.not_reported)}")
    for r in merge.not_reported:
        lines.append(f"  {r['source']} → {r['target']} ({r['type']})")
    f = block["figures"]
    lines += ["", f"{'figure':<24}{'relationships':>15}{'reported':>11}{'confirmed':>11}"]
    for k in FIGURES:
        lines.append(f"{k:<24}" + "".join(f"{_fmt(f[col][k]):>{w}}" for col, w in
                                          (("relationships", 15), ("reported", 11), ("confirmed", 11))))
    if merge.trust or merge.value:
        lines += ["", "Trust and value (mean of the ratings the other organisations gave, 1-4; count):"]
        for a in sorted(set(merge.trust) | set(merge.value)):
            t, v = merge.trust.get(a), merge.value.get(a)
            lines.append(f"  {names.get(a, a)}: trust {_rating(t)}, value {_rating(v)}")
    if problems:
        lines += ["", "Workbooks left out:"] + [f"  {p}" for p in problems]
    if added is not None:
        lines += ["", f"Added to relationships.csv: {len(added)} tie(s)"]
        lines += [f"  {s} → {t} ({ty})" for s, t, ty in added]
    return "\n".join(lines) + "\n"


def _fmt(v: float | int) -> str:
    return str(v) if isinstance(v, int) else f"{v:.3f}"


def _rating(r: dict[str, float | int] | None) -> str:
    return "-" if r is None else f"{r['mean']:.2f} ({r['count']})"
