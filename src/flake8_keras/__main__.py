"""``python -m flake8_keras``: the same command line as ``flake8-keras``."""

from __future__ import annotations

import sys

from flake8_keras.cli import main

if __name__ == "__main__":
    sys.exit(main())
