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

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkbenchError

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
        """Whether the person may edit a region.

        Parameters
        ----------
        region_id : str
            The region's id.

        Returns
        -------
        bool
            True when every region is open to them or this one is among theirs.
        """
        return self.edit is None or region_id in self.edit

    def can_read(self, region_id: str) -> bool:
        """Whether the person may read a region (editing it includes reading it).

        Parameters
        ----------
        region_id : str
            The region's id.

        Returns
        -------
        bool
            True when they may edit it, may read every region, or may read this one.
        """
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

    if is_set("access"):  # workbench serve --access FILE: the account's rights in the file
        return rights_from_access()
    edit, read = is_set("edit_regions"), is_set("read_regions")
    if not edit and not read:
        return EVERYONE
    return Rights(edit=value("edit_regions") if edit else frozenset(),
                  read=value("read_regions") if read else frozenset())


# --- ``workbench serve --access FILE``: accounts, their tokens and their rights ---------------

#: The request header through which ``workbench serve --access`` tells a page's kernel who asked for
#: the page. The server overwrites whatever a browser sends under that name (see
#: :mod:`workbench.dashboards.serve`); Voilà hands it to the kernel as :data:`ACCOUNT_ENV`.
ACCOUNT_HEADER = "X-Workbench-Account"
#: The kernel's environment variable that holds :data:`ACCOUNT_HEADER` (Voilà's CGI-style name).
ACCOUNT_ENV = "HTTP_X_WORKBENCH_ACCOUNT"
#: Set by JupyterHub in each single-user server and its kernels: the hub user's name.
HUB_USER_ENV = "JUPYTERHUB_USER"
#: The shortest token an access file accepts (a token is the account's only password).
MIN_TOKEN = 16

ACCESS_FILE_HELP = """\
A TOML file of accounts (a person, or a role several people share), each with a secret token and the
regions it edits and reads:

  [accounts.nord-coordination]
  token = "a long random secret"   # python -c "import secrets; print(secrets.token_urlsafe(24))"
  edit = ["fr-nord"]               # regions this account edits (and reads)
  read = ["be-hainaut"]            # further regions it reads; ["*"]: every region

A visitor opens http://127.0.0.1:8866/?token=<token> once (or types the token on the login page);
the server then knows them by a signed cookie. Visitors without a valid token see nothing."""

_VISITOR: ContextVar[str | None] = ContextVar("workbench_visitor", default=None)


class AccessFileInvalid(WorkbenchError):
    """The access file of ``workbench serve --access`` cannot be read or breaks its format.

    Parameters
    ----------
    message : str
        What is wrong, naming the file and the account.
    fix : str
        What to change in the file.
    """


@dataclass(frozen=True)
class Account:
    """One entry of an access file: its name, its secret token and its rights.

    Parameters
    ----------
    name : str
        The account's name (the ``[accounts.<name>]`` table), recorded in the change log.
    token : str
        The secret a visitor gives once (``?token=`` or the login page); at least 16 characters.
    rights : Rights
        The regions the account edits and reads.
    """

    name: str
    token: str
    rights: Rights


def parse_access(text: str, source: str = "the access file") -> dict[str, Account]:
    """The accounts of an access file's text (see :data:`ACCESS_FILE_HELP`), by name.

    Parameters
    ----------
    text : str
        The file's TOML text.
    source : str
        How messages name the file.

    Returns
    -------
    dict of str to Account
        Every account; ``read = ["*"]`` (or ``edit = ["*"]``) becomes ``None``, every region.

    Raises
    ------
    AccessFileInvalid
        Not TOML, an unknown key, a short or repeated token, or a region id that cannot exist.

    Examples
    --------
    >>> accounts = parse_access('''
    ... [accounts.nord]
    ... token = "0123456789abcdef-nord"
    ... edit = ["fr-nord"]
    ... [accounts.reviewers]
    ... token = "0123456789abcdef-rev"
    ... read = ["*"]
    ... ''')
    >>> accounts["nord"].rights
    Rights(edit=frozenset({'fr-nord'}), read=frozenset())
    >>> accounts["reviewers"].rights.can_read("be-hainaut"), accounts["reviewers"].rights.can_edit("be-hainaut")
    (True, False)
    >>> parse_access('[accounts.x]\\ntoken = "short"')
    Traceback (most recent call last):
    ...
    workbench.access.AccessFileInvalid: the access file: account 'x' has a token shorter than 16 characters \
(fix: give it a long random token: python -c "import secrets; print(secrets.token_urlsafe(24))")
    """
    import tomllib

    from .data import check_region_id
    from .errors import InvalidRegionId

    def bad(message: str, fix: str) -> AccessFileInvalid:
        return AccessFileInvalid(f"{source}: {message}", fix)

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise bad(f"not valid TOML ({exc})", "correct the file; workbench serve --help shows an example") from None
    if set(doc) - {"accounts"} or not isinstance(doc.get("accounts", {}), dict):
        raise bad("only [accounts.<name>] tables are allowed", "workbench serve --help shows an example")
    out: dict[str, Account] = {}
    tokens: set[str] = set()
    for name, entry in doc.get("accounts", {}).items():
        if not isinstance(entry, dict) or set(entry) - {"token", "edit", "read"}:
            raise bad(f"account {name!r} may only have token, edit and read", "remove the other keys")
        token = entry.get("token")
        if not isinstance(token, str) or len(token) < MIN_TOKEN:
            raise bad(f"account {name!r} has a token shorter than {MIN_TOKEN} characters",
                      'give it a long random token: python -c "import secrets; print(secrets.token_urlsafe(24))"')
        if token in tokens:
            raise bad(f"account {name!r} has the token of another account", "give every account its own token")
        tokens.add(token)
        ids: dict[str, frozenset[str] | None] = {}
        for key in ("edit", "read"):
            items = entry.get(key, [])
            if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
                raise bad(f"account {name!r}: {key} must be a list of region ids", f'write {key} = ["fr-nord"]')
            for x in items:
                if x != "*":
                    try:
                        check_region_id(x)
                    except InvalidRegionId:
                        raise bad(f"account {name!r}: {x!r} is not a region id",
                                  "use the region folder's name, or \"*\" for every region") from None
            ids[key] = None if "*" in items else frozenset(items)
        out[name] = Account(name, token, Rights(edit=ids["edit"], read=ids["read"]))
    return out


