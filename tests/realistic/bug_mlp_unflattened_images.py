"""Dense(input_shape=(784,)) MLP fed (n, 28, 28) images never reshaped (raises at fit)."""

import numpy as np
import tensorflow as tf

x_train = np.random.randint(0, 256, (64, 28, 28), dtype=np.uint8).astype("float32") / 255.0
y_train = np.random.randint(0, 10, (64,))

model = tf.keras.models.Sequential(
    [
        tf.keras.layers.Dense(256, activation="relu", input_shape=(784,)),
        tf.keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, verbose=0)  # bug
