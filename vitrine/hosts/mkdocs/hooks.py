"""MkDocs hooks: the one event that hands a build to Vitrine (``vitrine.hosts.mkdocs.adapter.configure``).

A campaign's ``hooks.py`` star-imports this module (``__all__`` is the events), so it stays one line and a
newer Vitrine brings its hooks along. Every later event of a build goes to the ``Vitrine`` plugin the adapter
adds to that build's config, which holds its part of the run.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from vitrine.hosts.mkdocs import adapter as adapter

__all__ = ["on_config"]


@event_priority(100)  # before Material's search plugin, which fails on an unknown theme.language we report
def on_config(config: Any) -> Any:
    return adapter.configure(config)
