"""``vitrine new``: a campaign folder that builds at once, with examples to replace.

The files are in ``vitrine/scaffold/common/`` (every kind and language: the Makefile, the deploy files,
``hooks.py``), ``vitrine/scaffold/<lang>/common/`` and ``vitrine/scaffold/<lang>/<kind>/`` (``dot-`` stands
for a leading dot, which package data would drop). A language without its own folder gets the English files
with ``theme.language`` set to it. ``__WORD__``-style words are filled in (``words.yml`` holds those of each
language), each story's first front-matter line names its JSON Schema, and the example pictures the stories
name are drawn here with Pillow, so no photo of anyone ships with Vitrine. ``placeholders.yml`` lists the
values a campaign must replace before it goes live.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

from . import json_schemas, origin

SOURCE = Path(__file__).parent / "scaffold"
COMMON = "common"  # files every kind shares; a kind's own folder adds the rest
LANGUAGES = tuple(sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and p.name != COMMON))
FALLBACK = "en"  # the files of a language that has none of its own
KINDS = tuple(sorted(p.name for p in (SOURCE / FALLBACK).iterdir() if p.is_dir() and p.name != COMMON))
WORDS: dict[str, dict[str, str]] = yaml.safe_load((SOURCE / "words.yml").read_text(encoding="utf-8"))
PLACEHOLDERS = SOURCE / "placeholders.yml"
FONT = Path(__file__).parent / "fonts" / "VitrineSans-Bold.ttf"
# Example pictures, by the file name a story gives them: (background, drawing colour, shape).
PICTURES = {
    "bache.jpg": ("#e9edf2", "#2f6db5", "tarp"),
    "tarp.jpg": ("#e9edf2", "#2f6db5", "tarp"),
    "savon.jpg": ("#eef3ea", "#4f8a3c", "soap"),
    "soap.jpg": ("#eef3ea", "#4f8a3c", "soap"),
    "bol.jpg": ("#e9edf2", "#2f6db5", "bowl"),
    "bowl.jpg": ("#e9edf2", "#2f6db5", "bowl"),
    "portrait.jpg": ("#e8b04b", "#5b3a29", "person"),
}
NAMED_PICTURE = re.compile(r"^\s*(?:-\s*)?(?:photo|src):\s*(\S+)\s*$", re.MULTILINE)
YAML11_WORDS = {"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~"}
WORD = re.compile(r"__(SCHEMA_[a-z-]+|[A-Z][A-Z_]*)__")


class NotEmpty(Exception):
    """The target folder already holds files: nothing is written."""


def new(
    target: Path, kind: str = "charity", name: str = "", organisation: str = "", language: str = "fr"
) -> list[Path]:
    """Write a ``kind`` campaign into ``target`` (absent or empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NotEmpty(f"{target} is not empty: give a new folder's name (nothing was written)")
    base = re.split(r"[-_]", language)[0].lower()  # pt-BR's files would be pt's
    files_language = base if base in LANGUAGES else FALLBACK
    words = WORDS[files_language]
    name = name or target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or words["CAMPAIGN"]
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    line = origin.requirement()
    if line is None:  # nowhere else to install this Vitrine from: the campaign carries a copy
        wheel = origin.write_wheel(target / origin.VENDOR)
        written.append(wheel)
        line = f"./{origin.VENDOR}/{wheel.name}"
    version = _version()
    comment = words["REQUIREMENTS_VENDORED" if line.startswith(f"./{origin.VENDOR}/") else "REQUIREMENTS_LINE"]
    values = {**words, "NAME": name, "ORGANISATION": organisation or words["ORGANISATION"], "LANGUAGE": language,
              "VERSION": version, "REQUIREMENT": line}  # fmt: skip
    sources = (SOURCE / COMMON, SOURCE / files_language / COMMON, SOURCE / files_language / kind)
    for source, path in ((folder, path) for folder in sources for path in sorted(folder.rglob("*"))):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        relative = Path(*(re.sub(r"^dot-", ".", part) for part in path.relative_to(source).parts))
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        schemas = {schema: json_schemas.modeline(schema, out, target / "schemas") for schema in json_schemas.KINDS}
        quote = path.suffix == ".yml"

        def fill(match: re.Match[str], schemas: dict[str, str] = schemas, quote: bool = quote) -> str:
            word = match[1]
            if word.startswith("SCHEMA_"):
                return schemas[word.removeprefix("SCHEMA_")]
            if word in ("NAME", "ORGANISATION", "LANGUAGE") and quote:
                return _yaml_safe(values[word])
            return values[word]

        text = WORD.sub(fill, path.read_text(encoding="utf-8"))
        out.write_text(text, encoding="utf-8")
        written.append(out)
        if out.suffix == ".md" and relative.parts[0] == "stories":
            for picture in NAMED_PICTURE.findall(text):
                if picture in PICTURES:
                    _draw(out.parent / picture, *PICTURES[picture], words["EXAMPLE"])
                    written.append(out.parent / picture)
    written += json_schemas.write(target / "schemas")
    requirements = target / "requirements.txt"
    requirements.write_text(f"{WORD.sub(lambda m: values[m[1]], comment)}\n{line}\n", encoding="utf-8")
    written.append(requirements)
    return written


def _version() -> str:
    dist = origin.installed()
    return dist.version if dist else "?"


def _yaml_safe(value: str) -> str:
    """A name or a language as a YAML value: quoted only where YAML would misread it (MkDocs reads YAML 1.1,
    where Norwegian's ``no`` is false)."""
    misread = re.search(r"[:#\[\]{}&*!|>'\"%@`,]|^[-?\s]", value) or value.lower() in YAML11_WORDS
    return json.dumps(value, ensure_ascii=False) if misread else value


def _draw(out: Path, background: str, ink: str, shape: str, example: str) -> None:
    """A simple flat drawing, clearly an example: a shape and the word ``example`` (EXEMPLE, EXAMPLE…)."""
    size = (1200, 900) if shape != "person" else (900, 1100)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    if shape == "tarp":
        draw.polygon([(w * 0.2, h * 0.62), (w * 0.5, h * 0.3), (w * 0.8, h * 0.62)], fill=ink)
        draw.rectangle([w * 0.2, h * 0.62, w * 0.8, h * 0.66], fill="#1f4a7a")
    elif shape == "soap":
        draw.rounded_rectangle([w * 0.3, h * 0.38, w * 0.7, h * 0.62], radius=60, fill=ink)
        draw.ellipse([w * 0.62, h * 0.28, w * 0.68, h * 0.34], outline=ink, width=6)
    elif shape == "bowl":
        draw.chord([w * 0.28, h * 0.2, w * 0.72, h * 0.66], 0, 180, fill=ink)
        draw.rectangle([w * 0.42, h * 0.64, w * 0.58, h * 0.68], fill=ink)
    else:
        draw.ellipse([w * 0.33, h * 0.18, w * 0.67, h * 0.46], fill=ink)
        draw.pieslice([w * 0.15, h * 0.5, w * 0.85, h * 1.2], 180, 360, fill=ink)
    if shape != "person":  # a portrait is shown in a circle: its example status is in its name and alt text
        font = ImageFont.truetype(str(FONT), size=w // 12)
        draw.text((w / 2, h * 0.8), example, fill="#ffffff", font=font, anchor="mm", stroke_width=4, stroke_fill=ink)
    image.save(out, "JPEG", quality=85)
