"""The Keras-free engine: joins at merges, the one argument binder, and the hook registry."""

from __future__ import annotations

import ast
import pickle
import re
from collections import Counter

import pytest

from flake8_keras.analysis import analyze_source
from flake8_keras.engine import callsites, word_lines
from flake8_keras.engine.calls import NO_KEYWORDS, CallArgs
from flake8_keras.engine.callsites import scan
from flake8_keras.engine.hooks import CallContext, Hooks
from flake8_keras.engine.interpreter import Interpreter
from flake8_keras.engine.relevance import Relevance
from flake8_keras.engine.scope import Scope
from flake8_keras.engine.values import MISSING, UNKNOWN, Const, Items, SymbolRef, Value, join
from flake8_keras.engine.word_lines import lines_naming, word_positions
from flake8_keras.keras.construct import KerasSemantics
from flake8_keras.keras.model import Shape, Tensor


def run(source: str, hooks: Hooks | None = None) -> Scope:
    scope = Scope()
    Interpreter(hooks).exec_block(ast.parse(source).body, scope)
    return scope


def codes(source: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in analyze_source(source)]


# ------------------------------------------------------------------------ join


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # branches that agree keep the value (it was Unknown before issue 10)
        ("if f:\n    units = 64\nelse:\n    units = 64\n", Const(64)),
        ("if f:\n    s = (10, 4)\nelse:\n    s = (10, 4)\n", Const((10, 4))),
        ("units = 64\nif f:\n    units = 64\n", Const(64)),
        ("units = 64\nfor i in g():\n    units = 64\n", Const(64)),
        ("units = 64\nwhile f:\n    units = 64\n", Const(64)),
        ("try:\n    units = 64\nexcept E:\n    units = 64\n", Const(64)),
        ("def g():\n    if f:\n        return 8\n    return 8\nunits = g()\n", Const(8)),
        ("units = 64 if f else 64\n", Const(64)),
        # branches that disagree: Unknown
        ("if f:\n    units = 64\nelse:\n    units = 32\n", UNKNOWN),
        ("units = 64\nif f:\n    units = 32\n", UNKNOWN),
        ("units = 64\nfor i in g():\n    units = units * 2\n", UNKNOWN),
        ("if f:\n    units = 64\n", UNKNOWN),  # unbound on one path
        ("if f:\n    units = 1\nelse:\n    units = 1.0\n", UNKNOWN),  # 1 == 1.0, folds apart
        ("if f:\n    units = 1\nelse:\n    units = True\n", UNKNOWN),
        ("if f:\n    s = (1, 2)\nelse:\n    s = (1.0, 2)\n", UNKNOWN),
        ("def g():\n    if f:\n        return 8\n    return 4\nunits = g()\n", UNKNOWN),
    ],
)
def test_join_at_merges(source: str, expected: Value) -> None:
    value = run(source).vars.get("units", run(source).vars.get("s"))
    assert value == expected
    if isinstance(expected, Const):
        assert type(value.value) is type(expected.value)  # type: ignore[union-attr]


def test_join_per_kind() -> None:
    assert join(Items((Const(1), UNKNOWN)), Items((Const(1), UNKNOWN))) == Items(
        (Const(1), UNKNOWN)
    )
    assert join(Items((Const(1),)), Items((Const(2),))) == Items((UNKNOWN,))
    assert join(Items((Const(1),)), Items((Const(1), Const(2)))) is UNKNOWN
    assert join(SymbolRef("numpy.zeros"), SymbolRef("numpy.zeros")) == SymbolRef("numpy.zeros")
    assert join(SymbolRef("numpy.zeros"), SymbolRef("numpy.ones")) is UNKNOWN
    assert join(Const(3), Items((Const(3),))) is UNKNOWN
    a, b = Tensor(Shape((10, 3))), Tensor(Shape((10, 3)))
    joined = join(a, b)
    assert isinstance(joined, Tensor) and joined.shape == Shape((10, 3))
    assert join(a, Tensor(Shape((10, 4)))) is UNKNOWN
    assert join(Tensor(None), Tensor(None)) is UNKNOWN  # nothing certain to keep
    # a different producing layer call: rules cite the producer, so the join cannot pick one
    other = Tensor(Shape((10, 3)), producer=object())  # type: ignore[arg-type]
    assert join(a, other) is UNKNOWN


