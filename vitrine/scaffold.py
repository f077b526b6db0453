"""``vitrine new``: a campaign folder that builds at once, with examples to replace.

The files are in ``vitrine/scaffold/common/`` and ``vitrine/scaffold/<kind>/`` (``dot-`` stands for a leading
dot, which package data would drop); ``__NAME__``-style words are filled in, each story's first front-matter
line names its JSON Schema, and the example pictures are drawn here with Pillow, so no photo of anyone ships
with Vitrine.
"""

from __future__ import annotations

import json
import os
import re
from importlib import metadata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from . import json_schemas

SOURCE = Path(__file__).parent / "scaffold"
COMMON = "common"  # files every kind shares (Makefile, deploy files, hooks.py); a kind's own folder adds the rest
KINDS = tuple(sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and p.name != COMMON))
FONT = Path(__file__).parent / "fonts" / "VitrineSans-Bold.ttf"
# Example pictures: (file, background, drawing colour, shape).
PICTURES = {
    "stories/products/exemple-bache/bache.jpg": ("#e9edf2", "#2f6db5", "tarp"),
    "stories/products/exemple-savon/savon.jpg": ("#eef3ea", "#4f8a3c", "soap"),
    "stories/people/exemple-amina/portrait.jpg": ("#e8b04b", "#5b3a29", "person"),
    # the makers kind
    "stories/products/exemple-bol/bol.jpg": ("#e9edf2", "#2f6db5", "soap"),
    "stories/people/exemple-maelle/portrait.jpg": ("#e8b04b", "#5b3a29", "person"),
}


class NotEmpty(Exception):
    """The target folder already holds files: nothing is written."""


def new(
    target: Path, kind: str = "charity", name: str = "", organisation: str = "", language: str = "fr"
) -> list[Path]:
    """Write a ``kind`` campaign into ``target`` (absent or empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NotEmpty(f"{target} is not empty: give a new folder's name (nothing was written)")
    name = name or target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "Ma campagne"
    words = {"__NAME__": name, "__ORGANISATION__": organisation or "Mon association", "__LANGUAGE__": language}
    written: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    files = [(source, path) for source in (SOURCE / COMMON, SOURCE / kind) for path in sorted(source.rglob("*"))]
    for source, path in files:
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        relative = Path(*(re.sub(r"^dot-", ".", part) for part in path.relative_to(source).parts))
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        for word, value in words.items():
            text = text.replace(word, _yaml_safe(value) if path.suffix == ".yml" else value)
        schemas = {kind: json_schemas.modeline(kind, out, target / "schemas") for kind in json_schemas.KINDS}
        text = re.sub(r"__SCHEMA_([a-z-]+)__", lambda m: schemas[m[1]], text)  # noqa: B023 - used at once
        out.write_text(text, encoding="utf-8")
        written.append(out)
    written += json_schemas.write(target / "schemas")
    for file, (background, ink, shape) in PICTURES.items():
        if (target / file).parent.is_dir():
            _draw(target / file, background, ink, shape)
            written.append(target / file)
    requirements = target / "requirements.txt"
    requirements.write_text(f"# Where Vitrine comes from: change this line to take another release.\n"
                            f"{requirement()}\n", encoding="utf-8")  # fmt: skip
    written.append(requirements)
    return written


def _yaml_safe(value: str) -> str:
    """A name as a YAML value: quoted only where YAML would misread it."""
    return json.dumps(value, ensure_ascii=False) if re.search(r"[:#\[\]{}&*!|>'\"%@`,]|^[-?\s]", value) else value


def requirement() -> str:
    """The pip requirement of the Vitrine running now: where it was installed from, when pip recorded it
    (a checkout, a Git URL), else its version. ``VITRINE_REQUIREMENT`` overrides it."""
    if override := os.environ.get("VITRINE_REQUIREMENT"):
        return override
    try:
        dist = metadata.distribution("vitrine")
    except metadata.PackageNotFoundError:
        return "vitrine"
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    url = direct.get("url", "")
    if vcs := direct.get("vcs_info"):
        return f"vitrine @ {vcs['vcs']}+{url}@{vcs.get('commit_id', '')}".rstrip("@")
    if url:
        return f"vitrine @ {url}"
    return f"vitrine=={dist.version}"


def _draw(out: Path, background: str, ink: str, shape: str) -> None:
    """A simple flat drawing, clearly an example: a shape and the word EXEMPLE."""
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
    else:
        draw.ellipse([w * 0.33, h * 0.18, w * 0.67, h * 0.46], fill=ink)
        draw.pieslice([w * 0.15, h * 0.5, w * 0.85, h * 1.2], 180, 360, fill=ink)
    if shape != "person":  # a portrait is shown in a circle: its example status is in its name and alt text
        font = ImageFont.truetype(str(FONT), size=w // 12)
        draw.text((w / 2, h * 0.8), "EXEMPLE", fill="#ffffff", font=font, anchor="mm", stroke_width=4, stroke_fill=ink)
    image.save(out, "JPEG", quality=85)

