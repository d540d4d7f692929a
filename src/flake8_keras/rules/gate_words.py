"""Word groups the rules' gates share (``Rule.requires``): a file that lacks every word of a group
cannot hold that rule's finding, so the gate skips it without parsing.

The groups name what a finding needs besides its layer: a training call, a declared input (the
only source of known shapes for most rules), a compiled loss.
"""

from __future__ import annotations

# calls that hand targets to a model (with their parenthesis: "fit" alone is in "benefit")
TRAINING = ("fit(", "evaluate(", "_on_batch(", "fit_generator(", "evaluate_generator(")
# calls that hand data to a model
DATA_CALLS = (*TRAINING, "predict(", "predict_generator(", "model(")
# a declared model input: keras.Input(...), input_shape=, input_dim=, batch_input_shape=
DECLARED_INPUT = ("Input(", "input_shape=", "input_dim=", "batch_shape=", "InputLayer(")
# layers whose output rank is known without a declared input
RANK_WITHOUT_INPUT = ("Embedding(", "Flatten(", "LSTM(", "GRU(", "RNN(", "Pooling1D(", "Pooling2D(")
COMPILED = ("compile(",)
