"""Focus points (``photo_focus``, an image's ``focus``): every crop keeps the point in frame.

A real campaign whose portrait has a face-like mark far from its centre (a magenta disc at 90% 20% of a 2:1
picture, which a centred square crop cuts off entirely), built by real MkDocs; the mark is looked for in the
pixels Chromium shows, in the share card and in the press kit's PDF as pdftoppm draws it.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw
from pydantic import ValidationError
from pypdf import PdfReader

from tests.conftest import make_project, mkdocs, serve
from vitrine.media.pixels import centering
from vitrine.read.schema import PersonMeta, focus_point

MARK = (230, 0, 230)  # magenta: in none of the fixture's pictures
PORTRAIT = (1600, 800)  # the mark at 90% 20%: (1440, 160)
PRODUCT = (600, 1200)  # the mark at 30% 85%: (180, 1020)
PDF = "press/ce-qui-nous-a-tenus-dossier-de-presse.pdf"


def _picture(path: Path, size: tuple[int, int], at: tuple[float, float], radius: int) -> None:
    im = Image.new("RGB", size, (90, 110, 100))
    x, y = at[0] * size[0], at[1] * size[1]
    ImageDraw.Draw(im).ellipse((x - radius, y - radius, x + radius, y + radius), fill=MARK)
    im.save(path, quality=95)


def _front(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _marked(im: Image.Image) -> list[tuple[int, int]]:
    """The pixels of the mark (JPEG and resampling move its colour a little)."""
    rgb = im.convert("RGB")
    width, height = rgb.size
    data = rgb.load()
    assert data is not None
    return [
        (x, y)
        for y in range(height)
        for x in range(width)
        if (p := data[x, y])[0] > 170 and p[1] < 80 and p[2] > 170  # type: ignore[index]  # an RGB tuple
    ]


def _centre(points: list[tuple[int, int]], size: tuple[int, int]) -> tuple[float, float]:
    return (sum(x for x, _ in points) / len(points) / size[0], sum(y for _, y in points) / len(points) / size[1])


@pytest.fixture(scope="module")
def focused(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("focus"))
    people, products = project / "stories/people", project / "stories/products"
    _picture(people / "amina-k/portrait.jpg", PORTRAIT, (0.9, 0.2), 40)
    _front(people / "amina-k/index.md", "photo: portrait.jpg\n", "photo: portrait.jpg\nphoto_focus: 90% 20%\n")
    _picture(products / "bache/bache.jpg", PRODUCT, (0.3, 0.85), 40)
    _front(products / "bache/index.md", "src: bache.jpg", "src: bache.jpg\n    focus: 30% 85%")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_the_page_centres_each_crop_on_the_focus(focused: Path, browser) -> None:
    """The portrait's circle shows the mark, where centring it as far as the picture allows puts it; a product
    thumbnail (square) and card picture (4:3) too, each crop by its own shape."""
    with contextlib.contextmanager(serve)(focused) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        expected = {  # page, picture, where the mark's centre is in the box
            "people/amina-k/": (".vt-portrait img", (0.8, 0.2)),  # the crop at the right edge: 0.9 cannot be centred
            "wishlist/": ('a[href$="products/bache/"] .vt-thumb img', (0.3, 0.7)),  # the crop at the bottom
            "products/": ('a[href$="bache/"] .vt-card__img img', (0.3, 0.6)),  # 4:3: 450 of 1,200 rows, the bottom
        }
        for path, (selector, (x, y)) in expected.items():
            page.goto(url + path)
            img = page.locator(selector).first
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
            shot = Image.open(io.BytesIO(img.screenshot()))
            mark = _marked(shot)
            assert len(mark) > 20, (path, shot.size)
            cx, cy = _centre(mark, shot.size)
            assert abs(cx - x) < 0.04 and abs(cy - y) < 0.04, (path, cx, cy)
            if selector == ".vt-portrait img":  # wholly inside the circle the page shows
                assert all((px / shot.size[0] - 0.5) ** 2 + (py / shot.size[1] - 0.5) ** 2 < 0.25 for px, py in mark)
        assert not errors, errors  # the style attribute passes the site's CSP
        page.close()


def test_the_share_card_keeps_the_face(focused: Path) -> None:
    html = (focused / "people/amina-k/index.html").read_text(encoding="utf-8")
    card = re.search(r'property="og:image" content="([^"]+)"', html)
    assert card, "no og:image"
    im = Image.open(focused / urlsplit(card[1]).path.lstrip("/"))
    photo = im.crop((0, 0, 480, 630))  # the photo's side (French: left)
    mark = _marked(photo)
    assert len(mark) > 200  # a centred crop (the default) shows none of it
    cx, cy = _centre(mark, photo.size)
    assert abs(cx - 0.74) < 0.05 and abs(cy - 0.2) < 0.05, (cx, cy)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
def test_the_press_kit_keeps_the_face(focused: Path, tmp_path: Path) -> None:
    """The portrait's circle on the voices' page (not the cover, whose collage shows it too)."""
    reader = PdfReader(focused / PDF)
    page = next(i for i, p in enumerate(reader.pages) if i > 0 and "Amina K." in p.extract_text()) + 1
    subprocess.run(["pdftoppm", "-r", "100", "-f", str(page), "-l", str(page), "-png", str(focused / PDF),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    assert len(_marked(Image.open(png))) > 30


def test_a_bad_focus_names_its_file_key_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "bad")
    _front(project / "stories/people/amina-k/index.md", "photo: portrait.jpg\n",
           "photo: portrait.jpg\nphoto_focus: 120% 20%\n")  # fmt: skip
    _front(project / "stories/products/bache/index.md", "src: bache.jpg", "src: bache.jpg\n    focus: top")
    checked = subprocess.run([sys.executable, "-m", "vitrine", "check"], cwd=project, capture_output=True, text=True,
                             timeout=300)  # fmt: skip
    for result in (mkdocs(project, "build"), checked):  # the build and the checker alike, all in one run
        assert result.returncode != 0
        assert ("stories/people/amina-k/index.md:5: photo_focus doit être un point écrit x% y%, chacun de 0 à 100, "
                "depuis le coin en haut à gauche, par exemple 70% 25%") in result.stderr  # fmt: skip
        assert "stories/products/bache/index.md:5: images[1].focus doit être un point écrit x% y%" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("written", ["100% 0%", "0% 100%", "62.5% 30%", "7%   93.25%", "100.0% 50%"])
def test_what_a_focus_may_be(written: str) -> None:
    meta = PersonMeta.model_validate({"name": "A", "photo_focus": written})
    point = focus_point(meta.photo_focus)
    assert point is not None and all(0 <= v <= 100 for v in point)


@pytest.mark.parametrize("written", ["101% 5%", "50%", "-5% 10%", "50% 50% 50%", "50 50", "top", "center", 50])
def test_what_a_focus_may_not_be(written: object) -> None:
    with pytest.raises(ValidationError):
        PersonMeta.model_validate({"name": "A", "photo_focus": written})


@pytest.mark.parametrize(
    ("focus", "size", "box", "expected"),
    [
        ((90, 20), (1600, 800), (1, 1), (1.0, 0.5)),  # the crop as far right as it goes; no rows to choose
        ((50, 50), (1600, 800), (1, 1), (0.5, 0.5)),  # the middle: a centred crop, as without a focus
        ((30, 85), (600, 1200), (4, 3), (0.5, 1.0)),  # at the bottom
        ((30, 40), (600, 1200), (1, 1), (0.5, 0.3)),  # 480 - 300 of the 600 rows to spare
    ],
)
def test_the_crop_is_centred_on_the_focus_as_far_as_it_goes(focus, size, box, expected) -> None:
    assert centering(focus, size, box) == pytest.approx(expected)
