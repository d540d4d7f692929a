"""KRS401-KRS406 on the lint path: what each headline says, and what the family leaves alone."""

from __future__ import annotations

import textwrap

from flake8_keras.analysis import analyze_source

HEAD = "import numpy as np\nfrom keras import Input, Sequential, layers\n"


def _codes(body: str) -> list[tuple[int, str]]:
    source = HEAD + textwrap.dedent(body)
    return [(d.line - 2, d.code) for d in analyze_source(source) if d.code.startswith("KRS")]


def _messages(body: str) -> list[str]:
    return [d.message for d in analyze_source(HEAD + textwrap.dedent(body))]


def test_headlines_say_what_keras_does_and_the_fix() -> None:
    (message,) = _messages(
        """
        m = Sequential([Input(shape=(8,)), layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="categorical_crossentropy")
        m.fit(np.zeros((100, 8)), np.zeros((100,)))
        """
    )
    assert message == (
        "KRS401 labels (100,) with categorical_crossentropy: Keras raises at fit "
        "(fix: sparse_categorical_crossentropy)"
    )


def test_a_recurrent_sequence_output_is_krs202s_not_krs406s() -> None:
    found = _codes(
        """
        gru = layers.GRU(8, return_sequences=True)
        m = Sequential([Input(shape=(20, 4)), gru, layers.Dense(5)])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        m.fit(np.zeros((64, 20, 4)), np.zeros((64,)))
        """
    )
    assert found == [(5, "KRS202")]


def test_the_loss_decides_and_unknown_losses_stay_silent() -> None:
    body = """
        m = Sequential([Input(shape=(8,)), layers.Dense(10)])
        m.compile(optimizer="adam", loss={loss})
        m.fit(np.zeros((100, 8)), np.zeros((100, 1)))
        """
    assert _codes(body.format(loss='"categorical_crossentropy"')) == [(4, "KRS401")]
    assert _codes(body.format(loss='"mse"')) == [(4, "KRS404")]
    assert _codes(body.format(loss='"sparse_categorical_crossentropy"')) == []
    assert _codes(body.format(loss="get_loss()")) == []
    assert _codes(body.format(loss='"kld"')) == []


def test_multi_step_dense_and_rank1_targets_for_one_unit_stay_silent() -> None:
    assert (
        _codes(
            """
        m = Sequential([Input(shape=(8,)), layers.Dense(5)])
        m.compile(optimizer="adam", loss="mse")
        m.fit(np.zeros((100, 8)), np.zeros((100, 5, 1)))
        one = Sequential([Input(shape=(8,)), layers.Dense(1, activation="sigmoid")])
        one.compile(optimizer="adam", loss="binary_crossentropy")
        one.fit(np.zeros((100, 8)), np.zeros((100,)))
        """
        )
        == []
    )


def test_binary_crossentropy_without_a_sigmoid_layer_is_left_alone() -> None:
    # tf_keras broadcasts there (Dense(1) against (n, 2) trains), Keras 3 raises
    body = """
        m = Sequential([Input(shape=(8,)), layers.Dense(1{activation})])
        m.compile(optimizer="adam", loss="binary_crossentropy")
        m.fit(np.zeros((100, 8)), np.zeros((100, 2)))
        """
    assert _codes(body.format(activation="")) == []
    assert _codes(body.format(activation=', activation="sigmoid"')) == [(4, "KRS403")]


def test_softmax_over_one_unit_is_reported_once_per_layer() -> None:
    found = _codes(
        """
        head = layers.Dense(1, activation="softmax")
        a = Input(shape=(4,))
        b = Input(shape=(4,))
        head(a)
        head(b)
        """
    )
    assert found == [(2, "KRS405")]
