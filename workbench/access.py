"""Who may read and edit which region.

On a laptop (``workbench serve`` with no rights set) everybody who can open
the page may read and edit every region, as before. Under JupyterHub each
user's single-user server is started with the user's rights, computed from
the hub's groups by ``deploy/jupyterhub/jupyterhub_config.py``:

* members of group ``region-<id>`` edit region ``<id>``;
* members of group ``reviewers`` read every region;
* everybody else sees no region at all.

The rights reach the dashboards' kernels as the ``edit_regions`` and
``read_regions`` settings (:mod:`workbench.config`); :func:`current` reads
them. The dashboards list only the regions :meth:`Rights.can_read` allows
(so the ``?region=`` query string can only pick one of those), show the
page read-only where :meth:`Rights.can_edit` does not allow editing, and
refuse a save there in the kernel.

Examples
--------
>>> r = Rights(edit=frozenset({"fr-nord"}), read=frozenset())
>>> r.can_read("fr-nord"), r.can_edit("fr-nord"), r.can_read("be-hainaut")
(True, True, False)
>>> reviewer = Rights(edit=frozenset(), read=None)
>>> reviewer.can_read("be-hainaut"), reviewer.can_edit("be-hainaut")
(True, False)
>>> EVERYONE.can_edit("anything")
True
>>> rights_from_groups(["region-fr-nord", "reviewers", "staff"])
Rights(edit=frozenset({'fr-nord'}), read=None)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Prefix of the JupyterHub groups whose members edit one region.
REGION_GROUP = "region-"
#: The JupyterHub group whose members read every region.
REVIEWERS = "reviewers"


@dataclass(frozen=True)
class Rights:
    """The regions a person may edit and read; ``None`` means every region.

    Parameters
    ----------
    edit : frozenset of str or None
        The ids of the regions the person may edit (and so read); ``None``
        means every region, an empty set none.
    read : frozenset of str or None
        The ids of the regions the person may read besides those they edit;
        ``None`` means every region, an empty set none.
    """

    edit: frozenset[str] | None
    read: frozenset[str] | None

    def can_edit(self, region_id: str) -> bool:
        return self.edit is None or region_id in self.edit

    def can_read(self, region_id: str) -> bool:
        return self.can_edit(region_id) or self.read is None or region_id in self.read

    @property
    def nothing(self) -> bool:
        """Whether the person may see no region at all."""
        return self.edit is not None and not self.edit and self.read is not None and not self.read


#: No restriction: a laptop or a trusted intranet.
EVERYONE = Rights(edit=None, read=None)


def rights_from_groups(groups: Iterable[str]) -> Rights:
    """A JupyterHub user's rights from the names of their groups.

    Parameters
    ----------
    groups : iterable of str
        The names of the user's JupyterHub groups; ``region-<id>`` grants
        editing of region ``<id>``, ``reviewers`` reading of every region,
        others nothing.

    Returns
    -------
    Rights
        The regions the user edits; every region to read for a reviewer,
        else no other region.
    """
    groups = list(groups)
    edit = frozenset(g[len(REGION_GROUP):] for g in groups if g.startswith(REGION_GROUP) and len(g) > len(REGION_GROUP))
    return Rights(edit=edit, read=None if REVIEWERS in groups else frozenset())


def environment(rights: Rights) -> dict[str, str]:
    """The environment variables that hand ``rights`` to a single-user server and its kernels.

    Parameters
    ----------
    rights : Rights
        The rights to hand over.

    Returns
    -------
    dict of str to str
        The ``edit_regions`` and ``read_regions`` settings' environment
        variables, each a comma-separated list of region ids, ``*`` for every
        region or ``,`` for none.

    Examples
    --------
    >>> environment(rights_from_groups(["region-fr-nord"]))
    {'WORKBENCH_EDIT_REGIONS': 'fr-nord', 'WORKBENCH_READ_REGIONS': ','}
    """
    from .config import SETTINGS

    def ids(x: frozenset[str] | None) -> str:
        return "*" if x is None else (",".join(sorted(x)) or ",")  # "," is an empty list, unlike unset

    return {SETTINGS["edit_regions"].env: ids(rights.edit), SETTINGS["read_regions"].env: ids(rights.read)}


def current() -> Rights:
    """The rights this process runs with: no restriction when neither setting is set.

    Once rights are given, a setting left unset grants nothing (a hub user with
    editing rights only reads no other region).

    Returns
    -------
    Rights
        :data:`EVERYONE` when neither ``edit_regions`` nor ``read_regions``
        is set, else the regions the two settings name.
    """
    from .config import is_set, value

    edit, read = is_set("edit_regions"), is_set("read_regions")
    if not edit and not read:
        return EVERYONE
    return Rights(edit=value("edit_regions") if edit else frozenset(),
                  read=value("read_regions") if read else frozenset())
