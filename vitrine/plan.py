"""One language's campaign -> typed data for every page, resolved for the templates.

Host-free (no MkDocs): the adapter turns these pages into the host's files and
page context. Templates read plain values only (no calls into Python objects),
so they stay within the Jinja subset MiniJinja also renders. A new kind of page
(events, makers) is a new ``kind`` and a new ``plan_*`` function here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup

from . import where
from .donate import epc_payload, epc_qr_svg, format_iban, tax_table, with_utm
from .i18n import Translator
from .images import Picture
from .markup import excerpt
from .model import ALL_EVENTS_ICS, Campaign, Event, Image, Person, Product, Testimony
from .settings import Settings
from .today import today

# Section pages: (source in docs/, kind, title key). A docs/ file at that path
# is kept as the page's introduction; otherwise an empty page is generated.
SECTIONS = (
    ("index.md", "home", "home"),
    ("people/index.md", "people", "people"),
    ("products/index.md", "products", "products"),
    ("wishlist.md", "wishlist", "wishlist"),
    ("donate.md", "donate", "donate"),
    ("events/index.md", "events", "events"),
    ("press.md", "press", "press"),
)
TITLES = {"makers": {"people": "makers"}}  # a kind's own title keys, where they differ


def giving_set(settings: Settings) -> bool:
    """Whether the settings name a donation channel: a makers campaign gives only then."""
    donate = settings.donate
    return bool(donate.url or donate.links or donate.bank or donate.wishlist or donate.parcel)


def sections(campaign: Campaign, settings: Settings) -> list[tuple[str, str, str]]:
    """The section pages this campaign has: none with nothing in it (people, products and the wish list
    need someone or something published, events an event); wish list and donate page in a makers campaign
    only when the settings name donation channels."""
    gives = campaign.kind != "makers" or giving_set(settings)
    titles = TITLES.get(campaign.kind, {})
    empty = {"people": not campaign.people, "products": not campaign.products, "wishlist": not campaign.products,
             "events": not campaign.events}  # fmt: skip
    return [(src, kind, titles.get(kind, title)) for src, kind, title in SECTIONS
            if not empty.get(kind) and (kind not in ("wishlist", "donate") or gives)]  # fmt: skip


@dataclass(frozen=True)
class Edition:
    """The campaign as one language's pages, cards and press kit show it."""

    lang: str
    campaign: Campaign
    settings: Settings
    t: Translator
    pictures: Mapping[str, Picture]
    extras: Mapping[str, Any] = field(default_factory=dict)  # "giving", "docs_images": for the press kit

    def picture(self, image: Image | None) -> Picture | None:
        return self.pictures.get(image.name) if image else None

    def donate_url(self, product: Product | None = None) -> str:
        """The product's own donate link, else the campaign's; "" means our donate/ page."""
        url = (product.donate if product else "") or self.settings.donate.url
        return with_utm(url, self.settings.donate.utm) if url else ""

    def quote(self, testimony: Testimony, limit: int = 160) -> str:
        """The testimony's opening, for cards, home and press."""
        return excerpt(testimony.html, limit)


# --- what templates read ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    url: str  # site-relative
    width: int


@dataclass(frozen=True)
class PictureView:
    webp: tuple[Source, ...]
    jpeg: tuple[Source, ...]
    src: str  # the <img src>: a mid-size JPEG
    large: str  # the largest JPEG (lightbox)
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Stars:
    value: float  # the mean, unrounded: it decides the half star
    text: str  # "4.5", "5": what the label says, to one decimal


@dataclass(frozen=True)
class PersonView:
    slug: str
    name: str
    url: str
    initial: str
    photo: PictureView | None
    origin: str
    occupation: str
    facts: str  # "origin · occupation"; a maker's "craft · place"
    lang: str
    reviews: int
    count: str = ""  # "3 produits commentés", "2 produits": what their card says under the facts
    # the makers kind
    craft: str = ""
    workshop: str = ""
    place: str = ""
    region: str = ""
    since: int | None = None
    website: str = ""


@dataclass(frozen=True)
class ProductView:
    slug: str
    title: str
    url: str
    photos: tuple[PictureView | None, ...]
    alts: tuple[str, ...]
    thumb: PictureView | None
    thumb_alt: str
    category: str
    needed: int | None
    collected: int | None
    remaining: int | None
    fulfilled: bool
    price: Decimal | None
    cost_to_fulfil: Decimal | None
    give: str  # donate link, "" for our donate/ page
    lang: str
    reviews: int
    stars: Stars | None
    # the makers kind
    made_in: str = ""
    region: str = ""
    labels: tuple[str, ...] = ()
    buy: tuple[tuple[str, str], ...] = ()  # (label, https URL)
    makers: tuple[PersonView, ...] = ()  # whose accounts tell how it is made


