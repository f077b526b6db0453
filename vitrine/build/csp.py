"""Content-Security-Policy for every built page: no script from content could
run, even if one slipped past the sanitiser or an escape, inline or a file of
the site.

Scripts are named one by one, never by origin: no ``'self'``, no
``'unsafe-inline'``. A script file of the theme (Material's bundle, Vitrine's
own) or one ``extra_javascript`` names is allowed by its sha256, which its
``<script src>`` carries as ``integrity`` (``theme_files``); any other file of
the site, one a docs page names (``<script src="../x.js">``) included, is
blocked. Workers (Material's search) may come from the site: a worker is
started by a script that already runs, and only the named ones do.

Only the theme's own inline scripts (Material puts a few in base.html) are
hashed, and a script counts as the theme's only when it matches a ``<script>``
of the theme's templates (``theme_scripts``): their text as written, each
``{{ … }}`` standing for a URL-like value (no quote, parenthesis, semicolon or
space), and OUTSIDE ``<article class="md-content__inner">``, where content lives.
A script whose text came from content (a title that broke out of an attribute,
a page body) matches no template and gets no hash, so it never runs. The
policy goes in a ``<meta http-equiv>`` at the top of ``<head>``, before any
script, and in a ``_headers`` file for static hosts that read one (Netlify,
Cloudflare Pages) with what a meta tag cannot say (``frame-ancestors``). The
header names every hash any page needs (a browser enforces both policies) and
``'strict-dynamic'``, which lets the search worker, under that header alone,
import Material's lunr language files; in a page the meta policy, without it,
still allows the named scripts and nothing they would load.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

# Everything but scripts: the same in the meta tag and in _headers.
BASE = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self' 'unsafe-inline'",  # Material sets style attributes from its JavaScript
    "font-src": "'self'",
    "connect-src": "'self'",  # search index, sitemap
    "frame-src": "https:",  # an external video player, loaded only after a click
    "worker-src": "'self'",  # Material's search worker: only a running (named) script can start one
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


def policy(hashes: Iterable[str], header: bool = False, admin: str = "") -> str:
    """The policy allowing the scripts of these sha256 ``hashes`` and no other; ``header``: for _headers (with
    every page's hashes), where 'strict-dynamic' lets the search worker import its language files; ``admin``: the
    Git host's API origin of the online editor at admin/, which _headers covers too: its scripts may call that API
    and show the site's own pages in its preview frame."""
    directives = dict(BASE)
    if admin:
        directives["connect-src"] += f" {admin}"
        directives["frame-src"] += " 'self'"
    sources = [f"'sha256-{h}'" for h in hashes] or ["'none'"]
    directives["script-src"] = " ".join([*sources, *(["'strict-dynamic'"] if header and hashes else [])])
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def file_hash(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def theme_files(dirs: Iterable[str | Path], own: Mapping[str, Path] | None = None) -> dict[str, str]:
    """sha256 of each script file the site may load, by its path in the site: the theme's (the first folder
    of its search path that has a path wins, as the host copies them) and ``own`` (a campaign's files of
    docs/ that extra_javascript names, which the host copies over the theme's)."""
    files: dict[str, str] = {}
    for folder in dirs:
        for file in sorted(Path(folder).rglob("*.js")):
            files.setdefault(file.relative_to(folder).as_posix(), file_hash(file.read_bytes()))
    for src, file in (own or {}).items():
        files[src] = file_hash(file.read_bytes())
    return files


_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def _file_of(src: str, files: Mapping[str, str]) -> str | None:
    """The hash of the file a ``<script src>`` of the theme loads: its path, relative (``../../assets/…``) or
    from the site's root (``/en/assets/…`` on a 404 page), ends with one of ``files``."""
    path = re.sub(r"^(?:\.\.?/)+", "", src.split("?")[0].split("#")[0]).lstrip("/")
    if "://" in src or src.startswith("//"):
        return None
    return next((files[key] for key in (path, *(path[i + 1 :] for i, c in enumerate(path) if c == "/"))
                 if key in files), None)  # fmt: skip


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


def with_integrity(html: str, files: Mapping[str, str]) -> tuple[str, list[str]]:
    """``html`` with ``integrity`` on each ``<script src>`` outside the content article that loads one of the
    site's script ``files`` (``theme_files``), and those hashes; any other script file gets none: blocked."""
    lo, hi = content_span(html)
    hashes: list[str] = []
    out, at = [], 0
    for script in _SCRIPT.finditer(html):
        src = _SRC.search(script[1])
        if lo <= script.start() < hi or not src or re.search(r"\bintegrity\s*=", script[1], re.I):
            continue
        digest = _file_of(src[2], files)
        if digest is None:
            continue
        end = script.start() + len("<script")
        out += [html[at:end], f' integrity="sha256-{digest}"']
        at = end
        hashes += [digest] if digest not in hashes else []
    return "".join([*out, html[at:]]), hashes


def secure(html: str, scripts: Iterable[re.Pattern[str]], files: Mapping[str, str]) -> tuple[str, list[str]]:
    """``html`` with the policy as the first element of its ``<head>``, allowing the theme's inline
    ``scripts`` and script ``files`` it loads (by hash, ``integrity`` added); and those hashes."""
    head = re.search(r"<head\b[^>]*>", html, re.I)
    if not head:
        return html, []
    html, loaded = with_integrity(html, files)
    hashes = [*theme_hashes(html, scripts), *loaded]
    charset = re.compile(r"<meta charset=[^>]*>", re.I).search(html, head.end(), head.end() + 200)
    at = (charset or head).end()  # after the charset, which must come in the first 1024 bytes
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    return html[:at] + meta + html[at:], hashes


def apply(html: str, scripts: Iterable[re.Pattern[str]], files: Mapping[str, str] | None = None) -> str:
    """``html`` with the policy (``secure``)."""
    return secure(html, scripts, files or {})[0]


def write_headers(site_dir: Path, hashes: Iterable[str], admin: str = "") -> None:
    """``_headers`` for static hosts (Netlify, Cloudflare Pages): the policy on every path, naming every hash a
    page of the site needs (``hashes``); with the online editor (``admin``, its API's origin), a page may be framed
    by the site's own admin page (its preview), by no other site."""
    framing = {**HEADERS_ONLY, "frame-ancestors": "'self'"} if admin else HEADERS_ONLY
    rules = "; ".join(
        [policy(sorted(set(hashes)), header=True, admin=admin), *(f"{k} {v}" for k, v in framing.items())]
    )
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
