"""The model families of the generated training scripts (bench/training_scripts.py).

Each family writes the Keras part of one script: its constants, its functions (data loading,
preprocessing, the model builder) and the steps of the training flow. ``Style`` spells Keras the
way the script imports it. A family can plant one shape bug: the line of the mistake ends with
the marker ``#!KRSnnn``, which the assembler removes and records (the line flake8-keras should
report and the code it should report there).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Style:
    """How a script names Keras: ``k`` for keras.*, ``ly`` for layers.* ("" when imported)."""

    name: str
    k: str
    ly: str


STYLES = (
    Style("import keras", "keras", "layers."),
    Style("from tensorflow import keras", "keras", "layers."),
    Style("tf.keras.*", "tf.keras", "tf.keras.layers."),
    Style("from keras.layers import ...", "keras", ""),
)


@dataclass
class Step:
    """One step of the training flow: a heading, what the prose says, the code."""

    title: str
    topic: str
    code: list[str]


@dataclass
class Family:
    name: str
    summary: str
    constants: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, comment
    functions: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    uses_pandas: bool = False
    has_class: bool = False


def _arg(text: str) -> str:
    """A fit argument line; a bug marker stays at the end of the line, after the comma."""
    value, marker, code = text.partition("  #!")
    return f"    {value},{marker}{code}"


def _fit_step(k: str, x: str, y: str, val: str, epochs: str = "EPOCHS") -> Step:
    return Step(
        "Training",
        "training",
        [
            "callbacks = [",
            f"    {k}.callbacks.EarlyStopping(",
            '        monitor="val_loss", patience=PATIENCE, restore_best_weights=True',
            "    ),",
            f"    {k}.callbacks.ReduceLROnPlateau(factor=0.5, patience=2),",
            "    EpochLogger(log_every=LOG_EVERY),",
            "]",
            "history = model.fit(",
            _arg(x),
            _arg(y),
            "    batch_size=BATCH_SIZE,",
            f"    epochs={epochs},",
            _arg(val),
            "    callbacks=callbacks,",
            "    verbose=2,",
            ")",
            "save_json(history.history, os.path.join(OUTPUT_DIR, 'history.json'))",
        ],
    )


def tabular_mlp(r: random.Random, s: Style, bug: str | None) -> Family:
    """An MLP on a CSV table read with pandas (binary or multi-class)."""
    k, ly = s.k, s.ly
    binary = bug == "KRS405" or r.random() < 0.5
    classes = 2 if binary else r.choice((3, 4, 5, 7))
    head = (
        f'{ly}Dense(1, activation="softmax"),  #!KRS405'
        if bug == "KRS405"
        else f'{ly}Dense(1, activation="sigmoid"),'
        if binary
        else f'{ly}Dense(NUM_CLASSES, activation="softmax"),'
    )
    loss = "binary_crossentropy" if binary else "sparse_categorical_crossentropy"
    hidden = r.choice((32, 64, 128, 256))
    fam = Family("tabular_mlp", "a multilayer perceptron on tabular data", uses_pandas=True)
    fam.constants = [
        ("CSV_PATH", '"data/table.csv"', "the exported table, one row per sample"),
        ("TARGET_COLUMN", '"label"', "the column the model predicts"),
        ("NUM_CLASSES", str(classes), "distinct values of the target"),
        ("HIDDEN_UNITS", str(hidden), "width of the first hidden layer"),
        ("DROPOUT", str(r.choice((0.1, 0.2, 0.3))), "between the hidden layers"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def load_table(path, rows=2000, columns=12, seed=0):",
                '    """Read the table, or make a synthetic one of the same layout.',
                "",
                "    The synthetic table lets the script run on a fresh checkout; the",
                "    real one is exported by the data team every night.",
                '    """',
                "    if os.path.exists(path):",
                "        return pd.read_csv(path)",
                "    rng = np.random.default_rng(seed)",
                '    names = [f"feature_{i}" for i in range(columns)]',
                "    frame = pd.DataFrame(rng.normal(size=(rows, columns)), columns=names)",
                "    frame[TARGET_COLUMN] = rng.integers(0, NUM_CLASSES, rows)",
                "    return frame",
            ]
        ),
        "\n".join(
            [
                "def split_frame(frame, valid_fraction=0.2, seed=0):",
                '    """Shuffle the rows and split them into training and validation."""',
                "    shuffled = frame.sample(frac=1.0, random_state=seed)",
                "    cut = int(len(shuffled) * (1.0 - valid_fraction))",
                "    return shuffled.iloc[:cut], shuffled.iloc[cut:]",
            ]
        ),
        "\n".join(
            [
                "def to_arrays(frame, mean=None, std=None):",
                '    """Features as standardized float32, targets as integers."""',
                "    features = frame.drop(columns=[TARGET_COLUMN]).to_numpy()",
                "    features = features.astype(np.float32)",
                "    if mean is None:",
                "        mean, std = features.mean(axis=0), features.std(axis=0) + 1e-6",
                "    targets = frame[TARGET_COLUMN].to_numpy()",
                "    return (features - mean) / std, targets, mean, std",
            ]
        ),
        "\n".join(
            [
                "def build_model(num_features):",
                '    """Two hidden layers with dropout; the head matches the target."""',
                f"    model = {k}.Sequential(",
                "        [",
                f"            {k}.Input(shape=(num_features,)),",
                f'            {ly}Dense(HIDDEN_UNITS, activation="relu"),',
                f"            {ly}Dropout(DROPOUT),",
                f'            {ly}Dense(HIDDEN_UNITS // 2, activation="relu"),',
                f"            {head}",
                "        ]",
                "    )",
                "    model.compile(",
                f"        optimizer={k}.optimizers.Adam(LEARNING_RATE),",
                f'        loss="{loss}",',
                '        metrics=["accuracy"],',
                "    )",
                "    return model",
            ]
        ),
    ]
    fam.steps = [
        Step(
            "Loading the data",
            "data",
            [
                "frame = load_table(CSV_PATH, seed=SEED)",
                "train_frame, valid_frame = split_frame(frame, seed=SEED)",
                "x_train, y_train, mean, std = to_arrays(train_frame)",
                "x_valid, y_valid, _, _ = to_arrays(valid_frame, mean, std)",
                'print("train", x_train.shape, "valid", x_valid.shape)',
            ],
        ),
        Step(
            "Building the model",
            "model",
            ["model = build_model(x_train.shape[1])", "model.summary()"],
        ),
        _fit_step(k, "x_train", "y_train", "validation_data=(x_valid, y_valid)"),
        Step(
            "Evaluation",
            "evaluation",
            [
                "loss, accuracy = model.evaluate(x_valid, y_valid, verbose=0)",
                'print(f"validation loss {loss:.4f} accuracy {accuracy:.3f}")',
                "probabilities = model.predict(x_valid, verbose=0)",
                "if probabilities.shape[-1] == 1:",
                "    predicted = (probabilities[:, 0] > 0.5).astype(int)",
                "else:",
                "    predicted = probabilities.argmax(axis=-1)",
                "matrix = confusion_matrix(y_valid, predicted, NUM_CLASSES)",
                "print(format_matrix(matrix))",
            ],
        ),
    ]
    return fam


