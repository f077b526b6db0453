"""Real MkDocs builds: the fixture campaign and the demo, read with an HTML parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, make_project, mkdocs


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_product_page_holds_gallery_reviews_and_donate_link(fixture_site: Path) -> None:
    page = soup(fixture_site, "products/savon")
    assert page.h1.get_text(strip=True) == "Savon"
    alts = [img["alt"] for img in page.select(".vt-gallery__slide img")]
    assert alts == ["Un pain de savon sur fond vert", "Deux pains de savon"]
    reviews = page.select(".vt-reviews .vt-review")
    assert [r.select_one(".vt-review__name").get_text() for r in reviews] == ["Amina K.", "Yusuf D."]
    assert reviews[0].select_one("a")["href"] == "../../people/amina-k/"
    assert reviews[0].select_one(".vt-stars")["aria-label"] == "Noté 5 sur 5"
    give = page.select_one(".vt-buybox .vt-give")
    assert give["href"].startswith("https://www.helloasso.com/") and "utm_source=vitrine" in give["href"]
    assert "noopener" in give["rel"]
    assert "Un pain de savon de Marseille" in page.select_one(".vt-description").get_text()
    assert page.select_one(".vt-price__amount").get_text() == "1,50\u00a0€"


def test_product_with_its_own_donate_link(fixture_site: Path) -> None:
    give = soup(fixture_site, "products/cafe").select_one(".vt-buybox .vt-give")
    assert give["href"].startswith("https://example.org/give/cafe")


def test_person_page_story_reviews_and_wishlist(fixture_site: Path) -> None:
    page = soup(fixture_site, "people/amina-k")
    assert page.h1.get_text() == "Amina K."
    assert "Soudan" in page.select_one(".vt-facts").get_text()
    assert "institutrice" in page.select_one(".vt-facts").get_text()
    assert page.select_one(".vt-portrait img")["alt"] == "Portrait illustré sur fond ocre"
    assert "trois pays" in page.select_one(".vt-story").get_text()
    links = [a["href"] for a in page.select(".vt-reviews .vt-review__author")]
    assert links == ["../../products/savon/", "../../products/bache/"]
    assert page.select_one('a[href="../../wishlist/"]')


def test_wishlist_groups_figures_and_links(fixture_site: Path) -> None:
    page = soup(fixture_site, "wishlist")
    assert [h.get_text() for h in page.select("article h2")] == ["Hygiène", "Abri", "Autres"]
    savon = page.select_one("#savon")
    figures = [span.get_text() for span in savon.select(".vt-wish__figures span")]
    assert figures[1:] == ["reste 150", "il manque 225\u00a0€"] and figures[0].endswith("€ l'unité")
    assert savon.select_one(".vt-need__text").get_text(strip=True) == "50 reçus sur 200"  # collected and needed
    assert savon.select_one("progress")["value"] == "50"
    assert savon.select_one('a[href="../products/savon/"]')
    assert len(savon.select(".md-button")) == 1 and savon.select_one(".vt-give")  # one action per row
    assert "Besoin comblé" in page.select_one("#bache").get_text()


def test_unconsented_person_is_nowhere(fixture_site: Path) -> None:
    assert not (fixture_site / "people" / "sans-accord").exists()
    for html in fixture_site.rglob("*.html"):
        assert "Sans Accord" not in html.read_text(encoding="utf-8"), html


def test_navigation_lists_sections_only(fixture_site: Path) -> None:
    page = soup(fixture_site, "products/savon")
    nav = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
    assert nav == ["Accueil", "Témoignages", "Produits", "Liste de besoins", "Donner", "Presse", "À propos"]


def test_no_original_is_copied_and_images_are_responsive(fixture_site: Path) -> None:
    originals = {p.read_bytes() for p in (FIXTURES / "good/stories").rglob("*.jpg")}
    assert not [p for p in fixture_site.rglob("*") if p.is_file() and p.read_bytes() in originals]
    img = soup(fixture_site, "products/savon").select_one(".vt-gallery__slide img")
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    assert img["srcset"].endswith("w") and not img.get("loading")  # the first photo is above the fold
    assert img.find_parent("picture").select_one('source[type="image/webp"]')


def test_no_third_party_reference_in_any_page(fixture_site: Path) -> None:
    for html in fixture_site.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        fetched = ("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "srcset")
        for tag, attr in fetched:
            for element in page.find_all(tag):
                if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload"} & set(element["rel"]):
                    continue  # canonical and alternate links name pages, they fetch nothing
                value = element.get(attr) or ""
                assert not value.startswith(("http://", "https://", "//")), (html, value)


def test_front_matter_is_escaped_everywhere(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    index = project / "stories/products/savon/index.md"
    index.write_text(index.read_text().replace("title: Savon", 'title: "<b>Sav</b><script>x()</script>"'))
    assert mkdocs(project, "build").returncode == 0
    html = (project / "site/products/savon/index.html").read_text()
    assert "<script>x()</script>" not in html and "<b>Sav</b>" not in html
    assert "&lt;b&gt;Sav&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;" in html
    title = BeautifulSoup(html, "html.parser").title.get_text()
    assert title.startswith("<b>Sav</b><script>x()</script>")


def test_broken_content_fails_the_build_with_every_problem(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "stories/people/amina-k/savon.md").write_text("---\nrating: 9\n---\nTrop.\n")
    (project / "stories/people/yusuf-d/savonn.md").write_text("---\nrating: 4\n---\nHein.\n")
    bache = "---\ntitle: Bâche\nimages:\n  - src: x.jpg\n    alt: X\n---\n"
    (project / "stories/products/bache/index.md").write_text(bache)
    (project / "stories/products/cafe/index.md").write_text("---\ntitle: Café\nimages:\n  - src: cafe.jpg\n---\n")
    result = mkdocs(project, "build", "--strict")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    for line in (
        "stories/people/amina-k/savon.md:2: rating doit être un nombre entier de 1 à 5",
        "stories/people/yusuf-d/savonn.md:1: produit inconnu 'savonn' : pas de dossier stories/products/savonn/ "
        "(vouliez-vous dire savon ?)",
        "stories/products/cafe/index.md:4: images[1].alt est obligatoire",
        "stories/products/bache/index.md:4: images 'x.jpg' introuvable",
        "stories/people/sans-accord/index.md:1: en attente : pas encore de consentement",
    ):
        assert line in log
    assert "Traceback" not in log
    errors = [line for line in log.splitlines() if line.startswith("ERROR")]
    assert errors and all(re.match(r"ERROR   -  stories/\S+:\d+: ", line) for line in errors), errors
    assert not (project / "site").exists()


@pytest.mark.parametrize("url", ["", "people", "products", "wishlist", "donate", "press", "about"])
def test_demo_sections_build(demo_site: Path, url: str) -> None:
    assert soup(demo_site, url).h1


def test_demo_has_every_person_and_product(demo_site: Path) -> None:
    stories = ROOT / "stories"
    for kind in ("people", "products"):
        for folder in (stories / kind).iterdir():
            assert (demo_site / kind / folder.name / "index.html").is_file()


def test_a_campaign_in_arabic_reads_right_to_left(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    theme = config.read_text(encoding="utf-8").replace("  language: fr\n  font:", "  language: ar\n  font:", 1)
    config.write_text(theme, encoding="utf-8")
    assert mkdocs(project, "build").returncode == 0
    page = soup(project / "site", "products/savon")
    assert page.body["dir"] == "rtl" and page.html["lang"] == "ar"
    assert page.select_one(".vt-buybox .vt-give").get_text(strip=True).startswith("تبرّع بهذا المنتج")
    assert page.select_one("#avis-titre").get_text() == "تقييمان"  # Arabic's dual, from CLDR plural rules
    assert page.select_one(".vt-description")["lang"] == "fr"  # the stories stay French, and say so


def test_a_minimal_config_gets_section_navigation(tmp_path: Path) -> None:
    """An outside campaign's mkdocs.yml with no nav: Vitrine lists its sections, never every page."""
    project = make_project(tmp_path / "p")
    (project / "mkdocs.yml").write_text(
        "site_name: Campagne\n"
        "theme:\n  name: material\n  custom_dir: overrides\n  language: fr\n  font: false\n"
        "hooks:\n  - hooks.py\n"
        "exclude_docs: |\n  /en/\n"
        "extra:\n  campaign:\n    name: Campagne\n    organisation: Asso\n",
        encoding="utf-8",
    )
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    page = soup(project / "site", "products/savon")
    nav = [a.get_text(strip=True) for a in page.select(".md-nav--primary .md-nav__link")]
    assert nav[:6] == ["Accueil", "Témoignages", "Les produits", "Liste de besoins", "Donner", "Presse"]
    assert "À propos" in nav and "Amina K." not in nav and "Savon" not in nav
    assert page.select_one(".vt-buybox .vt-give")["href"] == "../../donate/"  # no donation link: our page


