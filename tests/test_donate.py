"""Tests for vitrine.giving.donate: IBAN/BIC, EPC QR (decoded with zbar), links, tax reduction, money."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ON_CI

from vitrine.core.i18n import Translator
from vitrine.giving.donate import (
    AID_CEILING,
    IBAN_LENGTHS,
    check_link,
    epc_payload,
    epc_qr_svg,
    format_iban,
    format_money,
    format_number,
    normalize_iban,
    tax_cost,
    tax_table,
    validate_bic,
    validate_iban,
    with_utm,
)

NNBSP = "\u202f"  # narrow no-break space: French group separator
NBSP = "\u00a0"  # no-break space: French space before the currency sign

# Check digits computed with ISO 7064 MOD 97-10 (98 - BBAN+country+"00" mod 97).
VALID_IBANS = [
    "FR7630006000011234567890189",
    "DE89370400440532013000",
    "BE68539007547034",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "NL91ABNA0417164300",
    "SM86U0322509800000000270100",
]
FR_IBAN = VALID_IBANS[0]


# --- IBAN / BIC --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_valid_ibans(iban: str) -> None:
    assert validate_iban(iban) is None
    assert len(iban) == IBAN_LENGTHS[iban[:2]]


def test_iban_lower_case_with_spaces_is_accepted_and_normalised() -> None:
    raw = " fr76 3000 6000 0112 3456 7890 189 "
    assert validate_iban(raw) is None
    assert normalize_iban(raw) == FR_IBAN
    assert format_iban(raw) == "FR76 3000 6000 0112 3456 7890 189"


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("FR7630006000011234567890188", "IBAN FR76 3000 6000 0112 3456 7890 188 has a wrong checksum"),
        ("FR76300060000112345678901", "an IBAN from France has 27 characters, not 25"),
        ("7630006000011234567890189", "IBAN must start with a country code, e.g. FR"),
        ("FRAB30006000011234567890189", "IBAN must have two check digits after the country code"),
        ("XX7630006000011234567890189", "IBAN country code XX is not a SEPA country"),
        ("TR330006100519786457841326", "IBAN country code TR is not a SEPA country"),  # valid IBAN, outside SEPA
        ("", "IBAN is empty"),
    ],
)
def test_invalid_ibans(iban: str, message: str) -> None:
    assert str(validate_iban(iban)) == message


def test_iban_with_punctuation_is_rejected() -> None:
    assert "only contain letters, digits and spaces" in str(validate_iban("FR76-3000-6000") or "")


@pytest.mark.parametrize("bic", ["BNPAFRPP", "BNPAFRPPXXX", "bnpa frpp", "DEUTDEFF500"])
def test_valid_bics(bic: str) -> None:
    assert validate_bic(bic) is None


@pytest.mark.parametrize(
    ("bic", "fragment"), [("BNPAFRP", "8 or 11"), ("BNPAFRPPXX", "8 or 11"), ("1NPAFRPP", "malformed")]
)
def test_invalid_bics(bic: str, fragment: str) -> None:
    assert fragment in str(validate_bic(bic) or "")


# --- EPC payload ---------------------------------------------------------------------------------------------------


def test_epc_payload_exact_text() -> None:
    payload = epc_payload(
        name="Refuge du Littoral",
        iban="fr76 3000 6000 0112 3456 7890 189",
        bic="BNPAFRPP",
        amount=Decimal("12.5"),
        purpose="CHAR",
        text="Don hiver 2026",
    )
    assert payload == (
        "BCD\n002\n1\nSCT\nBNPAFRPP\nRefuge du Littoral\nFR7630006000011234567890189\nEUR12.50\nCHAR\n\nDon hiver 2026"
    )


def test_epc_payload_open_amount_without_bic_ends_at_last_element() -> None:
    payload = epc_payload(name="Refuge du Littoral", iban=FR_IBAN)
    assert payload == "BCD\n002\n1\nSCT\n\nRefuge du Littoral\nFR7630006000011234567890189"


def test_epc_payload_structured_reference() -> None:
    payload = epc_payload(name="Refuge", iban=FR_IBAN, amount=50, reference="rf18 5390 0754 7034")
    assert payload == "BCD\n002\n1\nSCT\n\nRefuge\nFR7630006000011234567890189\nEUR50.00\n\nRF18539007547034"


def test_epc_payload_331_byte_limit() -> None:
    # 70-character name and 140-character text: the longest allowed fields in ASCII fit.
    ascii_max = epc_payload(
        name="N" * 70, iban=FR_IBAN, bic="BNPAFRPPXXX", amount=Decimal("999999999.99"), purpose="CHAR", text="T" * 140
    )
    assert len(ascii_max.encode()) <= 331
    # Multi-byte characters make the same character counts overflow 331 bytes.
    with pytest.raises(ValueError, match="would hold 467 bytes, at most 331"):
        epc_payload(name="é" * 70, iban=FR_IBAN, text="é" * 140)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "N" * 71}, "holder has 71 characters, at most 70"),
        ({"name": "  "}, "holder is empty"),
        ({"name": "Line\nbreak"}, "one line"),
        ({"iban": "FR7630006000011234567890188"}, "wrong checksum"),
        ({"bic": "BNPA"}, "8 or 11"),
        ({"amount": Decimal(0)}, "between 0.01"),
        ({"amount": Decimal(1000000000)}, "between 0.01"),
        ({"amount": Decimal("1.005")}, "two decimals"),
        ({"purpose": "CHARITY"}, "4-letter"),
        ({"text": "T" * 141}, "at most 140"),
        ({"reference": "RF19539007547034"}, "ISO 11649 checksum"),
        ({"reference": "RF18539007547034", "text": "both"}, "not both"),
    ],
)
def test_epc_payload_violations(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"name": "Refuge", "iban": FR_IBAN, **kwargs}
    with pytest.raises(ValueError, match=match):
        epc_payload(**args)  # type: ignore[arg-type]


# --- QR SVG ---------------------------------------------------------------------------------------------------------


def test_epc_qr_svg_is_inline_scalable_markup() -> None:
    svg = epc_qr_svg(epc_payload(name="Refuge", iban=FR_IBAN), title="Virement SEPA")
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert "viewBox=" in svg
    assert "width=" not in svg and "height=" not in svg
    assert 'fill="#fff"' in svg  # white quiet zone: dark themes and zbar need it
    assert "<title>Virement SEPA</title>" in svg and 'role="img"' in svg


ZBARIMG = shutil.which("zbarimg")


@pytest.mark.skipif(
    ZBARIMG is None and not ON_CI,
    reason="zbarimg not installed (apt-get install -y zbar-tools); required when CI is set",
)
@pytest.mark.parametrize(
    "kwargs",
    [
        {
            "name": "Refuge du Littoral – Calais",
            "amount": Decimal(25),
            "purpose": "CHAR",
            "text": "Don hiver 2026 – merci, éàü",
        },
        {"name": "Refuge du Littoral"},  # open amount
        {
            "name": "N" * 70,
            "bic": "BNPAFRPPXXX",
            "amount": Decimal("999999999.99"),
            "purpose": "CHAR",
            "text": "T" * 140,
        },  # near the 331-byte limit: QR version 13
    ],
)
def test_epc_qr_decodes_with_zbar(kwargs: dict[str, object], tmp_path: Path) -> None:
    cairosvg = pytest.importorskip("cairosvg")
    assert ZBARIMG, "zbarimg is required in CI (zbar-tools)"
    payload = epc_payload(iban=FR_IBAN, **kwargs)  # type: ignore[arg-type]
    png = tmp_path / "qr.png"
    # zbar reads nothing on a transparent background.
    png.write_bytes(
        cairosvg.svg2png(bytestring=epc_qr_svg(payload).encode(), output_width=600, background_color="white")
    )
    # -Sbinary: raw bytes with no charset guessing and no trailing newline; --nodbus: no system bus here.
    result = subprocess.run(
        [ZBARIMG, "-q", "--raw", "--nodbus", "-Sbinary", str(png)], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == payload


# --- Links ------------------------------------------------------------------------------------------------------------


def test_with_utm_adds_prefixed_params_and_keeps_query_and_fragment() -> None:
    url = with_utm("https://example.org/don?x=1&y=a%20b#form", {"source": "vitrine", "campaign": "hiver-2026"})
    assert url == "https://example.org/don?x=1&y=a%20b&utm_source=vitrine&utm_campaign=hiver-2026#form"


def test_with_utm_does_not_override_existing() -> None:
    url = with_utm("https://example.org/?utm_source=mail", {"source": "vitrine", "utm_medium": "site", "term": ""})
    assert url == "https://example.org/?utm_source=mail&utm_medium=site"


def test_with_utm_without_query() -> None:
    assert with_utm("https://example.org", {"medium": "qr code"}) == "https://example.org?utm_medium=qr+code"
    assert with_utm("https://example.org/a", {}) == "https://example.org/a"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "https://www.helloasso.com/associations/x/formulaires/1?a=b#c",
        "https://example.org:8443/don",
        "HTTPS://Example.org/",
    ],
)
def test_check_link_accepts_https(url: str) -> None:
    assert check_link(url) is None


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://example.org", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("data:text/html,<script>", "contains <"),
        ("mailto:don@example.org", "must start with https://"),
        ("/don/", "must start with https://"),
        ("example.org/don", "must start with https://"),
        ("//example.org/don", "must start with https://"),
        ("https:///don", "with a host"),
        ("https:example.org", "with a host"),
        ("https://exa mple.org", "spaces or control characters"),
        ("https://example.org/\x00", "spaces or control characters"),
        ("https://example.org\\@evil.test", "backslash"),
        ("https://user:pw@example.org", "user name or password"),
        ("https://example.org:99999/", "not a valid URL"),
        ("", "empty"),
    ],
)
def test_check_link_rejects(url: str, fragment: str) -> None:
    assert fragment in str(check_link(url) or "")


# --- Tax reduction ----------------------------------------------------------------------------------------------------


def test_tax_cost_general_and_none() -> None:
    assert tax_cost(Decimal(100), "general") == Decimal("34.00")
    assert tax_cost(Decimal(100), "none") == Decimal("100.00")
    assert tax_cost(Decimal(0), "general") == Decimal("0.00")


def test_tax_cost_aid_below_and_above_ceiling() -> None:
    assert tax_cost(Decimal(100), "aid") == Decimal("25.00")
    # 1 000 × 0.25 + 200 × 0.34
    assert tax_cost(Decimal(1200), "aid", aid_ceiling=Decimal(1000)) == Decimal("318.00")
    # Default ceiling (2 000 € since 14 Oct 2025): 1 200 € is entirely at 75 %.
    assert Decimal(2000) == AID_CEILING
    assert tax_cost(Decimal(1200), "aid") == Decimal("300.00")


def test_tax_cost_rounds_half_up_to_the_cent() -> None:
    assert tax_cost(Decimal("0.25"), "general") == Decimal("0.09")  # 0.085 -> 0.09
    assert tax_cost(Decimal("12.35"), "aid") == Decimal("3.09")  # 3.0875 -> 3.09


def test_tax_cost_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="not one of"):
        tax_cost(Decimal(10), "coluche")
    with pytest.raises(ValueError, match="positive"):
        tax_cost(Decimal(-10), "general")


def test_tax_table_defaults_and_note() -> None:
    assert tax_table() == [
        (Decimal(20), Decimal("6.80")),
        (Decimal(50), Decimal("17.00")),
        (Decimal(100), Decimal("34.00")),
        (Decimal(200), Decimal("68.00")),
    ]
    assert tax_table([Decimal(1500)], "aid", Decimal(1000)) == [(Decimal(1500), Decimal("420.00"))]
    assert Translator("fr")("tax_note").startswith("Dans la limite de 20 %")
    assert "20%" in Translator("en")("tax_note")


# --- Money ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (Decimal("1234.5"), "fr", f"1{NNBSP}234,50{NBSP}€"),
        (Decimal(50), "fr", f"50{NBSP}€"),
        (Decimal("50.00"), "fr", f"50{NBSP}€"),
        (1234, "fr-FR", f"1{NNBSP}234{NBSP}€"),
        (12.5, "fr", f"12,50{NBSP}€"),
        (Decimal("1234.5"), "en", "€1,234.50"),
        (50, "en", "€50"),
        (Decimal("6.8"), "en-GB", "€6.80"),
    ],
)
def test_format_money(amount: Decimal | float, lang: str, expected: str) -> None:
    assert format_money(amount, lang) == expected


def test_format_number() -> None:
    assert format_number(1234567, "fr") == f"1{NNBSP}234{NNBSP}567"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(Decimal("0.5"), "fr") == "0,5"


def test_an_unknown_site_language_formats_in_english() -> None:
    t = Translator("xx")
    assert t.money(Decimal("1234.5")) == "€1,234.50" and t.number(1234) == "1,234" and t("give") == "Donate"


def test_iban_structure_of_its_country_is_checked_by_python_stdnum() -> None:
    from stdnum.iban import calc_check_digits

    bban = "1234" + "0417164300"  # a Dutch BBAN starts with four letters (the bank), not digits
    iban = f"NL{calc_check_digits(f'NLxx{bban}')}{bban}"  # the checksum itself is right
    assert str(validate_iban(iban)) == f"IBAN {format_iban(iban)} is malformed for Netherlands"
