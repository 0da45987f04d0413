"""``notebooks/explore.ipynb``, the analysts' notebook: stored clean, runs top to bottom, never served."""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from workbench.dashboards.common import DASHBOARDS
from workbench.paths import examples_dir

from .conftest import ROOT
from .support.voila_server import Server, data_copy

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def read() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def folder_digest(folder: Path) -> str:
    """One hash of every file's path and bytes under ``folder``."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


# --- the stored notebook ------------------------------------------------------------------------

def test_stored_without_outputs_or_execution_counts():
    raw = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert raw["nbformat"] == 4
    nb = read()
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 8
    for cell in code:
        assert cell.outputs == [], cell.id
        assert cell.execution_count is None, cell.id
    assert [c.id for c in code if "parameters" in c.metadata.get("tags", [])] == ["parameters"]
    assert "explore" not in DASHBOARDS


def test_uses_only_the_public_api():
    """Every name taken from the package is public: listed in its module's ``__all__`` (``api.x`` in api's)."""
    from workbench import api

    used = set()
    for cell in read().cells:
        if cell.cell_type != "code":
            continue
        assert "._" not in cell.source, cell.id
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("workbench"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    public = getattr(module, "__all__", None)
                    assert (alias.name in public) if public is not None else not alias.name.startswith("_"), \
                        f"{node.module}.{alias.name}"
                    used.add(f"{node.module}.{alias.name}")
            elif isinstance(node, ast.Import):
                assert all(not a.name.startswith("workbench.") or "._" not in a.name for a in node.names)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "api":
                assert node.attr in api.__all__, f"api.{node.attr}"
                used.add(f"api.{node.attr}")
    assert "workbench.api" in used and len(used) >= 8, sorted(used)


# --- executed --------------------------------------------------------------------------------

def outputs(nb: nbformat.NotebookNode) -> dict[str, list[Any]]:
    return {c.id: c.outputs for c in nb.cells if c.cell_type == "code"}


def text_of(cell_outputs: list[Any]) -> str:
    return "".join(o.get("text", "") for o in cell_outputs if o.output_type == "stream")


def mime(cell_outputs: list[Any], kind: str) -> list[str]:
    return [o.data[kind] for o in cell_outputs if o.output_type in ("display_data", "execute_result")
            and kind in o.data]


@pytest.mark.parametrize(("region", "lang", "changes"), [("be-hainaut", "en", 3), ("fr-nord", "fr", 1)])
def test_runs_top_to_bottom(tmp_path: Path, region: str, lang: str, changes: int):
    """Executed on an example region in an empty folder: tables, pictures, the map; no error; no file written."""
    nb = read()
    params = next(c for c in nb.cells if c.id == "parameters")
    assert 'REGION = "be-hainaut"' in params.source and 'LANG = "en"' in params.source
    params.source = params.source.replace('"be-hainaut"', f'"{region}"').replace('LANG = "en"', f'LANG = "{lang}"')
    before = folder_digest(examples_dir() / region)

    NotebookClient(nb, kernel_name="python3", timeout=600, allow_errors=False,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    out = outputs(nb)
    everything = [o for cell in out.values() for o in cell]
    assert not [o for o in everything if o.output_type == "error"]
    assert not [o.text for o in everything if o.output_type == "stream" and o.name == "stderr"]
    # The region loaded and named.
    assert "Example regions:" in text_of(out["load"]) and region in text_of(out["load"])
    # pandas tables: the agencies, the central agencies, the figures, the gaps, the what-if comparisons.
    for cell in ("load", "central", "figures", "gaps", "what-if-figures", "what-if-maturity", "what-if-gaps"):
        tables = mime(out[cell], "text/html")
        assert tables and "<table" in tables[0], cell
    central = mime(out["central"], "text/html")[0]
    assert "betweenness" in central and "broker" in central
    # The maturity table as text, in the chosen language, and its radar as a picture.
    assert ("Characteristic" if lang == "en" else "Caractéristique") in text_of(out["maturity"])
    for cell in ("maturity", "map"):
        pictures = mime(out[cell], "image/png")
        assert pictures and base64.b64decode(pictures[0])[:8] == PNG_MAGIC, cell
    # The interactive map in a sandboxed srcdoc iframe, the page inside it escaped.
    frame = mime(out["map-interactive"], "text/html")
    assert frame and frame[0].startswith('<iframe sandbox="allow-scripts"') and 'srcdoc="&lt;!DOCTYPE html' in frame[0]
    assert "<script" not in frame[0]
    # The what-if: its changes made in memory only, and what they move shown.
    assert f"{changes} change(s)" in text_of(out["what-if"])
    assert "●" in mime(out["what-if-figures"], "text/plain")[0]
    assert "G01" in mime(out["what-if-gaps"], "text/html")[0]
    assert folder_digest(examples_dir() / region) == before
    assert list(tmp_path.iterdir()) == []


# --- not served ------------------------------------------------------------------------------

def status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = Server(data_copy(tmp_path_factory.mktemp("explore-serve")), tmp_path_factory.mktemp("log") / "serve.log")
    try:
        s.wait_up()
        yield s
    finally:
        s.stop()


def test_workbench_serve_does_not_serve_it(server: Server):
    assert NOTEBOOK.is_file()  # it is there, next to the dashboards
    for path in ("/voila/render/explore.ipynb", "/voila/render/explore.ipynb?region=be-hainaut",
                 "/voila/api/contents/explore.ipynb", "/voila/files/explore.ipynb"):
        assert status(server.url + path)[0] in (403, 404), path
    code, listing = status(server.url + "/voila/api/contents")
    assert code == 200
    assert sorted(x["name"] for x in json.loads(listing)["content"]) == sorted(f"{d}.ipynb" for d in DASHBOARDS)
    code, landing = status(server.url + "/")
    assert code == 200 and "explore" not in landing
    # One preheated kernel per dashboard, none for the explore notebook.
    assert len(server.kernels()) == len(DASHBOARDS)
    # The dashboards still render.
    server.visiting("workshop")
    code, page = status(server.url + "/voila/render/workshop.ipynb?region=be-hainaut")
    assert code == 200 and "Regional workbench" in page, server.text()[-3000:]
