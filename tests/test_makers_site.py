"""Issue 12's page layer: the makers demo (examples/makers/) built by real MkDocs on 2026-12-01, read as HTML;
events and their iCalendar files; a charity campaign with events; the makers kind's press kit."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import icalendar
import numpy
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, make_project, mkdocs
from PIL import Image

from vitrine.core import i18n


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_a_product_shows_its_makers_where_it_is_made_its_labels_and_where_to_buy_it(makers_site: Path) -> None:
    page = soup(makers_site, "products/couteau-de-poche/index.html")
    main = page.select_one("article") or page
    makers = [a["href"] for a in main.select(".vt-facts a")]
    assert any(h.endswith("people/karim-a/") for h in makers) and any(h.endswith("people/maelle-r/") for h in makers)
    accounts = main.select(".vt-review")
    assert len(accounts) == 2 and all(r.select_one('a[href*="people/"]') for r in accounts)
    assert "Fabriqué à" in main.get_text() and main.select(".vt-labels .vt-label")
    buy = main.select(".vt-buy a.md-button")
    assert buy and all(a["href"].startswith("https://") for a in buy) and "Acheter chez" in buy[0].get_text()
    assert "md-button--primary" in buy[0]["class"]
    assert not main.select(".vt-stars, .vt-star") and "★" not in main.get_text()
    assert not main.select(".vt-give") and "donate/" not in str(main) and "wishlist/" not in str(main)
    assert main.select_one(".vt-price__amount")


def test_a_maker_page_shows_every_fact_their_accounts_and_upcoming_events(makers_site: Path) -> None:
    page = soup(makers_site, "people/ines-b/index.html")
    terms, values = page.select(".vt-facts dt"), page.select(".vt-facts dd")
    facts = {dt.get_text(strip=True): dd for dt, dd in zip(terms, values, strict=True)}
    assert set(facts) == {"Métier", "Atelier", "Lieu", "Région", "Depuis", "Site"}
    assert facts["Depuis"].get_text(strip=True) == "2016" and facts["Région"].get_text(strip=True) == "Occitanie"
    assert facts["Site"].a["href"] == "https://terre-de-four.example"
    assert len(page.select(".vt-review")) == 5 and not page.select(".vt-stars")
    events = [a["href"] for a in page.select(".vt-events a")]
    assert events and events[0].endswith("events/#atelier-decouverte-ceramique")  # soonest first, past left out
    assert not any("printemps-des-ateliers-2026" in e for e in events)


def test_the_events_page_lists_upcoming_soonest_first_then_past_newest_first(makers_site: Path) -> None:
    page = soup(makers_site, "events/index.html")
    upcoming, past = page.select("section")[:2]
    ids = [a["id"] for a in upcoming.select(".vt-event")]
    assert ids[:2] == ["marche-de-noel-des-createurs", "atelier-decouverte-ceramique"] and len(ids) == 6
    assert ids[-1] == "printemps-des-ateliers-2028"
    assert [a["id"] for a in past.select(".vt-event")] == ["salon-des-savoir-faire-2026", "portes-ouvertes-coutellerie",
                                                           "printemps-des-ateliers-2026"]  # fmt: skip
    first = upcoming.select_one(".vt-event")
    assert "12 décembre 2026" in first.get_text() and "10:00" in first.get_text()
    assert first.select_one("address") and [a["href"] for a in first.select(".vt-event__people a")]
    assert first.select_one('a[href$="marche-de-noel-des-createurs.ics"]')
    assert page.select_one('a[href$="events.ics"]')


def test_the_ics_files_are_in_the_site_and_read_back(makers_site: Path) -> None:
    one = icalendar.Calendar.from_ical((makers_site / "events/marche-de-noel-des-createurs.ics").read_bytes())
    [event] = one.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Marché de Noël des créateurs" and "Lille" in str(event["LOCATION"])
    assert event.decoded("DTSTART").hour == 10
    every = icalendar.Calendar.from_ical((makers_site / "events.ics").read_bytes())
    assert len(every.walk("VEVENT")) == 9
    english = icalendar.Calendar.from_ical((makers_site / "en/events/marche-de-noel-des-createurs.ics").read_bytes())
    assert str(english.walk("VEVENT")[0]["SUMMARY"]) == "Makers' Christmas market"


def test_no_wish_list_no_donate_page_and_no_giving_words(makers_site: Path) -> None:
    for path in ("wishlist/index.html", "donate/index.html", "en/wishlist/index.html", "en/donate/index.html"):
        assert not (makers_site / path).exists(), path
    fr, en = i18n.Translator("fr"), i18n.Translator("en")
    words = [t(key) for t in (fr, en) for key in ("give", "see_wishlist", "give_this")]
    for page in makers_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not [w for w in words if w in text], page
        assert "vt-stars" not in text, page
    nav = [a.get_text(strip=True) for a in soup(makers_site, "index.html").select(".md-tabs__link")]
    assert nav == ["Accueil", "Artisans", "Produits", "Où c'est fabriqué", "Agenda", "Presse", "À propos"]


def test_the_home_page_shows_where_things_are_made_with_its_credit(makers_site: Path) -> None:
    page = soup(makers_site, "index.html")
    svg = page.select_one("svg.vitrine-map")
    assert svg is not None and svg["role"] == "group"
    regions = svg.select("a")  # each region a link to its entry on the where/ page, titled
    assert len(regions) == 10 and all(a["href"].startswith("where/#region-") for a in regions)
    assert len(svg.select("g > title")) == 10
    assert len(page.select(".vt-legend__list a")) == 10
    assert "CC BY 4.0" in page.select_one(".vt-where figcaption").get_text()
    assert page.select_one('.vt-where a[href$="where/"]')
    assert page.select_one('a[href$="events/"]') and len(page.select(".vt-event-line")) == 3


def test_the_english_pages_speak_english(makers_site: Path) -> None:
    product = soup(makers_site, "en/products/couteau-de-poche/index.html")
    assert product.html["lang"] == "en" and "Made in" in product.get_text() and "Buy at" in product.get_text()
    maker = soup(makers_site, "en/people/ines-b/index.html")
    assert {"Craft", "Workshop", "Since"} <= {dt.get_text(strip=True) for dt in maker.select(".vt-facts dt")}
    events = soup(makers_site, "en/events/index.html")
    assert events.h1.get_text(strip=True) == "Events" and "December 12, 2026" in events.get_text()
    home = soup(makers_site, "en/index.html")
    assert "Where it is made" in home.get_text() and "Map: Victor Cazanave" in home.get_text()
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")][:5]
    assert tabs == ["Home", "Makers", "Products", "Where it is made", "Events"]


def test_the_press_kit_counts_makers_regions_and_products(makers_site: Path) -> None:
    press = soup(makers_site, "press/index.html")
    figures = {dt.get_text(strip=True): dd.get_text(strip=True) for dt, dd in
               zip(press.select(".vt-totals dt"), press.select(".vt-totals dd"), strict=True)}  # fmt: skip
    assert figures["Artisans"] == "10" and figures["Régions"] == "10" and figures["Produits"] == "24"
    assert "Besoin" not in figures and not press.select('a[href$="donate/"]')
    assert "Ils fabriquent" in press.get_text()
    pdfs = sorted((makers_site / "press").glob("*.pdf"))
    assert pdfs and all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in pdfs)
    with zipfile.ZipFile(next((makers_site / "press").glob("*.zip"))) as archive:
        assert "CREDITS.txt" in archive.namelist() and len(archive.namelist()) > 24


def test_the_pdf_of_a_makers_campaign_shows_no_needs_and_no_giving() -> None:
    import yaml
    from conftest import MAKERS

    from vitrine.build.engine import Language, run
    from vitrine.press.presskit import TEMPLATES, plan_pdf, render_html

    raw = yaml.safe_load((MAKERS / "mkdocs.yml").read_text(encoding="utf-8"))
    plan = run(MAKERS, [Language(lang="fr", config=MAKERS / "mkdocs.yml", campaign=raw["extra"]["campaign"],
                                 docs_dir=MAKERS / "docs", site_name="x")])  # fmt: skip
    fr = plan.languages[0]
    html = render_html(TEMPLATES, plan_pdf(fr.edition, fr.kit, "fr", MAKERS / "docs", ""), fr.edition.t)
    t = fr.edition.t
    assert t("makers_voices") in html and t("made_in") in html and "Regions" not in html
    for word in (t("needed"), t("remaining"), t("wishlist"), t("press_give"), t("cost_to_fulfil")):
        assert word not in html, word


def test_share_cards_quote_the_makers(makers_site: Path, tmp_path: Path) -> None:
    """The product's card is, pixel for pixel, the card drawn with its title, its first maker's account (the
    opening, as cards quote it) and its photo; another quote would not be."""
    from conftest import MAKERS

    from vitrine.media.cards import make_card
    from vitrine.read.document import read_document
    from vitrine.read.markup import excerpt, renderer
    from vitrine.read.project import read_project

    page = soup(makers_site, "products/bol-en-gres/index.html")
    card = page.select_one('meta[property="og:image"]')["content"]
    assert card.endswith("img/cards/products/bol-en-gres.jpg")
    project, _ = read_project(MAKERS)
    account, _ = read_document(MAKERS / "stories/people/ines-b/bol-en-gres.md", "account")  # its only account
    product, _ = read_document(MAKERS / "stories/products/bol-en-gres/index.md", "product")
    quote = excerpt(renderer(project.extensions, project.extension_configs)(account.body), 140)
    assert quote.startswith("L'émail de ce bol vient des sarments")
    drawn = {text: numpy.asarray(Image.open(make_card(
        tmp_path, str(i), photo=makers_site / "img/products/bol-en-gres/bol-en-gres-960.jpg",
        title=product.meta["title"], quote=text, campaign=project.campaign["name"])))
        for i, text in enumerate((quote, "Une autre phrase."))}  # fmt: skip
    published = numpy.asarray(Image.open(makers_site / "img/cards/products/bol-en-gres.jpg"))
    assert (published == drawn[quote]).all() and not (published == drawn["Une autre phrase."]).all()


def test_a_charity_campaign_with_events_has_an_events_page_and_its_people_theirs(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(FIXTURES / "good" / "stories", stories)
    shutil.rmtree(stories / "people/sans-accord")
    person = sorted(p.name for p in (stories / "people").iterdir() if p.is_dir())[0]
    (stories / "events").mkdir()
    (stories / "events/collecte.md").write_text(
        f"---\ntitle: Grande collecte\nstart: 2099-05-02 10:00\nend: 2099-05-02 18:00\nplace: Gare de l'Est, Paris\n"
        f"people:\n  - {person}\n---\n\nApportez duvets et bâches.\n", encoding="utf-8")  # fmt: skip
    (stories / "events/ancienne.md").write_text("---\ntitle: Ancienne collecte\nstart: 2001-01-01\nplace: Paris\n"
                                                "---\n\nC'était avant.\n", encoding="utf-8")  # fmt: skip
    project = make_project(tmp_path / "p", stories)
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    page = soup(site, "events/index.html")
    assert [a["id"] for a in page.select(".vt-event")] == ["collecte", "ancienne"]
    assert (site / "events/collecte.ics").is_file() and (site / "events.ics").is_file()
    assert soup(site, f"people/{person}/index.html").select_one('.vt-events a[href$="events/#collecte"]')
    assert soup(site, "wishlist/index.html").h1 and soup(site, "donate/index.html").h1


def test_a_charity_campaign_without_events_has_no_events_page(fixture_site: Path) -> None:
    assert not (fixture_site / "events").exists() and not (fixture_site / "events.ics").exists()
    assert "events/" not in (fixture_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["index.html", "products/bol-en-gres/index.html", "people/ines-b/index.html",
                                  "events/index.html", "people/index.html", "products/index.html"])  # fmt: skip
def test_every_makers_page_has_one_h1(makers_site: Path, path: str) -> None:
    assert len(soup(makers_site, path).select("h1")) == 1
