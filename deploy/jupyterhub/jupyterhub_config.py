"""JupyterHub for the TACTICS workbench: each user logs in and gets their own workbench dashboards.

Each user's single-user server is a Jupyter server with Voilà (its server
extension) serving the three dashboards; the region data lives on one shared
folder. The hub's groups decide who may do what (``workbench.access``):

* members of group ``region-<id>`` edit region ``<id>``;
* members of group ``reviewers`` read every region;
* everybody else is refused a server.

Settings, as environment variables of the hub:

``WORKBENCH_HUB_DATA``      the shared folder of region folders (required)
``WORKBENCH_HUB_GROUPS``    a TOML file ``group = ["user", …]`` loaded into the hub at start (optional;
                            groups can also be managed in the hub's admin page or REST API)
``WORKBENCH_HUB_URL``       where the hub listens (default ``http://127.0.0.1:8000``)
``WORKBENCH_HUB_STATE``     folder for the hub's database, cookie secret and users' homes (default ``./hub-state``)
``WORKBENCH_HUB_DEMO_PASSWORD``  if set, the dummy authenticator with this shared password (tests and
                            demonstrations only; a real deployment sets ``c.JupyterHub.authenticator_class``
                            to its login, e.g. ``oauthenticator.GenericOAuthenticator`` in a
                            ``jupyterhub_config.d`` file or below)

Run: ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` in an environment where the workbench,
``jupyterhub`` and ``configurable-http-proxy`` (npm) are installed. See ``deploy/jupyterhub/README.md``.
"""

# ruff: noqa: F821  (``c`` is JupyterHub's configuration object)
from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlencode

from jupyterhub.spawner import SimpleLocalProcessSpawner
from tornado import web

from workbench import access
from workbench.dashboards.serve import dashboards_folder, jupyter_path
from workbench.hub import SINGLE_USER_ARGS

data = Path(os.environ["WORKBENCH_HUB_DATA"]).resolve()
state = Path(os.environ.get("WORKBENCH_HUB_STATE", "hub-state")).resolve()
state.mkdir(parents=True, exist_ok=True)

c.JupyterHub.bind_url = os.environ.get("WORKBENCH_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.cleanup_servers = True

# -- who logs in --------------------------------------------------------------------------
demo_password = os.environ.get("WORKBENCH_HUB_DEMO_PASSWORD")
if demo_password:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = demo_password
c.Authenticator.allow_all = True  # whoever the authenticator accepts may log in; groups decide what they see

groups_file = os.environ.get("WORKBENCH_HUB_GROUPS")
if groups_file:
    with open(groups_file, "rb") as fh:
        c.JupyterHub.load_groups = {name: {"users": list(users)} for name, users in tomllib.load(fh).items()}

# -- what each user gets ------------------------------------------------------------------
# The dashboards only (not explore.ipynb, which analysts open in JupyterLab): one copy for all users.
served = state / "dashboards"
served.mkdir(exist_ok=True)
dashboards_folder(served)

# One machine: every user's server runs as the hub's own system user, in a home folder of its own.
# On Kubernetes, KubeSpawner takes this place (deploy/jupyterhub/kubernetes.md).
class WorkbenchSpawner(SimpleLocalProcessSpawner):
    """The simple local spawner, telling the hub as soon as the user's server listens.

    After starting a server the hub asks it whether it is up with a randomised
    exponential back-off (up to 5 s between two looks): a server ready after 2.5 s
    was seen at 6.9 s in the hub test. This spawner looks every 0.1 s before it
    hands the server to the hub, whose first look then finds it.
    """

    async def start(self):  # noqa: ANN201 - JupyterHub's Spawner API
        import asyncio

        ip, port = await super().start()
        deadline = asyncio.get_running_loop().time() + self.http_timeout
        while asyncio.get_running_loop().time() < deadline and await self.poll() is None:
            try:
                _reader, writer = await asyncio.open_connection(ip or "127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            break
        return ip, port


c.JupyterHub.spawner_class = WorkbenchSpawner
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "workbench.hub"]  # jupyterhub-singleuser, 2 s quicker to start
c.Spawner.args = [
    f"--ServerApp.root_dir={served}",
    "--VoilaConfiguration.template=workbench",
    "--VoilaConfiguration.strip_sources=True",
    "--VoilaConfiguration.show_tracebacks=False",
    "--VoilaConfiguration.file_allowlist=[]",
    "--ContentsManager.allow_hidden=False",
    # No route around the rights: kernels take widget messages only (no code), no terminal, and the
    # shared dashboards folder cannot be written through the contents API (workbench/hub.py).
    *SINGLE_USER_ARGS,
]
if os.geteuid() == 0:  # a container or CI running as root; a real host runs the hub as a service user
    c.Spawner.args.append("--allow-root")
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60


def pre_spawn_hook(spawner) -> None:  # noqa: ANN001 - JupyterHub's Spawner
    """Hand the user's rights (from their hub groups) to their server and its kernels."""
    rights = access.rights_from_groups(g.name for g in spawner.user.groups)
    if rights.nothing:
        raise web.HTTPError(403, f"{spawner.user.name} is in no region group (region-<id>) and not a reviewer: "
                                 "ask the coordinator to add you to your region's group")
    spawner.environment.update(access.environment(rights))
    spawner.environment.update({
        "WORKBENCH_DATA": str(data),
        "JUPYTER_PATH": jupyter_path(),  # Voilà finds the workbench's template
    })
    own = sorted(rights.edit or ())
    if len(own) == 1:
        spawner.default_url = "/voila/render/workshop.ipynb?" + urlencode({"region": own[0]})
    else:
        spawner.default_url = "/voila/render/conference.ipynb"


c.Spawner.pre_spawn_hook = pre_spawn_hook
