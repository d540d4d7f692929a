"""The lint path stays light: no TensorFlow, Keras or libcst imports, no file access, no raising."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES
from flake8_keras.rules import RULES

PROBE = """
import ast, builtins, io, sys
from pathlib import Path

from flake8_keras.plugin import KerasChecker

sources = {p.name: p.read_text() for p in Path(sys.argv[1]).glob("*.py")}

def refuse(*args, **kwargs):
    raise AssertionError(f"the plugin opened a file: {args[:1]}")

builtins.open = refuse
io.open = refuse

found = []
for name, text in sorted(sources.items()):
    lines = text.splitlines(keepends=True)
    found += [r[2].split()[0] for r in KerasChecker(ast.parse(text), lines, name).run()]
heavy_modules = ("tensorflow", "keras", "tf_keras", "libcst", "numpy")
heavy = sorted(m for m in heavy_modules if m in sys.modules)
print(sorted(found), heavy)
"""


def test_plugin_imports_nothing_heavy_and_opens_no_file() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(EXAMPLES)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    every_rule = sorted(rule.code for rule in RULES)  # examples/ shows each rule at least once
    assert result.stdout.strip() == f"{every_rule} []"


def test_plugin_swallows_engine_errors() -> None:
    import ast

    from flake8_keras.plugin import KerasChecker

    text = "import keras\nx = keras.layers.LSTM(4)\n"
    checker = KerasChecker(ast.parse(text), text.splitlines(True), "m.py")
    checker.tree = "not a tree"  # type: ignore[assignment]  # an impossible input must not raise
    assert list(checker.run()) == []


def test_a_run_without_keras_files_never_imports_the_engine() -> None:
    """flake8 loads the plugin for every run; the engine (30 ms) is imported at the first file
    that names Keras, so a project's other files cost nothing."""
    probe = (
        "import ast, sys\n"
        "from flake8_keras.plugin import KerasChecker\n"
        "text = 'import numpy as np\\nx = np.zeros((3, 4))\\n'\n"
        "assert list(KerasChecker(ast.parse(text), text.splitlines(True), 'a.py').run()) == []\n"
        "print('flake8_keras.analysis' in sys.modules)\n"
        "text = 'import keras\\nm = keras.Sequential()\\n'\n"
        "list(KerasChecker(ast.parse(text), text.splitlines(True), 'b.py').run())\n"
        "print('flake8_keras.analysis' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


_SETTLE_PROBE = """
import ast, gc, sys
from flake8_keras.plugin import KerasChecker

host = [[]]  # an object of the host's, frozen by the host when asked
if sys.argv[1] == "host-froze":
    gc.freeze()
before_frozen = gc.get_freeze_count()
young = [[] for _ in range(50)]  # the host's young objects, alive across the import
text = "import keras\\nm = keras.Sequential()\\n"
list(KerasChecker(ast.parse(text), text.splitlines(True), "b.py").run())
import flake8_keras.analysis as engine
oldest = {id(o) for o in gc.get_objects(generation=2)}
print(
    engine.analyze_tree in [o for o in gc.get_objects(generation=2) if o is engine.analyze_tree],
    gc.get_freeze_count() == before_frozen,
    all(id(o) in oldest for o in young),
    gc.isenabled(),
    any(o is host for o in gc.get_objects()),  # False while frozen: no generation holds it
)
"""


def test_the_engine_import_goes_to_the_oldest_generation() -> None:
    """What the engine's import makes lives as long as flake8: it is put straight into the
    collector's oldest generation (it was counted as new long-lived objects and brought a
    full collection forward), nothing stays frozen, and the collector is on again after."""
    result = subprocess.run(
        [sys.executable, "-c", _SETTLE_PROBE, "plain"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "True"]


def test_objects_the_host_froze_stay_frozen() -> None:
    """A host that froze objects of its own (a pre-fork server) keeps them frozen: the import
    is then left to the collector as any other."""
    result = subprocess.run(
        [sys.executable, "-c", _SETTLE_PROBE, "host-froze"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    _, same_frozen, _, enabled, host_collectable = result.stdout.split()
    assert same_frozen == "True" and enabled == "True" and host_collectable == "False"
