"""The press kit read and checked: its release(s), ``coverage.yml``, the video and the embargo (``Kit``).

Host-neutral: no MkDocs here. ``read_kit`` runs with the other checks, before anything is written; the press
page shows the kit (``vitrine.plan.pages``), and ``vitrine.press.presskit`` makes its PDF and photo ZIP after the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from vitrine.core.errors import Problem, error, hold, notice
from vitrine.core.i18n import Translator
from vitrine.core.slugs import slugify
from vitrine.core.today import today as build_today
from vitrine.giving.donate import check_link
from vitrine.read.document import Document, YamlProblem, index_lines, load_yaml, read_document
from vitrine.read.markup import MarkupProblem, text
from vitrine.read.schema import HttpsUrl, IsoDate, Lang, Schema, Text, validate
from vitrine.read.settings import Press

RELEASE_PAGE, RELEASE_TXT = "press/release/index.md", "press/release.txt"  # the release's own page and text
RELEASE_LANG = re.compile(r"\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$")  # release.en.md -> "en"
MAX_COVERAGE_BYTES = 1_000_000


class Article(Schema):
    """One entry of ``coverage.yml``: a piece the media published about the campaign."""

    outlet: Text
    date: IsoDate
    title: Text
    url: HttpsUrl
    quote: str = ""
    lang: Lang = ""


class ReleaseMeta(Schema):
    """The release's optional front matter (contract v1.2)."""

    date: IsoDate | None = None  # the release's own date: the press page's and the PDF's, instead of the build's


@dataclass(frozen=True)
class Release:
    lang: str
    label: str  # path shown in messages
    title: str  # the Markdown's leading "# " heading, as text
    html: str  # the rest, rendered and sanitised
    date: date | None = None  # its front matter's ``date``


@dataclass(frozen=True)
class Video:
    url: str  # site-relative file, or the https:// player
    poster: str = ""  # site-relative image
    external: bool = False

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "") if self.external else ""


@dataclass(frozen=True, kw_only=True)
class Kit:
    """What the press page and the PDF show besides the campaign model."""

    lang: str  # the site's language
    slug: str  # file names: <slug>-dossier-de-presse.pdf
    releases: Mapping[str, Release]  # by language, the site's first
    coverage: tuple[Article, ...] = ()
    video: Video | None = None
    embargo: date | None = None
    published: bool = True  # false: under embargo and not to be published before it
    sources: tuple[str, ...] = ()  # docs/-relative files that must not become pages
    today: date = field(default_factory=build_today)
    zip_from: str = ""  # a translated site links its parent's photo ZIP (same photos) instead of a copy

    @property
    def embargoed(self) -> bool:
        return self.embargo is not None and self.today < self.embargo

    @property
    def langs(self) -> tuple[str, ...]:
        """One PDF per language: the site's, and every language with its own release."""
        return (self.lang, *(lang for lang in self.releases if lang != self.lang))

    def language(self, lang: str) -> str:
        return Translator(lang)("language")

    def pdf_name(self, lang: str) -> str:
        return f"press/{self.slug}-{Translator(lang)('press_file')}.pdf"

    def release_pdf_name(self, lang: str) -> str:
        """The release alone as a PDF, in the photo ZIP and beside its page."""
        return f"press/{self.slug}-{Translator(lang)('press_release_file')}.pdf"

    @property
    def zip_name(self) -> str:
        return self.zip_from or f"press/{self.slug}-photos.zip"

    @property
    def web_zip_name(self) -> str:
        """The light ZIP: the photos at their largest published size, for a newsroom's web pages."""
        return self.zip_name.removesuffix(".zip") + "-web.zip"

    def release(self, lang: str) -> Release | None:
        return self.releases.get(lang)

    def not_before(self, t: Translator, zone: str) -> str:
        """The embargo as a newsroom reads it, in ``t``'s language and the campaign's time zone ("" without one
        in force): "Embargo: not before Thursday, March 12, 2027, 12:00 AM (Europe/Paris)"."""
        if not (self.embargoed and self.embargo):
            return ""
        start = datetime.combine(self.embargo, time(0, 0), ZoneInfo(zone))
        return t("press_not_before", when=t.when(start), zone=zone)

    def dated(self, lang: str) -> date:
        """The kit's date in ``lang``: its release's own (the site's release for a language without one), else
        the embargo's while it holds, else today's: never the build's when the release gives one."""
        release = self.releases.get(lang) or self.releases.get(self.lang)
        if release and release.date:
            return release.date
        return self.embargo if self.embargoed and self.embargo else self.today


# --- reading and checking ---------------------------------------------------------------------------------


