"""CIFAR-10 functional CNN: labels come as (n, 1) and a sparse loss takes them as they are."""

import keras
import numpy as np
from keras import layers

# mimics keras.datasets.cifar10.load_data(): (n, 32, 32, 3) uint8 images, (n, 1) labels
rng = np.random.default_rng(2)
x_train = rng.integers(0, 256, (96, 32, 32, 3), dtype=np.uint8)
y_train = rng.integers(0, 10, (96, 1), dtype=np.uint8)
x_test = rng.integers(0, 256, (16, 32, 32, 3), dtype=np.uint8)
y_test = rng.integers(0, 10, (16, 1), dtype=np.uint8)
x_train, x_test = x_train / 255.0, x_test / 255.0

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = layers.BatchNormalization()(x)
x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs, name="cifar_cnn")
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
model.evaluate(x_test, y_test, verbose=0)
