"""Dense(10) head trained on to_categorical(y, 5) targets (raises: shapes (32, 5) vs (32, 10))."""

import keras
import numpy as np

num_classes = 5
features = np.random.random((64, 30)).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, num_classes, (64,)), num_classes)

model = keras.Sequential(
    [
        keras.Input(shape=(30,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(features, labels, epochs=1, batch_size=32, verbose=0)  # bug
