"""Names in the world's scripts (``vitrine/media/glyphs.py``, ``vitrine/media/cards.py``, the press-kit PDF).

``name: Priya हिंदी 👩🏽‍🔧`` once passed ``vitrine check`` and then aborted the strict build with 26 warnings (the PDF
had no glyph for them), while share cards drew Chinese, Hebrew, Devanagari, Thai and emoji as empty boxes,
silently. Now, on a machine with Debian's Noto fonts (``.ci/run`` installs them), cards and the PDF draw every
one of them; on a machine without them (``tests/sim/no-noto-fonts``: DejaVu alone), ``vitrine check`` and the
build say once per font package what cannot be drawn and which package draws it, and the strict build passes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from vitrine.media import glyphs
from vitrine.media.cards import _Chain, _visual, draw_card

BIN = Path(sys.executable).parent
NO_NOTO = Path(__file__).parent / "sim" / "no-noto-fonts" / "fonts.conf"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
NAMES = {"exemple-amina": "Priya हिंदी 👩🏽‍🔧", "exemple-youssef": "王小明 שלום ไทย ትግርኛ"}
NOTICE = re.compile(r"(\S+:\d+: aucune police de cette machine ne dessine .*)")


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)  # fmt: skip


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """A new campaign whose two people write their names (chosen whole) in six scripts and an emoji."""
    assert run("vitrine", "new", "monde", cwd=tmp_path, env=ENV).returncode == 0
    folder = tmp_path / "monde"
    for slug, name in NAMES.items():
        story = folder / "stories" / "people" / slug / "index.md"
        text = story.read_text(encoding="utf-8")
        story.write_text(re.sub(r"(?m)^name: .*$", f"name: {name}\nfull_name: true", text, count=1), encoding="utf-8")
    return folder


def has_the_fonts() -> bool:
    return all(glyphs.fallbacks(text, "Regular") for text in ("हिंदी", "王", "ไทย", "👩"))


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_without_the_fonts_the_check_and_the_build_say_once_what_cannot_be_drawn(campaign: Path) -> None:
    env = {**ENV, "FONTCONFIG_FILE": str(NO_NOTO)}
    check = run("vitrine", "check", "--strict", cwd=campaign, env=env)
    assert check.returncode == 0, check.stdout + check.stderr  # a hint about the machine never fails a check
    said = NOTICE.findall(check.stdout + check.stderr)
    boxes = ": les images de partage et le PDF du dossier de presse les montreraient comme des cases vides ; "
    hint = "les dessine (une indication sur cette machine, pas sur le texte)"
    assert said == [
        f"stories/people/exemple-amina/index.md:3: aucune police de cette machine ne dessine हिंदी, ไทย {boxes}"
        f"apt-get install fonts-noto-core {hint}",
        f"stories/people/exemple-amina/index.md:3: aucune police de cette machine ne dessine 👩🏽‍🔧 {boxes}"
        f"apt-get install fonts-noto-color-emoji {hint}",
        f"stories/people/exemple-youssef/index.md:3: aucune police de cette machine ne dessine 王小明 {boxes}"
        f"apt-get install fonts-noto-cjk {hint}",
    ], said  # Hebrew: DejaVu draws it; Ethiopic: the bundled font
    build = run("mkdocs", "build", "--strict", cwd=campaign, env=env)
    assert build.returncode == 0, build.stderr  # never an abort for a missing font, strict or not
    log = build.stdout + build.stderr
    assert sorted(NOTICE.findall(log)) == sorted(said)  # the same lines, through the same code, once each
    assert "WARNING" not in log and ".notdef" not in log
    assert any((campaign / "site" / "press").glob("*.pdf"))


@pytest.mark.skipif(not has_the_fonts(), reason="Debian's Noto fonts are not installed here (apt-get install "
                    "fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji, as .ci/run does)")  # fmt: skip
def test_with_the_fonts_cards_and_the_pdf_draw_every_name(campaign: Path) -> None:
    # Built first without the fonts, then with them: the PDF and the cards kept in the cache are made again.
    assert run("mkdocs", "build", cwd=campaign, env={**ENV, "FONTCONFIG_FILE": str(NO_NOTO)}).returncode == 0
    build = run("mkdocs", "build", "--strict", cwd=campaign, env=ENV)
    assert build.returncode == 0, build.stderr
    log = build.stdout + build.stderr
    assert not NOTICE.findall(log) and ".notdef" not in log
    fonts = pdf_fonts(next((campaign / "site" / "press").glob("*.pdf")))
    for family in ("Devanagari", "CJK", "Thai", "Color-Emoji", "Vitrine-Sans"):  # Vitrine Sans: the Ethiopic name
        assert family in fonts, fonts
    card = Image.open(campaign / "site" / "img" / "cards" / "people" / "exemple-amina.jpg").convert("HSV")
    title = card.crop((480, 0, 1200, 160)).get_flattened_data()
    colourful = sum(1 for h, s, v in title if s > 120 and v > 120 and 90 < h < 200)
    assert colourful > 200  # the emoji's blue cap and overalls, drawn in colour beside the name


@pytest.mark.skipif(not has_the_fonts(), reason="Debian's Noto fonts are not installed here")
def test_a_card_draws_each_script_with_the_font_that_has_it() -> None:
    """The name's Devanagari on a card is pixel for pixel what Noto Sans Devanagari Bold draws."""
    found = glyphs.fallbacks("हिंदी", "Bold")
    assert len(found) == 1 and "NotoSansDevanagari-Bold" in found[0][1]
    card = draw_card(photo=None, title="हिंदी", quote="", campaign="", glyphs=(("Bold", *found[0]),))
    alone = Image.new("RGB", card.size, card.getpixel((600, 300)))
    font = ImageFont.truetype(found[0][1], 56, layout_engine=ImageFont.Layout.RAQM)
    ImageDraw.Draw(alone).text((16 + 64, 64 + 56), "हिंदी", font=font, fill=(59, 42, 32), anchor="ls")
    text = (80, 40, 600, 160)
    assert ImageChops.difference(card.crop(text), alone.crop(text)).getbbox() is None
    boxes = draw_card(photo=None, title="हिंदी", quote="", campaign="")  # the bundled font alone: .notdef boxes
    assert ImageChops.difference(card.crop(text), boxes.crop(text)).getbbox() is not None


