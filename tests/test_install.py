"""The workbench as a new user gets it: a wheel built with ``python -m build``, installed into a fresh
virtual environment, used from an empty folder with no checkout in sight.

Prints the install time, the first roadmap's time and the command line's start-up time.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], cwd: Path, timeout: int = 900, env: dict[str, str] | None = None,
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})})


class Installed:
    def __init__(self, venv: Path, home: Path):
        self.venv = venv
        self.bin = venv / "bin"
        self.home = home  # an empty folder, far from the checkout

    def wb(self, *args: str, cwd: Path | None = None, timeout: int = 900,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return _run([str(self.bin / "workbench"), *args], cwd or self.home, timeout, env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("install")
    dist = base / "dist"
    t0 = time.perf_counter()
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], base, 600)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next(dist.glob("tactics_workbench-*.whl"))
    t_build = time.perf_counter() - t0
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    t0 = time.perf_counter()
    pip = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], base, 1800)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    t_install = time.perf_counter() - t0
    print(f"\nwheel built in {t_build:.1f} s; pip install into a fresh environment: {t_install:.1f} s")
    home = base / "empty"
    home.mkdir()
    yield Installed(venv, home)


def _site_packages(inst: Installed) -> Path:
    out = _run([str(inst.bin / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
               inst.home)
    return Path(out.stdout.strip())


def test_the_installed_package_runs_from_its_own_files(installed: Installed) -> None:
    site = _site_packages(installed)
    code = "import workbench.paths as p; print(p.share_dir()); print(p.templates_dir())"
    out = _run([str(installed.bin / "python"), "-c", code], installed.home)
    assert out.returncode == 0, out.stderr
    share = Path(out.stdout.splitlines()[0])
    assert share.is_relative_to(installed.venv) and share.parts[-3:] == ("share", "jupyter", "workbench"), share
    assert not share.is_relative_to(ROOT)
    for part in ("templates/roadmap.ipynb", "templates/workbook.toml", "templates/voila/templates/workbench/conf.json",
                 "notebooks/workshop.ipynb", "data/reference/de-hanover-haip/region.toml"):
        assert (share / part).is_file(), part
    assert (site / "workbench" / "locales" / "fr" / "LC_MESSAGES" / "ui.po").is_file()
    assert not (site / "data").exists() and not (site / "templates").exists()


def test_start_up_is_quick(installed: Installed) -> None:
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        out = installed.wb("--version")
        runs.append(time.perf_counter() - t0)
        assert out.returncode == 0 and "0.1.0" in out.stdout
    best = min(runs)
    print(f"\nworkbench --version: best of 5 {best:.2f} s, median {sorted(runs)[2]:.2f} s")
    assert best < 0.5


def test_a_working_group_works_from_an_empty_folder(installed: Installed) -> None:
    home = installed.home
    r = installed.wb("init", "group", "--examples")
    assert r.returncode == 0, r.stderr
    ws = home / "group"
    assert (ws / "README.md").read_text().count("workbench ") >= 5
    assert "/out/" in (ws / ".gitignore").read_text()
    assert (ws / "data" / "partners" / "be-hainaut" / "region.toml").is_file()
    again = installed.wb("init", "group")
    assert again.returncode == 1 and "not empty" in again.stderr and "Traceback" not in again.stderr

    # new-region and import write into the workspace, never into the installation
    sub = ws / "notes"
    sub.mkdir()
    r = installed.wb("new-region", "xx-test", "--name", "Test", "--country", "BE", "--language", "fr", cwd=sub)
    assert r.returncode == 0, r.stderr
    assert (ws / "data" / "partners" / "xx-test" / "region.toml").is_file()
    assert not list(installed.venv.rglob("xx-test"))

    r = installed.wb("template", "--out", "blank.xlsx", "--lang", "fr", cwd=ws)
    assert r.returncode == 0 and (ws / "blank.xlsx").stat().st_size > 5000, r.stderr
    r = installed.wb("export", "data/partners/fr-nord", "--out", "books", cwd=ws)
    assert r.returncode == 0, r.stderr
    shutil.rmtree(ws / "data" / "partners" / "fr-nord")
    r = installed.wb("import", "books/fr-nord.xlsx", cwd=ws)
    assert r.returncode == 0, r.stderr
    assert (ws / "data" / "partners" / "fr-nord" / "agencies.csv").is_file()
    assert not list(installed.venv.rglob("fr-nord.xlsx"))

    r = installed.wb("analyse", "data/partners/fr-nord", "--json", cwd=ws)
    assert r.returncode == 0 and '"gaps"' in r.stdout, r.stderr

    t0 = time.perf_counter()
    r = installed.wb("roadmap", "data/partners/be-hainaut", "--format", "html,pdf,docx,md", "--out", "docs", cwd=ws)
    first = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr
    print(f"\nfirst 'workbench roadmap' (html, pdf, docx, md) from the installed wheel: {first:.1f} s")
    for fmt in ("html", "pdf", "docx", "md"):
        assert (ws / "docs" / f"roadmap-be-hainaut.{fmt}").stat().st_size > 2000, fmt
    assert (ws / "docs" / "roadmap-be-hainaut.pdf").read_bytes().startswith(b"%PDF")

    r = installed.wb("compare", "data/partners/be-hainaut", "data/partners/fr-nord", "--out", "cmp", cwd=ws)
    assert r.returncode == 0 and (ws / "cmp" / "comparison.html").is_file(), r.stderr

    # build --data DIR, and build inside the workspace without --data
    two = home / "two"
    two.mkdir()
    for rid in ("xx-test", "fr-nord"):
        shutil.copytree(ws / "data" / "partners" / rid, two / rid)
    r = installed.wb("build", "--data", str(two), "--out", "built", "--format", "html,md")
    assert r.returncode == 0, r.stderr
    assert (home / "built" / "fr-nord" / "roadmap-fr-nord.html").is_file()
    assert (home / "built" / "comparison.html").is_file()
    outside = installed.wb("build", "--out", "x")
    assert outside.returncode == 1 and "workbench init" in outside.stderr and "Traceback" not in outside.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_finds_the_workspace_and_serves_the_dashboards(installed: Installed) -> None:
    ws = installed.home / "served"
    assert installed.wb("init", str(ws)).returncode == 0
    assert installed.wb("new-region", "xx-served", "--name", "Région servie", "--country", "FR",
                        "--language", "fr", cwd=ws).returncode == 0
    port = _free_port()
    log = (installed.home / "serve.log").open("w")
    proc = subprocess.Popen([str(installed.bin / "workbench"), "serve", "--port", str(port), "--pool-size", "0"],
                            cwd=ws, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        page = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    page = resp.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert "xx-served" in page, (installed.home / "serve.log").read_text()
        url = f"http://127.0.0.1:{port}/voila/render/workshop.ipynb?region=xx-served"
        with urllib.request.urlopen(url, timeout=180) as resp:
            body = resp.read().decode()
        assert resp.status == 200 and "jupyter-widgets" in body and "Traceback" not in body
        busy = installed.wb("serve", "--port", str(port), cwd=ws)
        assert busy.returncode == 1 and "in use" in busy.stderr and "--port" in busy.stderr
        assert "Traceback" not in busy.stderr
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


@pytest.mark.parametrize("case", ["chromium-missing", "output-not-writable", "missing-region", "unknown-format",
                                  "unknown-language", "no-workspace"])
def test_expected_problems_get_a_message_and_a_fix_never_a_traceback(installed: Installed, case: str,
                                                                     tmp_path: Path) -> None:
    region = str(ROOT / "tests" / "fixtures" / "regions" / "xx-tiny")
    env = None
    if case == "chromium-missing":
        bare = tmp_path / "bin"  # a PATH with Python but without Chromium
        bare.mkdir()
        os.symlink(sys.executable, bare / "python3")
        env = {"PATH": f"{installed.bin}{os.pathsep}{bare}"}
        args = ["roadmap", region, "--format", "html,pdf", "--out", str(tmp_path / "o")]
        words = "Chromium"
    elif case == "output-not-writable":
        blocker = tmp_path / "file"
        blocker.write_text("not a folder")
        args = ["roadmap", region, "--format", "md", "--out", str(blocker / "out")]
        words = "cannot"
    elif case == "missing-region":
        args = ["analyse", str(tmp_path / "nowhere")]
        words = "no region folder"
    elif case == "unknown-format":
        args = ["roadmap", region, "--format", "odt", "--out", str(tmp_path / "o")]
        words = "unknown format odt"
    elif case == "unknown-language":
        args = ["template", "--out", str(tmp_path / "t.xlsx"), "--lang", "tlh"]
        words = "unknown language"
    else:
        args = ["serve"]
        words = "no data/partners folder"
    r = installed.wb(*args, cwd=tmp_path, env=env)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert words in r.stderr and "(fix: " in r.stderr, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert not (tmp_path / "o").exists() and not (tmp_path / "t.xlsx").exists()
