"""Responsive images: orient, convert to sRGB, strip metadata, resize, encode WebP + JPEG, cache by content.

One decode per photo (JPEGs decoded already reduced with ``draft``), every width resized from it, jobs spread
over all cores. The cache is keyed by the source bytes and the settings, so a warm build only hashes files.
Host-neutral: no MkDocs here.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import struct
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, ImageCms, ImageFile, ImageOps, UnidentifiedImageError
from PIL import Image as PILImage

from vitrine.errors import Msg, Problem, error, msg
from vitrine.model import Image
from vitrine.workers import pool as worker_pool

PIPELINE_VERSION = 3  # bump when the output of the same source and settings changes
WIDTHS = (480, 960, 1600)
# A portrait is shown at most 14rem wide, or half a phone's width (the theme's `sizes`): 960 pixels cover a
# phone at 3 pixels a point. Its wider variant is only a JPEG, for the press kit's ZIP.
PORTRAIT_WIDTH = 960
# WebP method 2: half the encoding time of the default 4 for files about 3 % larger (measured on photos)
WEBP_QUALITY, WEBP_METHOD = 80, 2
JPEG_QUALITY = 82
# Pillow opens dozens of formats; decoding only the common photo formats keeps the attack surface small.
ACCEPTED = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "AVIF")

NOT_AN_IMAGE = msg("not an image file: save it as JPEG, PNG or WebP")
CORRUPT = msg("image data is truncated or corrupt: export the photo again")
WORKER_DIED = msg("a worker process died while encoding this image (out of memory?): build again")


def _unsupported(fmt: str) -> Msg:
    return msg("unsupported image format {format}: save it as JPEG, PNG or WebP", format=fmt)


def _unwritable(folder: Path, reason: str) -> Msg:
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


# --- guard -----------------------------------------------------------------------------------------------


def check_source(image_path: Path, root: Path, label: str, line: int | None = None) -> Problem | None:
    """Refuse an image path that leaves ``root`` (stories/), lexically or through a symlink, or is missing.

    ``image_path`` is what the editor wrote joined to the story's folder (``story_dir / written``: an absolute
    written path then stays absolute); a relative one is taken from ``root``.
    """
    root = Path(os.path.abspath(root))
    path = Path(os.path.abspath(root / image_path))  # normalises ".." without following symlinks
    if not path.is_relative_to(root):
        if ".." in Path(image_path).parts:
            return error(label, line, "image path {path} goes up out of the stories folder: keep photos beside the "
                         "story", path=str(image_path))  # fmt: skip
        return error(label, line, "image path {path} is outside the stories folder: use a path relative to the story",
                     path=str(image_path))  # fmt: skip
    if not path.exists():
        if path.is_symlink():
            return error(label, line, "image {path} is a broken symlink", path=str(image_path))
        return error(label, line, "image file not found: {path}", path=str(image_path))
    if not path.resolve().is_relative_to(root.resolve()):
        return error(
            label, line, "image {path} is a symlink to a file outside the stories folder", path=str(image_path)
        )
    if not path.is_file():
        return error(label, line, "image path {path} is not a file", path=str(image_path))
    return None


# --- cache -----------------------------------------------------------------------------------------------


def _settings(widths: Sequence[int], webp_max: int | None = None) -> bytes:
    return json.dumps([PIPELINE_VERSION, list(widths), WEBP_QUALITY, WEBP_METHOD, JPEG_QUALITY, webp_max]).encode()


def cache_key(data: bytes, widths: Sequence[int], webp_max: int | None = None) -> str:
    return hashlib.sha256(_settings(widths, webp_max) + hashlib.sha256(data).digest()).hexdigest()[:40]


STAT_INDEX = "stat-index"  # source path -> [size, mtime_ns, inode, cache key] of the last build with these widths
RACY_NS = 2_000_000_000  # a file changed this recently may change again within the clock's granularity: hash it


def _stamp(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _index_file(cache_dir: Path, widths: Sequence[int]) -> Path:
    # named by the settings too: a new pipeline version must not find the old one's entries by stat
    return cache_dir / f"{STAT_INDEX}-{hashlib.sha256(_settings(sorted(widths))).hexdigest()[:16]}.json"


def _read_index(cache_dir: Path, widths: Sequence[int]) -> dict[str, list]:
    try:
        index = json.loads(_index_file(cache_dir, widths).read_text())
        return index if isinstance(index, dict) else {}
    except (OSError, ValueError):
        return {}


def _entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / key  # a stem: <key>.json, <key>-480.webp, ...


def write_atomic(path: Path, data: bytes) -> None:
    # temp file + rename: an interrupted build never leaves a half-written file under a valid name
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _picture(image: Image, stem: Path, sizes: list[tuple[int, int]]) -> Picture:
    def variants(ext: str, mime: str) -> tuple[Variant, ...]:
        return tuple(
            Variant(f"img/{image.name}-{w}.{ext}", stem.with_name(f"{stem.name}-{w}.{ext}"), w, h, mime)
            for w, h in sizes
        )

    width, height = sizes[-1]
    webp = tuple(v for v in variants("webp", "image/webp") if v.width <= _webp_max(image.webp_max, sizes))
    return Picture(image.alt, width, height, webp, variants("jpg", "image/jpeg"))


def _webp_max(webp_max: int | None, sizes: Sequence[tuple[int, int]]) -> int:
    """The widest WebP to make: ``webp_max``, or the smallest size when even that is wider."""
    return max(webp_max or sizes[-1][0], sizes[0][0])


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


def _open(data: bytes) -> PILImage.Image:
    try:
        return PILImage.open(io.BytesIO(data), formats=ACCEPTED)
    except UnidentifiedImageError:
        pass
    # Name the format when we can, so the editor knows what to convert.
    head = data[:64]
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        raise _Refused(_unsupported("HEIC")) from None
    if head.lstrip()[:5] in (b"<?xml", b"<svg ") or b"<svg" in head:
        raise _Refused(_unsupported("SVG")) from None
    try:
        with PILImage.open(io.BytesIO(data)) as other:  # header only: no decoding of the refused format
            raise _Refused(_unsupported(other.format)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise _Refused(NOT_AN_IMAGE) from None


def _open_checked(data: bytes, max_pixels: int | None) -> PILImage.Image:
    """Open, refusing a decompression bomb with its size in the message.

    Pillow's own guard raises on open with no size in its message and only warns below 2x the limit;
    we switch it off for the open and refuse anything over the limit ourselves."""
    saved, PILImage.MAX_IMAGE_PIXELS = PILImage.MAX_IMAGE_PIXELS, None
    try:
        im = _open(data)
    finally:
        PILImage.MAX_IMAGE_PIXELS = saved
    if max_pixels and im.size[0] * im.size[1] > max_pixels:
        raise _Refused(
            msg(
                "image is {width}×{height} pixels, more than the {limit:,} allowed (decompression bomb "
                "guard): scale it down",
                width=im.size[0],
                height=im.size[1],
                limit=max_pixels,
            )
        )
    return im


class _Refused(Exception):
    """A problem with the source, reported as its message."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


