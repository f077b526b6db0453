"""The colour scheme a campaign gets: light or dark as the reader's system says, unless its config chose."""

from __future__ import annotations

from pathlib import Path

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