KRS103_AGREE = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense
if flag:
    shape = (10,)
else:
    shape = (10,)
model = Sequential([Dense(4, input_shape=shape), LSTM(8)])
"""

KRS101_AGREE = """\
from keras import layers
x = layers.Input(shape=(20, 8))
if flag:
    seq = True
else:
    seq = True
h = layers.LSTM(16, return_sequences=seq)(x)
y = layers.TimeDistributed(layers.Dense(3))(h)
"""

KRS201_AGREE = """\
import numpy as np
from keras import layers, models
if flag:
    y = np.zeros((100, 20, 1))
else:
    y = np.zeros((100, 20, 1))
model = models.Sequential([layers.Input(shape=(20, 8)), layers.LSTM(16), layers.Dense(4)])
model.compile(loss="mse")
model.fit(np.zeros((100, 20, 8)), y)
"""


@pytest.mark.parametrize(
    ("source", "code", "line", "disagree"),
    [
        (KRS103_AGREE, "KRS103", 7, ("shape = (10,)", "shape = (20, 10)", 1)),
        (KRS101_AGREE, "KRS101", 8, ("seq = True", "seq = False", 1)),
        (KRS201_AGREE, "KRS201", 9, ("np.zeros((100, 20, 1))", "np.zeros((100, 4))", 1)),
    ],
)
def test_branches_that_agree_are_flagged_and_disagree_are_not(
    source: str, code: str, line: int, disagree: tuple[str, str, int]
) -> None:
    assert (code, line) in codes(source)
    old, new, count = disagree
    changed = source.replace(old, new, count)
    assert changed != source
    assert [c for c in codes(changed) if c[0] == code] == []


# --------------------------------------------------------------------- binder


def test_one_binder_for_values_and_expressions() -> None:
    node = ast.parse("f(1, x, *rest, k=2)").body[0].value  # type: ignore[attr-defined]
    scope = Scope()
    call, _, _ = Interpreter().call_arguments(node, scope)
    assert call.value("a", 0) == Const(1)
    assert call.value("k") == Const(2)
    assert call.value("c", 2) is UNKNOWN  # may be inside *rest
    assert call.value("only_keyword") is MISSING  # *rest cannot pass a keyword
    assert call.expression("b", 1) is node.args[1]
    assert call.expression("c", 2) is None
    assert call.expression("k") is node.keywords[0].value
    plain = CallArgs((Const(1),), {})
    assert plain.value("b", 1) is MISSING
    assert CallArgs(open_kwargs=True).value("b", 1) is UNKNOWN


def test_arrays_read_arguments_through_the_binder() -> None:
    """``*args``/``**kwargs`` hide arguments: the shape is Unknown, not a guess."""
    hooks = KerasSemantics().hooks
    scope = run(
        "import numpy as np\nb = np.zeros((4, 3))\nr = np.random.rand(*dims)\n"
        "s = np.stack([b, b], **kw)\nt = b.reshape(*shape)\nu = np.stack([b, b])\n",
        hooks,
    )
    assert scope.vars["r"] is UNKNOWN
    assert scope.vars["s"] is UNKNOWN
    assert scope.vars["t"] is UNKNOWN
    u = scope.vars["u"]
    assert isinstance(u, Tensor) and u.shape == Shape((2, 4, 3))


# ---------------------------------------------------------------------- hooks


def test_without_hooks_the_engine_is_plain_python() -> None:
    scope = run("import numpy as np\nfrom keras.layers import Dense\nx = np.zeros((3, 4))\n")
    assert scope.vars["np"] is UNKNOWN  # no library taught it modules
    assert scope.vars["x"] is UNKNOWN


def test_hooks_by_name_by_kind_and_by_provider() -> None:
    seen: list[str] = []

    def zeros(context: CallContext) -> Value:
        seen.append(f"call {context.args.value('shape', 0)}")
        return Const("array")

    hooks = Hooks(canonical_module=lambda path: path if path.startswith("lib") else None)
    hooks.calls["lib.zeros"] = zeros
    hooks.call_providers.append(lambda name: zeros if name.endswith(".any") else None)
    hooks.attributes[(Const, "size")] = lambda value: Const(5)
    hooks.call_observers.append(lambda node, func, call: seen.append(f"saw {ast.unparse(node)}"))
    scope = run(
        "import lib\na = lib.zeros(3)\nb = lib.sub.any((2,))\nc = lib.other(1)\nd = a.size\n",
        hooks,
    )
    assert scope.vars["a"] == Const("array")
    assert scope.vars["b"] == Const("array")
    assert scope.vars["c"] is UNKNOWN
    assert scope.vars["d"] == Const(5)
    assert seen == [
        "saw lib.zeros(3)",
        "call Const(value=3)",
        "saw lib.sub.any((2,))",
        "call Const(value=(2,))",
        "saw lib.other(1)",
    ]


def test_observers_with_keywords_see_only_the_calls_that_pass_one() -> None:
    """An observer that names its keywords is handed only the calls that pass one of them or a
    ``**`` (which may hold one), whatever is called; the others cost it nothing."""
    seen: list[str] = []
    hooks = Hooks(canonical_module=lambda path: path if path.startswith("lib") else None)
    hooks.call_observers.append(lambda node, func, call: seen.append(ast.unparse(node)))
    hooks.observed_keywords.add("nb_epoch")
    run(
        "import lib\nkw = {}\nlib.fit(1)\nlib.fit(1, nb_epoch=2)\nlib.fit(x=1)\n"
        "lib.fit(**kw)\nunknown(nb_epoch=3)\nunknown(4)\n",
        hooks,
    )
    assert seen == ["lib.fit(1, nb_epoch=2)", "lib.fit(**kw)", "unknown(nb_epoch=3)"]


def test_a_call_statement_does_not_evaluate_the_function_for_its_value() -> None:
    """``train(model)`` drops its value: the function is not run at the call site (its own
    analysis records what it does); so does ``print(build())``, whose value only a function
    not followed receives, and ``net = build()`` when the file never names ``net`` again.
    ``x = build()`` with ``x`` read later and ``(build(),)`` use it: it is run."""
    source = (
        "def build(n):\n    return [n]\n"
        "build(1)\n"  # dropped: not run
        "x = build(2)\n"  # used (read below)
        "print(build(3))\n"  # handed to an unknown function: not run
        "y = (build(4),)\n"  # used (read below)
        "net = build(5)\n"  # never read: not run
        "net_2 = build(6)\n"  # read by a string: run (the text decides, not the code)
        "print(x, y, 'net_2')\n"
    )
    interpreter = Interpreter()
    interpreter.run_module(ast.parse(source), source)
    assert interpreter.calls_evaluated == 3
    scope = Scope()
    Interpreter().exec_block(ast.parse(source).body, scope)  # no text: every value is read
    assert scope.vars["x"] == Const((2,))  # [n] with n = 2, folded
    assert scope.vars["net"] == Const((5,))


def test_a_function_without_return_is_not_run_for_its_value() -> None:
    """Its value is Unknown at every call: it is not run, and costs none of the file's budget of
    evaluated calls. A ``return`` in a nested block counts; one in a nested function does not."""
    source = (
        "def log(x):\n    print(x)\n    def inner():\n        return 1\n"
        "def pick(flag):\n    if flag:\n        for i in range(3):\n            return i\n"
        "a = log(1)\n"  # not run
        "b = pick(True)\n"  # run
    )
    interpreter = Interpreter()
    scope = Scope()
    interpreter.exec_block(ast.parse(source).body, scope)
    assert interpreter.calls_evaluated == 1
    assert scope.vars["a"] is UNKNOWN


def _big_module(body: str) -> str:
    """``body`` among helper functions that record nothing (skipped by ``engine.relevance``)."""
    filler = "".join(f"def helper_{i}(a):\n    return a + {i}\n" for i in range(16))
    return "import numpy as np\nfrom keras import layers, Input, Sequential\n" + filler + body


def _relevance(source: str) -> tuple[ast.Module, Scope, Relevance]:
    """The module run as the interpreter runs it, and the relevance test of its bodies."""
    tree = ast.parse(source)
    hooks = KerasSemantics().hooks
    scope = Scope()
    interpreter = Interpreter(hooks)
    interpreter.frozen = scan(tree, source).frozen_dicts  # as ``run_module`` does
    interpreter.exec_block(tree.body, scope)
    words = hooks.recording_words | hooks.observed_keywords
    return tree, scope, Relevance(source, words, hooks.recording_symbol)


def test_bodies_that_name_nothing_able_to_record_are_not_analysed() -> None:
    tree, scope, relevance = _relevance(
        _big_module(
            "from keras import ops, layers as L\n"
            "RNN = layers.LSTM\n"
            "UNITS = 3\n"
            "model = Sequential([Input(shape=(5, 2)), layers.LSTM(4)])\n"
            "def builds():\n    return layers.Dense(3)\n"
            "BUILDERS = {'dense': builds}\n"
            "def trains():\n    model.fit(np.zeros((8, 5, 2)), np.zeros((8, 4)))\n"
            "def plots(history):\n    print(history)  # only prints\n"
            "def calls_builder(x):\n    net = builds()\n    net.fit(x, x)\n"
            "def picks_builder():\n    return BUILDERS['dense']()\n"
            "def alias():\n    return RNN(UNITS)\n"
            "def merges(a, b):\n    return L.add([a, b])\n"
            "def tensor_ops(a):\n    return ops.add(a, np.zeros(UNITS))\n"
            "def recurses(n):\n    return recurses(n - 1) + helper_0(n)\n"
            "def old_keras(net):\n    net.fit(1, 2, nb_epoch=3)\n"
            "SHARED = layers.Dense(2)\n"
            "def applies_shared(x):\n    return SHARED(x)\n"  # a layer object: a definition
            "class Case:\n"
            "    def setUp(self):\n        self.n = 3\n"
            "    def test_ops(self):\n        return np.add(self.n, 1)\n"
            "    def test_layer(self):\n        return layers.Dense(self.n)\n"
        )
    )
    functions = {s.name: s for s in tree.body if isinstance(s, ast.FunctionDef)}
    relevant = {name for name, node in functions.items() if relevance.may_record(node, scope)}
    # ``trains``: a model made at module level is Unknown inside a function (it may run at any
    # point of the module), so its ``fit`` records nothing; so do numpy, ``keras.ops``,
    # constants and the file's functions that record nothing themselves.
    assert relevant == {
        "builds", "calls_builder", "picks_builder", "alias", "merges", "old_keras",
        "applies_shared",
    }  # fmt: skip
    case = next(s for s in tree.body if isinstance(s, ast.ClassDef))
    methods = [m for m in case.body if isinstance(m, ast.FunctionDef)]
    run_methods = relevance.methods_to_run(methods, whole=False, setup=(), scope=scope)
    assert run_methods == {"setUp", "test_layer"}
    every = relevance.methods_to_run(methods, whole=True, setup=(), scope=scope)
    assert every == {m.name for m in methods}
    # Without the text, every body is analysed.
    blind = Relevance(None, relevance.seeds, relevance.symbol_may_record)
    assert blind.may_record(functions["plots"], scope)


def test_what_a_skipped_body_would_have_recorded_is_nothing() -> None:
    # The claim behind skipping ``trains`` above: its analysis finds nothing, skipped or not.
    source = (
        "import numpy as np\nfrom keras import layers, Input, Sequential\n"
        "model = Sequential([Input(shape=(5, 2)), layers.LSTM(4, return_sequences=True)])\n"
        "def trains():\n    model.fit(np.zeros((8, 5, 2)), np.zeros((8, 4)))\n"
    )
    tree, scope, relevance = _relevance(source)
    assert not relevance.may_record(tree.body[-1], scope)
    keras = KerasSemantics()
    interpreter = Interpreter(keras.hooks)
    module = Scope()
    interpreter.exec_block(tree.body, module)
    recorded = (len(keras.graph.apps), len(keras.graph.fits), len(keras.graph.data))
    assert recorded[0] == 1  # the module's own model (its LSTM) is recorded
    interpreter.analyze_function(tree.body[-1], module)  # type: ignore[arg-type]
    assert (len(keras.graph.apps), len(keras.graph.fits), len(keras.graph.data)) == recorded


def test_a_keras1_sign_in_a_body_that_records_nothing_still_marks_a_big_file() -> None:
    # ``fit(nb_epoch=)`` on a parameter records nothing, but it says the file is Keras 1, where
    # TimeDistributed(Dense) on a sequence was needed: its body is read, and KRS101 stays silent.
    source = _big_module(
        "from keras.layers import LSTM, Dense, TimeDistributed\n"
        "def build():\n"
        "    model = Sequential()\n"
        "    model.add(LSTM(32, input_shape=(10, 8), return_sequences=True))\n"
        "    model.add(TimeDistributed(Dense(1)))\n"
        "    return model\n"
        "def train(model, x, y):\n"
        "    model.fit(x, y, nb_epoch=5)\n"
    )
    assert [d.code for d in analyze_source(source)] == []
    modern = source.replace("nb_epoch", "epochs")
    assert [d.code for d in analyze_source(modern)] == ["KRS101"]


def test_findings_in_relevant_bodies_of_a_big_file_are_kept() -> None:
    source = _big_module(
        "def stack():\n    x = layers.LSTM(8)(Input(shape=(5, 2)))\n    return layers.LSTM(4)(x)\n"
    )
    found = [(d.code, d.line) for d in analyze_source(source)]
    assert found == [("KRS103", source.count("\n"))]


def test_a_copy_of_hooks_takes_additions_without_changing_the_original() -> None:
    library = Hooks(canonical_module=lambda path: path)
    library.calls["numpy.zeros"] = lambda context: UNKNOWN
    library.recording_words.add("Dense")
    copy = library.copy()
    copy.calls["keras.layers.Dense"] = lambda context: UNKNOWN
    copy.recording_words.add("LSTM")
    copy.call_observers.append(lambda node, func, call: None)
    assert set(library.calls) == {"numpy.zeros"} and library.recording_words == {"Dense"}
    assert not library.call_observers
    assert set(copy.calls) == {"numpy.zeros", "keras.layers.Dense"}
    assert copy.canonical_module("a.b") == "a.b"  # functions are shared, tables are not


_SCANNED = (
    "from keras import layers\n"
    "CONFIG = {'units': 8}\n"
    "KW = {'units': 4}\n"
    "SUMMARY = {'loss': 1}\n"  # read at module level only: no body needs it frozen
    "print(SUMMARY['loss'])\n"
    "def build(units):\n    return layers.LSTM(units)\n"
    "def unused(units):\n    return layers.GRU(units)\n"
    "def make():\n    return layers.Dense(CONFIG['units']), layers.LSTM(**KW), np.relu(1)\n"
    "build(8)\nbuild(8)\nx.unused(3)\n"  # ``x.unused(`` is no call of the module's ``unused``
)


def _scanned(text: str) -> tuple[set[str], dict[str, dict[str, Value]]]:
    tree = ast.parse(text)
    dicts = scan(tree, text, wanted=()).frozen_dicts
    functions = [f for f in tree.body if isinstance(f, ast.FunctionDef)]
    sites = scan(tree, text, wanted=functions, dicts_too=False).call_sites
    return dicts, {f.name: args for f, args in sites.items()}


def test_the_scan_finds_the_same_by_name_and_by_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Few names are looked for one by one, many by one regex pass over the text, and the
    search per name gives up past a budget of occurrences (``x.f(), x.f()...``, no calls of ``f``):
    all three find the same dicts read by key or as ``**`` and the same called functions."""
    by_name = _scanned(_SCANNED)
    assert by_name == ({"CONFIG", "KW"}, {"build": {"units": Const(8)}})
    over_budget = _SCANNED + "def f(a):\n    return a\ny = (" + "x.f(), " * 3000 + ")\n"
    assert word_positions(over_budget, ["build", "f"]) is None
    assert _scanned(over_budget) == by_name
    monkeypatch.setattr(word_lines, "_FOUND_NAMES", 0)
    monkeypatch.setattr(callsites, "_SEARCHED_DICTS", 0)
    assert _scanned(_SCANNED) == by_name