WEBP_MAX = 16383  # pixels: the most a WebP holds on either side


def _target_sizes(size: tuple[int, int], widths: Sequence[int]) -> list[tuple[int, int]]:
    """Each width's size, never upscaled; a very tall picture (a 1080×17000 infographic) is scaled down
    further so that it fits in WebP, whose sides stop at 16,383 pixels."""
    width, height = size
    sizes = []
    for w in sorted({min(w, width) for w in widths}):
        h = max(1, round(height * w / width))
        if h > WEBP_MAX:
            w, h = max(1, w * WEBP_MAX // h), WEBP_MAX
        if (w, h) not in sizes:
            sizes.append((w, h))
    return sizes


_SRGB = ImageCms.createProfile("sRGB")


def to_srgb(im: PILImage.Image) -> PILImage.Image:
    """RGB or RGBA in sRGB, whatever the source's mode and colour profile."""
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v / 257, "L")  # scale 16 bits to 8: convert("L") would clip at 255
    elif im.mode == "F":
        im = im.convert("L")
    if im.mode in ("P", "PA", "LA", "La", "RGBa") or (im.mode == "L" and "transparency" in im.info):
        im = im.convert("RGBA")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:  # Display P3 (phones), Adobe RGB, CMYK: map the colours, don't just drop the profile
            alpha = im.getchannel("A") if im.mode == "RGBA" else None
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            im = ImageCms.profileToProfile(
                im.convert("RGB") if alpha else im,
                source,
                _SRGB,
                outputMode="RGB",
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
            )
            if alpha:
                im.putalpha(alpha)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: plain conversion below is the best we can do
    if im.mode == "RGBA" and im.getchannel("A").getextrema() == (255, 255):
        im = im.convert("RGB")  # opaque after all: no alpha plane in the WebP
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGB")
    return im


