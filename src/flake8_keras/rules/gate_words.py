"""Word groups the rules' gates share (``Rule.requires``): a file that lacks every word of a group
cannot hold that rule's finding, so the gate skips it without parsing.

The groups name what a finding needs besides its layer: a training call, a declared input (the
only source of known shapes for most rules), a compiled loss.
"""

from __future__ import annotations

# calls that hand targets to a model
TRAINING = ("fit", "evaluate", "_on_batch")
# calls that hand data to a model
DATA_CALLS = ("fit", "evaluate", "predict", "_on_batch", "model(")
# a declared model input: keras.Input(...), input_shape=, input_dim=, batch_input_shape=
DECLARED_INPUT = ("Input(", "input_shape=", "input_dim=", "batch_shape=", "InputLayer(")
# layers whose output rank is known without a declared input
RANK_WITHOUT_INPUT = ("Embedding", "Flatten", "LSTM", "GRU", "RNN", "Global")
COMPILED = ("compile",)
