"""The online editor (issue 20, item 2): ``extra.campaign.admin`` publishes the editor at site/admin/, saving
through the Git host's API from the browser.

Its front-matter code (vitrine/edit/app/front.js, run in node here) must write what the local editor's Python
writes (vitrine.edit.stories): every demo and fixture story opens and saves unchanged byte for byte, and each
kind of edit gives the same bytes as the Python code, so one changed field changes that field's line only.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES, ROOT
from tests.test_edit_stories import EVENT, PERSON, PRODUCT, STORIES, TESTIMONY, changed_lines, text_of
from vitrine.edit import stories, style

RUNNER = Path(__file__).with_name("edit_front.js")
ORDER = PERSON + PRODUCT + TESTIMONY + EVENT
BAD_STORIES = sorted((FIXTURES / "bad").glob("*/stories/**/*.md"))


def node(cases: list[dict[str, Any]]) -> list[Any]:
    done = subprocess.run(["node", str(RUNNER)], input=json.dumps(cases), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def readable(paths: list[Path]) -> list[tuple[Path, str, stories.Story]]:
    found = []
    for path in paths:
        try:
            text = text_of(path)
            story = stories.load(text)
            # .nan, .inf and numbers past 2**53: no value JSON carries to a browser, nor a form gives
            if re.search(r"\d{16}", json.dumps(story.fields, allow_nan=False)):
                continue
            found.append((path, text, story))
        except (ValueError, UnicodeDecodeError):
            continue
    return found


def edits(story: stories.Story) -> list[tuple[dict[str, Any], str]]:
    """Each kind of edit an editor makes, on this story: every key changed alone (text, number, list, removed),
    a key added, the body changed."""
    fields = style.clean(story.fields)
    out: list[tuple[dict[str, Any], str]] = []
    for key, value in fields.items():
        if isinstance(value, bool):
            new: Any = not value
        elif isinstance(value, int | float):
            new = value + 1
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            new = [{**value[0], **{k: f"{v} (2)" for k, v in value[0].items() if isinstance(v, str)}}, *value[1:]]
        elif isinstance(value, list):
            new = [*value, "autre"]
        else:
            new = f"{value} « modifié », l'été: #1"
        out.append(({**fields, key: new}, story.body))
        out.append(({k: v for k, v in fields.items() if k != key}, story.body))
    out.append(({**fields, "origin": "Ici\net là"}, story.body))
    out.append((fields, story.body + "\nUn paragraphe de plus.\n"))
    return out


ALL = readable([*STORIES, *BAD_STORIES])


def test_every_story_opens_and_saves_unchanged_in_the_browser_code() -> None:
    results = node([{"op": "load", "text": text} for _, text, _ in ALL])
    results += node(
        [{"op": "dump", "old": text, "fields": s.fields, "body": s.body, "order": ORDER} for _, text, s in ALL]
    )
    loads, dumps = results[: len(ALL)], results[len(ALL) :]
    assert len(ALL) > 150
    for (path, text, story), loaded, dumped in zip(ALL, loads, dumps, strict=True):
        assert style.same(style.clean(loaded["fields"]), style.clean(story.fields)), path
        assert loaded["body"] == story.body, path
        assert dumped == {"text": text}, path


def test_every_edit_writes_what_the_local_editor_writes() -> None:
    cases, expected = [], []
    for _, text, story in ALL:
        for fields, body in edits(story):
            cases.append({"op": "dump", "old": text, "fields": fields, "body": body, "order": ORDER})
            expected.append(stories.dump(fields, body, old=text, order=ORDER))
    got = node(cases)
    assert len(cases) > 1000
    wrong = [(c["old"], e, g) for c, e, g in zip(cases, expected, got, strict=True) if g != {"text": e}]
    assert not wrong, wrong[:2]


def test_one_changed_title_is_one_changed_line() -> None:
    old = text_of(ROOT / "stories/people/amanuel-g/chaussettes.md")
    story = stories.load(old)
    [new] = node([{"op": "dump", "old": old, "fields": {**story.fields, "title": "Chaudes"}, "body": story.body}])
    assert changed_lines(old, new["text"]) == ['-title: "Deux paires, c\'est le minimum"', '+title: "Chaudes"']


def test_a_new_story_is_written_in_the_house_style() -> None:
    fields = {"name": "Léa", "consent": "2026-01-05", "photo": "lea.jpg", "photo_alt": "Léa sourit", "lang": None}
    [new] = node([{"op": "dump", "fields": fields, "body": "Son histoire.", "order": PERSON}])
    assert new["text"] == stories.dump(fields, "Son histoire.", order=PERSON)
