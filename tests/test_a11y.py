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


def violations(browser, base: str, axe: Path, paths: list[str], width: int, scheme: str) -> dict[str, list]:
    """axe's violations on each of ``paths``, by "<page> <rule>", seen at ``width`` in the ``scheme`` colour scheme."""
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    found = {}
    for path in paths:
        page.goto(base + path, wait_until="load")
        page.wait_for_function(
            f"() => document.body.dataset.mdColorScheme === '{'slate' if scheme == 'dark' else 'default'}'"
        )
        page.add_script_tag(path=str(axe))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            found[f"{path or '/'} {v['id']}"] = [n["target"] for n in v["nodes"]][:5]
    context.close()
    return found


# The main pages of both demos, in the dark scheme a reader's system may ask for (Vitrine's default palette).
DARK_PAGES = ["", "products/sac-a-dos/", "people/amanuel-g/", "wishlist/", "donate/", "press/", "people/", "products/",
              "about/", "en/", "en/products/sac-a-dos/", "en/wishlist/"]  # fmt: skip
DARK_MAKERS = ["", "products/couteau-de-poche/", "people/ines-b/", "events/", "press/", "people/", "products/",
               "en/", "en/events/"]  # fmt: skip


@pytest.mark.parametrize("width", [1280, 360])
def test_no_axe_violation_in_the_dark(browser, demo_url: str, makers_url: str, axe: Path, width: int) -> None:
    assert violations(browser, demo_url, axe, DARK_PAGES, width, "dark") == {}
    assert violations(browser, makers_url, axe, DARK_MAKERS, width, "dark") == {}
