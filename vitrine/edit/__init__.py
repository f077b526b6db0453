"""The local editor: `vitrine edit`."""