def test_runs_keep_clusters_and_follow_the_bidirectional_order() -> None:
    chain = _Chain("Bold", 40, (("Bold", "हिंदी", "deva.ttf", 0), ("Bold", "👩🏽🔧", "emoji.ttf", 0)))
    runs = chain.runs("Priya हिंदी 👩🏽\u200d🔧")
    assert runs == [(None, "Priya"), (None, " "), (("deva.ttf", 0), "हिंदी"), (None, " "),
                    (("emoji.ttf", 0), "👩🏽\u200d🔧")]  # fmt: skip
    # A right-to-left line: the Arabic name at the right, the Latin and Devanagari words left of it in their order.
    order = [text for _, text, _ in _visual(_Chain("Bold", 40, (("Bold", "हिंदी", "d", 0),)).runs("تسنيم Priya हिंदी"),
                                             rtl=True)]  # fmt: skip
    assert "".join(order) == "Priya हिंदी تسنيم"
    order = [text for _, text, _ in _visual(chain.runs("« ok هلا هند »"), rtl=False)]
    assert "".join(order) == "« ok هند هلا »"


def test_each_character_is_named_with_the_package_that_draws_it() -> None:
    assert [glyphs.package(c) for c in "ह王한👩🏽ไש"] == ["fonts-noto-core", "fonts-noto-cjk", "fonts-noto-cjk",
                                                        "fonts-noto-color-emoji", "fonts-noto-color-emoji",
                                                        "fonts-noto-core", "fonts-noto-core"]  # fmt: skip
    assert not glyphs.drawn("\u200d") and not glyphs.drawn("\ufe0f") and not glyphs.drawn(" ")


def test_the_bundled_coverage_is_the_fonts() -> None:
    """``VitrineSans.coverage`` (what the build knows without asking fontconfig) is what both fonts draw."""
    from fontTools.ttLib import TTFont

    sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
    from build_fonts import ranges

    cmaps = [set(TTFont(glyphs.FONTS / f"VitrineSans-{w}.ttf").getBestCmap()) for w in ("Regular", "Bold")]
    assert glyphs.COVERAGE.read_text(encoding="ascii").split() == ranges(cmaps[0] & cmaps[1]).split()
    assert glyphs.in_bundled("é") and glyphs.in_bundled("ب") and glyphs.in_bundled("ት") and not glyphs.in_bundled("ह")
