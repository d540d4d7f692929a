"""One analysis for every consumer: gate -> graph -> rules -> sorted, de-duplicated diagnostics."""

from __future__ import annotations

import ast
import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from flake8_keras.graph.build import build_graph
from flake8_keras.rules import RULES, Diagnostic
from flake8_keras.source import may_trigger, parse


def analyze_tree(
    tree: ast.AST, text: str, codes: Collection[str] | None = None
) -> list[Diagnostic]:
    """Diagnostics for a parsed module; ``codes`` limits the rules that run (None: all)."""
    if not isinstance(tree, ast.Module) or not may_trigger(text):
        return []
    rules = [r for r in RULES if codes is None or r.code in codes]
    if not rules:
        return []
    with _no_cyclic_gc():
        graph = build_graph(tree)
        seen: set[tuple[str, int, int]] = set()
        found: list[Diagnostic] = []
        for rule in rules:
            for diagnostic in rule.check(graph):
                key = (diagnostic.code, diagnostic.line, diagnostic.byte_col)
                if key not in seen:
                    seen.add(key)
                    found.append(diagnostic)
        found.sort(key=lambda d: (d.line, d.byte_col, d.code))
    return found


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic collector while the graph is built.

    The analysis allocates many small objects that live until it ends; each full collection
    rescans every object of the process (flake8's trees and tokens too), which made a 50,000-line
    file cost 2x more than linear. Garbage cycles it leaves are collected after it, as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyze_source(text: str, codes: Collection[str] | None = None) -> list[Diagnostic]:
    """Diagnostics for source text (CLI, fixer, verifier, language server); never raises."""
    if not may_trigger(text):
        return []
    tree = parse(text)
    if tree is None:
        return []
    try:
        return analyze_tree(tree, text, codes)
    except (RecursionError, MemoryError):
        return []
