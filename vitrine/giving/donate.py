"""Giving logic: IBAN/BIC checks, EPC QR payload and SVG, links, French tax reduction, money.

Host-neutral (no MkDocs): pure functions over plain data. Validators return an
editor-facing message (``vitrine.core.errors.Msg``) or None; builders raise ``Invalid`` with such a message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
from babel import Locale
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum import iso11649, numdb
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from vitrine.core.errors import Invalid, Msg, msg
from vitrine.core.i18n import format_money, format_number  # the giving links' figures, as this module's users know them

__all__ = [
    "AID_CEILING",
    "DEFAULT_AMOUNTS",
    "IBAN_LENGTHS",
    "TAX_RATES",
    "check_link",
    "epc_payload",
    "epc_qr_svg",
    "format_iban",
    "format_money",
    "format_number",
    "normalize_iban",
    "tax_cost",
    "tax_table",
    "validate_bic",
    "validate_iban",
    "with_utm",
]

# The countries and territories in the SEPA schemes (EPC409-09 list of countries). Territories with their
# own ISO code but no IBAN code of their own (Åland, French overseas departments, Channel Islands...) use FI,
# FR or GB IBANs. Each country's IBAN format and length come from python-stdnum's copy of the SWIFT registry.
SEPA_COUNTRIES = frozenset(
    {
        "AD",
        "AL",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MD",
        "ME",
        "MK",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "RS",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
    }
)
_IBAN_REGISTRY = numdb.get("iban")


def _iban_length(country: str) -> int:
    """4 (country, check digits) plus the country's BBAN structure, e.g. ``5!n5!n11!c2!n`` for France."""
    bban = _IBAN_REGISTRY.info(country)[0][1].get("bban", "")
    return 4 + sum(int(n) for n in re.findall(r"(\d+)!", bban))


IBAN_LENGTHS: dict[str, int] = {country: _iban_length(country) for country in sorted(SEPA_COUNTRIES)}
_PURPOSE_RE = re.compile(r"[A-Z]{4}")
_REFERENCE_RE = re.compile(r"[A-Z0-9]{1,35}")
HOLDER, PURPOSE = msg("holder"), msg("purpose")  # donate.bank's keys, as the QR code's messages name them


def _country_name(code: str) -> str:
    return Locale("en").territories.get(code, code)


def normalize_iban(value: str) -> str:
    """Editors paste IBANs grouped and in any case: drop all whitespace, upper-case."""
    return "".join(value.split()).upper()


def format_iban(value: str) -> str:
    """Print form (EBS 204): groups of four, e.g. "FR76 3000 6000 0112 3456 7890 189"."""
    iban = normalize_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def validate_iban(value: str) -> Msg | None:
    """A short message for an editor if `value` is not a valid SEPA IBAN, else None."""
    iban = normalize_iban(value)
    if not iban:
        return msg("IBAN is empty")
    if not iban.isascii() or not iban.isalnum():
        return msg("IBAN {iban!r} may only contain letters, digits and spaces", iban=value.strip())
    if not iban[:2].isalpha():
        return msg("IBAN must start with a country code, e.g. FR")
    if not iban[2:4].isdigit():
        return msg("IBAN must have two check digits after the country code")
    country = iban[:2]
    if country not in IBAN_LENGTHS:
        return msg("IBAN country code {country} is not a SEPA country", country=country)
    expected = IBAN_LENGTHS[country]
    if len(iban) != expected:
        return msg(
            "an IBAN from {country} has {expected} characters, not {length}",
            country=_country_name(country),
            expected=expected,
            length=len(iban),
        )
    try:  # ISO 13616: the mod-97 checksum and the country's BBAN structure
        stdnum_iban.validate(iban, check_country=False)
    except InvalidChecksum:
        return msg("IBAN {iban} has a wrong checksum", iban=format_iban(iban))
    except ValidationError:
        return msg("IBAN {iban} is malformed for {country}", iban=format_iban(iban), country=_country_name(country))
    try:  # national check digits where python-stdnum knows them
        stdnum_iban.validate(iban)
    except InvalidChecksum:
        return msg("IBAN {iban} has a wrong national check digit", iban=format_iban(iban))
    except ValidationError:  # a bank missing from python-stdnum's list of banks is not the editor's mistake
        pass
    return None


