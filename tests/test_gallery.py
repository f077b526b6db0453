"""The product gallery in Chromium: thumbnails and swipe on a phone, a lightbox on desktop."""

from __future__ import annotations


def test_phone_thumbnails_scroll_the_track(browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    page.goto(f"{fixture_url}products/savon/")
    track = page.locator(".vt-gallery__track")
    assert track.evaluate("t => getComputedStyle(t).scrollSnapType").startswith("x")
    assert track.evaluate("t => t.scrollLeft") == 0
    page.locator(".vt-gallery__thumbs a").nth(1).click()
    page.wait_for_function("() => document.querySelector('.vt-gallery__track').scrollLeft > 200")
    assert page.url.endswith("/products/savon/")  # scrolled in place, the page did not jump
    page.locator(".vt-gallery__zoom").nth(1).click()  # on a phone a tap on the photo does not trap it in a dialog
    assert page.locator("dialog.vt-lightbox").count() == 0
    page.close()


def test_desktop_lightbox_opens_large_and_closes(browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{fixture_url}products/savon/")
    page.locator(".vt-gallery__zoom").first.click()
    dialog = page.locator("dialog.vt-lightbox")
    dialog.wait_for(state="visible", timeout=10_000)  # the script opens it after the click: a loaded CI is slower
    image = dialog.locator("img")
    assert image.get_attribute("alt") == "Un pain de savon sur fond vert"
    assert image.evaluate("i => i.complete && i.naturalWidth") >= 320
    assert dialog.get_by_role("button", name="Fermer").is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.vt-lightbox')")
    page.close()


def test_search_finds_a_product_by_its_description(browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(fixture_url)
    page.locator(".md-search__input").click()
    page.wait_for_timeout(500)  # the search worker loads its index first
    page.keyboard.type("Marseille", delay=30)
    result = page.locator(".md-search-result__item a").first
    result.wait_for()
    assert "products/savon/" in result.get_attribute("href")
    page.close()
