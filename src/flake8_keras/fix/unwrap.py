"""Apply the fixes the diagnostics carry (today KRS101: replace ``TimeDistributed(<dense>)`` by
``<dense>``) through libcst.

The rules give each fix as an edit on ast positions (``UnwrapCall(node)``); libcst locates the
same calls by position and rewrites only them, so every comment, quote and line break of the
inner expression survives. A fix is refused (with a reason) whenever the rewrite would have to
guess. Nothing here reads a message's text.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Collection, Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from flake8_keras.analysis import analyze_text
from flake8_keras.fix.imports import WRAPPER, _Usage, remove_unused_imports
from flake8_keras.fix.safety import effects, refusal, unsafe_reasons
from flake8_keras.noqa import is_suppressed
from flake8_keras.records import field, record
from flake8_keras.rules.base import Applicability, Diagnostic, UnwrapCall
from flake8_keras.source import Span, parse, physical_lines, span_of

CODE = "KRS101"  # the rule whose fixes this module applies today (the CLI's reports name it)
# Wrapper keywords that mean the same on the inner Dense: moved into an inline Dense(...) call.
MOVABLE_KEYWORDS = ("name", "input_shape", "batch_input_shape")
WEIGHT_WARNING = (
    "unwrapping renames the weights (time_distributed/dense/kernel -> dense/kernel): checkpoints "
    "saved with the wrapper no longer load by name; migrate them with "
    "new_model.set_weights(old_model.get_weights())"
)


@record(frozen=True)
class Outcome:
    """What happened to one KRS101 report."""

    line: int  # 1-based
    col: int  # 0-based, characters
    fixed: bool
    note: str  # the rewrite, or why it was not done


@record(frozen=True)
class _Target:
    """A call to unwrap (an ``UnwrapCall`` edit) and what unwrapping it changes."""

    call: ast.Call
    reasons: tuple[str, ...]


@record
class FixResult:
    text: str  # the new source (== the input when nothing changed)
    outcomes: list[Outcome] = field(default_factory=list)
    error: str | None = None  # the source could not be processed at all

    @property
    def fixed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.fixed]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.fixed]


def fix_source(
    text: str,
    *,
    unsafe: bool = False,
    only: Collection[tuple[int, int]] | None = None,
    tree: ast.Module | None = None,
    diagnostics: Sequence[Diagnostic] | None = None,
    chunked: bool = True,
) -> FixResult:
    """Analyse ``text`` once and apply the fixes of its diagnostics (see :func:`fix_diagnostics`).

    ``tree`` and ``diagnostics``: the parse and the analysis of ``text`` when the caller
    already has them (the language server caches both per document version).
    """
    if diagnostics is None:
        analysed = analyze_text(text, tree)
        tree, diagnostics = analysed.tree, analysed.diagnostics
    return fix_diagnostics(text, diagnostics, unsafe=unsafe, only=only, tree=tree, chunked=chunked)


def fix_diagnostics(
    text: str,
    diagnostics: Sequence[Diagnostic],
    *,
    unsafe: bool = False,
    only: Collection[tuple[int, int]] | None = None,
    tree: ast.Module | None = None,
    chunked: bool = True,
) -> FixResult:
    """Apply the fixes ``diagnostics`` (one analysis of ``text``) carry, or only those of the
    diagnostics reported at ``only`` (line, char col). An unsafe fix is applied only with
    ``unsafe``; a diagnostic silenced by ``# noqa`` is not fixed.

    ``tree`` is the parse of ``text`` if the caller has it. ``chunked=False`` takes the
    reference path (libcst parses the whole file), for tests.
    """
    lines = physical_lines(text)
    result = FixResult(text)
    targets: dict[Span, _Target] = {}
    for d in diagnostics:
        if d.fix is None or not isinstance(d.fix.edit, UnwrapCall):
            continue
        call = d.fix.edit.node
        span = span_of(call, lines)
        if only is not None and (span[0], span[1]) not in only:
            continue
        if d.line <= len(lines) and is_suppressed(lines[d.line - 1], d.code):
            continue
        if d.fix.applicability is Applicability.UNSAFE and not unsafe:
            note = refusal(unsafe_reasons(d))
            result.outcomes.append(Outcome(span[0], span[1], False, note))
            continue
        targets[span] = _Target(call, unsafe_reasons(d))
    if not targets:
        return result
    if tree is None:
        tree = parse(text)
    fixed = _fix_in_chunks(text, lines, tree, targets) if chunked and tree is not None else None
    if fixed is None:  # a chunk libcst cannot handle alone: the whole module decides
        fixed = _fix_whole_module(text, targets)
    new_text, outcomes, error = fixed
    if error is not None:
        result.error = error
        return result
    result.outcomes.extend(outcomes)
    result.outcomes.sort(key=lambda o: (o.line, o.col))
    result.text = new_text
    return result


# (new text, outcomes, error); error set means nothing changed
_Fixed = tuple[str, list[Outcome], "str | None"]


def _fix_whole_module(text: str, targets: dict[Span, _Target]) -> _Fixed:
    """The reference path: libcst parses the whole file and locates every node's position."""
    # libcst drops a final lone "\r" (CR-only or mixed endings): parse without the trailing line
    # ends and put them back afterwards; they hold no code, so no position moves
    body, tail = _split_tail(text)
    try:
        module = cst.parse_module(body)
    except cst.ParserSyntaxError as exc:
        return text, [], f"libcst cannot parse it: {exc.message}"
    if module.code != body:
        return text, [], "libcst does not reproduce it byte for byte; nothing changed"
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    found = _locate(wrapper, targets, line_offset=0)
    new_code, outcomes = _rewrite(wrapper.module, found, targets, keep_parens=False)
    if new_code is not None and not _parses(new_code):
        # an inner expression that spans lines outside its own brackets: keep the wrapper's
        # parentheses around it, which always parses
        new_code, outcomes = _rewrite(wrapper.module, found, targets, keep_parens=True)
    if new_code is None or not _parses(new_code):
        return text, [], "the rewritten code does not parse; nothing changed"
    return new_code + tail, _with_unlocated(outcomes, targets), None


