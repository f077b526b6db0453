"""The press kit's downloads: the PDF (WeasyPrint) and the photo ZIP; the kit itself is read by ``vitrine.read.kit``.

Host-neutral: no MkDocs here. ``build_pdf`` and ``build_zip`` run after the pages. The PDF reads local files
only (``vitrine.press.pdf``): its template and print stylesheet are in ``vitrine/templates/``, its fonts in
``vitrine/fonts/``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import jinja2
from babel.units import format_unit

from vitrine.core import assets
from vitrine.core.cache import atomic
from vitrine.core.errors import Msg
from vitrine.core.i18n import Translator
from vitrine.media import glyphs
from vitrine.media.pixels import centering, reencode
from vitrine.plan.pages import credit
from vitrine.press import pdf
from vitrine.press.release_text import release_text
from vitrine.read.kit import RELEASE_PAGE, Kit
from vitrine.read.markup import excerpt

if TYPE_CHECKING:
    from vitrine.media.images import Picture, Variant
    from vitrine.plan.pages import Edition as Site
    from vitrine.read.model import Image

FONTS, TEMPLATES = assets.FONTS, assets.TEMPLATES
# Noto as Debian ships it (OFL, fonts/OFL.txt): Pango falls back from one family to the next per character,
# so Arabic words in a French quote are shaped by Naskh; then the merged VitrineSans of the share cards
# (Ethiopic), then, through fontconfig, the machine's fonts (vitrine.media.glyphs says what none of them draws).
PDF_FONTS = (("Noto Sans", "400", "normal", "NotoSans-Regular"), ("Noto Sans", "700", "normal", "NotoSans-Bold"),
             ("Noto Sans", "400", "italic", "NotoSans-Italic"),
             ("Noto Naskh Arabic", "400", "normal", "NotoNaskhArabic-Regular"),
             ("Noto Naskh Arabic", "700", "normal", "NotoNaskhArabic-Bold"),
             ("Vitrine Sans", "400", "normal", "VitrineSans-Regular"),
             ("Vitrine Sans", "700", "normal", "VitrineSans-Bold"))  # fmt: skip
# A press kit, not a catalogue: at scale the PDF shows the first products of the wish list, the voices with the
# most testimonies and their captions, with the totals and the site for the rest. (1,000 products laid out by
# WeasyPrint took 80 s and 141 pages that no journalist reads.)
PDF_PRODUCTS, PDF_PEOPLE, PDF_CAPTIONS = 40, 24, 60
ZIP_VERSION = 1  # bump when the same content makes other ZIP bytes: a kept ZIP is then made again
WEB_WIDTH = 960  # the light ZIP's photos: wide enough for an article's column, a tenth of the originals' weight
NEEDS_BOX = (9, 7)  # a product's picture in the PDF's table of needs, in mm (kit.css: .needs img); portraits are round


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


def _position(image: Image | None, picture: Picture | None, box: tuple[int, int] | None = None) -> str:
    """The ``object-position`` that keeps ``image``'s focus point in its crop ("" without one): centred in a
    ``box`` of that shape (width, height) as far as the picture allows; in a box of unknown shape (the cover's
    collage), at the same place in the box as in the picture, which is always inside a rectangle."""
    if not (image and image.focus and picture):
        return ""
    if box is None:
        return image.position
    x, y = centering(image.focus, (picture.width, picture.height), box)
    return f"{x * 100:.1f}% {y * 100:.1f}%"


def _shown(site: Site, image: Image | None, index: int, box: tuple[int, int] | None = None) -> dict[str, str]:
    """A picture as the PDF shows it: its JPEG variant ``index`` and where its crop is (``_position``)."""
    picture = site.picture(image)
    return {"src": _jpeg(picture, index), "position": _position(image, picture, box), "alt": image.alt if image else ""}


def _fonts() -> list[tuple[str, str, str, str]]:
    """The printed documents' fonts (``@font-face`` in ``templates/print.html``): family, weight, style, file URI."""
    return [
        (family, weight, style, (FONTS / f"{name}.ttf").resolve().as_uri()) for family, weight, style, name in PDF_FONTS
    ]


