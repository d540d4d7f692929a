"""What a file's own functions receive: the literal each parameter gets at every call site.

A builder such as ``def build(return_sequences): ...`` called only as ``build(True)`` in its file
has a known ``return_sequences`` in its body. Only module-level functions that never escape (every
use of the name is a direct call, the name bound once, no decorator) qualify; call sites that
disagree, pass something not literal, or pass ``*args``/``**kwargs`` make that parameter Unknown.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from flake8_keras.engine.values import UNKNOWN, Const, Value, join

# Call sites followed per function: a builder is called a handful of times.
MAX_CALL_SITES = 64

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def frozen_dicts(tree: ast.Module) -> set[str]:
    """Module names bound once to a dict literal and only ever read by key or as ``**name``:
    a ``CONFIG = {...}`` the file's functions may read as it was written."""
    candidates = {
        stmt.targets[0].id
        for stmt in tree.body
        if isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Dict)
    }
    if not candidates:
        return set()
    read: set[int] = set()  # the Name nodes used as ``name[key]`` or ``**name``
    stores: dict[str, int] = defaultdict(int)
    uses: list[ast.Name] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id in candidates:
                if isinstance(node.ctx, ast.Load):
                    uses.append(node)
                else:
                    stores[node.id] += 1
        elif (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)) or (
            isinstance(node, ast.keyword) and node.arg is None
        ):
            read.add(id(node.value))  # name[key], **name
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            stores.update(dict.fromkeys(node.names, 2))
        elif isinstance(node, ast.arg) and node.arg in candidates:
            stores[node.arg] = 2
    escaped = {use.id for use in uses if id(use) not in read}
    return {name for name in candidates if stores[name] == 1 and name not in escaped}


def call_site_values(tree: ast.Module) -> dict[FunctionNode, dict[str, Value]]:
    """For each qualifying function, its parameters' values joined over every call site."""
    functions = {
        stmt.name: stmt
        for stmt in tree.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not stmt.decorator_list
    }
    if not functions:
        return {}
    calls: dict[str, list[ast.Call]] = defaultdict(list)
    escaped: set[str] = set()
    defined: dict[str, int] = defaultdict(int)
    callees: set[int] = set()
    uses: list[ast.Name] = []
    for node in ast.walk(tree):  # one walk: this runs on every file that may have a model
        if isinstance(node, ast.Name):
            if node.id in functions:
                uses.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in functions:
                calls[node.func.id].append(node)
                callees.add(id(node.func))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined[node.name] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            escaped.update(node.names)
        elif isinstance(node, ast.arg):
            escaped.add(node.arg)  # shadowed somewhere: a call by that name may be another
        elif isinstance(node, ast.alias):
            escaped.add(node.asname or node.name)
    for use in uses:
        if id(use) not in callees:
            escaped.add(use.id)  # passed as a value, rebound or deleted: not followed
    result: dict[FunctionNode, dict[str, Value]] = {}
    for name, func in functions.items():
        sites = calls.get(name, [])
        if name in escaped or defined[name] != 1 or not sites or len(sites) > MAX_CALL_SITES:
            continue
        joined = _join_sites(func, sites)
        if joined:
            result[func] = joined
    return result


def _join_sites(func: FunctionNode, sites: list[ast.Call]) -> dict[str, Value]:
    merged: dict[str, Value] | None = None
    for site in sites:
        bound = _bind_literals(func.args, site)
        merged = bound if merged is None else {k: join(v, bound[k]) for k, v in merged.items()}
    return {k: v for k, v in (merged or {}).items() if v is not UNKNOWN}


def _bind_literals(args: ast.arguments, call: ast.Call) -> dict[str, Value]:
    """Each named parameter's literal at this call: the argument, else the literal default."""
    positional = [a.arg for a in args.posonlyargs + args.args]
    names = positional + [a.arg for a in args.kwonlyargs]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return dict.fromkeys(names, UNKNOWN)
    defaults = dict(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d})
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    bound: dict[str, Value] = {}
    for index, name in enumerate(names):
        if index < len(positional) and index < len(call.args):
            node: ast.expr | None = call.args[index]
        else:
            node = keywords.get(name, defaults.get(name))
        bound[name] = _literal(node)
    return bound


def _literal(node: ast.expr | None) -> Value:
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str)):
        return Const(node.value)
    return UNKNOWN