def _split_tail(text: str) -> tuple[str, str]:
    tail = text[len(text.rstrip("\r\n")) :] if text.endswith("\r") else ""
    return text[: len(text) - len(tail)], tail


def _locate(
    wrapper: MetadataWrapper, targets: dict[Span, _Target], line_offset: int
) -> dict[cst.Call, Span]:
    return _locate_in(wrapper.resolve(PositionProvider), targets, line_offset)


def _locate_in(
    positions: Mapping[cst.CSTNode, CodeRange], targets: dict[Span, _Target], line_offset: int
) -> dict[cst.Call, Span]:
    found: dict[cst.Call, Span] = {}
    for node, where in positions.items():
        if not isinstance(node, cst.Call):
            continue
        span = (
            where.start.line + line_offset,
            where.start.column,
            where.end.line + line_offset,
            where.end.column,
        )
        if span in targets:
            found[node] = span
    return found


def _with_unlocated(outcomes: list[Outcome], targets: dict[Span, _Target]) -> list[Outcome]:
    for span in targets:
        if not any(o.line == span[0] and o.col == span[1] for o in outcomes):
            outcomes.append(Outcome(span[0], span[1], False, "cannot locate the call in libcst"))
    return outcomes


def _fix_in_chunks(
    text: str, lines: list[str], tree: ast.Module, targets: dict[Span, _Target]
) -> _Fixed | None:
    """The same rewrite as :func:`_fix_whole_module`, with libcst parsing only the top-level
    statements that hold a target (and the imports the fix may remove), so the cost follows the
    changed calls, not the file. None when a chunk needs the whole module (then use that path).
    """
    units = top_level_units(tree)
    if not units:
        return None
    chunks: list[_Chunk] = []
    for first, last in _chunk_ranges(tree, units, targets):
        chunk = _Chunk.parse(lines, first, last, _first_newline(text))
        if chunk is None:
            return None
        chunk.positions = chunk.wrapper.resolve(PositionProvider)
        chunk.found = _locate_in(chunk.positions, targets, line_offset=first - 1)
        chunks.append(chunk)
    for keep_parens in (False, True):
        # keep_parens: an inner expression that spans lines outside its own brackets keeps
        # the wrapper's parentheses around it, which always parses
        rewritten = _rewrite_chunks(lines, units, chunks, targets, keep_parens)
        if rewritten is None:
            return None
        # each chunk is whole top-level statements on whole lines, and the rest of the file
        # parsed: the new file parses exactly when every rewritten chunk does
        if all(_parses(c.new_code) for c in chunks if c.new_module is not c.wrapper.module):
            return rewritten[0], _with_unlocated(rewritten[1], targets), None
    return text, [], "the rewritten code does not parse; nothing changed"


