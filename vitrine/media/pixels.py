"""One picture: its source path checked, then decoded and encoded: opened (common photo formats only, a
decompression bomb refused), upright, in sRGB, without metadata, resized and encoded as WebP and JPEG. No cache
and no files written here: ``vitrine.media.images`` runs this over every photo and keeps what it makes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

from PIL import ExifTags, ImageCms, ImageOps, UnidentifiedImageError
from PIL import Image as PILImage

from vitrine.core.errors import Msg, Problem, error, msg

# WebP method 2: half the encoding time of the default 4 for files about 3 % larger (measured on photos)
WEBP_QUALITY, WEBP_METHOD = 80, 2
JPEG_QUALITY = 82
# Pillow opens dozens of formats; decoding only the common photo formats keeps the attack surface small.
ACCEPTED = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "AVIF")

NOT_AN_IMAGE = msg("not an image file: save it as JPEG, PNG or WebP")
CORRUPT = msg("image data is truncated or corrupt: export the photo again")


# --- the source ----------------------------------------------------------------------------------------


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


# --- the pixels ------------------------------------------------------------------------------------------


def _unsupported(fmt: str | None) -> Msg:  # None: a format Pillow reads but does not name
    return msg("unsupported image format {format}: save it as JPEG, PNG or WebP", format=fmt)


def webp_width(webp_max: int | None, sizes: Sequence[tuple[int, int]]) -> int:
    """The widest WebP to make: ``webp_max``, or the smallest size when even that is wider."""
    return max(webp_max or sizes[-1][0], sizes[0][0])


def _open(data: bytes) -> PILImage.Image:
    try:
        return PILImage.open(io.BytesIO(data), formats=ACCEPTED)
    except UnidentifiedImageError:
        pass
    # Name the format when we can, so the editor knows what to convert.
    head = data[:64]
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        raise Refused(_unsupported("HEIC")) from None
    if head.lstrip()[:5] in (b"<?xml", b"<svg ") or b"<svg" in head:
        raise Refused(_unsupported("SVG")) from None
    try:
        with PILImage.open(io.BytesIO(data)) as other:  # header only: no decoding of the refused format
            raise Refused(_unsupported(other.format)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise Refused(NOT_AN_IMAGE) from None


def open_checked(data: bytes, max_pixels: int | None) -> PILImage.Image:
    """Open, refusing a decompression bomb with its size in the message.

    Pillow's own guard raises on open with no size in its message and only warns below 2x the limit;
    we switch it off for the open and refuse anything over the limit ourselves."""
    saved, PILImage.MAX_IMAGE_PIXELS = PILImage.MAX_IMAGE_PIXELS, None
    try:
        im = _open(data)
    finally:
        PILImage.MAX_IMAGE_PIXELS = saved
    if max_pixels and im.size[0] * im.size[1] > max_pixels:
        raise Refused(
            msg(
                "image is {width}×{height} pixels, more than the {limit:,} allowed (decompression bomb "
                "guard): scale it down",
                width=im.size[0],
                height=im.size[1],
                limit=max_pixels,
            )
        )
    return im


class Refused(Exception):
    """A problem with the source, reported as its message."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


WEBP_MAX = 16383  # pixels: the most a WebP holds on either side


def target_sizes(size: tuple[int, int], widths: Sequence[int]) -> list[tuple[int, int]]:
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


