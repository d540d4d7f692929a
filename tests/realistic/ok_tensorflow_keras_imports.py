"""Fashion-MNIST with `from tensorflow.keras` imports, the way many tutorials write it."""

import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import BatchNormalization, Conv2D, Dense, Dropout, Flatten
from tensorflow.keras.models import Sequential
from tensorflow.keras.utils import to_categorical

rng = np.random.default_rng(19)
train_images = rng.integers(0, 256, (64, 28, 28), dtype=np.uint8)
train_labels = rng.integers(0, 10, (64,), dtype=np.uint8)

train_images = train_images.reshape((64, 28, 28, 1)).astype("float32") / 255
train_labels = to_categorical(train_labels)

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(BatchNormalization())
model.add(Conv2D(64, (3, 3), activation="relu"))
model.add(Flatten())
model.add(Dropout(0.25))
model.add(Dense(10, activation="softmax"))
model.compile(
    optimizer=tf.keras.optimizers.Adam(),
    loss=tf.keras.losses.CategoricalCrossentropy(),
    metrics=["accuracy"],
)
model.fit(train_images, train_labels, epochs=1, batch_size=32, verbose=0)
