"""Issue 12: the patterns real projects write, found; their look-alikes left silent.

The fixtures ``tests/fixtures/recall_*.py`` run through real flake8 in ``test_rules.py``; these
tests pin the engine's part: loop fixpoints and their bound, call-site literals, dict literals,
return_state outputs and expected-error blocks.
"""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_keras.analysis import analyze_source
from flake8_keras.engine.budget import MAX_FIXPOINT_ROUNDS
from flake8_keras.engine.callsites import scan
from flake8_keras.engine.interpreter import Interpreter
from flake8_keras.engine.scope import Scope
from flake8_keras.engine.values import UNKNOWN, Const, Entries, Value

HEAD = "import keras\nfrom keras import Input, Sequential, layers\n"


def found(source: str) -> list[tuple[str, int]]:
    """(code, line) of the KRS10x findings (the rules of this issue) in ``source``."""
    text = HEAD + textwrap.dedent(source)
    return [(d.code, d.line) for d in analyze_source(text) if d.code.startswith("KRS10")]


def run(source: str) -> Scope:
    scope = Scope()
    Interpreter().exec_block(ast.parse(textwrap.dedent(source)).body, scope)
    return scope


# ------------------------------------------------------------------ item 1: loops


@pytest.mark.parametrize(
    "loop",
    [
        "for _ in range(n):",
        "for _ in six.moves.range(n):",
        "for _ in range(args.layers):",
        "while depth < n:",
        "for units in sizes:",
    ],
)
def test_a_rank_every_iteration_keeps_survives_the_loop(loop: str) -> None:
    source = f"""
    model = Sequential([Input(shape=(20, 8))])
    {loop}
        model.add(layers.LSTM(16, return_sequences=True))
    model.add(layers.TimeDistributed(layers.Dense(1)))
    """
    assert found(source) == [("KRS101", 7)]


@pytest.mark.parametrize(
    "body",
    [
        "model.add(layers.LSTM(16))",  # rank 3 before, 2 after
        "model.add(layers.LSTM(16, return_sequences=flag))",  # unknown
        "model.add(layers.Flatten())",
        "model = other",  # rebound to something unknown
        "model.pop()",
    ],
)
def test_a_body_that_changes_the_rank_leaves_it_unknown(body: str) -> None:
    source = f"""
    model = Sequential([Input(shape=(20, 8))])
    for _ in range(n):
        {body}
    model.add(layers.TimeDistributed(layers.Dense(1)))
    model.add(layers.LSTM(4))
    """
    assert found(source) == []


def test_loop_joins_keep_agreeing_constants_and_drop_the_others() -> None:
    scope = run(
        """
        units, depth, name = 64, 0, "a"
        for _ in g():
            units = 64
            depth = depth + 1
            name = "b"
        """
    )
    assert scope.vars["units"] == Const(64)
    assert scope.vars["depth"] is UNKNOWN
    assert scope.vars["name"] is UNKNOWN


def test_a_loop_that_never_settles_is_widened_within_its_rounds() -> None:
    # t grows by one item per round: no fixpoint, so past the bound it is Unknown
    interpreter = Interpreter()
    scope = Scope()
    body = ast.parse("t = (1,)\nfor _ in g():\n    t = t + (1,)\n").body
    before = interpreter.fixpoint_budget
    interpreter.exec_block(body, scope)
    assert scope.vars["t"] is UNKNOWN
    spent = before - interpreter.fixpoint_budget
    assert 0 < spent <= MAX_FIXPOINT_ROUNDS * 2  # rounds x (the loop + its one statement)


def test_an_exhausted_fixpoint_budget_makes_what_the_loop_binds_unknown() -> None:
    interpreter = Interpreter()
    interpreter.fixpoint_budget = 0
    scope = Scope()
    interpreter.exec_block(ast.parse("u = 64\nfor _ in g():\n    u = 64\n").body, scope)
    assert scope.vars["u"] is UNKNOWN


