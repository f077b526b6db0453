"""One language's campaign -> typed data for every page, resolved for the templates.

Host-free (no MkDocs): the adapter turns these pages into the host's files and
page context. Templates read plain values only (no calls into Python objects),
so they stay within the Jinja subset MiniJinja also renders: the people, products
and reviews are ``vitrine.plan.views``, each page's data a class of ``vitrine.plan.page_data``.
A new kind of page (events, makers) is a new ``kind``, a new class there and its
data made here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from vitrine.core.i18n import Translator
from vitrine.core.today import today
from vitrine.giving.donate import epc_payload, epc_qr_svg, format_iban, tax_table, url_qr_svg, with_utm
from vitrine.media.images import Picture
from vitrine.plan import where
from vitrine.plan.page_data import (
    Bank,
    Contact,
    CoverageView,
    Donate,
    Events,
    Giving,
    Home,
    KitView,
    MakersHome,
    PageData,
    PageInfo,
    Parcel,
    PdfLink,
    People,
    PersonPage,
    Press,
    ProductPage,
    Products,
    RegionView,
    ReleasePage,
    ReleaseView,
    SettingsView,
    Tax,
    VideoView,
    Voice,
    Where,
    Wishlist,
)
from vitrine.plan.views import Views
from vitrine.read.kit import RELEASE_PAGE, RELEASE_TXT, Kit
from vitrine.read.markup import excerpt
from vitrine.read.model import ALL_EVENTS_ICS, Campaign, Image, Product, Testimony
from vitrine.read.settings import Settings

# Section pages: (source in docs/, kind, title key). A docs/ file at that path
# is kept as the page's introduction; otherwise an empty page is generated.
SECTIONS = (
    ("index.md", "home", "home"),
    ("people/index.md", "people", "people"),
    ("products/index.md", "products", "products"),
    ("wishlist.md", "wishlist", "wishlist"),
    ("donate.md", "donate", "donate"),
    ("events/index.md", "events", "events"),
    ("where/index.md", "where", "where_made"),  # the makers kind, when something names a region
    ("press.md", "press", "press"),
)
TITLES = {"makers": {"people": "makers"}}  # a kind's own title keys, where they differ
INTROS = {"people": ("people_intro", "makers_intro"), "products": ("products_intro", "makers_products_intro")}


def giving_set(settings: Settings) -> bool:
    """Whether the settings name a donation channel: a makers campaign gives only then."""
    donate = settings.donate
    return bool(donate.url or donate.links or donate.bank or donate.wishlist or donate.parcel)


def sections(campaign: Campaign, settings: Settings) -> list[tuple[str, str, str]]:
    """The section pages this campaign has: none with nothing in it (people, products and the wish list
    need someone or something published, events an event); wish list and donate page in a makers campaign
    only when the settings name donation channels; where things are made in a makers campaign only when a
    maker or a product names a region."""
    gives = campaign.kind != "makers" or giving_set(settings)
    titles = TITLES.get(campaign.kind, {})
    empty = {"people": not campaign.people, "products": not campaign.products, "wishlist": not campaign.products,
             "events": not campaign.events,
             "where": campaign.kind != "makers" or not where.by_region(campaign)}  # fmt: skip
    return [(src, kind, titles.get(kind, title)) for src, kind, title in SECTIONS
            if not empty.get(kind) and (kind not in ("wishlist", "donate") or gives)]  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Edition:
    """The campaign as one language's pages, cards and press kit show it."""

    lang: str
    campaign: Campaign
    settings: Settings
    t: Translator
    pictures: Mapping[str, Picture]
    extras: Mapping[str, Any] = field(default_factory=dict)  # "giving", "docs_images": for the press kit
    site_url: str = ""  # where this language is published: the calendar subscription's address; "" unknown

    def absolute(self, path: str) -> str:
        """``path`` (site-relative) at the address this language is published at; "" when that is unknown."""
        return self.site_url.rstrip("/") + "/" + path if self.site_url else ""

    def picture(self, image: Image | None) -> Picture | None:
        return self.pictures.get(image.name) if image else None

    def donate_url(self, product: Product | None = None) -> str:
        """The product's own donate link, else the campaign's; "" means our donate/ page."""
        url = (product.donate if product else "") or self.settings.donate.url
        return with_utm(url, self.settings.donate.utm) if url else ""

    def quote(self, testimony: Testimony, limit: int = 160) -> str:
        """The testimony's opening, for cards, home and press."""
        return excerpt(testimony.html, limit)


