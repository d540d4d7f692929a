"""Every fixture, through real flake8: exactly the marked lines are flagged, at a call's start."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import FIXTURES, expectations, fixture_files, flake8
from flake8_keras.analysis import INTERNAL_ERROR
from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.interpreter import Interpreter
from flake8_keras.engine.scope import Scope
from flake8_keras.keras.construct import build_graph
from flake8_keras.keras.layers import LAYERS, RECURRENT_LAYERS, is_recurrent
from flake8_keras.keras.model import Layer
from flake8_keras.rules import DOCUMENTED, RULES, TRIGGERS, may_trigger
from flake8_keras.rules.krs101_redundant_time_distributed import unsafe_fix_reasons

_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>KRS\d{3}) (?P<text>.*)$")


def _run(*options: str) -> dict[str, list[tuple[int, int, str, str]]]:
    """One flake8 run over all fixtures: path -> [(line, col, code, message)]."""
    result = flake8("--select", "KRS", *options, *[str(p) for p in fixture_files()])
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    found: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for line in result.stdout.splitlines():
        match = _LINE.match(line)
        assert match, f"unexpected flake8 output line: {line!r}"
        found[Path(match["path"]).name].append(
            (int(match["line"]), int(match["col"]), match["code"], match["text"])
        )
    return found


@pytest.fixture(scope="module")
def reported() -> dict[str, list[tuple[int, int, str, str]]]:
    return _run()


@pytest.fixture(scope="module")
def explained() -> dict[str, list[tuple[int, int, str, str]]]:
    """The same run with ``--keras-long-messages``: each finding's full explanation."""
    return _run("--keras-long-messages")


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.name)
def test_fixture_flags_exactly_the_marked_lines(fixture: Path, reported) -> None:
    got = {(line, code) for line, _, code, _ in reported.get(fixture.name, [])}
    assert got == expectations(fixture)


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.name)
def test_reported_column_is_the_start_of_the_offending_expression(fixture: Path, reported) -> None:
    lines = fixture.read_text(encoding="utf-8").splitlines()
    for line, col, code, _ in reported.get(fixture.name, []):
        text = lines[line - 1][col - 1 :]
        if code in ("KRS101", "KRS102", "KRS103"):
            assert re.match(r"[\w.]+\(", text), (line, col, text)
        else:
            assert text and not text[0].isspace() and text[0] not in ",)", (line, col, text)


def test_every_rule_has_must_flag_and_must_not_flag_fixtures() -> None:
    flagged = {code for path in fixture_files() for _, code in expectations(path)}
    assert flagged == {rule.code for rule in RULES}
    names = {p.name for p in fixture_files()}
    assert any("not_flagged" in n for n in names)


def test_headlines_are_short_name_no_line_and_end_with_the_fix(reported) -> None:
    messages = sorted(len(m) for found in reported.values() for *_, m in found)
    assert messages
    assert messages[int(0.9 * (len(messages) - 1))] <= 120 - len("KRS101 "), messages
    for found in reported.values():
        for *_, message in found:
            assert not re.search(r"\bline \d+", message), message  # nbqa and editors move lines
            assert re.search(
                r"\((unsafe fix|fix, maybe unsafe|fix): [^)]", message
            ) and message.endswith(")"), message


def test_long_messages_name_the_evidence_and_end_with_the_fix(explained, reported) -> None:
    assert [(f, [x[:3] for x in v]) for f, v in sorted(explained.items())] == [
        (f, [x[:3] for x in v]) for f, v in sorted(reported.items())
    ]
    lines = 0
    for path, found in explained.items():
        for (*_, message), (*_, headline) in zip(found, reported[path], strict=True):
            lines += bool(re.search(r"line \d+", message))  # the producer's line, when known
            assert message.endswith(")") and "(fix: " in message, message
            assert len(message) > len(headline), message
    assert lines >= 0.8 * sum(len(v) for v in explained.values())


def test_long_messages_from_the_flake8_config(tmp_path: Path) -> None:
    fixture = tmp_path / "m.py"
    fixture.write_text((FIXTURES / "krs103_recurrent_needs_sequence.py").read_text())
    (tmp_path / "setup.cfg").write_text("[flake8]\nkeras-long-messages = true\n")
    command = [sys.executable, "-m", "flake8", "--select", "KRS103", "m.py"]
    long = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path).stdout
    short = flake8("--select", "KRS103", str(fixture)).stdout
    assert "on line 7 returns only its last step" in long and "on line" not in short
    assert len(long.splitlines()) == len(short.splitlines()) > 0


