"""Markdown bodies to safe HTML: render with the site's Markdown setup, then
clean with nh3's allow-list so no script, handler or dangerous URL survives."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from html import unescape
from typing import Any

import markdown
import nh3
from markdown.extensions import Extension

from vitrine.core.errors import Msg, msg

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


# Python-Markdown's inline patterns rescan a paragraph from each unmatched [ or <, so their time grows with
# the square (or cube) of how many a paragraph holds, and nested lists and quotes recurse once per level.
# No story needs more than these; past them a body is refused with a message instead of hanging the build.
MAX_OPENERS = 200  # [ or < in one paragraph
MAX_OPENERS_TOTAL = 2000  # [ or < in one body
MAX_INDENT = 80  # columns of leading indentation: 20 levels of nested lists
MAX_QUOTES = 16  # > at the start of one line: quotes within quotes
_BLOCKS = re.compile(r"\n[ \t]*\n")


class MarkupProblem(ValueError):
    """A body Markdown cannot render within bounds: ``line`` of the body (from 1) and the reason."""

    def __init__(self, line: int, reason: Msg) -> None:
        super().__init__(str(reason))
        self.line, self.reason = line, reason


def check_body(source: str) -> None:
    """Refuse, before rendering, the patterns that make Python-Markdown slow or recurse without end."""
    totals = {"[": 0, "<": 0}
    offset = 0
    for block in _BLOCKS.split(source):
        for char in totals:
            count = block.count(char)
            totals[char] += count
            if count > MAX_OPENERS or totals[char] > MAX_OPENERS_TOTAL:
                line = source.count("\n", 0, source.find(block, offset)) + 1
                limit = (msg("{n} in a paragraph", n=MAX_OPENERS) if count > MAX_OPENERS
                         else msg("{n} in a story", n=MAX_OPENERS_TOTAL))  # fmt: skip
                raise MarkupProblem(line, msg("too many {char} (more than {limit}): is this text pasted by mistake?",
                                              char=char, limit=limit))  # fmt: skip
        offset += len(block)
    for number, row in enumerate(source.split("\n"), 1):
        indent = len(row.expandtabs(4)) - len(row.expandtabs(4).lstrip())
        quotes = row[: len(row) - len(row.lstrip(" \t>"))].count(">")
        if indent > MAX_INDENT or quotes > MAX_QUOTES:
            raise MarkupProblem(number, msg("lists or quotes are nested too deeply"))


def renderer(
    extensions: Sequence[str | Extension] = (), configs: Mapping[str, Mapping[str, Any]] | None = None
) -> Callable[[str], str]:
    """A function that renders one Markdown body to sanitised HTML.

    The host passes its own Markdown extensions so stories read like the rest
    of the site; the result is sanitised whatever they produce. A body that cannot be rendered within
    bounds raises MarkupProblem.
    """
    md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))

    def render(source: str) -> str:
        check_body(source)
        md.reset()
        try:
            return sanitize(md.convert(source))
        except RecursionError:  # HTML blocks with markdown="1" within each other, among others
            raise MarkupProblem(1, msg("lists, quotes or HTML blocks are nested too deeply")) from None

    return render
