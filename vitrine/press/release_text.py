"""The release as plain text (UTF-8), to paste into a newsroom's system: ``press/release.txt`` and the ZIPs' copy.

Paragraphs apart, no markup: headings and paragraphs as lines, list items after a dash, links followed by their
address; then the contacts and the campaign's site.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

from vitrine.core.i18n import Translator
from vitrine.read.kit import Kit
from vitrine.read.settings import Settings

BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "pre", "tr")


def _inline(node: Tag) -> str:
    """A block's words on one line (a <br> starts another); a link's address after its words when they differ."""
    parts: list[str] = []
    for child in node.descendants:
        if isinstance(child, NavigableString):
            words = " ".join(str(child).split(" ")).replace("\n", " ")  # the Markdown's own line breaks: spaces
            parent = child.parent
            href = str(parent.get("href") or "") if parent is not None and parent.name == "a" else ""
            parts.append(f"{words} <{href}>" if href and href.removeprefix("mailto:") != words else words)
        elif isinstance(child, Tag) and child.name == "br":
            parts.append("\n")
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n")).strip()


def html_text(html: str) -> list[str]:
    """The blocks of sanitised ``html`` as paragraphs of text."""
    soup = BeautifulSoup(html, "html.parser")
    paragraphs = []
    for block in soup.find_all(BLOCKS):
        if block.find_parent(BLOCKS):  # a paragraph inside a list item: said with its item
            continue
        words = _inline(block)
        if words:
            paragraphs.append(f"- {words}" if block.name == "li" else words)
    return paragraphs


def release_text(kit: Kit, lang: str, settings: Settings, site_url: str) -> str:
    """The release of ``kit`` in ``lang`` as plain text: title, date, embargo, body, contacts, site."""
    t = Translator(lang)
    release = kit.release(lang)
    if release is None:
        return ""
    head = [release.title, t("press_dated", date=t.date(kit.dated(lang)))]
    if embargo := kit.not_before(t, settings.timezone):
        head.append(embargo)
    paragraphs = ["\n".join(filter(None, head)), *html_text(release.html)]
    if contacts := settings.press.contacts:
        lines = [t("press_contacts")]
        for c in contacts:
            lines.append(", ".join(filter(None, (c.name, c.role, c.email, c.phone))))
        paragraphs.append("\n".join(lines))
    paragraphs.append("\n".join(filter(None, (f"{settings.name} — {settings.organisation}", site_url))))
    return "\n\n".join(paragraphs) + "\n"
