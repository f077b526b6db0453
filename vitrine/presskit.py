"""The press kit: release, coverage and video read and checked; the PDF (WeasyPrint) and the photo ZIP.

Host-neutral: no MkDocs here. ``read_kit`` runs with the other checks, before anything is written;
``build_pdf`` and ``build_zip`` run after the pages. The PDF reads local files only (``vitrine.pdf``):
its template and print stylesheet are in ``vitrine/templates/``, its fonts in ``vitrine/fonts/``.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from babel.units import format_unit

from . import glyphs, pdf
from .cache import atomic
from .document import Document, YamlProblem, index_lines, load_yaml
from .donate import check_link
from .errors import Problem, error, hold, notice
from .i18n import Translator
from .load import slugify
from .markup import MarkupProblem, excerpt, text
from .schema import HttpsUrl, IsoDate, Lang, Schema, Text, validate
from .settings import Press
from .today import today as build_today

if TYPE_CHECKING:
    from .images import Picture
    from .model import Image
    from .plan import Edition as Site

FONTS = Path(__file__).parent / "fonts"
TEMPLATES = Path(__file__).parent / "templates"  # the PDF's kit.html and kit.css: not the site's theme
# Noto as Debian ships it (OFL, fonts/OFL.txt): Pango falls back from one family to the next per character,
# so Arabic words in a French quote are shaped by Naskh; then the merged VitrineSans of the share cards
# (Ethiopic), then, through fontconfig, the machine's fonts (vitrine.glyphs says what none of them draws).
PDF_FONTS = (("Noto Sans", "400", "normal", "NotoSans-Regular"), ("Noto Sans", "700", "normal", "NotoSans-Bold"),
             ("Noto Sans", "400", "italic", "NotoSans-Italic"),
             ("Noto Naskh Arabic", "400", "normal", "NotoNaskhArabic-Regular"),
             ("Noto Naskh Arabic", "700", "normal", "NotoNaskhArabic-Bold"),
             ("Vitrine Sans", "400", "normal", "VitrineSans-Regular"),
             ("Vitrine Sans", "700", "normal", "VitrineSans-Bold"))  # fmt: skip
RELEASE_LANG = re.compile(r"\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$")  # release.en.md -> "en"
MAX_COVERAGE_BYTES = 1_000_000
# A press kit, not a catalogue: at scale the PDF shows the first products of the wish list, the voices with the
# most testimonies and their captions, with the totals and the site for the rest. (1,000 products laid out by
# WeasyPrint took 80 s and 141 pages that no journalist reads.)
PDF_PRODUCTS, PDF_PEOPLE, PDF_CAPTIONS = 40, 24, 60


class Article(Schema):
    """One entry of ``coverage.yml``: a piece the media published about the campaign."""

    outlet: Text
    date: IsoDate
    title: Text
    url: HttpsUrl
    quote: str = ""
    lang: Lang = ""


@dataclass(frozen=True)
class Release:
    lang: str
    label: str  # path shown in messages
    title: str  # the Markdown's leading "# " heading, as text
    html: str  # the rest, rendered and sanitised


@dataclass(frozen=True)
class Video:
    url: str  # site-relative file, or the https:// player
    poster: str = ""  # site-relative image
    external: bool = False

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "") if self.external else ""


@dataclass(frozen=True)
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

    @property
    def zip_name(self) -> str:
        return self.zip_from or f"press/{self.slug}-photos.zip"

    def release(self, lang: str) -> Release | None:
        return self.releases.get(lang)


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
    kit = Kit(lang, slugify(name, "campagne"), releases, coverage, video, press.embargo, published, sources, today)
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
    title = ""
    heading = re.match(r"\s*#\s+(.+?)\s*#*\s*(?:\n|$)", source)
    if heading:  # the release's title is set apart in the layouts; the sanitiser keeps no <h1>
        title, source = heading[1], source[heading.end() :]
    try:
        return Release(lang, label, text(render(title)) if title else "", render(source)), []
    except MarkupProblem as exc:
        line = exc.line + ((source and heading and heading[0].count("\n")) or 0)
        return None, [error(label, line, exc.reason)]


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


# --- building ---------------------------------------------------------------------------------------------


def format_size(size: int, t: Translator) -> str:
    """``2,3 Mo`` in French, ``2.3 MB`` in English (decimal units, as file managers show them)."""
    if size < 1_000_000:
        return format_unit(max(round(size / 1000), 1), "digital-kilobyte", length="short", locale=t.locale)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=t.locale)


def _jpeg(picture: Picture | None, index: int) -> str:
    """A JPEG variant as a file:// URI: WeasyPrint embeds JPEGs as they are, so pick a small one."""
    if not picture or not picture.jpeg:
        return ""
    return picture.jpeg[min(index, len(picture.jpeg) - 1)].file.resolve().as_uri()


