"""MkDocs hooks: forward the build's events to the Vitrine engine.

Kept thin on purpose: what knows MkDocs is here, in ``vitrine.pages`` and in
``vitrine/theme/``; loading, checking, images, giving and the press kit do not.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

import vitrine.host as engine
from vitrine import compress, csp, seo

log = logging.getLogger("mkdocs.plugins.vitrine")
state: dict[str, Any] = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    state["command"] = command


def on_config(config: Any) -> Any:
    root = Path(config.config_file_path).parent
    site, problems = engine.prepare(root, config, serving=state["command"] == "serve")
    for problem in engine.not_yet_reported(problems):
        (log.error if problem.is_error else log.warning)(str(problem))
    if site is None:  # Abort, not a logged error: every ERROR line stays a `path:line: message`
        count = sum(p.is_error for p in problems)
        raise Abort(f"Aborted with {count} content error{'s' * (count > 1)}: nothing was built.")
    state["site"] = site
    engine.configure(site, config, root)
    return config


def on_files(files: Any, config: Any) -> Any:
    engine.add_files(state["site"], config, files, log)
    return files


def on_env(env: Any, config: Any, files: Any) -> Any:
    engine.extend_env(state["site"], env)
    return env


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    engine.pages.page_meta(state["site"], page.file.src_uri, page.meta)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return engine.pages.page_content(state["site"], page.file.src_uri, html)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    context["vitrine"] = engine.pages.page_context(state["site"], page.file.src_uri)
    return context


def on_post_build(config: Any) -> None:
    if state["command"] != "serve" and not engine.translating():  # one _headers, at the site's root
        csp.write_headers(Path(config.site_dir))
    engine.finish(state["site"], config, log, serving=state["command"] == "serve")
    engine.build_translations(state["site"], config, serving=state["command"] == "serve")
    if state["command"] != "serve" and not engine.translating():  # last: the press page got its sizes, en/ is built
        compress.precompress(Path(config.site_dir), Path(config.config_file_path).parent / engine.CACHE / "compress")


def on_template_context(context: Any, template_name: str, config: Any) -> Any:
    if template_name == "sitemap.xml":  # each page's hreflang alternates, by URL
        context["hreflang"] = seo.sitemap(config, context["pages"], serving=state["command"] == "serve")
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    """A Content-Security-Policy on every page (not in `mkdocs serve`: its live-reload script is inline)."""
    return output if state["command"] == "serve" else csp.apply(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """The same policy on the theme's own pages (404.html)."""
    if state["command"] == "serve" or not template_name.endswith(".html"):
        return output_content
    return csp.apply(output_content)
