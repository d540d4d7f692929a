"""MNIST MLP: images flattened with reshape(-1, 784), integer labels, sparse loss."""

import numpy as np
from keras import layers, models

rng = np.random.default_rng(1)
(x_train, y_train), (x_test, y_test) = (
    (rng.integers(0, 256, (100, 28, 28), dtype=np.uint8), rng.integers(0, 10, (100,))),
    (rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), rng.integers(0, 10, (20,))),
)
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(x_test.shape[0], 28 * 28).astype("float32") / 255.0

model = models.Sequential()
model.add(layers.Dense(512, activation="relu", input_shape=(784,)))
model.add(layers.Dropout(0.2))
model.add(layers.Dense(512, activation="relu"))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(
    x_train, y_train, batch_size=32, epochs=1, verbose=0, validation_data=(x_test, y_test)
)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
predictions = model.predict(x_test, verbose=0)
print(np.argmax(predictions, axis=1)[:5], test_acc)
