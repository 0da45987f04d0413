"""A region's maturity assessment: levels, network evidence and conflicts, and its text table."""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..data import Region
from ..taxonomy import rubric
from .evidence import conflicts, network_evidence
from .scoring import score_region


def assess_region(region: Region, round: str | None = None, lang: str = i18n.DEFAULT) -> dict[str, dict[str, Any]]:
    """Levels of C1–C5 with their confidence, network evidence and conflicts (JSON-ready).

    Parameters
    ----------
    region : Region
        A loaded region: its self-assessment answers and its network.
    round : str or None, optional
        The assessment round to score; ``None`` scores the latest. The evidence is always
        today's network.
    lang : str, optional
        Language of the labels, evidence and conflict sentences.

    Returns
    -------
    dict of str to dict
        ``"C1"`` to ``"C5"`` each mapped to ``level`` (0–4 or ``None``), ``label`` (the level
        descriptor's label in ``lang``), ``share``, ``rule`` (the steps that decided the level),
        ``confidence``, ``disagreements``, ``indicators`` (per indicator: consensus, raters,
        spread), ``round`` (``None`` without answers), ``evidence``
        (:func:`~workbench.maturity.evidence.network_evidence`) and ``conflicts``
        (:func:`~workbench.maturity.evidence.conflicts`).

    Examples
    --------
    >>> from workbench.data import Agency, Answer, Region, RegionInfo, Relationship
    >>> from workbench.maturity.scoring import indicators_of
    >>> ans = tuple(Answer("2025", i, "2", r) for i in indicators_of("C3") for r in ("a", "b"))
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation")),
    ...     relationships=(Relationship("p", "v", "referral"),), assessment=ans)
    >>> a = assess_region(r)
    >>> a["C3"]["level"], a["C1"]["level"]
    (4, None)
    >>> print(a["C3"]["conflicts"][0]["text"])  # doctest: +NORMALIZE_WHITESPACE
    The group rated C3 (Information sharing and use) at level 4, but 1 of 1 referrals get no
    feedback (the network supports levels 1–2).
    >>> assess_region(r, lang="fr")["C3"]["label"]
    'Système intégré'
    """
    scored = score_region(region, round, lang)
    evidence = network_evidence(region, lang)
    out: dict[str, dict[str, Any]] = {}
    for c, s in scored["characteristics"].items():
        out[c] = {**s, "round": scored["round"], "evidence": evidence[c],
                  "conflicts": conflicts(c, s["level"], evidence[c], lang)}
    return out


def _band(band: list[int] | None, null: str) -> str:
    if not band:
        return null
    return str(band[0]) if band[0] == band[1] else f"{band[0]}–{band[1]}"


def format_table(result: dict[str, dict[str, Any]], lang: str = i18n.DEFAULT,
                 region: str | None = None) -> str:
    """The assessment as a plain-text table, then rater disagreements and conflicts.

    Parameters
    ----------
    result : dict of str to dict
        An assessment from :func:`assess_region`.
    lang : str, optional
        Language of the table's words (any language of :data:`workbench.i18n.LANGUAGES`);
        the conflict statements are those of ``result``, so assess in the same language.
    region : str or None, optional
        The region's name: with it, a title line with the region and round comes first;
        ``None`` leaves the title out.

    Returns
    -------
    str
        One row per characteristic (level, descriptor, confidence, answered indicators,
        raters, disagreements, the band the network supports), then the indicators raters
        disagree on and the conflicts, lines joined by newlines with no trailing newline.

    Examples
    --------
    >>> from workbench.data import Answer, Region, RegionInfo
    >>> from workbench.maturity.scoring import indicators_of
    >>> ans = tuple(Answer("2025", i, s, r) for i in indicators_of("C2")
    ...             for r, s in (("a", "2"), ("b", "0"), ("c", "1")))
    >>> print(format_table(assess_region(Region(RegionInfo("xx-a", "A", "BE"), assessment=ans))))
    ... # doctest: +NORMALIZE_WHITESPACE
    Characteristic Level Descriptor Confidence Answered Raters Disagreements Network
    C1 Targeted action – not enough answers insufficient 0/7 0 0 0–2
    C2 Steering with authority 2 Designated body high 8/8 3 8 0–1
    C3 Information sharing and use – not enough answers insufficient 0/8 0 0 0–1
    C4 Specialised relays – not enough answers insufficient 0/8 0 0 –
    C5 Training and knowledge – not enough answers insufficient 0/8 0 0 0–2
    <BLANKLINE>
    Raters disagree (one says absent, another fully) on: C2.1, C2.2, C2.3, C2.4, C2.5, C2.6,
    C2.7, C2.8
    <BLANKLINE>
    Where the self-assessment and the network disagree:
      - The group rated C2 (Steering with authority) at level 2, but no live steering forum
        with at least two attending members is recorded (the network supports levels 0–1).
    """
    w = i18n.section("maturity.text", lang)
    rb = rubric()
    head = [w["characteristic"], w["level"], w["label"], w["confidence"], w["answered"],
            w["raters"], w["disagreements"], w["network"]]
    rows = []
    for c, r in result.items():
        level = r["level"]
        label = w["not_enough"] if level is None else rb.level_label(c, level, lang)
        conf = r["confidence"]
        band = r["evidence"]["band"]
        rows.append([f"{c} {rb.name(c, lang)}", w["null"] if level is None else str(level), label,
                     w[conf["label"]], f"{conf['answered']}/{conf['indicators']}",
                     str(conf["raters"]), str(len(r["disagreements"])),
                     _band(band, w["null"])])
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]
    lines = []
    if region is not None:
        rnd = next(iter(result.values()), {}).get("round")
        lines = [w["title"].format(region=region, round=rnd or w["no_round"]), ""]
    for row in [head, *rows]:
        lines.append("  ".join(x.ljust(n) for x, n in zip(row, widths, strict=True)).rstrip())
    disagreements = [i for r in result.values() for i in r["disagreements"]]
    if disagreements:
        lines += ["", f"{w['disagreement_list']} {', '.join(disagreements)}"]
    found = [c["text"] for r in result.values() for c in r["conflicts"]]
    lines += ["", w["conflicts"] if found else w["no_conflicts"]]
    lines += [f"  - {t}" for t in found]
    return "\n".join(lines)
