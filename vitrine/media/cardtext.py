"""The text of a share card: fonts, line breaking and the order of right-to-left runs.

Text is drawn with the bundled VitrineSans fonts (Noto Sans + Noto Naskh Arabic + Noto Sans Ethiopic merged,
see fonts/README.md) so a line mixing those scripts needs no fallback. Pillow does not fall back between
fonts by itself: what VitrineSans lacks (Devanagari, Chinese, Hebrew, Thai, emoji…) is drawn run by run with
the font of the machine ``vitrine.media.glyphs`` chose for it (a card's ``glyphs``, found by the parent process),
runs ordered left to right as the Unicode bidirectional algorithm orders them at their level; a colour
bitmap font (Noto Color Emoji) is drawn at its one size and scaled. Arabic needs libraqm for shaping and
right-to-left order; without it (``PIL.features.check("raqm")`` false) right-to-left text is left off the
card rather than drawn as unjoined letters in the wrong order.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont, features

from vitrine.core import assets
from vitrine.media.glyphs import drawn

FONTS = assets.FONTS
RAQM = features.check("raqm")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
STRIKE = 109  # the one size of Noto Color Emoji's bitmaps
Glyphs = tuple[tuple[str, str, str, int], ...]  # (weight, characters, font file, index): the machine's fonts


def short_quote(text: str, limit: int = 140) -> str:
    """The first sentence, or the first ``limit`` characters cut at a word, without surrounding quote marks."""
    text = clean(text).strip(" \"'«»“”„‘’")
    sentence = re.match(r".+?[.!?…؟](?=\s|$)", text)
    if sentence and len(sentence.group()) <= limit:
        return sentence.group()
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:–-") + "…"


@cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(FONTS / f"VitrineSans-{weight}.ttf", size, layout_engine=engine)


class _Face:
    """A font of the machine at one size: scalable, or a colour bitmap font, drawn at its strike and scaled."""

    def __init__(self, file: str, index: int, size: int) -> None:
        engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
        try:
            self.font, self.scale = ImageFont.truetype(file, size, index=index, layout_engine=engine), 1.0
        except OSError:  # "invalid pixel size": a bitmap font has its sizes
            self.font = ImageFont.truetype(file, STRIKE, index=index, layout_engine=engine)
            self.scale = size / STRIKE

    def length(self, text: str) -> float:
        return self.font.getlength(text) * self.scale

    def draw(self, card: Image.Image, x: float, y: int, text: str, fill: tuple[int, int, int], direction: str) -> None:
        options = direction if RAQM else None  # Pillow's default: no direction
        if self.scale == 1.0:
            ImageDraw.Draw(card).text((x, y), text, font=self.font, fill=fill, anchor="ls", direction=options)
            return
        ascent, descent = self.font.getmetrics()
        layer = Image.new("RGBA", (math.ceil(self.font.getlength(text)) + 2, ascent + descent), (0, 0, 0, 0))
        ImageDraw.Draw(layer).text((0, ascent), text, font=self.font, fill=fill, anchor="ls", embedded_color=True,
                                   direction=options)  # fmt: skip
        size = (max(1, round(layer.width * self.scale)), max(1, round(layer.height * self.scale)))
        layer = layer.resize(size, Image.Resampling.LANCZOS)
        card.paste(layer, (round(x), round(y - ascent * self.scale)), layer)


@cache
def _face(file: str, index: int, size: int) -> _Face:
    return _Face(file, index, size)


def _joins(char: str) -> bool:
    """A character drawn with the one before it: a mark, a joiner, a variation selector, a skin tone."""
    return unicodedata.category(char)[0] == "M" or (not drawn(char) and not char.isspace()) or (
        0x1F3FB <= ord(char) <= 0x1F3FF)  # fmt: skip


class _Chain:
    """The bundled font at one size and, for what it lacks, the machine's fonts of ``glyphs``: what ``_wrap``
    and ``fit`` measure with (``getlength``, ``size``), and what draws a line run by run."""

    def __init__(self, weight: str, size: int, glyphs: Glyphs) -> None:
        self.size, self.base = size, _font(weight, size)
        self.font_of = {char: (file, index) for w, chars, file, index in glyphs if w == weight for char in chars}

    def runs(self, text: str) -> list[tuple[tuple[str, int] | None, str]]:
        """``text`` cut where its font (None: the bundled one) or its direction changes, so that runs can be
        ordered as the bidirectional algorithm orders them; a mark or joiner stays with its base."""
        if not self.font_of:
            return [(None, text)]
        runs: list[tuple[tuple[str, int] | None, str]] = []
        directions: list[str] = []  # each run's: a strong letter's ("ltr", "rtl") or none (spaces, punctuation)
        for char in text:
            key, direction = self.font_of.get(char), text_direction(char, "")
            if runs and (_joins(char) or (key == runs[-1][0] and direction == directions[-1])):
                runs[-1] = (runs[-1][0], runs[-1][1] + char)
            else:
                runs.append((key, char))
                directions.append(direction)
        return runs

    def length(self, key: tuple[str, int] | None, text: str) -> float:
        return self.base.getlength(text) if key is None else _face(*key, self.size).length(text)

    def getlength(self, text: str) -> float:
        if not self.font_of:
            return self.base.getlength(text)
        return sum(self.length(key, run) for key, run in self.runs(text))

    def draw(self, card: Image.Image, x: float, y: int, line: str, fill: tuple[int, int, int], rtl: bool) -> None:
        """``line`` from ``x`` (left) on baseline ``y``, its runs in visual order, each in its own direction."""
        for key, run, level in _visual(self.runs(line), rtl):
            direction = "rtl" if level % 2 else "ltr"
            if key is None:
                options = direction if RAQM else None  # Pillow's default: no direction
                ImageDraw.Draw(card).text((x, y), run, font=self.base, fill=fill, anchor="ls", direction=options)
            else:
                _face(*key, self.size).draw(card, x, y, run, fill, direction)
            x += self.length(key, run)


@cache
def _chain(weight: str, size: int, glyphs: Glyphs) -> _Chain:
    return _Chain(weight, size, glyphs)


def _visual(runs: list[tuple[Any, str]], rtl: bool) -> list[tuple[Any, str, int]]:
    """Runs in the order they are seen, left to right, with their embedding level: the bidirectional
    algorithm's rule L2 over runs. A run's direction is its first strong letter's; a run without one takes
    its neighbours' when they agree, else the line's."""
    base = "rtl" if rtl else "ltr"
    strong = [text_direction(text, "") for _, text in runs]
    levels = []
    for i, direction in enumerate(strong):
        if not direction:
            before = next((d for d in reversed(strong[:i]) if d), base)
            after = next((d for d in strong[i + 1 :] if d), base)
            direction = before if before == after else base
        levels.append((1 if direction == "rtl" else 2) if rtl else (1 if direction == "rtl" else 0))
    items = [(key, text, level) for (key, text), level in zip(runs, levels, strict=True)]
    for level in range(max(levels, default=0), 0, -1):  # reverse every sequence at this level or higher
        i = 0
        while i < len(items):
            if items[i][2] < level:
                i += 1
                continue
            j = i
            while j < len(items) and items[j][2] >= level:
                j += 1
            items[i:j] = items[i:j][::-1]
            i = j
    return items


def clean(text: str) -> str:
    """Plain text to draw: controls and bidi overrides removed (an override could spoof the reading order)."""
    text = "".join(c for c in text if (c not in _BIDI_CONTROLS and unicodedata.category(c) != "Cc") or c in "\t\n")
    return " ".join(text.split())


def text_direction(text: str, default: str) -> str:
    """The text's own direction from its first strong letter, as HTML's dir="auto" does."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def _drawable(text: str) -> bool:
    """Without libraqm, right-to-left text would come out reversed and unjoined: leave it off."""
    return RAQM or not any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _wrap(text: str, font: _Chain, width: int, max_lines: int | None = None) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the column is cut where it fills a line.

    Each line is found by a binary search over how many words (or characters) fit, so the number of
    measurements grows with the log of the text's length, not with its square; past ``max_lines`` + 1 lines
    nothing more is measured (the caller cuts there anyway)."""
    words = text.split(" ")
    lines: list[str] = []

    def fits(piece: str) -> bool:
        return font.getlength(piece) <= width

    def longest(count: int, piece: Callable[[int], str]) -> int:
        """The largest n in 1..count whose piece(n) fits (at least 1)."""
        lo, hi = 1, count
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(piece(mid)) else (lo, mid - 1)
        return lo

    i = 0
    while i < len(words) and (max_lines is None or len(lines) <= max_lines):
        # Only as many words as could fit in a line are candidates: a word is at least one character wide.
        window = words[i : i + width]

        def first_words(k: int, w: list[str] = window) -> str:
            return " ".join(w[:k])

        n = longest(len(window), first_words)
        line = " ".join(window[:n])
        if n == 1 and not fits(line):  # one word wider than the column: cut it

            def first_chars(k: int, s: str = line) -> str:
                return s[:k]

            cut = longest(min(len(line), width), first_chars)
            lines.append(line[:cut])
            words[i] = line[cut:]
            continue
        lines.append(line)
        i += n
    return lines


def fit(
    text: str, weight: str, sizes: tuple[int, ...], width: int, max_lines: int, glyphs: Glyphs = ()
) -> tuple[list[str], _Chain]:
    """Wrap at the largest size that fits ``max_lines``; at the smallest, cut the rest with an ellipsis."""
    text = clean(text)
    if not text or not _drawable(text):
        return [], _chain(weight, sizes[-1], glyphs)
    for size in sizes:
        font = _chain(weight, size, glyphs)
        lines = _wrap(text, font, width, max_lines)
        if len(lines) <= max_lines:
            return lines, font
    last = lines[max_lines - 1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip() + "…"], font


def draw_lines(
    card: Image.Image,
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: _Chain,
    fill: tuple[int, int, int],
    left: int,
    right: int,
    top: int,
    rtl: bool,
    direction: str,
) -> int:
    """Draw lines from ``top``, aligned to the card's start side; return the y below the last one."""
    size = int(font.size)
    y = top + size  # baseline of the first line
    options = direction if RAQM else None  # one base direction for the whole block (None: Pillow's default)
    for line in lines:
        if any(key is not None for key, _ in font.runs(line)):  # a font of the machine draws part of it
            font.draw(card, right - font.getlength(line) if rtl else left, y, line, fill, direction == "rtl")
        else:
            draw.text((right, y) if rtl else (left, y), line, font=font.base, fill=fill, anchor="rs" if rtl else "ls",
                      direction=options)  # fmt: skip
        y += round(size * 1.4)  # room for Arabic marks above and below
    return y - size
