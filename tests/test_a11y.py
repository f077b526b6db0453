"""axe-core (node_modules/axe-core, `npm install`) in real Chromium: no
accessibility violation on the pages a visitor comes for."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ON_CI, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "products/savon/", "people/amina-k/", "wishlist/", "donate/", "press/"]
RULES_OFF: dict[str, bool] = {}  # none: every rule runs
KNOWN: set[str] = set()  # "<page> <rule>" pairs accepted for now: none


@pytest.fixture(scope="module")
def axe() -> Path:
    if not AXE.is_file():
        if ON_CI:
            pytest.fail("axe-core is missing: run `npm install`")
        pytest.skip("axe-core is not installed (npm install)")
    return AXE


@pytest.mark.parametrize("width", [1280, 360])
def test_no_axe_violation(browser, fixture_url: str, axe: Path, width: int) -> None:
    # bypass_csp: the pages' policy rightly refuses axe's injected script
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(fixture_url) else r.abort())
    found = {}
    for path in PAGES:
        page.goto(fixture_url + path, wait_until="load")
        page.add_script_tag(path=str(axe))
        result = page.evaluate(
            "(rules) => axe.run(document, {rules, resultTypes: ['violations']})",
            {k: {"enabled": v} for k, v in RULES_OFF.items()},
        )
        for v in result["violations"]:
            found[f"{path or '/'} {v['id']}"] = [n["target"] for n in v["nodes"]][:5]
    context.close()
    assert {k: v for k, v in found.items() if k not in KNOWN} == {}


MAKERS_PAGES = ["", "products/couteau-de-poche/", "people/ines-b/", "events/", "people/", "where/", "en/", "en/events/",
                "en/where/"]  # fmt: skip


@pytest.mark.parametrize("width", [1280, 360])
def test_no_axe_violation_on_the_makers_demo(browser, makers_url: str, axe: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(makers_url) else r.abort())
    found = {}
    for path in MAKERS_PAGES:
        page.goto(makers_url + path, wait_until="load")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            found[f"{path or '/'} {v['id']}"] = [n["target"] for n in v["nodes"]][:5]
    context.close()
    assert found == {}
