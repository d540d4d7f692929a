"""Pathological inputs (huge, deeply nested, odd encodings, other syntax): none raises or hangs.

Each input goes through ``analyze_tree`` (the engine path that raises on engine bugs, so they
show here) and through the plugin class; the encoding cases also through real flake8.
"""

from __future__ import annotations

import ast
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, flake8
from flake8_keras.analysis import INTERNAL_ERROR, analyze_tree
from flake8_keras.plugin import KerasChecker

sys.path.insert(0, str(ROOT / "bench"))
from corpus import script
from test_never_crash import FUZZ_EXAMPLES, keras_programs

HEAD = (
    "import keras\nfrom keras import layers\n"
    "from keras.layers import LSTM, Dense, TimeDistributed\n"
)
# A KRS101 case: the wrapper's input is a sequence, so TimeDistributed(Dense) is redundant.
MODEL = (
    "model = keras.Sequential([\n"
    "    keras.Input(shape=(10, 4)),\n"
    "    LSTM(8, return_sequences=True),\n"
    "    TimeDistributed(Dense(3)),\n"
    "])\n"
)


def engine(text: str) -> list[tuple[int, int, str]]:
    """The engine's findings; an internal error (KRS001, an isolated engine bug) fails the test."""
    tree = ast.parse(text)
    found = [(d.line, d.byte_col, d.code) for d in analyze_tree(tree, text)]
    assert not [f for f in found if f[2] == INTERNAL_ERROR], found
    return found


def plugin(text: str) -> list[tuple[int, int, str]]:
    """What flake8 gets from the plugin for this text (its tree and physical lines)."""
    lines = text.splitlines(keepends=True)
    checker = KerasChecker(ast.parse(text), lines, "t.py")
    return [(line, col, message.split(" ", 1)[0]) for line, col, message, _ in checker.run()]


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def test_large_files_grow_linearly() -> None:
    sizes = (5_000, 10_000, 50_000)
    times, counts = [], []
    for size in sizes:
        text = script(7, size)
        assert text.count("\n") >= size
        # best of three: one cold run on a loaded machine can cost several times a warm one
        # (two suites sharing two cores gave 0.11 s at 5k lines and 3.6 s at 50k, best of two)
        found, seconds = timed(engine, text)
        seconds = min(seconds, timed(engine, text)[1], timed(engine, text)[1])
        times.append(seconds)
        counts.append(len(found))
    pairs = zip(sizes, times, strict=True)
    print("engine time by size: " + ", ".join(f"{s} lines {t:.3f}s" for s, t in pairs))
    assert all(counts), counts  # the generated scripts do trigger the rules
    assert counts[2] >= 8 * counts[0]
    assert times[2] < 60  # generous: about 2.5 s here
    # linear growth means ~10x from 5k to 50k; quadratic would be ~100x
    assert times[2] < 30 * max(times[0], 0.01), times
    assert plugin(script(7, 50_000))  # the plugin path too


@pytest.mark.parametrize(
    "name, expr",
    [
        ("parentheses", "(" * 180 + "x" + ")" * 180),
        ("calls", "f(" * 180 + "x" + ")" * 180),
        ("lists", "[" * 180 + "x" + "]" * 180),
        ("layer calls", "Dense(1)(" * 180 + "x" + ")" * 180),
        ("tuples", "(x, " * 180 + "x" + ")" * 180),
        ("subscripts", "x" + "[0]" * 2_000),
        ("attributes", "x" + ".a" * 2_000),
        ("binop chain", " + ".join(["x"] * 2_000)),
        ("comparisons", " < ".join(["x"] * 2_000)),
        ("boolean chain", " and ".join(["x"] * 5_000)),
        ("unary", "-" * 400 + "x"),
        ("conditional", "x if x else " * 150 + "x"),
        ("lambda", "lambda: " * 150 + "x"),
    ],
)
def test_deep_expressions(name: str, expr: str) -> None:
    text = HEAD + "x = keras.Input(shape=(10, 4))\ny = " + expr + "\n" + MODEL
    try:
        ast.parse(text)
    except (RecursionError, MemoryError, SyntaxError):
        pytest.fail(f"Python itself cannot parse the {name} case: make it smaller")
    assert (9, 4, "KRS101") in engine(text)  # the model after it is still analysed
    assert (9, 4, "KRS101") in plugin(text)


