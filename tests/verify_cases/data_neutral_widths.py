"""KRS3xx claims whose layer widths are not literals: the data meets the input before any
width matters, so the verifier uses neutral widths (and says so) and confirms them."""

import sys

import numpy as np
from keras import layers, models

units = int(sys.argv[1])

# the first layer's units is not a literal: a neutral width, named in the evidence
model = models.Sequential([layers.Dense(units, input_shape=(20,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((64, 30)), np.zeros((64, 1)))  # verdict: confirmed


# filters from a parameter: the grayscale images still lack the channel axis
def build(filters):
    net = models.Sequential(
        [layers.Conv2D(filters, 3, input_shape=(28, 28, 3)), layers.Flatten(), layers.Dense(1)]
    )
    net.compile(optimizer="adam", loss="mse")
    return net


images = np.zeros((16, 28, 28))
build(32).fit(images, np.zeros((16, 1)))  # verdict: confirmed
