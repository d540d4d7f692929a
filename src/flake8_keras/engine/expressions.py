"""Expressions: names, attributes, literals, constant folding, subscripts and call arguments.

What a library value does on attribute access, subscript or call comes from ``Hooks``; the rest
is Python folded on literals. Whatever is not known is UNKNOWN.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from flake8_keras.engine.budget import (
    MAX_EXPRESSION_DEPTH,
    MAX_FOLDED,
    MAX_TUPLE_NODES,
    MAX_UNROLLED,
    TupleSizes,
)
from flake8_keras.engine.calls import NO_KEYWORDS, CallArgs
from flake8_keras.engine.hooks import UNRESOLVED, Hooks, SliceValue
from flake8_keras.engine.scope import Scope
from flake8_keras.engine.values import (
    UNKNOWN,
    BoundMethod,
    Const,
    Entries,
    Items,
    SymbolRef,
    Value,
    join,
    same_literal,
)

_BINOPS: dict[type, Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}

_COMPARISONS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class Expressions:
    """The expression half of the interpreter (statements and calls build on it)."""

    hooks: Hooks
    tuple_sizes: TupleSizes
    eval_depth: int
    star_modules: list[tuple[str, frozenset[str]]]  # ``from <module> import *``, in order
    foreign_star: bool  # a star import of a module whose names are not known

    def __init__(self, hooks: Hooks) -> None:
        self.hooks = hooks
        self.tuple_sizes = TupleSizes()
        # (module path, attribute) -> what ``module.attribute`` is (``eval_Attribute``)
        self.symbols: dict[tuple[str, str], Value] = {}
        # (type, literal) -> its Const: the same few literals (16, 'relu', True) on most lines
        self.constants: dict[tuple[type, object], Const] = {}
        # ``eval_Name`` for ``ast.Name``...: this class's handlers, by node type (per expression)
        self.expression_handlers = _HANDLERS.setdefault(type(self), {})
        self.eval_depth = 0  # expressions being evaluated inside one another
        # The last call met whose value nobody reads (a call statement, an argument of an
        # unknown function): if it calls a function of the file, that function is not run.
        self.discarded: ast.expr | None = None
        self.star_modules = []
        self.foreign_star = False

    # The call and assignment machinery lives with the statements and calls.
    def eval_Call(self, node: ast.Call, scope: Scope) -> Value:
        raise NotImplementedError

    def assign(self, target: ast.expr, value: Value, scope: Scope) -> None:
        raise NotImplementedError

    def eval(self, node: ast.expr | None, scope: Scope) -> Value:
        kind = type(node)
        if kind is _CONSTANT:  # the two commonest nodes, without a handler call
            literal = node.value  # type: ignore[union-attr]
            key = (type(literal), literal)  # 1, 1.0 and True are equal: the type tells them apart
            const = self.constants.get(key)
            if const is None:
                const = Const(literal)
                if len(self.constants) < 4096:  # a file has few distinct literals; bounded
                    self.constants[key] = const
            return const
        if kind is _NAME:
            value = scope.lookup(node.id)  # type: ignore[union-attr]
            return value if value is not None else self.eval_Name(node, scope)  # type: ignore[arg-type]
        if kind is _CALL:  # the next commonest (a layer in a list, an argument): no lookup
            # (the depth guard below, written again: sharing it through a handler kept on the
            # interpreter cost 3% of a generated file's instructions, measured)
            if self.eval_depth >= MAX_EXPRESSION_DEPTH:
                return UNKNOWN
            self.eval_depth += 1
            try:
                return self.eval_Call(node, scope)  # type: ignore[arg-type]
            finally:
                self.eval_depth -= 1
        handler = self.expression_handlers.get(kind, UNRESOLVED)
        if handler is UNRESOLVED:
            handler = _expression_handler(self.__class__, kind)
        if handler is None or self.eval_depth >= MAX_EXPRESSION_DEPTH:
            return UNKNOWN
        self.eval_depth += 1
        try:
            return handler(self, node, scope)
        finally:
            self.eval_depth -= 1

    def eval_Name(self, node: ast.Name, scope: Scope) -> Value:
        value = scope.lookup(node.id)
        if value is not None:
            return value
        if self.star_modules and not self.foreign_star:
            module, names = self.star_modules[-1]
            if node.id in names:
                return SymbolRef(f"{module}.{node.id}")
        return UNKNOWN

    def eval_Attribute(self, node: ast.Attribute, scope: Scope) -> Value:
        value, attr = node.value, node.attr  # each field read once: a lookup on an AST node
        if type(value) is _NAME:  # ``layers.Dense``, ``model.add``, ``self.x``: no dispatch
            name = value.id
            if name == scope.self_name:  # ``self_attr``, inline
                return (scope.attrs or {}).get(attr, UNKNOWN)
            base = scope.lookup(name)
            if base is None:
                base = self.eval_Name(value, scope)
        else:
            base = self.eval(value, scope)
        if isinstance(base, SymbolRef):  # ``layers.Dense``: the same few on most lines
            key = (base.path, attr)
            symbol = self.symbols.get(key)
            if symbol is None:
                path = self.hooks.canonical_module(f"{base.path}.{attr}")
                symbol = SymbolRef(path) if path else UNKNOWN
                if len(self.symbols) < 4096:  # a file names few; bounded all the same
                    self.symbols[key] = symbol
            return symbol
        if base is UNKNOWN:  # hooks are for library values: none is looked up (most attributes)
            return UNKNOWN
        entry = self.hooks.method(base, attr)
        if entry is not None:
            return BoundMethod(base, attr, value, entry)
        hook = self.hooks.attribute(base, attr)
        return hook(base) if hook is not None else UNKNOWN

    def eval_Tuple(self, node: ast.Tuple | ast.List, scope: Scope) -> Value:
        values: list[Value] = []
        starred, constant, literals = False, True, True
        elts = node.elts
        for elt in elts:  # one loop, not three generators: a Sequential's list of layers
            kind = type(elt)
            value = self.eval(elt, scope)
            values.append(value)
            starred = starred or kind is _STARRED
            literals = literals and kind is _CONSTANT
            constant = constant and isinstance(value, Const)
        if starred:
            return UNKNOWN
        if constant:
            folded: Value = Const(tuple([v.value for v in values]))  # type: ignore[attr-defined]
            if literals and len(elts) < MAX_TUPLE_NODES:  # ``(64, 50, 5)``: flat, and fits
                return folded
        else:
            folded = Items(tuple(values))
        return folded if self.tuple_sizes.of(folded).fits() else UNKNOWN

    eval_List = eval_Tuple

    def eval_Dict(self, node: ast.Dict, scope: Scope) -> Value:
        """A dict literal with constant keys (no ``**``): its entries; else Unknown."""
        keys: list[object] = []
        values: list[Value] = []
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            value = self.eval(value_node, scope)
            key = self.eval(key_node, scope) if key_node is not None else UNKNOWN
            if not isinstance(key, Const) or isinstance(key.value, tuple):
                return UNKNOWN
            if any(same_literal(k, key.value) for k in keys):
                return UNKNOWN  # a repeated key: the later wins; not worth following
            keys.append(key.value)
            values.append(value)
        if len(keys) > MAX_UNROLLED:
            return UNKNOWN  # configs are a few keys; lookups are linear
        return Entries(tuple(keys), tuple(values))

    def eval_BinOp(self, node: ast.BinOp, scope: Scope) -> Value:
        return self.binop(node.op, self.eval(node.left, scope), self.eval(node.right, scope))

    def binop(self, op: ast.operator, left: Value, right: Value) -> Value:
        if not (isinstance(left, Const) and isinstance(right, Const)):
            hook = self.hooks.arithmetic_hook(left, right) if self.hooks.arithmetic else None
            return hook(op, left, right) if hook is not None else UNKNOWN
        a, b = left.value, right.value
        if isinstance(a, tuple) and isinstance(b, tuple) and isinstance(op, ast.Add):
            return self.concatenate(a, b)
        if not is_number(a) or not is_number(b):
            return UNKNOWN  # str and tuple repeats, shifts: never folded
        if isinstance(op, ast.Pow):
            ok = isinstance(b, int) and 0 <= b <= 64 and abs(a) <= 1024  # type: ignore[arg-type]
            fn: Callable[[Any, Any], Any] | None = operator.pow if ok else None
        else:
            fn = _BINOPS.get(type(op))
        if fn is None:
            return UNKNOWN
        try:
            result = fn(a, b)
        except ArithmeticError:
            return UNKNOWN
        return Const(result) if abs(result) <= MAX_FOLDED else UNKNOWN

    def concatenate(self, a: tuple[object, ...], b: tuple[object, ...]) -> Value:
        """``a + b`` on folded tuples, if the result stays within the size budget."""
        size = self.tuple_sizes.of(a).joined(self.tuple_sizes.of(b))
        if not size.fits():
            return UNKNOWN  # measured before it is built: ``t = t + t`` doubles per line
        joined = a + b
        self.tuple_sizes.remember(joined, size)
        return Const(joined)

    def eval_Compare(self, node: ast.Compare, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.eval(right_node, scope)
            fn = _COMPARISONS.get(type(op))
            if not (isinstance(left, Const) and isinstance(right, Const)) or fn is None:
                return UNKNOWN
            if not (is_number(left.value) and is_number(right.value)):
                return UNKNOWN
            if not fn(left.value, right.value):
                return Const(False)
            left = right
        return Const(True)

    def eval_BoolOp(self, node: ast.BoolOp, scope: Scope) -> Value:
        values = [self.eval(v, scope) for v in node.values]
        if not all(isinstance(v, Const) and isinstance(v.value, bool) for v in values):
            return UNKNOWN
        flags = [v.value for v in values]  # type: ignore[attr-defined]
        return Const(all(flags) if isinstance(node.op, ast.And) else any(flags))

    def eval_UnaryOp(self, node: ast.UnaryOp, scope: Scope) -> Value:
        value = self.eval(node.operand, scope)
        if isinstance(value, Const):
            if isinstance(node.op, ast.USub) and is_number(value.value):
                return Const(-value.value)  # type: ignore[operator]
            if isinstance(node.op, ast.UAdd) and is_number(value.value):
                return value
            if isinstance(node.op, ast.Not) and isinstance(value.value, bool):
                return Const(not value.value)
        return UNKNOWN

    def eval_IfExp(self, node: ast.IfExp, scope: Scope) -> Value:
        test = self.eval(node.test, scope)
        body, orelse = self.eval(node.body, scope), self.eval(node.orelse, scope)
        if isinstance(test, Const):
            return body if test.value else orelse
        return join(body, orelse)

    def eval_NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> Value:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def eval_Subscript(self, node: ast.Subscript, scope: Scope) -> Value:
        base = self.eval(node.value, scope)
        if base is UNKNOWN:  # no hook to look up (``history.history["loss"]``)
            self.eval(node.slice, scope)
            return UNKNOWN
        hook = self.hooks.subscript(base)
        if hook is not None:
            return hook(base, lambda: self.index_parts(node.slice, scope))
        index = self.eval(node.slice, scope)
        if isinstance(base, Entries) and isinstance(index, Const):
            return base.get(index.value) or UNKNOWN
        if isinstance(index, Const) and isinstance(index.value, int):
            if isinstance(base, Items) and -len(base.items) <= index.value < len(base.items):
                return base.items[index.value]
            if (
                isinstance(base, Const)
                and isinstance(base.value, tuple)
                and -len(base.value) <= index.value < len(base.value)
            ):
                return Const(base.value[index.value])
        return UNKNOWN

    def index_parts(self, index: ast.expr, scope: Scope) -> list[Value]:
        """``a[1:n, ..., None]`` -> [SliceValue(1, n, None), Const(Ellipsis), Const(None)]."""
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        return [self.index_part(part, scope) for part in parts]

    def index_part(self, part: ast.expr, scope: Scope) -> Value:
        if isinstance(part, ast.Slice):
            bounds = (part.lower, part.upper, part.step)
            lower, upper, step = (Const(None) if b is None else self.eval(b, scope) for b in bounds)
            return SliceValue(lower, upper, step)
        return self.eval(part, scope)

    def argument_effects(self, node: ast.Call, scope: Scope) -> list[ast.expr]:
        """Evaluate a call's arguments only for what evaluating them does (a call nobody reads
        the arguments of); the ones that are mutable values, as ``call_arguments`` gives."""
        mutable: list[ast.expr] = []
        for arg in node.args:
            inner = arg.value if isinstance(arg, ast.Starred) else arg
            self.discarded = inner  # ``print(summary(model))``: summary's value goes nowhere
            if self.eval(inner, scope).mutable:
                mutable.append(inner)
        for kw in node.keywords:
            self.discarded = kw.value
            if self.eval(kw.value, scope).mutable:
                mutable.append(kw.value)
        return mutable

    def call_arguments(self, node: ast.Call, scope: Scope) -> tuple[CallArgs, list[ast.expr], bool]:
        """The call's arguments, those that are mutable values (code may change them), and
        whether it passes a keyword the observers watch for or a ``**`` (which may hold one)."""
        args: list[Value] = []
        mutable: list[ast.expr] = []
        positional = node.args
        open_args = False
        for arg in positional:
            inner = arg
            if type(arg) is _STARRED:
                inner = arg.value
                open_args = True  # later positions are not known
            value = self.eval(inner, scope)
            if value.mutable:
                mutable.append(inner)
            if not open_args:
                args.append(value)
        # the expressions of the known positions: those before the first ``*args`` (the node's
        # own list when there is none: not copied, nothing changes a parsed tree)
        arg_nodes = positional[: len(args)] if open_args else positional
        keywords = node.keywords
        if not keywords:  # half of the calls: one shared, read-only empty mapping for both
            call = CallArgs(
                tuple(args), NO_KEYWORDS, open_args, False, arg_nodes, NO_KEYWORDS, node
            )
            return call, mutable, False
        kwargs: dict[str, Value] = {}
        kwarg_nodes: dict[str, ast.expr] = {}
        open_kwargs = observed = False
        watched = self.hooks.observed_keywords
        for kw in keywords:
            name, expression = kw.arg, kw.value  # read once: an AST node's fields cost a lookup
            observed = observed or name is None or name in watched  # as ``observed`` tests
            value = self.eval(expression, scope)
            if value.mutable:
                mutable.append(expression)
            if name is not None:
                kwargs[name] = value
                kwarg_nodes.setdefault(name, expression)
            elif isinstance(value, Entries) and _all_str(value.keys):
                for key, entry in zip(value.keys, value.values, strict=True):
                    kwargs[key] = entry  # type: ignore[index]  # ``**{"units": 8}``
                    kwarg_nodes.setdefault(key, expression)  # type: ignore[arg-type]
            else:
                open_kwargs = True
        call = CallArgs(tuple(args), kwargs, open_args, open_kwargs, arg_nodes, kwarg_nodes, node)
        return call, mutable, observed


def self_attr(node: ast.expr, scope: Scope) -> str | None:
    """``x`` for ``self.x`` inside a method (``self`` being the method's first parameter)."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and scope.self_name is not None
        and node.value.id == scope.self_name
    ):
        return node.attr
    return None


def _all_str(keys: tuple[object, ...]) -> bool:
    return all(isinstance(k, str) for k in keys)


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# Per interpreter class: node type -> its handler (None: an expression not followed).
_HANDLERS: dict[type, dict[type, Callable[..., Value] | None]] = {}
_CONSTANT, _NAME, _STARRED, _CALL = ast.Constant, ast.Name, ast.Starred, ast.Call


def _expression_handler(cls: type, kind: type) -> Callable[..., Value] | None:
    """``eval_Name`` handles ``ast.Name``: resolved once per interpreter class and node type."""
    handlers = _HANDLERS.setdefault(cls, {})
    if kind not in handlers:
        handlers[kind] = getattr(cls, f"eval_{kind.__name__}", None)
    return handlers[kind]
