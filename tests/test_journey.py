"""A visitor's path in real Chromium: home -> a person -> a product -> give."""

from __future__ import annotations


def test_home_person_product_donate(browser, fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    outside: list[str] = []
    page.on("request", lambda r: r.url.startswith((fixture_url, "data:")) or outside.append(r.url))
    page.goto(fixture_url)
    assert page.locator("h1").first.inner_text() == "Ce qui nous a tenus"

    page.locator(".vt-quote__by a", has_text="Amina K.").first.click()
    page.wait_for_url(f"{fixture_url}people/amina-k/")
    assert page.locator("h1").inner_text() == "Amina K."

    page.locator(".vt-reviews .vt-review__author", has_text="Savon").click()
    page.wait_for_url(f"{fixture_url}products/savon/")
    assert page.locator(".vt-buybox h1").inner_text() == "Savon"
    assert page.get_by_role("img", name="Noté 5 sur 5").count() >= 1

    give = page.locator(".vt-buybox .vt-give")
    assert give.is_visible()
    href = give.get_attribute("href")
    assert href.startswith("https://www.helloasso.com/") and "utm_campaign=" in href
    # Follow it without leaving the machine: the campaign's giving page opens in a new tab.
    page.context.route("https://www.helloasso.com/**", lambda route: route.fulfill(body="<title>Don</title>"))
    with page.context.expect_page() as opened:
        give.click()
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.url == href
    assert outside == []  # the gift opened in its own tab; this page asked nothing of any other host
    page.close()