def test_deep_statements() -> None:
    nested_ifs = "".join("    " * i + f"if x{i}:\n" for i in range(90)) + "    " * 90 + "pass\n"
    elifs = "if x == 0:\n    y = 0\n"
    elifs += "".join(f"elif x == {i}:\n    y = {i}\n" for i in range(400))
    nested_defs = "".join("    " * i + f"def f{i}():\n" for i in range(90)) + "    " * 90 + "pass\n"
    loops = "".join("    " * i + f"for i{i} in range(2):\n" for i in range(90))
    loops += "    " * 90 + "x = LSTM(4)(x)\n"
    for body in (nested_ifs, elifs, nested_defs, loops):
        text = HEAD + body + MODEL
        line = text.count("\n") - 1
        result, seconds = timed(engine, text)
        assert (line, 4, "KRS101") in result
        assert seconds < 20


def test_ten_thousand_layers_in_one_sequential() -> None:
    body = "".join("    layers.Dropout(0.1),\n" for _ in range(10_000))
    text = (
        HEAD + "model = keras.Sequential([\n    keras.Input(shape=(10, 4)),\n"
        "    LSTM(8, return_sequences=True),\n" + body + "    TimeDistributed(Dense(3)),\n])\n"
    )
    result, seconds = timed(engine, text)
    print(f"10,000 layers: {seconds:.3f}s")
    assert result == [(10_007, 4, "KRS101")]
    assert plugin(text) == [(10_007, 4, "KRS101")]
    assert seconds < 30


def test_thousand_layers_added_in_a_loop_and_unrolled() -> None:
    loop = (
        HEAD + "model = keras.Sequential()\nmodel.add(keras.Input(shape=(10, 4)))\n"
        "for i in range(1000):\n    model.add(LSTM(8, return_sequences=True))\n"
        "model.add(TimeDistributed(Dense(3)))\n"
    )
    assert engine(loop) == plugin(loop)  # after the loop the model is unknown: nothing to claim
    unrolled = (
        HEAD
        + "model = keras.Sequential()\nmodel.add(keras.Input(shape=(10, 4)))\n"
        + "model.add(LSTM(8, return_sequences=True))\n" * 1000
        + "model.add(TimeDistributed(Dense(3)))\n"
    )
    result, seconds = timed(engine, unrolled)
    assert result == [(1006, 10, "KRS101")]
    assert seconds < 30


def test_mutually_calling_helpers_stay_bounded() -> None:
    # Helper functions that all call each other: evaluating calls must not explode combinatorially.
    helpers = "".join(
        f"def f{i}(x):\n"
        + "".join(f"    x = f{j}(x)\n" for j in range(30) if j != i)
        + "    return LSTM(4, return_sequences=True)(x)\n\n"
        for i in range(30)
    )
    text = HEAD + helpers + "x = f0(keras.Input(shape=(10, 4)))\n" + MODEL
    result, seconds = timed(engine, text)
    print(f"30 mutually calling helpers: {seconds:.3f}s")
    assert seconds < 20
    assert (text.count("\n") - 1, 4, "KRS101") in result


# --------------------------------------------------------------- encodings and odd characters

BASE = HEAD + "x = keras.Input(shape=(10, 4))\nh = LSTM(8, return_sequences=True)(x)\n"
CALL = "out = TimeDistributed(Dense(3))(h)\n"
EXPECTED = [(6, 6, "KRS101")]


def _variants() -> dict[str, bytes]:
    text = BASE + CALL
    return {
        "plain": text.encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
        "bom": b"\xef\xbb\xbf" + text.encode(),
        "tabs": (
            HEAD + "if True:\n\tx = keras.Input(shape=(10, 4))\n"
            "\th = LSTM(8, return_sequences=True)\\\n\t\t(x)\n\tout = TimeDistributed("
            "Dense(3))(h)\n"
        ).encode(),
        "form feed": (
            HEAD + "\f\nx = keras.Input(shape=(10, 4))\f\n"
            "h = LSTM(8, return_sequences=True)(x)\n\f" + CALL
        ).encode(),
        # a latin-1 file with a coding cookie and a non-ASCII character before the call
        "latin-1": ("# -*- coding: latin-1 -*-\n" + BASE + "s = 'caf\xe9'; " + CALL).encode(
            "latin-1"
        ),
        "utf-8 wide": (BASE + "s = '\u00e9\u4e2d\U0001f600'; " + CALL).encode(),
    }


