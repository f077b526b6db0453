"""Vitrine: a static campaign-microsite generator.

The engine (``vitrine.engine``) is host-neutral: it loads and validates ``stories/``, processes images,
computes giving figures and plans every page of every language. Only ``vitrine.mkdocs_hooks``,
``vitrine.mkdocs_adapter`` and the templates in ``vitrine/theme/`` know about MkDocs.
"""
