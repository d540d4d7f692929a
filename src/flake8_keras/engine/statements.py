"""Statements: assignments, imports, definitions, branches and loops, each failure isolated.

Branches run on the state before them and merge through ``values.join``; loops over short
literal sequences are unrolled within a budget, other loops are analysed once. A statement whose
analysis raises costs only itself: what it binds becomes Unknown and the error is recorded.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable

from flake8_keras.engine.budget import (
    MAX_FIXPOINT_NESTING,
    MAX_FIXPOINT_ROUNDS,
    MAX_UNROLLED,
    unroll_budget,
)
from flake8_keras.engine.callsites import child_nodes, walk
from flake8_keras.engine.expressions import Expressions, self_attr
from flake8_keras.engine.hooks import UNRESOLVED, Hooks
from flake8_keras.engine.relevance import Relevance
from flake8_keras.engine.scope import Scope
from flake8_keras.engine.values import (
    UNKNOWN,
    ClassDef,
    Const,
    Entries,
    FrozenEntries,
    Function,
    Items,
    SymbolRef,
    Value,
)
from flake8_keras.records import record

# Methods that set up ``self`` before any other runs, in the order Keras calls them.
_SETUP_METHODS = {"__init__": 0, "build": 1}

# A loop body with one of these may leave an iteration early (then it is not unrolled).
JUMPS = (ast.Break, ast.Continue, ast.Return, ast.Raise, ast.Yield, ast.YieldFrom)


class Statements(Expressions):
    """The statement half of the interpreter; ``Interpreter`` adds calls and function bodies."""

    def __init__(self, hooks: Hooks) -> None:
        super().__init__(hooks)
        self.recording = True  # False while a function is evaluated for one call's value
        self.unroll_budget = 0  # set per module (``budget.unroll_budget``)
        # Statements run in loop fixpoint rounds; ``run_module`` sizes it to the file.
        self.fixpoint_budget = unroll_budget(0)
        self.loop_facts: dict[int, tuple[int, bool]] = {}  # id(loop) -> (statements, jumps)
        self.touched: dict[int, _Touched] = {}  # id(statement) -> the names it touches
        self.fixpoint_nesting = 0  # loop heads whose rounds are running now
        # Statements whose analysis raised (an engine bug), with the exception's type name.
        self.errors: list[tuple[ast.stmt, str]] = []
        self.frozen: set[str] = set()  # module dicts nothing changes (``callsites``)
        self.assigning: ast.Assign | None = None  # the assignment being evaluated
        # ``stmt_If`` for ``ast.If``...: this class's handlers, by node type (read per statement)
        self.statement_handlers = _STATEMENT_HANDLERS.setdefault(type(self), {})
        self.pending: deque[tuple[ast.FunctionDef | ast.AsyncFunctionDef, Scope]] = deque()
        # Which bodies may record: every one until ``run_module`` reads the file's text.
        self.relevance = Relevance(None, ())

    def exec_block(self, body: list[ast.stmt], scope: Scope) -> None:
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: ast.stmt, scope: Scope) -> None:
        handler = self.statement_handlers.get(type(stmt), UNRESOLVED)
        if handler is UNRESOLVED:
            handler = _statement_handler(type(self), type(stmt))
        if handler is None:
            return
        depth = scope.depth
        try:
            handler(self, stmt, scope)
        except Exception as exc:  # RecursionError and MemoryError included
            # An engine bug costs only this statement: what it binds or touches is unknown, the
            # rest of the file is analysed, and the error is reported instead of hidden.
            if not self.errors or self.errors[-1][0] is not stmt:  # loop rounds: once each
                self.errors.append((stmt, type(exc).__name__))
            self.forget_statement(stmt, scope, depth)

    def forget_statement(self, stmt: ast.stmt, scope: Scope, depth: int) -> None:
        """Make what a failed statement binds, and the models and lists it used, Unknown."""
        while scope.depth > depth:  # branches the failure left open are closed, then forgotten
            changed_vars, changed_attrs = scope.end()
            for name in changed_vars:
                scope.bind(name, UNKNOWN)
            for name in changed_attrs:
                scope.set_attr(name, UNKNOWN)
        touched = self.touched_by(stmt)
        for name in touched.loaded:
            if _is_mutable(scope.lookup(name)):
                scope.rebind(name, UNKNOWN)
        for name in touched.bound:
            scope.bind(name, UNKNOWN)
        for node in touched.attributes:
            if self_attr(node, scope) is not None:
                scope.set_attr(node.attr, UNKNOWN)

    def touched_by(self, stmt: ast.stmt) -> _Touched:
        """What ``stmt`` names, from its nested statements' summaries: a loop nested 90 deep
        is forgotten at every level, and each level is walked once."""
        known = self.touched.get(id(stmt))
        if known is not None:
            return known
        loaded: dict[str, None] = {}
        bound: dict[str, None] = {}
        attributes: list[ast.Attribute] = []
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound[stmt.name] = None
        stack = child_nodes(stmt)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.stmt):
                inner = self.touched_by(node)
                loaded.update(dict.fromkeys(inner.loaded))
                bound.update(dict.fromkeys(inner.bound))
                attributes.extend(inner.attributes)
                continue
            if isinstance(node, ast.Name):
                (loaded if isinstance(node.ctx, ast.Load) else bound)[node.id] = None
            elif isinstance(node, ast.alias):
                bound[(node.asname or node.name).split(".", 1)[0]] = None
            elif isinstance(node, ast.Attribute):
                attributes.append(node)
            stack.extend(child_nodes(node))
        summary = _Touched(tuple(loaded), tuple(bound), tuple(attributes))
        self.touched[id(stmt)] = summary
        return summary

    def stmt_Expr(self, stmt: ast.Expr, scope: Scope) -> None:
        node = self.discarded = stmt.value  # its value is dropped (``train(model)``, ``main()``)
        if type(node) is ast.Call:  # most statements' value: a call, without ``eval``'s dispatch
            self.eval_Call(node, scope)
        else:
            self.eval(node, scope)

    def stmt_Assign(self, stmt: ast.Assign, scope: Scope) -> None:
        self.assigning = stmt  # a call of the file's function whose result nobody reads
        node = stmt.value
        value = self.eval_Call(node, scope) if type(node) is ast.Call else self.eval(node, scope)
        if (
            isinstance(value, Entries)
            and scope.parent is None
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id in self.frozen
            and all(v.definition for v in value.values)
        ):
            value = FrozenEntries(value.keys, value.values)
        targets = stmt.targets
        if len(targets) == 1 and type(targets[0]) is ast.Name:  # ``x = ...``: most assignments
            scope.bind(targets[0].id, value)
            return
        for target in targets:
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
                canon = self.hooks.canonical_module(alias.name)
                scope.bind(alias.asname, SymbolRef(canon) if canon else UNKNOWN)
            else:
                top = alias.name.split(".", 1)[0]
                canon = self.hooks.canonical_module(top)
                scope.bind(top, SymbolRef(canon) if canon else UNKNOWN)

    def stmt_ImportFrom(self, stmt: ast.ImportFrom, scope: Scope) -> None:
        module = self.hooks.canonical_module(stmt.module or "") if stmt.level == 0 else None
        for alias in stmt.names:
            if alias.name == "*":
                star = self.hooks.star_names(module) if module is not None else None
                if module is not None and star is not None:
                    self.star_modules.append((module, star))
                else:
                    self.foreign_star = True
                continue
            path = self.hooks.canonical_module(f"{stmt.module}.{alias.name}") if module else None
            scope.bind(alias.asname or alias.name, SymbolRef(path) if path else UNKNOWN)

    def stmt_FunctionDef(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        for decorator in stmt.decorator_list:
            self.eval(decorator, scope)
        scope.bind(stmt.name, Function(stmt, scope) if not stmt.decorator_list else UNKNOWN)
        if self.recording:  # a body evaluated for a call's value must not queue its defs again
            self.pending.append((stmt, scope))

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, stmt: ast.ClassDef, scope: Scope) -> None:
        bases = tuple(self.eval(base, scope) for base in stmt.bases)
        cls = ClassDef(stmt, bases=bases)
        scope.bind(stmt.name, cls)
        self.analyze_class(cls, scope)

    def analyze_class(self, cls: ClassDef, parent: Scope) -> None:
        """Run ``__init__`` first, then every other method on what ``__init__`` set up."""
        methods = [
            s for s in cls.node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        # ``build`` runs after ``__init__`` and before the first ``call``: what it sets on
        # ``self`` (layers made once the input shape is known) is seen by the other methods.
        # Only for a library subclass: elsewhere ``build`` is any method, maybe never called.
        library = any(isinstance(base, SymbolRef) for base in cls.bases)
        setup = _SETUP_METHODS if library else {"__init__": 0}
        methods.sort(key=lambda m: setup.get(m.name, len(setup)))
        # A Keras model or layer runs whole; in other classes (a test case) the methods that
        # cannot record are not run. What the others change is still counted below.
        hooked = self.hooks.class_hook(b.path for b in cls.bases if isinstance(b, SymbolRef))
        run = self.relevance.methods_to_run(
            methods, whole=hooked is not None, setup=setup, scope=parent
        )
        attrs: dict[str, Value] = {}
        changed_by: dict[str, set[str]] | None = None  # walked once setup has run, if needed
        for method in methods:
            if method.name not in run:
                continue
            params = all_args(method.args)
            own = attrs
            if method.name not in setup and attrs:
                if changed_by is None:
                    changed_by = _changed_by_method([m for m in methods if m.name not in setup])
                # Another method may have run first and changed these: Unknown here.
                changed = set().union(*(c for n, c in changed_by.items() if n != method.name))
                own = {k: UNKNOWN if k in changed else v for k, v in attrs.items()}
            scope = Scope(
                parent=parent,
                definitions_only=True,
                attrs=own,
                self_name=params[0] if params else None,
            )
            for name in params:
                scope.bind(name, UNKNOWN)
            self.exec_block(method.body, scope)
            cls.returns[method.name] = tuple(scope.returns)

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
        if not isinstance(stmt, ast.While):
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
        # Otherwise the loop runs any number of times: its head gets the state every iteration
        # may start from (a bounded fixpoint), then the body is analysed once on that state.
        if not self.loop_head(stmt, scope) and not self.recording:
            # Widened in a pass that records nothing (an outer loop's round, a call evaluated
            # for its result): what the loop binds or uses is already Unknown, so running its
            # body once more could change nothing (90 nested loops ran it at every level).
            return
        scope.begin()
        self.loop_iteration(stmt, scope)
        self.exec_block(stmt.orelse, scope)
        scope.merge([scope.end(), ({}, {})])

    def loop_head(self, stmt: ast.For | ast.AsyncFor | ast.While, scope: Scope) -> bool:
        """Join the state before the loop with the state after one more iteration, until
        nothing changes: what holds on every path (0, 1 or many iterations) survives. Past
        ``MAX_FIXPOINT_ROUNDS`` rounds, or the file's budget, what the loop binds is Unknown.
        False when it was widened so."""
        statements = self.loop_statements(stmt)
        saved = self.recording
        self.recording = False  # rounds record nothing: the final pass does, on the fixpoint
        self.fixpoint_nesting += 1
        try:
            nested_too_deep = self.fixpoint_nesting > MAX_FIXPOINT_NESTING
            for _ in range(MAX_FIXPOINT_ROUNDS):
                if statements > self.fixpoint_budget or nested_too_deep:
                    break
                self.fixpoint_budget -= statements
                scope.begin()
                self.loop_iteration(stmt, scope)
                if not scope.merge([scope.end(), ({}, {})]):
                    return True
        finally:
            self.recording = saved
            self.fixpoint_nesting -= 1
        self.forget_statement(stmt, scope, scope.depth)  # widened: what it binds is Unknown
        return False

    def loop_iteration(self, stmt: ast.For | ast.AsyncFor | ast.While, scope: Scope) -> None:
        if isinstance(stmt, ast.While):
            self.eval(stmt.test, scope)
        else:
            self.assign(stmt.target, UNKNOWN, scope)
        self.exec_block(stmt.body, scope)

    def loop_statements(self, stmt: ast.For | ast.AsyncFor | ast.While) -> int:
        if isinstance(stmt, ast.While):
            return self._block_facts(stmt.body)[0] + 1
        return self.loop_body_facts(stmt)[0] + 1

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
            jumps = jumps or isinstance(node, JUMPS)
            stack.extend(child_nodes(node))
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
        if not any(_expects_error(item.context_expr) for item in stmt.items):
            self.exec_block(stmt.body, scope)
            return
        # ``with pytest.raises(...)``: the body is wrong on purpose and stops where it raises.
        # Nothing in it is reported, and what it binds may or may not have happened.
        saved = self.recording
        self.recording = False
        try:
            self.branches([stmt.body, []], scope)
        finally:
            self.recording = saved

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
            parts = unpack(value, len(target.elts))
            for elt, part in zip(target.elts, parts, strict=True):
                self.assign(elt, part, scope)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, UNKNOWN, scope)
        elif self_attr(target, scope) is not None and scope.attrs is not None:
            scope.set_attr(self_attr(target, scope) or "", value)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            # ``layer.return_sequences = True``, ``stack[0] = ...``: the object changed
            self.forget(target.value, scope)

    def forget(self, node: ast.expr, scope: Scope) -> None:
        """What a name or ``self.x`` refers to may have changed in ways not followed here."""
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            if self_attr(node, scope) is not None:
                break
            node = node.value
        if isinstance(node, ast.Name):
            if scope.lookup(node.id) is not None:
                scope.rebind(node.id, UNKNOWN)
        elif self_attr(node, scope) is not None and scope.attrs is not None:
            scope.set_attr(self_attr(node, scope) or "", UNKNOWN)

    def eval_quiet(self, node: ast.expr, scope: Scope) -> Value:
        """The value a plain name or ``self.x`` refers to, without evaluating anything else."""
        if isinstance(node, ast.Name):
            return scope.lookup(node.id) or UNKNOWN
        attr = self_attr(node, scope)
        if attr is not None:
            return (scope.attrs or {}).get(attr, UNKNOWN)
        return UNKNOWN


# Context managers that expect their body to raise (pytest, unittest, numpy.testing).
_EXPECTS_ERROR = frozenset({"raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})


@record(frozen=True)
class _Touched:
    """What a statement's subtree names: read, bound (stores, defs, imports), attributes."""

    loaded: tuple[str, ...]
    bound: tuple[str, ...]
    attributes: tuple[ast.Attribute, ...]


