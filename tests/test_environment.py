"""environment.yml (for conda users) lists the same dependencies as pyproject.toml."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {"python-build": "build"}  # conda-forge's name for a PyPI package
    listed = {conda_names.get(d.split(">")[0], d.split(">")[0]) + d[len(d.split(">")[0]):]
              for d in env["dependencies"] if isinstance(d, str)} - {"python>=3.11", "pip"}
    assert listed == wanted
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert [line.split("#")[0].strip() for line in pip] == ["."], "environment.yml installs the package, not -e"
    assert project["requires-python"] == ">=3.11"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