def test_rounds_record_nothing_twice() -> None:
    source = """
    x = Input(shape=(20, 8))
    for _ in range(n):
        x = layers.LSTM(8)(x)
        y = layers.TimeDistributed(layers.Dense(1))(layers.LSTM(2)(Input(shape=(3, 2))))
    """
    assert found(source) == [("KRS102", 7)]


# ------------------------------------------------------------------ item 2: subclasses


def test_build_sets_up_self_only_for_keras_subclasses() -> None:
    keras_layer = """
    class Block(layers.Layer):
        def build(self, shape):
            self.rnn = layers.GRU(8, return_sequences=True)

        def call(self, x):
            return layers.TimeDistributed(layers.Dense(1))(self.rnn(x))
    """
    assert found(keras_layer) == [("KRS101", 9)]
    plain = keras_layer.replace("(layers.Layer)", "")
    assert found(plain) == []


def test_a_custom_layer_returns_what_its_call_returned() -> None:
    source = """
    class Encoder(layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.rnn = layers.LSTM(units, return_sequences=True)

        def call(self, x):
            return self.rnn(x)

    h = Encoder(32)(Input(shape=(10, 4)))
    out = layers.TimeDistributed(layers.Dense(1))(h)
    """
    assert found(source) == [("KRS101", 13)]


def test_an_attribute_another_method_changes_is_unknown() -> None:
    source = """
    class Trainer:
        def __init__(self):
            self.x = Input(shape=(4,))

        def load(self):
            self.x = Input(shape=(3, 4))

        def head(self):
            return layers.TimeDistributed(layers.Dense(1))(self.x)
    """
    assert found(source) == []
    assert found(source.replace("self.x = Input(shape=(3, 4))", "pass")) == [("KRS102", 12)]


# ------------------------------------------------------------------ item 3: flags


def _call_sites(source: str) -> dict[str, dict[str, Value]]:
    """The call-site literals, the same with and without the source text (with it, the walk
    skips every statement whose lines do not name a candidate function)."""
    text = textwrap.dedent(source)
    facts = scan(ast.parse(text))
    sites = {func.name: values for func, values in facts.call_sites.items()}
    with_text = {func.name: v for func, v in scan(ast.parse(text), text).call_sites.items()}
    assert with_text == sites
    return sites


def test_call_sites_that_agree_give_the_parameter_its_literal() -> None:
    sites = _call_sites(
        """
        def build(seq, units=8, *, head=1):
            pass
        build(True)
        build(seq=True, units=8, head=2)
        """
    )
    assert sites == {"build": {"seq": Const(True), "units": Const(8)}}


@pytest.mark.parametrize(
    "uses",
    [
        "build(True)\nbuild(False)",  # disagree
        "build(flag)",  # not a literal
        "build(*args)",
        "build(**kwargs)",
        "build(True)\ncallbacks = [build]",  # escapes
        "build(True)\nbuild = wrap(build)",  # rebound
        "",  # never called
        "build(True)\ndef other(build):\n    build(False)",  # shadowed
        "build(True)\n@register(build)\ndef other():\n    pass",  # escapes in a decorator
        "build(True)\n@register(\n    build,\n)\nclass Other:\n    x = 1",
        "build(True)\r\nclass A:\r    f = build\r",  # lone \r line ends: the full walk
        "build(True)\n"
        + "".join(f"def f{i}(a):\n    f{i}(1)\n    f{i}(2)\n" for i in range(400))
        + "x = [build]",  # names x text past the substring counts: the regex pass
    ],
)
def test_call_sites_that_do_not_agree_leave_it_unknown(uses: str) -> None:
    assert _call_sites("def build(seq):\n    pass\n" + uses) == {}


def test_call_sites_only_of_the_wanted_functions() -> None:
    text = "D = {'x': 1}\ndef build(seq):\n    pass\ndef other(n):\n    return D['x']\n"
    text += "build(True)\nother(3)\nf(**D)\n"
    tree = ast.parse(text)
    build = tree.body[1]
    assert isinstance(build, ast.FunctionDef)
    every = scan(tree, text)
    assert {f.name for f in every.call_sites} == {"build", "other"} and every.frozen_dicts == {"D"}
    only = scan(tree, text, wanted=[build], dicts_too=False)
    assert {f.name: v for f, v in only.call_sites.items()} == {"build": {"seq": Const(True)}}
    assert only.frozen_dicts == set()
    dicts = scan(tree, text, wanted=())
    assert dicts.call_sites == {} and dicts.frozen_dicts == {"D"}


