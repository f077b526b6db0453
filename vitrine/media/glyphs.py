"""Which characters this machine can draw on share cards and in the press-kit PDF, and with which font.

Cards (Pillow) draw with the bundled VitrineSans (Latin, Greek, Cyrillic, Arabic, Ethiopic), and each run of
text it lacks with a font of the machine that has it (Noto Sans Devanagari, Noto Sans CJK, Noto Color
Emoji…); the PDF (Pango) falls back through the same fontconfig. Both ask fontconfig here, so both draw the
same characters, and ``vitrine check`` and the build say the same thing: a character no font of the machine
has would be an empty box, so they name it once per Debian font package that draws it, as a notice about the
machine (never a failure, like the HarfBuzz hint). Fonts are found with libfontconfig, which Pango needs
anyway; on a machine without it (no Pango: no PDF either) nothing is said and cards keep the bundled font.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vitrine.core import assets
from vitrine.core.errors import Problem, notice

if TYPE_CHECKING:
    from cffi import FFI

    from vitrine.read.kit import Kit
    from vitrine.read.load import Loaded
    from vitrine.read.model import Person, Product, Testimony
    from vitrine.read.settings import Settings

FONTS = assets.FONTS
# What both VitrineSans weights draw (tools/build_fonts.py writes it with them): most texts need nothing more,
# and then fontconfig is never asked.
COVERAGE = FONTS / "VitrineSans.coverage"
READABLE = (".ttf", ".otf", ".ttc")  # what Pillow opens (and Pango draws): not Type 1 or bitmap fonts
WEIGHTS = {"Regular": 80, "Bold": 200}  # fontconfig's scale
# A font of a family with one of these names is preferred, in this order (then any other).
PREFERRED = ("Noto Sans CJK SC", "Noto Sans", "Noto Color Emoji", "Noto Serif", "Noto", "DejaVu Sans")
SAMPLE = 6  # words shown in a notice
LIBRARY = ("libfontconfig.so.1", "libfontconfig-1", "fontconfig-1", "fontconfig", "libfontconfig.1.dylib")

_CDEF = """
typedef int FcBool; typedef unsigned int FcChar32; typedef unsigned char FcChar8;
typedef struct _FcPattern FcPattern; typedef struct _FcCharSet FcCharSet; typedef struct _FcConfig FcConfig;
typedef struct _FcObjectSet FcObjectSet;
typedef struct { int nfont; int sfont; FcPattern **fonts; } FcFontSet;
typedef enum { FcResultMatch, FcResultNoMatch, FcResultTypeMismatch, FcResultNoId, FcResultOutOfMemory } FcResult;
FcConfig *FcInitLoadConfigAndFonts(void);
FcPattern *FcPatternCreate(void);
void FcPatternDestroy(FcPattern *p);
FcCharSet *FcCharSetCreate(void);
FcBool FcCharSetAddChar(FcCharSet *fcs, FcChar32 ucs4);
void FcCharSetDestroy(FcCharSet *fcs);
FcBool FcPatternAddCharSet(FcPattern *p, const char *object, const FcCharSet *c);
FcObjectSet *FcObjectSetCreate(void);
FcBool FcObjectSetAdd(FcObjectSet *os, const char *object);
void FcObjectSetDestroy(FcObjectSet *os);
FcFontSet *FcFontList(FcConfig *config, FcPattern *p, FcObjectSet *os);
void FcFontSetDestroy(FcFontSet *s);
FcResult FcPatternGetString(const FcPattern *p, const char *object, int n, FcChar8 **s);
FcResult FcPatternGetInteger(const FcPattern *p, const char *object, int n, int *i);
"""

# Debian's font packages by what they draw (fonts-noto-core: every other living script).
CJK = ((0x1100, 0x11FF), (0x2E80, 0x2FFF), (0x3000, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F),
       (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))  # fmt: skip
EMOJI = ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF))
PACKAGES = ("fonts-noto-core", "fonts-noto-cjk", "fonts-noto-color-emoji")


def package(char: str) -> str:
    """The Debian (and Ubuntu) package whose fonts draw ``char``."""
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in EMOJI):
        return "fonts-noto-color-emoji"
    if any(lo <= code <= hi for lo, hi in CJK):
        return "fonts-noto-cjk"
    return "fonts-noto-core"


def drawn(char: str) -> bool:
    """Whether ``char`` needs a glyph of its own: not a space, a control, a joiner or a variation selector, which
    shaping folds into the character they follow."""
    kind = unicodedata.category(char)
    code = ord(char)
    return not (kind[0] in "ZC" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


@dataclass(frozen=True)
class Font:
    """A font file of the machine (and its index in a collection)."""

    file: str
    index: int = 0


class Fontconfig:
    """The machine's fonts, as fontconfig (and so Pango) knows them; queried once per character."""

    def __init__(self) -> None:
        import cffi

        self.ffi = cffi.FFI()
        self.ffi.cdef(_CDEF)
        # Any: the library's functions are those the cdef above declares, at run time.
        self.lib: Any
        for name in LIBRARY:  # the names WeasyPrint tries (vitrine.press.pdf.LIBRARIES)
            try:
                self.lib = self.ffi.dlopen(name)
                break
            except OSError as exc:
                failure = exc
        else:
            raise failure
        self.config = self.lib.FcInitLoadConfigAndFonts()
        self.fonts: dict[str, list[tuple[tuple[int, str], str, int, Font]]] = {}

    def having(self, char: str) -> list[tuple[tuple[int, str], str, int, Font]]:
        """Every readable font of the machine that has ``char``: (preference, family, weight, font), best first."""
        if char in self.fonts:
            return self.fonts[char]
        lib, ffi = self.lib, self.ffi
        pattern, charset, objects = lib.FcPatternCreate(), lib.FcCharSetCreate(), lib.FcObjectSetCreate()
        lib.FcCharSetAddChar(charset, ord(char))
        lib.FcPatternAddCharSet(pattern, b"charset", charset)
        for name in (b"file", b"index", b"family", b"weight"):
            lib.FcObjectSetAdd(objects, name)
        found = lib.FcFontList(self.config, pattern, objects)
        fonts = []
        text, number = ffi.new("FcChar8 **"), ffi.new("int *")
        for i in range(found.nfont if found != ffi.NULL else 0):
            font = found.fonts[i]
            if lib.FcPatternGetString(font, b"file", 0, text) != 0:
                continue
            file = self.string(text[0], "replace")
            family = self.string(text[0]) if lib.FcPatternGetString(font, b"family", 0, text) == 0 else ""
            index = number[0] if lib.FcPatternGetInteger(font, b"index", 0, number) == 0 else 0
            weight = number[0] if lib.FcPatternGetInteger(font, b"weight", 0, number) == 0 else 80
            if file.lower().endswith(READABLE) and "mono" not in family.lower():
                rank = next((n for n, name in enumerate(PREFERRED) if family.startswith(name)), len(PREFERRED))
                fonts.append(((rank, family), family, weight, Font(file, index)))
        if found != ffi.NULL:
            lib.FcFontSetDestroy(found)
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
        lib.FcCharSetDestroy(charset)
        self.fonts[char] = sorted(fonts, key=lambda f: (f[0], f[3].file, f[3].index))
        return self.fonts[char]

    def string(self, pointer: FFI.CData, errors: str = "strict") -> str:
        """The UTF-8 text at a ``FcChar8 *`` (which cffi reads as bytes)."""
        value = self.ffi.string(pointer)
        return value.decode("utf-8", errors) if isinstance(value, bytes) else value

    def font_for(self, char: str, weight: str) -> Font | None:
        """The font that draws ``char`` at ``weight`` where the bundled one cannot: the preferred family, in the
        weight nearest to it."""
        fonts = self.having(char)
        if not fonts:
            return None
        if package(char) == "fonts-noto-color-emoji":  # an emoji in colour, not a symbol font's outline
            fonts = [f for f in fonts if f[1] == "Noto Color Emoji"] or fonts
        best = fonts[0][0]
        family = [f for f in fonts if f[0] == best]
        return min(family, key=lambda f: (abs(f[2] - WEIGHTS.get(weight, 80)), f[3].file, f[3].index))[3]


