"""Who may read and edit which region: the access file of ``workbench serve --access``, the kernels'
refusals, the account in the change log, and a real ``workbench serve --access`` tried as an allowed
and as a refused visitor on every route (landing page, query string, files, download, save).
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench import access
from workbench.dashboards import common, roadmap_view, workshop
from workbench.data import RegionStore

from .conftest import ROOT, snapshot
from .support.voila_server import Server

NORD, REV = "nord-token-0123456789", "reviewer-token-0123456789"
ACCESS = f"""
[accounts.nord]
token = "{NORD}"
edit = ["fr-nord"]

[accounts.reviewers]
token = "{REV}"
read = ["*"]
"""


def _write_access(folder: Path) -> Path:
    path = folder / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two example regions as the kernels' data folder, with no rights set."""
    root = tmp_path / "partners"
    root.mkdir()
    for rid in ("be-hainaut", "fr-nord"):
        shutil.copytree(ROOT / "data" / "partners" / rid, root / rid)
    monkeypatch.setenv("WORKBENCH_DATA", str(root))
    for name in ("WORKBENCH_READ_ONLY", "VOILA_PREHEAT", "WORKBENCH_EDIT_REGIONS", "WORKBENCH_READ_REGIONS",
                 "WORKBENCH_ACCESS", access.ACCOUNT_ENV, access.HUB_USER_ENV):
        monkeypatch.delenv(name, raising=False)
    return root


def _as(monkeypatch: pytest.MonkeyPatch, access_file: Path, account: str | None) -> None:
    """This kernel works for ``account`` of ``access_file``, as ``workbench serve --access`` sets it up."""
    monkeypatch.setenv("WORKBENCH_ACCESS", str(access_file))
    if account is None:
        monkeypatch.delenv(access.ACCOUNT_ENV, raising=False)
    else:
        monkeypatch.setenv(access.ACCOUNT_ENV, account)


# --- the access file ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, says", [
    ("accounts = [", "not valid TOML"),
    ('[users.x]\ntoken = "0123456789abcdef"', "only [accounts.<name>]"),
    ('[accounts.x]\ntoken = "0123456789abcdef"\nwrite = ["fr-nord"]', "may only have token, edit and read"),
    ('[accounts.x]\nedit = ["fr-nord"]', "shorter than 16"),
    ('[accounts.x]\ntoken = "0123456789abcdef"\n[accounts.y]\ntoken = "0123456789abcdef"', "token of another"),
    ('[accounts.x]\ntoken = "0123456789abcdef"\nedit = ["../fr-nord"]', "is not a region id"),
    ('[accounts.x]\ntoken = "0123456789abcdef"\nread = "fr-nord"', "must be a list"),
])
def test_a_broken_access_file_is_refused_with_a_fix(text: str, says: str):
    with pytest.raises(access.AccessFileInvalid, match=says.replace("[", r"\[").replace(".", r"\.")) as info:
        access.parse_access(text)
    assert info.value.fix


def test_a_token_finds_its_account_and_nothing_else(tmp_path: Path):
    accounts = access.read_access(_write_access(tmp_path))
    assert access.account_for_token(accounts, NORD).name == "nord"
    assert access.account_for_token(accounts, REV).name == "reviewers"
    for wrong in ("", NORD[:-1], NORD + "x", NORD.upper()):
        assert access.account_for_token(accounts, wrong) is None
    with pytest.raises(access.AccessFileInvalid, match="cannot read"):
        access.read_access(tmp_path / "missing.toml")


# --- in the kernel -----------------------------------------------------------------------------

