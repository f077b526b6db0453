"""`vitrine edit`: its API over a real new campaign of each kind, served on 127.0.0.1, and the editor driven in
Chromium as an editor would (issue 20)."""

from __future__ import annotations

import datetime
import io
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from PIL import Image

from vitrine.build.check import check
from vitrine.cli import scaffold
from vitrine.edit.campaign import open_campaign
from vitrine.edit.server import Editor, server


def jpeg(colour: str = "orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(params=["charity", "makers"])
def campaign(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / "campagne"
    scaffold.new(root, kind=request.param, organisation="Refuge")
    return root


@pytest.fixture
def editor_url(campaign: Path) -> Iterator[str]:
    httpd = server(Editor(open_campaign(campaign), ""), ("127.0.0.1", 0))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def call(url: str, path: str, data: bytes | dict | None = None, **headers: str) -> tuple[int, dict]:
    body = json.dumps(data).encode() if isinstance(data, dict) else data
    origin = url.rstrip("/")
    request = urllib.request.Request(url + path.lstrip("/"), data=body, headers={"Origin": origin, **headers})
    try:
        with urllib.request.urlopen(request) as response:
            kind = response.headers["Content-Type"]
            raw = response.read()
            return response.status, json.loads(raw) if kind.startswith("application/json") else {"bytes": raw}
    except urllib.error.HTTPError as refused:
        raw = refused.read()
        return refused.code, json.loads(raw) if raw.startswith(b"{") else {}


def test_the_api_describes_lists_and_reads_the_campaign(campaign: Path, editor_url: str) -> None:
    status, described = call(editor_url, "api/campaign")
    assert status == 200 and described["lang"] == "fr" and described["dir"] == "ltr"
    person = described["schemas"]["person"]
    assert (
        "consent" in person["required"]
        and {"format": "date", "type": "string"} in person["properties"]["consent"]["anyOf"]
    )
    assert described["schemas"]["testimony"]["properties"]["rating" if "rating" in
           described["schemas"]["testimony"]["properties"] else "title"]  # fmt: skip
    status, listed = call(editor_url, "api/entries")
    assert status == 200 and listed["people"] and listed["products"] and listed["testimonies"]
    first = listed["people"][0]
    status, entry = call(editor_url, f"api/entry?path={first['path']}")
    assert status == 200 and entry["kind"] == "person" and entry["fields"]["name"] == first["title"]
    assert entry["page"] == f"people/{first['slug']}/"


def test_a_new_person_with_a_photo_is_written_as_the_contract_says(campaign: Path, editor_url: str) -> None:
    status, uploaded = call(editor_url, "api/upload?dir=stories/people/ana-b&name=Portrait%20d'Ana.JPEG", jpeg())
    assert status == 200 and uploaded["name"] == "portrait-d-ana.jpg"
    assert (campaign / "stories/people/ana-b/portrait-d-ana.jpg").is_file()
    fields = {"name": "Ana B.", "consent": "2026-11-02", "photo": uploaded["name"],
              "photo_alt": "Portrait d'Ana, souriante", "origin": "", "occupation": None}  # fmt: skip
    status, saved = call(editor_url, "api/entry", {"path": "stories/people/ana-b/index.md", "kind": "person",
                                                    "fields": fields, "body": "Son histoire.\n"})  # fmt: skip
    assert status == 200 and saved["saved"] and saved["page"] == "people/ana-b/"
    text = (campaign / "stories/people/ana-b/index.md").read_text(encoding="utf-8")
    assert "origin" not in text and "occupation" not in text  # empty values are no keys
    assert not [p for p in check(campaign) if p.path.startswith("stories/people/ana-b") and p.severity == "error"]
    assert not [p for p in saved["problems"] if p["path"].startswith("stories/people/ana-b")]


def test_a_saved_problem_comes_back_in_the_campaigns_language(campaign: Path, editor_url: str) -> None:
    _, listed = call(editor_url, "api/entries")
    testimony = listed["testimonies"][0]
    _, entry = call(editor_url, f"api/entry?path={testimony['path']}")
    fields = {**entry["fields"], "date": "2026-02-30"}
    status, saved = call(editor_url, "api/entry", {"path": testimony["path"], "fields": fields, "body": entry["body"]})
    assert status == 200
    mine = [p for p in saved["problems"] if p["path"] == testimony["path"]]
    assert mine and mine[0]["severity"] == "error" and "date" in mine[0]["text"]
    assert mine[0]["text"].startswith(f"{testimony['path']}:")


def test_an_unchanged_story_saves_without_a_diff(campaign: Path, editor_url: str) -> None:
    _, listed = call(editor_url, "api/entries")
    for group in ("people", "products", "testimonies"):
        for item in listed[group]:
            before = (campaign / item["path"]).read_bytes()
            _, entry = call(editor_url, f"api/entry?path={item['path']}")
            status, _ = call(editor_url, "api/entry", {"path": item["path"], "fields": entry["fields"],
                                                        "body": entry["body"]})  # fmt: skip
            assert status == 200 and (campaign / item["path"]).read_bytes() == before, item["path"]


@pytest.mark.parametrize("path", ["../mkdocs.yml", "stories/../mkdocs.yml", "/etc/passwd", "docs/index.md",
                                  "stories/people/Ana/index.md", "stories/people/ana/notes.txt"])  # fmt: skip
def test_nothing_outside_the_stories_is_read_or_written(campaign: Path, editor_url: str, path: str) -> None:
    status, refused = call(editor_url, f"api/entry?path={path}")
    assert status == 400 and "n'est pas une histoire" in refused["error"]
    status, _ = call(editor_url, "api/entry", {"path": path, "fields": {"name": "x"}, "body": ""})
    assert status == 400
    status, _ = call(editor_url, "api/upload?dir=stories/../docs&name=x.jpg", jpeg())
    assert status == 400 and not (campaign / "docs/x.jpg").exists()


def test_only_the_editors_own_page_may_change_a_story(editor_url: str) -> None:
    story = {"path": "stories/people/eve/index.md", "fields": {"name": "Eve", "consent": "2026-01-01"}, "body": ""}
    assert call(editor_url, "api/entry", story, Origin="https://evil.example")[0] == 403
    assert call(editor_url, "api/campaign", Host="evil.example:80")[0] == 403  # a rebound name
    assert call(editor_url, "api/entry", {**story, "fields": {"instagram": "x"}})[0] == 400  # no key the contract lacks


# --- the editor in Chromium, as an editor uses it --------------------------------------------------------------


def picture(folder: Path, name: str, colour: str) -> Path:
    file = folder / name
    file.write_bytes(jpeg(colour))
    return file


def test_an_editor_writes_a_campaign_in_the_browser(browser, campaign: Path, editor_url: str, tmp_path: Path) -> None:
    """A person with a photo, a product with two, a testimony (or account) linking them, an event, a title edited:
    the files are the contract's, the campaign checks clean and builds, and no request leaves 127.0.0.1."""
    makers = "kind: makers" in (campaign / "mkdocs.yml").read_text(encoding="utf-8")
    outside: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page.on(
        "request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else outside.append(r.url)
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.goto(editor_url)
    page.wait_for_selector(".entry")

    def save() -> str:
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_selector("#status.ok, #status.warn")
        return page.locator("#status").inner_text()

    page.get_by_role("button", name="Nouvel artisan" if makers else "Nouvelle personne").click()
    page.get_by_label(re.compile("^Nom")).fill("Amina Kéré")
    assert page.get_by_label(re.compile("^Adresse de la page")).input_value() == "amina-kere"
    page.get_by_label(re.compile("^Date du consentement")).fill("2026-05-02")
    page.set_input_files("#form .photo input[type=file]", str(picture(tmp_path, "Portrait Amina.JPG", "orange")))
    page.wait_for_selector("#form .photo img.thumb:not([hidden])")
    page.get_by_label(re.compile("^Description de la photo")).fill("Portrait d'Amina, souriante")
    page.get_by_label(re.compile("^Crédit photo")).fill("Studio Nord")  # the press kit's credit (v1.2)
    page.locator("#form textarea.body").fill("Amina est arrivée en 2024.")
    assert "Enregistré" in save()

    page.get_by_role("button", name="Produits", exact=True).click()
    page.get_by_role("button", name="Nouveau produit").click()
    page.get_by_label(re.compile("^Titre")).fill("Tasse émaillée")
    photos = [str(picture(tmp_path, "Tasse 1.jpg", "blue")), str(picture(tmp_path, "tasse-2.jpg", "green"))]
    page.set_input_files("#form .list[data-key=images] .adder input[type=file]", photos)
    for i, alt in enumerate(("Une tasse bleue", "Une tasse verte")):
        page.locator("#form .items.images .item").nth(i).get_by_label(re.compile("^Description de l'image")).fill(alt)
    page.locator("#form .items.images .item").nth(0).get_by_label(re.compile("^Crédit")).fill("Jeanne P.")
    page.locator("#form textarea.body").fill("Une tasse qui ne casse pas.")
    assert "Enregistré" in save()

    page.get_by_role("button", name="Récits" if makers else "Témoignages", exact=True).click()
    page.get_by_role("button", name="Nouveau récit" if makers else "Nouveau témoignage").click()
    page.get_by_label(re.compile("^(Personne|Artisan)")).select_option("amina-kere")
    page.get_by_label(re.compile("^Produit")).select_option("tasse-emaillee")
    if not makers:
        page.locator("label.star").nth(3).click()
    page.get_by_label(re.compile("^Titre")).fill("Je la garde encore")
    page.locator("#form textarea.body").fill("Elle m'a suivie partout.")
    assert "Enregistré" in save()

    page.get_by_role("button", name="Événements", exact=True).click()
    page.get_by_role("button", name="Nouvel événement").click()
    page.get_by_label(re.compile("^Titre")).fill("Marché solidaire")
    page.locator("[data-key=start] input[type=date]").fill("2027-03-14")
    page.locator("[data-key=start] input[type=time]").fill("10:00")
    page.get_by_label(re.compile("^Lieu")).fill("Salle des fêtes, Calais")
    page.locator("[data-key=people] label", has_text="Amina Kéré").click()
    assert "Enregistré" in save()

    product = next((campaign / "stories/products").glob("exemple-*/index.md"))
    before = product.read_text(encoding="utf-8").splitlines()
    page.get_by_role("button", name="Produits", exact=True).click()
    title = yaml.safe_load(product.read_text(encoding="utf-8").split("---")[1])["title"]
    page.get_by_role("button", name=re.compile("^" + re.escape(title))).click()
    page.get_by_label(re.compile("^Titre")).fill(title + " bis")
    assert "Enregistré" in save()
    page.screenshot(path=str(tmp_path / "editor.png"))
    page.close()

    after = product.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][0].startswith("title:")  # one line, nothing else
    assert yaml.safe_load(changed[0][1]) == {"title": title + " bis"}
    people = campaign / "stories/people/amina-kere"
    assert {p.name for p in people.iterdir()} == {"index.md", "portrait-amina.jpg", "tasse-emaillee.md"}
    person = yaml.safe_load((people / "index.md").read_text(encoding="utf-8").split("---")[1])
    assert person == {"name": "Amina Kéré", "consent": datetime.date(2026, 5, 2), "photo": "portrait-amina.jpg",
                      "photo_alt": "Portrait d'Amina, souriante", "photo_credit": "Studio Nord"}  # fmt: skip
    tasse = yaml.safe_load((campaign / "stories/products/tasse-emaillee/index.md").read_text().split("---")[1])
    assert tasse["title"] == "Tasse émaillée"
    assert [i["alt"] for i in tasse["images"]] == ["Une tasse bleue", "Une tasse verte"]
    assert [i.get("credit") for i in tasse["images"]] == ["Jeanne P.", None]
    assert all((campaign / "stories/products/tasse-emaillee" / i["src"]).is_file() for i in tasse["images"])
    event = yaml.safe_load((campaign / "stories/events/marche-solidaire.md").read_text().split("---")[1])
    assert event["people"] == ["amina-kere"] and event["place"] == "Salle des fêtes, Calais"
    problems = [p for p in check(campaign) if p.severity in ("error", "warning")]
    assert problems == [], [str(p) for p in problems]
    assert outside == [] and errors == []
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "vitrine", "build", str(campaign), "-d", str(site)],
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Je la garde encore" in (site / "products/tasse-emaillee/index.html").read_text(encoding="utf-8")
    assert "Amina Kéré" in (site / "people/amina-kere/index.html").read_text(encoding="utf-8")
