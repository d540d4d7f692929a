"""The import stays while another TimeDistributed (not a KRS101) still uses it."""

from keras import Input, Model
from keras.layers import (
    Conv2D,
    Dense,
    GRU,
    TimeDistributed,
)

frames = Input(shape=(8, 32, 32, 3))
per_frame = TimeDistributed(Conv2D(4, 3))(frames)
seq = Input(shape=(8, 5))
h = GRU(4, return_sequences=True)(seq)
out = TimeDistributed(Dense(2))(h)
model = Model([frames, seq], [per_frame, out])