def image_cnn(r: random.Random, s: Style, bug: str | None) -> Family:
    """A convnet on MNIST / Fashion-MNIST / CIFAR-10 from keras.datasets."""
    k, ly = s.k, s.ly
    gray = (("mnist", 28, 1), ("fashion_mnist", 28, 1))
    dataset, size, channels = r.choice(gray if bug == "KRS301" else (*gray, ("cifar10", 32, 3)))
    one_hot = bug == "KRS401" or r.random() < 0.5
    filters = r.choice((16, 32, 64))
    declared = 3 if bug == "KRS301" else channels
    prep = (
        ["x_train = np.expand_dims(x_train, -1)", "x_test = np.expand_dims(x_test, -1)"]
        if channels == 1
        else []
    )
    if bug == "KRS401":
        labels = ["# the labels stay integer class ids"]
    elif one_hot:
        labels = [
            f"y_train = {k}.utils.to_categorical(y_train, NUM_CLASSES)",
            f"y_test = {k}.utils.to_categorical(y_test, NUM_CLASSES)",
        ]
    else:
        labels = []
    loss = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    mark_y = "  #!KRS401" if bug == "KRS401" else ""  # fit and evaluate fail
    fit_y = "y_train" + mark_y
    mark_x = "  #!KRS301" if bug == "KRS301" else ""  # fit, evaluate and predict all fail
    fit_x = "x_train" + mark_x
    fam = Family("image_cnn", f"a convolutional classifier on {dataset}")
    fam.constants = [
        ("NUM_CLASSES", "10", "digits or object categories"),
        ("IMAGE_SIZE", str(size), "height and width of the images"),
        ("FILTERS", str(filters), "filters of the first convolution"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def preview_grid(images, labels, path, count=16):",
                '    """Save a grid of the first images with their labels."""',
                "    side = int(np.ceil(np.sqrt(count)))",
                "    figure = plt.figure(figsize=(side * 1.5, side * 1.5))",
                "    for index in range(min(count, len(images))):",
                "        axis = figure.add_subplot(side, side, index + 1)",
                "        axis.imshow(np.squeeze(images[index]), cmap='gray')",
                "        axis.set_title(str(labels[index]))",
                "        axis.axis('off')",
                "    figure.savefig(path)",
                "    plt.close(figure)",
            ]
        ),
    ]
    model_code = [
        f"model = {k}.Sequential()",
        f"model.add({k}.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, {declared})))",
        f'model.add({ly}Conv2D(FILTERS, (3, 3), activation="relu", padding="same"))',
        f"model.add({ly}MaxPooling2D((2, 2)))",
        f'model.add({ly}Conv2D(FILTERS * 2, (3, 3), activation="relu"))',
        f"model.add({ly}MaxPooling2D((2, 2)))",
        f"model.add({ly}Flatten())",
        f"model.add({ly}Dropout(0.5))",
        f'model.add({ly}Dense(NUM_CLASSES, activation="softmax"))',
        f'model.compile(optimizer="adam", loss="{loss}", metrics=["accuracy"])',
        "model.summary()",
    ]
    fam.steps = [
        Step(
            "Loading the data",
            "data",
            [
                f"(x_train, y_train), (x_test, y_test) = {k}.datasets.{dataset}.load_data()",
                "# scale the pixels to [0, 1]",
                'x_train = x_train.astype("float32") / 255.0',
                'x_test = x_test.astype("float32") / 255.0',
                *prep,
                'print("x_train shape:", x_train.shape)',
                'print(len(x_train), "train samples,", len(x_test), "test samples")',
                *labels,
                "preview_grid(x_train, y_train, os.path.join(OUTPUT_DIR, 'grid.png'))",
            ],
        ),
        Step("Building the model", "model", model_code),
        _fit_step(k, fit_x, fit_y, "validation_split=VALID_FRACTION"),
        Step(
            "Evaluation",
            "evaluation",
            [
                "score = model.evaluate(x_test, y_test, verbose=0)" + (mark_x or mark_y),
                'print("Test loss:", score[0])',
                'print("Test accuracy:", score[1])',
                "first = model.predict(x_test[:1], verbose=0)" + mark_x,
                'print("first test image is class", int(first.argmax()))',
            ],
        ),
    ]
    return fam


