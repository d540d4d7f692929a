"""One analysis for every consumer: gate -> graph -> rules -> sorted, de-duplicated diagnostics."""

from __future__ import annotations

import ast
import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from flake8_keras.keras.construct import build_graph
from flake8_keras.records import record
from flake8_keras.rules import RULES, Diagnostic, Rule, may_trigger
from flake8_keras.rules.krs001_internal_error import InternalError
from flake8_keras.source import parse

# An engine bug met while analysing a file: always reported (unless the caller selects codes
# without it), because a silent failure would hide every other finding of the file.
_INTERNAL_ERROR = InternalError()
INTERNAL_ERROR = _INTERNAL_ERROR.code


def analyze_tree(
    tree: ast.AST, text: str, codes: Collection[str] | None = None
) -> list[Diagnostic]:
    """Diagnostics for a parsed module; ``codes`` limits the rules that run (None: all)."""
    if not isinstance(tree, ast.Module) or not may_trigger(text):
        return []
    rules = [r for r in RULES if codes is None or r.code in codes]
    report_errors = codes is None or INTERNAL_ERROR in codes
    if not rules and not report_errors:
        return []
    with no_cyclic_gc():
        found = _check(tree, text, rules)  # the graph is freed before the collector is back
    return _unique_sorted(
        found if report_errors else [d for d in found if d.code != INTERNAL_ERROR]
    )


def _check(tree: ast.Module, text: str, rules: list[Rule]) -> list[Diagnostic]:
    """Build the graph and run the rules on it; the graph's cycles are broken at the end."""
    graph = build_graph(tree, text)
    found: list[Diagnostic] = []
    for rule in rules:
        try:
            found.extend(rule.check(graph))
        except Exception as exc:  # a rule's bug costs only that rule's findings
            found.append(internal_error(type(exc).__name__, f"in rule {rule.code}"))
    found.extend(
        internal_error(kind, "while analysing this statement", stmt) for stmt, kind in graph.errors
    )
    graph.release()
    return found


def internal_error(kind: str, where: str, stmt: ast.stmt | None = None) -> Diagnostic:
    """KRS001 at the first line of ``stmt`` (the file's first line without one)."""
    line, col = (stmt.lineno, stmt.col_offset) if stmt is not None else (1, 0)
    node: ast.AST = ast.Pass(lineno=line, col_offset=col, end_lineno=line, end_col_offset=col)
    if stmt is not None and stmt.end_lineno == stmt.lineno:
        node = stmt  # editors underline the whole statement when it fits on its line
    return _INTERNAL_ERROR.report(node, {"kind": kind, "where": where})


def _unique_sorted(found: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per code and position (an unrolled loop repeats its statements), the
    first found, in the order of their positions (each position read once)."""
    unique: dict[tuple[int, int, str], Diagnostic] = {}
    for diagnostic in found:
        unique.setdefault((diagnostic.line, diagnostic.byte_col, diagnostic.code), diagnostic)
    return [unique[key] for key in sorted(unique)]


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
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


@record(frozen=True)
class SourceAnalysis:
    """One analysis of source text, with the tree it was made from (for the fixer and the LSP)."""

    tree: ast.Module | None  # None when the text was not parsed (gated out) or does not parse
    diagnostics: list[Diagnostic]
    parses: bool = True  # False only when the text could hold findings and does not parse


def analyze_text(
    text: str, tree: ast.Module | None = None, codes: Collection[str] | None = None
) -> SourceAnalysis:
    """Gate, parse (unless ``tree`` is given), analyse; never raises."""
    if not may_trigger(text):
        return SourceAnalysis(tree, [])
    if tree is None:
        with no_cyclic_gc():  # a 5,000-line tree is ~10^5 objects: collections mid-parse
            tree = parse(text)
    if tree is None:
        return SourceAnalysis(None, [], parses=False)
    try:
        return SourceAnalysis(tree, analyze_tree(tree, text, codes))
    except Exception as exc:  # the last resort: statements and rules are isolated inside
        if codes is not None and INTERNAL_ERROR not in codes:
            return SourceAnalysis(tree, [])
        return SourceAnalysis(
            tree, [internal_error(type(exc).__name__, "while analysing this file")]
        )


def analyze_source(text: str, codes: Collection[str] | None = None) -> list[Diagnostic]:
    """Diagnostics for source text (CLI, verifier, tests); never raises."""
    return analyze_text(text, codes=codes).diagnostics
