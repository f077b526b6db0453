"""``vitrine new``: a campaign folder that builds at once, with examples to replace.

The files are in ``vitrine/scaffold/common/`` (every kind and language: the Makefile, the deploy files,
``hooks.py``), ``vitrine/scaffold/<lang>/common/`` and ``vitrine/scaffold/<lang>/<kind>/`` (``dot-`` stands
for a leading dot, which package data would drop). A language without its own folder gets the English files
with ``theme.language`` set to it. ``__WORD__``-style words are filled in (``words.yml`` holds those of each
language), each story's first front-matter line names its JSON Schema, and the example pictures the stories
name are drawn here with Pillow, so no photo of anyone ships with Vitrine. ``placeholders.yml`` lists the
values a campaign must replace before it goes live.

Every option is checked before anything is written (``Refused``, with the one line to say), and a failure
while writing removes what was written: a campaign is written whole or not at all. The name, organisation
and language go into ``mkdocs.yml`` as YAML scalars made by PyYAML's emitter, the very library MkDocs reads
it with (``yes`` and ``null`` quoted, as YAML 1.1 would take them for a boolean and nothing), into comments
and block texts as they are (one line of text, checked), and into Markdown with its marks escaped.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from PIL import Image, ImageDraw, ImageFont

from vitrine.cli import origin
from vitrine.core import assets
from vitrine.core.errors import Msg, msg
from vitrine.read import json_schemas
from vitrine.read.document import kind_of
from vitrine.read.schema import LANG

SOURCE = assets.SCAFFOLD
COMMON = "common"  # files every kind shares; a kind's own folder adds the rest
LANGUAGES = tuple(sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and p.name != COMMON))
FALLBACK = "en"  # the files of a language that has none of its own
KINDS = tuple(sorted(p.name for p in (SOURCE / FALLBACK).iterdir() if p.is_dir() and p.name != COMMON))
WORDS: dict[str, dict[str, str]] = yaml.safe_load((SOURCE / "words.yml").read_text(encoding="utf-8"))
PLACEHOLDERS = SOURCE / "placeholders.yml"
FONT = assets.FONTS / "VitrineSans-Bold.ttf"
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
WORD = re.compile(r"__(SCHEMA_[a-z-]+|[A-Z][A-Z_]*)__")


MAX_TEXT = 200  # characters of a name or an organisation, as extra.campaign takes them (schema.MAX_NAME)
TEXT_TOKENS = ("NAME", "ORGANISATION", "LANGUAGE")  # the words an option fills in
# A whole YAML value: ``key: __WORD__``, maybe with a comment after it (its column kept where it can be).
YAML_VALUE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?[\w.-]+:[ \t]+)__(?P<word>NAME|ORGANISATION|LANGUAGE)__"
                        r"(?P<gap>[ \t]*)(?P<comment>#.*)?$", re.MULTILINE)  # fmt: skip
# What one line of text may hold: no line break of any kind (YAML 1.1 ends a comment at U+2028), no control
# character, nothing PyYAML's reader refuses (a lone surrogate from a command line that is not UTF-8).
ONE_LINE = re.compile(r"[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MARKDOWN_MARKS = re.compile(r"([\\`*_{}\[\]#])")  # escaped where a name lands mid-line in Markdown


class Refused(Exception):
    """An option ``vitrine new`` cannot write a campaign with, or a folder it cannot write: nothing is written.
    ``message`` is the one line to say, in the campaign's language."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


class NotEmpty(Refused):
    """The target folder already holds files: nothing is written."""


def theme_languages() -> frozenset[str]:
    """The languages Material has an interface in (``theme.language`` must be one of them)."""
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:  # pragma: no cover - a dependency of Vitrine
        return frozenset({"en", "fr"})
    return frozenset(p.stem for p in (Path(spec.origin).parent / "templates/partials/languages").glob("*.html"))


