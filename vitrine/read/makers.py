"""The makers kind (``extra.campaign.kind: makers``): its front-matter schemas and key figures.

People are makers, a person's ``<product>.md`` is the maker's own account of making it (no rating), and
products say where they are made, their labels and where to buy them. The charity keys of a product
(``needed``, ``collected``, ``donate``, ``priority``) are unknown keys here: ignored, with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StrictBool

from vitrine.core.errors import Problem, warning
from vitrine.read.document import Document

if TYPE_CHECKING:  # the model imports this module for its figures: the type only
    from vitrine.read.model import Campaign

from vitrine.read.schema import HttpsUrl, IsoDate, Lang, PersonMeta, ProductMeta, Schema, Short, Text, TranslationMeta

KINDS = ("charity", "makers")
CHARITY_ONLY = ("needed", "collected", "donate", "priority")  # product keys of the charity kind
Year = Annotated[int, Field(ge=1000, le=9999, strict=True)]


class BuyLink(Schema):
    label: Text
    url: HttpsUrl


class MakerMeta(PersonMeta):
    """``people/<maker>/index.md``: the person keys, and what and where they make."""

    craft: Short = ""  # what they make or do, e.g. coutelière
    workshop: Short = ""  # the workshop or company
    place: Short = ""  # town
    region: Short = ""
    since: Year | None = None  # year the workshop began
    website: HttpsUrl = ""


class MakerProductMeta(ProductMeta):
    """``products/<product>/index.md`` of a makers campaign (read without the charity keys)."""

    made_in: Short = ""  # as shown, e.g. Thiers, Puy-de-Dôme
    region: Short = ""
    labels: list[Text] = []  # badges, e.g. Origine France Garantie
    buy: list[BuyLink] = []  # where to buy it


class AccountMeta(Schema):
    """``people/<maker>/<product>.md``: the maker's own account of making the product; no rating."""

    title: Short = ""
    date: IsoDate | None = None
    featured: StrictBool = False
    lang: Lang = ""


class MakerTranslationMeta(TranslationMeta):
    """``index.<lang>.md`` of a maker: the craft is translated too."""

    craft: Short = ""


def rating_key(doc: Document) -> list[Problem]:
    """A warning for a ``rating`` in a maker's account: ignored, there are no stars in a makers campaign."""
    if "rating" not in doc.meta:
        return []
    return [warning(doc.path, doc.line("rating"), "unknown key rating (a maker's account has no rating: ignored)")]


def charity_keys(doc: Document) -> list[Problem]:
    """Warnings for the charity kind's product keys in a makers campaign: they are ignored."""
    return [
        warning(
            doc.path,
            doc.line(key),
            "unknown key {key} (a key of charity campaigns: this one's kind is makers)",
            key=key,
        )
        for key in CHARITY_ONLY
        if key in doc.meta
    ]


def fold(text: str) -> str:
    """A region's name for comparing: case, accents, apostrophes and hyphens do not count."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[^\W_]+", plain))


def figures(campaign: Campaign) -> Mapping[str, int]:
    """The makers kind's key figures (the press kit counts these instead of needs): makers, regions
    (told apart as ``fold`` does, from makers and products alike), products, accounts, events."""
    people = campaign.people.values()
    products = campaign.products.values()
    regions = {fold(region) for region in (*(p.region for p in people), *(p.region for p in products)) if fold(region)}
    return {
        "makers": len(people),
        "regions": len(regions),
        "products": len(products),
        "accounts": len(campaign.testimonies),
        "events": len(campaign.events),
    }