def test_krs101_message_counts_parameters_and_warns_about_keras3(explained, reported) -> None:
    assert [text for line, _, code, text in reported["krs101_functional.py"] if line == 11] == [
        "TimeDistributed(Dense(15)) is redundant: its input (None, 64, 16) is already a sequence "
        "(fix: Dense(15))"
    ]
    found = {
        line: text for line, _, code, text in explained["krs101_functional.py"] if code == "KRS101"
    }
    assert "its input (None, 64, 16) from GRU(16, return_sequences=True) on line 10" in found[11]
    assert "the same 255 parameters" in found[11]
    assert "Keras 3 runs the wrapper once per timestep" in found[11]
    assert found[11].endswith("(fix: Dense(15))")
    assert "unwrapping changes behaviour" in found[34] and "activity_regularizer" in found[34]
    assert "unwrapping changes behaviour" not in found[11]


def test_krs103_names_the_layer_without_return_sequences(explained, reported) -> None:
    short = {line: text for line, _, code, text in reported["krs103_recurrent_needs_sequence.py"]}
    assert short[8].endswith("(fix: return_sequences=True on LSTM(64, ...))"), short[8]
    assert "(fix: a model input of shape (timesteps, features))" in short[21]
    found = {line: text for line, _, code, text in explained["krs103_recurrent_needs_sequence.py"]}
    assert "LSTM(64, input_shape=(30, 8)) on line 7 returns only its last step" in found[8]
    assert found[8].endswith("(fix: pass return_sequences=True to LSTM on line 7)")
    assert "it comes from Dense(8) on line 21, and the model input has no time axis" in found[21]


def test_krs201_message_depends_on_the_loss(explained, reported) -> None:
    short = {line: text for line, _, code, text in reported["krs201_last_step_targets.py"]}
    assert "; raises or broadcasts (fix: return_sequences=True)" in short[13]
    assert "; broadcasts silently (fix" in short[18]
    assert "; Keras raises (fix" in short[24]
    assert "; may broadcast (fix" in short[46]
    found = {line: text for line, _, code, text in explained["krs201_last_step_targets.py"]}
    assert "with mse Keras raises 'Incompatible shapes' on most batches" in found[13]
    assert "with mae the output is broadcast over the targets" in found[18]
    assert "with categorical_crossentropy Keras raises at fit" in found[24]
    assert "the model may train on broadcast targets" in found[46]
    assert "targets (1000, 64, 8)" in found[13]


def test_fixture_directory_is_not_empty() -> None:
    assert len(fixture_files()) >= 10, FIXTURES


def test_gate_is_one_rules_triggers_and_required_words() -> None:
    # the words the gate always had come first; new rules add theirs
    assert TRIGGERS[:4] == ("TimeDistributed", "LSTM", "GRU", "RNN")
    for rule in RULES:
        needed = "\n".join(group[0] for group in rule.requires)
        for word in rule.triggers:
            assert may_trigger(f"import keras\n{word}\n{needed}"), (rule.code, word)
            assert not may_trigger(f"import tensorflow\n{word}\n{needed}")
    assert not may_trigger("import keras\nprint(keras.__version__)")
    # library code that names layers but declares no input and trains nothing
    assert not may_trigger(
        "import keras\nclass Block(keras.layers.Layer):\n"
        "    def call(self, x):\n        return keras.layers.Dense(4)(keras.ops.add(x, x))\n"
    )
    assert may_trigger("import keras\nx = keras.Input((4,))\ny = keras.layers.Add()([x, x])\n")


def test_registry_codes_and_names_are_unique_and_documented() -> None:
    assert DOCUMENTED[0].code == INTERNAL_ERROR and DOCUMENTED[1:] == RULES
    assert len({r.code for r in DOCUMENTED}) == len({r.name for r in DOCUMENTED}) == len(DOCUMENTED)
    for rule in DOCUMENTED:
        assert re.fullmatch(r"KRS\d{3}", rule.code) and re.fullmatch(
            r"[a-z]+(-[a-z0-9]+)*", rule.name
        )
        assert rule.summary and rule.reported_at and rule.__doc__
    for rule in RULES:
        assert rule.triggers and rule.message


def test_details_are_made_once_when_first_read() -> None:
    """A diagnostic's explanation-only arguments are made when one is first read (flake8 prints
    headlines), once, and then read like the others; the headline never needs them."""
    import ast as ast_module

    from flake8_keras.analysis import analyze_tree
    from flake8_keras.rules.base import Args

    made: list[int] = []

    def details() -> dict[str, object]:
        made.append(1)
        return {"long": "a long description"}

    args = Args({"short": "s"}, details)
    assert made == []
    assert args["short"] == "s" and made == [1]  # any read completes the arguments
    assert dict(args) == {"short": "s", "long": "a long description"} and len(args) == 2
    assert args.get("missing") is None and made == [1]

    text = (
        "import keras\nfrom keras import layers\n"
        "x = keras.Input(shape=(5, 3))\n"
        "y = layers.LSTM(4)(x)\n"
        "z = layers.LSTM(2)(y)\n"
        "w = layers.TimeDistributed(layers.Dense(2))(layers.GRU(3, return_sequences=True)(x))\n"
    )
    found = {d.code: d for d in analyze_tree(ast_module.parse(text), text)}
    assert set(found) == {"KRS101", "KRS103"}
    for d in found.values():
        assert isinstance(d.args, Args) and d.args._all is None  # headline made without them
        assert "line" in d.explanation and d.args._all is not None


