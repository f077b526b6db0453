"""The product gallery in Chromium: thumbnails and swipe on a phone, the photo viewer (a <dialog>) everywhere."""

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
    page.close()


def _viewer_opens(page, url: str) -> list[str]:
    """Open the product's first photo in the viewer; the URLs of the JPEGs the page navigated to."""
    jumps: list[str] = []
    page.on("framenavigated", lambda frame: jumps.append(frame.url) if frame.url.endswith(".jpg") else None)
    page.goto(url)
    page.locator(".vt-gallery__zoom").first.click()
    page.locator("dialog.vt-viewer").wait_for(state="visible", timeout=10_000)  # a loaded CI is slower
    return jumps


def test_viewer_opens_moves_and_closes_on_the_page(browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    jumps = _viewer_opens(page, f"{fixture_url}products/savon/")
    dialog = page.locator("dialog.vt-viewer")
    links = page.locator(".vt-gallery__zoom")
    image = dialog.locator("img")
    assert image.get_attribute("src") == links.nth(0).evaluate("a => a.href")
    assert image.get_attribute("alt") == "Un pain de savon sur fond vert"
    page.wait_for_function("() => document.querySelector('.vt-viewer img').naturalWidth >= 320")
    assert "Un pain de savon sur fond vert" in dialog.locator("figcaption").inner_text()
    assert "1 / 2" in dialog.locator("figcaption").inner_text()
    for name in ("Fermer", "Photo suivante", "Photo précédente"):
        assert dialog.get_by_role("button", name=name).is_visible()
    page.keyboard.press("ArrowRight")
    assert image.get_attribute("src") == links.nth(1).evaluate("a => a.href")
    assert "2 / 2" in dialog.locator("figcaption").inner_text()
    dialog.get_by_role("button", name="Photo précédente").click()
    assert image.get_attribute("src") == links.nth(0).evaluate("a => a.href")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.vt-viewer').open")
    assert page.evaluate("document.activeElement === document.querySelector('.vt-gallery__zoom')")
    page.wait_for_timeout(300)  # the viewer's history entry, dropped on close: Back now leaves as usual
    assert page.evaluate("history.state") is None
    assert jumps == [] and page.url.endswith("/products/savon/")
    page.close()


def test_back_closes_the_viewer_and_stays(browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800}, has_touch=True)
    jumps = _viewer_opens(page, f"{fixture_url}products/savon/")
    page.wait_for_function("() => document.querySelector('.vt-viewer img').complete")
    box = page.locator(".vt-viewer img").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # the whole photo on the phone's screen
    assert box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 800
    page.go_back()
    page.wait_for_function("() => !document.querySelector('dialog.vt-viewer').open")
    assert page.url.endswith("/products/savon/") and jumps == []
    page.close()


def test_keyboard_opens_the_viewer(browser, makers_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{makers_url}en/products/couteau-de-poche/")
    link = page.locator(".vt-gallery__zoom").first
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.vt-viewer")
    dialog.wait_for(state="visible", timeout=10_000)
    assert dialog.get_by_role("button", name="Next photo").is_visible()
    page.keyboard.press("ArrowRight")
    second = page.locator(".vt-gallery__zoom").nth(1).evaluate("a => a.href")
    assert dialog.locator("img").get_attribute("src") == second
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.vt-viewer').open")
    assert page.evaluate("document.activeElement === document.querySelector('.vt-gallery__zoom')")
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
