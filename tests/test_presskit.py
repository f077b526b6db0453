"""The press kit: press page, PDF, photo ZIP, coverage checks, embargo, local-only fetching, video on click.

Real builds of real projects (conftest.make_project); the PDF is read back with pypdf.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from tests.conftest import FIXTURES, ROOT, make_project, mkdocs, serve
from vitrine.core.i18n import Translator
from vitrine.press import presskit
from vitrine.press.pdf import local_fetcher
from vitrine.read import kit as kit_module
from vitrine.read.settings import Press

PDF = "press/ce-qui-nous-a-tenus-dossier-de-presse.pdf"
ZIP = "press/ce-qui-nous-a-tenus-photos.zip"
METADATA = (b"Exif", b"GPS", b"http://ns.adobe.com/xap", b"<x:xmpmeta", b"<?xpacket")


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def _flat(text: str) -> str:
    """PDF text without the layout: one space between words, narrow and no-break spaces included."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _campaign(**press: object) -> dict:
    campaign = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["campaign"]
    campaign["press"] = {**campaign.get("press", {}), **press}
    return campaign


@pytest.fixture(scope="module")
def pdf(fixture_site: Path) -> PdfReader:
    return PdfReader(fixture_site / PDF)


@pytest.fixture(scope="module")
def pdf_text(pdf: PdfReader) -> str:
    return _flat(" ".join(page.extract_text() for page in pdf.pages))


# --- the PDF ----------------------------------------------------------------------------------------------


def test_pdf_has_cover_contents_and_chapters(pdf: PdfReader, pdf_text: str) -> None:
    # the cover, then contents, release, figures, people, coverage, organisation, credits one after the other
    # (a short chapter on a page of its own left it half empty)
    assert len(pdf.pages) >= 4
    assert pdf.metadata.title.startswith("Dossier de presse")
    for chapter in ("Sommaire", "Communiqué de presse", "Chiffres clés", "Ils témoignent", "Ils en parlent",
                    "Contacts presse", "Crédits et droits des images"):  # fmt: skip
        assert chapter in pdf_text
    # The contents give each chapter's page number (target-counter), e.g. "Chiffres clés ....... 4"
    assert re.search(r"Chiffres clés[ .]*\d+", pdf_text)


def test_pdf_holds_the_release(pdf_text: str) -> None:
    release = (ROOT / "docs/press/release.md").read_text(encoding="utf-8")
    title = re.search(r"^#\s+(.+)", release, re.MULTILINE)[1]
    assert _flat(title) in pdf_text


def test_pdf_names_consented_people_only(pdf_text: str) -> None:
    people = FIXTURES / "good/stories/people"
    consented = [_front(p / "index.md") for p in people.iterdir() if "consent" in _front(p / "index.md")]
    assert len(consented) == 2
    for person in consented:
        assert person["name"] in pdf_text
    assert "Sans Accord" not in pdf_text


def test_pdf_key_figures_match_the_fixture(pdf_text: str) -> None:
    """Computed here from the fixture's files, not from the model."""
    stories = FIXTURES / "good/stories"
    people = [p for p in (stories / "people").iterdir() if "consent" in _front(p / "index.md")]
    testimonies = [f for p in people for f in p.glob("*.md") if f.name != "index.md"]
    products = [_front(p / "index.md") for p in (stories / "products").iterdir()]
    needed = sum(p.get("needed", 0) for p in products)
    remaining = [max(p["needed"] - p.get("collected", 0), 0) for p in products if "needed" in p]
    cost = sum(Decimal(str(p["price"])) * max(p["needed"] - p.get("collected", 0), 0) for p in products)
    t = Translator("fr")
    assert (len(people), len(testimonies), len(products), needed, cost) == (2, 4, 3, 340, Decimal("225.0"))
    figures = re.search(r"Chiffres clés (.*?) Chiffres calculés", pdf_text.split("Sommaire", 1)[1])[1]
    for value in (len(people), len(testimonies), len(products)):
        assert t.number(value) in figures.split()
    assert _flat(t("units", n=needed)) in figures
    assert _flat(t("units", n=sum(remaining))) in figures
    assert _flat(t.money(cost)) in figures


