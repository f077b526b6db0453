"""MkDocs hooks: the build goes to Vitrine's engine (the installed ``vitrine`` package)."""

from vitrine.mkdocs_hooks import *  # noqa: F403
