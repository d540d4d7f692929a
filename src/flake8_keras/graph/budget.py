"""Budgets that keep the interpreter linear on hostile input: past one, a value is Unknown.

Every bound here is per value or per file; none raises and none hangs. Real model code stays far
below all of them (shapes are a few small ints; literal loops run a handful of layers).
"""

from __future__ import annotations

from dataclasses import dataclass

from flake8_keras.graph.values import Const, Items

# |number| a fold may produce: bigger numbers are never dimensions, and big-int arithmetic on them
# (``10**10**10``) would cost unbounded time and memory.
MAX_FOLDED = 10**12
# Tuples and items in one folded constant, nested ones counted as the tree they print as:
# ``t = t + t`` or ``t = (t, t)`` repeated doubles it per line (a 2**n DAG walked as a tree).
MAX_TUPLE_NODES = 10_000
# Nesting depth of a folded constant (numpy allows 64 dimensions): the walks over it recurse.
MAX_TUPLE_DEPTH = 64
# Longest literal sequence a loop is unrolled over; longer ones get the first-iteration analysis.
MAX_UNROLLED = 32
# Statements executed in unrolled loops per file, nested loops multiplied: a loop is unrolled
# only if its iterations times its body's statements fit in what is left.
MAX_UNROLLED_STATEMENTS = 4096


@dataclass(frozen=True)
class Size:
    nodes: int  # the tuple itself, its sub-tuples and its items, as a tree
    depth: int

    def fits(self) -> bool:
        return self.nodes <= MAX_TUPLE_NODES and self.depth <= MAX_TUPLE_DEPTH


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
        hit = self._known.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        nodes, depth = 1, 0
        for item in value:
            part = self.of(item)
            nodes += part.nodes
            depth = max(depth, part.depth)
            if nodes > MAX_TUPLE_NODES or depth >= MAX_TUPLE_DEPTH:
                break  # already too big: the caller drops it, no need to finish the walk
        return self.remember(value, Size(nodes, depth + 1))

    def remember(self, value: tuple[object, ...], size: Size) -> Size:
        self._known[id(value)] = (value, size)
        return size


def range_length(start: int, stop: int, step: int) -> int:
    """``len(range(start, stop, step))`` without its OverflowError past ``sys.maxsize``."""
    return max(0, -(-(stop - start) // step))