def speaks(language: str) -> str:
    """The language to say ``vitrine new``'s lines in: the option's own code as far as it reads as one."""
    found = re.match(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", language.strip())
    return found[0] if found else ""


def check(
    target: Path, kind: str = "charity", name: str = "", organisation: str = "", language: str = "fr"
) -> tuple[str, str]:
    """Every option checked, before anything is written: the name and organisation to write (stripped; the
    name from the folder's when not given), or ``Refused``."""
    if kind not in KINDS:
        raise Refused(msg("--kind {kind!r} is not one of {kinds} (nothing was written)", kind=kind,
                          kinds=", ".join(KINDS)))  # fmt: skip
    known = theme_languages()
    if not re.fullmatch(LANG, language):
        raise Refused(msg("--language {code!r} is not a language code such as fr, en or pt-BR (nothing was "
                          "written)", code=language))  # fmt: skip
    if language not in known or not _babel_knows(language):
        base = language.split("-")[0].lower()
        hint = msg(" (did you mean {name}?)", name=base) if base in known and _babel_knows(base) else ""
        raise Refused(msg("--language {code!r} is not a language the site's theme has{hint}: e.g. fr, en, de, ar or "
                          "pt-BR (nothing was written)", code=language, hint=hint))  # fmt: skip
    _check_folder(target)
    if name:
        name = _one_line("--name", name)
    else:  # from the folder's name, which may say more than a campaign's name takes
        name = target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize()
        name = WORDS[_files_language(language)]["CAMPAIGN"] if not name or ONE_LINE.search(name) else name
        if len(name) > MAX_TEXT:
            raise Refused(msg("the folder's name makes a campaign name of {length:,} characters: give one of up "
                              "to {limit:,} with --name (nothing was written)", length=len(name),
                              limit=MAX_TEXT))  # fmt: skip
    if organisation:
        organisation = _one_line("--organisation", organisation)
    return name, organisation


def _one_line(option: str, value: str) -> str:
    if ONE_LINE.search(value):
        raise Refused(msg("{option} holds a line break or a control character: write it on one line (nothing was "
                          "written)", option=option))  # fmt: skip
    value = value.strip()
    if not value:
        raise Refused(msg("{option} is blank: write a name, or leave the option out (nothing was written)",
                          option=option))  # fmt: skip
    if len(value) > MAX_TEXT:
        raise Refused(msg("{option} is {length:,} characters long: keep it to {limit:,} (nothing was written)",
                          option=option, length=len(value), limit=MAX_TEXT))  # fmt: skip
    return value


def _babel_knows(language: str) -> bool:
    try:
        Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def _check_folder(target: Path) -> None:
    """A new or empty folder whose name the disk takes; else ``Refused``."""
    folder = str(target)
    path = Path(os.path.abspath(target))
    existing = next((p for p in (path, *path.parents) if _is_dir(p)), Path(path.anchor))
    try:
        limit = os.pathconf(existing, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    for part in path.relative_to(existing).parts:  # before any look at the path: the system refuses those too
        if len(os.fsencode(part)) > limit:
            raise Refused(msg("{folder}: a folder's name here holds at most {limit} bytes, and this one {length}: "
                              "give a shorter one (nothing was written)", folder=folder, limit=limit,
                              length=len(os.fsencode(part))))  # fmt: skip
    try:
        if target.is_symlink() and not target.exists():
            raise Refused(msg("{folder} is a symbolic link to {target}, which does not exist: give a new folder's "
                              "name (nothing was written)", folder=folder, target=os.readlink(target)))  # fmt: skip
        if target.exists() and not target.is_dir():
            raise Refused(msg("{folder} is {kind}, not a folder: give a new folder's name (nothing was written)",
                              folder=folder, kind=kind_of(target)))  # fmt: skip
        if target.is_dir() and any(target.iterdir()):
            raise NotEmpty(msg("{folder} is not empty: give a new folder's name (nothing was written)", folder=folder))
    except OSError as exc:  # a folder that cannot be read, a path through a file
        raise Refused(msg("cannot write {folder}: {reason} (nothing was written)", folder=folder,
                          reason=exc.strerror or str(exc))) from None  # fmt: skip


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _missing(target: Path) -> Path:
    """The first folder of ``target``'s path that does not exist (``target`` itself when only it is missing)."""
    path = Path(os.path.abspath(target))
    while not _is_dir(path.parent) and path.parent != path:
        path = path.parent
    return path


def _files_language(language: str) -> str:
    base = re.split(r"[-_]", language)[0].lower()  # pt-BR's files would be pt's
    return base if base in LANGUAGES else FALLBACK


def new(
    target: Path, kind: str = "charity", name: str = "", organisation: str = "", language: str = "fr"
) -> list[Path]:
    """Write a ``kind`` campaign into ``target`` (absent or empty); return the files written. ``Refused`` (nothing
    written) when an option or the folder cannot make a campaign that builds."""
    name, organisation = check(target, kind, name, organisation, language)
    made = None if target.exists() else _missing(target)  # what to remove again if writing fails
    try:
        return _write(target, kind, name, organisation, language)
    except BaseException as exc:  # a full disk, Ctrl-C: nothing stays
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        elif target.is_dir():
            for child in target.iterdir():
                (shutil.rmtree if child.is_dir() and not child.is_symlink() else os.unlink)(child)
        if isinstance(exc, OSError):
            raise Refused(msg("cannot write {folder}: {reason} (nothing was written)", folder=str(target),
                              reason=exc.strerror or str(exc))) from None  # fmt: skip
        raise


def _write(target: Path, kind: str, name: str, organisation: str, language: str) -> list[Path]:
    files_language = _files_language(language)
    words = WORDS[files_language]
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
        template = path.read_text(encoding="utf-8")
        if path.suffix == ".yml":
            text = _fill_yaml(template, values, schemas)
        else:
            text = _fill_words(template, values, schemas, markdown=path.suffix == ".md")
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


def _word(word: str, values: dict[str, str], schemas: dict[str, str], markdown: bool = False) -> str:
    if word.startswith("SCHEMA_"):
        return schemas[word.removeprefix("SCHEMA_")]
    if markdown and word in TEXT_TOKENS:  # a name with * or [ ] stays text, not emphasis or a link
        return MARKDOWN_MARKS.sub(r"\\\1", values[word]).replace("&", "&amp;").replace("<", "&lt;")
    return values[word]


def _fill_words(template: str, values: dict[str, str], schemas: dict[str, str], markdown: bool) -> str:
    return WORD.sub(lambda m: _word(m[1], values, schemas, markdown), template)


def _fill_yaml(template: str, values: dict[str, str], schemas: dict[str, str]) -> str:
    """A YAML file of the scaffold with its words filled in: a whole value (``name: __NAME__``) as the scalar
    PyYAML's emitter makes of it, anything else (a comment, a line of a block text) as it is. Then read back as
    MkDocs reads it: every value must be the template's with the words filled in, else it is a bug here."""

    scalars: list[str] = []

    def value(match: re.Match[str]) -> str:  # set aside as \0n\0 (never in a value): words are filled in once
        scalar = _yaml_scalar(values[match["word"]])
        scalars.append(scalar)
        if not match["comment"]:
            return f"{match['lead']}\0{len(scalars) - 1}\0"
        gap = max(1, len(match["word"]) + 4 + len(match["gap"]) - len(scalar))  # the comment's column, if it can
        return f"{match['lead']}\0{len(scalars) - 1}\0{' ' * gap}{match['comment']}"

    text = WORD.sub(lambda m: _word(m[1], values, schemas), YAML_VALUE.sub(value, template))
    text = re.sub(r"\0(\d+)\0", lambda m: scalars[int(m[1])], text)
    expected = _filled(yaml.safe_load(template), values)
    if yaml.safe_load(text) != expected:  # pragma: no cover - a word in a place YAML_VALUE does not know
        raise AssertionError("vitrine new: a value of the scaffold's YAML would be read otherwise than written")
    return text


def _yaml_scalar(value: str) -> str:
    """``value`` as one YAML 1.1 scalar on one line, quoted only where PyYAML (which MkDocs reads with) would
    read it otherwise: ``yes``, ``null``, ``2027-01-01``, ``a: b``, ``#x``…"""
    return yaml.safe_dump({"k": value}, allow_unicode=True, width=1 << 30)[len("k: ") : -1]


def _filled(node: Any, values: dict[str, str]) -> Any:
    """The template's YAML data with each word filled in, where it is text."""
    if isinstance(node, dict):
        return {key: _filled(item, values) for key, item in node.items()}
    if isinstance(node, list):
        return [_filled(item, values) for item in node]
    if isinstance(node, str):
        return WORD.sub(lambda m: values[m[1]], node)
    return node


def _version() -> str:
    dist = origin.installed()
    return dist.version if dist else "?"


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
