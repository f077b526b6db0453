"""Each person, product, event and review as the templates read it: plain values, resolved once per language.

Templates make no calls into Python objects (``tests/test_templates.py``), so everything a page shows of a
person or product is a field here: its picture's sources, its stars, its card's line of facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

from vitrine.core.i18n import language_name
from vitrine.media.images import Picture
from vitrine.plan import calendar
from vitrine.read.model import ALL_EVENTS_ICS, Event, Person, Product, Testimony

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
    # its focus point and shape as the theme's CSS reads them (``--fx: .7; --fy: .25; --ar: 1.5``), which centres
    # every crop on that point as far as the picture allows; "" keeps the crops centred
    focus: str = ""


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
    lang_note: str  # "in French": the story is in another language than the page's ("" when it is not)
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
    lang_note: str
    urgent: bool  # its priority is at or below the campaign's `urgent` setting
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
    lang_note: str
    anchor: str  # "events/#slug", site-relative
    ics: str  # "events/slug.ics", site-relative
    map: str  # OpenStreetMap's search for its address (or place): a link, nothing loads before a tap
    # ways to add it, for an upcoming event only (a past one offers none): each web calendar's form
    # (label, https URL), and the subscription to every event (webcal://, "" without the site's address)
    add: tuple[tuple[str, str], ...] = ()
    webcal: str = ""


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
    lang_note: str
    html: Markup
    quote: str  # its opening, as text


@dataclass(frozen=True, kw_only=True)
class Gift:
    """What a typical gift buys from the wish list: "20 € = 13 × Brosse à dents"."""

    amount: Decimal
    count: int
    product: ProductView


def stars(rating: float) -> Stars:
    return Stars(value=float(rating), text=f"{round(float(rating), 1):g}")


def picture_view(picture: Picture | None, alt: str, focus: tuple[float, float] | None = None) -> PictureView | None:
    if not picture:  # only in `mkdocs serve`, for a photo that failed: its problem is in the banner
        return None
    shape = (
        f"--fx: {focus[0] / 100:g}; --fy: {focus[1] / 100:g}; --ar: {picture.width / picture.height:.4f}"
        if focus
        else ""
    )
    return PictureView(
        webp=tuple(Source(url=v.url, width=v.width) for v in picture.webp),
        jpeg=tuple(Source(url=v.url, width=v.width) for v in picture.jpeg),
        src=picture.fallback.url, large=picture.jpeg[-1].url, width=picture.width, height=picture.height, alt=alt,
        focus=shape,
    )  # fmt: skip


class Views:
    """Each person, product and review of one edition, resolved once."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        campaign = edition.campaign
        self.people = {slug: self._person(p) for slug, p in campaign.people.items()}
        self.products = {slug: self._product(p) for slug, p in campaign.products.items()}
        self.webcal = calendar.webcal(edition.site_url, ALL_EVENTS_ICS)  # the subscription to every event

    def lang_note(self, lang: str) -> str:
        """ "in French" on an English page for a story left in French: a visible sign beside its ``lang``."""
        page = self.edition.lang
        if not lang or lang.split("-")[0] == page.split("-")[0]:
            return ""
        return self.edition.t("in_language", language=language_name(lang, page))

    def _person(self, person: Person) -> PersonView:
        e = self.edition
        photo = picture_view(e.picture(p := person.photo), p.alt, p.focus) if person.photo else None
        count = len(e.campaign.by_person[person.slug])
        if e.campaign.kind == "makers":
            facts, summary = " · ".join(filter(None, (person.craft, person.place))), e.t("makes", n=count)
        else:
            facts = " · ".join(filter(None, (person.origin, person.occupation)))
            summary = e.t("reviewed", n=count)
        return PersonView(
            slug=person.slug, name=person.name, url=person.url, initial=person.name[:1], photo=photo,
            origin=person.origin, occupation=person.occupation, facts=facts, lang=person.lang, reviews=count,
            lang_note=self.lang_note(person.lang),
            count=summary, craft=person.craft, workshop=person.workshop, place=person.place, region=person.region,
            since=person.since, website=person.website,
        )  # fmt: skip

    def _product(self, product: Product) -> ProductView:
        e = self.edition
        photos = tuple(picture_view(e.picture(i), i.alt, i.focus) for i in product.images)
        rating = e.campaign.rating_of(product.slug)
        accounts = e.campaign.by_product[product.slug]
        makers = tuple(self.people[t.person] for t in accounts) if e.campaign.kind == "makers" else ()
        return ProductView(
            slug=product.slug, title=product.title, url=product.url, photos=photos,
            alts=tuple(i.alt for i in product.images), thumb=photos[0], thumb_alt=product.images[0].alt,
            category=product.category, needed=product.needed, collected=product.collected,
            remaining=product.remaining, fulfilled=product.fulfilled, price=product.price,
            cost_to_fulfil=product.cost_to_fulfil, give=e.donate_url(product), lang=product.lang,
            lang_note=self.lang_note(product.lang), urgent=product.priority <= e.settings.urgent,
            reviews=len(accounts), stars=stars(rating) if rating is not None else None, made_in=product.made_in,
            region=product.region, labels=product.labels, buy=product.buy, makers=makers,
        )  # fmt: skip

    def review(self, t: Testimony, limit: int = 160) -> Review:
        return Review(
            id=f"avis-{t.person}-{t.product}", person=self.people[t.person], product=self.products[t.product],
            stars=stars(t.rating) if t.rating is not None else None, title=t.title, date=t.date,
            iso=t.date.isoformat() if t.date else "", featured=t.featured, lang=t.lang, html=Markup(t.html),
            lang_note=self.lang_note(t.lang),
            quote=self.edition.quote(t, limit),
        )  # fmt: skip

    def event(self, event: Event, day: date) -> EventView:
        e, upcoming = self.edition, event.is_upcoming(day)
        add = tuple((e.t(f"calendar_{key}"), url) for key, url in calendar.web_calendars(
            event, e.settings.timezone, e.absolute(event.anchor))) if upcoming else ()  # fmt: skip
        return EventView(
            slug=event.slug, title=event.title, when=e.t.when(event.start, event.end),
            iso=event.start.isoformat(), upcoming=upcoming, place=event.place,
            address=tuple(line.strip() for line in event.address.splitlines() if line.strip()), url=event.url,
            people=tuple(self.people[p] for p in event.people if p in self.people), html=Markup(event.html),
            lang=event.lang, lang_note=self.lang_note(event.lang), anchor=event.anchor, ics=event.ics,
            map=calendar.map_url(event), add=add,
            webcal=self.webcal if upcoming else "",
        )  # fmt: skip

    def gifts(self, amounts: Sequence[Decimal | int], most: int = 3) -> list[Gift]:
        """For the first few typical gifts, what each buys of a still-needed product, the most urgent first and
        a different product for each amount, so the home shows a gift's worth in things."""
        needs = [p for p in self.edition.campaign.products.values() if p.remaining and p.price]
        needs.sort(key=lambda p: (p.priority, p.title.casefold()))
        gifts: list[Gift] = []
        for amount in sorted(amounts)[:most]:
            product = next((p for p in needs if p.price and p.price <= amount), None)
            if product and product.price and product.remaining:
                needs.remove(product)
                count = min(int(Decimal(amount) // product.price), product.remaining)
                gifts.append(Gift(amount=Decimal(amount), count=count, product=self.products[product.slug]))
        return gifts

    def sorted_people(self) -> list[PersonView]:
        return sorted(self.people.values(), key=lambda p: p.name)

    def groups(self) -> list[tuple[str, list[ProductView]]]:
        """The wish list's groups; the group without a category is labelled "" (the template names it)."""
        wishlist = self.edition.campaign.wishlist
        return [(category, [self.products[p.slug] for p in group]) for category, group in wishlist]
