"""The abstract interpreter: walks a module's statements in order, knowing only Python.

It never executes anything: it evaluates literals, folds constants, follows the file's own
functions at their call sites, and hands every call of a library value to the hooks a library
registered (``engine.hooks``). Whatever it cannot resolve is UNKNOWN. Function bodies are
analysed after the module (a queue), seeing the module's definitions.
"""

from __future__ import annotations

import ast
from collections import Counter

from flake8_keras.engine.budget import unroll_budget
from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.callsites import FunctionNode, block_statements, scan
from flake8_keras.engine.expressions import self_attr
from flake8_keras.engine.hooks import CallContext, Hooks
from flake8_keras.engine.relevance import Relevance
from flake8_keras.engine.scope import Scope
from flake8_keras.engine.statements import Statements, all_args
from flake8_keras.engine.values import (
    UNKNOWN,
    BoundMethod,
    ClassDef,
    Entries,
    Function,
    Items,
    SymbolRef,
    Value,
    join,
)
from flake8_keras.engine.word_lines import family, words_of_family

# Builtins that look at a model or a list without changing it.
_READ_ONLY_BUILTINS = frozenset(
    {"print", "len", "isinstance", "type", "id", "repr", "str", "hasattr"}
)

# Families of names ``word_count`` searches one by one (each search reads the text, ~0.35 ns a
# character); past them, counting every word of the text at once (~10 ns a character) costs less.
_SEARCHED_FAMILIES = 8

# Calls of the file's functions evaluated inside one another (recursion, helpers of helpers).
_MAX_CALL_DEPTH = 4
_MAX_CALLS_EVALUATED = 32  # call sites evaluated per file, whatever calls what


