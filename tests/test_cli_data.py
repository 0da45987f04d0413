"""The data commands of the `workbench` command line, run as a user would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from workbench.data import load_region

from .conftest import ROOT

LINE = re.compile(r"^(?P<file>.+?):(?P<row>\d+|-):(?P<col>[^:]+|-): (?P<msg>.+)$")


def wb(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("workbench")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_validate_valid_and_invalid(tiny: Path):
    ok = wb("validate", str(tiny))
    assert ok.returncode == 0 and ok.stdout == ""
    text = (tiny / "relationships.csv").read_text()
    text = text.replace("hospital,ngo", "hopital,ngo").replace("muni,ngo,funding", "muni,muni,funding")
    (tiny / "relationships.csv").write_text(text)
    bad = wb("validate", str(tiny))
    assert bad.returncode == 1
    lines = bad.stdout.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        m = LINE.match(line)
        assert m and m["file"].endswith("relationships.csv"), line
    assert "Traceback" not in bad.stderr


def test_validate_every_example_region():
    folders = [str(p) for p in sorted((ROOT / "data" / "partners").glob("*/"))]
    r = wb("validate", *folders)
    assert r.returncode == 0, r.stdout


def test_bad_paths_give_messages_not_tracebacks(tmp_path: Path):
    for target in (tmp_path / "missing-region", tmp_path / "../..", tmp_path / "NotAnId"):
        r = wb("validate", str(target))
        assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout
        assert LINE.match(r.stdout.strip().splitlines()[0])


def test_new_region_then_validate(tmp_path: Path):
    r = wb("new-region", "xx-new", "--name", "Région nouvelle", "--country", "FR", "--language", "fr",
           "--data", str(tmp_path))
    assert r.returncode == 0, r.stderr
    region = load_region(tmp_path / "xx-new")
    assert region.name == "Région nouvelle" and region.agencies == ()
    again = wb("new-region", "xx-new", "--name", "x", "--country", "FR", "--data", str(tmp_path))
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = wb("new-region", "../evil", "--name", "x", "--country", "FR", "--data", str(tmp_path))
    assert bad.returncode == 1 and not (tmp_path.parent / "evil").exists()
    bad = wb("new-region", "xx-el", "--name", "x", "--country", "EL", "--data", str(tmp_path))
    assert bad.returncode == 1 and "did you mean 'GR'" in bad.stderr and not (tmp_path / "xx-el").exists()


def test_every_command_has_help():
    for cmd in ("validate", "import", "export", "template", "new-region"):
        r = wb(cmd, "--help")
        assert r.returncode == 0 and "Usage" in r.stdout


def test_network_command_writes_every_format(tiny: Path, tmp_path: Path):
    import networkx as nx
    r = wb("network", str(tiny), "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    for fmt in ("html", "png", "svg", "graphml", "gexf", "json"):
        assert (tmp_path / f"network-xx-tiny.{fmt}").stat().st_size > 100
    g = nx.read_gexf(tmp_path / "network-xx-tiny.gexf")
    assert g.number_of_nodes() == 12 and g.number_of_edges() == 19
    bad = wb("network", str(tiny), "--out", str(tmp_path), "--format", "pdf")
    assert bad.returncode == 1 and "--format" in bad.stderr and "Traceback" not in bad.stderr


def test_assess_prints_the_table_and_changes_since_a_round():
    r = wb("assess", str(ROOT / "data" / "partners" / "be-hainaut"), "--lang", "en", "--since", "2025-baseline")
    assert r.returncode == 0, r.stderr
    assert "C3" in r.stdout and "Since 2025-baseline (now 2026-review)" in r.stdout
    assert "indicators that moved: " in r.stdout and "C3.6" in r.stdout
    bad = wb("assess", str(ROOT / "data" / "partners" / "be-hainaut"), "--round", "1999")
    assert bad.returncode == 1 and "no round" in bad.stderr
    fr = wb("assess", str(ROOT / "data" / "partners" / "be-hainaut"), "--since", "2025-baseline")  # a French region
    assert fr.returncode == 0, fr.stderr
    assert "Depuis 2025-baseline (maintenant 2026-review) :" in fr.stdout
    assert "indicateurs qui ont bougé :" in fr.stdout and "nouveaux désaccords :" in fr.stdout
    assert "Since " not in fr.stdout and "indicators that moved" not in fr.stdout


def test_compare_command(tmp_path: Path):
    folders = [str(p) for p in sorted((ROOT / "data" / "partners").glob("*/"))[:3]]
    r = wb("compare", *folders, "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    assert page.count("<tr") >= 3 and "http://" not in page and "https://" not in page
    bad = wb("compare", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x"))
    assert bad.returncode == 1 and not (tmp_path / "x" / "comparison.html").exists()


def test_problems_are_printed_in_the_regions_language_as_the_forms_show_them(tiny: Path):
    """A French region's malformed file is reported in French, with the sentence the dashboards' forms show."""
    from workbench import i18n
    from workbench.data.schema import check_id, check_since

    assert load_region(tiny).info.language == "fr"
    with (tiny / "agencies.csv").open("a", encoding="utf-8") as f:
        f.write("Police!,Zone Nord,police,,,,,,,active,,\n")
    text = (tiny / "relationships.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = text[1].split(",")
    row[header.index("since")] = "2024-13"
    (tiny / "relationships.csv").write_text("\n".join([text[0], ",".join(row), *text[2:]]) + "\n", encoding="utf-8")
    bad = wb("validate", str(tiny))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    found = {}
    for line in bad.stdout.strip().splitlines():
        m = LINE.match(line)
        assert m, line
        found[m["col"]] = m["msg"]
    # The form calls these checks and shows .sentence(page language): the same words.
    assert found["id"] == check_id("Police!").sentence("fr")
    assert found["since"] == check_since("2024-13").sentence("fr")
    english = [check_id("Police!").sentence(i18n.DEFAULT), check_since("2024-13").sentence(i18n.DEFAULT)]
    assert not any(e in bad.stdout for e in english) and "(fix:" not in bad.stdout
    assert "(solution : " in found["id"]
    # --lang wins over the region's language on a command that has it.
    de = wb("export", str(tiny), "--out", str(tiny.parent / "out"), "--lang", "de")
    assert de.returncode == 1 and check_id("Police!").sentence("de") in de.stderr


def test_init_writes_the_readme_in_the_chosen_language(tmp_path: Path):
    from workbench import i18n

    for lang in i18n.LANGUAGES:
        folder = tmp_path / lang
        made = wb("init", str(folder), "--lang", lang)
        assert made.returncode == 0, made.stderr
        readme = (folder / "README.md").read_text(encoding="utf-8")
        assert readme == i18n.text("cli.workspace_readme", lang).rstrip("\n") + "\n"
        if lang in i18n.COMPLETE and lang != i18n.DEFAULT:
            assert readme.splitlines()[0] != "# Partnership workspace"
    assert wb("init", str(tmp_path / "default")).returncode == 0  # without --lang: English
    assert (tmp_path / "default" / "README.md").read_text(encoding="utf-8") == \
        (tmp_path / "en" / "README.md").read_text(encoding="utf-8")
    refused = wb("init", str(tmp_path / "xx"), "--lang", "xx")
    assert refused.returncode == 1 and "unknown language" in refused.stderr


def test_python_dash_m_workbench_is_the_same_command_line(tmp_path: Path):
    """``python -m workbench`` runs the command line, as ``workbench`` does."""
    import workbench

    done = subprocess.run([sys.executable, "-m", "workbench", "--version"], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert workbench.__version__ in done.stdout