@cache
def _bundled() -> tuple[list[int], list[int]]:
    """The bundled font's ranges of code points: their starts and their ends."""
    spans = [[int(bound, 16) for bound in span.split("-")] for span in COVERAGE.read_text(encoding="ascii").split()]
    return [span[0] for span in spans], [span[-1] for span in spans]


def in_bundled(char: str) -> bool:
    starts, ends = _bundled()
    at = bisect.bisect_right(starts, ord(char)) - 1
    return at >= 0 and ord(char) <= ends[at]


@cache
def _lacking(char: str) -> bool:
    """Whether ``char`` is drawn and the bundled font lacks it (the machine's fonts may have it): a fact of
    the font, remembered per character (most texts repeat the characters already seen)."""
    return drawn(char) and not in_bundled(char)


@cache
def machine() -> Fontconfig | None:
    """This process's fontconfig (the FONTCONFIG_FILE it started with), or None without libfontconfig."""
    try:
        return Fontconfig()
    except (OSError, ImportError, AttributeError):
        return None


@cache
def _machine_draws(char: str) -> bool:
    fc = machine()
    return fc is not None and bool(fc.having(char))


def missing(text: str) -> list[str]:
    """The characters of ``text`` that no font of this machine draws (neither the bundled one nor another), in
    the order they come."""
    if machine() is None:
        return []
    return [char for char in dict.fromkeys(text) if _lacking(char) and not _machine_draws(char)]