@pytest.mark.parametrize(
    ("call", "reasons"),
    [
        ("Dense(1)", ()),
        ("Dense(1, 'relu', True, 'zeros', 'zeros', None, None)", ()),  # 7 positional: safe
        ("Dense(1, 'relu', True, 'zeros', 'zeros', None, None, 'l2')", ("activity_regularizer",)),
        ("Dense(1, dtype='float16')", ("dtype",)),
        ("Dense(1, activity_regularizer='l2', dtype='float16')", ("activity_regularizer", "dtype")),
        ("Dense(1, **kw)", ("`**kw` may set activity_regularizer or dtype",)),
        ("Dense(1, **{'units': 2})", ()),
        ("Dense(*args)", ("`*args` may set activity_regularizer",)),
        ("Dense(*[1, 'relu'])", ()),
    ],
)
def test_the_fix_of_krs101_says_what_unwrapping_may_change(
    call: str, reasons: tuple[str, ...]
) -> None:
    """What unwrapping the inner Dense changes (arguments TimeDistributed ignores); a call
    with few positional arguments and none of them by keyword takes the short way."""
    node = ast.parse(call, mode="eval").body
    assert isinstance(node, ast.Call)
    args, _, _ = Interpreter().call_arguments(node, Scope())
    assert isinstance(args, CallArgs)
    assert unsafe_fix_reasons(Layer("Dense", node, args)) == reasons


def test_rules_about_one_kind_of_layer_read_its_applications_in_order() -> None:
    """``ModelGraph.apps_of``: the applications of these classes, in the graph's order; the
    recurrent classes are every spec that says so (what KRS103 reads)."""
    source = (
        "from keras import layers, Input\n"
        "x = Input(shape=(5, 3))\n"
        "x = layers.LSTM(4, return_sequences=True)(x)\n"
        "x = layers.TimeDistributed(layers.Dense(2))(x)\n"
        "x = layers.GRU(4, return_sequences=True)(x)\n"
        "x = layers.TimeDistributed(layers.Dense(1))(x)\n"
    )
    graph = build_graph(ast.parse(source), source)
    names = [app.layer.name for app in graph.apps_of(("TimeDistributed", "GRU", "LSTM"))]
    assert names == ["LSTM", "TimeDistributed", "GRU", "TimeDistributed"]
    assert [app.node.lineno for app in graph.apps_of(("TimeDistributed",))] == [4, 6]
    assert graph.apps_of(("Conv2D",)) == []
    assert {n for n in LAYERS if LAYERS[n].recurrent} == RECURRENT_LAYERS
    assert {"LSTM", "GRU", "SimpleRNN", "Bidirectional", "RNN", "ConvLSTM2D"} <= RECURRENT_LAYERS
    assert all(is_recurrent(app.layer) for app in graph.apps_of(RECURRENT_LAYERS))


@pytest.mark.parametrize(
    "source",
    [
        "layers.TimeDistributed(layers.Dense(16, activation='relu'))",
        "TimeDistributed(Dense(1))",
        "layers.TimeDistributed(head, name='per_step')",
        "layers.TimeDistributed(layers.Dense(units=4, kernel_initializer=init.glorot()), x=1)",
        "TimeDistributed(layers.Dense(8, **extra), *rest)",
        "TimeDistributed(Dense(*sizes))",
    ],
)
def test_describe_wrapped_names_as_brief_and_describe_do(source: str) -> None:
    """``describe_wrapped`` writes the inner call once; it says what the three calls say."""
    from flake8_keras.rules.describe import brief, describe, describe_wrapped

    call = ast.parse(source, mode="eval").body
    assert isinstance(call, ast.Call)
    head = ast.parse("Dense(3)", mode="eval").body  # a layer bound to a name: its own call
    inner_node = call.args[0] if isinstance(call.args[0], ast.Call) else head
    assert isinstance(inner_node, ast.Call)
    wrapper, inner = Layer("TimeDistributed", call), Layer("Dense", inner_node)
    assert describe_wrapped(wrapper, inner) == (brief(wrapper), describe(inner), brief(inner))
