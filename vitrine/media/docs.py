"""What ``docs/`` may publish, and how: the hand-written side of a campaign, held to the stories' standard.

MkDocs publishes every file of ``docs_dir``. Vitrine lets through only what cannot run a script on the site's
origin when a visitor opens it (GitHub and GitLab Pages send no policy header, so a file must be inert by
itself):

- Markdown pages, rendered by the host, then cleaned with nh3 like stories (``docs_pages.clean_page``), with a wider
  allow-list (headings, images, admonitions, ``attr_list`` classes…) that a campaign widens knowingly in
  ``extra.allow_html``; whatever is removed is a warning at its line;
- images, known by their content: re-encoded without metadata (``images.clean_file``);
- SVG, made inert by svg-hush (Cloudflare's sanitiser: no script, handler, foreign object or reference to
  another site), published in place of the original;
- scripts (``.js``, ``.mjs``): only those ``extra_javascript`` names (the policy then allows them by hash);
- documents, media, fonts, stylesheets and data a browser never runs, as they are, unless their first bytes
  look like a page (a host that does not know the type may let the browser sniff it as HTML);
- anything else is an error: HTML, XHTML, XML and their kin run scripts when opened, and a type not on the
  list is not known to be inert.

Host-free: ``scan`` runs for ``vitrine check`` (checking only) and for a build (cleaning into the cache).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pathspec.gitignore import GitIgnoreSpec
from py_svg_hush import filter_svg

from vitrine.core.cache import Namespace
from vitrine.core.errors import Problem, error, warning
from vitrine.media.docs_pages import NEVER_TAGS, PAGE_ATTRIBUTES, PAGE_TAGS, Allow, _raw_renderer, page_problems
from vitrine.media.docs_pages import clean_page as clean_page  # the adapter's, as it knows it
from vitrine.media.images import clean_file, docs_image_problem, is_image
from vitrine.read.document import compose, index_lines, kind_of

PAGES = {".md", ".markdown", ".mdown", ".mkdn", ".mkd"}  # what MkDocs renders as pages
SCRIPTS = {".js", ".mjs", ".cjs"}
# Published as they are: types a browser shows, plays or downloads, never runs.
INERT = {
    ".pdf", ".txt", ".csv", ".tsv", ".ics", ".vcf", ".json", ".geojson", ".webmanifest", ".yml", ".yaml",
    ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".rtf", ".epub", ".zip",
    ".mp4", ".m4v", ".webm", ".ogv", ".mov", ".mp3", ".m4a", ".aac", ".oga", ".ogg", ".opus", ".wav", ".flac",
    ".vtt", ".srt", ".woff", ".woff2", ".ttf", ".otf", ".css",
}  # fmt: skip
NAMES = {"CNAME", "_redirects"}  # a host's own files, without extension
# Types a browser runs as a document, scripts included, when the file is opened.
RUNNABLE = {".html", ".htm", ".shtml", ".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".svgz", ".mht", ".mhtml",
            ".rss", ".atom", ".rdf", ".kml", ".gpx", ".mml", ".swf", ".hta", ".wasm"}  # fmt: skip
# The first bytes by which a browser sniffs an untyped file as a page (WHATWG MIME sniffing), and XML and SVG.
_PAGE_START = re.compile(
    rb"\s*<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--|\?xml|svg)"
    rb"[\s>/]",
    re.I,
)
DEFAULT_EXCLUDE = (".*", "/templates/")  # what MkDocs never publishes
SVG_DATA = {"image": ["png", "jpeg", "gif", "webp"]}  # raster pictures an SVG may embed
SVG_VERSION = "svg-hush 0.3 data:png,jpeg,gif,webp"  # in the cache key: a new cleaning redraws every SVG


@dataclass(frozen=True)
class Setup:
    """How one config publishes docs/, from its own values as written (``mkdocs.yml``)."""

    allow_html: Any = field(default=None, compare=False)  # extra.allow_html: tag -> attributes
    scripts: tuple[str, ...] = ()  # extra_javascript, as written
    exclude: tuple[str, ...] = ()  # exclude_docs, as gitignore lines

    @classmethod
    def of(cls, config: Any) -> Setup:
        """From a host's config or a config read as YAML (``vitrine.read.project``): the same keys."""
        extra = config.get("extra") or {}
        scripts = [getattr(s, "path", s.get("path") if isinstance(s, dict) else s)
                   for s in config.get("extra_javascript") or ()]  # fmt: skip
        exclude = config.get("exclude_docs")
        if hasattr(exclude, "patterns"):  # the host's GitIgnoreSpec
            lines = [p.pattern for p in exclude.patterns if getattr(p, "pattern", None)]
        else:
            lines = str(exclude or "").splitlines()
        return cls(extra.get("allow_html") if isinstance(extra, Mapping) else None,
                   tuple(str(s) for s in scripts if s), tuple(line for line in lines if line.strip()))  # fmt: skip


