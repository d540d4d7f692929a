"""The model-graph interpreter: walks a module's statements in order and rebuilds its Keras graph.

It never executes anything: it evaluates literals, folds constants, follows Keras constructors
and layer calls, and records every layer application (an edge of the graph) and every training
call. Whatever it cannot resolve is UNKNOWN, and shapes computed from UNKNOWN are unknown.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flake8_keras.engine.budget import (
    MAX_EXPRESSION_DEPTH,
    MAX_FOLDED,
    MAX_UNROLLED,
    MAX_UNROLLED_STATEMENTS,
    TupleSizes,
    unroll_budget,
)
from flake8_keras.engine.scope import Scope
from flake8_keras.engine.values import (
    MISSING,
    UNKNOWN,
    BoundMethod,
    ClassDef,
    Const,
    Function,
    Items,
    SymbolRef,
    Value,
    _Unknown,
)
from flake8_keras.keras import arrays as targets
from flake8_keras.keras import imports as names
from flake8_keras.keras.layers import CELLS, LAYERS, MERGE_FUNCTIONS, is_recurrent
from flake8_keras.keras.layers import apply as layer_semantics
from flake8_keras.keras.model import FitCall, Layer, LayerCall, Model, ModelGraph, Shape, Tensor

# Names a star import from a Keras module can bring in.
_STAR_SYMBOLS = frozenset(LAYERS) | frozenset(CELLS) | frozenset(MERGE_FUNCTIONS) | {
    "Input", "InputLayer", "Sequential", "Model", "to_categorical",
}  # fmt: skip

_MODEL_METHODS = frozenset(
    {"add", "compile", "fit", "evaluate", "train_on_batch", "test_on_batch", "fit_generator", "pop"}
)
_TARGET_METHODS = frozenset({"fit", "evaluate", "train_on_batch", "test_on_batch"})

_BINOPS: dict[type, Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}

# Builtins that look at a model or a list without changing it.
_READ_ONLY_BUILTINS = frozenset(
    {"print", "len", "isinstance", "type", "id", "repr", "str", "hasattr"}
)

# Calls of the file's functions evaluated inside one another (recursion, helpers of helpers).
_MAX_CALL_DEPTH = 4

_COMPARISONS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_MAX_CALLS_EVALUATED = 256  # call sites evaluated per file, whatever calls what

# What a function body may see of the module: definitions, not the module's changing state.
_VISIBLE_TO_FUNCTIONS = (Const, SymbolRef, Function, ClassDef, Layer, type(UNKNOWN))


def build_graph(tree: ast.Module) -> ModelGraph:
    interpreter = Interpreter()
    interpreter.run_module(tree)
    return interpreter.graph


class Interpreter:
    def __init__(self) -> None:
        self.graph = ModelGraph()
        self.recording = True
        self.call_stack: list[Function] = []
        self.calls_evaluated = 0
        self.unroll_budget = MAX_UNROLLED_STATEMENTS
        self.tuple_sizes = TupleSizes()
        self.eval_depth = 0  # expressions being evaluated inside one another
        self.loop_facts: dict[int, tuple[int, bool]] = {}  # id(loop) -> (statements, jumps)
        self.keras_stars: list[str] = []
        self.foreign_star = False
        self.pending: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, Scope]] = []

    # ----------------------------------------------------------------- statements

    def run_module(self, tree: ast.Module) -> None:
        last = tree.body[-1] if tree.body else None
        self.unroll_budget = unroll_budget(getattr(last, "end_lineno", None) or 0)
        module = Scope()
        self.exec_block(tree.body, module)
        # Function bodies run after the module, seeing its definitions; nested ones queue more.
        while self.pending:
            func, parent = self.pending.pop(0)
            self.analyze_function(func, parent)

    def analyze_function(self, func: ast.FunctionDef | ast.AsyncFunctionDef, parent: Scope) -> None:
        scope = Scope(parent=parent, parent_filter=_VISIBLE_TO_FUNCTIONS)
        for arg in _all_args(func.args):
            scope.bind(arg, UNKNOWN)
        self.exec_block(func.body, scope)

    def exec_block(self, body: list[ast.stmt], scope: Scope) -> None:
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: ast.stmt, scope: Scope) -> None:
        handler = _STMT_HANDLERS.get(type(stmt))
        if handler is None:
            return
        depth = scope.depth
        try:
            handler(self, stmt, scope)
        except Exception as exc:  # RecursionError and MemoryError included
            # An engine bug costs only this statement: what it binds or touches is unknown, the
            # rest of the file is analysed, and the error is reported instead of hidden.
            self.graph.errors.append((stmt, type(exc).__name__))
            self.forget_statement(stmt, scope, depth)

    def forget_statement(self, stmt: ast.stmt, scope: Scope, depth: int) -> None:
        """Make what a failed statement binds, and the models and lists it used, Unknown."""
        while scope.depth > depth:  # branches the failure left open are closed, then forgotten
            changed_vars, changed_attrs = scope.end()
            for name in changed_vars:
                scope.bind(name, UNKNOWN)
            for name in changed_attrs:
                scope.set_attr(name, UNKNOWN)
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                stored = not isinstance(node.ctx, ast.Load)
                if stored or isinstance(scope.lookup(node.id), (Model, Items)):
                    scope.rebind(node.id, UNKNOWN) if not stored else scope.bind(node.id, UNKNOWN)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                scope.bind(node.name, UNKNOWN)
            elif isinstance(node, ast.alias):
                scope.bind((node.asname or node.name).split(".", 1)[0], UNKNOWN)
            elif isinstance(node, ast.Attribute) and self._self_attr(node, scope) is not None:
                scope.set_attr(node.attr, UNKNOWN)

    def stmt_Expr(self, stmt: ast.Expr, scope: Scope) -> None:
        self.eval(stmt.value, scope)

    def stmt_Assign(self, stmt: ast.Assign, scope: Scope) -> None:
        value = self.eval(stmt.value, scope)
        for target in stmt.targets:
            self.assign(target, value, scope)

    def stmt_AnnAssign(self, stmt: ast.AnnAssign, scope: Scope) -> None:
        if stmt.value is not None:
            self.assign(stmt.target, self.eval(stmt.value, scope), scope)

    def stmt_AugAssign(self, stmt: ast.AugAssign, scope: Scope) -> None:
        current = self.eval(stmt.target, scope) if isinstance(stmt.target, ast.Name) else UNKNOWN
        folded = self.binop(stmt.op, current, self.eval(stmt.value, scope))
        self.assign(stmt.target, folded, scope)

    def stmt_Return(self, stmt: ast.Return, scope: Scope) -> None:
        scope.returns.append(self.eval(stmt.value, scope) if stmt.value else Const(None))

    def stmt_Delete(self, stmt: ast.Delete, scope: Scope) -> None:
        for target in stmt.targets:
            self.assign(target, UNKNOWN, scope)

    def stmt_Import(self, stmt: ast.Import, scope: Scope) -> None:
        for alias in stmt.names:
            if alias.asname:
                canon = names.canonical_module(alias.name)
                scope.bind(alias.asname, SymbolRef(canon) if canon else UNKNOWN)
            else:
                top = alias.name.split(".", 1)[0]
                canon = names.canonical_module(top)
                scope.bind(top, SymbolRef(canon) if canon else UNKNOWN)

    def stmt_ImportFrom(self, stmt: ast.ImportFrom, scope: Scope) -> None:
        module = names.canonical_module(stmt.module or "") if stmt.level == 0 else None
        for alias in stmt.names:
            if alias.name == "*":
                if module is not None and names.is_keras(module):
                    self.keras_stars.append(module)
                else:
                    self.foreign_star = True
                continue
            path = names.canonical_module(f"{stmt.module}.{alias.name}") if module else None
            scope.bind(alias.asname or alias.name, SymbolRef(path) if path else UNKNOWN)

    def stmt_FunctionDef(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        for decorator in stmt.decorator_list:
            self.eval(decorator, scope)
        scope.bind(stmt.name, Function(stmt, scope) if not stmt.decorator_list else UNKNOWN)
        if self.recording:  # a body evaluated for a call's value must not queue its defs again
            self.pending.append((stmt, scope))

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, stmt: ast.ClassDef, scope: Scope) -> None:
        bases = [self.eval(base, scope) for base in stmt.bases]
        is_model = any(
            isinstance(b, SymbolRef) and names.keras_symbol(b.path) in ("Model", "Sequential")
            for b in bases
        )
        cls = ClassDef(stmt, is_keras_model=is_model)
        scope.bind(stmt.name, cls)
        self.analyze_class(cls, scope)

    def analyze_class(self, cls: ClassDef, parent: Scope) -> None:
        """Run ``__init__`` first, then every other method on what ``__init__`` set up."""
        methods = [
            s for s in cls.node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        methods.sort(key=lambda m: m.name != "__init__")
        attrs: dict[str, Value] = {}
        for method in methods:
            params = _all_args(method.args)
            scope = Scope(
                parent=parent,
                parent_filter=_VISIBLE_TO_FUNCTIONS,
                attrs=attrs if method.name == "__init__" else dict(attrs),
                self_name=params[0] if params else None,
            )
            for name in params:
                scope.bind(name, UNKNOWN)
            self.exec_block(method.body, scope)
            if method.name == "call" and cls.is_keras_model and len(scope.returns) == 1:
                out = scope.returns[0]
                cls.model_output = out if isinstance(out, Tensor) else None

    def stmt_If(self, stmt: ast.If, scope: Scope) -> None:
        """``if``/``elif``/``else`` as one set of branches: a chain of 400 ``elif`` is flat here,
        not 400 nested calls (a RecursionError). A constant test picks or drops its branch."""
        blocks: list[list[ast.stmt]] = []
        node = stmt
        while True:
            test = self.eval(node.test, scope)
            if not isinstance(test, Const) or test.value:
                blocks.append(node.body)
            if isinstance(test, Const) and test.value:
                break  # the branches after it never run
            if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                node = node.orelse[0]
                continue
            blocks.append(node.orelse)
            break
        if len(blocks) == 1:
            self.exec_block(blocks[0], scope)
        else:
            self.branches(blocks, scope)

    def stmt_For(self, stmt: ast.For | ast.AsyncFor | ast.While, scope: Scope) -> None:
        if isinstance(stmt, ast.While):
            self.eval(stmt.test, scope)
        else:
            values = self.literal_iteration(stmt.iter, scope)
            statements, jumps = self.loop_body_facts(stmt)
            # Unrolled where diagnostics are recorded; a body evaluated for a call's return value
            # keeps the cheaper first-iteration analysis (its loops make the result Unknown).
            unroll = values is not None and self.recording and not jumps
            cost = len(values) * statements if values is not None else 0
            if unroll and values is not None and cost <= self.unroll_budget:
                self.unroll_budget -= cost  # statements executed; nested loops multiply
                # A loop over a short literal sequence runs exactly as written: unrolled.
                for value in values:
                    self.assign(stmt.target, value, scope)
                    self.exec_block(stmt.body, scope)
                self.exec_block(stmt.orelse, scope)
                return
            self.assign(stmt.target, UNKNOWN, scope)
        # Otherwise the body is analysed once, on the state before the loop (its first
        # iteration); names it changes are unknown afterwards, whatever the number of iterations.
        scope.begin()
        self.exec_block(stmt.body, scope)
        self.exec_block(stmt.orelse, scope)
        scope.merge([scope.end(), ({}, {})])

    stmt_AsyncFor = stmt_For
    stmt_While = stmt_For

    def loop_body_facts(self, loop: ast.For | ast.AsyncFor) -> tuple[int, bool]:
        """Statements in the loop (its ``else`` and nested bodies too) and whether it may jump."""
        facts = self.loop_facts.get(id(loop))
        if facts is None:
            body, jumps = self._block_facts(loop.body)
            facts = self.loop_facts[id(loop)] = (body + self._block_facts(loop.orelse)[0], jumps)
        return facts

    def _block_facts(self, block: list[ast.stmt]) -> tuple[int, bool]:
        """Statements in a block and whether it jumps; a nested loop's facts are reused, so
        90 nested loops cost one walk, not 90 (only nested loops recurse: at most 100 deep)."""
        statements, jumps = 0, False
        stack: list[ast.AST] = list(block)
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.For, ast.AsyncFor)):
                inner, inner_jumps = self.loop_body_facts(node)
                statements, jumps = statements + inner + 1, jumps or inner_jumps
                stack.extend((node.target, node.iter))
                continue
            statements += isinstance(node, ast.stmt)
            jumps = jumps or isinstance(node, _JUMPS)
            stack.extend(ast.iter_child_nodes(node))
        return statements, jumps

    def literal_iteration(self, node: ast.expr, scope: Scope) -> list[Value] | None:
        """The values a loop over ``[64, 32]``, ``(a, b)`` or ``range(3)`` takes, if few."""
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "range"
            and scope.lookup("range") is None
            and not node.keywords
        ):
            bounds = [self.eval(arg, scope) for arg in node.args]
            raw = [
                b.value
                for b in bounds
                if isinstance(b, Const)
                and isinstance(b.value, int)
                and not isinstance(b.value, bool)
            ]
            if len(raw) != len(bounds) or not 1 <= len(raw) <= 3 or (len(raw) == 3 and not raw[2]):
                return None
            # Sliced before its length is taken: len() of a huge range raises OverflowError.
            steps = range(*raw)[: MAX_UNROLLED + 1]
            return [Const(v) for v in steps] if len(steps) <= MAX_UNROLLED else None
        value = self.eval(node, scope)
        if isinstance(value, Const) and isinstance(value.value, tuple):
            items: list[Value] = [Const(v) for v in value.value]
        elif isinstance(value, Items):
            items = list(value.items)
        else:
            return None
        return items if len(items) <= MAX_UNROLLED else None

    def stmt_With(self, stmt: ast.With | ast.AsyncWith, scope: Scope) -> None:
        for item in stmt.items:
            self.eval(item.context_expr, scope)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, UNKNOWN, scope)
        self.exec_block(stmt.body, scope)

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, stmt: ast.Try, scope: Scope) -> None:
        blocks = [stmt.body + stmt.orelse] + [h.body for h in stmt.handlers]
        self.branches(blocks, scope)
        self.exec_block(stmt.finalbody, scope)

    stmt_TryStar = stmt_Try

    def stmt_Match(self, stmt: ast.Match, scope: Scope) -> None:
        self.eval(stmt.subject, scope)
        blocks = [case.body for case in stmt.cases]
        self.branches(blocks + [[]], scope)

    def branches(self, blocks: list[list[ast.stmt]], scope: Scope) -> None:
        """Run each block on the state before it; keep what every branch agrees on."""
        after = []
        for block in blocks:
            scope.begin()
            self.exec_block(block, scope)
            after.append(scope.end())  # the scope is back to its state before the branches
        scope.merge(after)

    def assign(self, target: ast.expr, value: Value, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.bind(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = _unpack(value, len(target.elts))
            for elt, part in zip(target.elts, parts, strict=True):
                self.assign(elt, part, scope)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, UNKNOWN, scope)
        elif self._self_attr(target, scope) is not None and scope.attrs is not None:
            scope.set_attr(self._self_attr(target, scope) or "", value)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            # ``layer.return_sequences = True``, ``stack[0] = ...``: the object changed
            self.forget(target.value, scope)

    def forget(self, node: ast.expr, scope: Scope) -> None:
        """What a name or ``self.x`` refers to may have changed in ways not followed here."""
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            if self._self_attr(node, scope) is not None:
                break
            node = node.value
        if isinstance(node, ast.Name):
            if scope.lookup(node.id) is not None:
                scope.rebind(node.id, UNKNOWN)
        elif self._self_attr(node, scope) is not None and scope.attrs is not None:
            scope.set_attr(self._self_attr(node, scope) or "", UNKNOWN)

    def forget_mutable_arguments(
        self, node: ast.Call, func: Value, mutable: list[ast.expr], scope: Scope
    ) -> None:
        """A list or model handed to code not followed here (``add_head(model)``) may change."""
        if isinstance(func, (SymbolRef, Layer)):
            return
        builtin = isinstance(node.func, ast.Name) and node.func.id in _READ_ONLY_BUILTINS
        if builtin and scope.lookup(getattr(node.func, "id", "")) is None:
            return
        if isinstance(func, BoundMethod) and isinstance(func.owner, Model):
            return  # model.fit(x, y), model.add(layer): followed
        if isinstance(node.func, ast.Attribute) and isinstance(func, _Unknown):
            receiver = self.eval_quiet(node.func.value, scope)
            if isinstance(receiver, Items):
                self.forget(node.func.value, scope)  # stack.append(...), stack.insert(...)
        for arg in mutable:
            self.forget(arg, scope)

    def eval_quiet(self, node: ast.expr, scope: Scope) -> Value:
        """The value a plain name or ``self.x`` refers to, without evaluating anything else."""
        if isinstance(node, ast.Name):
            return scope.lookup(node.id) or UNKNOWN
        attr = self._self_attr(node, scope)
        if attr is not None:
            return (scope.attrs or {}).get(attr, UNKNOWN)
        return UNKNOWN

    @staticmethod
    def _self_attr(node: ast.expr, scope: Scope) -> str | None:
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and scope.self_name is not None
            and node.value.id == scope.self_name
        ):
            return node.attr
        return None

    # ---------------------------------------------------------------- expressions

    def eval(self, node: ast.expr | None, scope: Scope) -> Value:
        kind = type(node)
        if kind is ast.Constant:  # the two commonest nodes, without a handler call
            return Const(node.value)  # type: ignore[union-attr]
        if kind is ast.Name:
            value = scope.lookup(node.id)  # type: ignore[union-attr]
            return value if value is not None else self.eval_Name(node, scope)  # type: ignore[arg-type]
        handler = _EXPR_HANDLERS.get(kind)
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
        if self.keras_stars and not self.foreign_star and node.id in _STAR_SYMBOLS:
            return SymbolRef(f"{self.keras_stars[-1]}.{node.id}")
        return UNKNOWN

    def eval_Attribute(self, node: ast.Attribute, scope: Scope) -> Value:
        attr = self._self_attr(node, scope)
        if attr is not None:
            return (scope.attrs or {}).get(attr, UNKNOWN)
        base = self.eval(node.value, scope)
        if isinstance(base, SymbolRef):
            path = names.join(base.path, node.attr)
            return SymbolRef(path) if path else UNKNOWN
        if isinstance(base, Model):
            if node.attr in _MODEL_METHODS:
                return BoundMethod(base, node.attr, node.value)
            if node.attr == "output" and base.output is not None:
                return base.output
            return UNKNOWN
        if isinstance(base, Tensor):
            return targets.tensor_attribute(base, node, self)
        return UNKNOWN

    def eval_Tuple(self, node: ast.Tuple | ast.List, scope: Scope) -> Value:
        values = [self.eval(elt, scope) for elt in node.elts]
        if any(isinstance(elt, ast.Starred) for elt in node.elts):
            return UNKNOWN
        if all(isinstance(v, Const) for v in values):
            folded: Value = Const(tuple(v.value for v in values))  # type: ignore[attr-defined]
        else:
            folded = Items(tuple(values))
        return folded if self.tuple_sizes.of(folded).fits() else UNKNOWN

    eval_List = eval_Tuple

    def eval_BinOp(self, node: ast.BinOp, scope: Scope) -> Value:
        return self.binop(node.op, self.eval(node.left, scope), self.eval(node.right, scope))

    def binop(self, op: ast.operator, left: Value, right: Value) -> Value:
        if not (isinstance(left, Const) and isinstance(right, Const)):
            return UNKNOWN
        a, b = left.value, right.value
        if isinstance(a, tuple) and isinstance(b, tuple) and isinstance(op, ast.Add):
            return self.concatenate(a, b)
        if not _is_number(a) or not _is_number(b):
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
            if not (_is_number(left.value) and _is_number(right.value)):
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
            if isinstance(node.op, ast.USub) and _is_number(value.value):
                return Const(-value.value)  # type: ignore[operator]
            if isinstance(node.op, ast.UAdd) and _is_number(value.value):
                return value
            if isinstance(node.op, ast.Not) and isinstance(value.value, bool):
                return Const(not value.value)
        return UNKNOWN

    def eval_IfExp(self, node: ast.IfExp, scope: Scope) -> Value:
        test = self.eval(node.test, scope)
        body, orelse = self.eval(node.body, scope), self.eval(node.orelse, scope)
        if isinstance(test, Const):
            return body if test.value else orelse
        return body if body == orelse else UNKNOWN

    def eval_NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> Value:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def eval_Subscript(self, node: ast.Subscript, scope: Scope) -> Value:
        base = self.eval(node.value, scope)
        if isinstance(base, Tensor):
            return targets.subscript(base, node.slice, scope, self)
        index = self.eval(node.slice, scope)
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

    def eval_Call(self, node: ast.Call, scope: Scope) -> Value:
        func = self.eval(node.func, scope)
        args: list[Value] = []
        mutable: list[ast.expr] = []  # arguments that are models or lists: code may change them
        open_args = False
        for arg in node.args:
            inner = arg.value if isinstance(arg, ast.Starred) else arg
            value = self.eval(inner, scope)
            if isinstance(value, (Items, Model)):
                mutable.append(inner)
            if inner is not arg:
                open_args = True
            elif not open_args:
                args.append(value)
        kwargs: dict[str, Value] = {}
        open_kwargs = False
        for kw in node.keywords:
            value = self.eval(kw.value, scope)
            if isinstance(value, (Items, Model)):
                mutable.append(kw.value)
            if kw.arg is None:
                open_kwargs = True
            else:
                kwargs[kw.arg] = value
        call = _Call(node, args, kwargs, open_args, open_kwargs)
        if mutable or (isinstance(func, _Unknown) and isinstance(node.func, ast.Attribute)):
            self.forget_mutable_arguments(node, func, mutable, scope)
        is_fit = isinstance(node.func, ast.Attribute) and node.func.attr in ("fit", "fit_generator")
        if is_fit and "nb_epoch" in kwargs:
            self.graph.keras1 = True
        if isinstance(func, SymbolRef):
            return self.call_ref(func, call)
        if isinstance(func, Layer):
            return self.apply_layer(func, call.node, call.args, call.kwargs)
        if isinstance(func, BoundMethod):
            return self.call_method(func, call, scope)
        if isinstance(func, Function):
            return self.call_function(func, call)
        if isinstance(func, ClassDef) and func.is_keras_model:
            return Model("subclassed", node, output=func.model_output)
        return UNKNOWN

    # ------------------------------------------------------------ Keras semantics

    def call_ref(self, ref: SymbolRef, call: _Call) -> Value:
        symbol = names.keras_symbol(ref.path)
        if symbol is None:
            return targets.call_array_constructor(ref.path, call.args, call.kwargs, self)
        if symbol in LAYERS or symbol in CELLS or symbol == "InputLayer":
            layer = Layer(
                symbol, call.node, tuple(call.args), call.kwargs, call.open_args, call.open_kwargs
            )
            keras1_kwargs = "output_dim" in call.kwargs or "init" in call.kwargs
            if keras1_kwargs and (symbol == "Dense" or is_recurrent(layer)):
                self.graph.keras1 = True
            return layer
        if symbol in MERGE_FUNCTIONS:
            merge = Layer(MERGE_FUNCTIONS[symbol], call.node, (), call.kwargs)
            return self.apply_layer(merge, call.node, call.args[:1], call.kwargs)
        if symbol == "merge" and "mode" in call.kwargs:
            self.graph.keras1 = True
        if symbol == "Input":
            return self.make_input(call)
        if symbol == "Sequential":
            return self.make_sequential(call)
        if symbol in ("Model", "Functional"):
            if "input" in call.kwargs or "output" in call.kwargs:
                self.graph.keras1 = True
            outputs = call.arg("outputs", 1)
            if outputs is MISSING:
                outputs = call.kwargs.get("output", MISSING)
            return Model(
                "functional", call.node, output=outputs if isinstance(outputs, Tensor) else None
            )
        if ref.path.startswith("keras.losses."):
            return ref  # a loss object is known by its class
        if symbol == "to_categorical":
            return targets.to_categorical(call.args, call.kwargs)
        return UNKNOWN

    def make_input(self, call: _Call) -> Tensor:
        shape = call.arg("shape", 0)
        batch_shape = call.kwargs.get("batch_shape", MISSING)
        batch_size = call.kwargs.get("batch_size", MISSING)
        layer = Layer("Input", call.node, tuple(call.args), call.kwargs)
        app = LayerCall(layer, (), call.node)
        dims = _dims(batch_shape)
        if dims is None:
            inner = _dims(shape)
            batch = batch_size.value if isinstance(batch_size, Const) else None
            if inner is None or not (batch is None or isinstance(batch, int)):
                return Tensor(None, producer=app)
            dims = (batch,) + inner
        tensor = Tensor(Shape(dims), producer=app)
        app.output = tensor
        return tensor

    def make_sequential(self, call: _Call) -> Model:
        model = Model("sequential", call.node, output=Tensor(None))
        items = call.arg("layers", 0)
        if items is MISSING or items == Const(None):
            return model
        if not isinstance(items, Items):
            return model.evolve(output=None)
        for item in items.items:
            model = self.sequential_add(model, item)
        return model

    def sequential_add(self, model: Model, item: Value) -> Model:
        if model.output is None:
            return model
        if isinstance(item, Tensor) and model.layer_count == 0:
            return model.evolve(output=item)
        if not isinstance(item, Layer):
            return model.evolve(output=Tensor(None), layer_count=model.layer_count + 1)
        current = model.output
        if model.layer_count == 0:
            declared = declared_input(item)
            if declared is not None:
                current = declared
        if item.name == "InputLayer":
            return model.evolve(output=current)
        out = self.apply_layer(item, item.node, [current], {})
        return model.evolve(output=out, layer_count=model.layer_count + 1)

    def apply_layer(
        self, layer: Layer, node: ast.AST, args: list[Value], kwargs: dict[str, Value]
    ) -> Value:
        if layer.name in CELLS or layer.name == "InputLayer":
            return UNKNOWN
        if layer.name == "MultiHeadAttention":
            first: Value = args[0] if args else kwargs.get("query", MISSING)
        else:
            first = args[0] if args else kwargs.get("inputs", MISSING)
        inputs = _as_tensors(first)
        app = LayerCall(layer, tuple(inputs), node)
        shapes = [t.shape for t in inputs]
        # After a layer that cannot build, nothing downstream is known: the first error is the
        # one to report, not its echoes.
        result = layer_semantics(layer, shapes)
        broken = any(t.broken for t in inputs) or result.rejected is not None
        shape = result.shape if not broken else None
        out = Tensor(
            shape,
            producer=app,
            time_event=_time_event(app, shape),
            masked=_masked(app, shape),
            broken=broken,
        )
        app.output = out
        if self.recording:
            self.graph.apps.append(app)
        return out

    def call_method(self, method: BoundMethod, call: _Call, scope: Scope) -> Value:
        owner = method.owner
        if isinstance(owner, Tensor):
            return targets.call_tensor_method(owner, method.name, call.args, call.kwargs)
        if not isinstance(owner, Model):
            return UNKNOWN
        if method.name == "add":
            item = call.arg("layer", 0)
            self.rebind(method.target, self.sequential_add(owner, item), scope)
        elif method.name == "pop":
            self.rebind(method.target, owner.evolve(output=None), scope)
        elif method.name == "compile":
            loss = call.arg("loss", 1)
            self.rebind(method.target, owner.evolve(loss=loss), scope)
        elif method.name in _TARGET_METHODS and self.recording:
            self.record_targets(owner, method.name, call)
        return UNKNOWN

    def record_targets(self, model: Model, method: str, call: _Call) -> None:
        y_node = _argument_node(call.node, "y", 1)
        if y_node is not None:
            self.graph.fits.append(FitCall(model, method, call.arg("y", 1), y_node))
        validation = next((k.value for k in call.node.keywords if k.arg == "validation_data"), None)
        if isinstance(validation, (ast.Tuple, ast.List)) and len(validation.elts) >= 2:
            value = call.kwargs.get("validation_data")
            y_val = value.items[1] if isinstance(value, Items) else UNKNOWN
            self.graph.fits.append(FitCall(model, "fit validation_data", y_val, validation.elts[1]))

    def rebind(self, target: ast.expr, value: Value, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.rebind(target.id, value)
        elif self._self_attr(target, scope) is not None and scope.attrs is not None:
            scope.set_attr(self._self_attr(target, scope) or "", value)

    def call_function(self, func: Function, call: _Call) -> Value:
        """Evaluate a function of the file with the call's arguments, recording nothing."""
        if func in self.call_stack or len(self.call_stack) >= _MAX_CALL_DEPTH:
            return UNKNOWN
        if self.calls_evaluated >= _MAX_CALLS_EVALUATED:
            return UNKNOWN  # bounded work per file, whatever calls what
        self.calls_evaluated += 1
        scope = Scope(parent=func.scope, parent_filter=_VISIBLE_TO_FUNCTIONS)
        _bind_arguments(func.node.args, call, scope, self)
        saved = self.recording
        self.recording = False
        self.call_stack.append(func)
        try:
            self.exec_block(func.node.body, scope)
        finally:
            self.call_stack.pop()
            self.recording = saved
        returns = scope.returns
        if returns and all(r is returns[0] for r in returns):
            return returns[0]
        return UNKNOWN


