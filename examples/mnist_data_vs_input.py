"""Data meets the model: three ways an MNIST script fails minutes in, after the data is loaded."""

import numpy as np
from keras import layers, models
from keras.datasets import mnist
from keras.utils import to_categorical

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0
y_train = to_categorical(y_train, 10)

# The images are (60000, 28, 28): grey, without a colour axis.
cnn = models.Sequential(
    [
        layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 3)),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ]
)
cnn.compile(optimizer="adam", loss="categorical_crossentropy")
cnn.fit(x_train, y_train, epochs=1)  # KRS301: three colour channels declared

flat = x_train.reshape(-1, 784)
mlp = models.Sequential(
    [
        layers.Dense(128, activation="relu", input_shape=flat.shape),  # KRS302: the sample axis
        layers.Dense(10, activation="softmax"),
    ]
)
mlp.compile(optimizer="adam", loss="categorical_crossentropy")
mlp.fit(flat, y_train, epochs=1)

mlp = models.Sequential([layers.Input(shape=(784,)), layers.Dense(10, activation="softmax")])
mlp.compile(optimizer="adam", loss="categorical_crossentropy")
mlp.fit(flat, y_train, epochs=1)
test_images = x_test.reshape(-1, 784)
digit = mlp.predict(test_images[0])  # KRS303: one sample without its batch axis
print(np.argmax(digit))