def plan_pdf(site: Site, kit: Kit, lang: str, docs: Path, site_url: str) -> dict[str, Any]:
    """Everything the PDF template shows, as plain data (text, file URIs, formatted figures)."""
    t = Translator(lang)
    campaign, settings = site.campaign, site.settings
    makers = campaign.kind == "makers"
    voices = sorted(campaign.people.values(), key=lambda p: (-len(campaign.by_person[p.slug]), p.name.casefold()))
    people = []
    for person in sorted(voices[:PDF_PEOPLE], key=lambda p: p.name.casefold()):
        reviews = campaign.by_person[person.slug]  # featured first: that is the quote
        quote = excerpt(reviews[0].html, 200) if reviews else ""
        # Quotes stay in the words given; another language's PDF marks their language.
        said = (reviews[0].lang or person.lang or site.t.lang) if reviews else lang
        facts = (person.craft, person.workshop, person.place) if makers else (person.origin, person.occupation)
        people.append({
            "name": person.name, "facts": " · ".join(filter(None, facts)),
            "photo": _jpeg(site.picture(person.photo), 0), "alt": person.photo.alt if person.photo else "",
            "quote": quote, "lang": said if said != lang else "",
            "products": [campaign.products[r.product].title for r in reviews],
        })  # fmt: skip
    figures = campaign.figures
    numbers = [(t("press_people"), t.number(figures["people"])), (t("reviews_word"), t.number(figures["testimonies"])),
               (t("press_products"), t.number(figures["products"])), (t("needed"), t("units", n=figures["needed"])),
               (t("remaining"), t("units", n=figures["remaining"]))]  # fmt: skip
    if figures["cost_to_fulfil"]:
        numbers.append((t("cost_to_fulfil"), t.money(figures["cost_to_fulfil"])))
    if makers:  # makers, regions and products instead of needs
        counted = campaign.makers_figures
        numbers = [(t(label), t.number(counted[key])) for key, label in (
            ("makers", "makers_word"), ("regions", "regions_word"), ("products", "products_word"),
            ("accounts", "accounts_word"), ("events", "events_word")) if key != "events" or counted[key]]  # fmt: skip
    wished = [p for _, group in campaign.wishlist for p in group]
    products = wished[:PDF_PRODUCTS]
    cover = [_jpeg(site.picture(p.photo), 1) for p in campaign.people.values() if p.photo][:3]
    cover += [_jpeg(site.picture(p.images[0]), 1) for p in products][: 6 - len(cover)]
    giving = site.extras.get("giving", {})
    video = kit.video
    cleaned = site.extras.get("docs_images", {})  # re-encoded without metadata, like every published image
    poster = Path(cleaned.get(video.poster) or docs / video.poster).resolve().as_uri() if video and video.poster else ""
    release = kit.release(lang)
    credits = image_credits(site)
    return {
        "lang": lang, "dir": t.dir, "kind": campaign.kind, "name": settings.name, "organisation": settings.organisation,
        "tagline": settings.tagline, "about": settings.about, "site_url": site_url,
        "date": t.date(kit.embargo if kit.embargoed and kit.embargo else kit.today),
        "today": t.date(kit.today), "embargo": t.date(kit.embargo) if kit.embargoed and kit.embargo else "",
        "fonts": [(family, weight, style, (FONTS / f"{name}.ttf").resolve().as_uri())
                  for family, weight, style, name in PDF_FONTS],
        "cover": [uri for uri in cover if uri],
        "release": release, "figures": numbers, "people": people, "coverage": kit.coverage,
        "products": [{"title": p.title, "photo": _jpeg(site.picture(p.images[0]), 0), "alt": p.images[0].alt,
                      "needed": p.needed, "collected": p.collected, "price": p.price, "category": p.category,
                      "made_in": p.made_in, "labels": list(p.labels)}
                     for p in products],
        "video": {"url": video.url if video.external else (site_url or "") + video.url, "poster": poster,
                  "host": video.host} if video else None,
        "giving": {"url": settings.donate.url, "bank": giving.get("bank")},  # the plain link: print has no UTM
        "contacts": settings.press.contacts,
        "credits": settings.press.credits or t("press_rights_default"),
        "images": credits[:PDF_CAPTIONS],
        "more": {"products": (len(products), len(wished)), "people": (len(people), len(campaign.people)),
                 "images": (min(len(credits), PDF_CAPTIONS), len(credits))},
    }  # fmt: skip