@pytest.mark.parametrize(
    "text, names, expected",
    [
        ("def build(n):\n    pass\nx = build(1)\nrebuild(2)\nbuild_more = 3\n", ["build"], [1, 3]),
        ("a = 1\n# a comment naming b\nc = 'b'\n", ["b", "c"], [2, 3]),
        ("x = 1\r\ny = x\r\n", ["y"], [2]),
        ("aaaa aaaa\n" * 50 + "b\n", ["a" * i for i in range(1, 6)] + ["b"], list(range(1, 52))),
    ],
)
def test_lines_naming_by_name_and_by_words_agree(
    text: str, names: list[str], expected: list[int]
) -> None:
    """The lines where names occur as whole words: searched name by name (few names), or past
    a budget of occurrences (``a``, ``aa``... in ``aaaa``) by one pass over the words."""
    assert lines_naming(text, names) == expected
    assert lines_naming(text, names * 60) == expected  # more names than a search per name takes


@pytest.mark.parametrize(
    "text",
    [
        "x = CONFIG['a'] + d2[0][1] + f(x)[2] + [1][0] + (a)[0] + é_1[3]\n",
        "y = CONFIG['units']\n" + "z = 1\n" * 200,  # few brackets: looked back from each
        "w = m[0] + n[1] + o[2]\n" * 50,  # many: one regex pass
    ],
)
def test_the_words_before_brackets_are_found_either_way(text: str) -> None:
    assert callsites._subscripted(text) == set(callsites._READ_BY_KEY.findall(text))