def text_classifier(r: random.Random, s: Style, bug: str | None) -> Family:
    """An LSTM/GRU sentiment classifier on IMDB reviews (pad_sequences, Embedding)."""
    k, ly = s.k, s.ly
    rnn = r.choice(("LSTM", "GRU"))
    bidi = r.random() < 0.5
    stacked = bug == "KRS103" or r.random() < 0.4
    first = f"{ly}{rnn}(UNITS, return_sequences=True)" if stacked else f"{ly}{rnn}(UNITS)"
    if bug == "KRS103":
        first = f"{ly}{rnn}(UNITS)"
    wrap = (lambda layer: f"{ly}Bidirectional({layer})") if bidi else (lambda layer: layer)
    stack = [f"    x = {wrap(first)}(x)"]
    if stacked:
        mark = "  #!KRS103" if bug == "KRS103" else ""
        stack.append(f"    x = {wrap(f'{ly}{rnn}(UNITS // 2)')}(x){mark}")
    fam = Family("text_classifier", f"a recurrent ({rnn}) sentiment classifier on IMDB")
    fam.constants = [
        ("MAX_FEATURES", str(r.choice((10000, 20000))), "vocabulary: the most frequent words"),
        ("MAXLEN", str(r.choice((80, 200, 400))), "reviews are cut or padded to this"),
        ("EMBED_DIM", str(r.choice((64, 128))), "size of the word vectors"),
        ("UNITS", str(r.choice((32, 64))), "units of the recurrent layer"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def build_model():",
                '    """Embedding, recurrent layers, one sigmoid unit."""',
                f'    inputs = {k}.Input(shape=(MAXLEN,), dtype="int32")',
                f"    x = {ly}Embedding(MAX_FEATURES, EMBED_DIM)(inputs)",
                *stack,
                f"    x = {ly}Dropout(0.3)(x)",
                f'    outputs = {ly}Dense(1, activation="sigmoid")(x)',
                f"    return {k}.Model(inputs, outputs)",
            ]
        ),
        "\n".join(
            [
                "def decode_review(ids, index):",
                '    """Turn word ids back into text (ids are offset by 3)."""',
                "    reverse = {value + 3: word for word, value in index.items()}",
                '    return " ".join(reverse.get(i, "?") for i in ids)',
            ]
        ),
    ]
    pad = f"{k}.utils.pad_sequences"
    fam.steps = [
        Step(
            "Loading the data",
            "data",
            [
                f"(x_train, y_train), (x_val, y_val) = {k}.datasets.imdb.load_data(",
                "    num_words=MAX_FEATURES",
                ")",
                'print(len(x_train), "training sequences")',
                'print(len(x_val), "validation sequences")',
                "# pad every review to the same length",
                f"x_train = {pad}(x_train, maxlen=MAXLEN)",
                f"x_val = {pad}(x_val, maxlen=MAXLEN)",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                "model = build_model()",
                'model.compile("adam", "binary_crossentropy", metrics=["accuracy"])',
                "model.summary()",
            ],
        ),
        _fit_step(k, "x_train", "y_train", "validation_data=(x_val, y_val)"),
        Step(
            "Evaluation",
            "evaluation",
            [
                "loss, accuracy = model.evaluate(x_val, y_val, verbose=0)",
                'print(f"validation accuracy: {accuracy:.3f}")',
                "scores = model.predict(x_val[:8], verbose=0)",
                "for score, label in zip(scores[:, 0], y_val[:8]):",
                '    print(f"predicted {score:.2f} true {label}")',
            ],
        ),
    ]
    return fam


def sequence_tagger(r: random.Random, s: Style, bug: str | None) -> Family:
    """A bidirectional LSTM tagger: one tag per token (NER / part of speech)."""
    k, ly = s.k, s.ly
    rnn = r.choice(("LSTM", "GRU"))
    seq = "False" if bug == "KRS201" else "True"
    fam = Family("sequence_tagger", f"a bidirectional {rnn} sequence tagger")
    fam.constants = [
        ("NUM_SENTENCES", str(r.choice((2000, 5000))), "sentences in the training set"),
        ("MAX_LEN", str(r.choice((40, 50, 75))), "tokens per padded sentence"),
        ("VOCAB_SIZE", str(r.choice((5000, 12000))), "distinct words plus padding"),
        ("NUM_TAGS", str(r.choice((9, 17, 24))), "entity or part-of-speech tags"),
        ("UNITS", str(r.choice((64, 100, 128))), "units per direction"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def synthetic_corpus(seed=0):",
                '    """Token ids and tag ids of the same length, padded with 0."""',
                "    rng = np.random.default_rng(seed)",
                "    tokens = rng.integers(1, VOCAB_SIZE, (NUM_SENTENCES, MAX_LEN))",
                "    tags = rng.integers(0, NUM_TAGS, (NUM_SENTENCES, MAX_LEN))",
                "    return tokens, tags",
            ]
        ),
        "\n".join(
            [
                "def token_accuracy(true_tags, predicted_tags, mask):",
                '    """Accuracy over the real tokens only (padding excluded)."""',
                "    hits = (true_tags == predicted_tags) & mask",
                "    return hits.sum() / max(mask.sum(), 1)",
            ]
        ),
    ]
    fam.steps = [
        Step(
            "Loading the data",
            "data",
            [
                "rng = np.random.default_rng(SEED)",
                "tokens = rng.integers(1, VOCAB_SIZE, (NUM_SENTENCES, MAX_LEN))",
                "tags = rng.integers(0, NUM_TAGS, (NUM_SENTENCES, MAX_LEN))",
                "cut = int(NUM_SENTENCES * (1 - VALID_FRACTION))",
                "x_train, x_valid = tokens[:cut], tokens[cut:]",
                "y_train, y_valid = tags[:cut], tags[cut:]",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                f"inputs = {k}.Input(shape=(MAX_LEN,))",
                f"x = {ly}Embedding(VOCAB_SIZE, 64, mask_zero=True)(inputs)",
                f"x = {ly}Bidirectional({ly}{rnn}(UNITS, return_sequences={seq}))(x)",
                f"x = {ly}Dropout(0.2)(x)",
                f'outputs = {ly}Dense(NUM_TAGS, activation="softmax")(x)',
                f"model = {k}.Model(inputs, outputs)",
                "model.compile(",
                '    optimizer="adam",',
                '    loss="sparse_categorical_crossentropy",',
                '    metrics=["accuracy"],',
                ")",
            ],
        ),
        _fit_step(
            k,
            "x_train",
            "y_train  #!KRS201" if bug == "KRS201" else "y_train",
            "validation_data=(x_valid, y_valid)" + ("  #!KRS201" if bug == "KRS201" else ""),
        ),
        Step(
            "Evaluation",
            "evaluation",
            [
                "predicted = model.predict(x_valid, verbose=0).argmax(axis=-1)",
                "mask = x_valid > 0",
                "print('token accuracy', token_accuracy(y_valid, predicted, mask))",
            ],
        ),
    ]
    return fam


