"""Both demos on a phone, measured in Chromium at 360×800 and 390×844 (issue 19): the page's action on the first
screen, no amount or label broken across lines, lists two columns wide, pages a thumb can travel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs, serve

PHONES = [(360, 800), (390, 844)]
CHARITY = ["", "products/brosse-a-dents/", "people/riaz-a/", "wishlist/", "en/", "en/products/brosse-a-dents/",
           "en/people/riaz-a/", "en/wishlist/"]  # fmt: skip
MAKERS = ["", "products/bonnet/", "people/claire-d/", "en/", "en/products/bonnet/", "en/people/claire-d/"]

# The page's primary action (give, or buy), fully in the first screen and not covered by anything else.
ACTION_IN_VIEW = """() => {
  const seen = [...document.querySelectorAll(".md-content [data-vt-action]")].filter(a => {
    const r = a.getBoundingClientRect();
    if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && (hit === a || a.contains(hit));
  });
  return seen.map(a => a.textContent.trim());
}"""

# Amounts and figures broken across two lines: each number with its currency sign or unit is one range of
# text, which must have one box; and each word of a label (figures, buttons, kickers, badges) too.
BROKEN = r"""() => {
  const broken = [];
  const amount = /(\d[\d\u00a0\u202f .,]*\s?(€|%|kg|g|km))|(€\s?\d[\d,.]*)/g;
  const word = /\S+/g;
  const labels = 'dt, .md-button, .vt-kicker, .vt-badge, .vt-flag, .vt-chip, .vt-price, .vt-totals dd';
  const walk = document.createTreeWalker(document.querySelector('.md-content') || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const el = node.parentElement;
    if (!el || !el.offsetParent || el.closest('.vt-sr, script, style')) continue;
    const patterns = el.closest(labels) ? [amount, word] : [amount];
    for (const pattern of patterns) {
      for (const m of node.data.matchAll(pattern)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].trimEnd().length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${m[0].trim()} in <${el.tagName.toLowerCase()} class="${el.className}">`);
      }
    }
  }
  return broken;
}"""

# Cards of a list side by side: the first two share a row.
COLUMNS = """(selector) => {
  const cards = [...document.querySelectorAll(selector)].slice(0, 2).map(c => c.getBoundingClientRect());
  return cards.length < 2 ? null : [cards[0].top === cards[1].top, cards[0].left !== cards[1].left];
}"""


@pytest.fixture(scope="module")
def charity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("phone") / "site"
    result = mkdocs(ROOT, "build", "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    yield from serve(site)


@pytest.fixture(scope="module")
def demos(charity: str, makers_url: str) -> dict[str, str]:
    return {"charity": charity, "makers": makers_url}


def pages(demos: dict[str, str], extra: tuple[str, ...] = ()) -> Iterator[str]:
    for kind, paths in (("charity", CHARITY), ("makers", MAKERS)):
        for path in (*paths, *extra):
            yield demos[kind] + path


@pytest.mark.parametrize("width,height", PHONES)
def test_the_action_is_on_the_first_screen(browser, demos: dict[str, str], width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    missing = []
    for url in pages(demos):
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # the bar's first place, taken when the page's own button is seen or not
        if not page.evaluate(ACTION_IN_VIEW):
            missing.append(url)
        elif "products/" in url:  # and it stays in view, below the first screen
            page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
            page.wait_for_timeout(500)  # the bar's slide (0.2 s)
            if not page.evaluate(ACTION_IN_VIEW):
                missing.append(url + " (scrolled)")
    page.close()
    assert not missing, f"no action on the first screen at {width}×{height}: {missing}"


@pytest.mark.parametrize("width,height", PHONES)
def test_giving_has_its_own_entry_in_the_header(browser, demos: dict[str, str], width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    for path, label in (("", "Faire un don"), ("en/", "Donate")):
        page.goto(demos["charity"] + path)
        entry = page.locator(".md-header [data-vt-action]")
        assert entry.is_visible() and label in entry.inner_text(), path
        assert entry.get_attribute("href").rstrip("/").endswith("donate")
    for url in (demos["charity"], demos["charity"] + "products/chaussettes/", demos["makers"]):
        page.goto(url)  # the site's name in the header: whole, or not shown at all (never cut to "C…")
        cut = page.evaluate("""() => [...document.querySelectorAll('.md-header__title .md-ellipsis')]
          .filter(t => getComputedStyle(t).visibility === 'visible' && t.scrollWidth > t.clientWidth + 1)
          .map(t => t.textContent.trim())""")
        assert not cut, (url, cut)
    page.close()


def test_the_charity_home_opens_on_its_progress(browser, demos: dict[str, str]) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    for path, example in (("", "€"), ("en/", "€")):
        page.goto(demos["charity"] + path)
        hero = page.locator(".vt-hero")
        bar = hero.locator("progress")
        box = bar.bounding_box()
        assert box and box["y"] + box["height"] <= 800, "the progress bar is on the first screen"
        assert int(bar.get_attribute("value") or 0) < int(bar.get_attribute("max") or 0)
        gifts = hero.locator(".vt-gifts li").all_inner_texts()
        assert len(gifts) >= 2 and all(example in g for g in gifts), gifts
        assert "primary" in (hero.locator(".vt-give").first.get_attribute("class") or "")
    page.close()


@pytest.mark.parametrize("width,height", PHONES)
def test_no_amount_or_label_breaks_across_lines(browser, demos: dict[str, str], width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    broken = {}
    for url in pages(demos, extra=("products/", "people/")):
        page.goto(url)
        page.wait_for_load_state("load")
        if found := page.evaluate(BROKEN):
            broken[url] = found
    page.close()
    assert not broken


def test_no_empty_band_above_the_first_heading(browser, demos: dict[str, str]) -> None:
    """The announcement bar is left out when it has nothing to say, and the content starts right under the
    header (a 66 px band and the thumbnails came before a product's title)."""
    page = browser.new_page(viewport={"width": 360, "height": 800})
    for url in pages(demos):
        page.goto(url)
        assert page.locator(".md-banner").count() == 0, url
        header = page.locator(".md-header").bounding_box()
        first = page.locator(".md-content__inner > *").first.bounding_box()
        assert header and first and first["y"] - (header["y"] + header["height"]) <= 40, url
    page.close()


def test_lists_a_thumb_can_travel(browser, demos: dict[str, str]) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    heights = {}
    for kind, path in (("charity", ""), ("charity", "wishlist/"), ("charity", "products/"), ("makers", ""),
                       ("makers", "products/")):  # fmt: skip
        page.goto(demos[kind] + path)
        page.wait_for_load_state("load")
        heights[f"{kind} {path or 'home'}"] = page.evaluate("document.documentElement.scrollHeight")
        if path == "products/":
            assert page.evaluate(COLUMNS, ".vt-grid .vt-card") == [True, True], "two columns of products"
    for kind in ("charity", "makers"):
        page.goto(demos[kind] + "people/")
        assert page.evaluate(COLUMNS, ".vt-grid .vt-card") == [True, True], "two columns of people"
    print(heights)
    assert all(h <= 5000 for h in heights.values()), heights
    page.close()


def test_the_wish_list_jumps_to_its_categories_and_says_what_is_urgent(browser, demos: dict[str, str]) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(demos["charity"] + "wishlist/")
    chips = page.locator(".vt-chips a")
    assert chips.count() == page.locator("h2[id^='cat-']").count() == 7  # the demo's six categories and "Autres"
    for i in range(chips.count()):
        target = chips.nth(i).get_attribute("href")
        assert target.startswith("#") and page.locator(target).count() == 1
    urgent = page.locator(".vt-wish .vt-urgent")
    assert urgent.count() >= 1 and "urgent" in urgent.first.inner_text().lower()
    rows = page.locator(".vt-wish")
    for i in range(rows.count()):
        assert rows.nth(i).locator(".md-button").count() == 1, "one action per row"
    page.close()


def test_text_in_another_language_says_so(browser, demos: dict[str, str]) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(demos["charity"] + "en/products/brosse-a-dents/")
    marked = page.locator(".md-content [lang='fr']")
    assert marked.count() >= 1
    texts = page.locator(".md-content .vt-lang-note").all_inner_texts()
    assert texts and all("French" in t for t in texts), texts
    page.goto(demos["charity"] + "products/brosse-a-dents/")
    assert page.locator(".md-content .vt-lang-note").count() == 0
    page.close()


def test_screens_are_kept_in_the_repository() -> None:
    for state in ("before", "after"):
        shots = list((ROOT / "screens" / "issue-19" / state).glob("*.webp"))
        assert len(shots) >= 20, state
    assert Path(ROOT / "tools" / "screens.py").is_file()
