"""Generate the worst-case corpus: large Keras scripts full of models (never committed).

Each file mixes every API style the engine follows (Sequential lists, ``.add`` chains, the
functional API, layer variables, subclassed models, layers added in loops, ``fit`` calls with
numpy targets) and every import style, with TimeDistributed and recurrent layers so that the
rules fire, plus ordinary helper code so that flake8's own checks have realistic work to do.
The output is deterministic for a given seed; lines stay under 80 characters (flake8's default).

    python bench/corpus.py OUTDIR [--files 20] [--lines 5000] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
from collections.abc import Callable

_HEADERS = (
    "import numpy as np\nimport keras\nfrom keras import layers\n"
    "from keras.layers import LSTM, GRU, Dense, TimeDistributed\n",
    "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"
    "from tensorflow.keras import layers\n"
    "from tensorflow.keras.layers import LSTM, GRU, Dense, TimeDistributed\n",
    "import numpy as np\nimport tf_keras as keras\nfrom tf_keras import layers\n"
    "from tf_keras.layers import LSTM, GRU, Dense, TimeDistributed\n",
)

_RNN = ("LSTM", "GRU", "layers.SimpleRNN")


def _sequential_list(r: random.Random, i: int) -> str:
    rnn, units, t, f = r.choice(_RNN), r.choice((8, 16, 32)), r.choice((10, 64)), r.randint(2, 9)
    seq = r.choice(("True", "False"))
    return (
        f"model_{i} = keras.Sequential([\n"
        f"    keras.Input(shape=({t}, {f})),\n"
        f"    {rnn}({units}, return_sequences=True),\n"
        f"    layers.Dropout(0.1),\n"
        f"    {rnn}({units}, return_sequences={seq}),\n"
        f"    TimeDistributed(Dense({f})),\n"
        f"])\n"
        f"model_{i}.compile(loss='mse', optimizer='adam')\n"
        f"model_{i}.fit(np.zeros((100, {t}, {f})), np.zeros((100, {t}, {f})))\n"
    )


def _add_chain(r: random.Random, i: int) -> str:
    units = r.choice((8, 16, 64))
    return (
        f"model_{i} = keras.Sequential()\n"
        f"model_{i}.add(layers.Embedding(1000, {units}, input_length=20))\n"
        f"model_{i}.add(LSTM({units}))\n"
        f"model_{i}.add(GRU({units}))\n"
        f"model_{i}.add(layers.Dense(1, activation='sigmoid'))\n"
        f"model_{i}.compile(loss='binary_crossentropy', optimizer='adam')\n"
    )


def _functional(r: random.Random, i: int) -> str:
    t, f, units = r.choice((16, 50)), r.randint(3, 12), r.choice((16, 32))
    return (
        f"inputs_{i} = keras.Input(shape=({t}, {f}))\n"
        f"x = layers.Bidirectional(GRU({units}, return_sequences=True))(inputs_{i})\n"
        f"x = layers.LayerNormalization()(x)\n"
        f"x = TimeDistributed(Dense({units}, activation='relu'))(x)\n"
        f"x = layers.GlobalAveragePooling1D()(x)\n"
        f"x = TimeDistributed(Dense(1))(x)\n"
        f"model_{i} = keras.Model(inputs_{i}, x)\n"
        f"model_{i}.compile(loss='mse', optimizer='adam')\n"
        f"model_{i}.fit(np.zeros((64, {t}, {f})), np.zeros((64, {t}, 1)))\n"
    )


def _layer_variables(r: random.Random, i: int) -> str:
    units = r.choice((4, 8, 16))
    return (
        f"head_{i} = Dense({units})\n"
        f"encoder_{i} = layers.Conv1D({units}, 3, padding='same')\n"
        f"seq_in_{i} = keras.Input(shape=(30, 6))\n"
        f"h = encoder_{i}(seq_in_{i})\n"
        f"h = LSTM({units}, return_sequences=True)(h)\n"
        f"h = TimeDistributed(head_{i})(h)\n"
        f"h = layers.Flatten()(h)\n"
        f"h = layers.LSTM({units})(h)\n"
        f"model_{i} = keras.Model(inputs=seq_in_{i}, outputs=h)\n"
    )


def _subclassed(r: random.Random, i: int) -> str:
    units = r.choice((16, 32))
    return (
        f"class Tagger{i}(keras.Model):\n"
        f"    def __init__(self, vocab=5000):\n"
        f"        super().__init__()\n"
        f"        self.embed = layers.Embedding(vocab, {units})\n"
        f"        self.rnn = LSTM({units}, return_sequences=True)\n"
        f"        self.rnn2 = GRU({units})\n"
        f"        self.head = TimeDistributed(Dense(10))\n"
        f"\n"
        f"    def call(self, tokens):\n"
        f"        h = self.rnn(self.embed(tokens))\n"
        f"        return self.head(self.rnn(h))\n"
        f"\n"
        f"\n"
        f"tagger_{i} = Tagger{i}()\n"
    )


def _loop(r: random.Random, i: int) -> str:
    depth = r.randint(2, 6)
    return (
        f"def build_{i}(depth={depth}, units=32):\n"
        f"    model = keras.Sequential()\n"
        f"    model.add(keras.Input(shape=(None, 8)))\n"
        f"    for _ in range(depth):\n"
        f"        model.add(LSTM(units, return_sequences=True))\n"
        f"    model.add(TimeDistributed(Dense(units)))\n"
        f"    model.add(layers.GRU(units))\n"
        f"    model.add(layers.RepeatVector(5))\n"
        f"    model.add(layers.GRU(units, return_sequences=True))\n"
        f"    return model\n"
        f"\n"
        f"\n"
        f"net_{i} = build_{i}()\n"
    )


def _helpers(r: random.Random, i: int) -> str:
    """Plain Python, so flake8's own checks have non-Keras code to chew on too."""
    k = r.randint(2, 30)
    return (
        f"def prepare_{i}(rows, scale={k}):\n"
        f'    """Normalise rows and drop the empty ones."""\n'
        f"    out = []\n"
        f"    for row in rows:\n"
        f"        if not row:\n"
        f"            continue\n"
        f"        total = sum(abs(v) for v in row) or 1\n"
        f"        out.append([v * scale / total for v in row])\n"
        f"    return {{'rows': out, 'count': len(out), 'scale': scale}}\n"
        f"\n"
        f"\n"
        f"settings_{i} = {{'batch': {k * 4}, 'epochs': {k}, 'lr': 1e-3}}\n"
    )


_BLOCKS: tuple[Callable[[random.Random, int], str], ...] = (
    _sequential_list, _add_chain, _functional, _layer_variables, _subclassed, _loop, _helpers,
)  # fmt: skip


def script(seed: int, lines: int) -> str:
    """One Keras script of about ``lines`` lines."""
    r = random.Random(seed)
    parts = [f'"""Generated Keras script {seed} (flake8-keras benchmark)."""\n', r.choice(_HEADERS)]
    count, i = sum(p.count("\n") for p in parts), 0
    while count < lines:
        block = "\n\n" + r.choice(_BLOCKS)(r, i)
        parts.append(block)
        count += block.count("\n")
        i += 1
    return "".join(parts)


def write_corpus(out: str, files: int = 20, lines: int = 5000, seed: int = 0) -> list[str]:
    os.makedirs(out, exist_ok=True)
    paths = []
    for n in range(files):
        path = os.path.join(out, f"keras_script_{n:03d}.py")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(script(seed * 1000 + n, lines))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.files, args.lines, args.seed)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