def _handlers(prefix: str) -> dict[type, Callable[..., Any]]:
    """Node type -> handler, resolved once (``eval_Name`` handles ``ast.Name``)."""
    table: dict[type, Callable[..., Any]] = {}
    for name in dir(Interpreter):
        node_type = getattr(ast, name[len(prefix) :], None) if name.startswith(prefix) else None
        if isinstance(node_type, type):
            table[node_type] = getattr(Interpreter, name)
    return table


_EXPR_HANDLERS = _handlers("eval_")
_STMT_HANDLERS = _handlers("stmt_")


@dataclass
class _Call:
    node: ast.Call
    args: list[Value]
    kwargs: dict[str, Value]
    open_args: bool
    open_kwargs: bool

    def arg(self, key: str, pos: int) -> Value:
        if key in self.kwargs:
            return self.kwargs[key]
        if pos < len(self.args):
            return self.args[pos]
        return UNKNOWN if (self.open_args or self.open_kwargs) else MISSING


def declared_input(layer: Layer) -> Tensor | None:
    """The model input a first Sequential layer declares (``input_shape=``, ``input_dim=``...)."""
    declared = _declared_input(layer)
    if declared is not None:
        declared.producer = LayerCall(Layer("Input", layer.node, (), {}), (), layer.node)
    return declared


