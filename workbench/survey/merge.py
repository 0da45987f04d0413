"""The merge of one survey round: who answered, which ties both ends confirm.

A reported row becomes one or two *ties*, keyed as ``relationships.csv``
keys them: ``(source, target, type)``, a symmetric type once with its two
ends sorted. A tie reported by both ends is *confirmed*; by one end while the
other end answered without it, *one-sided*; by one end while the other end
did not answer (forums never do), *unconfirmed*. Both ends reporting the
same type of tie between them with a different frequency, formality or
direction is a *contradiction*.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import mean
from typing import Any

from ..data.model import Region, Relationship, SurveyRow
from ..taxonomy import taxonomy
from .workbook import respondents

Key = tuple[str, str, str]
#: Data-quality threshold on the response rate (the issue's 70 %).
MIN_RESPONSE_RATE = 0.7
#: The figures missing respondents bias most (Smith & Moody 2013; Smith, Morgan & Moody 2021).
SENSITIVE_FIGURES = ("betweenness", "degree_centralization")


def tie_keys(row: SurveyRow) -> list[Key]:
    """The ties a reported row stands for.

    Parameters
    ----------
    row : SurveyRow
        A reported row.

    Returns
    -------
    list of tuple of str
        ``(source, target, type)`` keys: one for ``to`` or ``from`` (a
        ``tasking`` row without a direction reads ``from``, any other ``to``),
        two for ``both``, one with sorted ends for a symmetric type, none for
        a row without a type or partner.

    Examples
    --------
    >>> tie_keys(SurveyRow("r", "b", "a", "both", "referral"))
    [('b', 'a', 'referral'), ('a', 'b', 'referral')]
    >>> tie_keys(SurveyRow("r", "b", "a", None, "informal_tie"))
    [('a', 'b', 'informal_tie')]
    >>> tie_keys(SurveyRow("r", "b", "a", "from", "referral")), tie_keys(SurveyRow("r", "b", "a"))
    ([('a', 'b', 'referral')], [])
    """
    if not row.type or not row.partner:
        return []
    a, p, t = row.respondent, row.partner, row.type
    if t in taxonomy().symmetric_types:
        return [(min(a, p), max(a, p), t)]
    direction = row.direction or {"tasking": "from"}.get(t, "to")
    out = []
    if direction in ("to", "both"):
        out.append((a, p, t))
    if direction in ("from", "both"):
        out.append((p, a, t))
    return out


def relationship_key(r: Relationship) -> Key:
    """A ``relationships.csv`` row's key as :func:`tie_keys` writes it.

    Parameters
    ----------
    r : Relationship
        A row of ``relationships.csv``.

    Returns
    -------
    tuple of str
        ``(source, target, type)``, with the ends sorted for a symmetric type.
    """
    if r.type in taxonomy().symmetric_types:
        return (min(r.source, r.target), max(r.source, r.target), r.type)
    return r.key


@dataclass(frozen=True)
class Merge:
    """Everything the merge found for one round (see :func:`merge_round`).

    Parameters
    ----------
    round : str
        The round's label.
    asked : tuple of str
        The agency ids asked to answer (:func:`~workbench.survey.respondents`).
    answered : tuple of str
        Those of ``asked`` that answered, sorted.
    ties : dict
        Each reported tie's ``(source, target, type)`` key mapped to its
        ``status`` (``"confirmed"``, ``"one_sided"`` or ``"unconfirmed"``),
        ``reported_by`` (agency ids) and ``known`` (whether
        ``relationships.csv`` has it).
    contradictions : tuple of dict
        Ties both ends report differently: ``agencies`` (the two ids),
        ``type`` and ``fields`` (each differing field mapped to the two
        answers).
    not_reported : tuple of dict
        Active ``relationships.csv`` rows not reported by an end that
        answered: ``source``, ``target``, ``type`` and ``answered_ends``.
    trust : dict
        Agency id mapped to ``mean`` (1 to 4) and ``count`` of the trust
        ratings the other organisations gave it.
    value : dict
        Agency id mapped to ``mean`` (1 to 4) and ``count`` of the value
        ratings the other organisations gave it.
    by_sector : dict
        Sector id (``""`` for an agency type without one) mapped to
        ``asked``, ``answered``, ``rate`` (0 to 1) and ``missing`` (ids that
        did not answer).
    """

    round: str
    asked: tuple[str, ...]
    answered: tuple[str, ...]
    ties: dict[Key, dict[str, Any]]
    contradictions: tuple[dict[str, Any], ...]
    not_reported: tuple[dict[str, Any], ...]
    trust: dict[str, dict[str, float | int]]
    value: dict[str, dict[str, float | int]]
    by_sector: dict[str, dict[str, Any]]

    @property
    def response_rate(self) -> float:
        """The share of the organisations asked that answered, 0 to 1 (0 when nobody was asked)."""
        return len(self.answered) / len(self.asked) if self.asked else 0.0

    def count(self, status: str) -> int:
        """How many reported ties have a status.

        Parameters
        ----------
        status : str
            ``"confirmed"``, ``"one_sided"`` or ``"unconfirmed"``.

        Returns
        -------
        int
            The number of ties of ``ties`` with that status.
        """
        return sum(1 for t in self.ties.values() if t["status"] == status)

    def keys(self, status: str | None = None) -> list[Key]:
        """The reported ties with a status, as ``(source, target, type)`` keys.

        Parameters
        ----------
        status : str or None, optional
            ``"confirmed"``, ``"one_sided"`` or ``"unconfirmed"``; ``None`` for every reported tie.

        Returns
        -------
        list of tuple of (str, str, str)
            The keys in the order of ``ties``.
        """
        return [k for k, t in self.ties.items() if status is None or t["status"] == status]

    @property
    def new(self) -> list[Key]:
        """Reported ties that ``relationships.csv`` lacks."""
        return [k for k, t in self.ties.items() if not t["known"]]

    @property
    def silent_sectors(self) -> list[str]:
        """Sectors asked where no organisation answered."""
        return [s for s, v in self.by_sector.items() if v["asked"] and not v["answered"]]

    @property
    def warning(self) -> dict[str, Any] | None:
        """The data-quality warning, or ``None`` when coverage is good enough."""
        low = self.response_rate < MIN_RESPONSE_RATE
        if not low and not self.silent_sectors:
            return None
        return {"id": "survey_coverage", "response_rate": self.response_rate,
                "threshold": MIN_RESPONSE_RATE, "silent_sectors": self.silent_sectors,
                "figures_affected": list(SENSITIVE_FIGURES)}


def rounds(region: Region) -> list[str]:
    """The survey rounds of a region, sorted by label.

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    list of str
        The distinct labels of its ``survey.csv`` rows; empty without a
        survey.
    """
    return sorted({r.round for r in region.survey})


def merge_round(region: Region, rows: tuple[SurveyRow, ...] | None = None,
                round_: str | None = None) -> Merge:
    """Merge one round's reported rows (default: the region's latest round in ``survey.csv``).

    Parameters
    ----------
    region : Region
        The region surveyed: its agencies say who was asked, its
        relationships which ties are known.
    rows : tuple of SurveyRow or None
        The reported rows to merge; ``None`` takes the rows of ``round_``
        from the region's ``survey.csv``.
    round_ : str or None
        The round's label; ``None`` means the latest round (with ``rows``:
        the round of the first row).

    Returns
    -------
    Merge
        Who answered, each tie's status, the contradictions, the ratings and
        the response by sector.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> ags = tuple(Agency(i, i.upper(), "police", "organisation") for i in "abc")
    >>> rows = (SurveyRow("r1", "a", "b", "to", "referral", trust=4),
    ...         SurveyRow("r1", "b", "a", "from", "referral", trust=2),
    ...         SurveyRow("r1", "b", "c", "to", "referral"))
    >>> m = merge_round(Region(RegionInfo("xx-a", "A", "BE"), agencies=ags), rows)
    >>> m.round, m.response_rate, m.count("confirmed"), m.count("unconfirmed"), m.trust["b"]
    ('r1', 0.6666666666666666, 1, 1, {'mean': 4, 'count': 1})
    """
    if rows is None:
        labels = rounds(region)
        round_ = round_ or (labels[-1] if labels else "")
        rows = tuple(r for r in region.survey if r.round == round_)
    round_ = round_ or (rows[0].round if rows else "")
    asked = tuple(a.id for a in respondents(region))
    answered = tuple(sorted({r.respondent for r in rows} & set(asked)))
    done = set(answered)
    reported: dict[Key, dict[str, SurveyRow]] = defaultdict(dict)
    for r in rows:
        for k in tie_keys(r):
            reported[k][r.respondent] = r
    known = {relationship_key(r) for r in region.relationships}
    ties: dict[Key, dict[str, Any]] = {}
    for k in sorted(reported):
        by = reported[k]
        ends = (k[0], k[1])
        if all(e in by for e in ends):
            status = "confirmed"
        else:
            other = next(e for e in ends if e not in by)
            status = "one_sided" if other in done else "unconfirmed"
        ties[k] = {"status": status, "reported_by": sorted(by), "known": k in known}
    not_reported = tuple(
        {"source": r.source, "target": r.target, "type": r.type,
         "answered_ends": sorted({r.source, r.target} & done)}
        for r in region.relationships
        if r.is_active and relationship_key(r) not in reported and {r.source, r.target} & done)
    return Merge(round_, asked, answered, ties, _contradictions(rows), not_reported,
                 _ratings(rows, "trust"), _ratings(rows, "value"), _sectors(region, asked, done))


def _contradictions(rows: tuple[SurveyRow, ...]) -> tuple[dict[str, Any], ...]:
    sym = taxonomy().symmetric_types
    by: dict[tuple[str, str, str], SurveyRow] = {}
    for r in rows:
        if r.type and r.partner:
            by[(r.respondent, r.partner, r.type)] = r
    out = []
    for (a, p, t), ra in sorted(by.items()):
        rp = by.get((p, a, t))
        if rp is None or a > p:
            continue
        fields: dict[str, list[str | None]] = {}
        if t not in sym and set(tie_keys(ra)) != set(tie_keys(rp)):
            fields["direction"] = [ra.direction, rp.direction]
        for f in ("frequency", "formality"):
            va, vp = getattr(ra, f), getattr(rp, f)
            if va and vp and va != vp:
                fields[f] = [va, vp]
        if fields:
            out.append({"agencies": [a, p], "type": t, "fields": fields})
    return tuple(out)


def _ratings(rows: tuple[SurveyRow, ...], what: str) -> dict[str, dict[str, float | int]]:
    given: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        v = getattr(r, what)
        if v is not None and r.partner:
            given[r.partner][r.respondent] = v
    return {p: {"mean": mean(g.values()), "count": len(g)} for p, g in sorted(given.items())}


def _sectors(region: Region, asked: tuple[str, ...], done: set[str]) -> dict[str, dict[str, Any]]:
    types = taxonomy().agency_types
    out: dict[str, dict[str, Any]] = {}
    for a in asked:
        sector = types.get(region.by_id[a].type, {}).get("sector", "")
        s = out.setdefault(sector, {"asked": 0, "answered": 0, "missing": []})
        s["asked"] += 1
        if a in done:
            s["answered"] += 1
        else:
            s["missing"].append(a)
    for s in out.values():
        s["rate"] = s["answered"] / s["asked"]
    return dict(sorted(out.items()))


def new_relationships(region: Region, merge: Merge, rows: tuple[SurveyRow, ...]) -> list[Relationship]:
    """The reported ties ``region`` lacks, as rows for ``relationships.csv``.

    Frequency and formality are kept where the reporters agree (or one gave
    them); ``notes`` says who reported the tie in which round.

    Parameters
    ----------
    region : Region
        The region as saved now.
    merge : Merge
        The merge of the round.
    rows : tuple of SurveyRow
        The round's reported rows.

    Returns
    -------
    list of Relationship
        One new row per reported tie whose key ``region`` lacks, in the
        merge's order.
    """
    known = {relationship_key(r) for r in region.relationships}
    by: dict[Key, list[SurveyRow]] = defaultdict(list)
    for r in rows:
        for k in tie_keys(r):
            by[k].append(r)
    out = []
    for k in merge.keys():
        if k in known or k not in by:
            continue
        reps = sorted(by[k], key=lambda r: r.respondent)
        agreed = {}
        for f in ("frequency", "formality"):
            vals = {getattr(r, f) for r in reps} - {None}
            agreed[f] = vals.pop() if len(vals) == 1 else None
        who = " and ".join(r.respondent for r in reps)
        out.append(Relationship(k[0], k[1], k[2], formality=agreed["formality"], frequency=agreed["frequency"],
                                notes=f"reported by {who} in survey {merge.round}"))
    return out


def unconfirmed_relationships(region: Region) -> frozenset[Key]:
    """Keys of the active ``relationships.csv`` rows the latest survey round does not confirm.

    Empty when the region has no survey: without one, nothing is "unconfirmed".

    Parameters
    ----------
    region : Region
        A loaded region.

    Returns
    -------
    frozenset of tuple of str
        ``(source, target, type)`` keys, as written in ``relationships.csv``.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo
    >>> ags = tuple(Agency(i, i, "police", "organisation") for i in "ab")
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=ags, relationships=(
    ...     Relationship("a", "b", "referral"), Relationship("b", "a", "referral")),
    ...     survey=(SurveyRow("r", "a", "b", "both", "referral"), SurveyRow("r", "b", "a", "to", "referral")))
    >>> sorted(unconfirmed_relationships(r))
    [('a', 'b', 'referral')]
    """
    if not region.survey:
        return frozenset()
    merge = merge_round(region)
    confirmed = set(merge.keys("confirmed"))
    return frozenset(r.key for r in region.relationships
                     if r.is_active and relationship_key(r) not in confirmed)
