"""Vitrine: a static campaign-microsite generator.

Its layers are packages, each importing only those below it (pyproject.toml's import-linter contracts):
``cli`` > ``hosts`` > ``build`` > ``press`` > ``plan`` > ``media`` > ``read`` > ``giving`` > ``core``. The
build (``vitrine.build.orchestrator.build_site``) is host-free; only ``vitrine.hosts`` (and the templates in
``vitrine/theme/``) know MkDocs. ``vitrine.mkdocs_hooks`` is what a campaign's ``hooks.py`` imports.
"""