def seq2seq(r: random.Random, s: Style, bug: str | None) -> Family:
    """A character-level encoder-decoder: encoder states seed the decoder LSTM."""
    k, ly = s.k, s.ly
    fam = Family("seq2seq", "a character-level encoder-decoder (seq2seq)")
    fam.constants = [
        ("NUM_SAMPLES", str(r.choice((1000, 5000, 10000))), "sentence pairs to train on"),
        ("LATENT_DIM", str(r.choice((128, 256))), "size of the encoder state"),
        ("ENCODER_TOKENS", str(r.choice((60, 71, 80))), "characters of the source text"),
        ("DECODER_TOKENS", str(r.choice((80, 93, 100))), "characters of the target text"),
        ("ENCODER_LEN", str(r.choice((16, 24))), "longest source sentence"),
        ("DECODER_LEN", str(r.choice((30, 59))), "longest target sentence"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def read_pairs(path, limit):",
                '    """Tab-separated source and target sentences, at most limit."""',
                "    pairs = []",
                "    if not os.path.exists(path):",
                '        return [("go.", "va !"), ("run!", "cours !")] * (limit // 2)',
                '    with open(path, encoding="utf-8") as handle:',
                "        for line in handle.read().split('\\n')[:limit]:",
                "            if '\\t' in line:",
                "                source, target = line.split('\\t')[:2]",
                "                pairs.append((source, '\\t' + target + '\\n'))",
                "    return pairs",
            ]
        ),
        "\n".join(
            [
                "def one_hot_batch(pairs, index, length, tokens, side):",
                '    """One-hot (samples, length, tokens) encoding of one side."""',
                '    data = np.zeros((len(pairs), length, tokens), dtype="float32")',
                "    for i, pair in enumerate(pairs):",
                "        for t, char in enumerate(pair[side][:length]):",
                "            data[i, t, index.get(char, 0)] = 1.0",
                "    return data",
            ]
        ),
    ]
    fam.steps = [
        Step(
            "Preparing the data",
            "data",
            [
                "pairs = read_pairs(os.path.join(DATA_DIR, 'fra.txt'), NUM_SAMPLES)",
                "print(len(pairs), 'sentence pairs, e.g.', pairs[:2])",
                "rng = np.random.default_rng(SEED)",
                "enc_ids = rng.integers(0, ENCODER_TOKENS, (NUM_SAMPLES, ENCODER_LEN))",
                "dec_ids = rng.integers(0, DECODER_TOKENS, (NUM_SAMPLES, DECODER_LEN))",
                f"encoder_input_data = {k}.utils.to_categorical(enc_ids, ENCODER_TOKENS)",
                f"decoder_input_data = {k}.utils.to_categorical(dec_ids, DECODER_TOKENS)",
                "decoder_target_data = np.zeros(",
                '    (NUM_SAMPLES, DECODER_LEN, DECODER_TOKENS), dtype="float32"',
                ")",
                "# the target is the decoder input shifted by one step",
                "decoder_target_data[:, :-1] = decoder_input_data[:, 1:]",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                f"encoder_inputs = {k}.Input(shape=(None, ENCODER_TOKENS))",
                f"encoder = {ly}LSTM(LATENT_DIM, return_state=True)",
                "encoder_outputs, state_h, state_c = encoder(encoder_inputs)",
                "encoder_states = [state_h, state_c]",
                f"decoder_inputs = {k}.Input(shape=(None, DECODER_TOKENS))",
                f"decoder_lstm = {ly}LSTM(",
                "    LATENT_DIM, return_sequences=True, return_state=True",
                ")",
                "decoder_outputs, _, _ = decoder_lstm(",
                "    decoder_inputs, initial_state=encoder_states",
                ")",
                f'decoder_dense = {ly}Dense(DECODER_TOKENS, activation="softmax")',
                "decoder_outputs = decoder_dense(decoder_outputs)",
                f"model = {k}.Model([encoder_inputs, decoder_inputs], decoder_outputs)",
                "model.compile(",
                '    optimizer="rmsprop",',
                '    loss="categorical_crossentropy",',
                '    metrics=["accuracy"],',
                ")",
            ],
        ),
        _fit_step(
            k,
            "[encoder_input_data, decoder_input_data]",
            "decoder_target_data",
            "validation_split=VALID_FRACTION",
        ),
        Step(
            "Saving the model",
            "saving",
            ["model.save(os.path.join(OUTPUT_DIR, 's2s.keras'))"],
        ),
    ]
    return fam