def top_level_units(tree: ast.Module) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of the top-level statements, joined where they share a line
    (``a = 1; b = 2``): each range holds whole libcst top-level statements."""
    units: list[tuple[int, int]] = []
    for stmt in tree.body:
        decorators = getattr(stmt, "decorator_list", [])
        first = min([stmt.lineno, *(d.lineno for d in decorators)])
        last = stmt.end_lineno or stmt.lineno
        if units and first <= units[-1][1]:
            units[-1] = (units[-1][0], max(units[-1][1], last))
        else:
            units.append((first, last))
    return units


def _chunk_ranges(
    tree: ast.Module, units: list[tuple[int, int]], targets: dict[Span, _Target]
) -> list[tuple[int, int]]:
    """Line ranges of runs of units to parse: those holding a target, and, when a bare-name
    wrapper may be unwrapped, each top-level ``from ... import TimeDistributed`` with the unit
    before it (a removed import takes its leading comment lines with it, as in the whole
    module; the first unit starts at line 1, so the module header is parsed as a whole too)."""
    wanted: set[int] = set()
    starts = [u[0] for u in units]
    for span in targets:
        wanted.add(bisect.bisect_right(starts, span[0]) - 1)
    if any(isinstance(t.call.func, ast.Name) for t in targets.values()):
        for stmt in tree.body:
            if isinstance(stmt, ast.ImportFrom) and any(a.name == WRAPPER for a in stmt.names):
                index = bisect.bisect_right(starts, stmt.lineno) - 1
                wanted.update((index, max(index - 1, 0)))
    ranges: list[tuple[int, int]] = []
    previous = -2
    for index in sorted(i for i in wanted if i >= 0):
        first, last = units[index]
        if index == 0:
            first = 1
        if index == previous + 1:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((first, last))
        previous = index
    return ranges


def _first_newline(text: str) -> str:
    """libcst's default newline for a source: its first line ending."""
    match = re.search(r"\r\n?|\n", text)
    return match.group(0) if match else "\n"


@record
class _Chunk:
    """Lines ``first``..``last`` of the file, parsed alone by libcst."""

    first: int
    last: int
    tail: str
    wrapper: MetadataWrapper
    positions: Mapping[cst.CSTNode, CodeRange] = field(default_factory=dict)
    found: dict[cst.Call, Span] = field(default_factory=dict)
    new_module: cst.Module | None = None
    new_code: str = ""

    def holders(self) -> set[cst.CSTNode]:
        """The nodes whose range holds a found call (a superset of the calls' ancestors)."""
        ranges = [self.positions[call] for call in self.found]
        return {
            node for node, where in self.positions.items() if any(_holds(where, r) for r in ranges)
        }

    def rewrite(self, unwrapper: _Unwrapper) -> None:
        self.new_module = self.wrapper.module.visit(unwrapper)
        self.new_code = self.new_module.code

    @classmethod
    def parse(cls, lines: list[str], first: int, last: int, newline: str) -> _Chunk | None:
        body, tail = _split_tail("".join(lines[first - 1 : last]))
        try:
            module = cst.parse_module(body)
        except cst.ParserSyntaxError:
            return None
        # moved nodes write libcst's default newline: it must be the file's one
        has_newline = "\n" in body or "\r" in body
        if module.code != body or (has_newline and module.default_newline != newline):
            return None
        return cls(first, last, tail, MetadataWrapper(module, unsafe_skip_copy=True))


def _rewrite_chunks(
    lines: list[str],
    units: list[tuple[int, int]],
    chunks: list[_Chunk],
    targets: dict[Span, _Target],
    keep_parens: bool,
) -> tuple[str, list[Outcome]] | None:
    """Rewrite every chunk, remove the imports nothing uses any more, splice the file."""
    outcomes: list[Outcome] = []
    removed: set[str] = set()
    for chunk in chunks:
        unwrapper = _Unwrapper(chunk.found, targets, keep_parens, chunk.holders())
        chunk.rewrite(unwrapper)
        if unwrapper.reached != set(chunk.found):
            # a call outside its ancestors' syntactic range (not expected): visit everything
            unwrapper = _Unwrapper(chunk.found, targets, keep_parens)
            chunk.rewrite(unwrapper)
        outcomes.extend(unwrapper.outcomes)
        removed |= unwrapper.removed_callees
    if removed:
        used = _still_used(lines, units, chunks, removed)
        if used is None:
            return None
        if removed - used:
            for chunk in chunks:
                assert chunk.new_module is not None
                new_module = remove_unused_imports(chunk.new_module, removed - used)
                if new_module is not chunk.new_module:
                    chunk.new_module, chunk.new_code = new_module, new_module.code
    parts: list[str] = []
    line = 1
    for chunk in chunks:
        parts.extend(lines[line - 1 : chunk.first - 1])
        parts.append(chunk.new_code + chunk.tail)
        line = chunk.last + 1
    parts.extend(lines[line - 1 :])
    return "".join(parts), outcomes


