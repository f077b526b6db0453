"""Front-matter schemas (pydantic) and editor-friendly messages.

Pydantic's own messages speak to programmers; an editor is told instead what
to write: any validation error on a key becomes ``<key> must be <MUST[key]>``.
"""

from __future__ import annotations

import copy
import difflib
import functools
import math
import re
from datetime import date as Day
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from vitrine.core.errors import Invalid, Msg, Problem, error, msg, warning
from vitrine.giving.donate import check_link
from vitrine.read.document import Document, dotted

LANG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

# Limits an editor would expect: a name or a title fits on a line or two, a quantity or a price is a
# believable figure. They also bound the work of everything downstream (share cards, Babel, PDF).
MAX_NAME = 200  # characters: names, titles, origins, categories
MAX_ALT = 1000  # characters: alt texts
MAX_COUNT = 1_000_000_000  # units needed or collected, priority
MAX_PRICE = Decimal(1_000_000)  # euros, a unit price
MAX_IMAGES = 100  # pictures of one product
MAX_ADDRESS = 500  # characters of a postal address: a few lines (France's standard is 6 of 38 characters)
MAX_ADDRESS_LINES = 10


class NoSuchDay(Invalid):
    """A well-written date that is not in the calendar (2026-02-30)."""


class Limit(Invalid):
    """A value of the right kind but beyond what the site takes: said as it is, not as "must be"."""


def _at_most(limit: int) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) > limit:
            raise Limit(msg("is {length:,} characters long: keep it to {limit:,}", length=len(value), limit=limit))
        return value

    return AfterValidator(check)


def _bounded(value: int) -> int:
    if abs(value) > MAX_COUNT:
        raise Limit(msg("is {value}, beyond {limit:,}: write a real quantity", value=value, limit=MAX_COUNT))
    return value


def _few_images(value: list) -> list:
    if len(value) > MAX_IMAGES:
        raise Limit(
            msg(
                "has {count} images: keep it to {limit}, the gallery of one product", count=len(value), limit=MAX_IMAGES
            )
        )
    return value


def _few_lines(value: str) -> str:
    if (count := len(value.splitlines())) > MAX_ADDRESS_LINES:
        raise Limit(msg("has {count} lines: keep it to {limit}, as on an envelope", count=count,
                        limit=MAX_ADDRESS_LINES))  # fmt: skip
    return value


Text = Annotated[str, Field(min_length=1), _at_most(MAX_NAME)]
Short = Annotated[str, _at_most(MAX_NAME)]
Address = Annotated[str, _at_most(MAX_ADDRESS), AfterValidator(_few_lines)]  # a postal address, several lines
Alt = Annotated[str, Field(min_length=1), _at_most(MAX_ALT)]
FileName = Annotated[str, Field(min_length=1)]
Lang = Annotated[str, Field(pattern=LANG)]
Count = Annotated[int, Field(ge=0, strict=True), AfterValidator(_bounded)]
Rating = Annotated[int, Field(ge=1, le=5, strict=True)]
# A focus point, "x% y%" from the top left as CSS's object-position writes it: each a number from 0 to 100.
_PERCENT = r"(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)%"
Focus = Annotated[str, Field(pattern=rf"^{_PERCENT}\s+{_PERCENT}$")]


def focus_point(text: str | None) -> tuple[float, float] | None:
    """A checked ``Focus`` as (x, y) percentages; None when none is written (the picture's centre)."""
    if not text:
        return None
    x, y = (float(part.rstrip("%")) for part in text.split())
    return x, y


def parse_date(value: Any) -> Day:
    """YYYY-MM-DD only, written with or without quotes: pydantic alone would take 2026 as a Unix timestamp.
    A day already read as one (MkDocs reads ``mkdocs.yml`` as YAML 1.1, which makes 2027-01-15 a date) is
    that day; a date and time is not a day."""
    if isinstance(value, Day) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return Day.fromisoformat(value.strip())
        except ValueError:
            raise NoSuchDay(msg("{day} is not a day of the calendar", day=value.strip())) from None
    raise ValueError("not a date")


IsoDate = Annotated[Day, BeforeValidator(parse_date)]


def _https(value: str) -> str:
    if message := check_link(value):
        raise Invalid(message)
    return value


HttpsUrl = Annotated[str, AfterValidator(_https)]

