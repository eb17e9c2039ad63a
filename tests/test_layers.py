"""Lower layers never import higher ones (docs/architecture.md draws the same stack)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT

PORTAL = PROJECT_ROOT / "portal"
# Bottom to top. A module may import its own layer and those below; type-checking imports are free.
# A new top-level module or feature package goes in here, in the layer it belongs to.
LAYERS = (
    {"config", "extensions", "timeutil", "markdown", "cached_html", "validation", "slugs", "errors", "security",
     "converters", "audit", "caching", "typography", "pooling"},
    {"auth"},
    {"cases"},
    {"content"},
    {"search"},
    {"editor"},
    {"collections", "intake"},
    {"inbox"},
    {"api", "ops"},
    {"cli", "__init__"},
)
LAYER_OF = {name: number for number, names in enumerate(LAYERS) for name in names}


def unit_of(module: str) -> str:
    """portal.cases.models → cases; portal.markdown → markdown; portal → __init__ (the app factory)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def runtime_imports(path: Path) -> list[tuple[int, str]]:
    """Return (line, module) for every portal import outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(node) for block in ast.walk(tree)
                 if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                 for node in ast.walk(block)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portal"):
            names = [f"portal.{alias.name}" for alias in node.names] if node.module == "portal" else [node.module]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("portal")]
    return found


def source_files() -> list[Path]:
    return sorted(PORTAL.rglob("*.py"))


def own_unit(path: Path) -> str:
    relative = path.relative_to(PORTAL.parent).with_suffix("")
    return unit_of(".".join(relative.parts))


def test_every_package_and_module_has_a_layer():
    units = {own_unit(path) for path in source_files()}
    assert units - set(LAYER_OF) == set(), "add these to LAYERS in tests/test_layers.py"


@pytest.mark.parametrize("path", source_files(), ids=lambda path: str(path.relative_to(PORTAL.parent)))
def test_no_module_imports_a_higher_layer(path):
    unit = own_unit(path)
    upward = [f"{path.name}:{line} imports {module} ({unit_of(module)} is above {unit})"
              for line, module in runtime_imports(path)
              if LAYER_OF.get(unit_of(module), 0) > LAYER_OF.get(unit, len(LAYERS))]
    assert upward == []


def test_the_check_notices_an_upward_import(tmp_path):
    sneaky = tmp_path / "queries.py"
    sneaky.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from portal.editor import x\n"
                      "from portal.collections.models import Collection\n", encoding="utf-8")
    assert runtime_imports(sneaky) == [(4, "portal.collections.models")]
    assert LAYER_OF[unit_of("portal.collections.models")] > LAYER_OF["cases"]
