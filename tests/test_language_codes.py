"""Only ``workbench/i18n.py`` knows which languages exist.

No other module of the package names a language code in its code: a string
constant equal to a supported code (outside docstrings, where doctests show
examples) is a language the module decided on by itself. Words, locales and
document tags come from :mod:`workbench.i18n`.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import workbench
from workbench import i18n

PACKAGE = Path(workbench.__file__).parent


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def language_codes(source: str) -> list[tuple[int, str]]:
    """The line and value of every string constant in ``source`` that is a language code.

    >>> language_codes('x = "fr"\\ndef f():\\n    "Say it in en."\\n    return {"de": 1}')
    [(1, 'fr'), (4, 'de')]
    """
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value in i18n.LANGUAGES and id(node) not in skip]


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "i18n.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_but_i18n_names_a_language(path):
    assert language_codes(path.read_text(encoding="utf-8")) == []