# What an editor must write for each key, whatever pydantic found wrong.
MUST: dict[str, Msg] = {
    "name": msg("a text"),
    "title": msg("a text"),
    "origin": msg("a text"),
    "occupation": msg("a text"),
    "category": msg("a text"),
    "photo": msg("a file name in this folder"),
    "src": msg("a file name in this folder"),
    "photo_alt": msg("a text describing the photo"),
    "alt": msg("a text describing the image"),
    "photo_focus": msg("a point written x% y%, each from 0 to 100, from the top left, e.g. 70% 25%"),
    "focus": msg("a point written x% y%, each from 0 to 100, from the top left, e.g. 70% 25%"),
    "images": msg("a list of images, each with src and alt"),
    "consent": msg("a date written YYYY-MM-DD, e.g. 2026-03-14"),
    "consent_until": msg("a date written YYYY-MM-DD, e.g. 2026-03-14"),
    "date": msg("a date written YYYY-MM-DD, e.g. 2026-03-14"),
    "lang": msg("a language tag such as fr or en-GB"),
    "needed": msg("a whole number, 0 or more"),
    "collected": msg("a whole number, 0 or more"),
    "price": msg("a price in euros, 0 or more, e.g. 12.50"),
    "donate": msg("an https:// link"),
    "url": msg("an https:// link"),
    "priority": msg("a whole number"),
    "urgent": msg("a whole number, 0 or more: a need of this priority or a lower one is urgent"),
    "rating": msg("a whole number from 1 to 5"),
    "featured": msg("true or false"),
    "full_name": msg("true or false"),
    "withhold": msg("a list of parts not to publish, among photo, origin, occupation, story"),
    "scheme": msg("one of none, general, aid"),
    "amounts": msg("a list of whole numbers of euros"),
    "ceiling": msg("an amount in euros"),
    "embargo": msg("a date written YYYY-MM-DD, e.g. 2026-03-14"),
    "email": msg("an e-mail address, e.g. presse@example.org"),
    "phone": msg("a phone number: digits, spaces and + ( ) . -"),
    # the makers kind, events and their settings
    "craft": msg("a text"),
    "workshop": msg("a text"),
    "place": msg("a text"),
    "region": msg("a text"),
    "made_in": msg("a text"),
    "since": msg("a year, e.g. 1998"),
    "website": msg("an https:// link"),
    "labels": msg("a list of texts"),
    "buy": msg("a list of links, each with label and url"),
    "start": msg("a date written YYYY-MM-DD, or a date and time written YYYY-MM-DD HH:MM, e.g. 2027-03-14 10:00"),
    "end": msg("a date written YYYY-MM-DD, or a date and time written YYYY-MM-DD HH:MM, e.g. 2027-03-14 18:00"),
    "people": msg("a list of person slugs, e.g. [amina-k, yusuf-d]"),
    "kind": msg("one of charity, makers"),
    # the online editor's setting (admin)
    "backend": msg("one of github, gitlab"),
    "repo": msg("the repository's path on its host, e.g. my-association/campaign"),
    "branch": msg("a branch name, e.g. main"),
}


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        """``origin:`` with nothing after it means no origin, not a wrong type."""
        return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


# The parts of a person's story they may keep off the site (contract v1.2): ``vitrine.read.consent.withheld``.
Part = Literal["photo", "origin", "occupation", "story"]


class PersonMeta(Schema):
    name: Text
    consent: IsoDate | None = None  # checked before: without it the person is left out
    consent_until: IsoDate | None = None  # checked before too: from that day on, left out
    photo: FileName | None = None
    photo_alt: Alt | None = None
    photo_focus: Focus | None = None  # the point kept in frame wherever the photo is cropped
    photo_credit: Short = ""  # who took the photo (press kit); default: the campaign's credits
    origin: Short = ""
    occupation: Short = ""
    lang: Lang = ""
    withhold: list[Part] = []  # what they did not agree to publish: dropped when read, so nothing downstream has it
    full_name: StrictBool = False  # the name is a full name they chose to publish (no warning)


class ImageMeta(Schema):
    src: FileName
    alt: Alt
    focus: Focus | None = None
    credit: Short = ""  # who took it (press kit); default: the campaign's credits


class ProductMeta(Schema):
    title: Text
    images: Annotated[list[ImageMeta], Field(min_length=1), AfterValidator(_few_images)]
    category: Short = ""
    needed: Count | None = None
    collected: Count | None = None
    price: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None = None
    donate: HttpsUrl = ""
    priority: Annotated[int, Field(strict=True), AfterValidator(_bounded)] = 100

    @field_validator("price", mode="before")
    @classmethod
    def _no_text_price(cls, value: Any) -> Any:
        if isinstance(value, (bool, str)):  # "12 €" or yes: ask for a plain number
            raise ValueError("not a number")  # said as "price must be …"
        if isinstance(value, float) and math.isfinite(value):
            value = Decimal(repr(value))  # the shortest text of the float: 0.1 is 0.1, not 0.1000000000000000055
        if isinstance(value, int):
            value = Decimal(value)
        if isinstance(value, Decimal) and value.is_finite():
            if abs(value) > MAX_PRICE:
                raise Limit(msg("is {value} €, beyond {limit:,} €: write a unit price", value=value, limit=MAX_PRICE))
            exponent = value.as_tuple().exponent  # an int: the value is finite
            if isinstance(exponent, int) and exponent < -2:  # shown and added up in cents: say so, never round
                raise Limit(msg("has more than 2 decimals ({value}): write euros and cents, e.g. 12.50", value=value))
        return value