def _flatten(im: PILImage.Image) -> PILImage.Image:
    if im.mode != "RGBA":
        return im
    flat = PILImage.new("RGB", im.size, "white")  # JPEG has no alpha
    flat.paste(im, mask=im.getchannel("A"))
    return flat


def _encode(
    data: bytes, stem: Path, widths: Sequence[int], max_pixels: int | None, webp_max: int | None = None
) -> dict[Path, bytes]:
    """Every variant's file content, by its cache path."""
    im, sizes = _decoded(data, widths, max_pixels)
    files: dict[Path, bytes] = {}
    for w, h in reversed(sizes):  # largest first; each smaller size from the previous one
        if im.size == (w * 2, h * 2):
            im = im.reduce(2)  # 960 -> 480: an exact half, a 2x2 average is as good and ten times faster
        elif im.size != (w, h):  # bicubic, Pillow's own for thumbnails: a quarter quicker than Lanczos
            im = im.resize((w, h), PILImage.Resampling.BICUBIC)
        if w <= _webp_max(webp_max, sizes):
            out = io.BytesIO()
            im.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
            files[stem.with_name(f"{stem.name}-{w}.webp")] = out.getvalue()
        out = io.BytesIO()
        # Baseline, not progressive: browsers that take the JPEG over the WebP are few, and a progressive
        # encode costs three times as long (a third of all the encoding time, measured on 1200x900 photos).
        _flatten(im).save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        files[stem.with_name(f"{stem.name}-{w}.jpg")] = out.getvalue()
    files[stem.with_suffix(".json")] = json.dumps({"sizes": sizes}).encode()  # written last: marks the entry done
    return files


def _decoded(data: bytes, widths: Sequence[int], max_pixels: int | None) -> tuple[PILImage.Image, list]:
    """The picture decoded (at the largest size it is shown), upright and in sRGB, and its sizes."""
    im = _open_checked(data, max_pixels)
    width, height = im.size
    turned = im.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)
    sizes = _target_sizes((height, width) if turned else (width, height), widths)
    if im.format in ("JPEG", "MPO"):
        w, h = sizes[-1]
        im.draft("RGB", (h, w) if turned else (w, h))  # DCT-scaled decode, still at least the largest size
    im.load()  # frame 0 of an animation
    ImageOps.exif_transpose(im, in_place=True)
    im = to_srgb(im)
    im.info = {}  # Pillow's JPEG/PNG writers fall back on .info (comment, ICC): carry no metadata to any output
    return im, sizes


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
            return _decoded(data, widths, max_pixels)[1]
        files = _encode(data, stem, widths, max_pixels, webp_max)
    except _Refused as exc:
        return exc.message
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return CORRUPT  # truncated data, broken chunks, bad headers: what Pillow's decoders raise
    except Exception as exc:  # the contract is one Problem per image, never a traceback
        return msg(
            "image processing failed unexpectedly ({kind}): try saving the photo again as JPEG", kind=type(exc).__name__
        )
    try:
        for path, content in files.items():
            write_atomic(path, content)
    except OSError as exc:
        return _unwritable(stem.parent.parent, exc.strerror)
    return json.loads(files[stem.with_suffix(".json")])["sizes"]