def test_unknown_keys_are_ignored_with_a_warning_and_no_is_text(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    person = project / "stories/people/yusuf-d/index.md"
    text = person.read_text(encoding="utf-8").replace("origin: Érythrée", "origin: NO\ncolour: vert")
    person.write_text(text, encoding="utf-8")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    assert "WARNING -  stories/people/yusuf-d/index.md:5: clé inconnue colour (clés connues :" in result.stderr
    assert result.stderr.count("clé inconnue colour") == 1  # once, though French and English are both built
    assert "NO" in soup(project / "site", "people/yusuf-d").select_one(".vt-facts").get_text()  # Norway, not False
    assert mkdocs(project, "build", "--strict").returncode != 0


def test_a_settings_typo_is_reported_once_at_its_own_line(tmp_path: Path) -> None:
    """The English config inherits mkdocs.yml: its mistakes are mkdocs.yml's, told once, at their line."""
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("badge:"))
    lines[at] = lines[at].replace("badge:", "badgee:")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    typo = [line for line in result.stderr.splitlines() if "badgee" in line]
    assert typo == [f"WARNING -  mkdocs.yml:{at + 1}: clé inconnue extra.campaign.badgee (vouliez-vous dire badge ?)"]
    assert (project / "site/en/products/savon/index.html").is_file()


def test_cached_images_reach_the_site_as_links_a_web_server_can_read(fixture_site: Path) -> None:
    """Images and cards are hard links to Vitrine's cache (no copy of hundreds of MB at every build),
    readable by a web server's user although the cache makes its files private."""
    for pattern in ("img/products/**/*.webp", "img/cards/**/*.jpg"):
        file = next(fixture_site.glob(pattern))
        assert file.stat().st_nlink >= 2, file
        assert file.stat().st_mode & 0o044 == 0o044, oct(file.stat().st_mode)