def test_the_module_statements_on_some_lines_are_found_by_bisection() -> None:
    """``word_lines.statements_on`` finds what testing every statement would: a decorator's
    line belongs to its definition, a statement's inner lines to it, blank lines and comments
    between statements to none, and a statement is listed once however many lines it has;
    with few lines (bisected on the statements) and many (on their first lines)."""
    source = (
        "import os\n"  # 1
        "\n"  # 2
        "@deco(\n"  # 3
        "    1)\n"  # 4
        "@other\n"  # 5
        "def f(a):\n"  # 6
        "    return a\n"  # 7
        "# a comment\n"  # 8
        "x = f(\n"  # 9
        "    2)\n"  # 10
        "class C:\n"  # 11
        "    pass\n"  # 12
    )
    body = ast.parse(source).body
    for lines in ([1], [2], [3], [4, 5], [6, 7], [8], [9, 10], [12], [13], list(range(1, 14)), []):
        naive = [s for s in body if word_lines.spans(s, lines)]
        assert word_lines.statements_on(body, lines) == naive, lines


def test_names_read_nowhere_are_counted_by_family_then_all_at_once() -> None:
    """``Interpreter.word_count``: a family of numbered names (``net_1`` ... ``net_39``) by one
    search, whole words only (``net_1`` is not in ``net_10``); past a few families, every word
    of the text counted at once; both give the same counts."""
    numbered = "".join(f"net_{i} = {i}\n" for i in range(40)) + "print(net_3, net_30)\n"
    named = "".join(f"{w} = 1\n" for w in _WORDS) + "print(alpha, alpha)\n"
    source = numbered + named
    expected = {f"net_{i}": 2 if i in (3, 30) else 1 for i in range(40)}
    expected.update({w: 3 if w == "alpha" else 1 for w in _WORDS})
    interpreter = Interpreter()
    interpreter.run_module(ast.parse(source), source)
    assert {n: interpreter.word_count(n) for n in expected} == expected
    assert list(interpreter.family_counts)[0] == "net_"  # 40 names, one search
    assert interpreter.word_counts is not None  # past the searched families: counted at once
    searched = Interpreter()
    searched.run_module(ast.parse(source), source)
    assert [searched.word_count(n) for n in ("net_1", "net_3", "alpha")] == [1, 2, 3]
    assert searched.word_counts is None


_WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa")


def test_names_of_one_family_are_found_by_one_search_as_whole_words() -> None:
    """``word_positions`` searches ``conv_1``... ``conv_12`` as ``conv_`` once and reads each
    hit whole: it finds what a regex over the words finds, no ``conv_1`` inside ``conv_12``,
    ``my_conv_1`` or ``conv_1x``; ``words_of_family`` counts the same hits."""
    text = (
        "conv_1 = conv_12(conv_1)\nmy_conv_1 = conv_1x + conv_\nprint(conv_12, 'conv_2')\n"
        "x = ab1 + ab12 + ab + conv_1"
    )
    names = ["conv_1", "conv_12", "conv_2", "conv_3", "ab1", "ab", "conv_"]
    words = [(m.group(), m.start()) for m in re.finditer(r"\w+", text)]
    expected = {n: [at for w, at in words if w == n] for n in names}
    assert word_positions(text, names) == expected
    assert word_lines.family("conv_12") == "conv_" and word_lines.family("ab12") == "ab12"
    counts = word_lines.words_of_family(text, "conv_")
    assert counts == Counter(w for w, _ in words if w.startswith("conv_"))
    assert word_lines.words_of_family("a" * 100, "a") is not None
    assert word_lines.words_of_family("a." * 1000, "a") is None  # past the budget of hits