def _still_used(
    lines: list[str], units: list[tuple[int, int]], chunks: list[_Chunk], names: set[str]
) -> set[str] | None:
    """Which of ``names`` the rewritten file still uses (as :func:`remove_unused_imports` sees
    it). Outside the chunks, only a statement whose text holds a name, or a backslash (a string
    escape may spell one), can use it: only those are parsed. None if libcst cannot parse one."""
    usage = _Usage(set(names))
    for chunk in chunks:
        if chunk.new_module is not None and _may_use(chunk.new_code, names):
            chunk.new_module.visit(usage)
    in_chunks = [(c.first, c.last) for c in chunks]
    for first, last in units:
        if usage.used >= names:
            break
        if any(a <= first and last <= b for a, b in in_chunks):
            continue
        code = "".join(lines[first - 1 : last])
        if not _may_use(code, names):
            continue
        try:
            cst.parse_module(_split_tail(code)[0]).visit(usage)
        except cst.ParserSyntaxError:
            return None
    return usage.used


def _may_use(code: str, names: set[str]) -> bool:
    """Whether ``code`` can hold one of ``names`` as a Name or a string's value: only if it
    holds the name's text or a backslash (a string escape may spell it)."""
    return "\\" in code or any(name in code for name in names)


def _holds(outer: CodeRange, inner: CodeRange) -> bool:
    return (outer.start.line, outer.start.column) <= (inner.start.line, inner.start.column) and (
        inner.end.line,
        inner.end.column,
    ) <= (outer.end.line, outer.end.column)


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _rewrite(
    module: cst.Module,
    found: dict[cst.Call, Span],
    targets: dict[Span, _Target],
    keep_parens: bool,
) -> tuple[str | None, list[Outcome]]:
    unwrapper = _Unwrapper(found, targets, keep_parens)
    new_module = module.visit(unwrapper)
    if unwrapper.removed_callees:
        new_module = remove_unused_imports(new_module, unwrapper.removed_callees)
    return new_module.code, unwrapper.outcomes


def _describe(node: cst.CSTNode) -> str:
    """A node's code on one line, without comments (for messages)."""
    code = cst.Module([]).code_for_node(node)
    try:
        code = ast.unparse(ast.parse(f"(\n{code}\n)", mode="eval"))
    except (SyntaxError, ValueError):
        code = " ".join(code.split())
    return code if len(code) <= 60 else code[:57] + "..."


