"""The runtime verifier: every claim of the linter rebuilt in real Keras and measured.

Nothing here is imported on the lint path; Keras and TensorFlow are imported lazily, once per
run, by :mod:`flake8_keras.verify.runtime`.
"""