def fallbacks(text: str, weight: str) -> tuple[tuple[str, str, int], ...]:
    """For a card: which machine font draws the characters of ``text`` the bundled font lacks, as
    (characters, file, index) per font (so a worker process needs no fontconfig)."""
    if not any(drawn(c) and not in_bundled(c) for c in set(text)) or (fc := machine()) is None:
        return ()
    chosen: dict[Font, str] = {}
    for char in dict.fromkeys(text):
        if drawn(char) and not in_bundled(char) and (font := fc.font_for(char, weight)):
            chosen[font] = chosen.get(font, "") + char
    return tuple((chars, font.file, font.index) for font, chars in chosen.items())


def signature(text: str) -> str:
    """Which font of the machine draws each character of ``text`` the bundled font lacks (none: it would be a
    box): what a kept rendering of ``text`` depends on besides the text."""
    chars = sorted(c for c in set(text) if drawn(c) and not in_bundled(c))
    if not chars or (fc := machine()) is None:
        return ""
    return "".join(f"{c}{(font.file, font.index) if (font := fc.font_for(c, 'Regular')) else ''};" for c in chars)


# --- what cards and the PDF draw ----------------------------------------------------------------------------


def _strings(value: object) -> Iterable[str]:
    """Every text of a value read from the stories or the settings: dataclasses, models, mappings, lists."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            if item.name not in ("path", "source", "label", "slug", "html"):
                yield from _strings(getattr(value, item.name))
    elif hasattr(value, "model_dump"):
        yield from _strings(value.model_dump())
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _text(html: str) -> str:
    return re.sub(r"<[^>]*>", " ", html)[:600]  # the quotes cards and the PDF take: the first sentences


def texts(
    loaded: Loaded, settings: Settings | None, kits: Iterable[tuple[Kit, str]], config: str
) -> list[tuple[str, str]]:
    """(path, text) of every text that share cards and the press-kit PDF may draw: names, titles, facts, alt
    texts and the opening of each story (``loaded``: the stories and their translations), the settings in
    ``config``, and each press kit's release and coverage (``kits``: the kit, and its docs folder's label)."""
    found: list[tuple[str, str]] = []
    campaign = loaded.campaign
    stories: list[Person | Product | Testimony] = [*campaign.people.values(), *campaign.products.values()]
    for item in (*stories, *campaign.testimonies):
        found += [(item.path, text) for text in _strings(item)]
        found.append((item.path, _text(item.html)))
    for (path, lang), translation in loaded.translations.items():
        label = re.sub(r"\.md$", f".{lang}.md", path)
        found += [(label, text) for text in _strings(translation)]
        found.append((label, _text(translation.html)))
    if settings is not None:
        found += [(config, text) for text in _strings(settings)]
    for kit, docs in kits:
        for release in kit.releases.values():
            found += [(release.label, release.title), (release.label, re.sub(r"<[^>]*>", " ", release.html))]
        found += [(f"{docs}/{kit.sources[-1]}" if kit.sources else docs, text) for text in _strings(kit.coverage)]
    return found


def check(root: Path, items: Iterable[tuple[str, str]]) -> list[Problem]:
    """One notice per font package for the characters of ``items`` no font of this machine draws, at the first
    place that holds one of them, naming a few."""
    words: dict[str, list[str]] = {}  # package -> the words holding characters it would draw, in order
    first: dict[str, tuple[str, str]] = {}
    for path, text in items:
        for char in missing(text):
            name = package(char)
            first.setdefault(name, (path, char))
            found = words.setdefault(name, [])
            for word in text.split():
                if char in word and word not in found:
                    found.append(word)
    problems = []
    for name in sorted(words, key=PACKAGES.index):
        path, char = first[name]
        shown = [word if len(word) <= 30 else word[:30] + "…" for word in words[name][:SAMPLE]]
        sample = ", ".join(shown) + (", …" if len(words[name]) > SAMPLE else "")
        problems.append(notice(path, _line(root / path, char), "no font of this machine draws {chars}: share cards "
                               "and the press-kit PDF would show empty boxes for them; apt-get install {package} "
                               "draws them (a hint about this machine, not about the text)", chars=sample,
                               package=name))  # fmt: skip
    return problems


def _line(file: Path, char: str) -> int | None:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    at = text.find(char)
    return text.count("\n", 0, at) + 1 if at >= 0 else None
