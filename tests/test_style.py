"""The house style: ruff-clean and mypy-clean code."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean():
    ruff = Path(sys.executable).with_name("ruff")
    r = subprocess.run([str(ruff), "check", "workbench", "tests", "benchmarks", "proof"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def test_mypy_clean():
    """The package type-checks: ``mypy`` with the ``[tool.mypy]`` settings of pyproject.toml."""
    mypy = Path(sys.executable).with_name("mypy")
    r = subprocess.run([str(mypy), "--config-file", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
