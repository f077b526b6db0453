"""Rebuild the share-card fonts from Debian's ``fonts-noto-core`` (a maintainer tool, never run at build time).

Pillow draws a string with one font and has no glyph fallback, so a name or quote mixing Latin, Arabic and
Ethiopic (Tigrinya, Amharic) would show boxes. We merge Noto Sans, Noto Naskh Arabic and Noto Sans Ethiopic
into one font per weight; libraqm then shapes and orders every script of a line in one pass.

    apt-get install -y fonts-noto-core && .venv/bin/python vitrine/fonts/build_fonts.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fontTools import merge, subset
from fontTools.ttLib import TTFont

NOTO = Path("/usr/share/fonts/truetype/noto")
HERE = Path(__file__).parent
PARTS = ("NotoSans", "NotoNaskhArabic", "NotoSansEthiopic")


def _unhinted(source: Path, target: Path) -> None:
    # The fonts' hinting programs (fpgm/prep) cannot be merged; unhinted glyphs render well at card sizes.
    font = TTFont(source)
    options = subset.Options(hinting=False, notdef_outline=True, name_IDs=["*"], layout_features=["*"])
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    font.save(target)


def build(weight: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for name in PARTS:
            part = Path(tmp) / f"{name}-{weight}.ttf"
            _unhinted(NOTO / f"{name}-{weight}.ttf", part)
            parts.append(str(part))
        font = merge.Merger().merge(parts)
    target = HERE / f"VitrineSans-{weight}.ttf"
    font.save(target)
    return target


if __name__ == "__main__":
    for weight in ("Regular", "Bold"):
        print(build(weight))