def _declared_input(layer: Layer) -> Tensor | None:
    for key in ("batch_input_shape", "batch_shape"):
        dims = _dims(layer.kwargs.get(key, MISSING))
        if dims is not None:
            return Tensor(Shape(dims))
        if key in layer.kwargs:
            return Tensor(None)
    for key in ("input_shape", "shape") if layer.name == "InputLayer" else ("input_shape",):
        dims = _dims(layer.kwargs.get(key, MISSING))
        if dims is not None:
            return Tensor(Shape((None,) + dims))
        if key in layer.kwargs:
            return Tensor(None)
    length = layer.const("input_length")
    if layer.name == "Embedding":
        return Tensor(Shape((None, length))) if isinstance(length, int) else None
    features = layer.const("input_dim")
    if "input_dim" not in layer.kwargs and "input_length" not in layer.kwargs:
        return None
    if (
        not (features is None or isinstance(features, int))
        or length is not None
        and not isinstance(length, int)
    ):
        return Tensor(None)
    if is_recurrent(layer):
        return Tensor(Shape((None, length, features)))
    return Tensor(Shape((None, features))) if features is not None else None


def _dims(value: Value) -> tuple[int | None, ...] | None:
    if isinstance(value, Const):
        raw = value.value
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = (raw,)
        if isinstance(raw, tuple) and all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in raw
        ):
            return raw
    return None