@dataclass
class Scanned:
    """What one docs folder publishes: cleaned files by their path in docs/, refused ones, the problems."""

    cleaned: dict[str, Path] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)
    scripts: dict[str, Path] = field(default_factory=dict)  # the campaign's own scripts extra_javascript names
    problems: list[Problem] = field(default_factory=list)
    allow: Allow = field(default_factory=Allow)


def scan(
    root: Path,
    docs: Path,
    config: Path,
    setup: Setup,
    markdown_setup: tuple[Sequence[Any], Mapping[str, Any]] = ((), {}),
    skip: Iterable[str] = (),
    cache: Path | None = None,
    verify: bool = False,
) -> Scanned:
    """Every file of ``docs`` the host would publish, checked; with ``cache`` (a build) images re-encoded and
    SVGs cleaned into it, without it only checked. ``verify`` (``vitrine check``): images the cache does not
    hold yet decoded, as the build would, and nothing written. ``skip``: files read elsewhere (the press kit's
    release and coverage), relative to ``docs``."""
    result = Scanned()
    result.allow, result.problems = read_allow(config, root, setup.allow_html)
    named, found = _named_scripts(config, root, docs, setup.scripts)
    result.problems += found
    excluded = GitIgnoreSpec.from_lines([*DEFAULT_EXCLUDE, *setup.exclude])
    skipped = {PurePosixPath(s).as_posix() for s in skip}
    render: Callable[[str], str] | None = None
    for path in sorted(docs.rglob("*")) if docs.is_dir() else ():
        src = path.relative_to(docs).as_posix()
        label = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        if path.is_dir() or excluded.match_file(src) or src in skipped:
            continue
        problems: list[Problem] = []
        if not path.is_file():  # a FIFO would block MkDocs' copy
            if path.exists():
                problems.append(error(label, None, "is {kind}: remove it from docs/", kind=kind_of(path)))
        elif is_image(path):
            if cache is None:
                problems += [p for p in [docs_image_problem(path, label)] if p]
            else:
                out, problem = clean_file(path, label, cache, verify)
                problems += [problem] if problem else []
                if out:
                    result.cleaned[src] = out
        elif path.suffix.lower() in PAGES:
            if render is None:
                render = _raw_renderer(*markdown_setup)
            problems += page_problems(path, label, render, result.allow)
        elif path.suffix.lower() == ".svg":
            out, found = clean_svg(path, label, None if verify else cache)
            problems += found
            if out:
                result.cleaned[src] = out
        elif path.suffix.lower() in SCRIPTS:
            if src in named:
                result.scripts[src] = path
            else:
                problems.append(error(label, None, "a script in docs/ is published only when "
                                      "extra_javascript in mkdocs.yml names it: pages run the theme's scripts "
                                      "and those alone"))  # fmt: skip
        else:
            problems += _other_file(path, label)
        if any(p.is_error for p in problems):
            result.refused.add(src)
        result.problems += [p for p in problems if p not in result.problems]
    return result


def _other_file(path: Path, label: str) -> list[Problem]:
    suffix = path.suffix.lower()
    if suffix in RUNNABLE:
        return [error(label, None, "a {suffix} file runs scripts on the site when it is opened, so it is not "
                      "published: write the page in Markdown (.md), or link to the file where it is hosted",
                      suffix=suffix)]  # fmt: skip
    if suffix not in INERT and path.name not in NAMES:
        if not suffix:
            return [error(label, None, "a file without an extension is not published from docs/ (a browser would "
                          "guess its type): add the extension of its type")]  # fmt: skip
        return [error(label, None, "a {suffix} file is not a type Vitrine publishes from docs/ (pages, images, "
                      "documents, media, fonts, stylesheets): remove it, or give it the extension of its type",
                      suffix=suffix)]  # fmt: skip
    try:
        with path.open("rb") as file:
            head = file.read(512).removeprefix(b"\xef\xbb\xbf")
    except OSError as exc:
        return [error(label, None, "cannot be read ({reason})", reason=exc.strerror)]
    if start := _PAGE_START.match(head):
        return [error(label, None, "starts like a web page ({start}): a browser could run it as one, so it is not "
                      "published", start=start[0].strip().decode("ascii", "replace") + "…")]  # fmt: skip
    return []


def _config_lines(config: Path, root: Path) -> tuple[str, dict[tuple, int]]:
    """The config's label and each key's line (a config that cannot be read has no lines: MkDocs says why)."""
    lines: dict[tuple, int] = {}
    with contextlib.suppress(Exception):  # tags, broken YAML: the settings' reading reports those
        index_lines(compose(config.read_text(encoding="utf-8"), strict=False), (), lines, config.name)
    label = config.relative_to(root).as_posix() if config.is_relative_to(root) else config.name
    return label, lines