def forecaster(r: random.Random, s: Style, bug: str | None) -> Family:
    """A time-series forecaster on numpy windows (LSTM, GRU or Conv1D)."""
    k, ly = s.k, s.ly
    rnn = r.choice(("LSTM", "GRU"))
    stacked = bug == "KRS103" or r.random() < 0.5
    layers_code = [f"model.add({ly}{rnn}(UNITS, return_sequences=True))"] if stacked else []
    if bug == "KRS103":
        layers_code = [f"model.add({ly}{rnn}(UNITS))"]
    mark = "  #!KRS103" if bug == "KRS103" else ""
    last = f"model.add({ly}{rnn}(UNITS // 2)){mark}" if stacked else f"model.add({ly}{rnn}(UNITS))"
    fam = Family("forecaster", f"a {rnn} time-series forecaster on sliding windows")
    fam.constants = [
        ("WINDOW", str(r.choice((24, 48, 60, 120))), "past steps the model sees"),
        ("HORIZON", str(r.choice((1, 6, 12))), "future steps it predicts"),
        ("N_FEATURES", str(r.choice((1, 3, 5, 7))), "measured variables per step"),
        ("UNITS", str(r.choice((32, 50, 64))), "units of the recurrent layers"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def make_windows(series, window, horizon):",
                '    """Slide over the series: inputs (window, features), targets',
                "    (horizon,) of the first variable.",
                '    """',
                "    inputs, targets = [], []",
                "    for start in range(len(series) - window - horizon + 1):",
                "        inputs.append(series[start : start + window])",
                "        end = start + window + horizon",
                "        targets.append(series[start + window : end, 0])",
                "    return np.array(inputs), np.array(targets)",
            ]
        ),
        "\n".join(
            [
                "def synthetic_series(steps, features, seed=0):",
                '    """Seasonal signal plus noise, one column per variable."""',
                "    rng = np.random.default_rng(seed)",
                "    t = np.arange(steps)[:, None]",
                "    season = np.sin(2 * np.pi * t / 24.0) + 0.1 * t / steps",
                "    return season + 0.2 * rng.normal(size=(steps, features))",
            ]
        ),
        "\n".join(
            [
                "def mean_absolute_error(true, predicted):",
                '    """MAE over every step of the horizon."""',
                "    return float(np.mean(np.abs(true - predicted)))",
            ]
        ),
    ]
    fam.steps = [
        Step(
            "Windowing the series",
            "data",
            [
                "series = synthetic_series(5000, N_FEATURES, seed=SEED)",
                "mean, std = series.mean(axis=0), series.std(axis=0)",
                "series = (series - mean) / std",
                "x, y = make_windows(series, WINDOW, HORIZON)",
                "split = int(len(x) * (1 - VALID_FRACTION))",
                "x_train, y_train = x[:split], y[:split]",
                "x_valid, y_valid = x[split:], y[split:]",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                f"model = {k}.Sequential()",
                f"model.add({k}.Input(shape=(WINDOW, N_FEATURES)))",
                *layers_code,
                f"model.add({ly}Dropout(0.2))" if stacked else "# one recurrent layer",
                last,
                f"model.add({ly}Dense(HORIZON))",
                'model.compile(loss="mse", optimizer="adam", metrics=["mae"])',
            ],
        ),
        _fit_step(k, "x_train", "y_train", "validation_data=(x_valid, y_valid)"),
        Step(
            "Forecasting",
            "evaluation",
            [
                "forecast = model.predict(x_valid, verbose=0)",
                "print('MAE', mean_absolute_error(y_valid, forecast))",
                "naive = np.repeat(x_valid[:, -1:, 0], HORIZON, axis=1)",
                "print('naive MAE', mean_absolute_error(y_valid, naive))",
            ],
        ),
    ]
    return fam


def autoencoder(r: random.Random, s: Style, bug: str | None) -> Family:
    """A denoising autoencoder on MNIST: dense bottleneck, Reshape, transposed convs."""
    k, ly = s.k, s.ly
    code = r.choice((16, 32, 64))
    channels = 64 if bug == "KRS503" else 32
    mark = "  #!KRS503" if bug == "KRS503" else ""
    fam = Family("autoencoder", "a denoising convolutional autoencoder on MNIST")
    fam.constants = [
        ("CODE_SIZE", str(code), "size of the bottleneck"),
        ("NOISE", str(r.choice((0.3, 0.5))), "std of the gaussian noise added"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def add_noise(images, factor, seed=0):",
                '    """Gaussian noise, clipped back to [0, 1]."""',
                "    rng = np.random.default_rng(seed)",
                "    noisy = images + factor * rng.normal(size=images.shape)",
                "    return np.clip(noisy, 0.0, 1.0)",
            ]
        ),
        "\n".join(
            [
                "def build_autoencoder():",
                '    """Encoder to CODE_SIZE numbers, decoder back to the image."""',
                f"    inputs = {k}.Input(shape=(28, 28, 1))",
                f'    x = {ly}Conv2D(32, 3, strides=2, padding="same", activation="relu")(',
                "        inputs",
                "    )",
                f'    x = {ly}Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)',
                f"    x = {ly}Flatten()(x)",
                f'    code = {ly}Dense(CODE_SIZE, name="code")(x)',
                f"    x = {ly}Dense(7 * 7 * 32)(code)",
                f"    x = {ly}Reshape((7, 7, {channels}))(x){mark}",
                f'    x = {ly}Conv2DTranspose(32, 3, strides=2, padding="same")(x)',
                f'    x = {ly}Conv2DTranspose(32, 3, strides=2, padding="same")(x)',
                f'    outputs = {ly}Conv2D(1, 3, padding="same", activation="sigmoid")(x)',
                f"    return {k}.Model(inputs, outputs)",
            ]
        ),
    ]
    fam.steps = [
        Step(
            "Loading the data",
            "data",
            [
                f"(x_train, _), (x_test, _) = {k}.datasets.mnist.load_data()",
                'x_train = np.expand_dims(x_train.astype("float32") / 255.0, -1)',
                'x_test = np.expand_dims(x_test.astype("float32") / 255.0, -1)',
                "noisy_train = add_noise(x_train, NOISE, seed=SEED)",
                "noisy_test = add_noise(x_test, NOISE, seed=SEED + 1)",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                "model = build_autoencoder()",
                'model.compile(optimizer="adam", loss="binary_crossentropy")',
            ],
        ),
        _fit_step(k, "noisy_train", "x_train", "validation_data=(noisy_test, x_test)"),
        Step(
            "Denoising",
            "evaluation",
            [
                "cleaned = model.predict(noisy_test[:16], verbose=0)",
                "preview_pairs(noisy_test[:16], cleaned, OUTPUT_DIR)",
            ],
        ),
    ]
    fam.functions.append(
        "\n".join(
            [
                "def preview_pairs(noisy, cleaned, folder):",
                '    """Noisy images above, their reconstruction below."""',
                "    figure, axes = plt.subplots(2, len(noisy), figsize=(len(noisy), 2))",
                "    for i in range(len(noisy)):",
                "        axes[0, i].imshow(noisy[i, :, :, 0], cmap='gray')",
                "        axes[1, i].imshow(cleaned[i, :, :, 0], cmap='gray')",
                "    figure.savefig(os.path.join(folder, 'denoised.png'))",
                "    plt.close(figure)",
            ]
        )
    )
    return fam


