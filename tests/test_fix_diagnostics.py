"""The fixer applies the fixes of the diagnostics it is given (one analysis), from their
structured fields: the edit, ``applicability`` and the ``unsafe`` argument, never the message."""

from __future__ import annotations

import pytest

from conftest import ROOT
from flake8_keras import records
from flake8_keras.analysis import analyze_source
from flake8_keras.fix import fix_diagnostics, fix_source
from flake8_keras.rules.base import Applicability, Diagnostic, Fix

CASES = sorted((ROOT / "tests" / "fix_cases").glob("*.in.py"))
TEXT = (
    "import keras\nfrom keras.layers import GRU, Dense, LSTM, TimeDistributed\n"
    "x = GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
    "y = TimeDistributed(Dense(2))(x)\n"
    "z = TimeDistributed(Dense(3))(x)\n"
    "w = LSTM(2)(keras.Input((3,)))\n"  # KRS103: a diagnostic without a fix
)


def _krs101() -> list[Diagnostic]:
    found = analyze_source(TEXT)
    assert [d.code for d in found] == ["KRS101", "KRS101", "KRS103"]
    return found


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fix_source_is_one_analysis_then_fix_diagnostics(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    for unsafe in (False, True):
        expected = fix_source(text, unsafe=unsafe)
        got = fix_diagnostics(text, analyze_source(text), unsafe=unsafe)
        assert (got.text, got.outcomes, got.error) == (expected.text, expected.outcomes, None)


def test_only_the_given_diagnostics_are_fixed_nothing_is_analysed_again() -> None:
    first, second, no_fix = _krs101()
    assert fix_diagnostics(TEXT, []).text == TEXT
    result = fix_diagnostics(TEXT, [second, no_fix])
    assert "y = TimeDistributed(Dense(2))(x)\n" in result.text
    assert "z = Dense(3)(x)\n" in result.text
    assert [(o.line, o.fixed) for o in result.outcomes] == [(5, True)]


def test_the_message_text_plays_no_part() -> None:
    found = _krs101()
    blank = [records.replace(d, message="") for d in found]
    expected, got = fix_diagnostics(TEXT, found), fix_diagnostics(TEXT, blank)
    assert (got.text, got.outcomes) == (expected.text, expected.outcomes)
    assert got.text.count("TimeDistributed(") == 0


def test_applicability_decides_and_the_unsafe_argument_words_the_notes() -> None:
    first, *_ = _krs101()
    assert first.fix is not None
    unsafe_fix = records.replace(first.fix, applicability=Applicability.UNSAFE)
    claim = records.replace(first, fix=unsafe_fix, args={**first.args, "unsafe": ("dtype",)})
    refused = fix_diagnostics(TEXT, [claim])
    assert refused.text == TEXT
    assert [o.note for o in refused.skipped] == [
        "unwrapping changes behaviour (Keras 3 ignores the inner Dense's dtype inside "
        "TimeDistributed); rerun with --unsafe-fixes to apply it"
    ]
    [applied] = fix_diagnostics(TEXT, [claim], unsafe=True).fixed
    assert applied.note == (
        "TimeDistributed(Dense(2)) -> Dense(2); the inner Dense's dtype now takes effect "
        "(inside TimeDistributed Keras 3 used the wrapper's dtype policy, e.g. float16 under "
        "mixed precision)"
    )


def test_any_rule_s_unwrap_edit_is_applied() -> None:
    """The edit, not the code, says what to do: an UnwrapCall of another code is applied."""
    first, second, no_fix = _krs101()
    assert first.fix is not None
    other = Diagnostic("KRS999", first.node, "KRS999 x", fix=Fix("unwrap", first.fix.edit))
    result = fix_diagnostics(TEXT, [other])
    assert (
        "y = Dense(2)(x)\n" in result.text and "z = TimeDistributed(Dense(3))(x)\n" in result.text
    )