@dataclass(frozen=True)
class EventView:
    slug: str
    title: str
    when: str  # its date and times, formatted for the language
    iso: str  # its start, for <time datetime>
    upcoming: bool
    place: str
    address: tuple[str, ...]  # its lines
    url: str
    people: tuple[PersonView, ...]
    html: Markup
    lang: str
    anchor: str  # "events/#slug", site-relative
    ics: str  # "events/slug.ics", site-relative


@dataclass(frozen=True)
class Review:
    id: str
    person: PersonView
    product: ProductView
    stars: Stars | None  # None: a maker's account (never rated)
    title: str
    date: date | None
    iso: str
    featured: bool
    lang: str
    html: Markup
    quote: str  # its opening, as text


@dataclass(frozen=True)
class Page:
    """One generated page of one language."""

    src: str  # source path in docs/, e.g. "products/savon.md"
    kind: str  # home, people, products, wishlist, donate, events, press, product, person
    key: str  # the product's or person's slug, "" for sections
    title: str
    description: str = ""
    card: str = ""  # share card URL, site-relative
    body: str = ""  # the page's own content where it comes from stories/ (product, person)
    data: Mapping[str, Any] = field(default_factory=dict)  # what its template reads as ``vitrine``
    template: str = ""  # "" for vitrine/<kind>.html; a makers campaign's own layouts are in vitrine/makers/


def stars(rating: float) -> Stars:
    return Stars(float(rating), f"{round(float(rating), 1):g}")


def picture_view(picture: Picture | None, alt: str) -> PictureView | None:
    if not picture:  # only in `mkdocs serve`, for a photo that failed: its problem is in the banner
        return None
    return PictureView(
        tuple(Source(v.url, v.width) for v in picture.webp), tuple(Source(v.url, v.width) for v in picture.jpeg),
        picture.fallback.url, picture.jpeg[-1].url, picture.width, picture.height, alt,
    )  # fmt: skip


class Views:
    """Each person, product and review of one edition, resolved once."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        campaign = edition.campaign
        self.people = {slug: self._person(p) for slug, p in campaign.people.items()}
        self.products = {slug: self._product(p) for slug, p in campaign.products.items()}

    def _person(self, person: Person) -> PersonView:
        e = self.edition
        photo = picture_view(e.picture(person.photo), person.photo.alt) if person.photo else None
        count = len(e.campaign.by_person[person.slug])
        if e.campaign.kind == "makers":
            facts, summary = " · ".join(filter(None, (person.craft, person.place))), e.t("makes", n=count)
        else:
            facts = " · ".join(filter(None, (person.origin, person.occupation)))
            summary = e.t("reviewed", n=count)
        return PersonView(
            person.slug, person.name, person.url, person.name[:1], photo, person.origin, person.occupation,
            facts, person.lang, count, summary, person.craft, person.workshop, person.place, person.region,
            person.since, person.website,
        )  # fmt: skip

    def _product(self, product: Product) -> ProductView:
        e = self.edition
        photos = tuple(picture_view(e.picture(i), i.alt) for i in product.images)
        rating = e.campaign.rating_of(product.slug)
        accounts = e.campaign.by_product[product.slug]
        makers = tuple(self.people[t.person] for t in accounts) if e.campaign.kind == "makers" else ()
        return ProductView(
            product.slug, product.title, product.url, photos, tuple(i.alt for i in product.images), photos[0],
            product.images[0].alt, product.category, product.needed, product.collected, product.remaining,
            product.fulfilled, product.price, product.cost_to_fulfil, e.donate_url(product), product.lang,
            len(accounts), stars(rating) if rating is not None else None, product.made_in, product.region,
            product.labels, product.buy, makers,
        )  # fmt: skip

    def review(self, t: Testimony, limit: int = 160) -> Review:
        return Review(
            f"avis-{t.person}-{t.product}", self.people[t.person], self.products[t.product],
            stars(t.rating) if t.rating is not None else None, t.title, t.date, t.date.isoformat() if t.date else "",
            t.featured, t.lang, Markup(t.html), self.edition.quote(t, limit),
        )  # fmt: skip

    def event(self, event: Event, day: date) -> EventView:
        return EventView(
            event.slug, event.title, self.edition.t.when(event.start, event.end), event.start.isoformat(),
            event.is_upcoming(day), event.place, tuple(line.strip() for line in event.address.splitlines() if
                                                       line.strip()),
            event.url, tuple(self.people[p] for p in event.people if p in self.people), Markup(event.html),
            event.lang, event.anchor, event.ics,
        )  # fmt: skip

    def sorted_people(self) -> list[PersonView]:
        return sorted(self.people.values(), key=lambda p: p.name)

    def groups(self) -> list[tuple[str, list[ProductView]]]:
        """The wish list's groups; the group without a category is labelled "" (the template names it)."""
        wishlist = self.edition.campaign.wishlist
        return [(category, [self.products[p.slug] for p in group]) for category, group in wishlist]


