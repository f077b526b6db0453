"""The campaign model: plain, immutable data that every stage reads.

Built once by ``vitrine.read.load``; cross-links (who reviewed what) are resolved
here so templates and the press kit never search for them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

PORTRAIT_WIDTH = 960  # a portrait's largest width: it is shown small


@dataclass(frozen=True)
class Image:
    """An image an editor named in front matter."""

    source: Path  # absolute path of the original, inside stories/
    label: str  # path shown in messages, relative to the project root
    name: str  # output stem, e.g. "products/savon/savon" (no extension)
    alt: str
    webp_max: int | None = None  # the widest a page can show it (portraits): no wider WebP is made
    focus: tuple[float, float] | None = None  # (x, y) in % from the top left, kept in frame by every crop
    credit: str = ""  # who took it (photo_credit, an image's credit); "" for the campaign's credits

    @property
    def position(self) -> str:
        """The focus as CSS's ``object-position`` (``70% 25%``); "" for the default, the centre."""
        return f"{self.focus[0]:g}% {self.focus[1]:g}%" if self.focus else ""


@dataclass(frozen=True, kw_only=True)
class Person:
    slug: str
    name: str
    consent: date
    path: str  # index.md, relative to the project root
    html: str  # life story, rendered and sanitised
    photo: Image | None = None
    origin: str = ""
    occupation: str = ""
    lang: str = ""
    # the makers kind (empty elsewhere)
    craft: str = ""  # what they make or do
    workshop: str = ""
    place: str = ""  # town
    region: str = ""
    since: int | None = None  # year the workshop began
    website: str = ""

    @property
    def url(self) -> str:
        return f"people/{self.slug}/"


@dataclass(frozen=True, kw_only=True)
class Product:
    slug: str
    title: str
    images: tuple[Image, ...]
    path: str
    html: str  # description, rendered and sanitised
    category: str = ""
    needed: int | None = None
    collected: int | None = None
    price: Decimal | None = None
    donate: str = ""  # the product's own donate URL; "" means the campaign's
    priority: int = 100
    lang: str = ""  # language of the description, where it differs from the page's
    # the makers kind (empty elsewhere)
    made_in: str = ""  # where it is made, as shown
    region: str = ""
    labels: tuple[str, ...] = ()  # shown as badges
    buy: tuple[tuple[str, str], ...] = ()  # (label, https URL): where to buy it

    @property
    def url(self) -> str:
        return f"products/{self.slug}/"

    @property
    def remaining(self) -> int | None:
        if self.needed is None:
            return None
        return max(self.needed - (self.collected or 0), 0)

    @property
    def fulfilled(self) -> bool:
        return self.needed is not None and (self.collected or 0) >= self.needed

    @property
    def progress(self) -> float | None:
        """Share collected, from 0 to 1, where a need is given."""
        if not self.needed:
            return None
        return min((self.collected or 0) / self.needed, 1.0)

    @property
    def cost_to_fulfil(self) -> Decimal | None:
        if self.price is None or self.remaining is None:
            return None
        return self.price * self.remaining


@dataclass(frozen=True, kw_only=True)
class Testimony:
    person: str  # author's slug: the folder
    product: str  # product's slug: the file name
    rating: int | None  # None: a maker's account (the makers kind), never rated
    path: str
    html: str
    title: str = ""
    date: date | None = None
    featured: bool = False
    lang: str = ""

    def sort_key(self) -> tuple:
        """Featured first, then newest, undated last, ties by author."""
        return (
            not self.featured,
            self.date is None,
            -(self.date.toordinal() if self.date else 0),
            self.person,
        )


@dataclass(frozen=True, kw_only=True)
class Event:
    """``stories/events/<event>.md``: ``start`` and ``end`` are days, or naive local times of the place."""

    slug: str
    title: str
    start: date | datetime
    place: str
    path: str
    html: str  # description, rendered and sanitised
    end: date | datetime | None = None
    address: str = ""  # several lines
    url: str = ""  # the event's own https:// page
    people: tuple[str, ...] = ()  # slugs of the published people taking part
    lang: str = ""

    @staticmethod
    def day(when: date | datetime) -> date:
        return when.date() if isinstance(when, datetime) else when

    @property
    def all_day(self) -> bool:
        """A day (or days) without a time: an all-day event in a calendar."""
        return not isinstance(self.start, datetime)

    @property
    def first_day(self) -> date:
        return self.day(self.start)

    @property
    def last_day(self) -> date:
        return self.day(self.end) if self.end is not None else self.first_day

    @property
    def over_on(self) -> date:
        """The day after its last: an all-day event's exclusive end in a calendar, the day it moves to the past
        ones. Its years are bounded (``events.FIRST_YEAR`` to ``LAST_YEAR``), so that day always exists."""
        return self.last_day + timedelta(days=1)

    def is_upcoming(self, today: date) -> bool:
        """Upcoming until its end, or its start day when it has no end."""
        return self.last_day >= today

    @property
    def anchor(self) -> str:
        """Its place on the events page: ``events/#<slug>``."""
        return f"events/#{self.slug}"

    @property
    def ics(self) -> str:
        """Its iCalendar file, from the site's root (``vitrine.plan.calendar.event_ics`` writes it)."""
        return f"events/{self.slug}.ics"

    def sort_key(self) -> tuple:
        start = self.start if isinstance(self.start, datetime) else datetime(*self.first_day.timetuple()[:3])
        return (start, self.slug)


