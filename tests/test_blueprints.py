"""Blueprints one way: each feature creates its blueprints in views.py, route modules attach to them,
and init_app imports every route module before registering (no module imports another at its bottom)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT

PORTAL = PROJECT_ROOT / "portal"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts)


def blueprint_calls(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Blueprint"]


def route_decorated(tree: ast.AST) -> bool:
    """Whether a top-level function carries @<blueprint>.get/post/route."""
    return any(isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
               and decorator.func.attr in ("get", "post", "route", "put", "delete")
               for node in tree.body if isinstance(node, ast.FunctionDef) for decorator in node.decorator_list)


def late_imports(tree: ast.Module) -> list[int]:
    """Top-level imports written after the module's first function or class."""
    first = next((node.lineno for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)), None)
    return [node.lineno for node in tree.body
            if first and isinstance(node, ast.Import | ast.ImportFrom) and node.lineno > first]


SOURCES = sorted(PORTAL.rglob("*.py"))
TREES = {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}
ROUTE_MODULES = [path for path, tree in TREES.items() if route_decorated(tree)]


def test_blueprints_are_created_only_in_a_features_views_module():
    elsewhere = [f"{path.relative_to(PROJECT_ROOT)}:{line}" for path, tree in TREES.items()
                 for line in blueprint_calls(tree) if path.name != "views.py"]
    assert elsewhere == []


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=lambda path: str(path.relative_to(PROJECT_ROOT)))
def test_route_modules_take_their_blueprint_from_their_features_views(path):
    if path.name == "views.py":
        return
    views = f"{module_name(path.parent)}.views"
    sources = {node.module for node in ast.walk(TREES[path]) if isinstance(node, ast.ImportFrom)}
    assert views in sources, f"{path.name} should import its blueprint from {views}"


def test_no_module_imports_at_its_bottom():
    late = [f"{path.relative_to(PROJECT_ROOT)}:{line}" for path, tree in TREES.items() for line in late_imports(tree)]
    assert late == [], "import route modules in the feature's init_app, not at the bottom of another module"


def test_every_route_module_is_registered(app):
    served = {function.__module__ for function in app.view_functions.values()}
    assert {module_name(path) for path in ROUTE_MODULES} - served == set()


def test_the_checks_notice_a_second_convention():
    sneaky = ast.parse("from flask import Blueprint\nbp = Blueprint('x', __name__)\n\n\ndef page():\n    pass\n\n\n"
                       "from portal.x import more  # noqa: E402\n")
    assert blueprint_calls(sneaky) == [2] and late_imports(sneaky) == [9]
