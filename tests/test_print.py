"""Printing in Chromium: the wish list on at most two A4 pages with the donate page's QR code, product and person
pages without the site's chrome. PDFs made by Chromium's own printing (page.pdf), read back with pypdf."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from conftest import make_project, mkdocs
from pypdf import PdfReader

CHROME = ".md-header, .md-tabs, .md-sidebar, .md-footer, .md-search, .md-button, .vt-gallery__thumbs"


def printed(page, url: str) -> PdfReader:
    page.goto(url, wait_until="networkidle")
    return PdfReader(io.BytesIO(page.pdf(format="A4")))


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_wish_list_prints_on_two_a4_pages_with_the_donate_qr(browser, demo_url: str, lang: str) -> None:
    context = browser.new_context(color_scheme="dark")  # paper is white whatever the screen's scheme
    page = context.new_page()
    pdf = printed(page, f"{demo_url}{lang}wishlist/")
    assert len(pdf.pages) <= 2
    text = "".join(p.extract_text() for p in pdf.pages)
    address = f"https://ce-qui-nous-a-tenus.example.org/{lang}donate/"
    assert address in text.replace("\n", "")
    assert "Tente deux places" in text or "Two-person tent" in text
    give = page.locator(".vt-print-give")
    assert not give.is_visible()  # on screen: hidden
    page.emulate_media(media="print")
    assert give.locator("svg.vt-url-qr").is_visible()
    assert give.locator("svg").bounding_box()["width"] > 80  # big enough for a phone to read from paper
    assert page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 255, 255)"
    context.close()


@pytest.mark.parametrize("path", ["products/sac-a-dos/", "people/amanuel-g/", "en/products/sac-a-dos/"])
def test_product_and_person_pages_print_without_chrome(browser, demo_url: str, path: str) -> None:
    page = browser.new_page()
    pdf = printed(page, demo_url + path)
    assert len(pdf.pages) <= 3
    page.emulate_media(media="print")
    assert [e for e in page.locator(CHROME).all() if e.is_visible()] == []
    assert page.locator("h1").first.evaluate("h => getComputedStyle(h).color") == "rgb(0, 0, 0)"
    assert page.locator(".vt-gallery__slide, .vt-portrait").first.bounding_box()["height"] < 420  # 11 cm at most
    page.close()


def test_makers_pages_print_without_chrome(browser, makers_url: str) -> None:
    page = browser.new_page()
    for path in ("products/couteau-de-poche/", "en/people/ines-b/"):
        assert len(printed(page, makers_url + path).pages) <= 3
        page.emulate_media(media="print")
        assert [e for e in page.locator(CHROME).all() if e.is_visible()] == []
        page.emulate_media(media="screen")
    page.close()


def test_without_site_url_the_printed_list_gives_the_address_as_text(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["site_url"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "wishlist" / "index.html").read_text(encoding="utf-8")
    give = re.search(r'<aside class="vt-print-only vt-print-give">(.*?)</aside>', html, re.S)
    assert give and "<svg" not in give[1]  # no address of the site: no QR code
    assert "https://www.helloasso.com/associations/refuge-du-littoral/formulaires/1" in give[1]
