"""MNIST digit classifier: a Sequential CNN on x[..., None] / 255.0 with one-hot labels."""

import keras
import numpy as np
from keras import layers

num_classes = 10
input_shape = (28, 28, 1)

# mimics keras.datasets.mnist.load_data(): uint8 images (n, 28, 28), uint8 labels (n,)
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, size=(128, 28, 28), dtype=np.uint8)
y_train = rng.integers(0, 10, size=(128,), dtype=np.uint8)
x_test = rng.integers(0, 256, size=(32, 28, 28), dtype=np.uint8)
y_test = rng.integers(0, 10, size=(32,), dtype=np.uint8)

x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
x_train = x_train[..., None]
x_test = np.expand_dims(x_test, -1)
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=1, validation_split=0.1, verbose=0)
score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
