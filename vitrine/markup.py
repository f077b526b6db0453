"""Markdown bodies to safe HTML: render with the site's Markdown setup, then
clean with nh3's allow-list so no script, handler or dangerous URL survives."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import unescape
from typing import Any

import markdown
import nh3

TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "mark", "abbr", "q", "cite",
    "blockquote", "code", "pre", "kbd", "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6",
    "a", "span", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "*": {"lang", "dir"}}
SCHEMES = {"https", "http", "mailto", "tel"}


def sanitize(html: str) -> str:
    """Keep harmless markup only; links get rel=noopener noreferrer."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="noopener noreferrer")


def text(html: str) -> str:
    """Plain text of an HTML fragment (for quotes, meta descriptions)."""
    return " ".join(unescape(nh3.clean(html, tags=set())).split())


def excerpt(html: str, limit: int) -> str:
    """The plain text of ``html``, cut at a word before ``limit`` characters."""
    words = text(html)
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def renderer(extensions: Sequence[Any] = (), configs: Mapping[str, Any] | None = None) -> Callable[[str], str]:
    """A function that renders one Markdown body to sanitised HTML.

    The host passes its own Markdown extensions so stories read like the rest
    of the site; the result is sanitised whatever they produce.
    """
    md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))

    def render(source: str) -> str:
        md.reset()
        return sanitize(md.convert(source))

    return render
