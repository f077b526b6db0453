"""Each person, product, event and review as the templates read it: plain values, resolved once per language.

Templates make no calls into Python objects (``tests/test_templates.py``), so everything a page shows of a
person or product is a field here: its picture's sources, its stars, its card's line of facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

from vitrine.media.images import Picture
from vitrine.read.model import Event, Person, Product, Testimony

if TYPE_CHECKING:
    from vitrine.plan.pages import Edition


@dataclass(frozen=True, kw_only=True)
class Source:
    url: str  # site-relative
    width: int


@dataclass(frozen=True, kw_only=True)
class PictureView:
    webp: tuple[Source, ...]
    jpeg: tuple[Source, ...]
    src: str  # the <img src>: a mid-size JPEG
    large: str  # the largest JPEG (the photo viewer)
    width: int
    height: int
    alt: str


@dataclass(frozen=True, kw_only=True)
class Stars:
    value: float  # the mean, unrounded: it decides the half star
    text: str  # "4.5", "5": what the label says, to one decimal


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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


def stars(rating: float) -> Stars:
    return Stars(value=float(rating), text=f"{round(float(rating), 1):g}")


def picture_view(picture: Picture | None, alt: str) -> PictureView | None:
    if not picture:  # only in `mkdocs serve`, for a photo that failed: its problem is in the banner
        return None
    return PictureView(
        webp=tuple(Source(url=v.url, width=v.width) for v in picture.webp),
        jpeg=tuple(Source(url=v.url, width=v.width) for v in picture.jpeg),
        src=picture.fallback.url, large=picture.jpeg[-1].url, width=picture.width, height=picture.height, alt=alt,
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
            slug=person.slug, name=person.name, url=person.url, initial=person.name[:1], photo=photo,
            origin=person.origin, occupation=person.occupation, facts=facts, lang=person.lang, reviews=count,
            count=summary, craft=person.craft, workshop=person.workshop, place=person.place, region=person.region,
            since=person.since, website=person.website,
        )  # fmt: skip

    def _product(self, product: Product) -> ProductView:
        e = self.edition
        photos = tuple(picture_view(e.picture(i), i.alt) for i in product.images)
        rating = e.campaign.rating_of(product.slug)
        accounts = e.campaign.by_product[product.slug]
        makers = tuple(self.people[t.person] for t in accounts) if e.campaign.kind == "makers" else ()
        return ProductView(
            slug=product.slug, title=product.title, url=product.url, photos=photos,
            alts=tuple(i.alt for i in product.images), thumb=photos[0], thumb_alt=product.images[0].alt,
            category=product.category, needed=product.needed, collected=product.collected,
            remaining=product.remaining, fulfilled=product.fulfilled, price=product.price,
            cost_to_fulfil=product.cost_to_fulfil, give=e.donate_url(product), lang=product.lang,
            reviews=len(accounts), stars=stars(rating) if rating is not None else None, made_in=product.made_in,
            region=product.region, labels=product.labels, buy=product.buy, makers=makers,
        )  # fmt: skip

    def review(self, t: Testimony, limit: int = 160) -> Review:
        return Review(
            id=f"avis-{t.person}-{t.product}", person=self.people[t.person], product=self.products[t.product],
            stars=stars(t.rating) if t.rating is not None else None, title=t.title, date=t.date,
            iso=t.date.isoformat() if t.date else "", featured=t.featured, lang=t.lang, html=Markup(t.html),
            quote=self.edition.quote(t, limit),
        )  # fmt: skip

    def event(self, event: Event, day: date) -> EventView:
        return EventView(
            slug=event.slug, title=event.title, when=self.edition.t.when(event.start, event.end),
            iso=event.start.isoformat(), upcoming=event.is_upcoming(day), place=event.place,
            address=tuple(line.strip() for line in event.address.splitlines() if line.strip()), url=event.url,
            people=tuple(self.people[p] for p in event.people if p in self.people), html=Markup(event.html),
            lang=event.lang, anchor=event.anchor, ics=event.ics,
        )  # fmt: skip

    def sorted_people(self) -> list[PersonView]:
        return sorted(self.people.values(), key=lambda p: p.name)

    def groups(self) -> list[tuple[str, list[ProductView]]]:
        """The wish list's groups; the group without a category is labelled "" (the template names it)."""
        wishlist = self.edition.campaign.wishlist
        return [(category, [self.products[p.slug] for p in group]) for category, group in wishlist]
