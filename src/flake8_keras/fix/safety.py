"""What an unsafe fix changes, read from its diagnostic's structured arguments, in words.

Shared by the fixer (its notes) and the verifier (the differences a KRS101 claims); neither
reads the text of a message.
"""

from __future__ import annotations

from flake8_keras.rules.base import Diagnostic

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


def unsafe_reasons(d: Diagnostic) -> tuple[str, ...]:
    """What the fix of ``d`` changes, one item each: an argument of ``UNSAFE_EFFECTS`` it
    certainly changes, or a sentence saying which argument may be set (the rule's ``unsafe``
    argument; empty for a safe fix or a diagnostic without one)."""
    reasons = d.args.get("unsafe", ())
    if not isinstance(reasons, tuple) or not all(isinstance(r, str) for r in reasons):
        return ()
    return reasons


def changed_arguments(d: Diagnostic) -> set[str]:
    """The arguments whose behaviour the fix of ``d`` certainly changes."""
    return {r for r in unsafe_reasons(d) if r in UNSAFE_EFFECTS}


def effects(reasons: tuple[str, ...]) -> str:
    """What an applied unsafe fix changed: ``"; <effect>"`` per reason ("" when safe)."""
    return "".join(f"; {UNSAFE_EFFECTS.get(r, r + POSSIBLE_EFFECT)}" for r in reasons)


def refusal(reasons: tuple[str, ...]) -> str:
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
