"""Campaign -> MkDocs pages: generated files, navigation and page context.

With ``vitrine.i18n`` and ``vitrine/theme/`` this is the part that knows MkDocs;
the templates do the presentation, this module hands them data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.structure.files import File, Files

from .donate import epc_payload, epc_qr_svg, format_iban, tax_table, with_utm
from .errors import Problem
from .i18n import Translator
from .images import Picture
from .markup import excerpt
from .model import Campaign, Image, Person, Product, Testimony
from .settings import Settings

# Section pages: (source in docs/, kind, title key). A docs/ file at that path
# is kept as the page's introduction; otherwise an empty page is generated.
SECTIONS = (
    ("index.md", "home", "home"),
    ("people/index.md", "people", "people"),
    ("products/index.md", "products", "products"),
    ("wishlist.md", "wishlist", "wishlist"),
    ("donate.md", "donate", "donate"),
    ("press.md", "press", "press"),
)


@dataclass(frozen=True)
class PageInfo:
    kind: str  # home, people, products, wishlist, donate, press, product, person
    key: str  # the product's or person's slug, "" for sections
    title: str
    description: str = ""
    card: str = ""  # share card URL, site-relative


@dataclass
class Site:
    """Everything the templates need, computed once per build."""

    campaign: Campaign
    settings: Settings
    t: Translator
    pictures: dict[str, Picture] = field(default_factory=dict)
    cards: dict[str, Path] = field(default_factory=dict)  # "products/<slug>", "people/<slug>", "campaign" -> file
    pages: dict[str, PageInfo] = field(default_factory=dict)  # src_uri -> info
    problems: list[str] = field(default_factory=list)  # shown on pages in `mkdocs serve`
    reported: set[Problem] = field(default_factory=set)  # logged by this build (translations skip them)
    extras: dict[str, Any] = field(default_factory=dict)  # other stages' data for templates (giving, press)

    def picture(self, image: Image | None) -> Picture | None:
        return self.pictures.get(image.name) if image else None

    def person(self, slug: str) -> Person:
        return self.campaign.people[slug]

    def product(self, slug: str) -> Product:
        return self.campaign.products[slug]

    def donate_url(self, product: Product | None = None) -> str:
        """The product's own donate link, else the campaign's; "" means our donate/ page."""
        url = (product.donate if product else "") or self.settings.donate.url
        return with_utm(url, self.settings.donate.utm) if url else ""

    def quote(self, testimony: Testimony, limit: int = 160) -> str:
        """The testimony's opening, for cards and home."""
        return excerpt(testimony.html, limit)

    def featured(self, limit: int = 6) -> list[Testimony]:
        """Home page: the featured testimonies first, one per person, then others."""
        chosen: list[Testimony] = []
        for t in self.campaign.testimonies:  # already featured-first, newest first
            if all(c.person != t.person for c in chosen):
                chosen.append(t)
        return chosen[:limit]


def plan_giving(site: Site) -> dict[str, Any]:
    """The donate page's data: every configured channel, checked and ready to show."""
    donate = site.settings.donate
    view: dict[str, Any] = {"url": site.donate_url(), "links": [
        (link.label, with_utm(link.url, donate.utm)) for link in donate.links]}  # fmt: skip
    if donate.bank:
        bank = donate.bank
        payload = epc_payload(name=bank.holder, iban=bank.iban, bic=bank.bic, purpose="CHAR", text=bank.purpose)
        view["bank"] = {"holder": bank.holder, "iban": format_iban(bank.iban), "bic": bank.bic,
                        "purpose": bank.purpose, "payload": payload,
                        "qr": Markup(epc_qr_svg(payload, title=site.t("qr_title")))}  # fmt: skip
    if donate.wishlist:
        view["wishlist"] = (donate.wishlist.label, with_utm(donate.wishlist.url, donate.utm))
    view["parcel"] = donate.parcel
    tax = donate.tax
    if tax.scheme != "none":
        view["tax"] = {"scheme": tax.scheme, "ceiling": tax.ceiling,
                       "table": tax_table(tax.amounts, tax.scheme, tax.ceiling)}  # fmt: skip
    return view


def plan_pages(site: Site) -> None:
    """Decide every generated page's source path, kind and title."""
    t = site.t
    site.extras["giving"] = plan_giving(site)
    card = lambda key: f"img/cards/{key}.jpg" if key in site.cards else ""  # noqa: E731
    for src, kind, title in SECTIONS:
        site.pages[src] = PageInfo(kind, "", t(title), card=card("campaign"))
    for product in site.campaign.products.values():
        reviews = site.campaign.by_product[product.slug]
        quote = site.quote(reviews[0]) if reviews else excerpt(product.html, 160)
        site.pages[f"products/{product.slug}.md"] = PageInfo(
            "product", product.slug, product.title, quote, card(f"products/{product.slug}")
        )
    for person in site.campaign.people.values():
        site.pages[f"people/{person.slug}.md"] = PageInfo(
            "person", person.slug, person.name, excerpt(person.html, 200), card(f"people/{person.slug}")
        )


def generate_files(site: Site, config: Any, files: Files, binaries: dict[str, Path]) -> None:
    """Add the generated pages and processed images to MkDocs' files."""
    for src in site.pages:
        if not files.get_file_from_path(src):
            files.append(File.generated(config, src, content=""))
    for url, path in binaries.items():
        files.append(File.generated(config, url, abs_src_path=str(path)))


def default_nav(t: Translator, docs: Callable[[str], bool]) -> list[dict[str, str]]:
    """Section pages only: a sidebar listing every member would make the build quadratic."""
    return [{t(title): src} for src, _, title in SECTIONS] + ([{t("about"): "about.md"}] if docs("about.md") else [])


def page_meta(site: Site, src: str, meta: dict[str, Any]) -> None:
    """Template, escaped title and description of a generated page.

    Titles come from front matter, so they are escaped here, once: MkDocs and
    Material print ``page.title`` as it is, in <title>, navigation and search.
    """
    for key in ("title", "description"):  # every page's, hand-written ones too: Material prints them raw
        if isinstance(meta.get(key), str):
            meta[key] = escape(meta[key])  # Markup: escaped once, never twice
    info = site.pages.get(src)
    if not info:
        return
    meta.setdefault("template", f"vitrine/{info.kind}.html")
    meta.setdefault("hide", ["navigation", "toc"])  # our templates lay out the whole width
    if info.kind in ("product", "person") or "title" not in meta:
        meta["title"] = escape(info.title)
    if info.description:
        meta["description"] = escape(info.description)


def page_content(site: Site, src: str, html: str) -> str:
    """A product's description or a person's story is the page's own content,
    so Material's search indexes it."""
    info = site.pages.get(src)
    if info and info.kind == "product":
        return site.product(info.key).html
    if info and info.kind == "person":
        return site.person(info.key).html
    return html


def page_context(site: Site, src: str) -> dict[str, Any]:
    """What the template of a page sees as ``vitrine``."""
    info = site.pages.get(src)
    view: dict[str, Any] = {"site": site, "campaign": site.campaign, "settings": site.settings, "t": site.t,
                            "info": info, "problems": site.problems, **site.extras}  # fmt: skip
    if info and info.kind == "product":
        view["product"] = site.product(info.key)
        view["reviews"] = site.campaign.by_product[info.key]
    elif info and info.kind == "person":
        view["person"] = site.person(info.key)
        view["reviews"] = site.campaign.by_person[info.key]
    return view


__all__ = ["Markup", "PageInfo", "Site", "default_nav", "generate_files", "page_content", "page_context",
           "page_meta", "plan_pages"]  # fmt: skip