class Interpreter(Statements):
    def __init__(self, hooks: Hooks | None = None) -> None:
        super().__init__(hooks if hooks is not None else Hooks())
        self.call_stack: list[Function] = []
        self.call_sites: dict[FunctionNode, dict[str, Value]] = {}
        self.calls_evaluated = 0
        self.has_return: dict[FunctionNode, bool] = {}  # ``returns``, per function
        self.text: str | None = None  # the module's source, when the caller has it
        self.unread_names: dict[str, bool] = {}  # ``stored_unread``, per name
        self.word_counts: Counter[str] | None = None  # ``word_count``, once needed
        self.family_counts: dict[str, Counter[str]] = {}  # ``word_count``'s searches

    def run_module(self, tree: ast.Module, text: str | None = None) -> None:
        last = tree.body[-1] if tree.body else None
        self.unroll_budget = unroll_budget(getattr(last, "end_lineno", None) or 0)
        self.fixpoint_budget = self.unroll_budget  # as much again for loop fixpoint rounds
        self.frozen = scan(tree, text, wanted=()).frozen_dicts
        self.text = text
        # A body matters if it may record, or may pass an observer the keyword it watches.
        words = self.hooks.recording_words | self.hooks.observed_keywords
        self.relevance = Relevance(text, words, self.hooks.recording_symbol)
        module = Scope()
        self.exec_block(tree.body, module)
        # Function bodies run after the module, seeing its definitions; nested ones queue more.
        # A body that names nothing able to record is not run (``engine.relevance``), and only
        # the module functions that run need what their call sites pass.
        wanted = [f for f, parent in self.pending if self.relevance.may_record(f, parent)]
        if wanted:
            self.call_sites = scan(tree, text, wanted=wanted, dicts_too=False).call_sites
        while self.pending:
            func, parent = self.pending.popleft()
            if self.relevance.may_record(func, parent):
                self.analyze_function(func, parent)
        # The module's functions hold the scope that holds them: a cycle, broken once the file
        # is done so that it is freed at once rather than by the collector.
        module.vars.clear()
        self.relevance.clear()

    def analyze_function(self, func: ast.FunctionDef | ast.AsyncFunctionDef, parent: Scope) -> None:
        scope = Scope(parent=parent, definitions_only=True)
        known = self.call_sites.get(func, {})  # the literal every call site passes
        for arg in all_args(func.args):
            scope.bind(arg, known.get(arg, UNKNOWN))
        self.exec_block(func.body, scope)

    # ---------------------------------------------------------------------- calls

    def eval_Call(self, node: ast.Call, scope: Scope) -> Value:
        callee = node.func
        if type(callee) is ast.Attribute:  # ``layers.Dense``, ``model.add``: no dispatch
            func = self.eval_Attribute(callee, scope)  # (its base's ``eval`` counts the depth)
        else:
            func = self.eval(callee, scope)
        # Most calls of a script (print, plt, os) call something unknown: their arguments are
        # evaluated for what they do (nested calls, lists handed over), never read as a call.
        if func is UNKNOWN and not (node.keywords and self.observed(node)):
            mutable = self.argument_effects(node, scope)
            if mutable or type(callee) is ast.Attribute:
                self.forget_mutable_arguments(node, func, mutable, scope)
            return UNKNOWN
        call, mutable, observed = self.call_arguments(node, scope)
        if mutable or (func is UNKNOWN and type(callee) is ast.Attribute):
            self.forget_mutable_arguments(node, func, mutable, scope)
        # The observers see a call that passes a keyword they watch for (or a ``**`` that may
        # hold one), found while its keywords were evaluated.
        if observed or not self.hooks.observed_keywords:
            for observe in self.hooks.call_observers:
                observe(node, func, call)
        return self.call(func, call, node, scope)

    def observed(self, node: ast.Call) -> bool:
        """Whether an observer may read this call's arguments whatever is called (a keyword
        it watches, or a ``**`` that may hold one), before they are evaluated: for a call of
        something unknown. ``call_arguments`` makes the same test as it evaluates them."""
        watched = self.hooks.observed_keywords
        for kw in node.keywords:  # noqa: SIM110  (a loop: a generator costs more here)
            if kw.arg is None or kw.arg in watched:
                return True
        return False

    def call(self, func: Value, call: CallArgs, node: ast.Call, scope: Scope) -> Value:
        if func is UNKNOWN:  # most calls of a script (print, plt, os): no hook to look up
            return UNKNOWN
        # The commonest first: a library symbol (``layers.Dense``), a method (``model.add``)
        if isinstance(func, SymbolRef):
            hook = self.hooks.call_hook(func.path)
            return (
                hook(CallContext(call, node, self.recording, self, scope))
                if hook is not None
                else UNKNOWN
            )
        if isinstance(func, BoundMethod):
            entry = func.entry or self.hooks.method(func.owner, func.name)
            if entry is None:
                return UNKNOWN
            return entry.hook(func, CallContext(call, node, self.recording, self, scope))
        if isinstance(func, Function):
            # Evaluated for its value only (it records nothing; its own analysis does): a call
            # statement such as ``train(model)`` or ``main()`` drops the value, and so does
            # ``net = build()`` when nothing in the file names ``net`` again: not run.
            if node is self.discarded or self.stored_unread(node):
                return UNKNOWN
            return self.call_function(func, call)
        if isinstance(func, ClassDef):
            bases = (b.path for b in func.bases if isinstance(b, SymbolRef))
            class_hook = self.hooks.class_hook(bases)
            return (
                class_hook(func, CallContext(call, node, self.recording, self, scope))
                if class_hook
                else UNKNOWN
            )
        entry = self.hooks.method(func, "__call__")  # a library object called: a layer
        if entry is not None:
            method = BoundMethod(func, "__call__", node.func, entry)
            return entry.hook(method, CallContext(call, node, self.recording, self, scope))
        return UNKNOWN

    def stored_unread(self, node: ast.Call) -> bool:
        """Whether ``node`` is the value of ``name = node`` and the file's text has ``name``
        as a word nowhere else: its value is never read (a string or a comment naming it
        counts as a read, which only costs time)."""
        stmt = self.assigning
        if stmt is None or stmt.value is not node or self.text is None:
            return False
        target = stmt.targets[0]
        if len(stmt.targets) != 1 or not isinstance(target, ast.Name):
            return False
        unread = self.unread_names.get(target.id)
        if unread is None:
            unread = self.unread_names[target.id] = self.word_count(target.id) == 1
        return unread

    def word_count(self, name: str) -> int:
        """How many times ``name`` occurs as a word in the file's text. A search per family of
        names (``net_1`` to ``net_90``: ``word_lines.family``) for the first few; past them, or
        past a search's budget, all the words counted at once (a search reads the whole text)."""
        if self.word_counts is None:
            prefix = family(name)
            counts = self.family_counts.get(prefix)
            if counts is None and len(self.family_counts) < _SEARCHED_FAMILIES:
                counts = words_of_family(self.text or "", prefix)
                if counts is not None:
                    self.family_counts[prefix] = counts
            if counts is not None:
                return counts[name]
            self.word_counts = Counter(self.relevance.spaced().split())
        return self.word_counts[name]

    def literal_dims(self, value: Value) -> tuple[int, ...] | None:
        return self.tuple_sizes.of(value).dims

    def rebind(self, target: ast.expr, value: Value, scope: Scope) -> None:
        """Rebind what a name or ``self.x`` refers to, where it lives (``model.add(...)``)."""
        if isinstance(target, ast.Name):
            scope.rebind(target.id, value)
        elif (attr := self_attr(target, scope)) is not None and scope.attrs is not None:
            scope.set_attr(attr, value)

    def forget_mutable_arguments(
        self, node: ast.Call, func: Value, mutable: list[ast.expr], scope: Scope
    ) -> None:
        """A list or model handed to code not followed here (``add_head(model)``) may change."""
        if isinstance(func, SymbolRef):
            return
        called = self.hooks.method(func, "__call__")
        if called is not None and called.reads_arguments:
            return  # a layer applied to tensors: followed
        builtin = isinstance(node.func, ast.Name) and node.func.id in _READ_ONLY_BUILTINS
        if builtin and scope.lookup(getattr(node.func, "id", "")) is None:
            return
        if isinstance(func, BoundMethod):
            entry = self.hooks.method(func.owner, func.name)
            if entry is not None and entry.reads_arguments:
                return  # model.fit(x, y), model.add(layer): followed
        if isinstance(node.func, ast.Attribute) and func is UNKNOWN:
            receiver = self.eval_quiet(node.func.value, scope)
            if isinstance(receiver, (Items, Entries)):
                self.forget(node.func.value, scope)  # stack.append(...), config.update(...)
        for arg in mutable:
            self.forget(arg, scope)

    def call_function(self, func: Function, call: CallArgs) -> Value:
        """Evaluate a function of the file with the call's arguments, recording nothing."""
        if func in self.call_stack or len(self.call_stack) >= _MAX_CALL_DEPTH:
            return UNKNOWN
        if self.calls_evaluated >= _MAX_CALLS_EVALUATED:
            return UNKNOWN  # bounded work per file, whatever calls what
        if not self.returns(func.node):
            return UNKNOWN  # ``history = train(model)`` with no ``return``: nothing to learn
        self.calls_evaluated += 1
        scope = Scope(parent=func.scope, definitions_only=True)
        self.bind_parameters(func.node.args, call, scope)
        saved = self.recording
        self.recording = False
        self.call_stack.append(func)
        try:
            self.exec_block(func.node.body, scope)
        finally:
            self.call_stack.pop()
            self.recording = saved
        if not scope.returns:
            return UNKNOWN
        result = scope.returns[0]
        for value in scope.returns[1:]:  # several ``return``s merge like branches
            result = join(result, value)
        return result

    def returns(self, node: FunctionNode) -> bool:
        """Whether the function has a ``return`` of its own (not one of a function or class it
        defines); without one its value is Unknown at every call. Read once per function."""
        known = self.has_return.get(node)
        if known is None:
            body = block_statements(node.body)  # a nested function's ``return`` is not its
            known = self.has_return[node] = any(isinstance(s, ast.Return) for s in body)
        return known

    def bind_parameters(self, args: ast.arguments, call: CallArgs, scope: Scope) -> None:
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
            elif call.is_open or name not in defaults:
                scope.bind(name, UNKNOWN)
            else:
                scope.bind(name, self.eval(defaults[name], Scope()))
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                scope.bind(extra.arg, UNKNOWN)
