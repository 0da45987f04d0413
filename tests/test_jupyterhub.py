"""A real JupyterHub (deploy/jupyterhub/jupyterhub_config.py) with configurable-http-proxy from npm:
users log in in Chromium and each works in their own region, and only there.

Prints how long a user waits from the login form to an interactive workbench (single-user server start
included).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import procs
from .support.browser import CHROMIUM_ARGS, require_chromium
from .support.regions import ROOT

HUB = ROOT / "deploy" / "jupyterhub"
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "workshop-demo"
GROUPS = {"region-fr-nord": ["alice"], "region-be-hainaut": ["bob"], "reviewers": ["rev"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not PROXY.exists():
        pytest.fail(f"{PROXY} is missing: 'make test' installs it (npm install --prefix deploy/jupyterhub)")
    base = tmp_path_factory.mktemp("hub")
    data = base / "data"
    shutil.copytree(ROOT / "data" / "partners", data)
    groups = base / "groups.toml"
    groups.write_text("".join(f'{g} = {list(users)!r}\n'.replace("'", '"') for g, users in GROUPS.items()))
    url = f"http://127.0.0.1:{_free_port()}"
    env = {**os.environ, "PATH": f"{PROXY.parent}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}",
           "WORKBENCH_HUB_DATA": str(data), "WORKBENCH_HUB_GROUPS": str(groups),
           "WORKBENCH_HUB_STATE": str(base / "state"), "WORKBENCH_HUB_URL": url,
           "WORKBENCH_HUB_DEMO_PASSWORD": PASSWORD, "CONFIGPROXY_API_PORT": str(_free_port())}
    env.pop("WORKBENCH_DATA", None)
    log = (base / "hub.log").open("wb")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("jupyterhub")), "-f", str(HUB / "jupyterhub_config.py"),
                             f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{env['CONFIGPROXY_API_PORT']}"],
                            cwd=base, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/hub/login", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("the hub did not start:\n" + (base / "hub.log").read_text()[-3000:])
        assert proc.poll() is None, (base / "hub.log").read_text()[-3000:]
        yield {"url": url, "data": data, "log": base / "hub.log", "pid": proc.pid}
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()


def _login(browser: Any, hub: dict[str, Any], user: str) -> tuple[Any, float]:
    page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    t0 = time.perf_counter()
    page.goto(f"{hub['url']}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("[type=submit]")
    return page, t0


#: Tried in the user's own server's page: start a kernel through the REST API and send it code to run
#: (``execute_request``) and a question it may answer (``kernel_info_request``); which ones got a reply.
_TRY_KERNEL = """async ([base, xsrf]) => {
  const r = await fetch(base + "api/kernels", {method: "POST", body: "{}",
                        headers: {"X-XSRFToken": xsrf, "Content-Type": "application/json"}});
  if (!r.ok) { return ["start refused " + r.status]; }
  const id = (await r.json()).id;
  const ws = new WebSocket(base.replace(/^http/, "ws") + "api/kernels/" + id + "/channels");
  const replies = [];
  ws.onmessage = (ev) => { const m = JSON.parse(ev.data);
                           if (m.parent_header && m.parent_header.msg_id) replies.push(m.parent_header.msg_id); };
  await new Promise((ok) => { ws.onopen = ok; });
  const send = (id, type, content) => ws.send(JSON.stringify({channel: "shell", content, metadata: {},
      parent_header: {}, header: {msg_id: id, msg_type: type, username: "", session: "s", version: "5.3"}}));
  send("run-code", "execute_request", {code: "open('written-by-a-page', 'w')", silent: false});
  send("ask-info", "kernel_info_request", {});
  await new Promise((ok) => setTimeout(ok, 8000));
  ws.close();
  await fetch(base + "api/kernels/" + id, {method: "DELETE", headers: {"X-XSRFToken": xsrf}});
  return [...new Set(replies)];
}"""


def _other_routes_refused(page: Any, hub: dict[str, Any], user: str, region: str, other: str) -> None:
    """Every other route to another region, tried as ``user``: refused; a save in the own region logs the user."""
    from playwright.sync_api import expect

    base = f"{hub['url']}/user/{user}/"
    # The roadmap, and its downloads, through the query string: the user's own region again.
    page.goto(f"{base}voila/render/roadmap.ipynb?region={other}&lang=en")
    page.locator(".wb-app.wb-ready").wait_for()
    expect(page.locator(f".wb-body.wb-region-{region}")).to_have_count(1)
    expect(page.locator(f".wb-body.wb-region-{other}")).to_have_count(0)
    # Files: nothing of the data folder is served, through any file route.
    for path in (f"voila/files/{other}/actions.csv", f"files/{other}/actions.csv",
                 f"files/..%2F..%2F..%2Fdata%2F{other}%2Factions.csv", f"api/contents/{other}",
                 "api/contents/..%2F..%2F..%2Fdata"):
        r = page.request.get(base + path)
        assert r.status in (403, 404) and "source,target" not in r.text(), (path, r.status)
    assert other not in page.request.get(base + "api/contents").text()
    xsrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"), "")
    # Nothing that writes or runs code: the shared dashboards, a terminal, code sent to a kernel.
    r = page.request.put(base + "api/contents/workshop.ipynb", headers={"X-XSRFToken": xsrf},
                         data='{"type": "file", "format": "text", "content": "import os"}')
    assert r.status == 403 and "read-only" in r.text(), (r.status, r.text())
    r = page.request.post(base + "api/terminals", headers={"X-XSRFToken": xsrf})
    assert r.status in (403, 404), r.status
    replies = page.evaluate(_TRY_KERNEL, [base, xsrf])
    assert "ask-info" in replies and "run-code" not in replies, replies
    # A save in the user's own region: the change log has the hub user beside the role (the form's).
    page.goto(f"{base}voila/render/roadmap.ipynb?region={region}&lang=en")
    page.locator(".wb-app.wb-ready").wait_for()
    proposal = page.locator(".wb-action-pick option", has_text="workbench suggestion").first.inner_text()
    page.select_option(".wb-action-pick select", label=proposal)
    page.locator(".wb-help", has_text="A proposal of the workbench").wait_for()
    page.select_option(".wb-action-status select", label="In progress")
    page.click("button.wb-action-save")
    page.locator(".wb-messages .wb-msg-ok", has_text="Saved:").first.wait_for()
    last = json.loads((hub["data"] / region / "changes.jsonl").read_text().splitlines()[-1])
    assert (last["editor"], last["account"]) == ("coordinator", user)


def test_each_user_works_in_their_own_region_and_only_there(hub: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    path = require_chromium()
    shots = ROOT / "docs" / "screenshots" / "tmp"
    shots.mkdir(parents=True, exist_ok=True)
    waits: dict[str, float] = {}
    memory: dict[str, float] = {}  # PSS of each user's single-user server with its workbench page open
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            for user, region, name in (("alice", "fr-nord", "Département du Nord"),
                                       ("bob", "be-hainaut", "Hainaut")):
                page, t0 = _login(browser, hub, user)
                page.locator(".wb-app.wb-ready").wait_for()
                waits[user] = time.perf_counter() - t0
                memory[user] = procs.user_tree_pss_mb(hub["pid"], "JUPYTERHUB_USER", user)
                assert f"/user/{user}/voila/render/workshop.ipynb" in page.url and f"region={region}" in page.url
                options = page.locator(".wb-region-pick option").all_inner_texts()
                assert len(options) == 1 and name in options[0].replace("\xa0", " "), options
                expect(page.locator(".wb-role input")).to_be_enabled()
                page.screenshot(path=str(shots / f"hub-{user}.png"))
                # Another region through the query string: refused, the user's own region is shown instead.
                other = "be-hainaut" if region == "fr-nord" else "fr-nord"
                page.goto(page.url.split("?")[0] + f"?region={other}")
                page.locator(".wb-app.wb-ready").wait_for()
                expect(page.locator(".wb-region-pick option")).to_have_count(1)
                expect(page.locator(".wb-region-pick option")).to_contain_text(name.split()[0])
                expect(page.locator(".wb-note").first).to_contain_text(other)  # says the asked region was refused
                _other_routes_refused(page, hub, user, region, other)
                # Another user's server: the hub refuses (403) or sends the user back to their own.
                someone = "bob" if user == "alice" else "alice"
                page.goto(f"{hub['url']}/user/{someone}/voila/render/workshop.ipynb")
                page.wait_for_load_state()
                assert not page.url.startswith(f"{hub['url']}/user/{someone}/"), page.url  # the hub answered, not
                expect(page.locator(".wb-app")).to_have_count(0)  # the other user's server
                page.context.close()
            # A reviewer reads every region, and may not edit any.
            page, t0 = _login(browser, hub, "rev")
            page.locator(".wb-app.wb-ready").wait_for()
            waits["rev"] = time.perf_counter() - t0
            memory["rev"] = procs.user_tree_pss_mb(hub["pid"], "JUPYTERHUB_USER", "rev")
            assert "/user/rev/voila/render/conference.ipynb" in page.url
            page.goto(f"{hub['url']}/user/rev/voila/render/workshop.ipynb?region=be-hainaut")
            page.locator(".wb-app.wb-ready").wait_for()
            expect(page.locator(".wb-region-pick option")).to_have_count(len(list(hub["data"].glob("*/region.toml"))))
            expect(page.locator(".wb-role input")).to_have_count(0)  # no role, no undo: nothing to edit with
            rights_note = "vous pouvez consulter cette région, mais pas la modifier"  # be-hainaut speaks French
            expect(page.locator(".wb-note", has_text=rights_note)).to_have_count(1)
            page.screenshot(path=str(shots / "hub-reviewer.png"))
            page.context.close()
            # Somebody in no group gets no server at all.
            page, _ = _login(browser, hub, "mallory")
            page.wait_for_load_state()
            assert "/user/mallory/" not in page.url
            assert "403" in page.content() or "Forbidden" in page.content()
            assert "mallory is in no region group" in hub["log"].read_text()
            page.context.close()
        finally:
            browser.close()
    assert not list(hub["data"].parent.rglob("written-by-a-page"))  # the code sent to a kernel never ran
    print("\nfrom the login form to an interactive workbench (server start included): "
          + ", ".join(f"{u} {s:.1f} s" for u, s in waits.items())
          + "\nmemory of each user's single-user server with one workbench page open (PSS, server and kernels): "
          + ", ".join(f"{u} {m:.0f} MiB" for u, m in memory.items()))
    assert all(m > 50 for m in memory.values()), memory  # each user's server was found and measured
    assert "Traceback" not in hub["log"].read_text()