def test_pdf_embeds_its_fonts(pdf: PdfReader) -> None:
    fonts = {}
    for page in pdf.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("Noto-Sans" in name for name in fonts)


def test_pdf_shows_coverage_giving_and_credits(pdf_text: str) -> None:
    coverage = yaml.safe_load((ROOT / "docs/press/coverage.yml").read_text(encoding="utf-8"))
    for article in coverage:
        assert _flat(article["outlet"]).casefold() in pdf_text.casefold()  # printed in capitals
    assert "FR76 3000 6000 0112 3456 7890 189" in pdf_text  # the IBAN, formatted
    assert "Un pain de savon sur fond vert" in pdf_text  # a caption: the image's alt text


# --- the ZIP and the page ---------------------------------------------------------------------------------


def test_zip_holds_published_photos_without_metadata(fixture_site: Path) -> None:
    with zipfile.ZipFile(fixture_site / ZIP) as archive:
        names = archive.namelist()
        photos = [n for n in names if n.endswith(".jpg")]
        assert sorted(photos) == ["people/amina-k/portrait.jpg", "products/bache/bache.jpg", "products/cafe/cafe.jpg",
                                  "products/savon/savon-2.jpg", "products/savon/savon.jpg"]  # fmt: skip
        for name in photos:
            data = archive.read(name)
            assert not any(marker in data for marker in METADATA), name
            with Image.open(io.BytesIO(data)) as image:
                assert image.format == "JPEG"
                assert not image.getexif() and not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
        credits = archive.read("CREDITS.txt").decode()
    assert "Un pain de savon sur fond vert" in credits and "Amina K." in credits


def test_press_page_links_the_files_with_their_sizes(fixture_site: Path) -> None:
    html = (fixture_site / "press/index.html").read_text(encoding="utf-8")
    t = Translator("fr")
    hrefs = {urljoin("https://site/press/", a["href"]) for a in BeautifulSoup(html, "html.parser").select("a[href]")}
    for path, key in ((PDF, "pdf-fr"), (ZIP, "zip")):
        assert f"https://site/{path}" in hrefs
        size = presskit.format_size((fixture_site / path).stat().st_size, t)
        assert f'data-vt-size="{key}">{size}</span>' in html
    assert "Ils en parlent" in html and "La Gazette des Dunes" in html
    assert "Amina K." in html and "Sans Accord" not in html
    release_title = re.search(r"^#\s+(.+)", (ROOT / "docs/press/release.md").read_text(encoding="utf-8"), re.MULTILINE)[
        1
    ]
    assert release_title.replace("'", "&#39;").split(":")[0].strip() in html