def test_child_nodes_are_what_ast_gives_but_the_contexts() -> None:
    """``callsites.child_nodes``, which the loop and failure summaries walk with, gives the
    children ``ast.iter_child_nodes`` gives, in the same order, without ``Load``/``Store``."""
    source = (
        "import a as b\nfor x, *y in f(1, k=2, **kw):\n    z: int = x[1:2]\n    del z\n"
        "try:\n    pass\nexcept E as e:\n    raise\nclass C(B, metaclass=M):\n"
        "    @d\n    def m(self, a=1, *r, k, **kw) -> None:\n        global g\n"
        "        return [i async for i in j if i] or {1: 2} or f'{x!r:>4}'\n"
    )
    for node in ast.walk(ast.parse(source)):
        expected = [c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.expr_context)]
        assert callsites.child_nodes(node) == expected, ast.dump(node)[:60]


def test_a_family_search_past_its_budget_counts_every_word_instead() -> None:
    """A family whose hits exhaust the search's budget (``net_1`` everywhere) is counted with
    every word of the text, exactly, not guessed."""
    source = "net_2 = 1\ny = [" + "net_1," * 1000 + "]\n"
    interpreter = Interpreter()
    interpreter.run_module(ast.parse(source), source)
    assert word_lines.words_of_family(source, "net_") is None  # past the budget
    assert interpreter.word_count("net_2") == 1
    assert interpreter.word_count("net_1") == 1000
    assert interpreter.word_counts is not None and not interpreter.family_counts