def validate_bic(value: str) -> Msg | None:
    """BIC (ISO 9362): 4 letters bank, 2 letters country, 2 location, optional 3 branch."""
    bic = "".join(value.split()).upper()
    try:
        stdnum_bic.validate(bic)
    except InvalidLength:
        return msg("BIC {bic} must have 8 or 11 characters, not {length}", bic=bic or "()", length=len(bic))
    except InvalidComponent:
        return msg("BIC {bic}: {country} is not a country code", bic=bic, country=bic[4:6])
    except ValidationError:
        return msg("BIC {bic} is malformed: 6 letters, then 2 or 5 letters or digits", bic=bic)
    return None


def _single_line(field: Msg, value: str, limit: int) -> str:
    value = value.strip()
    # A line break would shift every following EPC element; other control characters have no place either.
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise Invalid(msg("the bank transfer's {field} must be one line without control characters", field=field))
    if len(value) > limit:
        raise Invalid(
            msg(
                "the bank transfer's {field} has {length} characters, at most {limit} allowed",
                field=field,
                length=len(value),
                limit=limit,
            )
        )
    return value


def _epc_amount(amount: Decimal | int) -> str:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"EPC QR amount {amount!r} is not a number") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError(f"EPC QR amount {amount} must have at most two decimals")
    if not Decimal("0.01") <= value <= Decimal("999999999.99"):
        raise ValueError(f"EPC QR amount {amount} must be between 0.01 and 999999999.99 euros")
    return f"EUR{value:.2f}"


def _epc_reference(reference: str) -> str:
    """The structured creditor reference, spaces out: at most 35 letters or digits, an ISO 11649 "RF.." checked."""
    reference = "".join(reference.split()).upper()
    if reference and not _REFERENCE_RE.fullmatch(reference):
        raise ValueError(f"EPC QR reference {reference!r} must be at most 35 letters or digits")
    if re.fullmatch(r"RF\d\d[A-Z0-9]{1,21}", reference) and not iso11649.is_valid(reference):
        raise ValueError(f"EPC QR reference {reference} has a wrong ISO 11649 checksum")
    return reference


def epc_payload(
    *,
    name: str,
    iban: str,
    bic: str = "",
    amount: Decimal | int | None = None,
    purpose: str = "",
    reference: str = "",
    text: str = "",
) -> str:
    """EPC069-12 v2 "SEPA Credit Transfer" QR payload (version 002, UTF-8).

    `amount` None leaves the amount to the giver. `reference` is the structured creditor
    reference (ISO 11649 "RF.."), `text` the unstructured remittance; at most one of them.
    """
    name = _single_line(HOLDER, name, 70)
    if not name:
        raise Invalid(msg("the bank transfer's {field} is empty", field=HOLDER))
    error = validate_iban(iban)
    if error:
        raise Invalid(error)
    bic = "".join(bic.split()).upper()
    if bic and (error := validate_bic(bic)):
        raise Invalid(error)
    purpose = purpose.strip().upper()
    if purpose and not _PURPOSE_RE.fullmatch(purpose):
        raise ValueError(f"EPC QR purpose {purpose!r} must be a 4-letter ISO 20022 code, e.g. CHAR")
    reference = _epc_reference(reference)
    text = _single_line(PURPOSE, text, 140)
    if reference and text:
        raise ValueError("EPC QR takes a structured reference or a remittance text, not both")
    elements = [
        "BCD",  # service tag
        "002",  # version: BIC optional within the EEA
        "1",  # character set: UTF-8
        "SCT",  # SEPA Credit Transfer
        bic,
        name,
        normalize_iban(iban),
        "" if amount is None else _epc_amount(amount),
        purpose,
        reference,
        text,
    ]
    # The spec ends the payload at the last populated element: no trailing separators.
    while not elements[-1]:
        elements.pop()
    payload = "\n".join(elements)
    size = len(payload.encode("utf-8"))
    if size > 331:
        raise Invalid(
            msg(
                "the bank transfer's QR code would hold {size} bytes, at most 331: shorten the holder or the purpose",
                size=size,
            )
        )
    return payload


def epc_qr_svg(payload: str, *, title: str = "") -> str:
    """Inline SVG (no XML declaration, viewBox only so CSS sizes it) of an EPC QR for `payload`.

    EPC069-12 requires error level M exactly (so no boost) and version 13 at most; the payload
    is encoded as UTF-8 bytes because it declares character set 1.
    """
    qr = segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False)
    if int(qr.version) > 13:  # pragma: no cover - 331 bytes fit version 13-M exactly
        raise ValueError(f"EPC QR needs version {qr.version}, at most 13 allowed")
    svg = qr.svg_inline(border=4, dark="#000", light="#fff", omitsize=True, title=title or None, svgclass="epc-qr")
    # Screen readers announce an image with a title; without one the QR stays decorative.
    return svg.replace("<svg ", '<svg role="img" ' if title else '<svg aria-hidden="true" ', 1)


