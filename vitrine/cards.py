"""Share cards (Open Graph / Twitter): 1200x630 JPEG with the photo, a title, a short quote and the campaign.

Text is drawn with the bundled VitrineSans fonts (Noto Sans + Noto Naskh Arabic + Noto Sans Ethiopic merged,
see fonts/README.md) so a line mixing those scripts needs no fallback. Pillow does not fall back between
fonts by itself: what VitrineSans lacks (Devanagari, Chinese, Hebrew, Thai, emoji…) is drawn run by run with
the font of the machine ``vitrine.glyphs`` chose for it (a card's ``glyphs``, found by the parent process),
runs ordered left to right as the Unicode bidirectional algorithm orders them at their level; a colour
bitmap font (Noto Color Emoji) is drawn at its one size and scaled. Arabic needs libraqm for shaping and
right-to-left order; without it (``PIL.features.check("raqm")`` false) right-to-left text is left off the
card rather than drawn as unjoined letters in the wrong order. Host-neutral: no MkDocs here.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from vitrine.glyphs import drawn
from vitrine.images import to_srgb, write_atomic
from vitrine.workers import pool as worker_pool

CARD_VERSION = 3  # bump when the drawing changes, so cached cards are redrawn
SIZE = WIDTH, HEIGHT = 1200, 630
PHOTO_WIDTH = 480
PAD = 64
BACKGROUND = (247, 239, 229)  # warm paper
INK = (59, 42, 32)  # dark brown: 12:1 on the background
ACCENT = (165, 72, 38)  # terracotta: 5.6:1 on the background
FONTS = Path(__file__).parent / "fonts"
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


@dataclass(frozen=True, kw_only=True)
class Card:
    """What one card shows; ``name`` is its path under the cache folder, without ``.jpg``."""

    name: str
    photo: Path | None
    title: str
    quote: str
    campaign: str
    lang_dir: str = "ltr"
    glyphs: Glyphs = ()  # fonts of the machine for what the bundled font lacks (vitrine.glyphs.fallbacks)

    def key(self) -> str:
        inputs = [CARD_VERSION, RAQM, self.title, self.quote, self.campaign, self.lang_dir]
        if self.glyphs:  # a machine that gains a font redraws the cards it changes, and those alone
            inputs.append([list(g) for g in self.glyphs])
        if self.photo is not None:
            stat = self.photo.stat()  # the pipeline names its files by content: no need to read and hash them again
            inputs += [str(self.photo.resolve()), stat.st_size, stat.st_mtime_ns]
        return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()


def make_card(
    out_dir: Path,
    name: str,
    *,
    photo: Path | None,
    title: str,
    quote: str,
    campaign: str,
    lang_dir: str = "ltr",
    glyphs: Glyphs = (),
) -> Path:
    """Draw the card to ``out_dir/name.jpg`` unless the same inputs drew it already; return its path.

    ``out_dir`` is meant to be a cache folder: beside each card lies ``name.jpg.key``, the hash of its inputs.
    ``photo`` should be an image the pipeline accepted (a mid-size JPEG variant is the quickest to read).
    ``quote`` is plain text, shortened here with ``short_quote``; all text is drawn as given, never interpreted.
    """
    card = Card(name=name, photo=photo, title=title, quote=quote, campaign=campaign, lang_dir=lang_dir, glyphs=glyphs)
    return make_cards(out_dir, [card], workers=1)[name]


def make_cards(
    out_dir: Path,
    cards: Sequence[Card],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Path]:
    """Every card of ``cards`` (see ``make_card``), the ones not cached drawn over all cores: name -> path."""
    drawing = Drawing(workers, progress)
    paths = drawing.add(out_dir, cards)
    drawing.wait()
    return paths


class Drawing:
    """Cards drawn in worker processes while the caller goes on (a host writes the pages meanwhile: on two
    cores, 1,300 cards and 1,300 pages take the time of the longer of the two, not of both).

    ``add`` names each card's file at once; ``wait`` returns when every file is there, raising the first
    ``OSError`` a worker met (a read-only or full cache). One card to draw is drawn in-process by ``wait``."""

    def __init__(self, workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> None:
        self.workers, self.progress = workers or os.cpu_count() or 1, progress
        self.todo: list[tuple[Card, Path, str]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future] = []
        self.lock = threading.Lock()
        self.done = self.submitted = 0

    def add(self, out_dir: Path, cards: Sequence[Card]) -> dict[str, Path]:
        paths: dict[str, Path] = {}
        todo = []
        for card in cards:
            out = out_dir / f"{card.name}.jpg"
            stamp, key = out.with_name(out.name + ".key"), card.key()
            paths[card.name] = out
            if not (out.is_file() and stamp.is_file() and stamp.read_text() == key):
                todo.append((card, out, key))
        self.todo += todo
        if self.progress and todo:
            self.progress(0, len(self.todo))
        if self.workers > 1 and len(self.todo) > 1:
            if self.pool is None:  # forked: workers inherit the fonts already loaded
                self.pool = worker_pool(self.workers)
            for start in range(self.submitted, len(self.todo), 8):  # chunks keep the pickling per card small
                chunk = self.todo[start : start + 8]
                future = self.pool.submit(_draw_jobs, chunk)
                future.add_done_callback(functools.partial(self._settled, len(chunk)))
                self.futures.append(future)
            self.submitted = len(self.todo)
        return paths

    def _settled(self, count: int, future: Future) -> None:  # in the pool's own thread
        with self.lock:
            self.done += count
            if self.progress:
                self.progress(self.done, len(self.todo))

    def wait(self) -> None:
        try:
            if self.pool is None:
                for done, job in enumerate(self.todo, 1):  # one card, or one core
                    _draw_job(job)
                    if self.progress:
                        self.progress(done, len(self.todo))
            for future in self.futures:
                future.result()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
            self.todo, self.futures, self.pool, self.done, self.submitted = [], [], None, 0, 0


def _draw_jobs(jobs: list[tuple[Card, Path, str]]) -> None:
    for job in jobs:
        _draw_job(job)


def _draw_job(job: tuple[Card, Path, str]) -> None:
    card, out, key = job
    image = draw_card(photo=card.photo, title=card.title, quote=card.quote, campaign=card.campaign,
                      lang_dir=card.lang_dir, glyphs=card.glyphs)  # fmt: skip
    write_atomic(out, _encode(image))
    write_atomic(out.with_name(out.name + ".key"), key.encode())


def draw_card(
    *, photo: Path | None, title: str, quote: str, campaign: str, lang_dir: str = "ltr", glyphs: Glyphs = ()
) -> Image.Image:
    rtl = lang_dir == "rtl"
    card = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(card)
    # the photo on the side a reader starts from, an accent band where it meets the text
    edge = PHOTO_WIDTH if photo is not None else 16
    if photo is not None:
        card.paste(_cover(photo, (PHOTO_WIDTH, HEIGHT)), (WIDTH - PHOTO_WIDTH if rtl else 0, 0))
    band = (WIDTH - edge - 10, 0, WIDTH - edge, HEIGHT) if rtl else (edge, 0, edge + 10, HEIGHT)
    draw.rectangle(band, fill=ACCENT)
    left, right = (PAD, WIDTH - edge - PAD) if rtl else (edge + PAD, WIDTH - PAD)
    width = right - left
    side = "rtl" if rtl else "ltr"

    def block(text: str, weight: str, sizes: tuple[int, ...], lines: int, fill: tuple[int, int, int], y: int) -> int:
        wrapped, font = _fit(text, weight, sizes, width, lines, glyphs)
        return _lines(card, draw, wrapped, font, fill, left, right, y, rtl, _direction(text, side))

    y = block(title, "Bold", (56, 48, 40), 2, INK, PAD)
    if quoted := short_quote(quote):
        # Arabic sets « » tight; French puts narrow no-break spaces inside
        quoted = f"«{quoted}»" if _direction(quoted, side) == "rtl" else f"«\u202f{quoted}\u202f»"
        block(quoted, "Regular", (40, 36, 32, 28), 5, INK, y + 28)
    block(campaign, "Bold", (30, 26), 1, ACCENT, HEIGHT - PAD - 36)
    return card


def _cover(path: Path, size: tuple[int, int]) -> Image.Image:
    with Image.open(path) as im:
        side = max(size)
        im.draft("RGB", (side, side))  # decode a big JPEG already reduced; both sides stay >= the box
        im = to_srgb(ImageOps.exif_transpose(im))
    if im.mode == "RGBA":
        flat = Image.new("RGB", im.size, BACKGROUND)
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    return ImageOps.fit(im, size, Image.Resampling.BICUBIC, centering=(0.5, 0.35))  # faces sit high


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
        options = {"direction": direction} if RAQM else {}
        if self.scale == 1.0:
            ImageDraw.Draw(card).text((x, y), text, font=self.font, fill=fill, anchor="ls", **options)
            return
        ascent, descent = self.font.getmetrics()
        layer = Image.new("RGBA", (math.ceil(self.font.getlength(text)) + 2, ascent + descent), (0, 0, 0, 0))
        ImageDraw.Draw(layer).text((0, ascent), text, font=self.font, fill=fill, anchor="ls", embedded_color=True,
                                   **options)  # fmt: skip
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
    and ``_fit`` measure with (``getlength``, ``size``), and what draws a line run by run."""

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
            key, direction = self.font_of.get(char), _direction(char, "")
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
                options = {"direction": direction} if RAQM else {}
                ImageDraw.Draw(card).text((x, y), run, font=self.base, fill=fill, anchor="ls", **options)
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
    strong = [_direction(text, "") for _, text in runs]
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


