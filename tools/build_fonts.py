"""Rebuild the share-card fonts from Debian's ``fonts-noto-core`` (a maintainer tool, never run at build time).

Pillow draws a string with one font and has no glyph fallback, so a name or quote mixing Latin, Arabic and
Ethiopic (Tigrinya, Amharic) would show boxes. We merge Noto Sans, Noto Naskh Arabic and Noto Sans Ethiopic
into one font per weight; libraqm then shapes and orders every script of a line in one pass.

    apt-get install -y fonts-noto-core && .venv/bin/python tools/build_fonts.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fontTools import merge, subset
from fontTools.ttLib import TTFont

NOTO = Path("/usr/share/fonts/truetype/noto")
HERE = Path(__file__).resolve().parent.parent / "vitrine" / "fonts"
PARTS = ("NotoSans", "NotoNaskhArabic", "NotoSansEthiopic")


def _unhinted(source: Path, target: Path, taken: set[int]) -> set[int]:
    """Subset ``source`` to the code points no earlier part has; return them.

    The hinting programs (fpgm/prep) cannot be merged, and unhinted glyphs render well at card sizes.
    Shared code points (punctuation, digits) must come from Noto Sans alone: merged twice, the
    Arabic and Ethiopic forms of "." and ":" replaced the Latin ones.
    """
    font = TTFont(source)
    options = subset.Options(hinting=False, notdef_outline=True, name_IDs=["*"], layout_features=["*"])
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    own = set(font.getBestCmap()) - taken
    subsetter.populate(unicodes=own)
    subsetter.subset(font)
    font.save(target)
    return own


def build(weight: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        parts, taken = [], set()
        for name in PARTS:
            part = Path(tmp) / f"{name}-{weight}.ttf"
            taken |= _unhinted(NOTO / f"{name}-{weight}.ttf", part, taken)
            parts.append(str(part))
        font = merge.Merger().merge(parts)
    target = HERE / f"VitrineSans-{weight}.ttf"
    font.save(target)
    return target


def ranges(points: set[int]) -> str:
    """Code points as hexadecimal ranges, ``20-7e a0-3e1 …``: what ``vitrine.media.glyphs`` reads."""
    spans: list[list[int]] = []
    for point in sorted(points):
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return " ".join(f"{lo:x}" if lo == hi else f"{lo:x}-{hi:x}" for lo, hi in spans)


def coverage() -> Path:
    """The characters both weights draw, so the build knows them without asking fontconfig."""
    cmaps = [set(TTFont(HERE / f"VitrineSans-{weight}.ttf").getBestCmap()) for weight in ("Regular", "Bold")]
    target = HERE / "VitrineSans.coverage"
    target.write_text(ranges(cmaps[0] & cmaps[1]) + "\n", encoding="ascii")
    return target


if __name__ == "__main__":
    for weight in ("Regular", "Bold"):
        print(build(weight))
    print(coverage())
