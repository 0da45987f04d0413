"""Charts: images are produced, deterministic, and every label is escaped in HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.data import Answer, Region, RegionInfo, load_region
from workbench.maturity import assess_region
from workbench.maturity.charts import heatmap_html, heatmap_png, radar_png, radar_svg

from .conftest import ROOT

PNG = b"\x89PNG\r\n\x1a\n"
HOSTILE = '<script>alert("x")</script> & $x^2$ \'quote\''


@pytest.fixture(scope="module")
def hainaut() -> dict:
    return assess_region(load_region(ROOT / "data" / "partners" / "be-hainaut"))


def series(result: dict) -> dict:
    return {"Hainaut": {c: r["level"] for c, r in result.items()},
            HOSTILE: {"C1": 4, "C2": None, "C3": 1, "C4": 2, "C5": 3}}


def png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_radar_png_is_produced_and_deterministic(hainaut: dict, tmp_path: Path):
    out = tmp_path / "radar.png"
    a = radar_png(series(hainaut), "fr", title=HOSTILE, path=out)
    b = radar_png(series(hainaut), "fr", title=HOSTILE)
    assert a.startswith(PNG) and a == b == out.read_bytes()
    w, h = png_size(a)
    assert 400 < w < 1200 and 400 < h < 1200


def test_heatmap_png_is_produced_and_deterministic(hainaut: dict, tmp_path: Path):
    a = heatmap_png(hainaut, "en", title="Hainaut", path=tmp_path / "heat.png")
    assert a.startswith(PNG) and a == heatmap_png(hainaut, "en", title="Hainaut")
    w, h = png_size(a)
    assert w > 2 * h  # forty indicator columns, a few rater rows


def test_heatmap_png_with_dollar_signs_and_unicode_raters():
    ans = [Answer("2025", "C1.1", "2", "$a$ rater"), Answer("2025", "C1.1", "0", "Πολίτης")]
    res = assess_region(Region(RegionInfo("xx-a", "A", "BE"), assessment=tuple(ans)))
    assert heatmap_png(res).startswith(PNG)


def test_radar_svg_escapes_labels_and_needs_no_network(hainaut: dict):
    svg = radar_svg(series(hainaut), "en", title=HOSTILE)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "&#x27;quote&#x27;" in svg and "& " not in svg
    # the only URL is the SVG namespace: no CDN, no external resource
    assert re.findall(r"https?://[^\s\"']+", svg) == ["http://www.w3.org/2000/svg"]
    assert svg == radar_svg(series(hainaut), "en", title=HOSTILE)
    assert "(no level: C2)" in svg


def test_heatmap_html_escapes_rater_names(hainaut: dict):
    ans = [Answer("2025", "C1.1", "2", HOSTILE), Answer("2025", "C1.1", "0", "ok")]
    res = assess_region(Region(RegionInfo("xx-a", "A", "BE"), assessment=tuple(ans)))
    html = heatmap_html(res, "fr")
    assert "<script" not in html and "&lt;script&gt;alert(&quot;x&quot;)" in html
    assert "désaccord" in html  # the consensus cell says the raters disagree
    assert "http" not in heatmap_html(hainaut)
    assert heatmap_html(hainaut).count("<tr>") == 2 + 2 + 1  # two header rows, raters, consensus