def _expects_error(node: ast.expr) -> bool:
    """``pytest.raises(E)``, ``self.assertRaises(E)``, ``raises(E)``: by the called name."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in _EXPECTS_ERROR


def _changed_by_method(
    methods: list[ast.FunctionDef | ast.AsyncFunctionDef],
) -> dict[str, set[str]]:
    """Each method's changed ``self`` attributes (none matter when there is one method)."""
    return {m.name: _changed_attrs(m) for m in methods} if len(methods) > 1 else {}


def _changed_attrs(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The ``self.x`` a method rebinds, deletes, subscripts into or calls a method on."""
    args = method.args.posonlyargs + method.args.args
    if not args:
        return set()
    me = args[0].arg
    changed: set[str] = set()
    for node in walk(method):
        target: ast.expr | None = None
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            target = node  # self.x = ..., del self.x
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
            target = node.value  # self.x[k] = ...
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value  # self.x.add(...), self.x.append(...)
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == me
        ):
            changed.add(target.attr)
    return changed


def _is_mutable(value: Value | None) -> bool:
    return value is not None and value.mutable


def unpack(value: Value, count: int) -> list[Value]:
    if isinstance(value, Items) and len(value.items) == count:
        return list(value.items)
    if isinstance(value, Const) and isinstance(value.value, tuple) and len(value.value) == count:
        return [Const(v) for v in value.value]
    return [UNKNOWN] * count


def all_args(args: ast.arguments) -> list[str]:
    params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    if args.vararg:
        params.append(args.vararg.arg)
    if args.kwarg:
        params.append(args.kwarg.arg)
    return params


# Per interpreter class: node type -> its handler (None: a statement with nothing to do).
_STATEMENT_HANDLERS: dict[type, dict[type, Callable[..., None] | None]] = {}


def _statement_handler(cls: type, kind: type) -> Callable[..., None] | None:
    """``stmt_If`` handles ``ast.If``: resolved once per interpreter class and node type."""
    handlers = _STATEMENT_HANDLERS.setdefault(cls, {})
    if kind not in handlers:
        handlers[kind] = getattr(cls, f"stmt_{kind.__name__}", None)
    return handlers[kind]
