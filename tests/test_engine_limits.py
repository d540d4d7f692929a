"""The engine's budgets (issue 9): hostile files stay bounded, failures cost one statement.

Each hostile file below ends with a real mistake (KRS103) that must still be reported, and the
engine must neither raise, nor report an internal error (KRS001), nor pass its time or memory
guard. The guards are generous wall-clock limits, not timing asserts: before the fix each of
these files took from 8 s to hours, or gigabytes. ``bench/robustness.py`` times the same files
against flake8's own time.
"""

from __future__ import annotations

import ast
import inspect
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import HEAD, HOSTILE, KRS103_COL, TAIL, hostile_source, krs103_line
from test_never_crash import deadline

from conftest import flake8
from flake8_keras import analysis
from flake8_keras.analysis import INTERNAL_ERROR, analyze_source, analyze_tree
from flake8_keras.engine.budget import MAX_TUPLE_NODES, TupleSizes
from flake8_keras.engine.values import Const, Items
from flake8_keras.keras.layers import LAYERS, LayerSpec
from flake8_keras.plugin import KerasChecker
from flake8_keras.rules import RULES

SECONDS = 5  # generous: each file takes well under a second now
MEMORY_BYTES = 1 << 30  # the address space of the checking process; the bombs needed 1.6-34 GB


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_bounded_and_keeps_its_findings(name: str) -> None:
    """In a separate process limited to 1 GB and 5 s: the engine, then the plugin."""
    text = hostile_source(name)
    script = (
        "import ast, sys\n"
        "from flake8_keras.analysis import analyze_tree\n"
        "from flake8_keras.plugin import KerasChecker\n"
        "text = sys.stdin.read()\n"
        "tree = ast.parse(text)\n"
        "for d in analyze_tree(tree, text):\n"
        "    print('engine', d.line, d.code)\n"
        "for line, col, message, _ in KerasChecker(tree, text.splitlines(True)).run():\n"
        "    print('plugin', line, message.split()[0])\n"
    )

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))

    result = subprocess.run(
        [sys.executable, "-c", script],
        input=text,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=limit_memory,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    line = krs103_line(text)
    assert result.stdout.splitlines() == [f"engine {line} KRS103", f"plugin {line} KRS103"]


def test_hostile_files_through_real_flake8(tmp_path: Path) -> None:
    """What the user runs: each file's KRS103 is reported, nothing else, no traceback."""
    want = []
    for index, name in enumerate(sorted(HOSTILE)):
        path = tmp_path / f"hostile_{index}.py"
        text = hostile_source(name)
        path.write_text(text)
        want.append(f"{path}:{krs103_line(text)}:{KRS103_COL + 1}: KRS103")
    result = flake8("--select=KRS", str(tmp_path))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    got = sorted(" ".join(line.split(" ", 2)[:2]) for line in result.stdout.splitlines())
    assert got == sorted(want)


def test_budgets_make_values_unknown_not_wrong() -> None:
    """Past a budget the value is Unknown: a model built from it is silent, not misreported."""
    text = HEAD + (
        "t = (0,)\n" + "t = t + t\n" * 27 + "d = np.zeros((10, 3, 2))[:]\n"
        "m = Sequential([LSTM(4, input_shape=(3, 2)), Dense(1)])\n"
        "m.compile(loss='mse')\nm.fit(d, np.array(t))\n"  # the targets are Unknown: no claim
    )
    assert [d.code for d in analyze_source(text)] == []


def test_small_folds_still_work() -> None:
    """The budgets do not touch ordinary code: small tuples, loops and literal arrays fold."""
    text = HEAD + (
        "shape = (3,) + (2,)\nfor units in [8, 4]:\n    pass\n"
        "x = np.array([[1, 2], [3, 4]] + [[5, 6]])\n"
        "m = Sequential([LSTM(4, return_sequences=True, input_shape=shape), Dense(2)])\n"
        "m.compile(loss='categorical_crossentropy')\nm.fit(np.zeros((3, 3, 2)), x)\n"
    )
    codes = [d.code for d in analyze_source(text)]
    assert codes == ["KRS202"], codes  # (3, 2) targets vs a (None, 3, 2) sequence output


def _reference_size(value: object) -> tuple[int, int, tuple[int, ...] | None]:
    """A tuple measured by the definition (the tree it prints as), with no shortcut."""
    if isinstance(value, (Const, Items)):
        return _reference_size(value.value if isinstance(value, Const) else value.items)
    if not isinstance(value, tuple):
        return 1, 0, ()
    parts = [_reference_size(item) for item in value]
    shapes = {dims for _, _, dims in parts}
    inner = shapes.pop() if len(shapes) == 1 else None
    dims = (len(value), *inner) if inner is not None else None
    nodes = 1 + sum(n for n, _, _ in parts)
    return nodes, 1 + max((d for _, d, _ in parts), default=0), dims if value else (0,)


@pytest.mark.parametrize(
    "value",
    [
        (),
        (7,),
        (30, 6),
        (None, 5),
        ("a", 1.5, True),
        ((1, 2), (3, 4)),
        (1, (2,)),
        ((), ()),
        Const((3, 4)),
        Items((Const(1), Const(2))),
        Items((Const((1, 2)), Const((3, 4)))),
    ],
)
def test_tuple_sizes_agree_with_their_definition(value: object) -> None:
    """Flat tuples take a shortcut (no walk, no memo entry); every size stays as defined."""
    size = TupleSizes().of(value)
    assert (size.nodes, size.depth, size.dims) == _reference_size(value)


def test_a_flat_tuple_past_the_budget_does_not_fit() -> None:
    size = TupleSizes().of(tuple(range(MAX_TUPLE_NODES + 5)))
    assert not size.fits() and size.dims is None


# -------------------------------------------------------------------------- isolation

ISOLATED = HEAD + (
    "x = keras.Input(shape=(10, 4))\n"  # 5
    "x = Dropout(0.1)(x)\n"  # 6: the injected failure
    "y = LSTM(4)(x)\n" + TAIL  # 7: x is Unknown after the failure: no claim  # 8: still reported
)


@pytest.fixture
def failing_dropout() -> Iterator[None]:
    """Inject an engine bug: the shape function of Dropout raises."""

    def broken(layer: object, inputs: object) -> None:
        raise IndexError("injected")

    saved = LAYERS["Dropout"]
    LAYERS["Dropout"] = LayerSpec(broken)
    try:
        yield
    finally:
        LAYERS["Dropout"] = saved


def test_failing_statement_costs_only_itself(failing_dropout: None) -> None:
    text = ISOLATED
    found = analyze_source(text)
    assert [(d.line, d.code) for d in found] == [(6, INTERNAL_ERROR), (8, "KRS103")]
    assert found[0].message == (
        "KRS001 flake8-keras internal error (IndexError) while analysing this statement; "
        "the rest of the file was checked; please report it"
    )
    assert found[0].app is None and found[0].fit is None
    lines = text.splitlines(keepends=True)
    reported = [(r[0], r[1], r[2].split()[0]) for r in KerasChecker(ast.parse(text), lines).run()]
    assert reported == [(6, 0, INTERNAL_ERROR), (8, KRS103_COL, "KRS103")]


def test_failure_inside_a_branch_and_a_loop(failing_dropout: None) -> None:
    text = HEAD + (
        "x = keras.Input(shape=(10, 4))\n"
        "for units in [4, 8]:\n"
        "    if units > 4:\n"
        "        x = Dropout(0.1)(x)\n"  # 8
        "    z = 1\n" + TAIL  # 10
    )
    found = analyze_source(text)
    assert [(d.line, d.code) for d in found] == [(8, INTERNAL_ERROR), (10, "KRS103")]


def test_internal_error_respects_codes(failing_dropout: None) -> None:
    tree = ast.parse(ISOLATED)
    assert [d.code for d in analyze_tree(tree, ISOLATED, codes={"KRS103"})] == ["KRS103"]
    only = analyze_tree(tree, ISOLATED, codes={INTERNAL_ERROR})
    assert [d.code for d in only] == [INTERNAL_ERROR]


def test_failing_rule_costs_only_that_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(graph: object) -> Iterator[object]:
        raise KeyError("injected")
        yield  # a generator, like the rules

    rule = next(r for r in RULES if r.code == "KRS101")
    monkeypatch.setattr(rule, "check", broken)
    text = HEAD + TAIL
    found = analyze_source(text)
    assert [(d.line, d.code) for d in found] == [(1, INTERNAL_ERROR), (5, "KRS103")]
    assert "(KeyError) in rule KRS101" in found[0].message


def test_plugin_last_resort_reports_instead_of_hiding(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[object]:
        raise RuntimeError("injected")

    monkeypatch.setattr(analysis, "analyze_tree", broken)  # the plugin imports it when run
    text = HEAD + TAIL
    reported = list(KerasChecker(ast.parse(text), text.splitlines(keepends=True)).run())
    assert [(r[0], r[1]) for r in reported] == [(1, 0)]
    assert reported[0][2].startswith("KRS001 flake8-keras internal error (RuntimeError)")


def test_deep_recursion_is_isolated_too() -> None:
    """A RecursionError in one statement (Python's own limit) costs that statement only."""
    limit = sys.getrecursionlimit()
    text = HEAD + "x = " + "[" * 150 + "1" + "]" * 150 + "\n" + TAIL
    tree = ast.parse(text)
    # far below what 150 nested lists need (two frames each), plenty for the other statements
    sys.setrecursionlimit(len(inspect.stack()) + 120)
    try:
        with deadline(SECONDS):
            found = analyze_tree(tree, text)
    finally:
        sys.setrecursionlimit(limit)
    assert [(d.line, d.code) for d in found] == [(5, INTERNAL_ERROR), (6, "KRS103")]
    assert "(RecursionError)" in found[0].message