def plan_pdf(
    site: Site, kit: Kit, lang: str, docs: Path, site_url: str, sizes: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """Everything the PDF template shows, as plain data (text, file URIs, formatted figures); ``sizes``: the
    ZIPs' sizes in bytes ("zip", "zip-web"), made before the PDFs, for its first page."""
    t = Translator(lang)
    campaign, settings = site.campaign, site.settings
    people = _pdf_people(site, lang)
    wished = [p for _, group in campaign.wishlist for p in group]
    products = wished[:PDF_PRODUCTS]
    cover = [_shown(site, p.photo, 1) for p in campaign.people.values() if p.photo][:3]
    cover += [_shown(site, p.images[0], 1) for p in products][: 6 - len(cover)]
    giving = site.extras.get("giving")
    video = kit.video
    cleaned = site.extras.get("docs_images", {})  # re-encoded without metadata, like every published image
    poster = Path(cleaned.get(video.poster) or docs / video.poster).resolve().as_uri() if video and video.poster else ""
    release = kit.release(lang)
    credits = image_credits(site, t)
    return {
        "lang": lang, "dir": t.dir, "kind": campaign.kind, "name": settings.name, "organisation": settings.organisation,
        "tagline": settings.tagline, "about": settings.about, "site_url": site_url,
        "date": t.date(kit.dated(lang)), "not_before": kit.not_before(t, settings.timezone),
        "press_url": site_url + "press/" if site_url else "",
        "downloads": [(t(label), urljoin(site_url, name) if site_url else "",
                       format_size(sizes[key], t) if sizes and key in sizes else "")
                      for key, label, name in (("zip", "press_download_zip", kit.zip_name),
                                               ("zip-web", "press_download_web", kit.web_zip_name))],
        "fonts": _fonts(),
        "cover": [shown for shown in cover if shown["src"]],
        "release": release, "figures": _pdf_figures(site, t), "people": people, "coverage": kit.coverage,
        "products": [{"title": p.title, "photo": _shown(site, p.images[0], 0, NEEDS_BOX), "alt": p.images[0].alt,
                      "needed": p.needed, "collected": p.collected, "price": p.price, "category": p.category,
                      "made_in": p.made_in, "labels": list(p.labels)}
                     for p in products],
        "video": {"url": video.url if video.external else (site_url or "") + video.url, "poster": poster,
                  "host": video.host} if video else None,
        "giving": {"url": settings.donate.url, "bank": giving.bank if giving else None},  # print has no UTM
        "contacts": settings.press.contacts,
        "credits": settings.press.credits or t("press_rights_default"),
        "images": [(c.file, c.caption, c.owner, t("press_photo_by", credit=c.own) if c.own else "")
                   for c in credits[:PDF_CAPTIONS]],
        "more": {"products": (len(products), len(wished)), "people": (len(people), len(campaign.people)),
                 "images": (min(len(credits), PDF_CAPTIONS), len(credits))},
    }  # fmt: skip


def _pdf_people(site: Site, lang: str) -> list[dict[str, Any]]:
    """The voices the PDF shows: those with the most testimonies (at most ``PDF_PEOPLE``), by name."""
    campaign = site.campaign
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
            "photo": _shown(site, person.photo, 0, (1, 1)), "alt": person.photo.alt if person.photo else "",
            "quote": quote, "lang": said if said != lang else "",
            "products": [campaign.products[r.product].title for r in reviews],
        })  # fmt: skip
    return people


