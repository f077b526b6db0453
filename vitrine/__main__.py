"""``python -m vitrine``: the ``vitrine`` command (``vitrine.cli``)."""

from .cli import main

main()
