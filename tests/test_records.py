"""``records.record`` behaves as ``dataclasses.dataclass`` does for what the plugin uses."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from flake8_keras import records
from flake8_keras.record_inits import PRECOMPILED
from flake8_keras.records import field, fields, record, replace

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "precompile_records.py"


@record(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    kind: ClassVar[str] = "point"  # not a field


@dataclasses.dataclass(frozen=True)
class PointDC:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    kind: ClassVar[str] = "point"


@record
class Bag:
    items: list[int] = field(default_factory=list)
    note: str = field(default="", repr=False)
    cache: dict[str, int] = field(default_factory=dict, compare=False)


@record(eq=False)
class Node:
    name: str
    children: list[Node] = field(default_factory=list)


@record(frozen=True)
class Point3(Point):
    z: int = 0
    label: str | None = field(default=None, kw_only=True)


@record(frozen=True, eq=False)
class Tagged(Point):
    pass


@record(frozen=True)
class Custom:
    value: int

    def __repr__(self) -> str:
        return f"<{self.value}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Custom) and other.value % 10 == self.value % 10

    def __hash__(self) -> int:
        return self.value % 10


def test_init_defaults_and_fields_match_dataclasses() -> None:
    assert Point(1) == Point(1, 0, ())
    assert Point(1, y=2).y == 2
    assert [f.name for f in fields(Point)] == [f.name for f in dataclasses.fields(PointDC)]
    assert repr(Point(1, 2)) == repr(PointDC(1, 2)).replace("PointDC", "Point")
    assert Point.kind == "point" and "kind" not in {f.name for f in fields(Point)}
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


def test_frozen_records_hash_by_value() -> None:
    assert hash(Point(1, 2, ("a",))) == hash(Point(1, 2, ("a",)))
    assert len({Point(1), Point(1), Point(2)}) == 2
    assert Point(1) != PointDC(1)  # another class is never equal


def test_factories_give_each_instance_its_own_value_and_compare_false_is_ignored() -> None:
    a, b = Bag(), Bag()
    a.items.append(1)
    assert b.items == [] and a != b
    assert Bag([1], cache={"x": 1}) == Bag([1], cache={"y": 2})
    assert "note" not in repr(Bag(note="hidden"))
    assert Bag.__hash__ is None  # mutable and compared by value: unhashable, as dataclasses
    assert "items" not in Bag.__dict__  # a factory's field leaves no class attribute


def test_eq_false_keeps_identity() -> None:
    n = Node("a")
    assert n != Node("a") and n == n
    assert len({n, Node("a")}) == 2
    n.name = "b"  # not frozen
    assert n.name == "b"


def test_inheritance_kw_only_and_inherited_equality() -> None:
    p = Point3(1, 2, ("t",), 3, label="x")
    assert (p.x, p.y, p.tags, p.z, p.label) == (1, 2, ("t",), 3, "x")
    assert [f.name for f in fields(Point3)] == ["x", "y", "tags", "z", "label"]
    with pytest.raises(TypeError):
        Point3(1, 2, (), 3, "x")  # type: ignore[call-arg]  # label is keyword-only
    assert Tagged(1) == Tagged(1)  # eq=False: Point's equality is inherited
    assert replace(p, z=9) == Point3(1, 2, ("t",), 9, label="x")


def test_methods_the_class_writes_are_kept() -> None:
    assert repr(Custom(3)) == "<3>"
    assert Custom(3) == Custom(13) and hash(Custom(3)) == hash(Custom(13))


class _Slotted:
    __slots__ = ("x",)


@record(frozen=True)
class FrozenFactory:
    items: list[int] = field(default_factory=list)
    name: str = "n"


def test_frozen_init_fills_the_instance_and_refuses_after() -> None:
    """Frozen records are filled by their ``__init__`` with their own factory values, with
    slots and no dict too."""
    a, b = FrozenFactory(), FrozenFactory(name="m")
    assert a.items is not b.items and (a.name, b.name) == ("n", "m")
    assert vars(b) == {"items": [], "name": "m"}

    @record(frozen=True)
    class SlottedPoint(_Slotted):
        __slots__ = ()
        x: int

    p = SlottedPoint(4)
    assert p.x == 4 and not hasattr(p, "__dict__")


def test_keyword_only_defaults_and_order_errors() -> None:
    """Defaults are handed to the function (not written in its source): keyword-only ones
    too, and a field without a default after one with a default is refused as by dataclass."""

    @record
    class Options:
        name: str
        size: int = 3
        mode: str = field(default="a", kw_only=True)
        extra: list[int] = field(default_factory=list, kw_only=True)

    o = Options("x", mode="b")
    assert (o.name, o.size, o.mode, o.extra) == ("x", 3, "b", [])
    assert Options("y", 4).mode == "a" and Options("y").extra is not Options("y").extra
    with pytest.raises(TypeError, match="positional"):
        Options("x", 1, "c")  # type: ignore[misc]
    with pytest.raises(TypeError, match="follows default"):

        @record
        class Wrong:
            a: int = 1
            b: int


def test_record_inits_is_what_the_script_writes(tmp_path: Path) -> None:
    """``record_inits`` holds the ``__init__`` of every record of the package, and nothing else
    (``scripts/precompile_records.py`` rewrites it after a record's fields change)."""
    out = tmp_path / "record_inits.py"
    subprocess.run([sys.executable, str(SCRIPT), "--output", str(out)], check=True, timeout=120)
    committed = (ROOT / "src" / "flake8_keras" / "record_inits.py").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed


def test_importing_the_package_compiles_no_record_init() -> None:
    """In a fresh interpreter, every record of the package takes its ``__init__`` from
    ``record_inits``: none is compiled at import (what made the import 6 ms slower)."""
    probe = (
        "import importlib, pkgutil, flake8_keras\n"
        "from flake8_keras import records\n"
        "for m in pkgutil.walk_packages(flake8_keras.__path__, 'flake8_keras.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(len(records.init_sources), sum(records.init_sources.values()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    made, precompiled = map(int, result.stdout.split())
    assert made > 40 and precompiled == made


def test_precompiled_init_behaves_as_compiled() -> None:
    """The same fields give the same ``__init__`` whether its code came precompiled or not."""
    from flake8_keras.engine.values import Const

    assert records.init_sources  # the package's records were made on import
    source = "def __init__(self, value):\n    self.value = value\n"
    assert source in PRECOMPILED and records.init_sources[source]
    c = Const(3)
    assert c.value == 3 and Const.__init__.__code__ is PRECOMPILED[source]
    assert Const(3) == c and hash(Const(3)) == hash(c)


def test_mypy_refuses_assigning_a_field_of_a_frozen_record(tmp_path: Path) -> None:
    """What keeps a frozen record (a dict key, a set member) unchanged is the type checker, as
    the project runs it (tests/test_quality.py): an assignment to a field fails the check."""
    snippet = tmp_path / "assigns.py"
    snippet.write_text(
        "from flake8_keras.engine.values import Const\n"
        "from flake8_keras.records import record\n\n\n"
        "@record\nclass Open:\n    value: int\n\n\n"
        "Open(1).value = 2\n"  # not frozen: allowed
        "Const(1).value = 2\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", str(snippet)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT / "src")},
        timeout=300,
    )
    errors = result.stdout.strip().splitlines()
    assert len(errors) == 1, result.stdout + result.stderr
    assert "assigns.py:11:" in errors[0] and '"value"' in errors[0] and "read-only" in errors[0]
