"""Share cards: size, scripts, layout direction, no metadata, cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import ExifTags, features
from PIL import Image as PILImage

from vitrine.media.cards import BACKGROUND, FONTS, HEIGHT, PHOTO_WIDTH, WIDTH, make_card, short_quote

FRENCH = "« Ce savon, c’était la première chose propre que j’ai touchée depuis des semaines à Calais. » Œuvre, où, ça"
ARABIC = "كان الصابون أول شيء نظيف لمسته منذ أسابيع في كاليه."
TIGRINYA = "ሳሙና ኣብ ካሌ"


@pytest.fixture
def portrait(tmp_path: Path) -> Path:
    """A blue photo carrying EXIF with GPS, to prove nothing of it reaches the card."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "SECRET-CAMERA"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    path = tmp_path / "photo.jpg"
    PILImage.new("RGB", (1500, 2000), (20, 60, 200)).save(path, exif=exif.tobytes(), comment=b"SECRET-COMMENT")
    return path


def card(tmp_path: Path, photo: Path | None, **text) -> Path:
    values = {"title": "Savon de Marseille", "quote": FRENCH, "campaign": "Les objets de l’exil"} | text
    return make_card(tmp_path / "cache", "cards/products/savon", photo=photo, **values)


def test_card_is_a_1200x630_jpeg_without_metadata(tmp_path: Path, portrait: Path) -> None:
    path = card(tmp_path, portrait, title="Élise Œdipe, à l’écoute")
    assert path == tmp_path / "cache" / "cards" / "products" / "savon.jpg"
    with PILImage.open(path) as im:
        assert (im.format, im.size, im.mode) == ("JPEG", (1200, 630), "RGB")
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(im.info)
        assert im.getpixel((PHOTO_WIDTH // 2, HEIGHT // 2))[2] > 150  # the photo on the left, for ltr
        assert _near(im.getpixel((WIDTH - 10, HEIGHT - 10)), BACKGROUND)
    data = path.read_bytes()
    assert not [m for m in (b"Exif", b"SECRET", b"ICC_PROFILE", b"http://ns.adobe.com/xap") if m in data]


def _near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _ink(path: Path, box: tuple[int, int, int, int]) -> int:
    """How many pixels in ``box`` differ clearly from the background: text was drawn there."""
    with PILImage.open(path) as im:
        region = im.convert("RGB").crop(box)
        return sum(1 for p in region.get_flattened_data() if not _near(p, BACKGROUND, 40))


@pytest.mark.skipif(not features.check("raqm"), reason="Arabic needs libraqm; without it the quote is left off")
def test_arabic_card_puts_photo_right_and_draws_the_text(tmp_path: Path, portrait: Path) -> None:
    path = card(tmp_path, portrait, title="أحمد من حلب", quote=ARABIC, campaign="أشياء المنفى", lang_dir="rtl")
    with PILImage.open(path) as im:
        assert im.size == (1200, 630)
        assert im.getpixel((WIDTH - PHOTO_WIDTH // 2, HEIGHT // 2))[2] > 150  # photo on the right
    text_side = (0, 0, WIDTH - PHOTO_WIDTH - 10, HEIGHT)
    assert _ink(path, text_side) > 5000
    assert _ink(path, (0, 0, 200, HEIGHT)) < _ink(
        path, (WIDTH - PHOTO_WIDTH - 300, 0, WIDTH - PHOTO_WIDTH - 10, HEIGHT)
    )


def test_no_photo_and_mixed_scripts(tmp_path: Path) -> None:
    path = card(tmp_path, None, title=f"Tesfay {TIGRINYA}", quote=f"{ARABIC} Calais, c’était dur.")
    with PILImage.open(path) as im:
        assert im.size == (1200, 630)
    assert _ink(path, (0, 0, 600, HEIGHT)) > 5000


def test_fonts_cover_the_campaign_scripts() -> None:
    for weight in ("Regular", "Bold"):
        cmap = TTFont(FONTS / f"VitrineSans-{weight}.ttf").getBestCmap()
        missing = {c for c in FRENCH + ARABIC + TIGRINYA + "«»…\u202f—" if c != " " and ord(c) not in cmap}
        assert not missing, (weight, missing)
    assert (FONTS / "OFL.txt").is_file()


def test_user_text_is_drawn_not_interpreted(tmp_path: Path) -> None:
    nasty = "{{ config }} <script>alert(1)</script> %s %(x)s \\n ${HOME} \u0000"
    path = card(tmp_path, None, title=nasty, quote=nasty * 5, campaign=nasty)
    assert path.is_file()
    # a right-to-left override would reorder what follows it: it is dropped, not obeyed
    plain = make_card(tmp_path, "plain", photo=None, title="Amina", quote="gpj.exe", campaign="c")
    spoof = make_card(tmp_path, "spoof", photo=None, title="Amina", quote="\u202eexe.jpg", campaign="c")
    plain2 = make_card(tmp_path, "plain2", photo=None, title="Amina", quote="exe.jpg", campaign="c")
    assert spoof.read_bytes() == plain2.read_bytes() != plain.read_bytes()


def test_card_cache(tmp_path: Path, portrait: Path) -> None:
    path = card(tmp_path, portrait)
    first = path.stat().st_mtime_ns
    assert card(tmp_path, portrait) == path and path.stat().st_mtime_ns == first  # same inputs: not redrawn
    card(tmp_path, portrait, quote="Autre chose.")
    assert path.stat().st_mtime_ns != first
    changed = path.read_bytes()
    PILImage.new("RGB", (800, 800), "red").save(portrait)  # a new photo redraws too
    card(tmp_path, portrait, quote="Autre chose.")
    assert path.read_bytes() != changed


def test_short_quote() -> None:
    assert short_quote("  « Le savon.  C’était tout. »") == "Le savon."
    assert short_quote("Pas de point final") == "Pas de point final"
    assert short_quote(ARABIC + " وبعد ذلك.") == ARABIC
    long = "mot " * 60
    cut = short_quote(long)
    assert cut.endswith("…") and len(cut) <= 141 and " " not in cut[-2:]
    first = "Une phrase bien trop longue " * 8 + "."
    assert short_quote(first + " Puis une autre.").endswith("…")
    assert short_quote("") == ""


def test_latin_punctuation_keeps_its_latin_glyphs() -> None:
    """Merged from several Noto fonts, "." ":" "!" must still be Noto Sans' own (not Ethiopic or Arabic forms)."""
    from PIL import ImageFont

    fonts = Path(__file__).resolve().parent.parent / "vitrine" / "fonts"
    merged = ImageFont.truetype(str(fonts / "VitrineSans-Regular.ttf"), 100)
    latin = ImageFont.truetype(str(fonts / "NotoSans-Regular.ttf"), 100)
    for mark in ".:!,;«»":
        a, b = merged.getbbox(f"a{mark}"), latin.getbbox(f"a{mark}")
        assert all(abs(x - y) <= 2 for x, y in zip(a, b, strict=True)), (mark, a, b)
