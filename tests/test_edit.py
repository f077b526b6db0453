"""`vitrine edit`: its API over a real new campaign of each kind, served on 127.0.0.1, and the editor driven in
Chromium as an editor would (issue 20)."""

from __future__ import annotations

import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
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