def transformer(r: random.Random, s: Style, bug: str | None) -> Family:
    """A transformer text classifier: custom layers around MultiHeadAttention."""
    k, ly = s.k, s.ly
    base = f"{k}.layers.Layer"
    fam = Family("transformer", "a transformer block text classifier", has_class=True)
    fam.constants = [
        ("VOCAB_SIZE", str(r.choice((20000, 30000))), "words kept by the tokenizer"),
        ("MAXLEN", str(r.choice((128, 200, 256))), "tokens per review"),
        ("EMBED_DIM", str(r.choice((32, 64))), "embedding size for each token"),
        ("NUM_HEADS", str(r.choice((2, 4))), "attention heads"),
        ("FF_DIM", str(r.choice((32, 64, 128))), "hidden size of the feed-forward part"),
    ]
    fam.functions = [
        "\n".join(
            [
                f"class TransformerBlock({base}):",
                '    """Self-attention and a feed-forward network, each residual."""',
                "",
                "    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):",
                "        super().__init__()",
                f"        self.att = {ly}MultiHeadAttention(",
                "            num_heads=num_heads, key_dim=embed_dim",
                "        )",
                f"        self.ffn = {k}.Sequential(",
                f'            [{ly}Dense(ff_dim, activation="relu"), {ly}Dense(embed_dim)]',
                "        )",
                f"        self.norm1 = {ly}LayerNormalization(epsilon=1e-6)",
                f"        self.norm2 = {ly}LayerNormalization(epsilon=1e-6)",
                f"        self.drop1 = {ly}Dropout(rate)",
                f"        self.drop2 = {ly}Dropout(rate)",
                "",
                "    def call(self, inputs, training=False):",
                "        attention = self.att(inputs, inputs)",
                "        attention = self.drop1(attention, training=training)",
                "        out1 = self.norm1(inputs + attention)",
                "        ffn_output = self.drop2(self.ffn(out1), training=training)",
                "        return self.norm2(out1 + ffn_output)",
            ]
        ),
        "\n".join(
            [
                f"class TokenAndPositionEmbedding({base}):",
                '    """Token embedding plus a learned embedding of the position."""',
                "",
                "    def __init__(self, maxlen, vocab_size, embed_dim):",
                "        super().__init__()",
                f"        self.token_emb = {ly}Embedding(vocab_size, embed_dim)",
                f"        self.pos_emb = {ly}Embedding(maxlen, embed_dim)",
                "",
                "    def call(self, x):",
                f"        maxlen = {k}.ops.shape(x)[-1]",
                f"        positions = {k}.ops.arange(0, maxlen, 1)",
                "        return self.token_emb(x) + self.pos_emb(positions)",
            ]
        ),
    ]
    pad = f"{k}.utils.pad_sequences"
    fam.steps = [
        Step(
            "Loading the data",
            "data",
            [
                f"(x_train, y_train), (x_val, y_val) = {k}.datasets.imdb.load_data(",
                "    num_words=VOCAB_SIZE",
                ")",
                f"x_train = {pad}(x_train, maxlen=MAXLEN)",
                f"x_val = {pad}(x_val, maxlen=MAXLEN)",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                f"inputs = {ly}Input(shape=(MAXLEN,))"
                if s.ly
                else f"inputs = {k}.Input(shape=(MAXLEN,))",
                "embedding = TokenAndPositionEmbedding(MAXLEN, VOCAB_SIZE, EMBED_DIM)",
                "x = embedding(inputs)",
                "x = TransformerBlock(EMBED_DIM, NUM_HEADS, FF_DIM)(x)",
                f"x = {ly}GlobalAveragePooling1D()(x)",
                f"x = {ly}Dropout(0.1)(x)",
                f'x = {ly}Dense(20, activation="relu")(x)',
                f'outputs = {ly}Dense(2, activation="softmax")(x)',
                f"model = {k}.Model(inputs=inputs, outputs=outputs)",
                "model.compile(",
                '    optimizer="adam",',
                '    loss="sparse_categorical_crossentropy",',
                '    metrics=["accuracy"],',
                ")",
            ],
        ),
        _fit_step(k, "x_train", "y_train", "validation_data=(x_val, y_val)"),
    ]
    return fam