def _as_tensors(value: Value) -> list[Tensor]:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, Items):
        return [v if isinstance(v, Tensor) else Tensor(None) for v in value.items]
    return [Tensor(None)]


def _time_event(app: LayerCall, shape: Shape | None) -> LayerCall | None:
    first = app.inputs[0] if app.inputs else None
    if is_recurrent(app.layer):
        return app
    before = first.shape if first is not None else None
    if shape is not None:
        if shape.rank == 2 and (before is None or before.rank >= 3):
            return app  # dropped the time axis (Flatten, global pooling...)
        if shape.rank >= 3 and before is not None and before.rank == 2:
            return app  # created one (RepeatVector, Embedding, Reshape)
    return first.time_event if first is not None else None


def _masked(app: LayerCall, shape: Shape | None) -> bool:
    kind = LAYERS.get(app.layer.name)
    if kind is not None and kind.masking:
        return True
    if app.layer.name == "Embedding":
        return app.layer.const("mask_zero", default=False) is True
    first = app.inputs[0] if app.inputs else None
    return bool(first is not None and first.masked and shape is not None and shape.rank >= 3)


def _unpack(value: Value, count: int) -> list[Value]:
    if isinstance(value, Items) and len(value.items) == count:
        return list(value.items)
    if isinstance(value, Const) and isinstance(value.value, tuple) and len(value.value) == count:
        return [Const(v) for v in value.value]
    return [UNKNOWN] * count