# (line, character column) of the TimeDistributed call in each variant
_WHERE = {
    "plain": (6, 6), "crlf": (6, 6), "bom": (6, 6), "tabs": (8, 7), "form feed": (7, 7),
    "latin-1": (7, 18), "utf-8 wide": (6, 17),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_variants()))
def test_encodings_and_whitespace_in_process(name: str) -> None:
    import io
    import tokenize

    data = _variants()[name]
    text = io.TextIOWrapper(
        io.BytesIO(data),
        encoding=tokenize.detect_encoding(io.BytesIO(data).readline)[0],
        newline="",
    ).read()
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    codes = [d.code for d in analyze_tree(tree, text)]
    assert codes == ["KRS101"]
    found = [(line, col, m.split(" ", 1)[0]) for line, col, m, _ in KerasChecker(tree, lines).run()]
    assert found == [(*_WHERE[name], "KRS101")]


def test_encodings_through_flake8(tmp_path: Path) -> None:
    for name, data in _variants().items():
        (tmp_path / f"{name.replace(' ', '_')}.py").write_bytes(data)
    result = flake8("--select=KRS", str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    got = sorted(line.split(": ", 1)[0] for line in result.stdout.splitlines())
    want = sorted(
        f"{tmp_path / (name.replace(' ', '_') + '.py')}:{line}:{col + 1}"
        for name, (line, col) in _WHERE.items()
    )
    assert got == want


# ------------------------------------------------------------------ syntax of other Pythons

PY2 = HEAD + "print 'training'\nexec 'x = 1'\n" + MODEL


def test_python2_file_is_quiet(tmp_path: Path) -> None:
    with pytest.raises(SyntaxError):
        ast.parse(PY2)
    path = tmp_path / "py2.py"
    path.write_text(PY2)
    result = flake8(str(path))
    assert "E999" in result.stdout
    assert "KRS" not in result.stdout
    assert "Traceback" not in result.stderr


def test_nested_fstrings_and_new_syntax_of_this_python() -> None:
    text = (
        HEAD + "name = 'lstm'\nlabel = f\"{name!r:>{10}} {f'{name}'}\"\n"
        "match label:\n    case 'a':\n        pass\n    case _:\n        pass\n" + MODEL
    )
    assert (14, 4, "KRS101") in engine(text)


@pytest.mark.skipif(
    sys.version_info < (3, 12),
    reason="type statements, PEP 695 generics and "
    "PEP 701 f-strings need Python 3.12+; this interpreter lacks them",
)
def test_python312_syntax(tmp_path: Path) -> None:
    text = (
        HEAD + "type Shape = tuple[int, ...]\n"
        "def first[T](xs: list[T]) -> T:\n    return xs[0]\n"
        "class Box[T]:\n    pass\n"
        'label = f"{\'a\' + f"{f"{\'deep\'}"}"}"\n' + MODEL
    )
    line = text.count("\n") - 1
    assert (line, 4, "KRS101") in engine(text)
    assert (line, 4, "KRS101") in plugin(text)
    path = tmp_path / "py312.py"
    path.write_text(text)
    result = flake8("--select=KRS", str(path))
    assert f"{path}:{line}:5: KRS101" in result.stdout


# ------------------------------------------------------------------------ the fixer, fuzzed


@settings(max_examples=FUZZ_EXAMPLES * 2, derandomize=True, deadline=None)
@given(keras_programs(), st.booleans())
def test_fuzz_fixer_output_parses_and_is_idempotent(text: str, unsafe: bool) -> None:
    from flake8_keras.fix import fix_source

    first = fix_source(text, unsafe=unsafe)
    ast.parse(first.text)  # the fixer's output always parses
    again = fix_source(first.text, unsafe=unsafe)
    assert again.text == first.text  # and fixing it again changes nothing
    assert not again.fixed
