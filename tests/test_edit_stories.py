"""The editor's story files (issue 20): files stay the editors' own. A story read and written back is the same
bytes; one changed field changes that field's lines and nothing else; a new story is one Vitrine accepts."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, make_project
from vitrine.build.check import check
from vitrine.core.errors import Severity
from vitrine.edit.stories import Story, dump, load

# The contract's key orders (CONTENT.md's tables), as the editor passes them
PERSON = ("name", "consent", "photo", "photo_alt", "origin", "occupation", "lang", "consent_until", "withhold")
PRODUCT = ("title", "images", "category", "needed", "collected", "price", "donate", "priority")
TESTIMONY = ("rating", "title", "date", "featured", "person", "product", "lang")
EVENT = ("title", "start", "end", "place", "address", "url", "people")

STORIES = sorted(
    path
    for folder in (ROOT / "stories", ROOT / "examples" / "makers" / "stories", FIXTURES / "good" / "stories")
    for path in folder.rglob("*.md")
)


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # not read_text: it would turn CRLF into LF


def changed_lines(old: str, new: str) -> list[str]:
    """The lines that differ between two texts, old ones with "-", new ones with "+"."""
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.mark.parametrize("path", STORIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_story_round_trips_byte_for_byte(path: Path) -> None:
    text = text_of(path)
    story = load(text)
    assert dump(story.fields, story.body, old=text, order=PERSON + PRODUCT + EVENT) == text


@pytest.mark.parametrize(
    ("story", "key", "value", "expected"),
    [
        (
            "stories/people/amanuel-g/index.md",
            "name",
            "Amanuel Gebre",
            ['-name: "Amanuel G."', '+name: "Amanuel Gebre"'],
        ),
        ("stories/products/gants/index.md", "price", 4.5, ["-price: 4", "+price: 4.5"]),
        (
            "stories/people/amanuel-g/chaussettes.md",
            "title",
            'Deux "paires"',
            ['-title: "Deux paires, c\'est le minimum"', '+title: "Deux \\"paires\\""'],
        ),
        (
            "examples/makers/stories/events/atelier-decouverte-ceramique.md",
            "place",
            "Terre de Four",
            ['-place: "Terre de Four, Saint-Quentin-la-Poterie"', '+place: "Terre de Four"'],
        ),
    ],
)
def test_one_changed_field_changes_its_line_only(story: str, key: str, value: Any, expected: list[str]) -> None:
    old = text_of(ROOT / story)
    before = load(old)
    new = dump({**before.fields, key: value}, before.body, old=old)
    assert changed_lines(old, new) == expected
    assert load(new) == Story(fields={**before.fields, key: value}, body=before.body)


def test_an_images_alt_changes_its_line_only() -> None:
    old = text_of(ROOT / "stories/products/gants/index.md")
    before = load(old)
    images = [dict(image) for image in before.fields["images"]]
    images[1]["alt"] = "Deux gants: violets"
    new = dump({**before.fields, "images": images}, before.body, old=old, order=PRODUCT)
    assert changed_lines(old, new) == [
        '-    alt: "Illustration : une paire de gants violets et un flocon de neige, sur fond lavande"',
        '+    alt: "Deux gants: violets"',
    ]
    assert load(new).fields["images"] == images


def test_a_changed_body_keeps_the_front_matter_and_its_blank_line() -> None:
    old = text_of(ROOT / "stories/products/gants/index.md")
    before = load(old)
    new = dump(before.fields, "Autre texte.\n", old=old)
    assert new == old[: old.index("---\n", 4) + 4] + "\nAutre texte.\n"


def test_removing_and_adding_keys() -> None:
    old = text_of(ROOT / "stories/products/gants/index.md")
    before = load(old)
    fields = {**before.fields, "collected": None, "priority": 3, "donate": "https://example.org/gants"}
    new = dump(fields, before.body, old=old, order=PRODUCT)
    assert changed_lines(old, new) == [
        "-collected: 150",
        '+donate: "https://example.org/gants"',
        "+priority: 3",
    ]
    assert new.index("price: 4\ndonate:") > 0  # appended at the end, in the contract's order
    assert load(new).fields == {k: v for k, v in fields.items() if v is not None}
    # "" and [] are no key either
    assert "category" not in load(dump({**before.fields, "category": ""}, before.body, old=old)).fields
    assert "images" not in load(dump({**before.fields, "images": []}, before.body, old=old)).fields


def test_an_address_of_several_lines_is_a_literal_block() -> None:
    old = text_of(ROOT / "examples/makers/stories/events/atelier-decouverte-ceramique.md")
    before = load(old)
    assert before.fields["address"] == "Terre de Four\n3 rue des Potiers\n30700 Saint-Quentin-la-Poterie"
    address = "Terre de Four\n5 rue des Potiers\n30700 Saint-Quentin-la-Poterie"
    new = dump({**before.fields, "address": address}, before.body, old=old)
    assert changed_lines(old, new) == ["-  3 rue des Potiers", "+  5 rue des Potiers"]
    added = dump({"title": "Foire", "address": "1 place\nNîmes"}, "", order=EVENT)
    assert added == '---\ntitle: "Foire"\naddress: |-\n  1 place\n  Nîmes\n---\n'
    assert load(added).fields["address"] == "1 place\nNîmes"


def test_comments_and_the_modeline_stay() -> None:
    old = (
        "---\n# yaml-language-server: $schema=../../../schemas/person.json\n"
        "name: 'Lina'  # as she signs\n\n# her consent form\nconsent: 2026-03-14\n---\n\nHello.\n"
    )
    new = dump({"name": "Lina K.", "consent": "2026-03-14", "origin": "Syrie"}, "Hello.\n", old=old, order=PERSON)
    assert changed_lines(old, new) == [
        "-name: 'Lina'  # as she signs",
        '+name: "Lina K."  # as she signs',
        '+origin: "Syrie"',
    ]


@pytest.mark.parametrize(
    "value",
    ['Il a dit "oui"', "C:\\dossier\\", "Titre : sous-titre", "- pas une liste", "#1 # pas un commentaire",
     "Éthiopie 🇪🇹 — ✓", "ligne 1\nligne 2\n", "  espaces\n\nautour  ", "tab\there\x07", "2026-02-30", "true",
     "1.5", "null", " ", "a\u2028b", "[x]", "{y}", "'q'", "\n", "fin\n\n"],
)  # fmt: skip
def test_any_text_round_trips(value: str) -> None:
    fields = {"title": "x", "other": value, "list": [value, "b"], "items": [{"alt": value}]}
    assert load(dump(fields, "Body.\n")).fields == fields
    old = dump({"title": "x", "other": "y", "list": ["a", "b"], "items": [{"alt": "z"}]}, "Body.\n")
    assert load(dump(fields, "Body.\n", old=old)).fields == fields


def test_values_of_every_type_round_trip() -> None:
    fields = {"rating": 5, "price": 1.5, "featured": True, "gone": False, "date": "2026-01-11",
              "start": "2027-01-23 14:00", "nested": {"a": [1, {"b": "c"}]}, "list": [["x", "y"], "z"]}  # fmt: skip
    text = dump(fields, "Body.\n", order=TESTIMONY)
    assert text.startswith("---\nrating: 5\ndate: 2026-01-11\nfeatured: true\n")
    assert "start: 2027-01-23 14:00\n" in text
    assert load(text) == Story(fields=fields, body="Body.\n")


def test_crlf_and_byte_order_mark_stay() -> None:
    old = text_of(FIXTURES / "bad/byte-order-mark-and-crlf/stories/people/yusuf-d/savon.md")
    assert old.startswith("\ufeff---\r\n")
    before = load(old)
    assert before.fields == {"rating": 3, "title": "Utile"} and before.body == "Il manquait.\n"
    new = dump({**before.fields, "title": "Très utile", "date": "2026-05-01"}, "Il manquait.\nMerci.\n", old=old)
    assert (
        new
        == '\ufeff---\r\nrating: 3\r\ntitle: "Très utile"\r\ndate: 2026-05-01\r\n---\r\n\r\nIl manquait.\r\nMerci.\r\n'
    )


def test_front_matter_that_is_not_a_mapping_is_refused() -> None:
    for text in ("no front matter\n", "---\ntitle: x\n", "---\n- a\n---\n", "---\ntitle: [x\n---\n"):
        with pytest.raises(ValueError, match=r"\w"):
            load(text)


def test_new_stories_pass_vitrines_checker(tmp_path: Path) -> None:
    root = make_project(tmp_path / "campaign")
    stories = root / "stories"
    new = {
        "people/lina-k/index.md": dump({"name": "Lina K.", "consent": "2026-01-02", "origin": "Syrie", "photo": None},
                                       "Lina a grandi à Alep.\n", order=PERSON),
        "products/thermos/index.md": dump(
            {"title": "Thermos", "price": 12.5, "needed": 30, "category": "Cuisine",
             "images": [{"src": "thermos.jpg", "alt": "Un thermos : bleu"}, {"src": "thermos-2.jpg", "alt": "Deux"}]},
            "Garde le thé chaud.", order=PRODUCT),
        "people/lina-k/thermos.md": dump({"rating": 5, "title": 'Le "meilleur"', "date": "2026-02-03",
                                          "featured": True}, "Indispensable.\n", order=TESTIMONY),
        "events/foire.md": dump({"title": "Foire", "start": "2027-03-14 10:00", "end": "2027-03-14 18:00",
                                 "place": "Halle, Nîmes", "address": "1 place du Marché\n30000 Nîmes",
                                 "people": ["lina-k"]}, "Venez nombreux.\n", order=EVENT),
    }  # fmt: skip
    for name, text in new.items():
        (stories / name).parent.mkdir(parents=True, exist_ok=True)
        (stories / name).write_text(text, encoding="utf-8")
    image = next((ROOT / "stories/products/gants").glob("*.jpg"))
    for name in ("thermos.jpg", "thermos-2.jpg"):
        shutil.copy(image, stories / "products/thermos" / name)
    problems = [p for p in check(root) if p.severity in (Severity.ERROR, Severity.WARNING)]
    assert not [p for p in problems if any(p.path.endswith(name) for name in new)], problems
