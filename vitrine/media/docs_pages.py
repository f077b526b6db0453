"""The hand-written pages of ``docs/``: the allow-list they are cleaned with (Vitrine's, widened by a
campaign's ``extra.allow_html``), their cleaning with nh3 (``clean_page``), and what the cleaning takes out of
one, as warnings at their lines (``page_problems``). ``vitrine.media.docs`` checks every other file of ``docs/``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nh3

from vitrine.core.errors import Problem, error, warning
from vitrine.read.markup import SCHEMES, TAGS, MarkupProblem, check_body

# Hand-written pages: the stories' tags and more of what Markdown and its extensions write.
PAGE_TAGS = TAGS | {
    "h1", "div", "img", "picture", "source", "video", "audio", "track", "details", "summary", "caption",
    "colgroup", "col", "tfoot", "del", "ins", "time", "dfn", "var", "samp", "wbr", "section", "aside",
    "address", "figure", "figcaption",
}  # fmt: skip
PAGE_ATTRIBUTES = {
    "*": {"lang", "dir", "id", "class", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "th": {"scope", "colspan", "rowspan", "style"},  # style: the tables extension's text-align
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}
NEVER_TAGS = {"script"}  # never allowed, even knowingly: scripts are files named by extra_javascript


@dataclass(frozen=True)
class Allow:
    """The page allow-list: Vitrine's, widened by the campaign's ``extra.allow_html``."""

    tags: frozenset[str] = frozenset(PAGE_TAGS)
    attributes: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {k: frozenset(v) for k, v in PAGE_ATTRIBUTES.items()}, compare=False
    )

    def allows(self, tag: str, attribute: str) -> bool:
        return attribute in self.attributes.get(tag, ()) or attribute in self.attributes.get("*", ())

    @property
    def styles(self) -> bool:
        """Whether the campaign allowed style attributes beyond table alignment."""
        return any("style" in attrs and tag not in ("th", "td") for tag, attrs in self.attributes.items())


def _raw_renderer(extensions: Sequence[Any], configs: Mapping[str, Any]) -> Callable[[str], str]:
    """Markdown to HTML as the host renders a page (its extensions), before any cleaning: what it would publish."""
    md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))

    def render(source: str) -> str:
        md.reset()
        return md.convert(source)

    return render


def _filter(tag: str, attribute: str, value: str) -> str | None:
    return None if attribute == "id" and value.startswith("__") else value  # the theme's ids (__config, __search)


def clean_page(html: str, allow: Allow) -> str:
    """A hand-written page's HTML with only what ``allow`` lets through; links get rel=noopener noreferrer."""
    return nh3.clean(html, tags=set(allow.tags), attributes={k: set(v) for k, v in allow.attributes.items()},
                     url_schemes=SCHEMES, link_rel="noopener noreferrer", attribute_filter=_filter,
                     filter_style_properties=None if allow.styles else {"text-align"})  # fmt: skip


class _Markup(HTMLParser):
    """Every start tag of an HTML fragment, counted, and every attribute's values."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.values: dict[tuple[str, str], Counter[str]] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:  # a style is rewritten (its spaces, properties cut): only its presence counts
            self.values.setdefault((tag, name), Counter())["" if name == "style" else value or ""] += 1


def removed(html: str, allow: Allow) -> list[tuple[str, str | None, str]]:
    """What ``clean_page`` takes out of ``html``: (tag, None, "") for an element, (tag, attribute, the first
    value taken) for an attribute, in the order they come."""
    before, after = _Markup(html), _Markup(clean_page(html, allow))
    gone: list[tuple[str, str | None, str]] = [(tag, None, "") for tag, n in before.tags.items() if after.tags[tag] < n]
    dropped = {tag for tag, _, _ in gone}
    for (tag, name), values in before.values.items():
        if tag not in dropped and (taken := values - after.values.get((tag, name), Counter())):
            gone.append((tag, name, next(iter(taken))))
    return gone


def _front_matter_lines(text: str) -> int:
    """How many lines MkDocs reads as front matter (a --- block at the top), so body lines count from the file's."""
    match = re.match(r"-{3}[ \t]*\n.*?\n(?:-{3}|\.{3})[ \t]*\n", text, re.S)
    return match[0].count("\n") if match else 0


def _line_of(text: str, *needles: str) -> int | None:
    for needle in needles:
        if needle and (at := text.lower().find(needle.lower())) >= 0:
            return text.count("\n", 0, at) + 1
    return None


def page_problems(path: Path, label: str, render: Callable[[str], str], allow: Allow) -> list[Problem]:
    """What cleaning will take out of a hand-written page, each a warning at its line."""
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return []  # the host says it, as it always has
    skip = _front_matter_lines(text)
    body = "\n".join(text.split("\n")[skip:])
    try:
        check_body(body)  # past these bounds Python-Markdown would hang the host too
        html = render(body)
    except MarkupProblem as exc:
        return [error(label, exc.line + skip, exc.reason)]
    except RecursionError:
        return [error(label, None, "lists, quotes or HTML blocks are nested too deeply")]
    problems = []
    for tag, attribute, value in removed(html, allow):
        if attribute is None:
            line = _line_of(text, f"<{tag}")
            if tag in NEVER_TAGS:
                problems.append(warning(label, line, "<{tag}> removed: pages run only the theme's scripts and the "
                                        "files of docs/ that extra_javascript names", tag=tag))  # fmt: skip
            else:
                problems.append(warning(label, line, "<{tag}> removed: a hand-written page may not hold it "
                                        "(extra.allow_html in mkdocs.yml can allow it)", tag=tag))  # fmt: skip
            continue
        line = _line_of(text, value if len(value) > 3 else "", f"{attribute}=", f"<{tag}")
        if attribute.startswith("on"):
            problems.append(warning(label, line, "{attribute} removed from <{tag}>: event handlers never run on the "
                                    "site", attribute=attribute, tag=tag))  # fmt: skip
        elif attribute == "id" and allow.allows(tag, attribute):
            problems.append(warning(label, line, "id {value!r} removed from <{tag}>: ids starting with __ are the "
                                    "theme's", value=value, tag=tag))  # fmt: skip
        elif allow.allows(tag, attribute):
            problems.append(warning(label, line, "{attribute} {value!r} removed from <{tag}>: a link must be https, "
                                    "http, mailto, tel or a path of the site", attribute=attribute, value=value[:80],
                                    tag=tag))  # fmt: skip
        else:
            problems.append(warning(label, line, "{attribute} removed from <{tag}>: a hand-written page may not use "
                                    "it (extra.allow_html in mkdocs.yml can allow it)", attribute=attribute,
                                    tag=tag))  # fmt: skip
    return problems
