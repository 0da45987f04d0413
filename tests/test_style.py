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