ALL_EVENTS_ICS = "events.ics"  # every event in one calendar (vitrine.plan.calendar.calendar_ics), at the site's root


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Campaign:
    """Everything published, with consent gating already applied."""

    people: Mapping[str, Person]
    products: Mapping[str, Product]
    testimonies: tuple[Testimony, ...]
    events: tuple[Event, ...] = ()  # by start, soonest first
    kind: str = "charity"  # or "makers"
    by_product: Mapping[str, tuple[Testimony, ...]] = field(init=False)
    by_person: Mapping[str, tuple[Testimony, ...]] = field(init=False)

    def __post_init__(self) -> None:
        ordered = sorted(self.testimonies, key=Testimony.sort_key)

        def group(attr: str, keys: Mapping[str, object]) -> Mapping[str, tuple[Testimony, ...]]:
            groups: dict[str, list[Testimony]] = {k: [] for k in keys}
            for testimony in ordered:  # one pass: the build stays linear in the content
                groups.setdefault(getattr(testimony, attr), []).append(testimony)
            return _frozen({k: tuple(v) for k, v in groups.items()})

        object.__setattr__(self, "people", _frozen(self.people))
        object.__setattr__(self, "products", _frozen(self.products))
        object.__setattr__(self, "testimonies", tuple(ordered))
        object.__setattr__(self, "events", tuple(sorted(self.events, key=Event.sort_key)))
        object.__setattr__(self, "by_product", group("product", self.products))
        object.__setattr__(self, "by_person", group("person", self.people))

    def rating_of(self, product: str) -> float | None:
        ratings = [t.rating for t in self.by_product.get(product, ()) if t.rating is not None]
        return sum(ratings) / len(ratings) if ratings else None

    def upcoming(self, today: date) -> tuple[Event, ...]:
        """Events not over yet, soonest first (the events page's first part)."""
        return tuple(e for e in self.events if e.is_upcoming(today))

    def past(self, today: date) -> tuple[Event, ...]:
        """Events over, newest first (the events page's second part)."""
        return tuple(reversed([e for e in self.events if not e.is_upcoming(today)]))

    def events_of(self, person: str, today: date) -> tuple[Event, ...]:
        """The upcoming events ``person`` takes part in, soonest first (their page lists them)."""
        return tuple(e for e in self.upcoming(today) if person in e.people)

    @property
    def wishlist(self) -> tuple[tuple[str, tuple[Product, ...]], ...]:
        """Products grouped by category, in wish-list order.

        Groups follow their best priority, then name; products without a
        category form the last group, keyed by "".
        """
        ordered = sorted(self.products.values(), key=lambda p: (p.priority, p.title.casefold(), p.slug))
        groups: dict[str, list[Product]] = {}
        for product in ordered:
            groups.setdefault(product.category, []).append(product)
        keys = sorted(groups, key=lambda c: (c == "", min(p.priority for p in groups[c]), c.casefold()))
        return tuple((k, tuple(groups[k])) for k in keys)

    @property
    def figures(self) -> Mapping[str, int | Decimal]:
        """Key figures, computed from the content (never typed twice)."""
        products = self.products.values()
        return _frozen(
            {
                "people": len(self.people),
                "testimonies": len(self.testimonies),
                "products": len(self.products),
                "needed": sum(p.needed or 0 for p in products),
                "collected": sum(min(p.collected or 0, p.needed) for p in products if p.needed is not None),
                "remaining": sum(p.remaining or 0 for p in products),
                "cost_to_fulfil": sum((p.cost_to_fulfil or Decimal(0) for p in products), Decimal(0)),
            }
        )

    @property
    def makers_figures(self) -> Mapping[str, int]:
        """The makers kind's key figures: makers, regions, products, accounts, events."""
        from vitrine.read.makers import figures  # schemas and all: only a makers campaign needs them

        return _frozen(figures(self))
