"""Budgets that keep the interpreter linear on hostile input: past one, a value is Unknown.

Every bound here is per value or per file; none raises and none hangs. Real model code stays far
below all of them (shapes are a few small ints; literal loops run a handful of layers).
"""

from __future__ import annotations

from flake8_keras.engine.values import Const, Items
from flake8_keras.records import record

# |number| a fold may produce: bigger numbers are never dimensions, and big-int arithmetic on them
# (``10**10**10``) would cost unbounded time and memory.
MAX_FOLDED = 10**12
# Tuples and items in one folded constant, nested ones counted as the tree they print as:
# ``t = t + t`` or ``t = (t, t)`` repeated doubles it per line (a 2**n DAG walked as a tree).
# Room for a 10,000-layer Sequential list; hashing or comparing one this big takes ~1 ms.
MAX_TUPLE_NODES = 100_000
# Nesting depth of a folded constant (numpy allows 64 dimensions): the walks over it recurse.
MAX_TUPLE_DEPTH = 64
# Expressions evaluated inside one another: ``x[0][0]...``, ``a.b.c...`` and ``x + x + ...`` nest
# without the parser's limit of 200 brackets; deeper ones are Unknown, never a RecursionError.
MAX_EXPRESSION_DEPTH = 100
# Longest literal sequence a loop is unrolled over; longer ones get the first-iteration analysis.
MAX_UNROLLED = 32
# Rounds of a loop's fixpoint (entry state joined with one more iteration) before what the loop
# binds is widened to Unknown; real loops (stacking layers of one rank) settle in 2.
MAX_FIXPOINT_ROUNDS = 4
# Loops nested inside other loops' fixpoint rounds that get rounds of their own; deeper ones are
# widened at once (each level multiplies the rounds: 90 nested loops took 18x flake8's time).
MAX_FIXPOINT_NESTING = 3
# Statements executed in unrolled loops per file, nested loops multiplied: a loop is unrolled
# only if its iterations times its body's statements fit in what is left. At most 8 per line
# of the file (at least 256), so that a short file of nested loops costs no more than
# flake8's own checks of it; at most 4,096 in any file.
MAX_UNROLLED_STATEMENTS = 4096
MIN_UNROLLED_STATEMENTS = 256
UNROLLED_STATEMENTS_PER_LINE = 8


def unroll_budget(lines: int) -> int:
    """Statements a file of this many lines may execute in unrolled loops."""
    per_line = UNROLLED_STATEMENTS_PER_LINE * lines
    return min(MAX_UNROLLED_STATEMENTS, max(MIN_UNROLLED_STATEMENTS, per_line))


@record(frozen=True)
class Size:
    """A folded tuple measured as the tree it prints as, and the array shape it spells."""

    nodes: int  # the tuple itself, its sub-tuples and its items
    depth: int
    # ``np.array`` of it: ``((1, 2), (3, 4))`` -> (2, 2); None when ragged or too big.
    dims: tuple[int, ...] | None = ()

    def fits(self) -> bool:
        return self.nodes <= MAX_TUPLE_NODES and self.depth <= MAX_TUPLE_DEPTH

    def joined(self, other: Size) -> Size:
        """The size of the concatenation of two tuples of these sizes."""
        nodes, depth = self.nodes + other.nodes - 1, max(self.depth, other.depth)
        if self.dims == (0,) or other.dims == (0,):  # an empty tuple adds nothing
            dims = other.dims if self.dims == (0,) else self.dims
        elif self.dims and other.dims and self.dims[1:] == other.dims[1:]:
            dims = (self.dims[0] + other.dims[0],) + self.dims[1:]
        else:
            dims = None
        return Size(nodes, depth, dims)


LEAF = Size(1, 0)


class TupleSizes:
    """Sizes of folded tuples, remembered by identity so a shared sub-tuple is measured once.

    Tuples are built bottom-up from measured parts, so measuring a new one costs its width, not
    its tree. Each entry keeps its tuple alive, so an ``id`` is never reused while remembered.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[tuple[object, ...], Size]] = {}

    def of(self, value: object) -> Size:
        if isinstance(value, Items):
            return self.of(value.items)
        if isinstance(value, Const):
            return self.of(value.value)
        if not isinstance(value, tuple):
            return LEAF
        if len(value) < MAX_TUPLE_NODES and _leaves(value):
            return _flat(len(value))  # ``(30, 6)``: most tuples, measured without a walk
        hit = self._known.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        nodes, depth = 1, 0
        shapes: set[tuple[int, ...] | None] = set()
        for item in value:
            part = self.of(item)
            nodes += part.nodes
            depth = max(depth, part.depth)
            shapes.add(part.dims)
            if nodes > MAX_TUPLE_NODES or depth >= MAX_TUPLE_DEPTH:
                return self.remember(value, Size(nodes, depth + 1, None))  # too big: no more walk
        inner = shapes.pop() if len(shapes) == 1 else None
        dims = (len(value),) + inner if inner is not None else None
        return self.remember(value, Size(nodes, depth + 1, dims if value else (0,)))

    def remember(self, value: tuple[object, ...], size: Size) -> Size:
        self._known[id(value)] = (value, size)
        return size


_NESTING = (tuple, Const, Items)  # what a tuple item may hold that is more than a leaf
_FLAT = tuple(Size(n + 1, 1, (n,)) for n in range(64))  # the size of a tuple of n leaves


def _leaves(value: tuple[object, ...]) -> bool:
    """Whether no item nests (a loop: a generator costs more on these short tuples)."""
    for item in value:  # noqa: SIM110
        if isinstance(item, _NESTING):
            return False
    return True


def _flat(length: int) -> Size:
    return _FLAT[length] if length < len(_FLAT) else Size(length + 1, 1, (length,))


def range_length(start: int, stop: int, step: int) -> int:
    """``len(range(start, stop, step))`` without its OverflowError past ``sys.maxsize``."""
    return max(0, -(-(stop - start) // step))
