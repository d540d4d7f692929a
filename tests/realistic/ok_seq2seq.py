"""Character-level seq2seq: encoder states seed the decoder; targets are one-hot (n, T, V)."""

import keras
import numpy as np
from keras.layers import LSTM, Dense, Input
from keras.models import Model

num_samples = 64
num_encoder_tokens, num_decoder_tokens = 30, 40
max_encoder_seq_length, max_decoder_seq_length = 16, 20
latent_dim = 64

rng = np.random.default_rng(5)
enc_ids = rng.integers(0, num_encoder_tokens, (num_samples, max_encoder_seq_length))
dec_ids = rng.integers(0, num_decoder_tokens, (num_samples, max_decoder_seq_length))
encoder_input_data = keras.utils.to_categorical(enc_ids, num_encoder_tokens)
decoder_input_data = keras.utils.to_categorical(dec_ids, num_decoder_tokens)
decoder_target_data = np.zeros(
    (num_samples, max_decoder_seq_length, num_decoder_tokens), dtype="float32"
)
decoder_target_data[:, :-1] = decoder_input_data[:, 1:]

encoder_inputs = Input(shape=(None, num_encoder_tokens))
encoder = LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
encoder_states = [state_h, state_c]

decoder_inputs = Input(shape=(None, num_decoder_tokens))
decoder_lstm = LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)

model = Model([encoder_inputs, decoder_inputs], decoder_outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(
    [encoder_input_data, decoder_input_data],
    decoder_target_data,
    batch_size=16,
    epochs=1,
    validation_split=0.2,
    verbose=0,
)