def test_release_is_a_page_and_coverage_is_not(fixture_site: Path) -> None:
    """The release's source is no page of its own; the release is, at a stable address, with its plain text."""
    assert not (fixture_site / "press/release.html").exists() and not (fixture_site / "press/release.md").exists()
    assert not (fixture_site / "press/coverage.yml").exists()
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/press/release/</loc>" in sitemap
    assert "/en/press/release/</loc>" in (fixture_site / "en/sitemap.xml").read_text(encoding="utf-8")
    page = BeautifulSoup((fixture_site / "press/release/index.html").read_text(encoding="utf-8"), "html.parser")
    release = (ROOT / "docs/press/release.md").read_text(encoding="utf-8")
    title = re.search(r"^#\s+(.+)$", release, re.MULTILINE)[1]
    assert _flat(page.h1.get_text()) == _flat(title)
    assert page.select_one("time[datetime='2026-11-16']").get_text() == "Communiqué du 16 novembre 2026"
    assert "Claire M." in page.get_text() and "Des avis qui ne ressemblent" in page.get_text()
    text = (fixture_site / "press/release.txt").read_text(encoding="utf-8")
    assert text.startswith(_flat(title) + "\nCommuniqué du 16 novembre 2026\n\n")
    assert "<" not in text.replace("<https://", "") and "**" not in text  # plain text, no markup
    assert "\nDes avis qui ne ressemblent à aucun autre\n" in text and "presse@refuge-du-littoral.example.org" in text
    press = BeautifulSoup((fixture_site / "press/index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in press.select(".vt-press-date a")}
    assert links == {"release/", "release.txt", "ce-qui-nous-a-tenus-communique.pdf"}
    english = (fixture_site / "en/press/release.txt").read_text(encoding="utf-8")
    assert "\nRelease dated November 16, 2026\n" in english


def test_demo_press_kit_is_small(demo_site: Path) -> None:
    assert (demo_site / PDF).stat().st_size < 10_000_000
    assert len(PdfReader(demo_site / PDF).pages) >= 8


# --- local files only -------------------------------------------------------------------------------------


def test_fetcher_refuses_the_network_and_foreign_files(tmp_path: Path) -> None:
    inside = tmp_path / "ok.css"
    inside.write_text("p {}")
    fetcher = local_fetcher([tmp_path])
    for url in ("https://example.org/x.png", "http://127.0.0.1:1/x.png", "ftp://example.org/x", "//example.org/x",
                (ROOT / "pyproject.toml").as_uri(), f"{tmp_path.as_uri()}/../../etc/passwd"):  # fmt: skip
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch(inside.as_uri()).read() == b"p {}"  # a file inside the roots is read
    assert fetcher.fetch("data:text/plain,ok")


def test_sizes_are_formatted_for_the_reader() -> None:
    assert _flat(presskit.format_size(2_345_678, Translator("fr"))) == "2,3 Mo"
    assert _flat(presskit.format_size(2_345_678, Translator("en"))) == "2.3 MB"
    assert _flat(presskit.format_size(56_000, Translator("fr"))) == "56 ko"


# --- coverage.yml checks ----------------------------------------------------------------------------------

BAD_COVERAGE = """\
- outlet: La Gazette des Dunes
  date: 2026-11-12
  title: Un titre
  url: https://example.org/a
- outlet: Radio Estran
  date: 2026-02-30
  title: Un autre
  url: http://example.org/b
- outlet: Sans titre
  date: 2026-11-01
  url: https://example.org/c
  extra: oops
"""


def test_coverage_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "coverage.yml"
    path.write_text(BAD_COVERAGE, encoding="utf-8")
    articles, problems = kit_module.read_coverage(path, "docs/press/coverage.yml")
    messages = sorted(str(p) for p in problems)
    assert [a.outlet for a in articles] == ["La Gazette des Dunes"]
    assert any(m.startswith("docs/press/coverage.yml:6: coverage[2].date") for m in messages), messages
    assert any(m.startswith("docs/press/coverage.yml:8: coverage[2].url") for m in messages), messages
    assert any(m.startswith("docs/press/coverage.yml:9: coverage[3].title is required") for m in messages), messages
    assert any(m.startswith("docs/press/coverage.yml:12: unknown key coverage[3].extra") for m in messages), messages
    label = "docs/press/coverage.yml"
    path.write_text("- outlet: x\n  title: [unclosed\n", encoding="utf-8")
    assert re.match(rf"{label}:[23]: ", str(kit_module.read_coverage(path, label)[1][0]))
    path.write_text("outlet: x\n", encoding="utf-8")
    assert str(kit_module.read_coverage(path, label)[1][0]).startswith(f"{label}:1: must be a list")


def test_bad_coverage_fails_the_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "bad")
    (project / "docs/press/coverage.yml").write_text(BAD_COVERAGE, encoding="utf-8")
    result = mkdocs(project, "build")
    assert result.returncode != 0
    assert "docs/press/coverage.yml:8: coverage[2].url" in result.stderr
    assert "Traceback" not in result.stderr


def test_video_must_be_https_or_a_file() -> None:
    with pytest.raises(ValueError):
        Press(video="http://video.example.net/42")
    with pytest.raises(ValueError):
        Press(video="javascript:alert(1)")


# --- embargo and video ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embargoed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Before the embargo, not to be published; with an external video and its local poster."""
    project = make_project(tmp_path_factory.mktemp("embargo"), campaign=_campaign(
        embargo="2999-01-01", publish_before_embargo=False, video="https://video.example.net/embed/42",
        video_poster="press/poster.jpg"))  # fmt: skip
    Image.new("RGB", (640, 360), (180, 70, 27)).save(project / "docs/press/poster.jpg")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site", result.stderr


def test_embargo_holds_the_kit_back_with_a_notice(embargoed: tuple[Path, str]) -> None:
    site, log = embargoed
    assert "INFO    -  mkdocs.yml: en attente : sous embargo, le PDF, les photos et le communiqué sont " \
           "retirés du site (jusqu'au 2999-01-01)" in log  # fmt: skip
    assert not (site / PDF).exists() and not (site / ZIP).exists()
    html = (site / "press/index.html").read_text(encoding="utf-8")
    assert "Sous embargo jusqu" in html and "1 janvier 2999" in html
    assert "Des avis qui ne ressemblent" not in html  # the release's text stays out


@pytest.mark.parametrize("published", [True, False])
def test_an_embargo_never_fails_a_strict_build(tmp_path: Path, published: bool) -> None:
    """An embargo is a hold (or, when the kit is published before it, a notice): never a reason not to publish."""
    project = make_project(tmp_path / "strict", campaign=_campaign(embargo="2999-01-01",
                                                                   publish_before_embargo=published))  # fmt: skip
    config = project / "mkdocs.yml"  # the date as people write it, unquoted (YAML 1.1 reads it as a date)
    config.write_text(config.read_text().replace("embargo: '2999-01-01'", "embargo: 2999-01-01"))
    shutil.rmtree(project / "stories/people/sans-accord")  # the fixture's other hold: this test is the embargo's
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    said = "sous embargo jusqu'au 2999-01-01" if published else "(jusqu'au 2999-01-01)"
    assert said in result.stderr
    assert "le site change de lui-même le 1 janvier 2999 (l'embargo presse est levé)" in result.stderr


def test_kit_published_before_embargo_when_allowed(tmp_path: Path) -> None:
    (tmp_path / "press").mkdir()
    (tmp_path / "press/release.md").write_text("# Titre\n\nTexte.\n", encoding="utf-8")
    (tmp_path / "press/release.en.md").write_text("# Title\n\nText.\n", encoding="utf-8")
    press = Press(embargo="2026-12-01")
    kit, problems = kit_module.read_kit(tmp_path, "docs", press, "Ma campagne", "fr", lambda md: md,
                                        today=date(2026, 11, 30))  # fmt: skip
    assert kit.published and kit.embargoed and [p.severity for p in problems] == ["notice"]
    assert kit.langs == ("fr", "en") and kit.pdf_name("en") == "press/ma-campagne-press-kit.pdf"
    assert kit.release("fr").title == "Titre"
    kit, problems = kit_module.read_kit(tmp_path, "docs", press, "x", "fr", str, today=date(2026, 12, 1))
    assert kit.published and not kit.embargoed and not problems


def test_external_video_loads_only_after_a_click(embargoed: tuple[Path, str], browser) -> None:
    site, _ = embargoed
    requests: list[str] = []
    page = browser.new_page()
    page.route("https://video.example.net/**", lambda route: (requests.append(route.request.url), route.abort()))
    for base in serve(site):
        page.goto(base + "press/")
        assert page.locator("iframe").count() == 0
        assert page.locator(".vt-video__poster").is_visible()
        page.wait_for_timeout(300)
        assert requests == []
        page.get_by_role("button", name="Lire la vidéo").click()
        assert page.locator("iframe").get_attribute("src") == "https://video.example.net/embed/42"
        page.wait_for_timeout(300)
        assert requests and requests[0].startswith("https://video.example.net/embed/42")
    page.close()


def test_pdf_is_laid_out_again_only_when_what_it_shows_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    kept = project / ".cache/vitrine/pdf"
    assert mkdocs(project, "build").returncode == 0
    first = (project / "site" / PDF).read_bytes()
    laid_out = set(kept.glob("*.pdf"))  # one per language
    assert laid_out
    assert mkdocs(project, "build").returncode == 0
    assert (project / "site" / PDF).read_bytes() == first  # copied from the cache, not laid out again
    assert set(kept.glob("*.pdf")) == laid_out
    story = project / "stories/people/amina-k/savon.md"
    story.write_text(story.read_text(encoding="utf-8").replace("redevenir quelqu'un", "exister"), encoding="utf-8")
    assert mkdocs(project, "build").returncode == 0
    again = set(kept.glob("*.pdf"))  # the French kit laid out again; the one it replaced left the cache (sweep)
    assert len(again) == len(laid_out) and again != laid_out
    assert "exister" in _flat("".join(p.extract_text() for p in PdfReader(project / "site" / PDF).pages))


def test_the_english_site_links_the_same_photo_zip_instead_of_a_copy(fixture_site: Path) -> None:
    page = BeautifulSoup((fixture_site / "en/press/index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one('a[href$=".zip"]')["href"]
    assert (fixture_site / "en/press" / link).resolve() == (fixture_site / "press/ce-qui-nous-a-tenus-photos.zip")
    assert not list((fixture_site / "en").rglob("*.zip"))


# --- issue 22: first things first, a credit per picture, print-size originals, an accessible PDF -------------

ZIP_WEB = "press/ce-qui-nous-a-tenus-photos-web.zip"
RELEASE_PDF = "press/ce-qui-nous-a-tenus-communique.pdf"
EPOCH, OTHER_EPOCH = "1796083200", "1796688000"  # 2026-12-01 and 2026-12-08: the release's date is 2026-11-16
RELEASE_DAY = (2026, 11, 16, 0, 0, 0)


def _kitted_build(project: Path, epoch: str, clear: bool = True) -> None:
    shutil.rmtree(project / "site", ignore_errors=True)
    for kept in ("pdf", "kit") if clear else ():  # laid out and zipped again: the cache must not make builds alike
        shutil.rmtree(project / ".cache/vitrine" / kept, ignore_errors=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                                         "SOURCE_DATE_EPOCH": epoch})  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def kitted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture campaign with per-picture credits, a 4000×3000 photo shot sideways (EXIF orientation, GPS) and
    an embargo published with its mention, built strictly (without the person who has not consented)."""
    project = make_project(tmp_path_factory.mktemp("kitted"), campaign=_campaign(embargo="2999-01-01"))
    shutil.rmtree(project / "stories/people/sans-accord")
    savon = project / "stories/products/savon/index.md"
    savon.write_text(savon.read_text(encoding="utf-8").replace(
        "    alt: Un pain de savon sur fond vert\n", "    alt: Un pain de savon sur fond vert\n    credit: Jeanne P.\n",
        1), encoding="utf-8")  # fmt: skip
    amina = project / "stories/people/amina-k/index.md"
    amina.write_text(amina.read_text(encoding="utf-8").replace("origin:", "photo_credit: Studio Nord\norigin:", 1),
                     encoding="utf-8")  # fmt: skip
    exif = Image.Exif()
    exif[0x0112] = 6  # turned: shown upright only once rotated a quarter turn
    exif[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}  # where it was taken: must not leave the machine
    Image.new("RGB", (4000, 3000), (40, 90, 160)).save(project / "stories/products/bache/bache.jpg", exif=exif)
    assert "credit: Jeanne P." in savon.read_text(encoding="utf-8")
    _kitted_build(project, EPOCH)
    return project


def test_release_date_comes_from_its_front_matter(tmp_path: Path) -> None:
    (tmp_path / "press").mkdir()
    release = tmp_path / "press/release.md"
    release.write_text("---\ndate: 2026-11-16\n---\n\n# Titre\n\nTexte.\n", encoding="utf-8")
    kit, problems = kit_module.read_kit(tmp_path, "docs", Press(), "x", "fr", lambda md: md, today=date(2027, 1, 5))
    assert not problems and kit.release("fr").title == "Titre" and kit.dated("fr") == date(2026, 11, 16)
    release.write_text("---\n\ndate: 16/11/2026\n---\n# Titre\n", encoding="utf-8")
    kit, problems = kit_module.read_kit(tmp_path, "docs", Press(), "x", "fr", lambda md: md, today=date(2027, 1, 5))
    assert [(p.path, p.line, p.severity) for p in problems] == [("docs/press/release.md", 3, "error")]
    assert "date" in str(problems[0].message)
    release.write_text("# Titre\n\nTexte.\n", encoding="utf-8")  # no date: the build's
    kit, problems = kit_module.read_kit(tmp_path, "docs", Press(), "x", "fr", lambda md: md, today=date(2027, 1, 5))
    assert not problems and kit.dated("fr") == date(2027, 1, 5)


def test_first_things_come_first_on_the_press_page(kitted: Path, browser) -> None:
    """Date, embargo, downloads with their sizes and contacts are on the first screen, on a phone too."""
    site = kitted / "site"
    for base in serve(site):
        for width in (1280, 360):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(base + "press/")
            for selector in (".vt-press-date", ".vt-embargo", ".vt-press-downloads", ".vt-press-contacts"):
                box = page.locator(selector).bounding_box()
                assert box and box["y"] + box["height"] <= 800, (width, selector, box)
            first = page.locator(".vt-press-first").inner_text()
            page.close()
            assert "Communiqué du 16 novembre 2026" in first
            assert "Embargo : ne pas publier avant le mardi 1 janvier 2999, 00:00 (Europe/Paris)" in first
            assert "Claire M." in first and "presse@refuge-du-littoral.example.org" in first
            t = Translator("fr")
            for name in (PDF, ZIP, ZIP_WEB):
                assert _flat(presskit.format_size((site / name).stat().st_size, t)) in _flat(first), name


def test_each_picture_has_its_credit(kitted: Path) -> None:
    site = kitted / "site"
    campaign = _campaign()["press"]["credits"]
    with zipfile.ZipFile(site / ZIP) as archive:
        lines = archive.read("CREDITS.txt").decode().splitlines()
        table = list(csv.reader(io.StringIO(archive.read("CREDITS.csv").decode("utf-8-sig"))))
    by_file = {line.split()[0]: line for line in lines if line.endswith(".jpg") or ".jpg " in line}
    assert by_file["products/savon/savon.jpg"].endswith("— Photo : Jeanne P.")
    assert by_file["people/amina-k/portrait.jpg"].endswith("— Photo : Studio Nord")
    assert by_file["products/cafe/cafe.jpg"].endswith(f"— Photo : {campaign}")  # the campaign's credits
    assert table[0] == ["fichier", "légende", "page", "crédit"]
    rows = {row[0]: row for row in table[1:]}
    assert rows["products/savon/savon.jpg"] == ["products/savon/savon.jpg", "Un pain de savon sur fond vert", "Savon",
                                                "Jeanne P."]  # fmt: skip
    assert rows["products/cafe/cafe.jpg"][3] == campaign and len(rows) == 5
    text = _flat(" ".join(page.extract_text() for page in PdfReader(site / PDF).pages))
    assert "Photo : Jeanne P." in text and "Photo : Studio Nord" in text
    captions = BeautifulSoup((site / "press/index.html").read_text(encoding="utf-8"), "html.parser")
    shown = [_flat(li.get_text()) for li in captions.select(".vt-captions li")]
    assert "Un pain de savon sur fond vert (Savon) · Photo : Jeanne P." in shown


def test_zip_holds_print_size_originals_and_the_release(kitted: Path) -> None:
    site = kitted / "site"
    with zipfile.ZipFile(site / ZIP) as archive, zipfile.ZipFile(site / ZIP_WEB) as web:
        names = archive.namelist()
        assert names == sorted(names) and web.namelist() == names
        assert {"CREDITS.txt", "CREDITS.csv", "communique-fr.txt", "communique-fr.pdf"} <= set(names)
        assert archive.read("communique-fr.pdf") == (site / RELEASE_PDF).read_bytes()
        assert {info.date_time for info in archive.infolist()} == {RELEASE_DAY}  # the release's date, every file
        original, light = archive.read("products/bache/bache.jpg"), web.read("products/bache/bache.jpg")
        release = archive.read("communique-fr.txt").decode()
    assert not any(marker in original for marker in METADATA)
    with Image.open(io.BytesIO(original)) as image:
        assert image.size == (3000, 4000) and not image.getexif()  # its original size, upright
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
    with Image.open(io.BytesIO(light)) as image:
        assert image.width <= presskit.WEB_WIDTH
    assert (site / ZIP_WEB).stat().st_size < (site / ZIP).stat().st_size
    assert release == (site / "press/release.txt").read_text(encoding="utf-8")
    assert "Embargo : ne pas publier avant le mardi 1 janvier 2999, 00:00 (Europe/Paris)" in release


def test_two_builds_of_the_same_content_give_the_same_bytes(kitted: Path) -> None:
    """Another day (SOURCE_DATE_EPOCH), the same release's date: the same PDF and ZIPs, byte for byte."""
    files = (PDF, RELEASE_PDF, ZIP, ZIP_WEB, "press/release.txt")
    before = {name: (kitted / "site" / name).read_bytes() for name in files}
    _kitted_build(kitted, OTHER_EPOCH)
    try:
        for name in files:
            assert (kitted / "site" / name).read_bytes() == before[name], name
    finally:
        _kitted_build(kitted, EPOCH)  # as the other tests of the module expect it


def _structure(node: object, found: list[dict]) -> None:
    """Every structure element under ``node`` (pypdf objects), depth first: the reading order."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _structure(child, found)
    elif isinstance(node, dict) and "/S" in node:
        found.append(node)
        _structure(node.get("/K", []), found)


def check_pdf_ua(path: Path) -> list[str]:
    """The checks of PDF/UA-1 (ISO 14289-1) a document's structure can show, read with pypdf (veraPDF, the
    reference checker, is Java from outside the package registries this project reaches): tagged and marked,
    its language and title, the title shown, every image a Figure with alternate text, and the XMP's claim."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    problems = []
    if not root.get("/MarkInfo", {}).get("/Marked"):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    if not str(root.get("/Lang", "")):
        problems.append("no document language (/Lang)")
    if not (reader.metadata and reader.metadata.title):
        problems.append("no title")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        problems.append("the title is not shown (/DisplayDocTitle)")
    if "/Metadata" not in root or b"pdfuaid:part" not in root["/Metadata"].get_object().get_data():
        problems.append("the XMP metadata do not claim PDF/UA")
    if "/StructTreeRoot" not in root:
        return [*problems, "no structure tree"]
    elements: list[dict] = []
    _structure(root["/StructTreeRoot"].get_object().get("/K"), elements)
    figures = [e for e in elements if e["/S"] == "/Figure"]
    problems += [f"a Figure without alternate text on page {n}" for n, e in enumerate(figures) if not e.get("/Alt")]
    images = {ref.idnum for page in reader.pages  # each image once, however many pages' resources name it
              for ref in page["/Resources"].get("/XObject", {}).get_object().values()
              if ref.get_object().get("/Subtype") == "/Image"}  # fmt: skip
    if len(figures) < len(images):
        problems.append(f"{len(images)} images but {len(figures)} Figures")
    if not any(e["/S"] == "/H1" for e in elements) or not any(e["/S"] == "/P" for e in elements):
        problems.append("no headings or paragraphs in the structure")
    return problems


def test_pdf_is_tagged_for_screen_readers(kitted: Path, fixture_site: Path) -> None:
    for pdf_path in (
        kitted / "site" / PDF,
        kitted / "site" / RELEASE_PDF,
        fixture_site / PDF,
        fixture_site / "en/press/what-kept-us-going-press-kit.pdf",
    ):
        assert check_pdf_ua(pdf_path) == [], pdf_path
    reader = PdfReader(kitted / "site" / PDF)
    assert str(reader.trailer["/Root"]["/Lang"]) == "fr"
    elements: list[dict] = []
    _structure(reader.trailer["/Root"]["/StructTreeRoot"].get_object().get("/K"), elements)
    alts = {str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"}
    assert "Un pain de savon sur fond vert" in alts  # the image's own alt text, not a placeholder


def test_pdf_first_page_says_who_when_and_what_to_download(kitted: Path) -> None:
    reader = PdfReader(kitted / "site" / PDF)
    first = _flat(reader.pages[0].extract_text())
    t = Translator("fr")
    assert "Communiqué du 16 novembre 2026" in first
    assert "Embargo : ne pas publier avant le mardi 1 janvier 2999, 00:00 (Europe/Paris)" in first
    assert "Claire M." in first and "presse@refuge-du-littoral.example.org" in first
    for name in (ZIP, ZIP_WEB):
        assert _flat(presskit.format_size((kitted / "site" / name).stat().st_size, t)) in first, name


def test_pdf_captions_are_readable_at_100_percent(kitted: Path) -> None:
    """A caption's words are drawn at 9 pt at least (font size × the text and user space matrices' scale)."""
    sizes: dict[str, float] = {}

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = size * abs(tm[3]) * abs(cm[3])

    for page in PdfReader(kitted / "site" / PDF).pages[-3:]:
        page.extract_text(visitor_text=visit)
    caption = [size for text, size in sizes.items() if "Un pain de savon sur fond vert" in text]
    assert caption and min(caption) >= 9 - 0.01, caption
    assert min(size for text, size in sizes.items() if text.startswith("Photo :")) >= 9 - 0.01


def test_the_checker_finds_an_untagged_pdf(tmp_path: Path) -> None:
    """The checker above is not a formality: WeasyPrint's default output, untagged, fails it."""
    from vitrine.press.pdf import weasyprint

    out = tmp_path / "plain.pdf"
    weasyprint().HTML(string="<html><body><h1>Titre</h1><p>Texte.</p></body></html>").write_pdf(out)
    problems = check_pdf_ua(out)
    assert "not marked as tagged (/MarkInfo /Marked)" in problems and "no structure tree" in problems


def test_zip_is_made_again_only_when_its_content_changes(kitted: Path) -> None:
    """The originals are not encoded again at every build: a ZIP of the same content stays as it was."""
    kept = kitted / ".cache/vitrine/kit/main" / ZIP
    before = kept.stat()
    _kitted_build(kitted, EPOCH, clear=False)
    assert kept.stat().st_ino == before.st_ino and kept.stat().st_mtime_ns == before.st_mtime_ns
    savon = kitted / "stories/products/savon/index.md"
    text = savon.read_text(encoding="utf-8")
    savon.write_text(text.replace("credit: Jeanne P.", "credit: Jeanne Q."), encoding="utf-8")
    try:
        _kitted_build(kitted, EPOCH, clear=False)
        with zipfile.ZipFile(kitted / "site" / ZIP) as archive:
            assert "Photo : Jeanne Q." in archive.read("CREDITS.txt").decode()
    finally:
        savon.write_text(text, encoding="utf-8")
