"""The live network: the agencies and ties that are part of a region's network today.

Gap rules (:class:`workbench.roadmap.gaps.Facts`) and maturity evidence
(:mod:`workbench.maturity.evidence`) both read a region through
:class:`LiveNetwork`, so that a tie counted by one is counted by the other.

The rule, from the data contract (``status`` of ``agencies.csv`` and
``relationships.csv``: ``active`` (the default), ``pilot``, ``planned``,
``discontinued``; and the definitions of ``workbench analyse --json``):

* an agency, unit or forum is **live** when its status is ``active`` or
  ``pilot`` (:data:`LIVE_AGENCY`): a pilot service is open to victims today,
  while planned and discontinued agencies "are not part of today's network";
* a tie is **live** when its status is ``active`` (an empty cell reads as
  ``active``; :data:`LIVE_TIE`) and both its ends are live agencies. The
  contract builds the organisation graph from "active" ties and counts as
  ``relationships`` the rows whose status is ``active``; a ``pilot`` tie is
  an arrangement on trial, not yet one partners can rely on, so it is not
  counted as part of the network. A rule that asks about trials themselves
  reads them explicitly (:meth:`LiveNetwork.between_live` with :data:`PILOT`:
  gap G28 counts a pilot funding tie as temporary funding).

The network module (:mod:`workbench.network`) applies the same rule through
``workbench.data.model.LIVE`` and ``Relationship.is_active``:

>>> from workbench.data.model import LIVE, Relationship
>>> LIVE_AGENCY == LIVE
True
>>> all(Relationship("a", "b", "referral", status=s).is_active == (s in LIVE_TIE)
...     for s in ("active", "pilot", "planned", "discontinued"))
True
"""

from __future__ import annotations

from functools import cached_property

from .model import Agency, Region, Relationship

#: Agency statuses that are part of today's network.
LIVE_AGENCY = frozenset({"active", "pilot"})
#: Tie statuses that are part of today's network.
LIVE_TIE = frozenset({"active"})
#: The status of a tie on trial: not live, but read by rules about trials.
PILOT = "pilot"


class LiveNetwork:
    """A region's live agencies and live ties, computed once.

    Parameters
    ----------
    region : Region
        A loaded region; nothing is computed until a property is read.

    Examples
    --------
    >>> from workbench.data import Agency, Region, RegionInfo, Relationship
    >>> r = Region(RegionInfo("xx-a", "A", "BE"), agencies=(
    ...     Agency("p", "Police", "police", "organisation"),
    ...     Agency("v", "Support", "victim_support", "organisation", status="pilot"),
    ...     Agency("s", "Shelter", "shelter", "organisation", status="planned")),
    ...     relationships=(Relationship("p", "v", "referral"),
    ...                    Relationship("v", "p", "feedback", status="pilot"),
    ...                    Relationship("p", "s", "referral")))
    >>> net = LiveNetwork(r)
    >>> sorted(net.live), [t.key for t in net.ties], [t.key for t in net.between_live({PILOT})]
    (['p', 'v'], [('p', 'v', 'referral')], [('v', 'p', 'feedback')])
    """

    def __init__(self, region: Region) -> None:
        self.region = region

    @cached_property
    def live(self) -> dict[str, Agency]:
        """Live agencies, units and forums by id."""
        return {a.id: a for a in self.region.agencies if a.status in LIVE_AGENCY}

    @cached_property
    def ties(self) -> list[Relationship]:
        """Live ties between live agencies, in file order."""
        return self.between_live(LIVE_TIE)

    def between_live(self, statuses: frozenset[str] | set[str]) -> list[Relationship]:
        """Ties whose status is one of ``statuses`` between live agencies, in file order.

        Parameters
        ----------
        statuses : set of str
            The tie statuses to keep: :data:`LIVE_TIE` for the live network,
            ``{PILOT}`` for the arrangements on trial.

        Returns
        -------
        list of Relationship
            The ties with such a status whose both ends are live agencies.
        """
        live = self.live
        return [r for r in self.region.relationships
                if r.status in statuses and r.source in live and r.target in live]
