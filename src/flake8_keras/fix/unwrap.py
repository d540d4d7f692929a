"""KRS101 fix: replace ``TimeDistributed(<dense>)`` by ``<dense>`` through libcst.

The engine finds the calls (ast positions); libcst locates the same calls by position and
rewrites only them, so every comment, quote and line break of the inner expression survives.
A fix is refused (with a reason) whenever the rewrite would have to guess.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from flake8_keras.analysis import analyze_source
from flake8_keras.fix.imports import remove_unused_imports
from flake8_keras.noqa import is_suppressed
from flake8_keras.rules.base import Diagnostic
from flake8_keras.source import char_col

CODE = "KRS101"
# Wrapper keywords that mean the same on the inner Dense: moved into an inline Dense(...) call.
MOVABLE_KEYWORDS = ("name", "input_shape", "batch_input_shape")
# What an unsafe unwrap changes (Keras 3 ignores these inside TimeDistributed).
UNSAFE_EFFECTS = {
    "activity_regularizer": "the inner Dense's activity_regularizer now adds its loss "
    "(Keras 3 silently dropped it inside TimeDistributed)",
    "dtype": "the inner Dense's dtype now takes effect (inside TimeDistributed Keras 3 used the "
    "wrapper's dtype policy, e.g. float16 under mixed precision)",
}
# Appended to a reason that is not an argument name ("`**HEAD_KW` may set dtype"): the rule
# cannot see the value, so the effect is conditional.
POSSIBLE_EFFECT = ": if it does, that now takes effect (Keras 3 ignored it inside TimeDistributed)"
WEIGHT_WARNING = (
    "unwrapping renames the weights (time_distributed/dense/kernel -> dense/kernel): checkpoints "
    "saved with the wrapper no longer load by name; migrate them with "
    "new_model.set_weights(old_model.get_weights())"
)

Span = tuple[int, int, int, int]  # start line, start char col, end line, end char col


@dataclass(frozen=True)
class Outcome:
    """What happened to one KRS101 report."""

    line: int  # 1-based
    col: int  # 0-based, characters
    fixed: bool
    note: str  # the rewrite, or why it was not done


@dataclass
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


def source_lines(text: str) -> list[str]:
    """Physical lines as ast and flake8 count them (only \\r\\n, \\r and \\n end a line)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def span_of(node: ast.AST, lines: list[str]) -> Span:
    line, end_line = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
    col = char_col(lines, line, node.col_offset)  # type: ignore[attr-defined]
    end_col = char_col(lines, end_line, node.end_col_offset or 0)  # type: ignore[attr-defined]
    return line, col, end_line, end_col


def fix_source(
    text: str,
    *,
    unsafe: bool = False,
    only: Collection[tuple[int, int]] | None = None,
) -> FixResult:
    """Unwrap every fixable KRS101 in ``text`` (or only those reported at ``only`` (line, col))."""
    lines = source_lines(text)
    result = FixResult(text)
    targets: dict[Span, Diagnostic] = {}
    for d in analyze_source(text, codes={CODE}):
        if d.code != CODE:
            continue
        span = span_of(d.node, lines)
        if only is not None and (span[0], span[1]) not in only:
            continue
        if d.line <= len(lines) and is_suppressed(lines[d.line - 1], CODE):
            continue
        if d.unsafe_fix and not unsafe:
            result.outcomes.append(Outcome(span[0], span[1], False, _unsafe_refusal(d.unsafe_fix)))
            continue
        targets[span] = d
    if not targets:
        return result
    # libcst drops a final lone "\r" (CR-only or mixed endings): parse without the trailing line
    # ends and put them back afterwards; they hold no code, so no position moves
    tail = text[len(text.rstrip("\r\n")) :] if text.endswith("\r") else ""
    body = text[: len(text) - len(tail)]
    try:
        module = cst.parse_module(body)
    except cst.ParserSyntaxError as exc:
        result.error = f"libcst cannot parse it: {exc.message}"
        return result
    if module.code != body:
        result.error = "libcst does not reproduce it byte for byte; nothing changed"
        return result
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    found: dict[cst.Call, Span] = {}
    for node, where in positions.items():
        span = (where.start.line, where.start.column, where.end.line, where.end.column)
        if isinstance(node, cst.Call) and span in targets:
            found[node] = span
    new_code, outcomes = _rewrite(wrapper.module, found, targets, keep_parens=False)
    if new_code is not None and not _parses(new_code):
        # an inner expression that spans lines outside its own brackets: keep the wrapper's
        # parentheses around it, which always parses
        new_code, outcomes = _rewrite(wrapper.module, found, targets, keep_parens=True)
    if new_code is None or not _parses(new_code):
        result.error = "the rewritten code does not parse; nothing changed"
        return result
    for span in targets:
        if not any(o.line == span[0] and o.col == span[1] for o in outcomes):
            outcomes.append(Outcome(span[0], span[1], False, "cannot locate the call in libcst"))
    result.outcomes.extend(outcomes)
    result.outcomes.sort(key=lambda o: (o.line, o.col))
    result.text = new_code + tail
    return result


def _unsafe_refusal(reasons: tuple[str, ...]) -> str:
    """Why an unsafe unwrap was not applied: arguments it certainly changes, or that may be set."""
    named = [r for r in reasons if r in UNSAFE_EFFECTS]
    possible = [r for r in reasons if r not in UNSAFE_EFFECTS]
    parts: list[str] = []
    if named:
        why = " and ".join(named)
        parts.append(f"Keras 3 ignores the inner Dense's {why} inside TimeDistributed")
    if possible:
        parts.append(f"{'; '.join(possible)}, which Keras 3 ignores inside TimeDistributed")
    verb = "changes" if named else "may change"
    rerun = "rerun with --unsafe-fixes to apply it"
    return f"unwrapping {verb} behaviour ({'; '.join(parts)}); {rerun}"


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _rewrite(
    module: cst.Module,
    found: dict[cst.Call, Span],
    targets: dict[Span, Diagnostic],
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
        self, found: dict[cst.Call, Span], targets: dict[Span, Diagnostic], keep_parens: bool
    ) -> None:
        super().__init__()
        self.found = found
        self.targets = targets
        self.keep_parens = keep_parens
        self.outcomes: list[Outcome] = []
        self.removed_callees: set[str] = set()  # bare names of unwrapped wrappers (import cleanup)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        span = self.found.get(original_node)
        if span is None:
            return updated_node
        d = self.targets[span]
        replacement = unwrap_call(updated_node, self.keep_parens)
        if isinstance(replacement, str):
            self.outcomes.append(Outcome(span[0], span[1], False, replacement))
            return updated_node
        note = f"{_describe(original_node)} -> {_describe(replacement)}"
        for reason in d.unsafe_fix:
            note += f"; {UNSAFE_EFFECTS.get(reason, reason + POSSIBLE_EFFECT)}"
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
