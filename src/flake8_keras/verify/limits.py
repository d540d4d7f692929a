"""The verifier's limits: how large a claim is rebuilt, and how long and how much memory it may use.

Sizes a claim does not depend on are replaced by small stand-ins (the evidence says so); a claim
that would need more than the caps at its real size is refused before anything is allocated
(``inconclusive: too large to rebuild``). Every claim runs in a worker process under a memory
limit and a timeout (:mod:`flake8_keras.verify.isolation`), so one claim cannot end the run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

# Each claim, in the worker process.
CLAIM_TIMEOUT_SECONDS = 60.0  # a claim takes 0.1-2 s; the first one on JAX compiles more
CLAIM_MEMORY_MB = 2048  # address space a claim may add to the worker (RLIMIT_AS)
WORKER_START_SECONDS = 300.0  # importing Keras (2-3 s here; minutes on a cold disk)

# Rebuilt sizes. A KRS101 check traces one inner call per timestep in Keras 3: its cost grows
# with the number of timesteps, the rest with the values of the arrays and the weights.
MAX_TIMESTEPS = 64  # axis 1 of a KRS101 input
MAX_DIM = 256  # any other axis of a synthetic input, target or KRS101 unit count
STAND_IN_DIM = 16  # a KRS101 axis (or Dense units) larger than MAX_DIM becomes this
MAX_VALUES = 1_000_000  # values of one synthetic array (inputs, targets) at the batch used
MAX_PARAMS = 5_000_000  # weights of the rebuilt layers (20 MB of float32)


class TooLarge(Exception):
    """The claim needs more than the caps at its real size and no stand-in is valid."""


def values(dims: Iterable[int]) -> int:
    return math.prod(dims)


def kr101_stand_in(dims: tuple[int, ...]) -> tuple[int, ...]:
    """The input a KRS101 check measures: the equivalence of TimeDistributed(Dense) and Dense
    holds at every size, so large axes shrink (the batch axis is already synthetic)."""
    out = [dims[0], min(dims[1], MAX_TIMESTEPS)]
    out += [d if d <= MAX_DIM else STAND_IN_DIM for d in dims[2:]]
    while values(out) > MAX_VALUES:  # many large axes at once: shrink the largest
        largest = max(range(2, len(out)), key=lambda i: out[i])
        out[largest] = max(1, out[largest] // 2)
    return tuple(out)


def stand_in_sizes(big: Iterable[int], taken: Iterable[int]) -> dict[int, int]:
    """Distinct small sizes for the sizes in ``big``, none of them 1 or already ``taken``: a
    shape comparison depends on which sizes are equal (and which are 1), not on their values."""
    used = set(taken) | {1}
    mapping: dict[int, int] = {}
    candidate = 7
    for size in sorted(set(big)):
        while candidate in used:
            candidate += 1
        mapping[size] = candidate
        used.add(candidate)
    return mapping