# --- pages ------------------------------------------------------------------------------------------------


def plan_giving(edition: Edition) -> dict[str, Any]:
    """The donate page's data: every configured channel, checked and ready to show."""
    donate, t = edition.settings.donate, edition.t
    view: dict[str, Any] = {"url": edition.donate_url(), "links": [
        (link.label, with_utm(link.url, donate.utm)) for link in donate.links]}  # fmt: skip
    if donate.bank:
        bank = donate.bank
        payload = epc_payload(name=bank.holder, iban=bank.iban, bic=bank.bic, purpose="CHAR", text=bank.purpose)
        view["bank"] = {"holder": bank.holder, "iban": format_iban(bank.iban), "iban_raw": bank.iban, "bic": bank.bic,
                        "purpose": bank.purpose, "payload": payload,
                        "qr": Markup(epc_qr_svg(payload, title=t("qr_title")))}  # fmt: skip
    if donate.wishlist:
        view["wishlist"] = (donate.wishlist.label, with_utm(donate.wishlist.url, donate.utm))
    view["parcel"] = {"address": donate.parcel.address, "note": donate.parcel.note} if donate.parcel else None
    tax = donate.tax
    if tax.scheme != "none":
        table = tax_table(tax.amounts, tax.scheme, tax.ceiling)
        view["tax"] = {"scheme": tax.scheme, "ceiling": tax.ceiling, "table": table,
                       "default": table[-1][0] if table else 100}  # fmt: skip
    return view


def settings_view(settings: Settings) -> dict[str, Any]:
    """The settings every page may show, as plain values."""
    press = settings.press
    return {"name": settings.name, "organisation": settings.organisation, "tagline": settings.tagline,
            "badge": settings.badge, "about": settings.about, "donate_url": settings.donate.url,
            "credits": press.credits, "contacts": [{"name": c.name, "role": c.role, "email": c.email,
                                                    "phone": c.phone, "tel": c.phone.replace(" ", "")}
                                                   for c in press.contacts]}  # fmt: skip


def press_view(edition: Edition, views: Views, kit: Any) -> dict[str, Any]:
    """The press page: the kit (read at config time), its downloads, people and captions."""
    campaign = edition.campaign
    people = []
    for person in views.sorted_people():
        reviews = campaign.by_person[person.slug]
        first = reviews[0] if reviews else None
        people.append({"person": person, "quote": edition.quote(first, 200) if first else "",
                       "lang": first.lang if first else "",
                       "products": [views.products[r.product] for r in reviews]})  # fmt: skip
    captions = [(p.photo.alt, p.name) for p in campaign.people.values() if p.photo]
    captions += [(i.alt, p.title) for p in campaign.products.values() for i in p.images]
    view: dict[str, Any] = {"people": people, "captions": captions, "kit": None}
    if kit:
        release = kit.release(kit.lang)
        video = kit.video
        view["kit"] = {
            "published": kit.published, "embargoed": kit.embargoed, "embargo": kit.embargo,
            "pdfs": [{"lang": lang, "name": kit.pdf_name(lang), "language": kit.language(lang)} for lang in kit.langs],
            "zip": kit.zip_name, "sizes": {},  # the files' sizes: made before the pages, put here then
            "coverage": [{"outlet": a.outlet, "date": a.date, "iso": a.date.isoformat(),
                                               "title": a.title, "url": a.url, "quote": a.quote, "lang": a.lang}
                                              for a in kit.coverage],
            "release": {"title": release.title, "html": Markup(release.html)} if release else None,
            "video": {"url": video.url, "poster": video.poster, "external": video.external, "host": video.host}
            if video else None,
        }  # fmt: skip
    return view


