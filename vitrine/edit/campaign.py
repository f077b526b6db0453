"""What the editor knows of one campaign: its kind, languages and stories, and where each story's file lies.

Paths are the contract's (``stories/people/<person>/index.md``…), relative to the campaign's folder, and every
path the browser sends is checked against them here before anything is read or written: the editor never
reaches outside the stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from vitrine.build.admin import SCHEMAS, TRANSLATIONS
from vitrine.core.errors import Msg, msg
from vitrine.core.i18n import CAMPAIGN_LOCALES, Translator, editor_language
from vitrine.core.slugs import SLUG, TRANSLATION
from vitrine.read import json_schemas
from vitrine.read.project import read_project

IMAGES = (".jpg", ".jpeg", ".png", ".webp")
PATTERNS = {  # each kind's file, in the contract's folders
    "person": re.compile(r"people/(?P<slug>[^/]+)/index\.md"),
    "product": re.compile(r"products/(?P<slug>[^/]+)/index\.md"),
    "testimony": re.compile(r"people/(?P<person>[^/]+)/(?P<product>[^/.]+)\.md"),
    "event": re.compile(r"events/(?P<slug>[^/.]+)\.md"),
}


class Refused(ValueError):
    """A request the editor does not carry out, and why (said in the editor's language)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Campaign:
    root: Path
    stories: str  # the stories folder, relative to root ("stories")
    kind: str
    lang: str
    languages: tuple[str, ...]  # the site's languages, its own first
    t: Translator

    def schema(self, kind: str) -> dict[str, Any]:
        return json_schemas.schema(SCHEMAS[self.kind][kind])

    def translation_schema(self) -> dict[str, Any]:
        return json_schemas.schema(TRANSLATIONS[self.kind])

    def kind_of(self, path: str) -> tuple[str, dict[str, str]]:
        """The kind of entry a story path is, and its slugs; Refused for any other path."""
        posix = PurePosixPath(path)
        if posix.is_absolute() or ".." in posix.parts or not path.startswith(self.stories + "/"):
            raise Refused(msg("{path} is not a story of this campaign", path=path))
        inner = path[len(self.stories) + 1 :]
        for kind, pattern in PATTERNS.items():
            if (found := pattern.fullmatch(inner)) and all(SLUG.fullmatch(s) for s in found.groupdict().values()):
                if kind == "testimony" and found["product"] == "index":
                    continue
                return kind, found.groupdict()
        raise Refused(msg("{path} is not a story of this campaign", path=path))

    def file(self, path: str, lang: str = "") -> Path:
        """The file of a story (or of its translation into ``lang``), inside the stories folder."""
        self.kind_of(path)
        if lang and lang not in self.languages[1:]:
            raise Refused(msg("{lang} is not one of this campaign's other languages", lang=lang))
        file = self.root / path
        return file.with_name(f"{file.stem}.{lang}.md") if lang else file

    def bundle(self, folder: str) -> Path:
        """A person's or product's folder, where its pictures go."""
        match = re.fullmatch(re.escape(self.stories) + r"/(people|products)/([^/]+)", folder)
        if not match or not SLUG.fullmatch(match[2]):
            raise Refused(msg("{folder} is not a person's or a product's folder", folder=folder))
        return self.root / folder

    def page(self, kind: str, slugs: dict[str, str]) -> str:
        """The story's page in the preview, site-relative."""
        return {"person": f"people/{slugs.get('slug')}/", "product": f"products/{slugs.get('slug')}/",
                "testimony": f"products/{slugs.get('product')}/", "event": "events/"}[kind]  # fmt: skip


def open_campaign(root: Path) -> Campaign:
    """The campaign in ``root``; Refused when there is none to edit."""
    project, problems = read_project(root)
    if project is None:
        raise Refused(problems[0].message if problems else msg("no campaign here"))
    settings = project.campaign if isinstance(project.campaign, dict) else {}
    raw = settings.get("translations")
    translations: dict[str, Any] = raw if isinstance(raw, dict) else {}
    lang = project.language or "fr"
    t = Translator(editor_language(lang), [root / CAMPAIGN_LOCALES])
    return Campaign(root=root, stories=str(settings.get("stories") or "stories"), kind=str(settings.get("kind") or
                    "charity"), lang=lang, languages=(lang, *[k for k in translations if k != lang]), t=t)  # fmt: skip


def entries(campaign: Campaign, title: Any) -> dict[str, list[dict[str, str]]]:
    """Every story of the campaign by kind, each with its path and what its list shows (``title(path)``)."""
    stories = campaign.root / campaign.stories
    found: dict[str, list[dict[str, str]]] = {"people": [], "products": [], "testimonies": [], "events": []}
    for file in (
        sorted(stories.glob("people/*/*.md"))
        + sorted(stories.glob("products/*/index.md"))
        + sorted(stories.glob("events/*.md"))
    ):
        if TRANSLATION.fullmatch(file.name):
            continue
        path = file.relative_to(campaign.root).as_posix()
        try:
            kind, slugs = campaign.kind_of(path)
        except Refused:
            continue
        group = {"person": "people", "product": "products", "testimony": "testimonies", "event": "events"}[kind]
        found[group].append({**slugs, "path": path, "title": title(file)})
    return found
