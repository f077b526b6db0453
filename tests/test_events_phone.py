"""Issue 19, item 4: calendars and maps on a phone. The makers demo built on 2026-12-01 and a charity campaign
with events, opened in real Chromium at 360×800: past events offer no add action, upcoming ones their file,
the subscription and the web calendars' forms with the right dates; an address opens OpenStreetMap; one date
form per page; LOCATION says each part once; the map's regions link to their entries, from its own page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, make_project, mkdocs

PHONE = {"width": 360, "height": 800}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FR_DAY = (r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} (janvier|février|mars|avril|mai|juin|"
          r"juillet|août|septembre|octobre|novembre|décembre) \d{4}(, \d\d:\d\d(–\d\d:\d\d)?)?")  # fmt: skip
EN_DAY = (r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (January|February|March|April|May|June|"
          r"July|August|September|October|November|December) \d{1,2}, \d{4}"
          r"(, \d{1,2}:\d\d\W?[AP]M(–\d{1,2}:\d\d\W?[AP]M)?)?")  # fmt: skip
ONE_FORM = {"fr": re.compile(rf"(du )?{FR_DAY}( au {FR_DAY})?"), "en": re.compile(rf"{EN_DAY}( to {EN_DAY})?")}


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def query(href: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def test_past_events_keep_their_entry_but_offer_no_way_to_add_them(makers_site: Path) -> None:
    for lang in ("", "en/"):
        page = soup(makers_site, f"{lang}events/index.html")
        past = page.select(".vt-event--past")
        assert len(past) == 3
        for event in past:
            assert not event.select("details, a[href$='.ics'], a[href^='webcal:'], a[href*='calendar']"), event["id"]
            assert event.select_one("a.vt-map-link")  # still says where it was


def test_an_upcoming_event_offers_its_file_the_subscription_and_the_web_calendars(makers_site: Path) -> None:
    page = soup(makers_site, "events/index.html")
    upcoming = page.select(".vt-event:not(.vt-event--past)")
    assert len(upcoming) == 6 and all(e.select_one("details.vt-add") for e in upcoming)
    market = page.select_one("#marche-de-noel-des-createurs details.vt-add")
    links = {str(a.contents[0]).strip(): a for a in market.select("a")}
    assert links["Fichier .ics (Apple Calendrier, Thunderbird…)"]["href"].endswith("marche-de-noel-des-createurs.ics")
    assert links["S'abonner à tous les rendez-vous"]["href"] == "webcal://fait-pres-d-ici.example.org/events.ics"
    google, outlook, office = links["Google Agenda"], links["Outlook.com"], links["Outlook (Microsoft 365)"]
    for link in (google, outlook, office):
        assert link["rel"] == ["noopener", "noreferrer"] and link["target"] == "_blank"
    # 10:00 to 19:00 the next day in Paris, in December: UTC+1
    assert query(google["href"])["dates"] == "20261212T090000Z/20261213T180000Z"
    assert query(google["href"])["ctz"] == "Europe/Paris" and query(google["href"])["action"] == "TEMPLATE"
    assert query(google["href"])["text"] == "Marché de Noël des créateurs"
    assert urlsplit(outlook["href"]).netloc == "outlook.live.com"
    assert urlsplit(office["href"]).netloc == "outlook.office.com"
    sent = query(outlook["href"])
    assert (sent["startdt"], sent["enddt"], sent["allday"]) == ("2026-12-12T09:00:00Z", "2026-12-13T18:00:00Z", "false")
    assert sent["location"] == "Halle aux Toiles, 5 rue des Filatures, 59000 Lille"
    # two whole days: all-day, the end the day after the last (as the .ics says); September is UTC+2, no matter
    fete = {str(a.contents[0]).strip(): a["href"] for a in page.select("#fete-du-couteau-2027 details a")}
    assert query(fete["Google Agenda"])["dates"] == "20270918/20270920"
    sent = query(fete["Outlook.com"])
    assert (sent["startdt"], sent["enddt"], sent["allday"]) == ("2027-09-18", "2027-09-20", "true")
    english = soup(makers_site, "en/events/index.html")
    assert english.select_one('a[href="webcal://fait-pres-d-ici.example.org/en/events.ics"]')
    assert english.select_one(".vt-events__all a[href^='webcal:']")  # and once at the top, for every event


def test_the_address_or_else_the_place_opens_openstreetmap(makers_site: Path) -> None:
    page = soup(makers_site, "events/index.html")
    links = page.select("a.vt-map-link")
    assert len(links) == len(page.select(".vt-event"))
    market = page.select_one("#marche-de-noel-des-createurs address a.vt-map-link")
    assert market["href"].startswith("https://www.openstreetmap.org/search?query=")
    assert query(market["href"])["query"] == "5 rue des Filatures, 59000 Lille"  # the venue's name is no street
    assert "59000 Lille" in market.get_text() and market["rel"] == ["noopener", "noreferrer"]
    fete = page.select_one("#fete-du-couteau-2027 a.vt-map-link")
    assert query(fete["href"])["query"] == "Place du Pirou, 63300 Thiers"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_date_form_on_each_page_that_shows_events(makers_site: Path, lang: str) -> None:
    prefix = "" if lang == "fr" else "en/"
    form = ONE_FORM[lang]
    for path in ("events/index.html", "index.html", "people/ines-b/index.html"):
        page = soup(makers_site, prefix + path)
        dates = [t.get_text(" ", strip=True) for t in page.select(".vt-event__when time, .vt-event-line time")]
        assert dates, path
        assert [d for d in dates if not form.fullmatch(d.replace("\u202f", " "))] == [], path
    events = soup(makers_site, prefix + "events/index.html").select_one("article").get_text(" ", strip=True)
    month = r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}"
    if lang == "fr":  # no other form anywhere in the page's text: every day with its weekday
        days = re.findall(rf"(\w+ )?{month}", events)
        assert days and all(weekday.strip() in FR_DAY for weekday, _ in days)


def test_location_says_each_part_once(makers_site: Path) -> None:
    for name in ("events.ics", "en/events.ics"):
        calendar = icalendar.Calendar.from_ical((makers_site / name).read_bytes())
        for event in calendar.walk("VEVENT"):
            parts = [part.strip().casefold() for part in str(event["LOCATION"]).split(",")]
            words = [set(re.findall(r"\w+", part)) for part in parts]
            assert len(set(parts)) == len(parts), event["LOCATION"]
            assert not [(a, b) for i, a in enumerate(parts) for j, b in enumerate(parts)
                        if i != j and words[i] <= words[j]], event["LOCATION"]  # fmt: skip
    one = icalendar.Calendar.from_ical((makers_site / "events/salon-des-savoir-faire-2026.ics").read_bytes())
    assert str(one.walk("VEVENT")[0]["LOCATION"]) == "La Halle des Ateliers, 48 passage des Artisans, 75011 Paris"


def test_on_a_phone_the_choices_stay_folded_and_nothing_loads_from_elsewhere(browser, makers_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(makers_url) else elsewhere.append(r.url))
    page.goto(makers_url + "events/", wait_until="networkidle")
    summary = page.locator("#marche-de-noel-des-createurs summary")
    assert not page.locator("#marche-de-noel-des-createurs .vt-add__list").is_visible()
    box = summary.bounding_box()
    assert box and box["height"] >= 24 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    summary.click()
    links = page.locator("#marche-de-noel-des-createurs .vt-add__list a")
    assert links.count() == 5
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["height"] >= 24 and box["x"] + box["width"] <= 360
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    context.close()
    assert elsewhere == []


def test_no_axe_violation_with_every_choice_unfolded(browser, makers_url: str) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm install)")
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in ("events/", "en/events/", "where/", "en/where/"):
        page.goto(makers_url + path, wait_until="load")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        found.update({f"{path} {v['id']}": [n["target"] for n in v["nodes"]][:5] for v in result["violations"]})
    context.close()
    assert found == {}


def test_the_map_regions_link_to_their_makers_and_the_menu_leads_to_it(makers_site: Path) -> None:
    for lang in ("", "en/"):
        page = soup(makers_site, f"{lang}where/index.html")
        ids = {tag["id"] for tag in page.select("[id]")}
        regions = page.select("svg.vitrine-map a")
        assert len(regions) == 10 and all(a["href"][1:] in ids for a in regions)
        legend = page.select(".vt-legend__list a")
        assert [a["href"] for a in legend] == sorted(a["href"] for a in legend) and len(legend) == 10
        assert all(a["href"][1:] in ids for a in legend)
        assert {a["href"] for a in legend} == {a["href"] for a in regions}
        first = page.select_one(".vt-legend__list li")
        assert re.search(r"1 (artisan|maker), 2 (produits|products)", first.get_text(" ", strip=True))
        assert all(page.select_one(f"#{a['href'][1:]}").select('a[href*="people/"]') for a in regions)
        home = soup(makers_site, f"{lang}index.html")
        assert all(a["href"].startswith("where/#") and a["href"][7:] in ids for a in home.select("svg.vitrine-map a"))
        assert any(a["href"].endswith("where/") for a in home.select(".md-tabs__link, .md-nav__link"))


def test_the_map_works_by_touch_and_by_keyboard_on_a_phone(browser, makers_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(makers_url + "where/", wait_until="networkidle")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    legend = page.locator(".vt-legend__list a")
    for i in range(legend.count()):
        box = legend.nth(i).bounding_box()
        assert box and box["height"] >= 24 and box["width"] >= 24
    page.locator("svg.vitrine-map a").nth(2).click()  # Bretagne
    assert page.evaluate("() => location.hash") == "#region-bretagne"
    assert page.locator("#region-bretagne").is_visible()
    page.goto(makers_url + "where/", wait_until="networkidle")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('svg.vitrine-map a')"):
            break
    width = page.evaluate("() => getComputedStyle(document.activeElement.querySelector('path')).strokeWidth")
    assert page.evaluate("() => document.activeElement.getAttribute('href')").startswith("#region-")
    assert float(width.rstrip("px")) > 2  # the focused region is outlined
    context.close()


def test_a_charity_without_site_url_offers_the_file_and_no_subscription(tmp_path: Path, fixture_site: Path) -> None:
    assert not (fixture_site / "where").exists()  # the charity kind has no map, and no menu entry to one
    assert "where/" not in (fixture_site / "index.html").read_text(encoding="utf-8")
    stories = tmp_path / "stories"
    shutil.copytree(FIXTURES / "good" / "stories", stories)
    shutil.rmtree(stories / "people/sans-accord")
    (stories / "events").mkdir()
    (stories / "events/collecte.md").write_text(
        "---\ntitle: Grande collecte\nstart: 2099-05-02\nplace: Gare de l'Est, Paris\n---\n\nApportez des duvets.\n",
        encoding="utf-8")  # fmt: skip
    (stories / "events/ancienne.md").write_text("---\ntitle: Ancienne collecte\nstart: 2001-01-01 09:30\n"
                                                "place: Paris\n---\n\nC'était avant.\n", encoding="utf-8")  # fmt: skip
    project = make_project(tmp_path / "p", stories)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["site_url"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    page = soup(project / "site", "events/index.html")
    assert not page.select('a[href^="webcal:"]')  # no address to subscribe to: nothing false said
    upcoming = page.select_one("#collecte")
    assert upcoming.select_one('details a[href$="collecte.ics"][download]')
    google = upcoming.select_one('a[href^="https://calendar.google.com/"]')
    assert query(google["href"])["dates"] == "20990502/20990503"
    assert query(upcoming.select_one("a.vt-map-link")["href"])["query"] == "Gare de l'Est, Paris"
    assert not page.select_one("#ancienne").select("details, a[href$='.ics']")
    dates = [t.get_text(strip=True) for t in page.select(".vt-event__when time")]
    assert dates == ["samedi 2 mai 2099", "lundi 1 janvier 2001, 09:30"]
    assert all(ONE_FORM["fr"].fullmatch(d) for d in dates)
