"""The flake8-keras language server (``flake8-keras lsp``)."""
