"""The campaign model: plain, immutable data that every stage reads.

Built once by ``vitrine.load``; cross-links (who reviewed what) are resolved
here so templates and the press kit never search for them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True)
class Image:
    """An image an editor named in front matter."""

    source: Path  # absolute path of the original, inside stories/
    label: str  # path shown in messages, relative to the project root
    name: str  # output stem, e.g. "products/savon/savon" (no extension)
    alt: str


@dataclass(frozen=True)
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

    @property
    def url(self) -> str:
        return f"people/{self.slug}/"


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Testimony:
    person: str  # author's slug: the folder
    product: str  # product's slug: the file name
    rating: int
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


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Campaign:
    """Everything published, with consent gating already applied."""

    people: Mapping[str, Person]
    products: Mapping[str, Product]
    testimonies: tuple[Testimony, ...]
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
        object.__setattr__(self, "by_product", group("product", self.products))
        object.__setattr__(self, "by_person", group("person", self.people))

    def rating_of(self, product: str) -> float | None:
        reviews = self.by_product.get(product, ())
        return sum(t.rating for t in reviews) / len(reviews) if reviews else None

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