def test_calls_without_keywords_share_one_read_only_empty_mapping() -> None:
    """A call without keywords gets the shared ``NO_KEYWORDS`` for its keywords and their
    expressions: it refuses every change (a change would reach every such call), reads as an
    empty dict, and a diagnostic holding it still pickles (the verifier's worker gets them so)."""
    interpreter = Interpreter(KerasSemantics().hooks)
    node = ast.parse("f(1)").body[0].value  # type: ignore[attr-defined]
    call, _, _ = interpreter.call_arguments(node, Scope())
    assert call.kwargs is NO_KEYWORDS and call.kwarg_nodes is NO_KEYWORDS
    changes = (
        lambda: NO_KEYWORDS.__setitem__("units", 1),  # type: ignore[index]
        lambda: NO_KEYWORDS.update(units=1),  # type: ignore[attr-defined]
        lambda: NO_KEYWORDS.setdefault("units", 1),  # type: ignore[attr-defined]
        lambda: NO_KEYWORDS.pop("units", None),  # type: ignore[attr-defined]
        lambda: NO_KEYWORDS.clear(),  # type: ignore[attr-defined]
    )
    for change in changes:
        with pytest.raises(TypeError):
            change()
    assert dict(NO_KEYWORDS) == {} and {**NO_KEYWORDS, "units": 1} == {"units": 1}
    assert call.value("units", 1) is MISSING
    copied = pickle.loads(pickle.dumps(call))
    assert copied.kwargs == {} and copied.args == (Const(1),)
    with pytest.raises(TypeError):
        copied.kwargs["units"] = 1
    keyed_node = ast.parse("f(units=1)").body[0].value  # type: ignore[attr-defined]
    keyed, _, _ = interpreter.call_arguments(keyed_node, Scope())
    assert keyed.kwargs == {"units": Const(1)} and keyed.kwargs is not NO_KEYWORDS


