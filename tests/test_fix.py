"""The KRS101 fixer on source text: golden cases, every fixture, idempotence, refusals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, expectations, fixture_files
from flake8_keras.analysis import analyze_source
from flake8_keras.fix import fix_source
from flake8_keras.noqa import is_suppressed
from flake8_keras.source import physical_lines

CASES = ROOT / "tests" / "fix_cases"


def krs101_files() -> list[Path]:
    """Every fixture marking a KRS101, and every example the engine reports a KRS101 in."""
    marked = [p for p in fixture_files() if any(c == "KRS101" for _, c in expectations(p))]
    examples = [
        p
        for p in sorted(EXAMPLES.glob("*.py"))
        if analyze_source(p.read_text(encoding="utf-8"), codes={"KRS101"})
    ]
    return marked + examples


def open_krs101(text: str) -> list[int]:
    """Lines of KRS101 reports that flake8 would show (not silenced by ``# noqa``)."""
    lines = physical_lines(text)
    return [
        d.line
        for d in analyze_source(text, codes={"KRS101"})
        if not is_suppressed(lines[d.line - 1], "KRS101")
    ]


def test_there_are_fixtures_to_fix() -> None:
    assert len(krs101_files()) >= 3


@pytest.mark.parametrize("path", krs101_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_every_krs101_fixture_is_fixed(path: Path, unsafe: bool) -> None:
    text = path.read_text(encoding="utf-8")
    result = fix_source(text, unsafe=unsafe)
    assert result.error is None
    assert result.fixed, "nothing was fixed"
    ast.parse(result.text)
    # what is left is exactly what the fixer refused (and said why), nothing else
    assert len(open_krs101(result.text)) == len(result.skipped)
    if unsafe:
        assert all("unsafe" not in o.note for o in result.skipped)
    else:
        assert len(open_krs101(fix_source(text, unsafe=True).text)) <= len(result.skipped)
    again = fix_source(result.text, unsafe=unsafe)
    assert again.text == result.text
    assert not again.fixed


@pytest.mark.parametrize("case", sorted(CASES.glob("*.in.py")), ids=lambda p: p.name)
def test_golden_case(case: Path) -> None:
    expected = case.with_name(case.name.replace(".in.py", ".out.py")).read_text(encoding="utf-8")
    result = fix_source(case.read_text(encoding="utf-8"))
    assert result.text == expected
    assert fix_source(expected).text == expected


def test_comments_quotes_and_line_breaks_survive() -> None:
    result = fix_source((CASES / "comments.in.py").read_text(encoding="utf-8"))
    text = result.text
    for kept in (
        "# three classes",
        "# probabilities",
        "name='head'",
        "activation='relu'",
        "# the wrapper's own comment stays",
        "# a comment after the layer",
        "# single quotes",
    ):
        assert kept in text
    assert "(layers.Dense(1))(x)" in text  # the parentheses around the wrapper stay
    # the three ``# noqa`` lines that cover KRS101 stay wrapped; ``# noqa: E501`` does not cover it
    assert text.count("layers.TimeDistributed(") == 3
    assert "i = layers.Dense(1)(x)  # noqa: E501" in text
    assert 's = "é"; j = layers.Dense(1)(x)' in text  # columns counted in characters


def test_import_removed_only_when_unused() -> None:
    fixed = fix_source((CASES / "imports.in.py").read_text(encoding="utf-8")).text
    code = fixed.split('"""', 2)[2]  # after the docstring
    assert "TimeDistributed" not in code and "TD" not in code
    assert "from keras.layers import Dense, LSTM\n" in fixed
    kept = fix_source((CASES / "imports_kept.in.py").read_text(encoding="utf-8")).text
    assert "    TimeDistributed,\n" in kept and "TimeDistributed(Conv2D(4, 3))" in kept


def test_unsafe_fix_needs_the_flag_and_says_what_changes() -> None:
    text = (
        "from keras import layers\nimport keras\n"
        "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
        "y = layers.TimeDistributed(layers.Dense(2, activity_regularizer='l2'))(x)\n"
        "z = layers.TimeDistributed(layers.Dense(2, dtype='float32'))(x)\n"
    )
    safe = fix_source(text)
    assert safe.text == text
    assert [o.line for o in safe.skipped] == [4, 5]
    assert all("--unsafe-fixes" in o.note for o in safe.skipped)
    unsafe = fix_source(text, unsafe=True)
    assert "y = layers.Dense(2, activity_regularizer='l2')(x)" in unsafe.text
    assert "z = layers.Dense(2, dtype='float32')(x)" in unsafe.text
    notes = [o.note for o in unsafe.fixed]
    assert "activity_regularizer now adds its loss" in notes[0]
    assert "dtype now takes effect" in notes[1]


def test_refusals_leave_the_code_alone() -> None:
    text = (CASES / "keywords.in.py").read_text(encoding="utf-8")
    result = fix_source(text)
    reasons = {o.line: o.note for o in result.skipped}
    assert "built elsewhere" in reasons[21]
    assert "trainable=" in reasons[22]
    assert "both TimeDistributed and its layer" in reasons[23]
    assert 'model.add(Dense(1, name="output"))' in result.text
    assert "TimeDistributed(Dense(3), trainable=False)(h)" in result.text


def test_only_fixes_the_requested_report() -> None:
    text = (CASES / "imports.in.py").read_text(encoding="utf-8")
    result = fix_source(text, only={(15, 4)})
    assert "    TD(Dense(1)),\n" not in result.text and "TimeDistributed(Dense(8))" in result.text
    assert "import TimeDistributed as TD" not in result.text  # TD is now unused
    assert "import Dense, TimeDistributed, LSTM" in result.text


def test_inner_spanning_lines_outside_brackets_keeps_parentheses() -> None:
    text = (
        "from keras import layers\nimport keras\n"
        "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
        "y = layers.TimeDistributed(layers\n    .Dense(2))(x)\n"
    )
    result = fix_source(text)
    assert result.fixed
    assert "y = (layers\n    .Dense(2))(x)\n" in result.text
    ast.parse(result.text)


def test_text_without_keras_is_returned_as_is() -> None:
    text = "def f(x):\n    return x\n"
    result = fix_source(text)
    assert result.text == text and not result.outcomes and result.error is None
