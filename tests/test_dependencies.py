"""Imports point one way: source <- engine <- keras <- rules <- consumers.

Every module of the package is parsed (not imported) and each of its imports, wherever it is
(inside a function, under ``TYPE_CHECKING``), must point to its own layer or a lower one. The
engine is a Python interpreter that knows no Keras; rules read the model graph, never the
interpreter that builds it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "flake8_keras"

# Lowest first. Modules not named here are consumers (plugin, CLIs, fixer, LSP, verifier).
LAYERS = ("source", "engine", "keras", "rules", "consumers")
_BASE_MODULES = (
    "source",
    "noqa",
    "paths",
    "records",
    "record_inits",
    "__version__",
)  # and the package's __init__
# The interpreter's own modules: what rules and the model graph must not depend on.
_INTERPRETER = ("engine.interpreter", "engine.statements", "engine.expressions")


def layer_of(module: str) -> int:
    """The layer of a module, or of a name imported from it (``flake8_keras.source.parse``)."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in _BASE_MODULES:
        return 0
    if len(parts) >= 2 and parts[1] in ("engine", "keras", "rules"):
        return LAYERS.index(parts[1])
    return LAYERS.index("consumers")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every import of the package's own modules."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                keep = len(base) - node.level + (1 if is_package else 0)
                target = ".".join(base[:keep] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from flake8_keras.keras import arrays`` imports the submodule arrays.
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
            found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.split(".")[0] == "flake8_keras"]


def wrong_way(source: str, module: str, is_package: bool = False) -> list[str]:
    """The imports of ``module`` that point to a higher layer, or into the interpreter."""
    own = layer_of(module)
    problems = []
    for line, target in imported_modules(ast.parse(source), module, is_package):
        target_layer = layer_of(target)
        if target_layer > own:
            problems.append(f"{module}:{line} imports {target} ({LAYERS[target_layer]})")
        inside = target.removeprefix("flake8_keras.")
        into_interpreter = any(inside.startswith(i) for i in _INTERPRETER)
        # Only construct.py, which runs the interpreter with Keras's hooks, may reach it.
        if own in (2, 3) and into_interpreter and module != "flake8_keras.keras.construct":
            problems.append(f"{module}:{line} imports the interpreter ({target})")
    return problems


def test_every_import_points_down() -> None:
    problems: list[str] = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30
    for path in files:
        name = module_name(path)
        source = path.read_text(encoding="utf-8")
        problems.extend(wrong_way(source, name, path.name == "__init__.py"))
    assert problems == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("flake8_keras.engine.values", "from flake8_keras.keras.model import Tensor\n"),
        (
            "flake8_keras.engine.values",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from flake8_keras.keras import model\n",
        ),
        ("flake8_keras.engine.scope", "import flake8_keras.rules.base\n"),
        ("flake8_keras.keras.arrays", "from flake8_keras.engine.interpreter import Interpreter\n"),
        ("flake8_keras.keras.model", "from flake8_keras import analysis\n"),
        ("flake8_keras.rules.base", "from flake8_keras.engine import interpreter\n"),
        ("flake8_keras.rules.base", "from flake8_keras.fix.unwrap import fix_source\n"),
        ("flake8_keras.source", "from flake8_keras.engine.values import UNKNOWN\n"),
        ("flake8_keras.engine.budget", "from ..keras import imports\n"),
    ],
)
def test_a_wrong_way_import_is_caught(module: str, source: str) -> None:
    assert wrong_way(source, module) != []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("flake8_keras.keras.model", "from flake8_keras.engine.values import Value\n"),
        ("flake8_keras.rules.base", "from flake8_keras.keras.model import ModelGraph\n"),
        ("flake8_keras.analysis", "from flake8_keras.keras.construct import build_graph\n"),
        (
            "flake8_keras.keras.construct",
            "from flake8_keras.engine.interpreter import Interpreter\n",
        ),
        ("flake8_keras.engine.statements", "from .expressions import Expressions\n"),
        ("flake8_keras.verify.checks", "from flake8_keras.rules import RULES\n"),
    ],
)
def test_a_right_way_import_passes(module: str, source: str) -> None:
    assert wrong_way(source, module) == []
