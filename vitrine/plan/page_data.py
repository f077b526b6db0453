"""What each kind of page's template reads as ``vitrine``: one frozen dataclass per page kind.

Jinja and MiniJinja read these fields with the same dotted syntax as they read a mapping's keys
(``vitrine.read.settings.name``), so the templates need no Python calls. ``PageData`` holds what every generated
page reads; each kind adds its own fields. ``vitrine.plan.pages`` makes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from vitrine.plan.views import EventView, Gift, PersonView, ProductView, Review

Groups = list[tuple[str, list[ProductView]]]  # the wish list's groups: (category, its products)


# --- what every page may show -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Contact:
    name: str
    role: str
    email: str
    phone: str
    tel: str  # the phone number for a tel: link, without spaces


@dataclass(frozen=True, kw_only=True)
class SettingsView:
    """The settings every page may show, as plain values."""

    name: str
    organisation: str
    tagline: str
    badge: str
    about: str
    donate_url: str
    credits: str
    contacts: list[Contact]


@dataclass(frozen=True, kw_only=True)
class Bank:
    holder: str
    iban: str  # grouped by four, as it is read
    iban_raw: str  # as it is copied
    bic: str
    purpose: str
    payload: str  # the EPC QR code's text
    qr: Markup  # the EPC QR code as SVG


@dataclass(frozen=True, kw_only=True)
class Parcel:
    address: str
    note: str


@dataclass(frozen=True, kw_only=True)
class Tax:
    scheme: str
    ceiling: Decimal
    table: list[tuple[Decimal, Decimal]]  # (gift, cost after reduction)
    default: Decimal | int  # the calculator's first amount


@dataclass(frozen=True, kw_only=True)
class Giving:
    """Every donation channel the settings name, checked and ready to show (donate page, press page, PDF)."""

    url: str  # the campaign's donate link, with its UTM tags; "" for none
    links: list[tuple[str, str]]  # (label, URL)
    bank: Bank | None = None
    wishlist: tuple[str, str] | None = None  # (label, URL) of an online wish list
    parcel: Parcel | None = None
    tax: Tax | None = None


@dataclass(frozen=True, kw_only=True)
class PageInfo:
    """The page itself, for its share tags (``main.html``)."""

    kind: str
    key: str
    card: str  # share card URL, site-relative; "" for none


@dataclass(frozen=True, kw_only=True)
class PageData:
    """What every generated page reads; the donate page reads nothing more."""

    settings: SettingsView
    problems: Mapping[str, Any]  # in a preview, the banner of problems (``engine.banner``); else empty
    giving: Giving
    give: str  # the campaign's donate link, "" for our donate/ page
    gives: bool  # whether the campaign asks for gifts (a makers campaign only with donation channels)
    kind: str  # the campaign's kind: charity, makers
    figures: Mapping[str, Any]  # the campaign's key figures (a makers campaign's own, but on the wish list)
    events_page: bool
    sections: list[str]  # the section pages this campaign has, by kind
    page: PageInfo


# --- one class per kind of page ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Home(PageData):
    quotes: list[Review]
    people: list[PersonView]
    events: list[EventView]  # the next three
    gifts: list[Gift]  # what a few typical gifts buy (a charity's home)


@dataclass(frozen=True, kw_only=True)
class RegionView:
    name: str
    id: str  # the list entry's anchor
    on_map: bool
    makers: list[PersonView]
    products: list[ProductView]
    number: int = 0  # its number on the map and in the legend; 0: not on the map
    colour: str = ""  # its colour on the map ("#rrggbb"), for the legend's swatch
    counts: str = ""  # "2 artisans, 3 produits"


@dataclass(frozen=True, kw_only=True)
class Where(PageData):
    """Where things are made (a makers campaign whose makers or products name regions): the map, whose regions
    link to their entries, its legend, and the makers and products of each region."""

    regions: list[RegionView]
    map: Markup | str  # the map's SVG, "" when no region is on it
    credit: str
    credit_url: str


@dataclass(frozen=True, kw_only=True)
class MakersHome(Home):
    """A makers campaign's home also shows where things are made: the list by region and the map."""

    regions: list[RegionView]
    map: Markup | str  # the map's SVG, "" when no region is on it
    credit: str
    credit_url: str


@dataclass(frozen=True, kw_only=True)
class People(PageData):
    people: list[PersonView]
    intro: str


@dataclass(frozen=True, kw_only=True)
class Products(PageData):
    groups: Groups
    intro: str


@dataclass(frozen=True, kw_only=True)
class Wishlist(PageData):
    groups: Groups
    # printed only: the donate page's absolute address, and its QR code when the site's address is known
    donate_address: str = ""
    donate_qr: Markup | str = ""


@dataclass(frozen=True, kw_only=True)
class Donate(PageData):
    """The donate page: its channels are ``giving``, which every page has."""


@dataclass(frozen=True, kw_only=True)
class Events(PageData):
    upcoming: list[EventView]
    past: list[EventView]
    all_ics: str  # the file holding every event
    webcal: str = ""  # the subscription to that file (webcal://); "" when the site's address is unknown


@dataclass(frozen=True, kw_only=True)
class PdfLink:
    lang: str
    name: str  # site-relative
    language: str  # the language's name, in itself


@dataclass(frozen=True, kw_only=True)
class CoverageView:
    outlet: str
    date: date
    iso: str
    title: str
    url: str
    quote: str
    lang: str


@dataclass(frozen=True, kw_only=True)
class ReleaseView:
    title: str
    html: Markup
    date: date  # its own (front matter), else the embargo's or today's: the kit's date (``Kit.dated``)
    iso: str  # the same date for <time datetime> (templates call no methods)
    not_before: str  # the embargo in force, in the reader's words and the campaign's time zone; "" without one
    page: str  # site-relative: its own page, its plain text and its PDF
    text: str
    pdf: str


@dataclass(frozen=True, kw_only=True)
class VideoView:
    url: str
    poster: str
    external: bool
    host: str


@dataclass(frozen=True, kw_only=True)
class KitView:
    """The press kit read at config time: its downloads, release, coverage and video."""

    published: bool
    embargoed: bool
    embargo: date | None
    pdfs: list[PdfLink]
    zip: str
    web_zip: str  # the light one: the photos at their published sizes
    sizes: Mapping[str, str] = field(default_factory=dict)  # "pdf-fr", "zip", "zip-web": made before the pages
    coverage: list[CoverageView]
    release: ReleaseView | None
    video: VideoView | None


@dataclass(frozen=True, kw_only=True)
class Voice:
    """A person on the press page: their first words and what they speak of."""

    person: PersonView
    quote: str
    lang: str
    products: list[ProductView]


@dataclass(frozen=True, kw_only=True)
class Press(PageData):
    people: list[Voice]
    captions: list[tuple[str, str, str]]  # (alt text, whose page it illustrates, its own credit: "" for the campaign's)
    kit: KitView | None


@dataclass(frozen=True, kw_only=True)
class ReleasePage(PageData):
    """The release on a page of its own (``press/release/``), with its plain text beside it."""

    release: ReleaseView


@dataclass(frozen=True, kw_only=True)
class ProductPage(PageData):
    product: ProductView
    reviews: list[Review]


@dataclass(frozen=True, kw_only=True)
class PersonPage(PageData):
    person: PersonView
    events: list[EventView]
    reviews: list[Review]