def _all_args(args: ast.arguments) -> list[str]:
    params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    if args.vararg:
        params.append(args.vararg.arg)
    if args.kwarg:
        params.append(args.kwarg.arg)
    return params


def _bind_arguments(args: ast.arguments, call: _Call, scope: Scope, interp: Interpreter) -> None:
    """Bind parameters from the call; literal defaults apply; anything unclear is UNKNOWN."""
    positional = [a.arg for a in args.posonlyargs + args.args]
    with_defaults = positional[len(positional) - len(args.defaults) :]
    defaults = dict(zip(with_defaults, args.defaults, strict=True))
    kw_defaults = zip(args.kwonlyargs, args.kw_defaults, strict=True)
    defaults.update({a.arg: d for a, d in kw_defaults if d is not None})
    for index, name in enumerate(positional + [a.arg for a in args.kwonlyargs]):
        if index < len(positional) and index < len(call.args):
            scope.bind(name, call.args[index])
        elif name in call.kwargs:
            scope.bind(name, call.kwargs[name])
        elif call.open_args or call.open_kwargs or name not in defaults:
            scope.bind(name, UNKNOWN)
        else:
            scope.bind(name, interp.eval(defaults[name], Scope()))
    for extra in (args.vararg, args.kwarg):
        if extra is not None:
            scope.bind(extra.arg, UNKNOWN)


def _argument_node(call: ast.Call, key: str, pos: int) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == key:
            return kw.value
    if any(isinstance(a, ast.Starred) for a in call.args[: pos + 1]):
        return None
    return call.args[pos] if pos < len(call.args) else None


# A loop body with one of these may leave an iteration early (then it is not unrolled).
_JUMPS = (ast.Break, ast.Continue, ast.Return, ast.Raise, ast.Yield, ast.YieldFrom)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