@dataclass(frozen=True, kw_only=True)
class Page:
    """One generated page of one language."""

    src: str  # source path in docs/, e.g. "products/savon.md"
    kind: str  # home, people, products, wishlist, donate, events, press, product, person
    key: str  # the product's or person's slug, "" for sections
    title: str
    description: str = ""
    card: str = ""  # share card URL, site-relative
    body: str = ""  # the page's own content where it comes from stories/ (product, person)
    data: PageData  # what its template reads as ``vitrine``
    template: str  # vitrine/<kind>.html; a makers campaign's own layouts are in vitrine/makers/


# --- pages ------------------------------------------------------------------------------------------------


def plan_giving(edition: Edition) -> Giving:
    """The donate page's data: every configured channel, checked and ready to show."""
    donate, t = edition.settings.donate, edition.t
    bank = wishlist = parcel = tax = None
    if donate.bank:
        b = donate.bank
        payload = epc_payload(name=b.holder, iban=b.iban, bic=b.bic, purpose="CHAR", text=b.purpose)
        bank = Bank(holder=b.holder, iban=format_iban(b.iban), iban_raw=b.iban, bic=b.bic, purpose=b.purpose,
                    payload=payload, qr=Markup(epc_qr_svg(payload, title=t("qr_title"))))  # fmt: skip
    if donate.wishlist:
        wishlist = (donate.wishlist.label, with_utm(donate.wishlist.url, donate.utm))
    if donate.parcel:
        parcel = Parcel(address=donate.parcel.address, note=donate.parcel.note)
    if donate.tax.scheme != "none":
        table = tax_table(donate.tax.amounts, donate.tax.scheme, donate.tax.ceiling)
        tax = Tax(scheme=donate.tax.scheme, ceiling=donate.tax.ceiling, table=table,
                  default=table[-1][0] if table else 100)  # fmt: skip
    links = [(link.label, with_utm(link.url, donate.utm)) for link in donate.links]
    return Giving(url=edition.donate_url(), links=links, bank=bank, wishlist=wishlist, parcel=parcel, tax=tax)


def settings_view(settings: Settings) -> SettingsView:
    """The settings every page may show, as plain values."""
    press = settings.press
    contacts = [Contact(name=c.name, role=c.role, email=c.email, phone=c.phone, tel=c.phone.replace(" ", ""))
                for c in press.contacts]  # fmt: skip
    return SettingsView(name=settings.name, organisation=settings.organisation, tagline=settings.tagline,
                        badge=settings.badge, about=settings.about, donate_url=settings.donate.url,
                        credits=press.credits, contacts=contacts)  # fmt: skip


def release_view(kit: Kit, edition: Edition) -> ReleaseView | None:
    """The site's release as its page and the press page show it, dated and with its embargo; None without one."""
    release = kit.release(kit.lang)
    if release is None:
        return None
    day = kit.dated(kit.lang)
    return ReleaseView(title=release.title, html=Markup(release.html), date=day, iso=day.isoformat(),
                       not_before=kit.not_before(edition.t, edition.settings.timezone),
                       page=RELEASE_PAGE.removesuffix("index.md"), text=RELEASE_TXT,
                       pdf=kit.release_pdf_name(kit.lang))  # fmt: skip


def kit_view(kit: Kit, edition: Edition) -> KitView:
    """The press kit (read at config time) as its page shows it: downloads, coverage, release, video."""
    video = kit.video
    return KitView(
        published=kit.published, embargoed=kit.embargoed, embargo=kit.embargo,
        pdfs=[PdfLink(lang=lang, name=kit.pdf_name(lang), language=kit.language(lang)) for lang in kit.langs],
        zip=kit.zip_name, web_zip=kit.web_zip_name,
        coverage=[CoverageView(outlet=a.outlet, date=a.date, iso=a.date.isoformat(), title=a.title, url=a.url,
                               quote=a.quote, lang=a.lang) for a in kit.coverage],
        release=release_view(kit, edition),
        video=VideoView(url=video.url, poster=video.poster, external=video.external, host=video.host)
        if video else None,
    )  # fmt: skip


