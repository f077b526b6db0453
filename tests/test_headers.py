"""The `_headers` file a static host sends with every page: the pages still work under it."""

from __future__ import annotations

import contextlib
from pathlib import Path

from conftest import header_rules, serve


def test_pages_work_under_the_static_host_headers(browser, fixture_site: Path) -> None:
    assert "frame-ancestors 'none'" in header_rules(fixture_site)["Content-Security-Policy"]
    with contextlib.contextmanager(serve)(fixture_site, headers=True) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base}products/savon/")
        page.wait_for_load_state("networkidle")
        assert not [e for e in errors if "Content Security Policy" in e], errors
        assert page.evaluate("() => typeof __md_get") == "function"  # the theme's inline script ran
        page.close()