class _Unwrapper(cst.CSTTransformer):
    def __init__(
        self,
        found: dict[cst.Call, Span],
        targets: dict[Span, _Target],
        keep_parens: bool,
        only_into: set[cst.CSTNode] | None = None,
    ) -> None:
        super().__init__()
        self.found = found
        self.targets = targets
        self.keep_parens = keep_parens
        self.only_into = only_into  # when set: the nodes that hold a found call (the rest is kept)
        self.reached: set[cst.Call] = set()
        self.outcomes: list[Outcome] = []
        self.removed_callees: set[str] = set()  # bare names of unwrapped wrappers (import cleanup)

    def on_visit(self, node: cst.CSTNode) -> bool:
        # rebuilding a subtree without a target costs time and changes nothing; decorators lie
        # outside a definition's range, so definitions are always entered
        skip = self.only_into is not None and node not in self.only_into
        if skip and not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Module)):
            return False
        return super().on_visit(node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        span = self.found.get(original_node)
        if span is None:
            return updated_node
        self.reached.add(original_node)
        target = self.targets[span]
        replacement = unwrap_call(updated_node, self.keep_parens)
        if isinstance(replacement, str):
            self.outcomes.append(Outcome(span[0], span[1], False, replacement))
            return updated_node
        note = f"{_describe(original_node)} -> {_describe(replacement)}{effects(target.reasons)}"
        self.outcomes.append(Outcome(span[0], span[1], True, note))
        if isinstance(updated_node.func, cst.Name):
            self.removed_callees.add(updated_node.func.value)
        return replacement


def _has_comment(node: cst.CSTNode, skip: cst.CSTNode | None = None) -> bool:
    finder = _CommentFinder(skip)
    node.visit(finder)
    return finder.found


class _CommentFinder(cst.CSTVisitor):
    def __init__(self, skip: cst.CSTNode | None) -> None:
        super().__init__()
        self.skip = skip
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node is self.skip:
            return False
        if isinstance(node, cst.Comment):
            self.found = True
        return not self.found


def unwrap_call(call: cst.Call, keep_parens: bool = False) -> cst.BaseExpression | str:
    """The inner layer expression of ``TimeDistributed(<layer>, ...)``, or why not."""
    layer: cst.Arg | None = None
    extra: list[cst.Arg] = []
    for arg in call.args:
        if arg.star:
            return "TimeDistributed is called with *args or **kwargs; unwrap it by hand"
        if arg.keyword is None or arg.keyword.value == "layer":
            if layer is not None:
                return "TimeDistributed has an unexpected second positional argument"
            layer = arg
        else:
            extra.append(arg)
    if layer is None:
        return "TimeDistributed has no layer argument"
    value = layer.value
    if extra:
        moved = _move_keywords(value, extra)
        if isinstance(moved, str):
            return moved
        value = moved
        keep_parens = keep_parens or _has_comment(call, skip=layer.value)
        if keep_parens:
            return (
                "comments on the TimeDistributed(..., keyword=...) call would be lost; "
                "unwrap it by hand"
            )
    elif keep_parens or _has_comment(call, skip=layer.value):
        kept = _in_wrapper_parens(call, layer, value)
        if isinstance(kept, str):
            return kept
        value = kept
    return value.with_changes(lpar=[*call.lpar, *value.lpar], rpar=[*value.rpar, *call.rpar])


def _in_wrapper_parens(
    call: cst.Call, layer: cst.Arg, value: cst.BaseExpression
) -> cst.BaseExpression | str:
    """``TimeDistributed(  # c\\n Dense(5)\\n)`` -> ``(  # c\\n Dense(5)\\n)``.

    Keeping the wrapper's parentheses keeps its comments and line breaks."""
    after: cst.BaseParenthesizableWhitespace = layer.whitespace_after_arg
    if isinstance(layer.comma, cst.Comma):
        parts = [
            p
            for p in (
                layer.whitespace_after_arg,
                layer.comma.whitespace_before,
                layer.comma.whitespace_after,
            )
            if not _empty(p)
        ]
        if len(parts) > 1:
            return (
                "cannot keep the whitespace around the TimeDistributed argument; unwrap it by hand"
            )
        after = parts[0] if parts else cst.SimpleWhitespace("")
    if not _empty(call.whitespace_after_func):
        return "a comment between TimeDistributed and its parenthesis; unwrap it by hand"
    return value.with_changes(
        lpar=[cst.LeftParen(whitespace_after=call.whitespace_before_args), *value.lpar],
        rpar=[*value.rpar, cst.RightParen(whitespace_before=after)],
    )


def _empty(ws: cst.BaseParenthesizableWhitespace) -> bool:
    return isinstance(ws, cst.SimpleWhitespace) and ws.value == ""


def _move_keywords(value: cst.BaseExpression, extra: list[cst.Arg]) -> cst.BaseExpression | str:
    """Move the wrapper's ``name=``/``input_shape=`` into an inline inner call."""
    names = [a.keyword.value for a in extra if a.keyword is not None]
    unmovable = [n for n in names if n not in MOVABLE_KEYWORDS]
    if unmovable:
        return f"TimeDistributed has {', '.join(k + '=' for k in unmovable)}; unwrap it by hand"
    if not isinstance(value, cst.Call):
        return (
            f"TimeDistributed has {', '.join(k + '=' for k in names)} and wraps a layer "
            "built elsewhere; move the keyword to that layer by hand"
        )
    own = {a.keyword.value for a in value.args if a.keyword is not None}
    if any(a.star == "**" for a in value.args) or own.intersection(names):
        return f"both TimeDistributed and its layer may set {', '.join(names)}; unwrap it by hand"
    args = list(value.args)
    last_comma = args[-1].comma if args else cst.MaybeSentinel.DEFAULT
    if not isinstance(last_comma, cst.Comma):
        moved = [kw.with_changes(comma=cst.MaybeSentinel.DEFAULT) for kw in extra]
        return value.with_changes(args=[*args, *moved])
    # a trailing comma (one argument per line): the moved keywords take the separator between
    # the existing arguments, and the last one keeps the trailing comma before ``)``
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma
    else:
        separator = cst.Comma(whitespace_after=value.whitespace_before_args)
    moved = [kw.with_changes(comma=separator) for kw in extra]
    moved[-1] = moved[-1].with_changes(comma=last_comma)
    return value.with_changes(args=[*args[:-1], args[-1].with_changes(comma=separator), *moved])