def url_qr_svg(url: str, *, title: str = "") -> str:
    """Inline SVG of a plain QR code for ``url`` (the printed wish list's way back to the donate page): level M, as
    small as that allows, black on white so any phone reads it from paper."""
    qr = segno.make_qr(url, error="m")
    svg = qr.svg_inline(border=4, dark="#000", light="#fff", omitsize=True, title=title or None, svgclass="vt-url-qr")
    return svg.replace("<svg ", '<svg role="img" ' if title else '<svg aria-hidden="true" ', 1)


def with_utm(url: str, utm: Mapping[Any, str]) -> str:
    """Append utm_<key>=<value> for each key (given as "source", or "utm_source"), keeping the query and fragment.

    Parameters already in the URL win: an editor who tagged a link by hand meant it.
    """
    parts = urlsplit(url)
    present = {pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}
    extra = []
    for key, value in utm.items():
        name = key if key.startswith("utm_") else f"utm_{key}"
        if value and name not in present:
            extra.append((name, value))
            present.add(name)
    if not extra:
        return url
    # Append to the raw query rather than re-encode it, so existing parameters stay byte-identical.
    query = "&".join(q for q in (parts.query, urlencode(extra)) if q)
    return urlunsplit(parts._replace(query=query))


def check_link(url: str) -> Msg | None:
    """Return a message unless `url` is an absolute https:// URL with a host."""
    if not url or not url.strip():
        return msg("link is empty")
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in url):
        return msg("link {url!r} contains spaces or control characters", url=url)
    if bad := re.search(r'[<>"`]', url):  # never valid in a URL as written (RFC 3986): markup, not a link
        return msg("link {url!r} contains {char}: write it %{code:02X}", url=url, char=bad[0], code=ord(bad[0]))
    if "\\" in url:  # browsers read a backslash as a slash: "https://a.org\@b.org" would go to a.org
        return msg("link {url!r} contains a backslash", url=url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return msg("link {url!r} is not a valid URL", url=url)
    if parts.scheme != "https":
        return msg("link {url!r} must start with https://", url=url)
    if not url.lower().startswith("https://") or not parts.hostname:
        return msg("link {url!r} must be an absolute https:// URL with a host", url=url)
    if parts.username is not None or parts.password is not None:
        return msg("link {url!r} must not contain a user name or password", url=url)
    return None


# French income-tax reduction on gifts (CGI art. 200). "aid": organisations giving free meals,
# housing or care to people in difficulty, or helping victims of domestic violence (1 ter, "loi Coluche").
TAX_RATES: dict[str, Decimal] = {"none": Decimal(0), "general": Decimal("0.66"), "aid": Decimal("0.75")}
# 2 000 € for gifts made since 14 October 2025 (loi de finances pour 2026, art. 9; was 1 000 € from 2020).
AID_CEILING = Decimal(2000)
DEFAULT_AMOUNTS: tuple[Decimal, ...] = (Decimal(20), Decimal(50), Decimal(100), Decimal(200))
_CENT = Decimal("0.01")


def tax_cost(amount: Decimal | int, scheme: str, *, aid_ceiling: Decimal = AID_CEILING) -> Decimal:
    """What a gift of `amount` euros costs after the income-tax reduction, to the cent (ROUND_HALF_UP)."""
    if scheme not in TAX_RATES:
        raise ValueError(f"tax scheme {scheme!r} is not one of {', '.join(TAX_RATES)}")
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"gift amount {amount} must be a positive number")
    if scheme == "aid":
        favoured = min(amount, aid_ceiling)
        reduction = favoured * TAX_RATES["aid"] + (amount - favoured) * TAX_RATES["general"]
    else:
        reduction = amount * TAX_RATES[scheme]
    return (amount - reduction).quantize(_CENT, rounding=ROUND_HALF_UP)


def tax_table(
    amounts: Sequence[Decimal | int] = DEFAULT_AMOUNTS,
    scheme: str = "general",
    aid_ceiling: Decimal = AID_CEILING,
) -> list[tuple[Decimal, Decimal]]:
    """(gift, cost after reduction) rows for the no-JavaScript calculator."""
    return [(Decimal(a), tax_cost(a, scheme, aid_ceiling=aid_ceiling)) for a in amounts]
