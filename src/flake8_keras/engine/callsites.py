"""What a file's own functions receive: the literal each parameter gets at every call site.

A builder such as ``def build(return_sequences): ...`` called only as ``build(True)`` in its file
has a known ``return_sequences`` in its body. Only module-level functions that never escape (every
use of the name is a direct call, the name bound once, no decorator) qualify; call sites that
disagree, pass something not literal, or pass ``*args``/``**kwargs`` make that parameter Unknown.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Sequence

from flake8_keras.engine.values import UNKNOWN, Const, Value, join
from flake8_keras.engine.word_lines import (
    first_line,
    line_numbers,
    lines_end_at_newlines,
    lines_naming,
    spans,
    statements_on,
    word_char,
    word_positions,
)
from flake8_keras.records import field, record

# Call sites followed per function: a builder is called a handful of times.
MAX_CALL_SITES = 64

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@record
class FileFacts:
    """What the whole file says about its own functions and module dicts."""

    # A function's parameters -> the literal every call site passes.
    call_sites: dict[FunctionNode, dict[str, Value]] = field(default_factory=dict)
    # Module names bound once to a dict literal, only read by key or as ``**name``: a
    # ``CONFIG = {...}`` the file's functions may read as it was written.
    frozen_dicts: set[str] = field(default_factory=set)


def scan(
    tree: ast.Module,
    text: str | None = None,
    wanted: Collection[FunctionNode] | None = None,
    dicts_too: bool = True,
) -> FileFacts:
    """One walk of the file (it runs on every file that may hold a model), only when the
    module has an undecorated function with parameters that the file may call, or a dict bound
    to a name that may be read by key or as ``**name``. With the source ``text``, a name that
    never appears as ``name(`` outside its ``def`` (or a dict never as ``name[``/``**name``) is
    no candidate: library modules, whose functions are called from elsewhere, skip the walk.

    ``wanted``: only these functions' call sites (None: every function's); ``dicts_too``:
    the frozen dicts as well. The interpreter needs the dicts before the module runs, and the
    call sites only of the functions it then analyses: two walks of fewer lines each."""
    if wanted is None:
        defined = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    elif wanted:  # the module's own functions among them (not those in its ``if`` blocks)
        firsts = sorted({first_line(f) for f in wanted})
        top = {id(stmt) for stmt in statements_on(tree.body, firsts)}
        defined = [f for f in wanted if id(f) in top]
    else:
        defined = []
    functions = {
        stmt.name: stmt for stmt in defined if not stmt.decorator_list and all_parameters(stmt.args)
    }
    if dicts_too and text is not None and text.count("[") < len(tree.body):
        # Fewer brackets than statements (a generated file: 400 against 1,800): whether any
        # name is read by key or as ``**`` costs less to find in the text than reading every
        # statement; none is, and no dict can be frozen (``_read_in_a_body`` needs one).
        dicts_too = bool(_subscripted(text)) or _READ_AS_KWARGS.search(text) is not None
    dicts = (
        {
            stmt.targets[0].id
            for stmt in tree.body
            if type(stmt) is ast.Assign
            and type(stmt.value) is ast.Dict  # first: most assignments are of something else
            and len(stmt.targets) == 1
            and type(stmt.targets[0]) is ast.Name
        }
        if dicts_too
        else set()
    )
    found: dict[str, list[int]] | None = None
    if text is not None and functions:
        # Where the names occur as words, when a search per name is cheap: it tells which are
        # called and which lines the walk below must read. Called: ``name(`` not after a dot,
        # twice (its ``def`` and a call, or two calls; ``np.relu(`` calls no module ``relu``).
        found = word_positions(text, functions)
        if found is not None:
            called = {n for n, at in found.items() if _called(text, n, at) >= 2}
        else:  # one pass over the text, whatever the number of names
            counts = Counter(_CALLED.findall(text))
            counts.subtract(_METHOD_CALLED.findall(text))
            called = {n for n in functions if counts[n] >= 2}
        functions = {n: f for n, f in functions.items() if n in called}
    if text is not None and dicts:
        if len(dicts) <= _SEARCHED_DICTS:  # up to two searches per name, each ~0.4 ns a char
            dicts = {n for n in dicts if f"{n}[" in text or f"**{n}" in text}
        else:
            read = _subscripted(text).union(_READ_AS_KWARGS.findall(text))
            dicts = {n for n in dicts if n in read}
    if dicts and text is not None:
        definitions = [s for s in block_statements(tree.body) if isinstance(s, _DEFINITIONS)]
        dicts = {n for n in dicts if _read_in_a_body(definitions, text, n)}
    if not functions and not dicts:
        return FileFacts()
    names = functions.keys() | dicts
    calls: dict[str, list[ast.Call]] = defaultdict(list)
    bound: dict[str, int] = defaultdict(int)  # defs, stores, params, imports, global
    allowed: set[int] = set()  # Name nodes used as f(...), d[key] or **d
    uses: list[ast.Name] = []
    if text is None:
        naming = None
    elif found is not None and not dicts and lines_end_at_newlines(text):
        naming = line_numbers(text, [at for n in functions for at in found[n]])
    else:
        naming = lines_naming(text, names)
    for node in walk(tree, naming):
        kind = type(node)
        if kind is ast.Name:
            if node.id in names:  # type: ignore[attr-defined]
                if isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                    uses.append(node)  # type: ignore[arg-type]
                else:
                    bound[node.id] += 1  # type: ignore[attr-defined]
        elif kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Name and func.id in functions:
                calls[func.id].append(node)  # type: ignore[arg-type]
                allowed.add(id(func))
        elif kind is ast.Subscript:
            if isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                allowed.add(id(node.value))  # type: ignore[attr-defined]
        elif kind is ast.keyword:
            if node.arg is None:  # type: ignore[attr-defined]
                allowed.add(id(node.value))  # type: ignore[attr-defined]
        elif kind in _DEFINITIONS:
            bound[node.name] += 1  # type: ignore[attr-defined]
        elif kind is ast.arg:
            bound[node.arg] += 2  # type: ignore[attr-defined]  # shadowed somewhere
        elif kind is ast.alias:
            bound[node.asname or node.name] += 2  # type: ignore[attr-defined]
        elif kind is ast.Global or kind is ast.Nonlocal:
            for name in node.names:  # type: ignore[attr-defined]
                bound[name] += 2
    escaped = {use.id for use in uses if id(use) not in allowed}
    facts = FileFacts()
    for name, func in functions.items():
        sites = calls.get(name, [])
        if name in escaped or bound[name] != 1 or not sites or len(sites) > MAX_CALL_SITES:
            continue
        joined = _join_sites(func, sites)
        if joined:
            facts.call_sites[func] = joined
    facts.frozen_dicts = {n for n in dicts if bound[n] == 1 and n not in escaped}
    return facts


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _read_in_a_body(definitions: Sequence[ast.stmt], text: str, name: str) -> bool:
    """Whether ``name[`` or ``**name`` occurs on a line of one of the module's functions and
    classes (``definitions``). Only a body needs a dict frozen (the module's own statements see
    the dict as it is), and reading it by key or as ``**`` is all a frozen dict may be used
    for: a dict no body reads needs no walk (a ``summary = {...}`` the module fills, prints)."""
    if not lines_end_at_newlines(text):
        return True
    starts: list[int] = []
    for pattern in (f"{name}[", f"**{name}"):
        at = text.find(pattern)
        while at >= 0:
            before = text[at - 1] if at and pattern[0] != "*" else ""
            if not (word_char(before) or before == "."):
                starts.append(at)
            at = text.find(pattern, at + 1)
    read = line_numbers(text, starts)
    return any(spans(definition, read) for definition in definitions)


def block_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of ``body`` and of its blocks (``if``, ``for``, ``try``, ``with``,
    ``match``), in no particular order; the functions and classes it defines are yielded, not
    entered. Statements only: a few dozen nodes for a function, no expression is visited."""
    stack = list(body)
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, _DEFINITIONS):
            continue
        for name in ("body", "orelse", "finalbody"):
            block = getattr(stmt, name, None)
            if isinstance(block, list):
                stack.extend(block)
        for part in getattr(stmt, "handlers", ()) or getattr(stmt, "cases", ()):
            stack.extend(part.body)


# Dict names looked for one by one (str.find reads ~0.4 ns a character, up to two searches per
# name) rather than by one regex pass over the text (~30 ns a character), measured on a
# 5,000-line file: a search per name is faster up to about these many names, in a file of any
# length. (Functions: ``word_lines.word_positions``.)
_SEARCHED_DICTS = 30
_CALLED = re.compile(r"\b(\w+)\(")  # ``name(``: a def or a call (\b: 40% faster)
_METHOD_CALLED = re.compile(r"\.(\w+)\(")  # ``x.name(``: no call of a module function
# Two patterns, not one alternation: ``\b`` lets the engine skip all but word starts (2.4x)
_READ_BY_KEY = re.compile(r"\b(\w+)\[")
_READ_AS_KWARGS = re.compile(r"\*\*(\w+)")


def _subscripted(text: str) -> set[str]:
    """The words written right before a ``[``: from each ``[`` back over its word when there
    are few (a ``[`` per 64 characters or fewer), else one regex pass (~30 ns a character)."""
    if text.count("[") * 64 > len(text):
        return set(_READ_BY_KEY.findall(text))
    words: set[str] = set()
    at = text.find("[")
    while at >= 0:
        start = at
        while start and word_char(text[start - 1]):
            start -= 1
        if start < at:
            words.add(text[start:at])
        at = text.find("[", at + 1)
    return words


def _called(text: str, name: str, positions: list[int]) -> int:
    """How many of the name's occurrences as a word are ``name(`` not after a dot."""
    after = len(name)
    return sum(
        1
        for at in positions
        if text.startswith("(", at + after) and not (at and text[at - 1] == ".")
    )


def walk(tree: ast.AST, lines: list[int] | None = None) -> list[ast.AST]:
    """Every node but the ``Load``/``Store`` contexts, in no particular order (twice as fast
    as ``ast.walk``: only the fields that can hold nodes are read).

    With ``lines`` (sorted line numbers), a statement that spans none of them (its decorators
    included) is skipped whole: when they are the lines naming some names, a skipped statement
    cannot bind, call or read those names. Most of a library module is skipped this way."""
    nodes: list[ast.AST] = []
    stack = [tree]
    if lines is not None and isinstance(tree, ast.Module):
        # A module's statements are found by their lines rather than tested one by one (a
        # generated file: 1,800 statements, 130 of them on the lines searched).
        nodes.append(tree)
        stack = statements_on(tree.body, lines)
    push, pop, node_type, statement = stack.append, stack.pop, ast.AST, ast.stmt
    while stack:
        node = pop()
        if lines is not None and isinstance(node, statement) and not spans(node, lines):
            continue
        nodes.append(node)
        kind = type(node)
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = _child_fields(kind)
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                if lines is not None and value and isinstance(value[0], statement):
                    # A block (a function's body): only its statements on the searched lines,
                    # found by bisection; most blocks have none (a builder's body, when only
                    # its ``def`` line names it), and are not read at all.
                    last = value[-1]
                    low = bisect_left(lines, first_line(value[0]))
                    high = bisect_right(lines, last.end_lineno or last.lineno)
                    if low < high:
                        stack.extend(statements_on(value, lines[low:high]))
                    continue
                for item in value:
                    if isinstance(item, node_type):
                        push(item)
            elif isinstance(value, node_type):
                push(value)
    return nodes


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` as a list, from the fields that can hold nodes (no contexts):
    for the walks that stop at some nodes, which ``walk`` cannot."""
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = _child_fields(kind)
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            children.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


# Fields that never hold a node (names, numbers, flags) and the expression contexts, which
# nothing here reads as nodes: a third of what a walk would visit.
_NOT_NODES = frozenset(
    {"ctx", "id", "attr", "arg", "name", "asname", "module", "level", "kind"}
    | {"type_comment", "is_async", "conversion"}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = [f for f in getattr(kind, "_fields", ()) if f not in _NOT_NODES]
    if kind is ast.Constant:
        fields.remove("value")  # a Python value, never a node
    return tuple(fields)


def all_parameters(args: ast.arguments) -> bool:
    return bool(args.posonlyargs or args.args or args.kwonlyargs)


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