def _direction(text: str, default: str) -> str:
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


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int | None = None) -> list[str]:
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
        n = longest(len(window), lambda k, w=window: " ".join(w[:k]))
        line = " ".join(window[:n])
        if n == 1 and not fits(line):  # one word wider than the column: cut it
            cut = longest(min(len(line), width), lambda k, s=line: s[:k])
            lines.append(line[:cut])
            words[i] = line[cut:]
            continue
        lines.append(line)
        i += n
    return lines


def _fit(
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


def _lines(
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
    options = {"direction": direction} if RAQM else {}  # one base direction for the whole block
    for line in lines:
        if any(key is not None for key, _ in font.runs(line)):  # a font of the machine draws part of it
            font.draw(card, right - font.getlength(line) if rtl else left, y, line, fill, direction == "rtl")
        else:
            draw.text((right, y) if rtl else (left, y), line, font=font.base, fill=fill, anchor="rs" if rtl else "ls",
                      **options)  # fmt: skip
        y += round(size * 1.4)  # room for Arabic marks above and below
    return y - size


def _encode(card: Image.Image) -> bytes:
    out = io.BytesIO()
    # 4:4:4 keeps coloured text crisp; the card is drawn from scratch, so it carries no metadata
    card.save(out, "JPEG", quality=86, optimize=True, subsampling=0)
    return out.getvalue()


def sweep(folder: Path, used: set[Path]) -> int:
    """Remove the cards under ``folder`` (``.cache/vitrine/cards``, every language's) that ``used`` does not
    hold, with their ``.key`` stamps: a removed or held person's card goes (``sweep.Lease``)."""
    from .sweep import remove_unused

    return remove_unused(folder, lambda path: path in used or (path.suffix == ".key" and path.with_suffix("") in used))
