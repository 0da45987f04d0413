"""What a JupyterHub user's single-user server may do beyond the dashboards: nothing that writes or runs code.

``deploy/jupyterhub/jupyterhub_config.py`` starts every user's Jupyter server
with these settings (:data:`SINGLE_USER_ARGS`), so that the rights of
:mod:`workbench.access` cannot be stepped around from the same server:

* the kernels' websockets accept only widget messages, the list Voilà's own
  server uses, so nobody can send a kernel code to run (an ``execute_request``
  is dropped);
* terminals are off;
* the served folder (the dashboards' notebooks, shared by every user) is
  read-only through the contents API (:class:`ReadOnlyContents`): nobody can
  put code into a dashboard that other users' servers would then run.

``python -m workbench.hub [ARGS]`` starts the single-user server
(:func:`main`: JupyterHub's ``jupyterhub-singleuser``, about 2 s quicker;
see :mod:`workbench.imports`).

Examples
--------
>>> "execute_request" in WIDGET_MESSAGES, "comm_msg" in WIDGET_MESSAGES
(False, True)
>>> any("terminals_enabled=False" in a for a in SINGLE_USER_ARGS)
True
"""

from __future__ import annotations

from typing import Any, NoReturn

#: The kernel messages a browser may send: widgets' messages and the kernel's info (Voilà's own list).
WIDGET_MESSAGES = ("comm_open", "comm_close", "comm_msg", "comm_info_request", "kernel_info_request",
                   "shutdown_request")

#: Command-line settings of every user's single-user server, beside those of the dashboards.
SINGLE_USER_ARGS = (
    "--ServerApp.terminals_enabled=False",
    "--MappingKernelManager.allowed_message_types=" + repr(list(WIDGET_MESSAGES)).replace("'", '"'),
    "--ServerApp.contents_manager_class=workbench.hub.ReadOnlyContents",
)


def _refuse() -> NoReturn:
    from tornado import web

    raise web.HTTPError(403, "the workbench's dashboards are read-only on this server")


def _read_only_contents() -> type[Any]:
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

    class ReadOnlyContents(AsyncLargeFileManager):
        """Jupyter Server's contents manager that refuses to write, rename or delete anything."""

        async def save(self, model: Any, path: str = "") -> Any:
            _refuse()

        async def delete_file(self, path: str) -> None:
            _refuse()

        async def rename_file(self, old_path: str, new_path: str) -> None:
            _refuse()

        async def create_checkpoint(self, path: str) -> Any:
            _refuse()

        async def restore_checkpoint(self, checkpoint_id: str, path: str) -> None:
            _refuse()

        async def delete_checkpoint(self, checkpoint_id: str, path: str) -> None:
            _refuse()

    return ReadOnlyContents


def __getattr__(name: str) -> Any:
    """``workbench.hub.ReadOnlyContents``, built when Jupyter Server asks for it (Jupyter Server is heavy).

    Parameters
    ----------
    name : str
        The attribute asked for.

    Returns
    -------
    type
        The ``ReadOnlyContents`` class: Jupyter Server's ``AsyncLargeFileManager`` whose saving,
        deleting, renaming and checkpoint methods refuse with HTTP 403.

    Raises
    ------
    AttributeError
        For any other name.
    """
    if name == "ReadOnlyContents":
        return _read_only_contents()
    raise AttributeError(name)


def main(argv: list[str] | None = None) -> None:
    """Start a JupyterHub user's single-user server, as ``jupyterhub-singleuser`` does, only quicker.

    jsonschema's optional rfc3987-syntax import, 1.9 of the server's 3.8 s
    of start-up here, is left out first (:mod:`workbench.imports`); the user
    waits for this start between logging in and seeing their workbench.

    Parameters
    ----------
    argv : list of str or None, optional
        The server's command-line settings; ``None`` takes the process's own (``sys.argv[1:]``).
    """
    from .imports import skip_rfc3987_syntax

    skip_rfc3987_syntax()
    from jupyterhub.singleuser import main as singleuser  # type: ignore[import-untyped]

    singleuser(argv)


if __name__ == "__main__":
    main()
