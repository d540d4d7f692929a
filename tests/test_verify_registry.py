"""The verifier's checks are a registry keyed by rule code that covers every rule."""

from __future__ import annotations

from typing import Any, cast

from flake8_keras.analysis import INTERNAL_ERROR, internal_error
from flake8_keras.rules import RULES
from flake8_keras.verify.checks import CHECKS, NOT_VERIFIABLE, verify
from flake8_keras.verify.verdict import INCONCLUSIVE


def test_every_rule_has_a_check_or_a_reason_for_none() -> None:
    codes = {rule.code for rule in RULES}
    assert not set(CHECKS) & set(NOT_VERIFIABLE)
    assert codes <= set(CHECKS) | set(NOT_VERIFIABLE), "a rule without a check or a reason"
    assert set(CHECKS) | set(NOT_VERIFIABLE) <= codes | {INTERNAL_ERROR}, "a stale entry"
    assert all(reason.strip() for reason in NOT_VERIFIABLE.values())


def test_a_code_without_a_check_is_inconclusive_with_its_reason() -> None:
    no_keras = cast(Any, None)  # no check runs, so no Keras is needed
    verdict = verify(internal_error("ValueError", "in rule KRS101"), no_keras)
    assert verdict.verdict == INCONCLUSIVE
    assert verdict.evidence == (
        f"the verifier has no check for {INTERNAL_ERROR}: {NOT_VERIFIABLE[INTERNAL_ERROR]}"
    )