def _pdf_figures(site: Site, t: Translator) -> list[tuple[str, str]]:
    """The key figures, as (label, formatted number): needs, or a makers campaign's makers, regions, products."""
    campaign = site.campaign
    if campaign.kind == "makers":
        counted = campaign.makers_figures
        return [(t(label), t.number(counted[key])) for key, label in (
            ("makers", "makers_word"), ("regions", "regions_word"), ("products", "products_word"),
            ("accounts", "accounts_word"), ("events", "events_word")) if key != "events" or counted[key]]  # fmt: skip
    figures = campaign.figures
    numbers = [(t("press_people"), t.number(figures["people"])), (t("reviews_word"), t.number(figures["testimonies"])),
               (t("press_products"), t.number(figures["products"])), (t("needed"), t("units", n=figures["needed"])),
               (t("remaining"), t("units", n=figures["remaining"]))]  # fmt: skip
    if figures["cost_to_fulfil"]:
        numbers.append((t("cost_to_fulfil"), t.money(figures["cost_to_fulfil"])))
    return numbers


@dataclass(frozen=True)
class Credit:
    """One published photo as the press kit credits it."""

    file: str  # its name in the ZIPs, e.g. people/ali-b/portrait.jpg
    caption: str  # its alt text
    owner: str  # whose page it illustrates
    credit: str  # who took it: its own credit, else the campaign's credits line, else the default words
    own: str  # its own credit only ("" when it falls back on the campaign's, which the PDF says once)


def image_credits(site: Site, t: Translator | None = None) -> list[Credit]:
    """Every published image, once, in the order the press kit lists them (people, then products)."""
    t = t or site.t
    seen: set[str] = set()
    credits = []
    for owner, image, _ in _entries(site):
        name = f"{image.name}.jpg"
        if name not in seen:  # one photo named twice: one entry (output names are unique per file)
            seen.add(name)
            credits.append(Credit(name, image.alt, owner, credit(image, site.settings, t), image.credit))
    return credits


def plan_release_pdf(site: Site, kit: Kit, lang: str, site_url: str) -> dict[str, Any]:
    """What the release's own PDF shows (``templates/release.html``): the release, dated, its embargo, contacts."""
    t = Translator(lang)
    release = kit.release(lang)
    settings = site.settings
    return {
        "lang": lang, "dir": t.dir, "name": settings.name, "organisation": settings.organisation,
        "title": release.title if release else "", "html": release.html if release else "",
        "date": t.date(kit.dated(lang)), "not_before": kit.not_before(t, settings.timezone),
        "contacts": settings.press.contacts,
        "url": site_url + RELEASE_PAGE.removesuffix("index.md") if site_url else "",
        "fonts": _fonts(),
    }  # fmt: skip


def render_html(templates: Path, data: Mapping[str, Any], t: Translator, template: str = "kit.html") -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters.update(money=t.money, number=t.number)
    env.globals["t"] = t
    return env.get_template(template).render(kit=data)


def build_pdf(
    data: Mapping[str, Any],
    out: Path,
    templates: Path,
    roots: Sequence[Path],
    cache: Path | None = None,
    template: str = "kit.html",
) -> tuple[int, list[str], list[Msg]]:
    """Render ``data`` with ``templates/<template>`` (the press kit's, or the release's ``release.html``) to
    ``out``; return its size in bytes, WeasyPrint's messages about the document (a refused or missing image, an
    unsupported CSS rule: problems) and its hints about the machine (a missing optional library), for the host
    to report.

    Laying out the PDF is most of a warm build's time, so the result is kept in ``cache`` under the
    hash of its HTML and stylesheets: images there are named by their content hash, so the HTML
    changes whenever anything the PDF shows changes. Only the document's messages are kept with it:
    a hint about the machine that built it says nothing about the next one."""
    t = Translator(data["lang"])
    html = render_html(templates, data, t, template)
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


def _web(picture: Picture) -> Variant:
    """The variant of the light ZIP: the widest JPEG up to ``WEB_WIDTH`` pixels (the narrowest if none is)."""
    return ([v for v in picture.jpeg if v.width <= WEB_WIDTH] or [picture.jpeg[0]])[-1]


