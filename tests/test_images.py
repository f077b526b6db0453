"""The image pipeline on real files made in tmp_path: metadata, orientation, modes, bad inputs, cache."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, ImageCms, PngImagePlugin
from PIL import Image as PILImage

from vitrine.media import images as images_module
from vitrine.media.images import CORRUPT, Picture, Stats, check_source, process_images
from vitrine.read.model import Image

SECRETS = (b"Exif", b"EXIF", b"SECRET", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"ICCP", b"acsp", b"XMP ")
PNG_TEXT = (b"tEXt", b"iTXt", b"zTXt")


def image(path: Path, name: str | None = None) -> Image:
    return Image(source=path, label=f"stories/{path.name}", name=name or f"products/x/{path.stem}", alt="alt")


def run(images: list[Image], cache: Path, **options) -> tuple[dict[str, Picture], list[str], Stats]:
    stats = Stats()
    pictures, problems = process_images(images, cache, stats=stats, **options)
    return pictures, [str(p) for p in problems], stats


def photo(path: Path, size=(2000, 1000), colour=(200, 120, 60), **save) -> Path:
    PILImage.new("RGB", size, colour).save(path, **save)
    return path


def outputs(picture: Picture) -> list[Path]:
    return [v.file for v in picture.variants()]


# --- metadata --------------------------------------------------------------------------------------------


def test_no_metadata_survives_from_jpeg(tmp_path: Path) -> None:
    exif = PILImage.Exif()
    exif[ExifTags.Base.ImageDescription] = "SECRET-DESCRIPTION"
    exif[ExifTags.Base.Make] = "SECRET-CAMERA"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 57.0, 3.0)  # Calais
    gps[ExifTags.GPS.GPSProcessingMethod] = b"ASCII\0\0\0SECRET-GPS"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:xmp="http://ns.adobe.com/xap/1.0/">SECRET</rdf:RDF></x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = photo(tmp_path / "p.jpg", exif=exif.tobytes(), xmp=xmp, comment=b"SECRET-COMMENT", icc_profile=icc)
    raw = source.read_bytes()
    for marker in (b"Exif", b"SECRET-GPS", b"SECRET-COMMENT", b"http://ns.adobe.com/xap", b"ICC_PROFILE"):
        assert marker in raw  # the fixture really carries it

    pictures, problems, _ = run([image(source)], tmp_path / "cache")

    assert problems == []
    for path in outputs(pictures["products/x/p"]):
        data = path.read_bytes()
        assert not [m for m in SECRETS if m in data], path
        with PILImage.open(path) as out:
            assert not {"exif", "icc_profile", "xmp", "comment"} & set(out.info), (path, out.info.keys())
            assert not out.getexif()


def test_no_metadata_survives_from_png(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "SECRET-AUTHOR")
    info.add_text("Comment", "SECRET-ZIPPED " * 20, zip=True)
    info.add_itxt("Description", "SECRET-ITXT", lang="fr")
    source = tmp_path / "p.png"
    PILImage.new("RGB", (600, 400), "teal").save(source, pnginfo=info)
    assert all(chunk in source.read_bytes() for chunk in PNG_TEXT)

    pictures, problems, _ = run([image(source)], tmp_path / "cache")

    assert problems == []
    for path in outputs(pictures["products/x/p"]):
        data = path.read_bytes()
        assert not [m for m in SECRETS + PNG_TEXT if m in data], path


# --- orientation, modes ----------------------------------------------------------------------------------


def test_exif_orientation_6_comes_out_upright(tmp_path: Path) -> None:
    # Stored landscape 1200x900 with a red block at the stored top-left; orientation 6 turns it 90° clockwise,
    # so the upright picture is portrait with the block at its top-right.
    stored = PILImage.new("RGB", (1200, 900), "white")
    stored.paste((255, 0, 0), (0, 0, 300, 300))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    source = tmp_path / "portrait.jpg"
    stored.save(source, exif=exif.tobytes(), quality=95)

    pictures, problems, _ = run([image(source)], tmp_path / "cache")

    assert problems == []
    picture = pictures["products/x/portrait"]
    assert (picture.width, picture.height) == (900, 1200)
    for variant in picture.variants():
        with PILImage.open(variant.file) as out:
            out = out.convert("RGB")
            assert out.width < out.height
            assert out.size == (variant.width, variant.height)
            r, g, b = out.getpixel((out.width - 5, 5))
            assert r > 200 and g < 60 and b < 60, variant.url  # red at top-right
            assert out.getpixel((5, 5))[1] > 200  # white at top-left


def _pixel(variant_file: Path, xy: tuple[int, int]) -> tuple[int, ...]:
    with PILImage.open(variant_file) as out:
        return out.getpixel(xy)


def test_cmyk_jpeg(tmp_path: Path) -> None:
    source = tmp_path / "cmyk.jpg"
    PILImage.new("CMYK", (800, 600), (0, 255, 255, 0)).save(source)  # red in ink
    pictures, problems, _ = run([image(source)], tmp_path / "cache")
    assert problems == []
    r, g, b = _pixel(pictures["products/x/cmyk"].jpeg[0].file, (10, 10))
    assert r > 200 and g < 60 and b < 60


def test_palette_and_rgba_keep_alpha_in_webp_and_go_white_in_jpeg(tmp_path: Path) -> None:
    rgba = PILImage.new("RGBA", (600, 400), (0, 0, 255, 255))
    rgba.paste((0, 0, 0, 0), (0, 0, 300, 400))  # left half transparent
    rgba.save(tmp_path / "rgba.png")
    rgba.convert("P").save(tmp_path / "palette.gif", transparency=0)
    rgba.convert("LA").save(tmp_path / "la.png")
    images = [image(tmp_path / n) for n in ("rgba.png", "palette.gif", "la.png")]

    pictures, problems, _ = run(images, tmp_path / "cache")

    assert problems == []
    for key in ("products/x/rgba", "products/x/la"):
        picture = pictures[key]
        assert _pixel(picture.webp[0].file, (10, 10))[3] == 0  # transparent stays transparent in WebP
        assert _pixel(picture.jpeg[0].file, (10, 10)) >= (250, 250, 250)  # flattened on white in JPEG
    with PILImage.open(pictures["products/x/palette"].jpeg[0].file) as out:
        assert out.mode == "RGB"


def test_16_bit_greyscale_is_scaled_not_clipped(tmp_path: Path) -> None:
    grey = PILImage.frombytes("I;16", (600, 400), struct.pack("<H", 30000) * 600 * 400)  # 46 % grey
    assert grey.getpixel((10, 10)) == 30000  # clipping to 8 bits would make it white
    grey.save(tmp_path / "deep.png")
    pictures, problems, _ = run([image(tmp_path / "deep.png")], tmp_path / "cache")
    assert problems == []
    value = _pixel(pictures["products/x/deep"].jpeg[0].file, (10, 10))
    assert 100 <= value[0] <= 130


def test_animated_gif_gives_its_first_frame(tmp_path: Path) -> None:
    frames = [PILImage.new("RGB", (500, 300), c) for c in ("red", "blue", "green")]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    pictures, problems, _ = run([image(tmp_path / "anim.gif")], tmp_path / "cache")
    assert problems == []
    picture = pictures["products/x/anim"]
    assert [v.width for v in picture.webp] == [240, 480, 500]
    r, g, b = _pixel(picture.jpeg[-1].file, (10, 10))
    assert r > 200 and g < 60 and b < 60


# --- sizes -----------------------------------------------------------------------------------------------


def test_sizes_srcset_and_urls(tmp_path: Path) -> None:
    pictures, problems, _ = run([image(photo(tmp_path / "savon.jpg"), "products/savon/savon")], tmp_path / "cache")
    assert problems == []
    p = pictures["products/savon/savon"]
    assert (p.width, p.height, p.alt) == (1600, 800, "alt")
    assert [(v.width, v.height) for v in p.webp] == [(240, 120), (480, 240), (960, 480), (1600, 800)]
    assert p.srcset_webp == (
        "img/products/savon/savon-240.webp 240w, img/products/savon/savon-480.webp 480w, "
        "img/products/savon/savon-960.webp 960w, "
        "img/products/savon/savon-1600.webp 1600w"
    )
    assert p.srcset_jpeg == (
        "img/products/savon/savon-240.jpg 240w, img/products/savon/savon-480.jpg 480w, "
        "img/products/savon/savon-960.jpg 960w, "
        "img/products/savon/savon-1600.jpg 1600w"
    )
    assert p.fallback.url == "img/products/savon/savon-960.jpg"
    assert {v.mime for v in p.webp} == {"image/webp"} and {v.mime for v in p.jpeg} == {"image/jpeg"}
    for v in p.variants():
        with PILImage.open(v.file) as out:
            assert out.size == (v.width, v.height)
            assert out.format == ("WEBP" if v.mime == "image/webp" else "JPEG")


def test_never_upscaled(tmp_path: Path) -> None:
    small = image(photo(tmp_path / "small.png", (300, 200)))
    mid = image(photo(tmp_path / "mid.png", (1200, 600)))
    pictures, problems, _ = run([small, mid], tmp_path / "cache", workers=1)
    assert problems == []
    assert [(v.width, v.height) for v in pictures[small.name].jpeg] == [(240, 160), (300, 200)]
    assert pictures[small.name].srcset_webp == "img/products/x/small-240.webp 240w, img/products/x/small-300.webp 300w"
    assert pictures[small.name].fallback.width == 300
    assert [v.width for v in pictures[mid.name].webp] == [240, 480, 960, 1200]


def test_a_portrait_has_no_webp_wider_than_a_page_shows_it(tmp_path: Path) -> None:
    """Portraits are shown at most 14rem or half a phone wide: their 1200 px variant is only a JPEG (ZIP, PDF)."""
    source = photo(tmp_path / "portrait.jpg", (1200, 1200))
    portrait = Image(source, "stories/portrait.jpg", "people/amina-k/portrait", "alt", webp_max=960)
    product = image(source, "products/savon/savon")
    small = Image(photo(tmp_path / "tiny.png", (300, 300)), "stories/tiny.png", "people/b/tiny", "alt", webp_max=960)
    pictures, problems, _ = run([portrait, product, small], tmp_path / "cache", workers=2)
    assert problems == []
    assert [v.width for v in pictures[portrait.name].webp] == [240, 480, 960]
    assert [v.width for v in pictures[portrait.name].jpeg] == [240, 480, 960, 1200]
    assert [v.width for v in pictures[product.name].webp] == [240, 480, 960, 1200]  # the same photo as a product's
    assert [v.width for v in pictures[small.name].webp] == [240, 300]
    assert all(v.file.is_file() for p in pictures.values() for v in p.variants())
    again, _, stats = run([portrait, product, small], tmp_path / "cache", workers=2)
    assert again == pictures and stats.cached == 3
    assert not list((tmp_path / "cache").rglob("*-1200.webp"))[1:]  # the product's only


# --- bad images ------------------------------------------------------------------------------------------


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_each_bad_image_gives_its_message_and_good_ones_still_pass(tmp_path: Path) -> None:
    good = photo(tmp_path / "good.jpg")
    (tmp_path / "bomb.png").write_bytes(_png_header_only(100_000, 100_000))  # 10 gigapixels, a few bytes
    (tmp_path / "truncated.jpg").write_bytes(good.read_bytes()[:3000])
    (tmp_path / "text.jpg").write_text("Ceci n'est pas une image.\n")
    (tmp_path / "image.ppm").write_bytes(b"P6\n2 2\n255\n" + bytes(12))  # Pillow reads it; we refuse it
    (tmp_path / "iphone.jpg").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(100))
    names = ("bomb.png", "truncated.jpg", "text.jpg", "image.ppm", "iphone.jpg", "missing.jpg")
    images = [image(good)] + [image(tmp_path / n) for n in names]

    pictures, problems, stats = run(images, tmp_path / "cache", workers=2)

    assert list(pictures) == ["products/x/good"]
    assert (stats.encoded, stats.failed) == (1, 6)
    assert problems == [
        "stories/bomb.png: image is 100000×100000 pixels, more than the 89,478,485 allowed (decompression bomb guard):"
        " scale it down",
        "stories/image.ppm: unsupported image format PPM: save it as JPEG, PNG or WebP",
        "stories/iphone.jpg: unsupported image format HEIC: save it as JPEG, PNG or WebP",
        "stories/missing.jpg: image file not found",
        "stories/text.jpg: not an image file: save it as JPEG, PNG or WebP",
        "stories/truncated.jpg: image data is truncated or corrupt: export the photo again",
    ]


def test_pixel_limit_is_read_at_call_time_and_warning_level_is_refused(tmp_path: Path, monkeypatch) -> None:
    # 1.5x the limit: Pillow itself would only warn; we refuse, in-process and in workers alike.
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 400_000)
    sources = [photo(tmp_path / f"big{i}.png", (1000, 600), (i * 40, 0, 0)) for i in range(3)]
    for workers in (1, 2):
        _, problems, _ = run([image(s) for s in sources], tmp_path / f"cache{workers}", workers=workers)
        assert problems == [
            f"stories/big{i}.png: image is 1000×600 pixels, more than the 400,000 allowed (decompression bomb guard):"
            " scale it down"
            for i in range(3)
        ]
    assert PILImage.MAX_IMAGE_PIXELS == 400_000  # restored after the open


# --- path guard ------------------------------------------------------------------------------------------


@pytest.fixture
def stories(tmp_path: Path) -> Path:
    root = tmp_path / "stories"
    (root / "products" / "savon").mkdir(parents=True)
    photo(root / "products" / "savon" / "savon.jpg", (10, 10))
    photo(tmp_path / "outside.jpg", (10, 10))
    return root


def test_check_source_accepts_paths_inside(stories: Path) -> None:
    story = stories / "products" / "savon"
    assert check_source(story / "savon.jpg", stories, "stories/products/savon.md") is None
    assert check_source(story / ".." / "savon" / "savon.jpg", stories, "x") is None  # still inside
    assert check_source(Path("products/savon/savon.jpg"), stories, "x") is None  # relative to root
    (story / "link.jpg").symlink_to(story / "savon.jpg")
    assert check_source(story / "link.jpg", stories, "x") is None


def test_check_source_refuses_escapes_and_missing_files(stories: Path, tmp_path: Path) -> None:
    story = stories / "products" / "savon"
    (story / "out.jpg").symlink_to(tmp_path / "outside.jpg")
    (story / "dangling.jpg").symlink_to(tmp_path / "nowhere.jpg")
    (story / "folder.jpg").mkdir()
    label = "stories/products/savon.md"
    cases = {
        story / "../../../outside.jpg": "image path {} goes up out of the stories folder: keep photos beside the story",
        Path("/etc/hostname"): "image path {} is outside the stories folder: use a path relative to the story",
        story / "out.jpg": "image {} is a symlink to a file outside the stories folder",
        story / "dangling.jpg": "image {} is a broken symlink",
        story / "nope.jpg": "image file not found: {}",
        story / "folder.jpg": "image path {} is not a file",
    }
    for path, message in cases.items():
        problem = check_source(path, stories, label, line=4)
        assert problem is not None and problem.is_error, path
        assert str(problem) == f"{label}:4: {message.format(path)}"


# --- cache and parallelism -------------------------------------------------------------------------------


def _mtimes(cache: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}


def test_warm_run_encodes_nothing_and_a_changed_photo_only_itself(tmp_path: Path) -> None:
    sources = [photo(tmp_path / f"p{i}.jpg", (1000 + i * 100, 800), (i * 50, 100, 150)) for i in range(4)]
    images = [image(s) for s in sources]
    cache = tmp_path / "cache"
    calls: list[tuple[int, int]] = []

    cold, problems, stats = run(images, cache, workers=2, progress=lambda done, total: calls.append((done, total)))
    assert problems == [] and (stats.encoded, stats.cached) == (4, 0)
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    before = _mtimes(cache)
    assert len(before) == 4 * (4 * 2 + 1)  # 4 widths x 2 formats + a sidecar each

    warm, problems, stats = run(images, cache, workers=2)
    assert problems == [] and (stats.encoded, stats.cached) == (0, 4)
    assert warm == cold
    assert _mtimes(cache) == before

    photo(sources[2], (1000, 800), "black")  # an editor replaces one photo
    changed, problems, stats = run(images, cache, workers=2)
    assert problems == [] and (stats.encoded, stats.cached) == (1, 3)
    after = _mtimes(cache)
    assert {p: t for p, t in after.items() if p in before} == before  # nothing rewritten
    new = {v.file for v in changed["products/x/p2"].variants()}
    assert new.isdisjoint(before) and new <= set(after)
    assert all(changed[i.name] == cold[i.name] for i in images if i.name != "products/x/p2")


def test_warm_run_trusts_an_old_unchanged_stat_and_hashes_a_changed_file(tmp_path: Path, monkeypatch) -> None:
    source = photo(tmp_path / "p.jpg", (1000, 800))
    os.utime(source, ns=(10**18, 10**18))  # older than the racy window: its stat goes into the index
    images, cache = [image(source)], tmp_path / "cache"
    cold, _, _ = run(images, cache, workers=1)
    read, original = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or original(self))
    warm, problems, stats = run(images, cache, workers=1)
    assert problems == [] and stats.cached == 1 and warm == cold and source not in read  # not read, not hashed
    photo(source, (1000, 800), "black")  # an editor's new photo, whose mtime is old again but not the same
    os.utime(source, ns=(10**18 + 1, 10**18 + 1))
    changed, problems, stats = run(images, cache, workers=1)
    assert problems == [] and stats.encoded == 1 and changed != cold and source in read


def test_a_new_pipeline_version_encodes_again_even_by_stat(tmp_path: Path, monkeypatch) -> None:
    source = photo(tmp_path / "p.jpg", (1000, 800))
    os.utime(source, ns=(10**18, 10**18))  # trusted by its stat on the next run
    images, cache = [image(source)], tmp_path / "cache"
    cold, _, _ = run(images, cache, workers=1)
    monkeypatch.setattr(images_module, "PIPELINE_VERSION", images_module.PIPELINE_VERSION + 1)
    again, problems, stats = run(images, cache, workers=1)
    assert problems == [] and stats.encoded == 1 and again != cold  # new files, not the old version's


def test_a_missing_cache_file_is_made_again(tmp_path: Path) -> None:
    images = [image(photo(tmp_path / "p.jpg"))]
    pictures, _, _ = run(images, tmp_path / "cache")
    pictures["products/x/p"].webp[1].file.unlink()
    again, problems, stats = run(images, tmp_path / "cache")
    assert problems == [] and stats.encoded == 1 and again == pictures
    assert again["products/x/p"].webp[1].file.is_file()


def test_same_photo_twice_and_no_temp_files_left(tmp_path: Path) -> None:
    source = photo(tmp_path / "p.jpg")
    images = [image(source, "a/p"), image(source, "b/p")]
    pictures, problems, _ = run(images, tmp_path / "cache", workers=2)
    assert problems == []
    assert pictures["a/p"].fallback.url == "img/a/p-960.jpg" and pictures["b/p"].fallback.url == "img/b/p-960.jpg"
    assert pictures["a/p"].fallback.file == pictures["b/p"].fallback.file  # one encoding, shared
    assert not [p for p in (tmp_path / "cache").rglob(".tmp-*")]


def test_empty_input(tmp_path: Path) -> None:
    assert process_images([], tmp_path / "cache") == ({}, [])


def test_outputs_decode_as_what_they_claim(tmp_path: Path) -> None:
    pictures, _, _ = run([image(photo(tmp_path / "p.jpg"))], tmp_path / "cache")
    for v in pictures["products/x/p"].variants():
        data = v.file.read_bytes()
        assert data.startswith(b"RIFF") if v.mime == "image/webp" else data.startswith(b"\xff\xd8")
        with PILImage.open(io.BytesIO(data)) as out:
            out.load()


def test_unwritable_cache_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    _, problems, stats = run([image(photo(tmp_path / "p.jpg"))], tmp_path / "cache")
    assert stats.failed == 1
    assert problems[0].startswith(f"stories/p.jpg: cannot write the image cache in {tmp_path / 'cache'}: ")


def test_truncated_photo_is_refused_even_after_weasyprint_is_imported(tmp_path: Path) -> None:
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process (the press kit imports it)."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    good = tmp_path / "good.jpg"
    PILImage.new("RGB", (800, 600), (200, 120, 40)).save(good, quality=95)
    (tmp_path / "truncated.jpg").write_bytes(good.read_bytes()[:1500])
    image = Image(tmp_path / "truncated.jpg", "stories/truncated.jpg", "x/truncated", "alt")
    pictures, problems = process_images([image], tmp_path / "cache")
    assert not pictures and [p.message for p in problems] == [CORRUPT]


def test_images_of_hand_written_pages_are_cleaned_in_place(tmp_path: Path) -> None:
    """A photo an editor drops in docs/ keeps its name and format, not its GPS tag or its sideways EXIF turn."""
    from conftest import make_project, mkdocs

    project = make_project(tmp_path / "p")
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (50.0, 57.0, 0.0)}
    PILImage.new("RGB", (400, 200), (200, 60, 40)).save(project / "docs/terrain.jpg", exif=exif, quality=90)
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n![Le terrain](terrain.jpg)\n", encoding="utf-8")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    published = (project / "site/terrain.jpg").read_bytes()
    assert b"Exif" not in published and b"GPS" not in published
    with PILImage.open(io.BytesIO(published)) as im:
        assert im.size == (200, 400) and not im.getexif()  # turned upright, then the tag dropped

    (project / "docs/terrain.jpg").write_bytes(published[:500])
    result = mkdocs(project, "build")
    assert result.returncode != 0
    assert "docs/terrain.jpg: l'image est tronquée ou abîmée : exportez la photo à nouveau" in result.stderr


def test_a_bomb_in_docs_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    from vitrine.media.images import clean_file

    bomb = tmp_path / "bomb.png"
    PILImage.new("1", (12000, 12000)).save(bomb)  # 144 Mpx, a few kB on disk
    out, problem = clean_file(bomb, "docs/bomb.png", tmp_path / "cache")
    assert out is None and str(problem).startswith("docs/bomb.png: image is 12000×12000 pixels, more than the")
