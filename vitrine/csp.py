"""Content-Security-Policy for every built page: no inline script from content
could run, even if one slipped past the sanitiser or an escape.

Only the theme's own inline scripts (Material puts a few in base.html) are
hashed, and a script counts as the theme's only when it matches a ``<script>``
of the theme's templates (``theme_scripts``): their text as written, each
``{{ … }}`` standing for a URL-like value (no quote, parenthesis, semicolon or
space), and OUTSIDE ``<article class="md-content__inner">``, where content lives.
A script whose text came from content (a title that broke out of an attribute,
a page body) matches no template and gets no hash, so it never runs. The
policy goes in a ``<meta http-equiv>`` at the top of ``<head>``, before any
script, and in a ``_headers`` file for static hosts that read one (Netlify,
Cloudflare Pages) with what a meta tag cannot say (``frame-ancestors``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

# Everything but scripts: the same in the meta tag and in _headers.
BASE = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self' 'unsafe-inline'",  # Material sets style attributes from its JavaScript
    "font-src": "'self'",
    "connect-src": "'self'",  # search index, sitemap
    "frame-src": "https:",  # an external video player, loaded only after a click
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
HEADERS_ONLY = {"frame-ancestors": "'none'"}  # ignored (with a console error) in a meta tag

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_ARTICLE = re.compile(r'<article\b[^>]*\bclass="md-content__inner\b')
_TAG = re.compile(r"<(/?)article\b", re.I)
_RUNS = {"", "text/javascript", "module", "application/javascript"}
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_VALUE = r"[\w./:#?&=%~+-]*"  # what a template expression may print inside a theme script: a URL or a word


def _runs(attrs: str) -> bool:
    """An inline script the browser executes (not a file from 'self', not data such as JSON)."""
    kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]*)""", attrs, re.I)
    return not re.search(r"\bsrc\s*=", attrs, re.I) and not (kind and kind[1].lower() not in _RUNS)


def theme_scripts(dirs: Iterable[str | Path]) -> tuple[re.Pattern[str], ...]:
    """One pattern per inline ``<script>`` in the templates of ``dirs`` (the theme's search path)."""
    patterns: dict[str, re.Pattern[str]] = {}
    for folder in dirs:
        for file in sorted(Path(folder).rglob("*.html")):
            for script in _SCRIPT.finditer(file.read_text(encoding="utf-8", errors="replace")):
                if not _runs(script[1]) or _STATEMENT.search(script[2]):  # logic inside: not ours to guess
                    continue
                source = _VALUE.join(re.escape(part) for part in _EXPRESSION.split(script[2]))
                patterns.setdefault(source, re.compile(source))
    return tuple(patterns.values())


def policy(hashes: list[str] | None = None) -> str:
    """The page policy; ``hashes`` None: for _headers, which leaves scripts to each page's meta tag
    (without a script-src of its own, default-src would block the theme's inline scripts)."""
    directives = dict(BASE)
    if hashes is not None:
        directives["script-src"] = " ".join(["'self'", *(f"'sha256-{h}'" for h in hashes)])
    else:  # a browser enforces both policies: the page's meta tag still allows only the hashed scripts
        directives["script-src"] = "'self' 'unsafe-inline'"
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def content_span(html: str) -> tuple[int, int]:
    """Start and end of the content ``<article>`` (nested articles counted), or (0, 0)."""
    start = _ARTICLE.search(html)
    if not start:
        return 0, 0
    depth = 0
    for tag in _TAG.finditer(html, start.start()):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return start.start(), tag.end()
    return start.start(), len(html)  # unclosed: everything after it counts as content


def theme_hashes(html: str, scripts: Iterable[re.Pattern[str]]) -> list[str]:
    """sha256 of each inline, executable script outside the content article that is one of the theme's
    ``scripts`` (``theme_scripts``), in page order."""
    lo, hi = content_span(html)
    scripts = tuple(scripts)
    hashes = []
    for script in _SCRIPT.finditer(html):
        if lo <= script.start() < hi or not _runs(script[1]):
            continue
        if not any(pattern.fullmatch(script[2]) for pattern in scripts):
            continue  # not the theme's: its text came from somewhere else
        digest = base64.b64encode(hashlib.sha256(script[2].encode("utf-8")).digest()).decode()
        if digest not in hashes:
            hashes.append(digest)
    return hashes


def apply(html: str, scripts: Iterable[re.Pattern[str]]) -> str:
    """``html`` with the policy as the first element of its ``<head>``, allowing the theme's ``scripts``."""
    head = re.search(r"<head\b[^>]*>", html, re.I)
    if not head:
        return html
    charset = re.compile(r"<meta charset=[^>]*>", re.I).search(html, head.end(), head.end() + 200)
    at = (charset or head).end()  # after the charset, which must come in the first 1024 bytes
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy(theme_hashes(html, scripts))}">'
    return html[:at] + meta + html[at:]


def write_headers(site_dir: Path) -> None:
    """``_headers`` for static hosts (Netlify, Cloudflare Pages): the policy on every path."""
    rules = "; ".join([policy(), *(f"{k} {v}" for k, v in HEADERS_ONLY.items())])
    text = (
        "/*\n"
        f"  Content-Security-Policy: {rules}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: strict-origin-when-cross-origin\n"
    )
    file = site_dir / "_headers"
    if not file.is_file() or file.read_text(encoding="utf-8") != text:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
