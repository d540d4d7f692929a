"""A verdict on one claim, and the dispatch from a diagnostic's code to its check."""

from __future__ import annotations

from flake8_keras.records import field, record

CONFIRMED = "confirmed"
CONFIRMED_WITH_DIFFERENCES = "confirmed with differences"
REFUTED = "refuted"
INCONCLUSIVE = "inconclusive"
VERDICTS = (CONFIRMED, CONFIRMED_WITH_DIFFERENCES, REFUTED, INCONCLUSIVE)


@record
class Verdict:
    verdict: str
    evidence: str
    measured: dict[str, object] = field(default_factory=dict)  # numbers, for --format json
