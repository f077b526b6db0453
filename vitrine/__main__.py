"""``python -m vitrine``: the ``vitrine`` command (``vitrine.cli.main``)."""

from vitrine.cli.main import main

main()