def subclassed(r: random.Random, s: Style, bug: str | None) -> Family:
    """A subclassed keras.Model (a small residual MLP) trained with fit."""
    k, ly = s.k, s.ly
    fam = Family("subclassed", "a subclassed Model with a residual MLP", has_class=True)
    fam.constants = [
        ("N_FEATURES", str(r.choice((16, 20, 32))), "columns of the feature matrix"),
        ("WIDTH", str(r.choice((64, 128))), "width of the residual blocks"),
        ("NUM_CLASSES", str(r.choice((3, 5, 10))), "classes of the target"),
    ]
    fam.functions = [
        "\n".join(
            [
                f"class ResidualMLP({k}.Model):",
                '    """Dense blocks with skip connections and a softmax head."""',
                "",
                "    def __init__(self, width, num_classes, blocks=2):",
                "        super().__init__()",
                f'        self.stem = {ly}Dense(width, activation="relu")',
                "        self.blocks = [",
                f'            {ly}Dense(width, activation="relu") for _ in range(blocks)',
                "        ]",
                f"        self.norm = {ly}LayerNormalization()",
                f'        self.head = {ly}Dense(num_classes, activation="softmax")',
                "",
                "    def call(self, inputs, training=False):",
                "        x = self.stem(inputs)",
                "        for block in self.blocks:",
                "            x = self.norm(x + block(x))",
                "        return self.head(x)",
            ]
        ),
    ]
    fam.steps = [
        Step(
            "Making the data",
            "data",
            [
                "rng = np.random.default_rng(SEED)",
                'x_train = rng.normal(size=(4000, N_FEATURES)).astype("float32")',
                "y_train = rng.integers(0, NUM_CLASSES, (4000,))",
                'x_test = rng.normal(size=(800, N_FEATURES)).astype("float32")',
                "y_test = rng.integers(0, NUM_CLASSES, (800,))",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                "model = ResidualMLP(WIDTH, NUM_CLASSES)",
                "model.compile(",
                f"    optimizer={k}.optimizers.Adam(LEARNING_RATE),",
                f"    loss={k}.losses.SparseCategoricalCrossentropy(),",
                '    metrics=["accuracy"],',
                ")",
            ],
        ),
        _fit_step(k, "x_train", "y_train", "validation_split=VALID_FRACTION"),
        Step(
            "Evaluation",
            "evaluation",
            [
                "results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)",
                "print(results)",
            ],
        ),
    ]
    return fam


def multi_input(r: random.Random, s: Style, bug: str | None) -> Family:
    """A functional model with two inputs (text and numbers) merged by Concatenate."""
    k, ly = s.k, s.ly
    fam = Family("multi_input", "a functional model with a text and a numeric input")
    fam.constants = [
        ("NUM_WORDS", str(r.choice((5000, 10000))), "vocabulary of the ticket titles"),
        ("TITLE_LEN", str(r.choice((12, 20))), "tokens per title"),
        ("NUM_NUMERIC", str(r.choice((4, 6, 8))), "numeric columns of a ticket"),
        ("NUM_DEPARTMENTS", str(r.choice((4, 6))), "departments a ticket goes to"),
    ]
    fam.functions = [
        "\n".join(
            [
                "def build_model():",
                '    """Title tokens through an embedding, numbers through a Dense."""',
                f'    title = {k}.Input(shape=(TITLE_LEN,), name="title")',
                f'    numbers = {k}.Input(shape=(NUM_NUMERIC,), name="numbers")',
                f"    x = {ly}Embedding(NUM_WORDS, 64)(title)",
                f"    x = {ly}GlobalAveragePooling1D()(x)",
                f'    y = {ly}Dense(32, activation="relu")(numbers)',
                f"    merged = {ly}Concatenate()([x, y])",
                f'    merged = {ly}Dense(64, activation="relu")(merged)',
                f'    outputs = {ly}Dense(NUM_DEPARTMENTS, activation="softmax")(merged)',
                f"    return {k}.Model([title, numbers], outputs)",
            ]
        ),
    ]
    fam.steps = [
        Step(
            "Making the data",
            "data",
            [
                "rng = np.random.default_rng(SEED)",
                "titles = rng.integers(1, NUM_WORDS, (3000, TITLE_LEN))",
                "numeric = rng.normal(size=(3000, NUM_NUMERIC))",
                "departments = rng.integers(0, NUM_DEPARTMENTS, (3000,))",
                f"targets = {k}.utils.to_categorical(departments, NUM_DEPARTMENTS)",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                "model = build_model()",
                'model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])',
                f"{k}.utils.plot_model(model, os.path.join(OUTPUT_DIR, 'model.png'))"
                if r.random() < 0.3
                else "model.summary()",
            ],
        ),
        _fit_step(k, "[titles, numeric]", "targets", "validation_split=VALID_FRACTION"),
    ]
    return fam


