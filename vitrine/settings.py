"""Campaign-wide settings: ``extra.campaign`` in ``mkdocs.yml``.

Validated with the same schema machinery as the stories, so every mistake is
reported at once as ``mkdocs.yml:line: key ...`` and the schema moves with the
engine if the site is one day rendered by another host.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from .document import Document, YamlProblem, compose, index_lines
from .donate import (
    AID_CEILING,
    DEFAULT_AMOUNTS,
    TAX_RATES,
    check_link,
    epc_payload,
    normalize_iban,
    validate_bic,
    validate_iban,
)
from .errors import Problem, error
from .schema import HttpsUrl, IsoDate, Schema, Text, validate


def _iban(value: str) -> str:
    if message := validate_iban(value):
        raise ValueError(message)
    return normalize_iban(value)


def _bic(value: str) -> str:
    if value and (message := validate_bic(value)):
        raise ValueError(message)
    return value.replace(" ", "").upper()


class Link(Schema):
    label: Text
    url: HttpsUrl


class Bank(Schema):
    holder: Text  # account holder, as the bank knows it
    iban: Annotated[str, AfterValidator(_iban)]
    bic: Annotated[str, AfterValidator(_bic)] = ""
    purpose: Annotated[str, Field(max_length=140)] = ""  # remittance text put in the QR code

    @model_validator(mode="after")
    def _fits_the_qr_code(self) -> Bank:
        """The EPC QR code's own limits (name 70 characters, one line each, 331 bytes), checked here so the
        page that draws it cannot fail."""
        epc_payload(name=self.holder, iban=self.iban, bic=self.bic, purpose="CHAR", text=self.purpose)
        return self


class Parcel(Schema):
    address: Text  # several lines
    note: str = ""  # what to write on the parcel


class Tax(Schema):
    scheme: Literal[tuple(TAX_RATES)] = "none"  # type: ignore[valid-type]
    ceiling: Annotated[Decimal, Field(ge=0)] = AID_CEILING  # the 75 % band's ceiling, in euros
    amounts: list[Annotated[int, Field(gt=0)]] = [int(a) for a in DEFAULT_AMOUNTS]


class Donate(Schema):
    url: HttpsUrl = ""  # the main donation link: every donate button falls back to it
    links: list[Link] = []
    bank: Bank | None = None
    wishlist: Link | None = None  # a shop's list of essentials
    parcel: Parcel | None = None
    tax: Tax = Tax()
    utm: dict[Literal["source", "medium", "campaign", "term", "content"], str] = {}


class Contact(Schema):
    name: Text
    role: str = ""
    email: Annotated[str, Field(pattern=r"^$|^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[A-Za-z]{2,}$")] = ""
    phone: Annotated[str, Field(pattern=r"^[0-9 +().\-]*$")] = ""


def _video(value: str) -> str:
    """A file in docs/ (no scheme) or an https:// player: never http:, data: or javascript:."""
    if ":" in value.split("/", 1)[0] and (message := check_link(value)):
        raise ValueError(message)
    return value


class Press(Schema):
    release: str = "press/release.md"  # in docs/; release.<lang>.md beside it adds that language's PDF
    coverage: str = "press/coverage.yml"  # in docs/: the media coverage ("ils en parlent")
    embargo: IsoDate | None = None  # the release's embargo date: the build warns before it
    publish_before_embargo: Annotated[bool, Field(strict=True)] = True  # false: no PDF, ZIP, release until then
    contacts: list[Contact] = []
    video: Annotated[str, AfterValidator(_video)] = ""  # a file in docs/, or an https:// player loaded on click
    video_poster: str = ""  # image file in docs/, shown before the video plays
    credits: str = ""  # image rights, shown on the press page, in the PDF and in the ZIP


class Settings(Schema):
    name: Text  # the campaign's name
    organisation: Text
    tagline: str = ""
    badge: str = ""  # shown on every testimony, where a shop says "verified purchase"
    stories: str = "stories"
    language: str = ""  # the stories' language, where it differs from the site's (theme.language)
    translations: dict[str, str] = {}  # language -> its MkDocs config, built into site/<language>/
    about: str = ""  # the organisation's boilerplate, one paragraph
    donate: Donate = Donate()
    press: Press = Press()


def read_settings(config_file: Path, raw: Any) -> tuple[Settings | None, list[Problem]]:
    """Validate ``raw`` (the ``extra.campaign`` mapping of ``config_file``)."""
    label = config_file.name
    lines: dict[tuple, int] = {}
    with contextlib.suppress(OSError, UnicodeDecodeError, YamlProblem):  # compose only, tags allowed: MkDocs
        index_lines(compose(config_file.read_text(encoding="utf-8"), strict=False), (), lines, label)  # !!python
    doc = Document(label, {}, "", 0, lines)
    if not isinstance(raw, dict):
        return None, [error(label, doc.line("extra", "campaign"), "extra.campaign must hold the campaign's settings")]
    settings, problems = validate(Settings, doc, data=raw, at=("extra", "campaign"))
    for lang, file in (settings.translations if settings else {}).items():
        if not (config_file.parent / file).is_file():
            line = doc.line("extra", "campaign", "translations", lang)
            problems.append(error(label, line, f"extra.campaign.translations.{lang}: {file} not found"))
    return (None if any(p.is_error for p in problems) else settings), problems
