"""Page weight: each kind of page of both demos costs at most 200 KiB in Chromium as Lighthouse counts it
(every lazy image included: its full-page screenshot loads them), text gzip-compressed as a static host sends
it (tools/audit.py weighs every page of a site)."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import pytest

from tools.audit import BUDGET, serve, weigh

PAGES = ["", "products/", "products/savon/", "people/", "people/riaz-a/", "wishlist/", "donate/", "press/", "about/"]
MAKERS = ["", "products/", "products/bonnet/", "people/", "people/claire-d/", "events/", "where/", "press/", "about/"]


@pytest.fixture(scope="module")
def precompressed_url(demo_site: Path):
    with serve(demo_site) as url:  # the .gz copies, when the browser accepts gzip
        yield url


@pytest.fixture(scope="module")
def makers_precompressed_url(makers_site: Path):
    with serve(makers_site) as url:
        yield url


@pytest.mark.parametrize("demo", ["charity", "makers"])
@pytest.mark.parametrize("lang", ["", "en/"])
def test_main_pages_weigh_at_most_200_kib_with_gzip(browser, request, demo: str, lang: str) -> None:
    base = request.getfixturevalue("precompressed_url" if demo == "charity" else "makers_precompressed_url")
    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75)  # as Lighthouse
    heavy = {}
    for path in PAGES if demo == "charity" else MAKERS:
        page = context.new_page()
        total, parts = weigh(page, base + lang + path)
        assert len(parts) > 5, path  # the page, its styles, scripts and images were counted
        if total > BUDGET:
            heavy[lang + path] = (total // 1024, sorted(parts, reverse=True)[:5])
        page.close()
    context.close()
    assert not heavy, heavy


def test_the_audit_server_sends_the_gzip_copy(precompressed_url: str, demo_site: Path) -> None:
    request = urllib.request.Request(precompressed_url + "products/", headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Content-Type"].startswith("text/html")
        assert gzip.decompress(response.read()) == (demo_site / "products/index.html").read_bytes()
    with urllib.request.urlopen(precompressed_url + "products/") as response:  # no Accept-Encoding: as it is
        assert response.headers.get("Content-Encoding") is None