def residual_cnn(r: random.Random, s: Style, bug: str | None) -> Family:
    """A small functional ResNet on CIFAR-10: residual Add with projected shortcuts."""
    k, ly = s.k, s.ly
    shortcut = [f'        shortcut = {ly}Conv2D(filters, 1, padding="same")(shortcut)']
    mark = "  #!KRS504" if bug == "KRS504" else ""
    fam = Family("residual_cnn", "a small residual network on CIFAR-10")
    fam.constants = [("NUM_CLASSES", "10", "CIFAR-10 categories")]
    fam.functions = [
        "\n".join(
            [
                "def residual_block(x, filters):",
                '    """Two 3x3 convolutions; the shortcut is projected to filters."""',
                "    shortcut = x",
                f'    x = {ly}Conv2D(filters, 3, padding="same", activation="relu")(x)',
                f'    x = {ly}Conv2D(filters, 3, padding="same")(x)',
                "    if shortcut.shape[-1] != filters:",
                *shortcut,
                f"    x = {ly}Add()([shortcut, x])",
                f'    return {ly}Activation("relu")(x)',
            ]
        ),
    ]
    model = [
        f"inputs = {k}.Input(shape=(32, 32, 3))",
        f'x = {ly}Conv2D(32, 3, padding="same", activation="relu")(inputs)',
        "x = residual_block(x, 32)",
        f"x = {ly}MaxPooling2D()(x)",
    ]
    if bug == "KRS504":
        model += [
            "shortcut = x",
            f'x = {ly}Conv2D(64, 3, padding="same", activation="relu")(x)',
            f"x = {ly}Add()([shortcut, x]){mark}",
        ]
    else:
        model += ["x = residual_block(x, 64)"]
    model += [
        f"x = {ly}GlobalAveragePooling2D()(x)",
        f'outputs = {ly}Dense(NUM_CLASSES, activation="softmax")(x)',
        f'model = {k}.Model(inputs, outputs, name="small_resnet")',
        'model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])',
    ]
    fam.steps = [
        Step(
            "Loading the data",
            "data",
            [
                f"(x_train, y_train), (x_test, y_test) = {k}.datasets.cifar10.load_data()",
                'x_train = x_train.astype("float32") / 255.0',
                'x_test = x_test.astype("float32") / 255.0',
            ],
        ),
        Step("Building the model", "model", model),
        _fit_step(k, "x_train", "y_train", "validation_data=(x_test, y_test)"),
        Step(
            "Evaluation",
            "evaluation",
            [
                "loss, accuracy = model.evaluate(x_test, y_test, verbose=0)",
                "print(f'test accuracy {accuracy:.3f}')",
                "probabilities = model.predict(x_test[:1], verbose=0)",
                "print('first image:', probabilities.argmax(axis=-1))",
            ],
        ),
    ]
    return fam


def image_folder(r: random.Random, s: Style, bug: str | None) -> Family:
    """Transfer-style classifier on image_dataset_from_directory, with augmentation."""
    k, ly = s.k, s.ly
    size = r.choice((128, 160, 180, 224))
    fam = Family("image_folder", "an image classifier on a folder of images")
    fam.constants = [
        ("IMAGE_SIZE", f"({size}, {size})", "images are resized to this"),
        ("NUM_CLASSES", str(r.choice((2, 5, 102))), "sub-folders of the data folder"),
    ]
    fam.steps = [
        Step(
            "Loading the images",
            "data",
            [
                f"train_ds, val_ds = {k}.utils.image_dataset_from_directory(",
                "    DATA_DIR,",
                "    validation_split=VALID_FRACTION,",
                '    subset="both",',
                "    seed=SEED,",
                "    image_size=IMAGE_SIZE,",
                "    batch_size=BATCH_SIZE,",
                ")",
                "train_ds = train_ds.prefetch(2)",
            ],
        ),
        Step(
            "Building the model",
            "model",
            [
                f"augmentation = {k}.Sequential(",
                f'    [{ly}RandomFlip("horizontal"), {ly}RandomRotation(0.1)]',
                ")",
                f"inputs = {k}.Input(shape=IMAGE_SIZE + (3,))",
                "x = augmentation(inputs)",
                f"x = {ly}Rescaling(1.0 / 255)(x)",
                f'x = {ly}Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)',
                f"x = {ly}BatchNormalization()(x)",
                f'x = {ly}SeparableConv2D(64, 3, padding="same", activation="relu")(x)',
                f'x = {ly}MaxPooling2D(3, strides=2, padding="same")(x)',
                f"x = {ly}GlobalAveragePooling2D()(x)",
                f"x = {ly}Dropout(0.25)(x)",
                f"outputs = {ly}Dense(NUM_CLASSES)(x)",
                f"model = {k}.Model(inputs, outputs)",
                "model.compile(",
                f"    optimizer={k}.optimizers.Adam(LEARNING_RATE),",
                f"    loss={k}.losses.SparseCategoricalCrossentropy(from_logits=True),",
                '    metrics=["accuracy"],',
                ")",
            ],
        ),
        Step(
            "Training",
            "training",
            [
                "history = model.fit(",
                "    train_ds,",
                "    epochs=EPOCHS,",
                "    validation_data=val_ds,",
                f"    callbacks=[{k}.callbacks.ModelCheckpoint('best.keras')],",
                ")",
                "save_json(history.history, os.path.join(OUTPUT_DIR, 'history.json'))",
            ],
        ),
    ]
    return fam


FAMILIES: dict[str, Callable[[random.Random, Style, str | None], Family]] = {
    "tabular_mlp": tabular_mlp,
    "image_cnn": image_cnn,
    "text_classifier": text_classifier,
    "sequence_tagger": sequence_tagger,
    "seq2seq": seq2seq,
    "forecaster": forecaster,
    "autoencoder": autoencoder,
    "transformer": transformer,
    "subclassed": subclassed,
    "multi_input": multi_input,
    "residual_cnn": residual_cnn,
    "image_folder": image_folder,
}

# The bugs a family can plant (each one mistake flake8-keras reports).
BUGS: dict[str, tuple[str, ...]] = {
    "KRS103": ("text_classifier", "forecaster"),
    "KRS201": ("sequence_tagger",),
    "KRS301": ("image_cnn",),
    "KRS401": ("image_cnn",),
    "KRS405": ("tabular_mlp",),
    "KRS503": ("autoencoder",),
    "KRS504": ("residual_cnn",),
}