def press_fields(edition: Edition, views: Views, kit: Kit | None) -> dict[str, Any]:
    """The press page's own fields: the kit, people and captions."""
    campaign = edition.campaign
    people = []
    for person in views.sorted_people():
        reviews = campaign.by_person[person.slug]
        first = reviews[0] if reviews else None
        people.append(Voice(person=person, quote=edition.quote(first, 200) if first else "",
                            lang=first.lang if first else "",
                            products=[views.products[r.product] for r in reviews]))  # fmt: skip
    captions = [(p.photo.alt, p.name, p.photo.credit) for p in campaign.people.values() if p.photo]
    captions += [(i.alt, p.title, i.credit) for p in campaign.products.values() for i in p.images]
    return {"people": people, "captions": captions, "kit": kit_view(kit, edition) if kit else None}


def credit(image: Image, settings: Settings, t: Translator) -> str:
    """Who took ``image``: its own ``credit``/``photo_credit``, else the campaign's credits, else the default."""
    return image.credit or settings.press.credits or t("press_rights_default")


def regions_fields(edition: Edition, views: Views, link: str = "#region-{slug}") -> dict[str, Any]:
    """Where things are made: the list by region (each entry's id the map's link target), the map, whose
    regions link to ``link`` (``where/#region-{slug}`` from the home page), and its legend's numbers,
    colours and counts."""
    regions = where.by_region(edition.campaign)
    english = edition.lang.split("-")[0] != "fr"
    svg = where.map_svg(regions, edition.t("map_title"), where.describe_en if english else where.describe_fr, link)
    numbers = {r.name: i for i, r in enumerate((r for r in regions if r.departments), 1)}
    t = edition.t
    return {
        "regions": [RegionView(name=r.name, id=where.anchor(r.name), on_map=bool(r.departments),
                               makers=[views.people[p.slug] for p in r.makers],
                               products=[views.products[p.slug] for p in r.products],
                               number=numbers.get(r.name, 0), colour=where.colour(r.name),
                               counts=", ".join(filter(None, (t("makers_count", n=len(r.makers)) if r.makers else "",
                                                              t("products_count", n=len(r.products)) if r.products
                                                              else "")))) for r in regions],
        "map": Markup(svg) if numbers else "",  # where.map_svg escapes every text
        "credit": where.CREDIT["en" if english else "fr"], "credit_url": where.CREDIT_URL,
    }  # fmt: skip


