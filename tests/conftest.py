"""Shared fixtures: a tiny hand-made region copied into a temporary folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .support.regions import FIXTURES, ROOT, snapshot

__all__ = ["FIXTURES", "ROOT", "snapshot"]

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
