"""Giving on the built site: the EPC QR code read by a real decoder, settings
errors that stop the build, the wish list's totals and the tax calculator."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cairosvg
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ON_CI, ROOT, make_project, mkdocs

CAMPAIGN = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))["extra"][
    "campaign"
]


def zbar(png: Path) -> str:
    if not shutil.which("zbarimg"):
        if ON_CI:
            pytest.fail("zbarimg is missing: .ci/run installs zbar-tools")
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    result = subprocess.run(["zbarimg", "-q", "--raw", "--nodbus", "-Sbinary", str(png)], capture_output=True)
    return result.stdout.decode("utf-8")


def test_donate_page_qr_code_decodes_to_the_configured_transfer(fixture_site: Path, tmp_path: Path) -> None:
    page = BeautifulSoup((fixture_site / "donate/index.html").read_text(encoding="utf-8"), "html.parser")
    svg = page.select_one(".vt-qr svg")
    svg["width"] = svg["height"] = "300"  # the page sizes it with CSS; cairosvg needs a size
    png = tmp_path / "qr.png"
    cairosvg.svg2png(bytestring=str(svg).encode(), write_to=str(png), output_width=600, background_color="white")
    lines = zbar(png).split("\n")
    bank = CAMPAIGN["donate"]["bank"]
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[4] == bank["bic"] and lines[5] == bank["holder"]
    assert lines[6] == bank["iban"].replace(" ", "")
    assert lines[7] == ""  # open amount: the giver chooses
    assert lines[8] == "CHAR" and lines[10] == bank["purpose"]
    # The IBAN is always there as text too, grouped by four.
    assert page.select_one(".vt-iban").get_text() == "FR76 3000 6000 0112 3456 7890 189"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bank": {"holder": "X", "iban": "FR76 3000 6000 0112 3456 7890 188"}},
         "extra.campaign.donate.bank.iban : l'IBAN FR76 3000 6000 0112 3456 7890 188 a une clé de contrôle fausse"),
        ({"url": "http://example.org/don"}, "extra.campaign.donate.url doit être un lien https://"),
        ({"paypal": "https://paypal.example"}, "clé inconnue extra.campaign.donate.paypal (clés connues : url, links,"),
        ({"links": [{"label": "Don", "url": "javascript:alert(1)"}]},
         "extra.campaign.donate.links[1].url doit être un lien https://"),
        ({"tax": {"scheme": "coluche"}}, "extra.campaign.donate.tax.scheme doit être none, general ou aid"),
    ],
)  # fmt: skip
def test_bad_giving_settings_fail_the_strict_build(tmp_path: Path, change: dict, message: str) -> None:
    campaign = {**CAMPAIGN, "donate": {**CAMPAIGN["donate"], **change}}
    project = make_project(tmp_path / "p", campaign=campaign)
    result = mkdocs(project, "build", "--strict")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "mkdocs.yml:" in log and message in log, log
    assert "Traceback" not in log


def test_wishlist_totals_match_a_hand_computation(fixture_site: Path) -> None:
    page = BeautifulSoup((fixture_site / "wishlist/index.html").read_text(encoding="utf-8"), "html.parser")
    totals = {dt.get_text(): dd.get_text() for dt, dd in zip(page.select(".vt-totals dt"), page.select(".vt-totals dd"),
                                                              strict=True)}  # fmt: skip
    # savon 200 needed / 50 received at 1,50 €; bâche 40/40 at 12 €; café 100/120 at 4,25 €.
    assert totals["Besoin"] == "340\u00a0unités"
    assert totals["Reçus"] == "190\u00a0unités"  # café's surplus does not count against other needs
    assert totals["Reste"] == "150\u00a0unités"
    assert totals["Coût pour combler le besoin"] == "225\u00a0€"
    assert "Besoin comblé" in page.select_one("#cafe").get_text()
    assert "md-button--primary" not in page.select_one("#cafe .vt-give")["class"]  # quieter once the need is met
    assert all(item.select_one(".vt-give") for item in page.select(".vt-wish"))  # every product can be given


def test_outbound_links_are_https_noopener_with_utm(fixture_site: Path) -> None:
    for html in fixture_site.rglob("*.html"):
        for link in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select("a.vt-give, .vt-links a"):
            if link["href"].startswith("http"):
                assert link["href"].startswith("https://") and "noopener" in link["rel"], (html, link)
                assert "utm_source=vitrine" in link["href"]


def test_tax_calculator_in_chromium(browser, fixture_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{fixture_url}donate/")
    rows = page.locator(".vt-tax__table tbody tr")
    assert rows.count() == 4 and rows.nth(2).inner_text().split("\t") == ["100\u00a0€", "25\u00a0€"]
    page.fill("#vt-gift", "2500")
    # 75 % of the first 2 000 €, 66 % of the 500 € above: 2 500 - 1 500 - 330 = 670 €.
    expected = "Un don de 2\u202f500,00\u00a0€ vous coûte 670,00\u00a0€ après réduction d'impôt."
    assert page.locator(".vt-calc output").inner_text() == expected
    page.close()


def test_a_misspelt_settings_key_warns_and_keeps_every_other_setting(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", campaign={**CAMPAIGN, "tagine": "Une faute de frappe"})
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    assert "clé inconnue extra.campaign.tagine (vouliez-vous dire tagline ?)" in result.stderr
    page = BeautifulSoup((project / "site/donate/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".vt-iban")  # the bank details are still there
