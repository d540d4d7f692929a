"""The rule registry, built from the rule modules: one module per rule, all a rule needs in it.

``RULES`` are the rules the analysis runs; ``DOCUMENTED`` adds KRS001, which the analysis reports
itself, for the docs and the README table. ``GATES`` are the rules' gates (their triggers and the
word groups they also require); a file passes when one rule's gate does. ``TRIGGERS`` is the union
of the rules' triggers, in registry order.
"""

from __future__ import annotations

from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.krs001_internal_error import InternalError
from flake8_keras.rules.krs101_redundant_time_distributed import RedundantTimeDistributed
from flake8_keras.rules.krs102_time_distributed_needs_sequence import (
    TimeDistributedNeedsSequence,
)
from flake8_keras.rules.krs103_recurrent_needs_sequence import RecurrentNeedsSequence
from flake8_keras.rules.krs201_last_step_output_sequence_targets import (
    LastStepOutputSequenceTargets,
)
from flake8_keras.rules.krs202_sequence_output_per_sample_targets import (
    SequenceOutputPerSampleTargets,
)
from flake8_keras.rules.krs301_data_does_not_fit_input import DataDoesNotFitInput
from flake8_keras.rules.krs302_input_shape_includes_samples import InputShapeIncludesSamples
from flake8_keras.rules.krs303_predict_without_batch_axis import PredictWithoutBatchAxis
from flake8_keras.rules.krs401_labels_with_categorical_loss import LabelsWithCategoricalLoss
from flake8_keras.rules.krs402_one_hot_with_sparse_loss import OneHotWithSparseLoss
from flake8_keras.rules.krs403_units_vs_classes import UnitsVsClasses
from flake8_keras.rules.krs404_broadcast_targets import BroadcastTargets
from flake8_keras.rules.krs405_softmax_over_one_unit import SoftmaxOverOneUnit
from flake8_keras.rules.krs406_output_keeps_axes import OutputKeepsAxes
from flake8_keras.rules.krs407_labels_out_of_range import LabelsOutOfRange
from flake8_keras.rules.krs408_targets_keep_axes import TargetsKeepAxes
from flake8_keras.rules.krs501_layer_input_rank import LayerInputRank
from flake8_keras.rules.krs502_window_outgrows_feature_map import WindowOutgrowsFeatureMap
from flake8_keras.rules.krs503_reshape_element_count import ReshapeElementCount
from flake8_keras.rules.krs504_merge_shape_mismatch import MergeShapeMismatch
from flake8_keras.source import Gate
from flake8_keras.source import may_trigger as _gate

RULES: tuple[Rule, ...] = (
    RedundantTimeDistributed(),
    TimeDistributedNeedsSequence(),
    RecurrentNeedsSequence(),
    LastStepOutputSequenceTargets(),
    SequenceOutputPerSampleTargets(),
    DataDoesNotFitInput(),
    InputShapeIncludesSamples(),
    PredictWithoutBatchAxis(),
    LabelsWithCategoricalLoss(),
    OneHotWithSparseLoss(),
    UnitsVsClasses(),
    BroadcastTargets(),
    SoftmaxOverOneUnit(),
    OutputKeepsAxes(),
    LabelsOutOfRange(),
    TargetsKeepAxes(),
    LayerInputRank(),
    WindowOutgrowsFeatureMap(),
    ReshapeElementCount(),
    MergeShapeMismatch(),
)
DOCUMENTED: tuple[Rule, ...] = (InternalError(), *RULES)
TRIGGERS: tuple[str, ...] = tuple(dict.fromkeys(t for rule in RULES for t in rule.triggers))
GATES: tuple[Gate, ...] = tuple((rule.triggers, rule.requires) for rule in RULES)
FIXABLE: frozenset[str] = frozenset(rule.code for rule in RULES if rule.fixable)


def may_trigger(text: str) -> bool:
    """The gate over the registered rules: False when no rule can report anything in ``text``."""
    return _gate(text, GATES)


__all__ = ["DOCUMENTED", "FIXABLE", "RULES", "TRIGGERS", "Diagnostic", "Rule", "may_trigger"]
