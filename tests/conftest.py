"""Shared fixtures: a tiny hand-made region copied into a temporary folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]

_CACHE = tempfile.mkdtemp(prefix="workbench-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    """Every test run (and every server or kernel it starts) uses its own empty cache folder."""
    os.environ["WORKBENCH_CACHE"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/regions/xx-tiny."""
    dst = tmp_path / "xx-tiny"
    shutil.copytree(FIXTURES / "regions" / "xx-tiny", dst)
    return dst


def snapshot(folder: Path) -> dict[str, bytes]:
    """Bytes of every file in a folder (to prove nothing was written)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != ".workbench.lock"}
