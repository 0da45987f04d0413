"""Every public function, class and method of the package has a numpydoc docstring.

numpydoc's own validator reads each docstring against the object's signature.
The checks held here: a docstring exists (GL08) with a one-line summary
(SS01), every parameter is documented (PR01) and nothing else is (PR02), and a
function that returns something says what (RT01). Public means: defined in a
module of the package whose dotted path has no part starting with ``_``, with a
name that does not start with ``_``. A public method is a function, static
method, class method, property or cached property with such a name, defined in
the body of a public class (inherited and dataclass-made methods are not its
own); a property is read through its getter, and numpydoc asks a property for
a summary line only.

Every public module is held to it, methods included, so a new module is
checked from its first commit.

The command line's commands are click ``Command`` objects, not functions, so
numpydoc does not read them (and their docstrings are the ``--help`` text,
where numpydoc sections would be printed): their parameters are documented by
each option's ``help``, which a test below holds them to.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cached_property
from pathlib import Path

import pytest
from numpydoc.validate import validate

import workbench

CHECKS = {"GL08", "SS01", "PR01", "PR02", "RT01"}


def _modules() -> list[str]:
    names = ["workbench"]
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return sorted(names)


def _public(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    found = []
    for name, obj in vars(module).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) == module_name:
            found.append(f"{module_name}.{name}")
    return found


def _function_of(attr: object) -> object:
    """The function behind a class attribute: a method's own, a property's getter; else the attribute."""
    if isinstance(attr, (staticmethod, classmethod)):
        return attr.__func__
    if isinstance(attr, property):
        return attr.fget
    if isinstance(attr, cached_property):
        return attr.func
    return attr


def _public_methods(module_name: str) -> list[str]:
    """The public methods of the module's public classes, as dotted names numpydoc can look up."""
    module = importlib.import_module(module_name)
    found = []
    for fullname in _public(module_name):
        cls = getattr(module, fullname.rsplit(".", 1)[1])
        if not inspect.isclass(cls):
            continue
        for name, attr in vars(cls).items():
            function = _function_of(attr)
            if (not name.startswith("_") and inspect.isfunction(function)
                    and function.__module__ == module_name):
                found.append(f"{fullname}.{name}")
    return found


def _faults(fullnames: list[str]) -> list[str]:
    return [f"{fullname}: {code} {message}" for fullname in fullnames
            for code, message in validate(fullname)["errors"] if code in CHECKS]


# numpydoc looks at every attribute of a class; ipywidgets' Widget (FormButton's base) warns when its
# deprecated class registries are read.
@pytest.mark.filterwarnings(r"ignore:Widget\.\w+ is deprecated:DeprecationWarning")
@pytest.mark.parametrize("module_name", _modules())
def test_public_functions_classes_and_methods_have_numpydoc_docstrings(module_name):
    assert _faults(_public(module_name) + _public_methods(module_name)) == []


def test_the_walk_reaches_every_public_module_file():
    """Every ``.py`` file of the package outside ``_``-names is among the checked modules."""
    root = Path(workbench.__file__).parent
    files = sorted(".".join(("workbench", *f.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
                   for f in root.rglob("*.py"))
    public = [m for m in files if not any(part.startswith("_") for part in m.split(".")[1:])]
    assert "workbench.roadmap.gaps.rules_c1" in public
    assert sorted(set(public) - set(_modules())) == []


def _commands(command, path):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{path} {name}")


def test_every_command_and_option_of_the_command_line_says_what_it_does():
    import click

    from workbench.cli import main

    faults = []
    for path, command in _commands(main, "workbench"):
        if not (command.help or "").strip():
            faults.append(f"{path}: no help")
        faults += [f"{path} --{p.name}: no help" for p in command.params
                   if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()]
    assert len(list(_commands(main, "workbench"))) > 10
    assert faults == []


def test_the_check_finds_an_undocumented_parameter_and_return(tmp_path, monkeypatch):
    (tmp_path / "docstring_sample.py").write_text('''
def sample(region, lang):
    """Say hello.

    Parameters
    ----------
    region : str
        The region.
    """
    return region + lang
''', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    codes = {code for code, _ in validate("docstring_sample.sample")["errors"]}
    assert {"PR01", "RT01"} <= codes


def test_the_method_check_finds_undocumented_methods_and_properties(tmp_path, monkeypatch):
    (tmp_path / "docstring_methods_sample.py").write_text('''
from dataclasses import dataclass
from functools import cached_property


@dataclass
class Sample:
    """A sample."""

    name: str

    def greet(self, lang):
        """Say hello.

        Returns
        -------
        str
            The greeting.
        """
        return self.name + lang

    def shout(self):
        return self.name.upper()

    @staticmethod
    def make(name):
        """A sample called ``name``."""
        return Sample(name)

    @property
    def size(self):
        return len(self.name)

    @cached_property
    def first(self):
        return self.name[0]

    @property
    def last(self):
        """The last letter."""
        return self.name[-1]

    def _hidden(self):
        return None
''', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    methods = _public_methods("docstring_methods_sample")
    assert sorted(methods) == [f"docstring_methods_sample.Sample.{m}"
                               for m in ("first", "greet", "last", "make", "shout", "size")]
    faults = _faults(methods)
    found = {(name.rsplit(".", 1)[1], rest.split()[0]) for name, rest in (f.split(": ", 1) for f in faults)}
    assert found == {("greet", "PR01"), ("shout", "GL08"), ("make", "PR01"), ("make", "RT01"),
                     ("size", "GL08"), ("first", "GL08")}