# --- many images -----------------------------------------------------------------------------------------


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
    stats = stats if stats is not None else Stats()
    workers = workers or os.cpu_count() or 1
    max_pixels = PILImage.MAX_IMAGE_PIXELS
    pictures: dict[str, Picture] = {}
    problems: list[Problem] = []
    total, done = len(images), 0

    def settle(image: Image, stem: Path, result: list[tuple[int, int]] | Msg) -> None:
        nonlocal done
        if isinstance(result, Msg):
            problems.append(error(image.label, None, result))
            stats.failed += 1
        elif not verify:
            pictures[image.name] = _picture(image, stem, [tuple(s) for s in result])
            stats.encoded += 1
        done += 1
        if progress:
            progress(done, total)

    # Stream: hash each file (one read), keep its bytes only until a worker has them, so memory stays bounded.
    # The pool starts only when a second job appears: one changed photo is encoded in-process.
    waiting: list[tuple[Image, bytes, Path]] = []
    running: dict[Future, tuple[Image, Path]] = {}
    pool: ProcessPoolExecutor | None = None

    def collect() -> None:
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            image, stem = running.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:  # killed: maybe not this image's fault, but never a traceback
                result = WORKER_DIED
            settle(image, stem, result)

    # A warm build trusts a photo's size, mtime and inode as the last build saw them, instead of reading and
    # hashing 1,150 photos (100 MB) again; any change, or a file changed just before it was seen, is hashed.
    index, seen = _read_index(cache_dir, widths), {}
    now = time.time_ns()
    try:
        for image in images:
            stamp, known = _stamp(image.source), index.get(os.fspath(image.source))
            if stamp and known and known[:3] == stamp and isinstance(known[3], str):
                stem = _entry(cache_dir, known[3])
                if (picture := _cached(image, stem)) is not None:
                    pictures[image.name] = picture
                    seen[os.fspath(image.source)] = known
                    stats.cached += 1
                    done += 1
                    if progress:
                        progress(done, total)
                    continue
            try:
                data = image.source.read_bytes()
            except FileNotFoundError:
                settle(image, Path(), msg("image file not found"))
                continue
            except OSError as exc:
                settle(image, Path(), msg("cannot read image file: {reason}", reason=exc.strerror))
                continue
            key = cache_key(data, widths, image.webp_max)
            stem = _entry(cache_dir, key)
            if stamp and now - stamp[1] > RACY_NS and stamp == _stamp(image.source):  # unchanged while read
                seen[os.fspath(image.source)] = [*stamp, key]
            if (picture := _cached(image, stem)) is not None:
                pictures[image.name] = picture
                stats.cached += 1
                done += 1
                if progress:
                    progress(done, total)
                continue
            if workers == 1:
                settle(image, stem, _job(data, stem, widths, max_pixels, image.webp_max, verify))
                continue
            waiting.append((image, data, stem))
            if pool is None and len(waiting) > 1:
                pool = worker_pool(workers)
            while pool is not None and waiting:
                if len(running) >= 2 * workers:
                    collect()
                image_, data_, stem_ = waiting.pop(0)
                try:
                    future = pool.submit(_job, data_, stem_, widths, max_pixels, image_.webp_max, verify)
                except BrokenProcessPool:  # a worker died (decoder crash, out of memory): go on with fresh ones
                    pool.shutdown(wait=False)
                    pool = worker_pool(workers)
                    future = pool.submit(_job, data_, stem_, widths, max_pixels, image_.webp_max, verify)
                running[future] = (image_, stem_)
        for image, data, stem in waiting:  # no pool: zero or one job
            settle(image, stem, _job(data, stem, widths, max_pixels, image.webp_max, verify))
        while running:
            collect()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if seen != index and not verify:
        with contextlib.suppress(OSError):  # a read-only cache still works, just slower
            write_atomic(_index_file(cache_dir, widths), json.dumps(seen).encode())
    return pictures, sorted(problems)


# --- images that pages name directly (docs/) ---------------------------------------------------------------

DOCS_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # kept as they are named: re-encoded in their own format
# File names that promise an image: one that is not is refused rather than published as it is.
IMAGE_NAMES = {".jpg", ".jpeg", ".jpe", ".jfif", ".pjpeg", ".pjp", ".png", ".apng", ".webp", ".gif", ".tif",
               ".tiff", ".bmp", ".heic", ".heif", ".avif", ".ico", ".jxl", ".jp2", ".psd"}  # fmt: skip