def read_kit(
    docs: Path,
    docs_label: str,
    press: Press,
    name: str,
    lang: str,
    render: Callable[[str], str],
    today: date | None = None,
) -> tuple[Kit, list[Problem]]:
    """Read the release(s), the coverage and the video named by ``press``; every problem is collected.

    ``docs_label`` is ``docs`` as shown in messages (relative to the project root).
    """
    today = today or build_today()
    problems: list[Problem] = []
    releases: dict[str, Release] = {}
    main = docs / press.release
    stem = main.name.removesuffix(".md")
    candidates = [main, *sorted(main.parent.glob(f"{stem}.*.md"))] if main.parent.is_dir() else []
    for path in candidates:
        match = RELEASE_LANG.search(path.name.removesuffix(".md")[len(stem) :]) if path != main else None
        if path != main and not match:
            continue
        label = f"{docs_label}/{path.relative_to(docs).as_posix()}"
        release, found = _read_release(path, label, match[1] if match else lang, render)
        problems += found
        if release:
            releases[release.lang] = release
    coverage_path = docs / press.coverage
    coverage, found = read_coverage(coverage_path, f"{docs_label}/{press.coverage}")
    problems += found
    video, found = _read_video(docs, press)
    problems += found
    published = True
    if press.embargo and today < press.embargo:
        where = "mkdocs.yml"  # the setting's, so every language's kit says it once
        published = press.publish_before_embargo
        day = press.embargo.isoformat()
        if published:
            problems.append(notice(where, None, "under embargo until {day}: published with that mention "
                                   "(press.publish_before_embargo: true)", day=day))  # fmt: skip
        else:
            problems.append(hold(where, None, "held: under embargo: the PDF, the photos and the release are left out "
                                 "(until {day})", day=day))  # fmt: skip
    sources = tuple(r.label.removeprefix(docs_label + "/") for r in releases.values())
    sources += (press.coverage,) if coverage_path.is_file() else ()
    kit = Kit(lang=lang, slug=slugify(name, "campagne"), releases=releases, coverage=coverage, video=video,
              embargo=press.embargo, published=published, sources=sources, today=today)  # fmt: skip
    return kit, problems


def _read_release(
    path: Path, label: str, lang: str, render: Callable[[str], str]
) -> tuple[Release | None, list[Problem]]:
    if not path.is_file():
        return None, []
    if path.is_symlink():  # as for stories: a link could publish any file of the machine
        return None, [error(label, None, "is a symbolic link: copy the file here instead")]
    try:
        source = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, [error(label, None, "is not UTF-8 text: save it with the UTF-8 encoding")]
    except OSError as exc:
        return None, [error(label, None, "cannot be read ({reason})", reason=exc.strerror)]
    day, offset = None, 0
    if re.match(r"-{3,}[ \t]*\r?\n", source):  # front matter: the release's own date (v1.2)
        doc, problems = read_document(path, label)
        meta, found = validate(ReleaseMeta, doc) if doc else (None, [])
        if not doc or meta is None:
            return None, problems + found
        problems += found  # an unknown key: a warning
        day, offset, source = meta.date, doc.body_line - 1, doc.body
    else:
        problems = []
    title = ""
    heading = re.match(r"\s*#\s+(.+?)\s*#*\s*(?:\n|$)", source)
    if heading:  # the release's title is set apart in the layouts; the sanitiser keeps no <h1>
        title, source = heading[1], source[heading.end() :]
    try:
        return Release(lang, label, text(render(title)) if title else "", render(source), day), problems
    except MarkupProblem as exc:
        line = offset + exc.line + ((source and heading and heading[0].count("\n")) or 0)
        return None, [*problems, error(label, line, exc.reason)]


def read_coverage(path: Path, label: str) -> tuple[tuple[Article, ...], list[Problem]]:
    """``coverage.yml``: a list of articles, each checked; problems as ``path:line: message``."""
    if not path.is_file():
        return (), []
    raw = path.read_bytes()
    if len(raw) > MAX_COVERAGE_BYTES:
        return (), [
            error(label, None, "is {size:,} bytes: keep it under {limit:,}", size=len(raw), limit=MAX_COVERAGE_BYTES)
        ]
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return (), [error(label, raw[: exc.start].count(b"\n") + 1, "is not UTF-8 text: save it as UTF-8")]
    # The stories' YAML 1.2 reader: dates stay text (checked by the schema), no aliases, no tags.
    try:
        node, data = load_yaml(source)
    except YamlProblem as exc:
        return (), [error(label, exc.line, exc.reason)]
    if data is None:
        return (), []
    if not isinstance(data, list):
        return (), [error(label, 1, "must be a list of articles, each with outlet, date, title and url")]
    lines: dict[tuple, int] = {}
    problems = index_lines(node, ("coverage",), lines, label)
    doc = Document(label, {}, "", 0, lines)
    articles: list[Article] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            problems.append(error(label, doc.line("coverage", i), "coverage[{n}] must hold outlet, date, title and url",
                                  n=i + 1))  # fmt: skip
            continue
        article, found = validate(Article, doc, data=item, at=("coverage", i))
        problems += found
        articles += [article] if article else []
    return tuple(sorted(articles, key=lambda a: a.date, reverse=True)), problems


def _read_video(docs: Path, press: Press) -> tuple[Video | None, list[Problem]]:
    if not press.video:
        return None, []
    external = check_link(press.video) is None  # the settings schema let only https:// or a path through
    problems: list[Problem] = []
    for key, value in (("video", "" if external else press.video), ("video_poster", press.video_poster)):
        path = (docs / value).resolve()
        if value and (not path.is_relative_to(docs.resolve()) or not path.is_file()):
            problems.append(error("mkdocs.yml", None, "extra.campaign.press.{key}: {path!r} is not a file in docs/",
                                  key=key, path=value))  # fmt: skip
    return Video(press.video, press.video_poster, external), problems
