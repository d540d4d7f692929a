"""The hostile files of issue 9, one generator each (tests and bench/robustness.py use them).

Each file is HEAD, the hostile part, then TAIL: a real mistake (KRS103 on the last line) that the
engine must still report, whatever the hostile part does to it.
"""

from __future__ import annotations

from collections.abc import Callable

HEAD = (
    "import numpy as np\nimport keras\n"
    "from keras.layers import LSTM, Dense, Dropout, Flatten, TimeDistributed\n"
    "from keras.models import Sequential\n"
)
# The file's real finding: a second LSTM on the first one's last step (KRS103).
TAIL = "model = Sequential([LSTM(4, input_shape=(3, 2)), LSTM(4)])\n"


def _lines(template: str, count: int) -> str:
    return "".join(template.format(i=i) for i in range(count))


def _nested_loops(depth: int, width: int, body_lines: int) -> str:
    """Literal loops around a body of layer calls (8**4 iterations of it were 512 unrolled)."""
    loops = "".join("    " * d + f"for i{d} in range({width}):\n" for d in range(depth))
    body = _lines("    " * depth + "h{i} = Dense(4)(x)\n", body_lines)
    return "x = keras.Input(shape=(3,))\n" + loops + body


# name -> the hostile part of the file (HEAD before it, TAIL after it): the cases.
HOSTILE: dict[str, Callable[[], str]] = {
    # 1. folded values grow exponentially: 2**27 elements (1.6 GB), 2**32 in the loop
    "tuple doubled 27 lines": lambda: "t = (0,)\n" + "t = t + t\n" * 27,
    "tuple doubled in a loop": lambda: "t = (0,)\nfor i in range(32):\n    t = t + t\n",
    "tuple repeat": lambda: "t = (0, 1) * 10**9\nu = (0,) * 10**12\n",
    "string repeat": lambda: 's = "a" * 10**12\nr = "ab" * 4 * 10**11\n',
    "power tower": lambda: "p = 10**10**10\nq = 1024**64\nr = q * q * q * q\n",
    "shift": lambda: "b = 1 << 10**10\nc = 1 << 100 << 100 << 100\n",
    "big int chain": lambda: (
        "n = 10**12\n" + "n = n * n + n\n" * 40 + "m = " + "9" * 4000 + "\nk = m * m * m\n"
    ),
    # 2. shared nested tuples: a 2**n DAG walked as a tree by np.array, hashing and equality
    "tuple DAG in a loop": lambda: (
        "t = 0\nfor i in range(30):\n    t = (t, t)\ny = np.array(t)\n"
        "z = t if y else t\nw = (t, 1) == (t, 1)\n"
    ),
    "tuple DAG 60 lines": lambda: "t = 0\n" + "t = (t, t)\n" * 60 + "y = np.array([t, t])\n",
    "list DAG": lambda: "t = [Dense(1)]\nfor i in range(30):\n    t = [t, t]\nu = t if t else t\n",
    "deep tuple": lambda: "t = 0\n" + "t = (t,)\n" * 3000 + "y = np.array(t)\n",
    # 3. values past sys.maxsize, and a rank-0 shape
    "huge range": lambda: "for i in range(1000 ** 10):\n    pass\n",
    "huge literal range": lambda: (
        "for i in range(10000000000000000000):\n    pass\n"
        "for j in range(0, 10**30, 10**29):\n    pass\n"
    ),
    "huge slice": lambda: (
        "y = np.zeros((10000000000000000000, 20, 1))[:]\n"
        "z = np.zeros((10**19, 20, 1))[::3]\nw = y[::-7, 5:]\n"
    ),
    "rank-0 flatten": lambda: "m0 = Sequential([Flatten(batch_input_shape=()), LSTM(4)])\n",
    # 4. superlinear time: whole-scope copies per branch, unrolled nested loops, elif chains
    # (pyflakes itself fails near 400 elifs; test_robustness runs 400 through the engine alone)
    "4,000 ifs after 4,000 names": lambda: (
        _lines("a{i} = {i}\n", 4000) + _lines("if c:\n    w = {i}\n", 4000)
    ),
    "nested loops around 1,000 lines": lambda: _nested_loops(4, 8, 1000),
    "narrow nested loops around 1,000 lines": lambda: _nested_loops(3, 2, 1000),
    "300 elifs": lambda: "if c == 0:\n    y = 0\n" + _lines("elif c == {i}:\n    y = {i}\n", 300),
    "nested branches in loops": lambda: (
        _nested_loops(3, 8, 10) + _lines("if c:\n    v{i} = 0\n", 500)
    ),
}


def hostile_source(name: str) -> str:
    return HEAD + HOSTILE[name]() + TAIL


def krs103_line(text: str) -> int:
    return text.count("\n")  # TAIL is the last line


KRS103_COL = TAIL.rindex("LSTM")  # the second LSTM, 0-based as the engine counts
