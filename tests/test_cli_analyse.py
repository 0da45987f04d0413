"""`workbench analyse PATH --json`: the contract's keys and hand-computed figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from workbench.cli import main

from .conftest import ROOT

CONTRACT_KEYS = {"agencies", "forums", "relationships", "density", "degree_centralization",
                 "reciprocity", "components", "isolates", "cut_agencies"}


def test_analyse_json_on_the_tiny_region(tiny: Path):
    result = CliRunner().invoke(main, ["analyse", str(tiny), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["region"] == {"id": "xx-tiny", "name": "Tiny test region", "country": "BE"}
    net = out["network"]
    assert CONTRACT_KEYS <= net.keys()
    # 9 live organisations and units (old is discontinued; the two forums are left out);
    # 10 arcs: police->sapv, sapv<->ngo, parquet->praxis, police->parquet, police<->ngo,
    # ngo->shelter, hospital->ngo, muni->ngo (training ngo->police repeats an arc).
    assert (net["agencies"], net["forums"], net["relationships"]) == (9, 2, 19)
    assert net["density"] == 10 / 72
    assert net["reciprocity"] == 4 / 10
    # Undirected degrees 5 (ngo), 3, 2, 2, 1, 1, 1, 1, 0: sum of (5 - d) = 29 over 8 * 7.
    assert net["degree_centralization"] == 29 / 56
    assert (net["components"], net["isolates"]) == (2, ["fpc"])
    assert net["cut_agencies"] == ["ngo", "parquet", "police"]
    assert net["referral_feedback"]["share"] == 1 / 6
    assert net["missing_partners"] == ["social_services", "child_protection", "housing"]
    assert "perpetrators_general" not in net["groups_without_pathway"]
    assert net["single_points_of_failure"][0]["agency"] == "police"
    assert net["roles"]["muni"] == "lead" and net["roles"]["fpc"] == "isolate"


def test_analyse_summary_without_json(tiny: Path):
    result = CliRunner().invoke(main, ["analyse", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "Tiny test region (xx-tiny, BE)" in result.stdout
    assert "cut agencies" in result.stdout and "ngo, parquet, police" in result.stdout


def test_analyse_invalid_region_prints_the_problems(tiny: Path):
    text = (tiny / "relationships.csv").read_text()
    (tiny / "relationships.csv").write_text(text.replace("hospital,ngo", "hopital,ngo"))
    result = CliRunner().invoke(main, ["analyse", str(tiny), "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "relationships.csv:" in result.stderr and "hopital" in result.stderr


def test_analyse_as_a_process_prints_only_json(tiny: Path):
    text = (tiny / "region.toml").read_text()
    (tiny / "region.toml").write_text(text.replace("Tiny test region", "Région d'essai Ωμέγα"))
    exe = Path(sys.executable).with_name("workbench")
    r = subprocess.run([str(exe), "analyse", str(tiny), "--json"], capture_output=True,
                       cwd=ROOT, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert r.returncode == 0, r.stderr
    assert "Région d'essai Ωμέγα".encode() in r.stdout  # ensure_ascii=False
    assert json.loads(r.stdout)["region"]["name"] == "Région d'essai Ωμέγα"
