"""The house style: ruff-clean and mypy-clean code, and no import cycle among the package's modules."""

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbench"


def test_ruff_clean():
    ruff = Path(sys.executable).with_name("ruff")
    r = subprocess.run([str(ruff), "check", "workbench", "tests", "benchmarks", "proof"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def _module_name(path: Path) -> str:
    """``workbench/data/load.py`` → ``workbench.data.load``; a package is its ``__init__``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
            or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth (inside functions and methods too).

    Imports under ``if TYPE_CHECKING:`` are left out: they never run, so they
    cannot make a cycle (they are how an annotation names a module that imports
    this one). Their ``else:`` branch does run and is kept.
    """
    found: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.AST] = [tree]
    while todo:
        for child in ast.iter_child_nodes(todo.pop()):
            if isinstance(child, ast.If) and _type_checking_only(child):
                todo.extend(child.orelse)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            else:
                todo.append(child)
    return found


def import_graph() -> nx.DiGraph:
    """The modules of the package, with an edge from each module to every package module it imports.

    ``from .x import y`` leads to ``x.y`` when ``y`` is a module, else to ``x``
    (a package being its ``__init__``). Parent packages that Python runs on
    the way are not edges: a package's ``__init__`` importing its own
    submodules is how a package exposes them, not a cycle.
    """
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base_name = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    base_name = node.module or ""
                targets = [f"{base_name}.{alias.name}" if f"{base_name}.{alias.name}" in modules else base_name
                           for alias in node.names]
            for target in targets:
                while target and target not in modules:  # workbench.x.Name → workbench.x; numpy → ""
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def test_the_import_graph_is_read_right():
    graph = import_graph()
    assert graph.has_edge("workbench.data.store", "workbench.data.load")  # from .load import …
    assert graph.has_edge("workbench.data.load", "workbench.data.workbook")  # inside load_region
    assert graph.has_edge("workbench.dashboards.workshop", "workbench.dashboards.workshop.app")  # __init__
    assert graph.has_edge("workbench.dashboards.workshop.app", "workbench.data")  # from ...data import Region
    assert not graph.has_edge("workbench.dashboards.workshop.map", "workbench.dashboards.workshop.app")  # typing


def test_no_import_cycle():
    cycles = sorted(nx.simple_cycles(import_graph()), key=lambda c: (len(c), c))
    for cycle in cycles:
        print(" → ".join([*cycle, cycle[0]]))
    assert not cycles, f"{len(cycles)} import cycle(s), the shortest: {' → '.join([*cycles[0], cycles[0][0]])}"
def test_mypy_clean():
    """The package type-checks: ``mypy`` with the ``[tool.mypy]`` settings of pyproject.toml."""
    mypy = Path(sys.executable).with_name("mypy")
    r = subprocess.run([str(mypy), "--config-file", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# --- the layout: the command line, the dashboards and the notebooks call api ------------------------------

#: What the command line, the dashboards and the notebooks may import from the package besides
#: ``workbench.api`` (kept in step with api.py's module docstring): plumbing and words, never a
#: computation, a load or a save.
PLUMBING = ("workbench.api", "workbench.i18n", "workbench.config", "workbench.errors", "workbench.access",
            "workbench.paths", "workbench.files", "workbench.imports", "workbench.taxonomy",
            "workbench.translations", "workbench.dashboards")
#: The data contract's declarations they may name directly: the records (to annotate, build a
#: what-if or a row), the field checks and limits the forms share with the loader, and the change
#: log's record. Anything else of these modules (loading, the store itself) goes through api.
RECORDS = {"Action", "Agency", "Answer", "Region", "RegionInfo", "Relationship", "SurveyRow"}
DECLARATIONS: dict[str, set[str] | None] = {
    "workbench.data.model": None,  # every name: the records and the tables' columns
    "workbench.data": RECORDS | {"Change"},
    "workbench.data.schema": {"check_id", "check_length", "check_round", "check_since", "contact_warning",
                              "ID_RE", "REGION_ID_RE", "ROUND_RE", "SURVEY_DIRECTIONS", "RATINGS",
                              "TEXT_MAX", "RATER_MAX", "TITLE_MAX"},
    "workbench.data.store": {"Change", "ABSENT", "LOG_NAME", "record_label"},
}


def _callers() -> dict[str, tuple[str, str]]:
    """Each checked source by name: ``(module it runs as, code)``; notebook cells run as ``__main__``."""
    import json

    found = {}
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "dashboards").rglob("*.py"))]:
        found[str(path.relative_to(ROOT))] = (_module_name(path), path.read_text(encoding="utf-8"))
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        found[str(nb.relative_to(ROOT))] = ("__main__", code)
    return found


def layout_faults(module: str, code: str, is_package: bool = False) -> list[str]:
    """The imports in ``code`` (run as ``module``) that reach past api into the package's inner modules.

    Imports under ``if TYPE_CHECKING:`` name types for annotations and never run: they are free.
    """
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    package = module if is_package else module.rpartition(".")[0]
    faults = []
    for node in _imports(ast.parse(code)):
        if isinstance(node, ast.Import):
            wanted = [(alias.name, None) for alias in node.names]
        else:
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            wanted = [(f"{source}.{a.name}", None) if f"{source}.{a.name}" in modules else (source, a.name)
                      for a in node.names]
        for target, name in wanted:
            if target != "workbench" and not target.startswith("workbench."):
                continue  # the standard library, ipywidgets, pandas ...
            if any(target == p or target.startswith(p + ".") for p in PLUMBING):
                continue
            allowed = DECLARATIONS.get(target, set())
            if target in DECLARATIONS and (allowed is None or name in allowed):
                continue
            faults.append(f"line {node.lineno}: {target}{'' if name is None else '.' + name}")
    return faults


def test_the_command_line_dashboards_and_notebooks_call_api():
    """cli.py, each module of ``workbench/dashboards`` and each notebook import only api, plumbing, declarations."""
    callers = _callers()
    assert "workbench/cli.py" in callers and "workbench/dashboards/workshop/survey.py" in callers
    assert "notebooks/explore.ipynb" in callers and len(callers) > 15
    faults = [f"{where} {fault}" for where, (module, code) in callers.items()
              for fault in layout_faults(module, code, is_package=where.endswith("__init__.py"))]
    assert faults == []


def test_the_layout_check_finds_an_import_past_api():
    module = "workbench.dashboards.workshop.sample"
    assert layout_faults(module, "from ...network.views import interactive_html\n") == [
        "line 1: workbench.network.views.interactive_html"]
    assert layout_faults(module, "def f():\n    from ...maturity import assess_region\n") == [
        "line 2: workbench.maturity.assess_region"]
    assert layout_faults(module, "from ...data import Region, RegionStore\n") == ["line 1: workbench.data.RegionStore"]
    assert layout_faults(module, "from ...data.store import Change, _Tables\n") == [
        "line 1: workbench.data.store._Tables"]
    assert layout_faults(module, "from ... import compare, i18n\n") == ["line 1: workbench.compare"]
    assert layout_faults("__main__", "import workbench.survey\nimport workbench\n") == [
        "line 1: workbench.survey", "line 2: workbench"]
    assert layout_faults("__main__", "from workbench import load_region\n") == ["line 1: workbench.load_region"]
    # Allowed: api, plumbing, the contract's declarations, and any type named for annotations only.
    assert layout_faults(module, "from ... import api, i18n\nfrom ...data.schema import check_length\n"
                                 "from ...data.model import SurveyRow\nfrom ..common import e\n"
                                 "if TYPE_CHECKING:\n    from ...survey.merge import Merge\n") == []