def test_a_dict_no_body_reads_needs_no_freezing() -> None:
    # Only function and class bodies see a frozen dict; the module's statements see it as it is.
    text = "summary = {'x': 1}\nprint(summary['x'])\ndef report(model):\n    model.summary()\n"
    assert scan(ast.parse(text), text).frozen_dicts == set()
    text += "def read():\n    return summary['x']\n"
    assert scan(ast.parse(text), text).frozen_dicts == {"summary"}


def test_frozen_dicts_are_the_ones_nothing_changes() -> None:
    facts = scan(
        ast.parse(
            "A = {'x': 1}\nB = {'x': 1}\nC = {'x': 1}\nD = {'x': 1}\nE = {'x': 1}\n"
            "f(**A, y=A['x'])\nB['x'] = 2\nC.update(x=2)\ng(D)\nE = {}\n"
        )
    )
    assert facts.frozen_dicts == {"A"}


def test_dict_literals_expand_into_keywords() -> None:
    source = """
    hp = {"units": 8, "return_sequences": True}
    x = layers.LSTM(**hp)(Input(shape=(5, 2)))
    y = layers.TimeDistributed(layers.Dense(1))(x)
    """
    assert found(source) == [("KRS101", 6)]
    changed = source.replace("x = layers", "hp.update(extra)\nx = layers")
    assert found(changed) == []


def test_dict_joins_key_by_key() -> None:
    scope = run("if f:\n    d = {'a': 1, 'b': 2}\nelse:\n    d = {'a': 1, 'b': 3}\n")
    assert scope.vars["d"] == Entries(("a", "b"), (Const(1), UNKNOWN))


# ------------------------------------------------------------------ items 4 and 5


def test_return_state_outputs_unpack_to_the_output_first() -> None:
    source = """
    x = Input(shape=(10, 4))
    out, h, c = layers.LSTM(8, return_sequences=True, return_state=True)(x)
    layers.TimeDistributed(layers.Dense(1))(out)
    layers.TimeDistributed(layers.Dense(1))(h)
    seq, state = layers.GRU(8, return_sequences=True, return_state=True)(x)
    layers.TimeDistributed(layers.Dense(1))(seq)
    """
    assert found(source) == [("KRS101", 6), ("KRS101", 9)]


@pytest.mark.parametrize(
    "call",
    ["(x, mask=m)", "(x, None, m)", "(x, **kwargs)"],
)
def test_an_explicit_mask_is_not_redundant(call: str) -> None:
    source = f"""
    x = layers.LSTM(8, return_sequences=True)(Input(shape=(10, 4)))
    layers.TimeDistributed(layers.Dense(1)){call}
    layers.TimeDistributed(layers.Dense(1))(x, training=True)
    """
    assert found(source) == [("KRS101", 6)]


@pytest.mark.parametrize(
    "manager",
    ["pytest.raises(ValueError)", "self.assertRaises(ValueError)", "raises(ValueError)"],
)
def test_nothing_is_reported_inside_expected_error_blocks(manager: str) -> None:
    source = f"""
    def test(self):
        with {manager}:
            x = layers.GRU(2)(Input(shape=(4,)))
        layers.GRU(2)(Input(shape=(4,)))
    """
    assert found(source) == [("KRS103", 7)]


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("(window, features)", [("KRS101", 5)]),  # the rank of a literal tuple is known
        ("(None, features)", [("KRS101", 5)]),
        ("(features,)", [("KRS102", 5)]),
        ("(window, (2, 3))", []),  # a tuple inside: not a shape
        ("(*dims,)", []),
        ("dims", []),
    ],
)
def test_an_input_shape_literal_gives_the_rank(shape: str, expected: list[object]) -> None:
    source = f"""
    x = Input(shape={shape})
    layers.TimeDistributed(layers.Dense(1))(x)
    """
    assert found(source) == expected
