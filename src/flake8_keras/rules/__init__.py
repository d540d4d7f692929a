"""The rule registry: the single source of truth for codes, names and summaries."""

from __future__ import annotations

from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.fit_targets import (
    LastStepOutputSequenceTargets,
    SequenceOutputPerSampleTargets,
)
from flake8_keras.rules.recurrent import RecurrentNeedsSequence
from flake8_keras.rules.time_distributed import (
    RedundantTimeDistributed,
    TimeDistributedNeedsSequence,
)

RULES: tuple[Rule, ...] = (
    RedundantTimeDistributed(),
    TimeDistributedNeedsSequence(),
    RecurrentNeedsSequence(),
    LastStepOutputSequenceTargets(),
    SequenceOutputPerSampleTargets(),
)

__all__ = ["RULES", "Diagnostic", "Rule"]
