"""Responsive images: orient, convert to sRGB, strip metadata, resize, encode WebP + JPEG, cache by content.

One decode per photo (JPEGs decoded already reduced with ``draft``), every width resized from it, jobs spread
over all cores (the decoding and encoding of one picture: ``vitrine.media.pixels``). The cache (``vitrine.core.cache``'s
``images`` namespace) is keyed by the source bytes and the settings, so a warm build only hashes files, and
trusts an unchanged file's stamp without reading it. Host-neutral: no MkDocs here.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageFile

from vitrine.core.cache import Namespace, remove_unused, stamp, write_atomic
from vitrine.core.errors import Msg, Problem, error, msg
from vitrine.core.workers import pool as worker_pool
from vitrine.media.pixels import (
    CORRUPT,
    JPEG_QUALITY,
    WEBP_METHOD,
    WEBP_QUALITY,
    Refused,
    decoded,
    docs_image_problem,
    encode,
    reencode,
    sniff,
    webp_width,
)
from vitrine.media.pixels import WEBP_MAX as WEBP_MAX  # the pipeline's names, as other modules and tests know them
from vitrine.media.pixels import check_source as check_source
from vitrine.media.pixels import is_image as is_image
from vitrine.media.pixels import to_srgb as to_srgb
from vitrine.read.model import PORTRAIT_WIDTH as PORTRAIT_WIDTH  # the pipeline's name, as tests know it
from vitrine.read.model import Image

PIPELINE_VERSION = 3  # bump when the output of the same source and settings changes
WIDTHS = (240, 480, 960, 1600)  # 240: thumbnails, avatars and a phone's two columns
# A portrait is shown at most 14rem wide, or half a phone's width (the theme's `sizes`): 960 pixels cover a
# phone at 3 pixels a point. Its wider variant is only a JPEG, for the press kit's ZIP.

WORKER_DIED = msg("a worker process died while encoding this image (out of memory?): build again")


def _unwritable(folder: Path, reason: str | None) -> Msg:  # an OSError's strerror, None at times
    return msg("cannot write the image cache in {folder}: {reason}", folder=str(folder), reason=reason)


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative: "img/<name>-<width>.<ext>"
    file: Path  # the encoded file in the cache, to copy into the site
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Picture:
    alt: str
    width: int  # of the largest variant
    height: int
    webp: tuple[Variant, ...]  # ascending width
    jpeg: tuple[Variant, ...]

    @property
    def srcset_webp(self) -> str:
        return _srcset(self.webp)

    @property
    def srcset_jpeg(self) -> str:
        return _srcset(self.jpeg)

    @property
    def fallback(self) -> Variant:
        """The <img src>: a mid-size JPEG, for browsers that read no srcset."""
        return self.jpeg[len(self.jpeg) // 2]

    def variants(self) -> tuple[Variant, ...]:
        return self.webp + self.jpeg


@dataclass
class Stats:
    """What a run did; a warm run has ``encoded == 0``."""

    cached: int = 0
    encoded: int = 0
    failed: int = 0


def _srcset(variants: tuple[Variant, ...]) -> str:
    return ", ".join(f"{v.url} {v.width}w" for v in variants)


# --- cache -----------------------------------------------------------------------------------------------


def _namespace(cache_dir: Path) -> Namespace:
    # read at each call: the version is a module value a test may raise
    return Namespace(cache_dir, PIPELINE_VERSION)


def _settings(widths: Sequence[int | str], webp_max: int | None = None) -> list:  # a docs/ image: its format
    return [list(widths), WEBP_QUALITY, WEBP_METHOD, JPEG_QUALITY, webp_max]


STAT_INDEX = "stat-index"  # source path -> [size, mtime_ns, inode, cache key] of the last build with these widths
RACY_NS = 2_000_000_000  # a file changed this recently may change again within the clock's granularity: hash it


def _index_name(widths: Sequence[int]) -> str:
    # named by the settings too: a new pipeline version must not find the old one's entries by stat
    return f"{STAT_INDEX}-{_namespace(Path()).key(*_settings(sorted(widths)))[:16]}.json"


def _read_index(cache_dir: Path, widths: Sequence[int]) -> dict[str, list]:
    index = _namespace(cache_dir).load(_index_name(widths))
    return index if isinstance(index, dict) else {}


def _picture(image: Image, stem: Path, sizes: list[tuple[int, int]]) -> Picture:
    def variants(ext: str, mime: str) -> tuple[Variant, ...]:
        return tuple(
            Variant(f"img/{image.name}-{w}.{ext}", stem.with_name(f"{stem.name}-{w}.{ext}"), w, h, mime)
            for w, h in sizes
        )

    width, height = sizes[-1]
    webp = tuple(v for v in variants("webp", "image/webp") if v.width <= webp_width(image.webp_max, sizes))
    return Picture(image.alt, width, height, webp, variants("jpg", "image/jpeg"))


def _cached(image: Image, stem: Path) -> Picture | None:
    """The cached Picture if its sidecar and every file are there; decodes nothing."""
    try:
        sizes = [(int(w), int(h)) for w, h in json.loads(stem.with_suffix(".json").read_text())["sizes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not sizes:
        return None
    picture = _picture(image, stem, sizes)
    return picture if all(v.file.is_file() for v in picture.variants()) else None


# --- one image -------------------------------------------------------------------------------------------


def _job(
    data: bytes,
    stem: Path,
    widths: Sequence[int],
    max_pixels: int | None,
    webp_max: int | None = None,
    verify: bool = False,
) -> list[tuple[int, int]] | Msg:
    """Encode one image (``verify``: decode it only, writing nothing); a bad image comes back as its message,
    never as an exception."""
    # WeasyPrint, once imported (press kit), makes Pillow accept truncated files process-wide:
    # a half-uploaded photo must still be refused here, not published with a grey band.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        if verify:
            return decoded(data, widths, max_pixels)[1]
        sizes, files = encode(data, widths, max_pixels, webp_max)
    except Refused as exc:
        return exc.message
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return CORRUPT  # truncated data, broken chunks, bad headers: what Pillow's decoders raise
    except Exception as exc:  # the contract is one Problem per image, never a traceback
        return msg(
            "image processing failed unexpectedly ({kind}): try saving the photo again as JPEG", kind=type(exc).__name__
        )
    try:
        for end, content in files.items():
            write_atomic(stem.with_name(stem.name + end), content)
        write_atomic(stem.with_suffix(".json"), json.dumps({"sizes": sizes}).encode())  # last: marks it done
    except OSError as exc:
        return _unwritable(stem.parent.parent, exc.strerror)
    return sizes


# --- many images -----------------------------------------------------------------------------------------


@dataclass
class _Run:
    """One ``process_images``: what is settled, and the worker pool once a second job appears."""

    total: int
    workers: int
    verify: bool
    progress: Callable[[int, int], None] | None
    stats: Stats
    max_pixels: int | None = field(default_factory=lambda: PILImage.MAX_IMAGE_PIXELS)
    pictures: dict[str, Picture] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    done: int = 0
    waiting: list[tuple[Image, bytes, Path]] = field(default_factory=list)
    running: dict[Future, tuple[Image, Path]] = field(default_factory=dict)
    pool: ProcessPoolExecutor | None = None

    def tick(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)

    def hit(self, image: Image, picture: Picture) -> None:
        self.pictures[image.name] = picture
        self.stats.cached += 1
        self.tick()

    def settle(self, image: Image, stem: Path, result: list[tuple[int, int]] | Msg) -> None:
        if isinstance(result, Msg):
            self.problems.append(error(image.label, None, result))
            self.stats.failed += 1
        elif not self.verify:
            self.pictures[image.name] = _picture(image, stem, [(w, h) for w, h in result])
            self.stats.encoded += 1
        self.tick()

    def job(self, image: Image, data: bytes, stem: Path, widths: Sequence[int]) -> None:
        """Encode now (one core), or queue for the pool, which starts when a second job appears."""
        if self.workers == 1:
            self.settle(image, stem, _job(data, stem, widths, self.max_pixels, image.webp_max, self.verify))
            return
        self.waiting.append((image, data, stem))
        if self.pool is None and len(self.waiting) > 1:
            self.pool = worker_pool(self.workers)
        while self.pool is not None and self.waiting:
            if len(self.running) >= 2 * self.workers:
                self.collect()
            image_, data_, stem_ = self.waiting.pop(0)
            args = (data_, stem_, widths, self.max_pixels, image_.webp_max, self.verify)
            try:
                future = self.pool.submit(_job, *args)
            except BrokenProcessPool:  # a worker died (decoder crash, out of memory): go on with fresh ones
                self.pool.shutdown(wait=False)
                self.pool = worker_pool(self.workers)
                future = self.pool.submit(_job, *args)
            self.running[future] = (image_, stem_)

    def collect(self) -> None:
        finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
        for future in finished:
            image, stem = self.running.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:  # killed: maybe not this image's fault, but never a traceback
                result = WORKER_DIED
            self.settle(image, stem, result)

    def finish(self, widths: Sequence[int]) -> None:
        for image, data, stem in self.waiting:  # no pool: zero or one job
            self.settle(image, stem, _job(data, stem, widths, self.max_pixels, image.webp_max, self.verify))
        self.waiting = []
        while self.running:
            self.collect()


def process_images(
    images: Sequence[Image],
    cache_dir: Path,
    *,
    widths: Sequence[int] = WIDTHS,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    stats: Stats | None = None,
    verify: bool = False,
) -> tuple[dict[str, Picture], list[Problem]]:
    """Encode every image (or take it from the cache); one Problem per image that cannot be used.

    ``progress(done, total)`` is called as each image is settled, cached ones included. Pass ``stats`` to
    learn how many were cached, encoded or failed. ``verify`` (``vitrine check``): the same problems, from the
    cache or by decoding each image the cache does not hold, with nothing encoded or written (no pictures).
    """
    run = _Run(len(images), workers or os.cpu_count() or 1, verify, progress, stats if stats is not None else Stats())
    # A warm build trusts a photo's size, mtime and inode as the last build saw them, instead of reading and
    # hashing 1,150 photos (100 MB) again; any change, or a file changed just before it was seen, is hashed.
    index = _read_index(cache_dir, widths)
    seen: dict[str, list] = {}
    try:
        for image in images:
            _one(run, image, cache_dir, widths, index, seen)
        run.finish(widths)
    finally:
        if run.pool is not None:
            run.pool.shutdown(cancel_futures=True)
    if seen != index and not verify:
        with contextlib.suppress(OSError):  # a read-only cache still works, just slower
            _namespace(cache_dir).save(_index_name(widths), seen)
    return run.pictures, sorted(run.problems)


def _one(
    run: _Run, image: Image, cache_dir: Path, widths: Sequence[int], index: dict[str, list], seen: dict[str, list]
) -> None:
    """Settle one image from the cache (by stamp, else by content) or hand it to ``run`` to encode; note in
    ``seen`` the stamp and key of a file that did not change while it was read."""
    source, cache = os.fspath(image.source), _namespace(cache_dir)
    now, known = stamp(image.source), index.get(source)
    if not (isinstance(known, list) and len(known) == 4 and isinstance(known[3], str) and tuple(known[:3]) == now):
        known = None  # not the file as the last build saw it
    if now and known is not None and (picture := _cached(image, cache.entry(known[3]))) is not None:
        seen[source] = known
        run.hit(image, picture)
        return
    try:
        data = image.source.read_bytes()
    except FileNotFoundError:
        run.settle(image, Path(), msg("image file not found"))
        return
    except OSError as exc:
        run.settle(image, Path(), msg("cannot read image file: {reason}", reason=exc.strerror))
        return
    key = cache.key(*_settings(widths, image.webp_max), data=data)
    if now and time.time_ns() - now[1] > RACY_NS and now == stamp(image.source):  # unchanged while read
        seen[source] = [*now, key]
    if (picture := _cached(image, cache.entry(key))) is not None:
        run.hit(image, picture)
    else:
        run.job(image, data, cache.entry(key), widths)


# --- images that pages name directly (docs/) ---------------------------------------------------------------


def clean_file(source: Path, label: str, cache_dir: Path, verify: bool = False) -> tuple[Path | None, Problem | None]:
    """A copy of ``source`` in the same format and size, upright and without metadata.

    Hand-written pages in docs/ name their images by path, so these keep their name and format instead of
    becoming responsive variants; they still never reach the site as they were uploaded. The format is the
    content's, whatever the name says (photo.jfif is a JPEG)."""
    if refused := docs_image_problem(source, label):
        return None, refused
    fmt = sniff(source)
    assert fmt is not None  # docs_image_problem refused a file that is no image
    try:
        data = source.read_bytes()
    except OSError as exc:
        return None, error(label, None, "cannot read image file: {reason}", reason=exc.strerror)
    cache = _namespace(cache_dir)
    out = cache.entry(cache.key(*_settings([fmt]), data=data)).with_suffix(f".{fmt.lower()}")
    if out.is_file():
        return out, None
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # see _job
    try:
        clean = reencode(data, fmt)
    except Refused as exc:
        return None, error(label, None, exc.message)
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return None, error(label, None, CORRUPT)
    if verify:  # vitrine check: the problems, nothing kept
        return None, None
    try:
        cache.write(out, clean)
    except OSError as exc:
        return None, error(label, None, _unwritable(cache_dir, exc.strerror))
    return out, None


def sweep(cache_dir: Path, used: set[Path]) -> int:
    """Remove the files of ``cache_dir`` (named by their source's content: ``<key>.json``, ``<key>-<width>.<ext>``,
    a cleaned ``docs/`` image's ``<key>.<ext>``) of which ``used`` holds none with the same key: a removed or
    held person's portrait goes (``sweep.Lease``). The stat indexes, right in ``cache_dir``, stay."""

    keys = {_key_of(path) for path in used}
    return remove_unused(cache_dir, lambda path: _key_of(path) in keys, keep_top=True)


def _key_of(path: Path) -> str:
    return path.name.split(".")[0].split("-")[0]  # "" for a write under way (.<name>.….part): never kept
