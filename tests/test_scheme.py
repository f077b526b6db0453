"""The colour scheme a campaign gets: light or dark as the reader's system says, unless its config chose."""

from __future__ import annotations

from pathlib import Path

from conftest import serve

from vitrine.hosts.mkdocs.material import follow_system_scheme

AUTO = ["(prefers-color-scheme)", "(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"]


def test_no_palette_or_a_light_one_follows_the_system() -> None:
    for theme in ({}, {"palette": None}, {"palette": {"scheme": "default", "primary": "custom", "accent": "custom"}}):
        follow_system_scheme(theme)
        assert [option["media"] for option in theme["palette"]] == AUTO
        assert [option.get("scheme") for option in theme["palette"]] == [None, "default", "slate"]
        assert {option["primary"] for option in theme["palette"]} == {"custom"}  # vitrine.css's colours
    theme = {"palette": {"primary": "indigo"}}
    follow_system_scheme(theme)
    assert {option["primary"] for option in theme["palette"]} == {"indigo"}  # the campaign's colour, in both


def test_a_campaigns_own_choice_is_left_as_written() -> None:
    own = [{"scheme": "default", "toggle": {"icon": "material/weather-night", "name": "Dark"}}, {"scheme": "slate"}]
    for palette in (own, {"scheme": "slate"}):
        theme = {"palette": palette}
        follow_system_scheme(theme)
        assert theme["palette"] is palette


def test_the_makers_demo_without_a_palette_has_both(makers_site: Path) -> None:
    html = (makers_site / "index.html").read_text(encoding="utf-8")
    for media in AUTO:
        assert f'data-md-color-media="{media}"' in html
    form = html.split('data-md-component="palette"')[1].split("</form>")[0]
    assert 'data-md-color-scheme="slate"' in form and "<label" not in form  # no toggle: the system decides


def test_dark_under_the_sites_policy(browser, makers_site: Path) -> None:
    """Material's palette script (inline in its header, hashed by vitrine/build/csp.py) and bundle switch to slate
    under the policy, at the first visit and the next one (which reads the stored palette first)."""
    served = serve(makers_site, headers=True)
    base = next(served)
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    for path in ("", "products/couteau-de-poche/"):
        page.goto(base + path)
        page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    ink = page.locator("h1").first.evaluate("h => getComputedStyle(h).color")
    assert ink != "rgb(43, 38, 32)"  # not the light scheme's dark ink on a dark page
    assert errors == []
    context.close()
    next(served, None)