_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"\x00\x00\x01\x00", "ICO"), (b"8BPS", "PSD"),
    (b"\xff\x0a", "JPEG XL"), (b"\x00\x00\x00\x0cJXL ", "JPEG XL"), (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
)  # fmt: skip


def sniff(path: Path) -> str | None:
    """The image format of a file by its first bytes, whatever its name; None when it is no image."""
    try:
        with path.open("rb") as file:
            head = file.read(32)
    except OSError:
        return None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIC"
    if head[:2] == b"BM" and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "BMP"
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def is_image(path: Path) -> bool:
    """An image by its content, or a file named like one (refused if it is not)."""
    return sniff(path) is not None or path.suffix.lower() in IMAGE_NAMES


def docs_image_problem(source: Path, label: str) -> Problem | None:
    """Why an image of docs/ cannot be published as it is named (``vitrine check`` asks without encoding it)."""
    fmt = sniff(source)
    if fmt is None:
        return error(label, None, NOT_AN_IMAGE)
    if fmt not in DOCS_FORMATS:
        return error(label, None, "unsupported image format {format}: save it as JPEG, PNG, WebP or GIF", format=fmt)
    return None


def clean_file(
    source: Path, label: str, cache_dir: Path, verify: bool = False
) -> tuple[Path | None, Problem | None]:
    """A copy of ``source`` in the same format and size, upright and without metadata.

    Hand-written pages in docs/ name their images by path, so these keep their name and format instead of
    becoming responsive variants; they still never reach the site as they were uploaded. The format is the
    content's, whatever the name says (photo.jfif is a JPEG)."""
    if refused := docs_image_problem(source, label):
        return None, refused
    fmt = sniff(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        return None, error(label, None, "cannot read image file: {reason}", reason=exc.strerror)
    out = _entry(cache_dir, cache_key(data, [fmt])).with_suffix(f".{fmt.lower()}")
    if out.is_file():
        return out, None
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # see _job
    try:
        im = _open_checked(data, PILImage.MAX_IMAGE_PIXELS)
        if fmt == "WEBP" and max(im.size) > WEBP_MAX:  # cannot be written back as WebP
            raise _Refused(
                msg(
                    "image is {width}×{height} pixels; a WebP holds at most {limit:,} on each side: save it "
                    "as JPEG or PNG, or scale it down",
                    width=im.size[0],
                    height=im.size[1],
                    limit=WEBP_MAX,
                )
            )
        im.load()  # frame 0 of an animation
        im = to_srgb(ImageOps.exif_transpose(im))
        im.info = {}
        buffer = io.BytesIO()
        if fmt == "JPEG":
            _flatten(im).save(buffer, fmt, quality=JPEG_QUALITY, progressive=True, optimize=True)
        else:
            im.save(buffer, fmt, **({"quality": WEBP_QUALITY} if fmt == "WEBP" else {"optimize": True}))
    except _Refused as exc:
        return None, error(label, None, exc.message)
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return None, error(label, None, CORRUPT)
    if verify:  # vitrine check: the problems, nothing kept
        return None, None
    try:
        write_atomic(out, buffer.getvalue())
    except OSError as exc:
        return None, error(label, None, _unwritable(cache_dir, exc.strerror))
    return out, None


def sweep(cache_dir: Path, used: set[Path]) -> int:
    """Remove the files of ``cache_dir`` (named by their source's content: ``<key>.json``, ``<key>-<width>.<ext>``,
    a cleaned ``docs/`` image's ``<key>.<ext>``) of which ``used`` holds none with the same key: a removed or
    held person's portrait goes (``sweep.Lease``). The stat indexes, right in ``cache_dir``, stay."""
    from .sweep import remove_unused

    keys = {_key_of(path) for path in used}
    return remove_unused(cache_dir, lambda path: _key_of(path) in keys, keep_top=True)


def _key_of(path: Path) -> str:
    return path.name.split(".")[0].split("-")[0]  # "" for a temporary file (.tmp-…): never kept
