"""MkDocs hooks: forward the build's events to Vitrine's adapter (``vitrine.mkdocs_adapter``).

A campaign's ``hooks.py`` star-imports this module (``__all__`` is the events), so it stays one line and a
newer Vitrine brings its hooks along. The adapter turns the engine's plan into the host's files,
navigation and page context; each build's data lives on its own config, handed over by the adapter.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from . import mkdocs_adapter as adapter
from . import seo

__all__ = ["on_config", "on_env", "on_files", "on_page_content", "on_page_context", "on_page_markdown",
           "on_post_build", "on_post_page", "on_post_template", "on_pre_build", "on_serve", "on_startup",
           "on_template_context"]  # fmt: skip

# How the host was invoked (`build` or `serve`): one fact per process, set once by the one-time
# startup event, which the host calls on this module before any build. Build data never lives here.
_COMMAND: list[str] = ["build"]


def on_startup(command: str, dirty: bool) -> None:
    _COMMAND[:] = [command]


@event_priority(100)  # before Material's search plugin, which fails on an unknown theme.language we report
def on_config(config: Any) -> Any:
    return adapter.configure(config, serving=_COMMAND[0] == "serve")


def on_pre_build(config: Any) -> None:
    adapter.before_build(config)


def on_files(files: Any, config: Any) -> Any:
    return adapter.add_files(config, files)


def on_env(env: Any, config: Any, files: Any) -> Any:
    return adapter.extend_env(config, env)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    adapter.page_meta(config, page.file.src_uri, page.meta)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return adapter.page_content(config, page.file.src_uri, html)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    context["vitrine"] = adapter.page_context(config, page.file.src_uri)
    return context


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    return adapter.serve(server, config)


def on_post_build(config: Any) -> None:
    adapter.finish(config)


def on_post_page(output: str, page: Any, config: Any) -> str:
    return adapter.secure(config, output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """The same policy on the theme's own pages (404.html)."""
    return adapter.secure(config, output_content) if template_name.endswith(".html") else output_content


def on_template_context(context: Any, template_name: str, config: Any) -> Any:
    if template_name == "sitemap.xml":  # each page's hreflang alternates, by URL
        context["hreflang"] = seo.sitemap(config, context["pages"], serving=_COMMAND[0] == "serve")
    return context