def read_access(path: str | Path) -> dict[str, Account]:
    """The accounts of the access file at ``path`` (:func:`parse_access`); read afresh at every call.

    Parameters
    ----------
    path : str or Path
        The access file given to ``workbench serve --access``.

    Returns
    -------
    dict of str to Account
        Every account by name.

    Raises
    ------
    AccessFileInvalid
        The file cannot be read, or breaks the format (see :func:`parse_access`).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AccessFileInvalid(f"cannot read the access file {path}: {exc}",
                                "give an existing TOML file to --access") from None
    return parse_access(text, str(path))


def account_for_token(accounts: dict[str, Account], token: str) -> Account | None:
    """The account whose token is ``token`` (compared in constant time), or ``None``.

    Parameters
    ----------
    accounts : dict of str to Account
        The accounts of the access file.
    token : str
        The token a visitor gave.

    Returns
    -------
    Account or None
        The matching account; ``None`` when no account has that token.

    Examples
    --------
    >>> accounts = parse_access('[accounts.nord]\\ntoken = "0123456789abcdef-nord"')
    >>> account_for_token(accounts, "0123456789abcdef-nord").name, account_for_token(accounts, "guess")
    ('nord', None)
    """
    import hmac

    found = None
    for acc in accounts.values():
        if token and hmac.compare_digest(acc.token.encode(), token.encode()):
            found = acc
    return found


@contextmanager
def visiting(name: str | None) -> Iterator[None]:
    """Within the block, :func:`account` is ``name`` (the server's own pages, e.g. the landing page).

    Parameters
    ----------
    name : str or None
        The visitor's account; ``None`` for nobody in particular.

    Yields
    ------
    None
        Control, with the visitor set; it is reset on leaving the block.
    """
    reset = _VISITOR.set(name)
    try:
        yield
    finally:
        _VISITOR.reset(reset)


def account() -> str | None:
    """The account of the person this page or kernel works for, or ``None`` (a laptop).

    The visitor named by :func:`visiting`; else, under ``workbench serve --access``,
    the account the server handed the kernel (:data:`ACCOUNT_ENV`); else the
    JupyterHub user (:data:`HUB_USER_ENV`).

    Returns
    -------
    str or None
        The account's name; ``None`` on a laptop without ``--access`` or a hub.

    Examples
    --------
    >>> with visiting("nord"):
    ...     account()
    'nord'
    """
    from .config import is_set

    visitor = _VISITOR.get()
    if visitor is not None:
        return visitor
    if is_set("access"):
        return os.environ.get(ACCOUNT_ENV) or None
    return os.environ.get(HUB_USER_ENV) or None


def rights_from_access() -> Rights:
    """The rights of :func:`account` in the access file of ``workbench serve --access``.

    Nobody (no token, or an account no longer in the file) gets no right at all.

    Returns
    -------
    Rights
        The account's rights, or :data:`NOTHING`.
    """
    from .config import value

    accounts = read_access(value("access"))
    name = account()
    found = accounts.get(name) if name is not None else None
    return found.rights if found is not None else NOTHING


#: No region at all: a visitor without a valid token under ``workbench serve --access``.
NOTHING = Rights(edit=frozenset(), read=frozenset())