class Pages:
    """The pages of one edition, each with the fields every page reads and those of its kind."""

    def __init__(self, edition: Edition, cards: Mapping[str, Path], problems: Mapping[str, Any]) -> None:
        self.edition, self.cards = edition, cards
        self.views = Views(edition)
        self.day = today()
        self.makers = edition.campaign.kind == "makers"
        campaign = edition.campaign
        self.common: dict[str, Any] = {
            "settings": settings_view(edition.settings), "problems": problems,
            "giving": edition.extras.get("giving") or plan_giving(edition),  # the engine's: its QR code drawn once
            "give": edition.donate_url(), "gives": not self.makers or giving_set(edition.settings),
            "kind": campaign.kind, "figures": dict(campaign.makers_figures if self.makers else campaign.figures),
            "events_page": bool(campaign.events),
            "sections": [kind for _, kind, _ in sections(campaign, edition.settings)],
        }  # fmt: skip

    def page(self, cls: type[PageData], src: str, kind: str, key: str, title: str, card: str,
             description: str = "", body: str = "", **fields: Any) -> Page:  # fmt: skip
        """A page whose template reads ``cls(**common, **fields)``; a makers campaign has its own layouts."""
        url = f"img/cards/{card}.jpg" if card in self.cards else ""
        own = self.makers and kind in ("home", "product", "person")
        info = PageInfo(kind=kind, key=key, card=url)
        return Page(src=src, kind=kind, key=key, title=title, description=description, card=url, body=body,
                    data=cls(**{**self.common, **fields}, page=info),
                    template=f"vitrine/makers/{kind}.html" if own else f"vitrine/{kind}.html")  # fmt: skip

    def section(self, src: str, kind: str, title: str, kit: Kit | None) -> Page:
        """A section page (home, people, products, wish list, donate, events, press)."""
        e, views, campaign = self.edition, self.views, self.edition.campaign

        def make(cls: type[PageData], **fields: Any) -> Page:
            return self.page(cls, src, kind, "", e.t(title), "campaign", **fields)

        if kind == "home":
            home = {"quotes": [views.review(r) for r in featured(campaign)], "people": views.sorted_people(),
                    "events": [views.event(ev, self.day) for ev in campaign.upcoming(self.day)][:3],
                    "gifts": [] if self.makers else views.gifts(e.settings.donate.tax.amounts)}  # fmt: skip
            if self.makers:
                return make(MakersHome, **home, **regions_fields(e, views, "where/#region-{slug}"))
            return make(Home, **home)
        if kind in ("people", "products"):
            intro = e.t(INTROS[kind][self.makers])
            if kind == "people":
                return make(People, people=views.sorted_people(), intro=intro)
            return make(Products, groups=views.groups(), intro=intro)
        if kind == "wishlist":
            # the needs, whatever the kind
            return make(Wishlist, groups=views.groups(), figures=dict(campaign.figures), **printed_give(e))
        if kind == "events":
            return make(
                Events,
                upcoming=[views.event(ev, self.day) for ev in campaign.upcoming(self.day)],
                past=[views.event(ev, self.day) for ev in campaign.past(self.day)],
                all_ics=ALL_EVENTS_ICS,
                webcal=views.webcal,
            )
        if kind == "press":
            return make(Press, **press_fields(e, views, kit))
        if kind == "where":
            return make(Where, **regions_fields(e, views))
        return make(Donate)

    def product(self, product: Product) -> Page:
        e, reviews = self.edition, self.edition.campaign.by_product[product.slug]
        quote = e.quote(reviews[0]) if reviews else excerpt(product.html, 160)
        return self.page(ProductPage, f"products/{product.slug}.md", "product", product.slug, product.title,
                         f"products/{product.slug}", quote, product.html, product=self.views.products[product.slug],
                         reviews=[self.views.review(r) for r in reviews])  # fmt: skip

    def person(self, slug: str) -> Page:
        person, campaign, views = self.edition.campaign.people[slug], self.edition.campaign, self.views
        return self.page(PersonPage, f"people/{slug}.md", "person", slug, person.name, f"people/{slug}",
                         excerpt(person.html, 200), person.html, person=views.people[slug],
                         events=[views.event(ev, self.day) for ev in campaign.events_of(slug, self.day)],
                         reviews=[views.review(r) for r in campaign.by_person[slug]])  # fmt: skip


def plan_pages(
    edition: Edition, cards: Mapping[str, Path], kit: Kit | None, problems: Mapping[str, Any]
) -> dict[str, Page]:
    """Every generated page of ``edition``, by source path, with the data its template reads."""
    campaign = edition.campaign
    made = Pages(edition, cards, problems)
    pages = [made.section(src, kind, title, kit) for src, kind, title in sections(campaign, edition.settings)]
    pages += [made.product(product) for product in campaign.products.values()]
    pages += [made.person(slug) for slug in campaign.people]
    release = release_view(kit, edition) if kit and kit.published else None
    if release:
        pages.append(made.page(ReleasePage, RELEASE_PAGE, "release", "", release.title or edition.t("press_release"),
                               "campaign", excerpt(release.html, 200), release.html, release=release))  # fmt: skip
    return {page.src: page for page in pages}


def printed_give(edition: Edition) -> dict[str, Any]:
    """What the printed wish list shows to give: the donate page's absolute address and its QR code; without a
    site_url the page's address is unknown, so the campaign's own donate link as text, if it has one."""
    if not edition.site_url:
        return {"donate_address": edition.donate_url()}
    address = edition.absolute("donate/")
    return {"donate_address": address, "donate_qr": Markup(url_qr_svg(address, title=edition.t("print_qr")))}


def featured(campaign: Campaign, limit: int = 6) -> list[Testimony]:
    """Home page: the featured testimonies first, one per person, then others."""
    chosen: list[Testimony] = []
    for t in campaign.testimonies:  # already featured-first, newest first
        if all(c.person != t.person for c in chosen):
            chosen.append(t)
    return chosen[:limit]


def default_nav(t: Translator, has_about: bool, campaign: Campaign, settings: Settings) -> list[dict[str, str]]:
    """Section pages only: a sidebar listing every member would make the build quadratic."""
    return [{t(title): src} for src, _, title in sections(campaign, settings)] + (
        [{t("about"): "about.md"}] if has_about else [])  # fmt: skip