class TestimonyMeta(Schema):
    rating: Rating
    title: Short = ""
    date: IsoDate | None = None
    featured: StrictBool = False
    lang: Lang = ""


class TranslationMeta(Schema):
    """``index.<lang>.md`` / ``<product>.<lang>.md``: a translated body and titles."""

    name: Short = ""
    title: Short = ""
    photo_alt: Annotated[str, _at_most(MAX_ALT)] = ""
    origin: Short = ""
    occupation: Short = ""
    category: Short = ""
    rating: Rating | None = None


def validate(
    schema: type[Schema], doc: Document, exclude: tuple[str, ...] = (), data: Any = None, at: tuple = ()
) -> tuple[Any, list[Problem]]:
    """Validate ``doc.meta`` (or ``data`` found at key path ``at`` of ``doc``);
    every error becomes a Problem."""
    if data is None:
        data = {k: v for k, v in doc.meta.items() if k not in exclude}
    try:
        return schema.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
    problems = [_problem(schema, doc, err, at) for err in errors]
    if not all(_unknown(err) for err in errors):
        return None, problems
    # Only unknown keys: like unknown files, they are ignored with a warning (an error under --strict).
    cleaned = copy.deepcopy(data)
    for err in errors:
        loc = err["loc"][:-1] if err["type"] != "extra_forbidden" else err["loc"]  # utm.sourse.[key]: utm.sourse
        *path, last = loc
        parent = functools.reduce(lambda node, part: node[part], path, cleaned)
        parent.pop(last, None)
    try:
        return schema.model_validate(cleaned), problems
    except ValidationError:  # pragma: no cover - removing keys cannot make a valid rest invalid
        return None, problems


def _unknown(err: ErrorDetails) -> bool:
    loc = err["loc"]
    return err["type"] == "extra_forbidden" or (len(loc) > 1 and loc[-1] == "[key]")


def _problem(schema: type[Schema], doc: Document, err: ErrorDetails, at: tuple = ()) -> Problem:
    loc = tuple(err["loc"])
    if len(loc) > 1 and loc[-1] == "[key]" and err["type"] != "extra_forbidden":  # utm: source, medium...
        loc = loc[:-1]
        known = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        return warning(doc.path, doc.line(*at, *loc), "unknown key {key} ({hint})", key=dotted((*at, *loc)),
                       hint=key_hint(str(loc[-1]), known))  # fmt: skip
    key = dotted((*at, *loc))
    name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")  # amounts[2]: amounts
    line = doc.line(*at, *loc)
    if err["type"] == "extra_forbidden":
        shown = key if name.strip() else f'{key}"{name}"'  # an empty key, written "": show its quotes
        hint = key_hint(name, list(_fields_at(schema, loc[:-1])))
        return warning(doc.path, line, "unknown key {key} ({hint})", key=shown, hint=hint)
    if err["type"] == "missing":  # absent, or written with nothing after it: then its own line
        written = (*at, *loc) in doc.lines
        return error(doc.path, line if written else doc.line(*at, *loc[:-1]), "{key} is required", key=key)
    refused = err.get("ctx", {}).get("error") if err["type"] == "value_error" else None
    if isinstance(refused, Limit):
        return error(doc.path, line, "{key} {reason}", key=key, reason=refused.message)
    if isinstance(refused, NoSuchDay) or (isinstance(refused, Invalid) and name not in MUST):
        return error(doc.path, line, "{key}: {reason}", key=key, reason=refused.message)  # our validators' words
    return error(doc.path, line, "{key} must be {what}", key=key, what=MUST.get(name, msg("valid")))


def key_hint(name: str, known: list[str]) -> Msg:
    """What an unknown key may have meant: the closest known key, else the known keys."""
    close = difflib.get_close_matches(name, known, n=1)
    return msg("did you mean {key}?", key=close[0]) if close else msg("known keys: {keys}", keys=", ".join(known))


def _fields_at(schema: type[BaseModel], loc: tuple) -> dict[str, Any]:
    """The fields of the (nested) model that ``loc`` points into."""
    model = schema
    for part in loc:
        if isinstance(part, str) and part in model.model_fields:
            inner = model.model_fields[part].annotation
            candidates = [inner, *getattr(inner, "__args__", ())]
            candidates += [a for c in candidates for a in getattr(c, "__args__", ())]  # list[Link] | None
            model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), model)
    return model.model_fields