def build_zip(
    site: Site, kit: Kit, out: Path, t: Translator, originals: bool = True, releases: Mapping[str, Path] | None = None
) -> int:
    """The photo ZIP: every published photo (``originals``: at its original size, re-encoded upright without
    metadata, for print; else at most ``WEB_WIDTH`` wide, for the web), the credits as text (one line per
    file) and CSV, and each language's release as plain text and as the PDF in ``releases`` (by language).
    Reproducible: sorted members, every date the release's, deterministic encoders; the same content makes the
    same bytes. A ZIP at ``out`` made of the same content (its comment holds their hash) is kept as it is: the
    originals are encoded again only when something in the ZIP changes, one at a time, never all in memory."""
    day = kit.dated(kit.lang)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)  # a ZIP's dates start in 1980
    credits = image_credits(site, t)
    pictures = {f"{image.name}.jpg": (image, picture) for _, image, picture in _entries(site)}
    key = hashlib.sha256(f"{ZIP_VERSION} {originals} {stamp}".encode())
    photos: dict[str, Callable[[], bytes]] = {}
    for entry in credits:
        image, picture = pictures[entry.file]
        variant = picture.jpeg[-1] if originals else _web(picture)
        # the image cache names a variant by its source's content and the settings: the photo's fingerprint
        key.update(f"{entry.file}\0{variant.file.parent.name}/{variant.file.name}\0".encode())
        photos[entry.file] = partial(_original, image.source) if originals else variant.file.read_bytes
    texts = _zip_texts(site, kit, t, credits, releases or {})
    for name, data in sorted(texts.items()):
        key.update(f"{name}\0{len(data)}\0".encode() + data)
    comment = f"Vitrine {key.hexdigest()}".encode()
    with contextlib.suppress(OSError, zipfile.BadZipFile), zipfile.ZipFile(out) as kept:
        if kept.comment == comment:
            return out.stat().st_size
    with atomic(out) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.comment = comment
        for name in sorted([*photos, *texts]):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16  # readable once unpacked
            if name in photos:  # a JPEG does not deflate
                archive.writestr(info, photos[name](), compress_type=zipfile.ZIP_STORED)
            else:
                archive.writestr(info, texts[name], compress_type=zipfile.ZIP_DEFLATED)
    return out.stat().st_size


def _original(source: Path) -> bytes:
    """A photo at its original size for the ZIP: re-encoded as JPEG, upright, in sRGB, without any metadata."""
    return reencode(source.read_bytes(), "JPEG")


def _zip_texts(
    site: Site, kit: Kit, t: Translator, credits: Sequence[Credit], releases: Mapping[str, Path]
) -> dict[str, bytes]:
    """The ZIP's texts: the credits (one line per file, and as CSV) and each language's release (text, PDF)."""
    settings = site.settings
    width = max((len(c.file) for c in credits), default=0)
    lines = [f"{settings.name} — {settings.organisation}", t("press_captions"), ""]
    lines += [f"{c.file:<{width}}  {c.caption} ({c.owner}) — {t('press_photo_by', credit=c.credit)}" for c in credits]
    lines += ["", t("press_credits"), settings.press.credits or t("press_rights_default"), ""]
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\r\n")  # RFC 4180, as spreadsheets read it
    writer.writerow([t(f"press_col_{key}") for key in ("file", "caption", "page", "credit")])
    writer.writerows([c.file, c.caption, c.owner, c.credit] for c in credits)
    # the BOM: a spreadsheet opening the CSV reads UTF-8 only with it
    texts = {"CREDITS.txt": "\n".join(lines).encode(), "CREDITS.csv": table.getvalue().encode("utf-8-sig")}
    for lang in kit.releases:
        name = f"{Translator(lang)('press_release_file')}-{lang}"
        texts[f"{name}.txt"] = release_text(kit, lang, settings, site.site_url).encode()
        if lang in releases:
            texts[f"{name}.pdf"] = releases[lang].read_bytes()
    return texts
