"""Tests generated from every rule's VALID and INVALID cases (Fixit's gen_test_methods_for_rule).

Each case runs through the real analysis and must report exactly the (line, column, code) its
``# KRS101: 7`` marks name; a fixable rule's INVALID case must come out of the real fixer as its
``fixed`` text. The first INVALID case of each rule also runs through real flake8.
"""

from __future__ import annotations

import re

import pytest

from conftest import flake8
from flake8_keras.analysis import analyze_source
from flake8_keras.fix import fix_source
from flake8_keras.rules import RULES, Rule
from flake8_keras.rules.cases import Invalid, Mark, Valid, marks, without_marks
from flake8_keras.source import char_col, physical_lines
from flake8_keras.source import may_trigger as source_gate

CASES: list[tuple[Rule, Valid | Invalid]] = [
    (rule, case) for rule in RULES for case in (*rule.VALID, *rule.INVALID)
]


def _case_id(rule: Rule, case: Valid | Invalid) -> str:
    kind = "valid" if isinstance(case, Valid) else "invalid"
    cases: tuple[Valid | Invalid, ...] = rule.VALID if kind == "valid" else rule.INVALID
    return f"{rule.code}-{kind}-{cases.index(case)}"


def reported(text: str) -> set[Mark]:
    """What the analysis reports, as flake8 prints it: 1-based character columns."""
    lines = physical_lines(text)
    return {(d.line, char_col(lines, d.line, d.byte_col) + 1, d.code) for d in analyze_source(text)}


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[_case_id(r, c) for r, c in CASES])
def test_case_reports_exactly_its_marks(rule: Rule, case: Valid | Invalid) -> None:
    own = {m for m in marks(case.source) if m[2] == rule.code}
    if isinstance(case, Valid):
        assert not own, "a VALID case marks its own rule"
    else:
        assert own, "an INVALID case marks nothing of its rule"
    assert reported(case.source) == marks(case.source)


INVALID = [(rule, case) for rule, case in CASES if isinstance(case, Invalid)]


@pytest.mark.parametrize(("rule", "case"), INVALID, ids=[_case_id(r, c) for r, c in INVALID])
def test_invalid_case_fixes_to_its_fixed_code(rule: Rule, case: Invalid) -> None:
    text = without_marks(case.source)
    if not rule.fixable:
        assert case.fixed is None, "a rule without a fix carries no fixed code"
        return
    assert case.fixed_source is not None, "every INVALID case of a fixable rule carries its fix"
    assert fix_source(text).text == case.fixed_source
    unsafe = case.unsafe_fixed_source or case.fixed_source
    assert fix_source(text, unsafe=True).text == unsafe
    assert reported(unsafe) == set(), "the fixed code still has findings"


FIXABLE_VALID = [(r, c) for r, c in CASES if r.fixable and isinstance(c, Valid)]


@pytest.mark.parametrize(
    ("rule", "case"), FIXABLE_VALID, ids=[_case_id(r, c) for r, c in FIXABLE_VALID]
)
def test_fixer_leaves_valid_case_alone(rule: Rule, case: Valid) -> None:
    assert fix_source(case.source, unsafe=True).text == case.source


_LINE = re.compile(r"^stdin:(\d+):(\d+): (KRS\d{3}) ")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_first_invalid_case_through_real_flake8(rule: Rule) -> None:
    source = rule.INVALID[0].source
    result = flake8("--select", "KRS", "-", stdin=source)
    assert result.returncode == 1 and not result.stderr, result.stderr
    found = set()
    for line in result.stdout.splitlines():
        match = _LINE.match(line)
        assert match, line
        found.add((int(match[1]), int(match[2]), match[3]))
    assert found == marks(source)


def may_trigger_for(text: str, rule: Rule) -> bool:
    return source_gate(text, [(rule.triggers, rule.requires)])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_cases_that_pass_its_own_gate(rule: Rule) -> None:
    assert rule.VALID and rule.INVALID
    for case in rule.INVALID:
        # the gate must let the case through because of this rule's gate, not another's
        assert may_trigger_for(case.source, rule), (rule.triggers, rule.requires)
