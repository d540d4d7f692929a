"""predict(x_test[0]) passes one sample without its batch axis (raises: expected (None, 20))."""

import numpy as np
from keras import Input, Sequential
from keras.layers import Dense

x_train, x_test = np.random.random((80, 20)), np.random.random((10, 20))
y_train = np.random.randint(0, 2, (80,))

model = Sequential([Input(shape=(20,)), Dense(32, activation="relu"), Dense(1, "sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=1, verbose=0)
prob = model.predict(x_test[0], verbose=0)  # bug
print("P(class 1) =", prob)
