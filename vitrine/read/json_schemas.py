"""JSON Schemas of the front matter and of ``extra.campaign``, for editors' YAML tooling.

Generated from the very models the checker validates with (``vitrine.read.schema``, ``vitrine.read.settings``), so
an editor's autocompletion and the build can never disagree; ``vitrine schema`` writes them and a test
keeps the copies in ``schemas/`` in step. A story names its schema on its first front-matter line:
``# yaml-language-server: $schema=../../../schemas/person.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from vitrine.read.events import EventMeta
from vitrine.read.kit import Article
from vitrine.read.makers import CHARITY_ONLY, AccountMeta, MakerMeta, MakerProductMeta, MakerTranslationMeta
from vitrine.read.schema import MUST, PersonMeta, ProductMeta, TestimonyMeta, TranslationMeta
from vitrine.read.settings import Settings

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "person": (PersonMeta, "A person: stories/people/<person>/index.md"),
    "product": (ProductMeta, "A product: stories/products/<product>/index.md"),
    "testimony": (TestimonyMeta, "A testimony: stories/people/<person>/<product>.md"),
    "translation": (TranslationMeta, "A translation: index.<lang>.md or <product>.<lang>.md beside the story"),
    "coverage-item": (Article, "One article of docs/press/coverage.yml"),
    "event": (EventMeta, "An event, both kinds: stories/events/<event>.md"),
    "maker": (MakerMeta, "A maker (kind: makers): stories/people/<maker>/index.md"),
    "maker-product": (MakerProductMeta, "A product (kind: makers): stories/products/<product>/index.md"),
    "account": (AccountMeta, "A maker's account of a product (kind: makers): stories/people/<maker>/<product>.md"),
    "maker-translation": (MakerTranslationMeta, "A translation (kind: makers): index.<lang>.md or <product>.<lang>.md"),
    "campaign": (Settings, "The campaign's settings: extra.campaign in mkdocs.yml"),
}


REQUIRED = {"person": ["consent"], "maker": ["consent"]}  # checked apart by the loader (without it: left out)
DROPPED = {"maker-product": CHARITY_ONLY}  # read as unknown keys in a makers campaign


def schema(kind: str) -> dict[str, Any]:
    model, title = KINDS[kind]
    generated = model.model_json_schema(mode="validation")
    _describe(generated)
    for definition in generated.get("$defs", {}).values():
        _describe(definition)
    for key in DROPPED.get(kind, ()):
        generated["properties"].pop(key, None)
    if kind in REQUIRED:
        generated["required"] = sorted({*generated.get("required", []), *REQUIRED[kind]})
    return {**generated, "$schema": DRAFT, "$id": file_name(kind), "title": title}


def _describe(model: dict[str, Any]) -> None:
    """Each key says what to write, in the checker's own words (``rating must be …``)."""
    for key, prop in model.get("properties", {}).items():
        if key in MUST:
            prop["description"] = f"{key} must be {MUST[key]}"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def render(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / file_name(kind)
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


def modeline(kind: str, story: Path, schemas: Path) -> str:
    """The first front-matter line that points an editor's YAML tooling at ``kind``'s schema."""
    relative = Path(*[".."] * (len(story.parent.relative_to(schemas.parent).parts))) / schemas.name / file_name(kind)
    return f"# yaml-language-server: $schema={relative.as_posix()}"
