"""Share cards (Open Graph / Twitter): 1200x630 JPEG with the photo, a title, a short quote and the campaign.

Drawn over all cores while the host writes the pages (``Drawing``), and kept in the cache's ``cards``
namespace by the key of their inputs; their text is set by ``vitrine.media.cardtext``. Host-neutral: no MkDocs here.
"""

from __future__ import annotations

import functools
import io
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from vitrine.core.cache import Namespace, remove_unused, stamp, write_atomic
from vitrine.core.workers import pool as worker_pool
from vitrine.media.cardtext import FONTS as FONTS  # the card's names, as other modules and tests know them
from vitrine.media.cardtext import RAQM, Glyphs, draw_lines, fit, short_quote, text_direction
from vitrine.media.cardtext import _Chain as _Chain
from vitrine.media.cardtext import _visual as _visual
from vitrine.media.pixels import centering, to_srgb

CARD_VERSION = 3  # bump when the drawing changes, so cached cards are redrawn
SIZE = WIDTH, HEIGHT = 1200, 630
PHOTO_WIDTH = 480
PAD = 64
BACKGROUND = (247, 239, 229)  # warm paper
INK = (59, 42, 32)  # dark brown: 12:1 on the background
ACCENT = (165, 72, 38)  # terracotta: 5.6:1 on the background


@dataclass(frozen=True, kw_only=True)
class Card:
    """What one card shows; ``name`` is its path under the cache folder, without ``.jpg``."""

    name: str
    photo: Path | None
    title: str
    quote: str
    campaign: str
    lang_dir: str = "ltr"
    glyphs: Glyphs = ()  # fonts of the machine for what the bundled font lacks (vitrine.media.glyphs.fallbacks)
    focus: tuple[float, float] | None = None  # the photo's focus point, (x, y) in %: kept in the crop

    def key(self) -> str:
        inputs: list[object] = [RAQM, self.title, self.quote, self.campaign, self.lang_dir]
        if self.glyphs:  # a machine that gains a font redraws the cards it changes, and those alone
            inputs.append([list(g) for g in self.glyphs])
        if self.photo is not None:  # the pipeline names its files by content: no need to read and hash them again
            inputs += [str(self.photo.resolve()), list(stamp(self.photo.resolve()) or ())]
        if self.focus is not None:  # a new focus redraws the card; none keeps the keys cards had before
            inputs.append(list(self.focus))
        return Namespace(Path(), CARD_VERSION).key(*inputs)


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
    focus: tuple[float, float] | None = None,
) -> Path:
    """Draw the card to ``out_dir/name.jpg`` unless the same inputs drew it already; return its path.

    ``out_dir`` is meant to be a cache folder: beside each card lies ``name.jpg.key``, the hash of its inputs.
    ``photo`` should be an image the pipeline accepted (a mid-size JPEG variant is the quickest to read).
    ``quote`` is plain text, shortened here with ``short_quote``; all text is drawn as given, never interpreted.
    """
    card = Card(
        name=name,
        photo=photo,
        title=title,
        quote=quote,
        campaign=campaign,
        lang_dir=lang_dir,
        glyphs=glyphs,
        focus=focus,
    )
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
            recorded, key = out.with_name(out.name + ".key"), card.key()
            paths[card.name] = out
            if not (out.is_file() and recorded.is_file() and recorded.read_text() == key):
                todo.append((card, out, key))
        self.todo += todo
        if self.progress and todo:
            self.progress(0, len(self.todo))
        if self.workers > 1 and len(self.todo) > 1:
            if self.pool is None:  # forked: workers inherit the fonts already loaded
                self.pool = worker_pool(self.workers)
            for start in range(self.submitted, len(self.todo), 8):  # chunks keep what is sent per card small
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
                      lang_dir=card.lang_dir, glyphs=card.glyphs, focus=card.focus)  # fmt: skip
    write_atomic(out, _encode(image))
    write_atomic(out.with_name(out.name + ".key"), key.encode())  # last: the card is whole when its key is there


def draw_card(
    *,
    photo: Path | None,
    title: str,
    quote: str,
    campaign: str,
    lang_dir: str = "ltr",
    glyphs: Glyphs = (),
    focus: tuple[float, float] | None = None,
) -> Image.Image:
    rtl = lang_dir == "rtl"
    card = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(card)
    # the photo on the side a reader starts from, an accent band where it meets the text
    edge = PHOTO_WIDTH if photo is not None else 16
    if photo is not None:
        card.paste(_cover(photo, (PHOTO_WIDTH, HEIGHT), focus), (WIDTH - PHOTO_WIDTH if rtl else 0, 0))
    band = (WIDTH - edge - 10, 0, WIDTH - edge, HEIGHT) if rtl else (edge, 0, edge + 10, HEIGHT)
    draw.rectangle(band, fill=ACCENT)
    left, right = (PAD, WIDTH - edge - PAD) if rtl else (edge + PAD, WIDTH - PAD)
    width = right - left
    side = "rtl" if rtl else "ltr"

    def block(text: str, weight: str, sizes: tuple[int, ...], lines: int, fill: tuple[int, int, int], y: int) -> int:
        wrapped, font = fit(text, weight, sizes, width, lines, glyphs)
        return draw_lines(card, draw, wrapped, font, fill, left, right, y, rtl, text_direction(text, side))

    y = block(title, "Bold", (56, 48, 40), 2, INK, PAD)
    if quoted := short_quote(quote):
        # Arabic sets « » tight; French puts narrow no-break spaces inside
        quoted = f"«{quoted}»" if text_direction(quoted, side) == "rtl" else f"«\u202f{quoted}\u202f»"
        block(quoted, "Regular", (40, 36, 32, 28), 5, INK, y + 28)
    block(campaign, "Bold", (30, 26), 1, ACCENT, HEIGHT - PAD - 36)
    return card


def _cover(path: Path, size: tuple[int, int], focus: tuple[float, float] | None = None) -> Image.Image:
    with Image.open(path) as source:
        side = max(size)
        source.draft("RGB", (side, side))  # decode a big JPEG already reduced; both sides stay >= the box
        im = to_srgb(ImageOps.exif_transpose(source))
    if im.mode == "RGBA":
        flat = Image.new("RGB", im.size, BACKGROUND)
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    # without a focus point, a little above the middle: faces sit high
    where = centering(focus, im.size, size) if focus else (0.5, 0.35)
    return ImageOps.fit(im, size, Image.Resampling.BICUBIC, centering=where)


def _encode(card: Image.Image) -> bytes:
    out = io.BytesIO()
    # 4:4:4 keeps coloured text crisp; the card is drawn from scratch, so it carries no metadata
    card.save(out, "JPEG", quality=86, optimize=True, subsampling=0)
    return out.getvalue()


def sweep(folder: Path, used: set[Path]) -> int:
    """Remove the cards under ``folder`` (``.cache/vitrine/cards``, every language's) that ``used`` does not
    hold, with their ``.key`` stamps: a removed or held person's card goes (``sweep.Lease``)."""

    return remove_unused(folder, lambda path: path in used or (path.suffix == ".key" and path.with_suffix("") in used))