def read_allow(config: Path, root: Path, raw: Any) -> tuple[Allow, list[Problem]]:
    """The page allow-list widened by ``raw`` (``extra.allow_html``: tag -> list of attributes, ``"*"`` for
    every tag). Its problems are said by the config that writes it, not again by one that inherits it."""
    if raw is None:
        return Allow(), []
    label, lines = _config_lines(config, root)
    said = ("extra", "allow_html") in lines
    problems: list[Problem] = []
    tags, attributes = set(PAGE_TAGS), {k: set(v) for k, v in PAGE_ATTRIBUTES.items()}
    if not isinstance(raw, Mapping):
        raw = {}
        problems.append(error(label, lines.get(("extra", "allow_html")), "extra.allow_html must map each tag to "
                              "the attributes it may have, e.g. iframe: [src, title]"))  # fmt: skip
    for tag, names in raw.items():
        line = lines.get(("extra", "allow_html", tag), lines.get(("extra", "allow_html")))
        names = [] if names is None else names
        if not isinstance(tag, str) or not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problems.append(error(label, line, "extra.allow_html must map each tag to the attributes it may have, "
                                  "e.g. iframe: [src, title]"))  # fmt: skip
            continue
        tag = tag.lower()
        if tag in NEVER_TAGS:
            problems.append(error(label, line, "extra.allow_html: <{tag}> cannot be allowed: pages run only the "
                                  "theme's scripts and the files of docs/ that extra_javascript names",
                                  tag=tag))  # fmt: skip
            continue
        handlers = [n for n in names if n.lower().startswith("on")]
        for name in handlers:
            problems.append(error(label, line, "extra.allow_html: {attribute} cannot be allowed: event handlers "
                                  "never run on the site", attribute=name))  # fmt: skip
        if tag != "*":
            tags.add(tag)
        attributes.setdefault(tag, set()).update(n.lower() for n in names if n not in handlers)
    allow = Allow(frozenset(tags), {k: frozenset(v) for k, v in attributes.items()})
    return allow, problems if said else []


def _named_scripts(config: Path, root: Path, docs: Path, scripts: Sequence[str]) -> tuple[set[str], list[Problem]]:
    """The files of docs/ that ``extra_javascript`` names; one that is not such a file is a warning (the pages'
    policy would block it), said by the config that writes it."""
    if not scripts:
        return set(), []
    label, lines = _config_lines(config, root)
    said = ("extra_javascript",) in lines
    named, problems = set(), []
    for index, script in enumerate(scripts):
        path = PurePosixPath(script)
        if "://" in script or script.startswith("//") or path.is_absolute() or ".." in path.parts:
            problems.append(warning(label, lines.get(("extra_javascript", index), lines.get(("extra_javascript",))),
                                    "extra_javascript: {path} is not a file of docs/, so no page runs it: pages run "
                                    "only the theme's scripts and files of docs/", path=script))  # fmt: skip
            continue
        named.add(path.as_posix())
    return named, problems if said else []


# --- SVG ---------------------------------------------------------------------------------------------------

_SVG_DANGERS = (
    ("<script>", re.compile(rb"<(?:\w+:)?script\b", re.I)),
    ("<foreignObject>", re.compile(rb"<(?:\w+:)?foreignObject\b", re.I)),
    ("on…=", re.compile(rb"\son[a-z]+\s*=", re.I)),
    ("javascript:", re.compile(rb"javascript\s*:", re.I)),
    ("https://…", re.compile(rb"""(?:href|src)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)),
)
_SVG_LEFT = re.compile(rb"<(?:\w+:)?(?:script|foreignObject)\b|\son[a-z]+\s*=", re.I)


def clean_svg(source: Path, label: str, cache: Path | None) -> tuple[Path | None, list[Problem]]:
    """``source`` made inert by svg-hush: with ``cache``, written there (by content) and returned. What it held
    that could run or reach another site is a warning; an SVG it cannot read is an error."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        return None, [error(label, None, "cannot be read ({reason})", reason=exc.strerror)]
    problems = []
    found = [(name, match) for name, pattern in _SVG_DANGERS if (match := pattern.search(data))]
    if found:
        line = data.count(b"\n", 0, min(match.start() for _, match in found)) + 1
        what = ", ".join(n for n, _ in found)
        problems.append(warning(label, line, "removed from the SVG: {what}; it is published without scripts, event "
                                "handlers or references to other sites", what=what))  # fmt: skip
    namespace = Namespace(cache, SVG_VERSION) if cache else None
    out = namespace.entry(namespace.key(data=data)).with_suffix(".svg") if namespace else None
    if out and out.is_file():
        return out, problems
    try:
        clean = filter_svg(data, keep_data_url_mime_types=SVG_DATA)
    except (ValueError, RuntimeError) as exc:
        return None, [error(label, None, "is not an SVG Vitrine can make safe ({reason}): export it again as plain "
                            "SVG, without a DOCTYPE of its own", reason=str(exc))]  # fmt: skip
    if _SVG_LEFT.search(clean):  # never expected from svg-hush: refuse rather than trust
        return None, [error(label, None, "is not an SVG Vitrine can make safe ({reason}): export it again as plain "
                            "SVG, without a DOCTYPE of its own", reason="script left")]  # fmt: skip
    if namespace and out:
        namespace.write(out, clean)
    return out, problems