def regions_view(edition: Edition, views: Views) -> dict[str, Any]:
    """Where things are made: the list by region (each entry's id the map's link target) and the map."""
    regions = where.by_region(edition.campaign)
    english = edition.lang.split("-")[0] != "fr"
    # No links inside the map: a role="img" holds no controls (axe nested-interactive), and on a phone a
    # region is too small a target; the list beside it is one tap from every maker and product.
    svg = where.map_svg(regions, edition.t("map_title"), where.describe_en if english else where.describe_fr, link="")
    return {
        "regions": [{"name": r.name, "id": where.anchor(r.name), "on_map": bool(r.departments),
                     "makers": [views.people[p.slug] for p in r.makers],
                     "products": [views.products[p.slug] for p in r.products]} for r in regions],
        "map": Markup(svg) if any(r.departments for r in regions) else "",  # where.map_svg escapes every text
        "credit": where.CREDIT["en" if english else "fr"], "credit_url": where.CREDIT_URL,
    }  # fmt: skip


def plan_pages(edition: Edition, cards: Mapping[str, Path], kit: Any, problems: Mapping[str, Any]) -> dict[str, Page]:
    """Every generated page of ``edition``, by source path, with the data its template reads."""
    t, campaign = edition.t, edition.campaign
    makers = campaign.kind == "makers"
    day = today()
    views = Views(edition)
    giving = edition.extras.get("giving") or plan_giving(edition)  # the engine's: its QR code is drawn once
    gives = not makers or giving_set(edition.settings)
    card: Callable[[str], str] = lambda key: f"img/cards/{key}.jpg" if key in cards else ""  # noqa: E731
    figures = dict(campaign.makers_figures) if makers else dict(campaign.figures)
    upcoming = [views.event(e, day) for e in campaign.upcoming(day)]
    common = {"settings": settings_view(edition.settings), "problems": problems, "giving": giving,
              "give": edition.donate_url(), "gives": gives, "kind": campaign.kind, "figures": figures,
              "events_page": bool(campaign.events),
              "sections": [kind for _, kind, _ in sections(campaign, edition.settings)]}  # fmt: skip
    home: dict[str, Any] = {"quotes": [views.review(r) for r in featured(campaign)], "people": views.sorted_people(),
                            "events": upcoming[:3]}  # fmt: skip
    if makers:
        home.update(regions_view(edition, views))
    section_data: dict[str, dict[str, Any]] = {
        "home": home,
        "people": {"people": views.sorted_people(), "intro": t("makers_intro" if makers else "people_intro")},
        "products": {"groups": views.groups(), "intro": t("makers_products_intro" if makers else "products_intro")},
        "wishlist": {"groups": views.groups(), "figures": dict(campaign.figures)},  # needs, whatever the kind
        "donate": {},
        "events": {
            "upcoming": upcoming,
            "past": [views.event(e, day) for e in campaign.past(day)],
            "all_ics": ALL_EVENTS_ICS,
        },
        "press": press_view(edition, views, kit),
    }
    layout = (lambda kind: f"vitrine/makers/{kind}.html" if kind in ("home", "product", "person") else "") if makers \
        else (lambda kind: "")  # fmt: skip
    pages: dict[str, Page] = {}
    for src, kind, title in sections(campaign, edition.settings):
        page = Page(src, kind, "", t(title), card=card("campaign"), template=layout(kind))
        pages[src] = _with_data(page, {**common, **section_data[kind]})
    for product in campaign.products.values():
        reviews = campaign.by_product[product.slug]
        quote = edition.quote(reviews[0]) if reviews else excerpt(product.html, 160)
        page = Page(f"products/{product.slug}.md", "product", product.slug, product.title, quote,
                    card(f"products/{product.slug}"), product.html, template=layout("product"))  # fmt: skip
        pages[page.src] = _with_data(page, {**common, "product": views.products[product.slug],
                                            "reviews": [views.review(r) for r in reviews]})  # fmt: skip
    for person in campaign.people.values():
        page = Page(f"people/{person.slug}.md", "person", person.slug, person.name, excerpt(person.html, 200),
                    card(f"people/{person.slug}"), person.html, template=layout("person"))  # fmt: skip
        events = [views.event(e, day) for e in campaign.events_of(person.slug, day)]
        pages[page.src] = _with_data(
            page,
            {
                **common,
                "person": views.people[person.slug],
                "events": events,
                "reviews": [views.review(r) for r in campaign.by_person[person.slug]],
            },
        )
    return pages


def _with_data(page: Page, data: dict[str, Any]) -> Page:
    return replace(page, data={**data, "page": {"kind": page.kind, "key": page.key, "card": page.card}},
                   template=page.template or f"vitrine/{page.kind}.html")  # fmt: skip


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