def test_walk_on_lines_skips_exactly_the_statements_that_span_none() -> None:
    """``callsites.walk`` with lines visits every node but those under a statement spanning none
    of the lines (its decorators included), whether blocks are searched by bisection (a body
    with no line searched is not read) or statement by statement: the same nodes as a plain
    recursive walk that skips such statements."""
    import random

    def naive(node: ast.AST, lines: list[int], out: set[int]) -> None:
        if isinstance(node, ast.stmt) and not word_lines.spans(node, lines):
            return
        out.add(id(node))
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.expr_context):
                naive(child, lines, out)

    source = "\n".join(
        f"@deco_{i}\ndef build_{i}(units={i}):\n    x = {i}\n    if x:\n        y = f(x)\n"
        f"    else:\n        y = 2\n    for j in range(3):\n        y = g(y, j)\n    return y\n"
        f"net_{i} = build_{i}(units={i})\n"
        f"class C{i}:\n    def m(self):\n        return build_{i}()\n"
        for i in range(12)
    )
    tree = ast.parse(source)
    last = source.count("\n") + 2
    rng = random.Random(7)
    for count in (0, 1, 2, 5, 20, 80, last):
        lines = sorted(rng.sample(range(1, last + 1), min(count, last)))
        expected: set[int] = set()
        naive(tree, lines, expected)
        assert {id(n) for n in callsites.walk(tree, lines)} == expected, lines


# (statements, nesting of a list): fewer brackets than statements (the text is read first),
# or more (the statements are)
@pytest.mark.parametrize(("statements", "nesting"), [(50, 1), (0, 10)])
@pytest.mark.parametrize(
    ("read", "frozen"),
    [
        ("    return CONFIG['units']\n", {"CONFIG"}),
        ("    return layer(**CONFIG)\n", {"CONFIG"}),
        ("    return CONFIG\n", set()),  # escapes: not read by key
        ("    return 1\n", set()),
    ],
)
def test_frozen_dicts_found_from_the_text_or_the_statements(
    statements: int, nesting: int, read: str, frozen: set[str]
) -> None:
    """A module dict read by key or as ``**`` in a body is frozen, whichever is read first to
    find it: the text (fewer brackets than statements) or the module's statements."""
    source = (
        f"CONFIG = {{'units': 8}}\nx = {'[' * nesting}1{']' * nesting}\n"
        + "y = 1\n" * statements
        + "def f(layer):\n"
        + read
    )
    tree = ast.parse(source)
    assert (source.count("[") < len(tree.body)) == (nesting == 1)
    assert scan(tree, source, wanted=()).frozen_dicts == frozen