def centering(focus: tuple[float, float], size: tuple[int, int], box: tuple[int, int]) -> tuple[float, float]:
    """``ImageOps.fit``'s ``centering`` that crops ``size`` to the shape of ``box`` around ``focus`` ((x, y) in %
    from the top left): the focus at the crop's centre, as far as the picture allows, as CSS's object-position
    would not (it puts a 70% focus at 70% of the box), so a face near an edge is never the first thing cut."""
    width, height = size
    ratio = box[0] / box[1]
    crop = (min(width, height * ratio), min(height, width / ratio))  # the largest crop of that shape
    return tuple(  # type: ignore[return-value]  # two values, as zipped
        min(max((f / 100 * whole - part / 2) / (whole - part), 0.0), 1.0) if whole - part > 0.5 else 0.5
        for f, whole, part in zip(focus, size, crop, strict=True)
    )


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
            converted = ImageCms.profileToProfile(
                im.convert("RGB") if alpha else im,
                source,
                _SRGB,
                outputMode="RGB",
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
            )
            assert converted is not None  # None only with inPlace=True
            im = converted
            if alpha:
                im.putalpha(alpha)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: plain conversion below is the best we can do
    if im.mode == "RGBA" and im.getchannel("A").getextrema() == (255, 255):
        im = im.convert("RGB")  # opaque after all: no alpha plane in the WebP
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGB")
    return im


def flatten(im: PILImage.Image) -> PILImage.Image:
    if im.mode != "RGBA":
        return im
    flat = PILImage.new("RGB", im.size, "white")  # JPEG has no alpha
    flat.paste(im, mask=im.getchannel("A"))
    return flat


def encode(
    data: bytes, widths: Sequence[int], max_pixels: int | None, webp_max: int | None = None
) -> tuple[list[tuple[int, int]], dict[str, bytes]]:
    """The sizes made and every variant's bytes, by the end of its name (``-480.webp``, ``-480.jpg``…)."""
    im, sizes = decoded(data, widths, max_pixels)
    files: dict[str, bytes] = {}
    for w, h in reversed(sizes):  # largest first; each smaller size from the previous one
        if im.size == (w * 2, h * 2):
            im = im.reduce(2)  # 960 -> 480: an exact half, a 2x2 average is as good and ten times faster
        elif im.size != (w, h):  # bicubic, Pillow's own for thumbnails: a quarter quicker than Lanczos
            im = im.resize((w, h), PILImage.Resampling.BICUBIC)
        if w <= webp_width(webp_max, sizes):
            out = io.BytesIO()
            im.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
            files[f"-{w}.webp"] = out.getvalue()
        out = io.BytesIO()
        # Baseline, not progressive: browsers that take the JPEG over the WebP are few, and a progressive
        # encode costs three times as long (a third of all the encoding time, measured on 1200x900 photos).
        flatten(im).save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        files[f"-{w}.jpg"] = out.getvalue()
    return sizes, files


def decoded(data: bytes, widths: Sequence[int], max_pixels: int | None) -> tuple[PILImage.Image, list]:
    """The picture decoded (at the largest size it is shown), upright and in sRGB, and its sizes."""
    im = open_checked(data, max_pixels)
    width, height = im.size
    turned = im.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)
    sizes = target_sizes((height, width) if turned else (width, height), widths)
    if im.format in ("JPEG", "MPO"):
        w, h = sizes[-1]
        im.draft("RGB", (h, w) if turned else (w, h))  # DCT-scaled decode, still at least the largest size
    im.load()  # frame 0 of an animation
    ImageOps.exif_transpose(im, in_place=True)
    im = to_srgb(im)
    im.info = {}  # Pillow's JPEG/PNG writers fall back on .info (comment, ICC): carry no metadata to any output
    return im, sizes


def reencode(data: bytes, fmt: str) -> bytes:
    """``data`` again in its own format ``fmt`` and size, upright, in sRGB and without metadata (an image that
    a page of docs/ names by path); raises ``Refused``."""
    im = open_checked(data, PILImage.MAX_IMAGE_PIXELS)
    if fmt == "WEBP" and max(im.size) > WEBP_MAX:  # cannot be written back as WebP
        raise Refused(
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
        flatten(im).save(buffer, fmt, quality=JPEG_QUALITY, progressive=True, optimize=True)
    else:
        im.save(buffer, fmt, **({"quality": WEBP_QUALITY} if fmt == "WEBP" else {"optimize": True}))
    return buffer.getvalue()


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