def test_the_account_of_the_access_file_decides_in_the_kernel(data: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    path = _write_access(tmp_path)
    _as(monkeypatch, path, None)  # no valid token: nothing at all
    assert common.list_regions() == []
    _as(monkeypatch, path, "somebody-removed-from-the-file")
    assert common.list_regions() == []
    _as(monkeypatch, path, "nord")
    assert [r.id for r in common.list_regions()] == ["fr-nord"]
    before = snapshot(data / "be-hainaut")
    # The query string cannot open another region: the account's own is shown, with a note.
    for page in (workshop.Workshop, roadmap_view.RoadmapView):
        app = page({"region": "be-hainaut", "lang": "en"})
        assert app.entry is not None and app.entry.id == "fr-nord" and app.refused == "be-hainaut"
        assert [v for _, v in app.region_pick.options] == ["fr-nord"]
        app.region_pick.options = [("Hainaut", "be-hainaut"), ("Nord", "fr-nord")]  # a tampered page
        app.region_pick.value = "be-hainaut"
        assert app.entry.id == "fr-nord"
    # A save in the account's region records the account beside the role typed in the form.
    app = workshop.Workshop({"region": "fr-nord", "lang": "en"})
    app.role.value = "police-zone-lead"
    store = app.store(app.role.value)
    store.edit_agency(next(iter(store.load().by_id)), notes="Checked at the workshop.")
    last = json.loads((data / "fr-nord" / "changes.jsonl").read_text().splitlines()[-1])
    assert (last["editor"], last["account"]) == ("police-zone-lead", "nord")
    assert RegionStore(data / "fr-nord").history()[-1].account == "nord"
    # A reviewer reads every region and edits none: the kernel refuses, whatever the page sends.
    _as(monkeypatch, path, "reviewers")
    assert [r.id for r in common.list_regions()] == ["be-hainaut", "fr-nord"]
    rm = roadmap_view.RoadmapView({"region": "be-hainaut", "lang": "en"})
    assert rm.read_only and rm.form.title.disabled
    rm.form.save_btn.disabled = False  # as a tampered page would
    rm.form.save_btn.click()
    assert rm.messages.widget.value and "wb-msg-error" in rm.messages.widget.value
    with pytest.raises(common.ReadOnly):
        workshop.Workshop({"region": "be-hainaut", "lang": "en"}).store("reviewer")
    assert snapshot(data / "be-hainaut") == before


def test_under_jupyterhub_the_hub_user_is_the_account(data: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WORKBENCH_EDIT_REGIONS", "fr-nord")
    monkeypatch.setenv("WORKBENCH_READ_REGIONS", "be-hainaut")
    monkeypatch.setenv(access.HUB_USER_ENV, "alice")
    monkeypatch.setenv(access.ACCOUNT_ENV, "mallory")  # a header is no one's word without --access
    app = workshop.Workshop({"region": "fr-nord", "lang": "en"})
    store = app.store("ngo-coordinator")
    store.edit_agency(next(iter(store.load().by_id)), notes="Seen by the hub user.")
    last = RegionStore(data / "fr-nord").history()[-1]
    assert (last.editor, last.account) == ("ngo-coordinator", "alice")
    other = workshop.Workshop({"region": "be-hainaut", "lang": "en"})  # read, not edited
    assert other.entry is not None and other.entry.id == "be-hainaut" and other.read_only
    with pytest.raises(common.ReadOnly):
        other.store("ngo-coordinator")


def test_old_change_logs_still_load_and_laptop_logs_have_no_account(data: Path):
    folder = data / "fr-nord"
    old = {"seq": 1, "time": "2025-01-01T00:00:00+00:00", "editor": "workshop", "summary": "edit agency x",
           "rows": [], "undoes": None, "based_on": 0}
    (folder / "changes.jsonl").write_text(json.dumps(old) + "\n", encoding="utf-8")
    store = RegionStore(folder, editor="laptop-user")
    store.edit_agency(next(iter(store.load().by_id)), notes="On a laptop.")
    history = store.history()
    assert [(c.seq, c.editor, c.account) for c in history] == [(1, "workshop", None), (2, "laptop-user", None)]
    assert "account" not in json.loads((folder / "changes.jsonl").read_text().splitlines()[-1])


# --- a real ``workbench serve --access`` ---------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("access")
    data = base / "partners"
    shutil.copytree(ROOT / "data" / "partners", data)
    server = Server(data, base / "serve.log", "--access", str(_write_access(base)))
    try:
        _wait(server)
        yield server
    finally:
        server.stop()


def _wait(server: Server) -> None:
    """Wait until the server answers (its landing page asks for a login) and its kernel pools are full."""
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(server.text())
        try:
            urllib.request.urlopen(f"{server.url}/login", timeout=2).read()
            break
        except OSError:
            time.sleep(0.3)
    for name in ("workshop", "roadmap", "conference"):
        assert server.wait_pool(name, max(1.0, deadline - time.monotonic())), server.text()[-3000:]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Status, ``Location`` and body of a GET, without following redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
            return r.status, r.headers.get("Location", ""), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", ""), exc.read().decode("utf-8", "replace")


def test_serve_access_refuses_every_route_without_a_token(served: Server):
    every_region = sorted(p.parent.name for p in served.data.glob("*/region.toml"))
    for path in ("/", "/?lang=fr", "/voila/render/workshop.ipynb?region=fr-nord",
                 "/voila/render/roadmap.ipynb?region=be-hainaut", "/voila/render/conference.ipynb",
                 "/voila/files/fr-nord/actions.csv", "/voila/api/contents", "/api/kernels",
                 f"/?token={NORD}x", f"/voila/render/workshop.ipynb?token={NORD[:-1]}"):
        status, location, body = _get(served.url + path)
        assert status in (302, 403, 404), (path, status)
        assert status != 302 or "/login" in location, (path, location)
        assert not any(f"region={r}" in body for r in every_region), path
    # With a token: the landing page lists the account's regions and no other, whatever header is forged.
    status, _, body = _get(f"{served.url}/?token={NORD}", {access.ACCOUNT_HEADER: "reviewers"})
    assert status == 200
    assert {r for r in every_region if f"region={r}" in body} == {"fr-nord"}
    status, _, body = _get(f"{served.url}/?token={REV}")
    assert status == 200 and {r for r in every_region if f"region={r}" in body} == set(every_region)
    # No file of the data folder is served to anybody, not even to the region's own account.
    for path in ("/voila/files/fr-nord/actions.csv", "/files/fr-nord/actions.csv", "/static/../fr-nord/region.toml"):
        status, _, body = _get(f"{served.url}{path}?token={NORD}")
        assert status in (302, 403, 404) and "fr-nord" not in body, (path, status)


def test_serve_access_as_an_allowed_and_a_refused_visitor(served: Server):
    from playwright.sync_api import expect

    from .support.browser import launch
    from .support.dashboards import TIMEOUT_MS, url_of

    def open_page(page, name: str, **params: str) -> None:  # noqa: ANN001
        served.wait_pool(name)
        served.visiting(name)
        page.goto(url_of(served, name, **params))
        page.wait_for_selector(".wb-app.wb-ready", timeout=TIMEOUT_MS)

    hainaut_before = snapshot(served.data / "be-hainaut")
    with launch({"width": 1440, "height": 1000}) as page:
        page.set_extra_http_headers({access.ACCOUNT_HEADER: "reviewers"})  # a forged account: never believed
        # Without a token the page is the login form; the token typed there lets the visitor in.
        page.goto(url_of(served, "roadmap", region="fr-nord", lang="en"))
        page.fill("input[name=password]", NORD)
        page.locator("[type=submit]").first.click()
        page.wait_for_selector(".wb-app.wb-ready", timeout=TIMEOUT_MS)
        served.visiting("roadmap")
        expect(page.locator(".wb-region-pick option")).to_have_count(1)
        # The account's region: an action saved, the account logged beside the role.
        proposal = page.locator(".wb-action-pick option", has_text="workbench suggestion").first.inner_text()
        page.select_option(".wb-action-pick select", label=proposal)
        page.locator(".wb-help", has_text="A proposal of the workbench").wait_for()
        page.select_option(".wb-action-status select", label="In progress")
        page.click("button.wb-action-save")
        page.locator(".wb-messages .wb-msg-ok", has_text="Saved:").first.wait_for(timeout=TIMEOUT_MS)
        last = json.loads((served.data / "fr-nord" / "changes.jsonl").read_text().splitlines()[-1])
        assert (last["editor"], last["account"]) == ("coordinator", "nord")
        # Another region through the query string, in each dashboard: the account's own is shown instead,
        # so the roadmap's downloads are of that region too.
        for name in ("workshop", "roadmap"):
            open_page(page, name, region="be-hainaut", lang="en")
            expect(page.locator(".wb-body.wb-region-fr-nord")).to_have_count(1)
            expect(page.locator(".wb-body.wb-region-be-hainaut")).to_have_count(0)
            expect(page.locator(".wb-region-pick option")).to_have_count(1)
            expect(page.locator(".wb-note").first).to_contain_text("be-hainaut")
        # The conference lists the account's region alone.
        open_page(page, "conference", lang="en")
        assert "Hainaut" not in page.locator(".wb-body").inner_text()
        assert not page.errors
    with launch({"width": 1440, "height": 1000}) as page:
        # A reviewer reads another region and may not edit it: no form to save with.
        page.goto(f"{served.url}/?token={REV}")
        open_page(page, "roadmap", region="be-hainaut", lang="en")
        expect(page.locator(".wb-body.wb-region-be-hainaut")).to_have_count(1)
        expect(page.locator("button.wb-action-save")).to_be_hidden()
        expect(page.locator(".wb-action-title input")).to_be_disabled()
    assert snapshot(served.data / "be-hainaut") == hainaut_before
    assert "Traceback" not in served.text()


def test_the_kubernetes_values_lock_single_user_servers_as_the_tested_hub_does():
    import re

    import yaml

    from workbench.hub import SINGLE_USER_ARGS

    text = (ROOT / "deploy" / "jupyterhub" / "kubernetes.md").read_text(encoding="utf-8")
    values = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    cmd = next(v["singleuser"]["cmd"] for v in values if isinstance(v, dict) and "singleuser" in v)
    assert set(SINGLE_USER_ARGS) <= set(cmd), set(SINGLE_USER_ARGS) - set(cmd)