def image_credits(site: Site) -> list[tuple[str, str, str]]:
    """(file name in the ZIP, caption: the alt text, whose page it illustrates) for every published image."""
    return [(f"{image.name}.jpg", image.alt, owner) for owner, image, _ in _entries(site)]


def render_html(templates: Path, data: Mapping[str, Any], t: Translator) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters.update(money=t.money, number=t.number)
    env.globals["t"] = t
    return env.get_template("kit.html").render(kit=data)


def build_pdf(
    data: Mapping[str, Any], out: Path, templates: Path, roots: Sequence[Path], cache: Path | None = None
) -> tuple[int, list[str], list[str]]:
    """Render ``data`` with ``templates/kit.html`` to ``out``; return its size in bytes, WeasyPrint's
    messages about the document (a refused or missing image, an unsupported CSS rule: problems) and its
    hints about the machine (a missing optional library), for the host to report.

    Laying out the PDF is most of a warm build's time, so the result is kept in ``cache`` under the
    hash of its HTML and stylesheets: images there are named by their content hash, so the HTML
    changes whenever anything the PDF shows changes. Only the document's messages are kept with it:
    a hint about the machine that built it says nothing about the next one."""
    t = Translator(data["lang"])
    html = render_html(templates, data, t)
    key = hashlib.sha256(html.encode())
    for sheet in sorted(templates.glob("*.css")):
        key.update(sheet.read_bytes())
    key.update(pdf.version().encode())
    key.update(glyphs.signature(html).encode())  # the machine's fonts that draw it: a new font, a new PDF
    kept = pdf.Kept(cache, key.hexdigest()) if cache else None
    if kept and (found := kept.copy(out)) is not None:
        return out.stat().st_size, found, []
    with atomic(out) as tmp:
        messages = pdf.write_pdf(html, templates.resolve().as_uri() + "/", [*roots, templates, FONTS], tmp)
    if kept:
        kept.keep(out, messages.document)
    return out.stat().st_size, messages.document, messages.machine


def _entries(site: Site) -> list[tuple[str, Image, Picture]]:
    entries = []
    for person in site.campaign.people.values():
        if person.photo and (picture := site.picture(person.photo)):
            entries.append((person.name, person.photo, picture))
    for product in site.campaign.products.values():
        entries += [(product.title, i, p) for i in product.images if (p := site.picture(i))]
    return entries


def build_zip(site: Site, out: Path, t: Translator) -> int:
    """Every published photo at its largest published size (re-encoded, without metadata) and a credits file."""
    settings = site.settings
    lines = [f"{settings.name} — {settings.organisation}", t("press_captions"), ""]
    with atomic(out) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        names: set[str] = set()
        for owner, image, picture in _entries(site):
            name = f"{image.name}.jpg"
            if name in names:  # one photo named twice: one entry (output names are unique per file)
                continue
            names.add(name)
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: the same photos, the same ZIP
            archive.writestr(info, picture.jpeg[-1].file.read_bytes(), compress_type=zipfile.ZIP_STORED)
            lines.append(f"{name}\n    {image.alt} ({owner})")
        lines += ["", t("press_credits"), settings.press.credits or t("press_rights_default"), ""]
        info = zipfile.ZipInfo("CREDITS.txt", date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(info, "\n".join(lines), compress_type=zipfile.ZIP_DEFLATED)
    return out.stat().st_size


def fill_sizes(pages: Iterable[Path], sizes: Mapping[str, str]) -> None:
    """The press page is rendered before the files exist: put their sizes into its placeholders."""
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for key, size in sizes.items():
            html = html.replace(f'data-vt-size="{key}"></span>', f'data-vt-size="{key}">{size}</span>')
        page.write_text(html, encoding="utf-8")
