"""Draw the images of the makers demo campaign in ``examples/makers/stories/``.

The same approach as ``tools/demo_art.py``, whose drawing functions it reuses: product illustrations made
from the Fluent Emoji artwork (© Microsoft Corporation, MIT License, https://github.com/microsoft/fluentui-emoji,
from the ``fluentui-emoji`` npm package) on drawn backgrounds, and portraits drawn without faces. Run from the
project root, after ``npm install`` in ``tools/``::

    (cd tools && npm install)
    .venv/bin/python tools/makers_art.py

Deterministic (fixed seeds, no clock): running it twice gives the same files. The images are committed;
neither ``node_modules`` nor this script is needed to build the site.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import demo_art

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT / "examples" / "makers" / "stories"

# Category palettes: (light, deep, pattern colour)
PALETTES = {
    "Cuisine": ("#f6e7d6", "#d9a77a", "#fff8f0"),
    "Maison": ("#e6eef2", "#9db7c6", "#ffffff"),
    "Hygiène": ("#e6f4f1", "#a8d8cf", "#ffffff"),
    "Vêtements": ("#f6e3e1", "#d9a7a0", "#fff6f4"),
    "Accessoires": ("#efe6da", "#c2a27a", "#fffaf2"),
    "Épicerie": ("#fbecd2", "#e9b872", "#fff8ea"),
}

# slug -> one spec per image, as in demo_art: (layout, [artwork names], options)
PRODUCTS: dict[str, list[tuple[str, list[str], dict]]] = {
    "couteau-de-poche": [
        ("hero", ["kitchen-knife"], {"angle": -20, "pattern": "bokeh"}),
        ("duo", ["kitchen-knife", "purse"], {"alt": 1}),
    ],
    "couteau-d-office": [("duo", ["kitchen-knife", "wood"], {})],
    "torchon-en-lin": [("hero", ["scarf"], {"hue": 190, "pattern": "stripes"})],
    "nappe-en-lin": [("duo", ["roll-of-paper", "bowl-with-spoon"], {"alt": 1, "pattern": "tiles"})],
    "bol-en-gres": [
        ("hero", ["bowl-with-spoon"], {"pattern": "dots"}),
        ("duo", ["bowl-with-spoon", "bowl-with-spoon"], {"alt": 3, "pair": True}),
    ],
    "tasse-en-gres": [("hero", ["hot-beverage"], {"pattern": "bokeh"})],
    "plat-a-four": [("hero", ["shallow-pan-of-food"], {"pattern": "tiles"})],
    "savon-a-l-huile-d-olive": [("duo", ["soap", "bubbles"], {"hue": 60})],
    "savon-au-miel": [("duo", ["soap", "honey-pot"], {"pattern": "dots"})],
    "shampoing-solide": [("duo", ["lotion-bottle", "bubbles"], {"alt": 2})],
    "espadrilles": [("duo", ["flat-shoe", "flat-shoe"], {"pair": True, "pattern": "stripes"})],
    "chaussons-en-laine": [("duo", ["ballet-shoes", "yarn"], {"alt": 3})],
    "sac-en-toile": [("hero", ["handbag"], {"pattern": "dots"})],
    "planche-a-decouper": [("duo", ["wood", "kitchen-knife"], {"pattern": "tiles"})],
    "cuillere-en-bois": [("hero", ["spoon"], {"angle": 25, "pattern": "waves"})],
    "tabouret": [("hero", ["chair"], {"pattern": "stripes"}), ("duo", ["chair", "knot"], {"alt": 5})],
    "carafe": [("hero", ["pouring-liquid"], {"alt": 2})],
    "verres": [("duo", ["tumbler-glass", "tumbler-glass"], {"pair": True, "pattern": "bokeh"})],
    "portefeuille": [("hero", ["purse"], {"hue": -20, "pattern": "tiles"})],
    "ceinture": [("duo", ["knot", "briefcase"], {"alt": 1})],
    "miel-de-sapin": [
        ("duo", ["honey-pot", "honeybee"], {"pattern": "bokeh"}),
        ("duo", ["evergreen-tree", "honey-pot"], {"alt": 5}),
    ],
    "bougie-en-cire": [("hero", ["candle"], {"pattern": "bokeh"})],
    "chaussettes-en-laine": [("hero", ["socks"], {"pattern": "stripes"}), ("duo", ["socks", "yarn"], {"alt": 4})],
    "bonnet": [("duo", ["yarn", "scarf"], {"alt": 2})],
}

# slug -> portrait spec (see demo_art.PORTRAITS); the photo_alt of each maker describes this drawing.
PORTRAITS: dict[str, dict] = {
    "maelle-r": {
        "bg": ("#f3c89a", "#d9804a"),
        "pat": "bokeh",
        "skin": 7,
        "head": "short",
        "hair": "#5a3a24",
        "top": "#4b6a86",
        "scarf": None,
    },
    "yann-l": {
        "bg": ("#c8dcef", "#5f8cb8"),
        "pat": "stripes",
        "skin": 5,
        "head": "short",
        "hair": "#8a5a2a",
        "beard": True,
        "top": "#3f6a4a",
        "scarf": "#e0b33c",
    },
    "ines-b": {
        "bg": ("#f1e2c4", "#cfae74"),
        "pat": "dots",
        "skin": 3,
        "head": "curly",
        "hair": "#2a1a12",
        "top": "#b8603e",
        "scarf": None,
    },
    "thomas-g": {
        "bg": ("#f4e3a0", "#d6b23c"),
        "pat": "tiles",
        "skin": 4,
        "head": "cap",
        "hair": "#2a2018",
        "cap": "#2f4f6f",
        "top": "#5d6b3a",
        "scarf": None,
    },
    "claire-d": {
        "bg": ("#f4d3d3", "#c97a86"),
        "pat": "waves",
        "skin": 6,
        "head": "headscarf",
        "hair": "#b3262e",
        "top": "#6a3e62",
        "scarf": None,
    },
    "julien-m": {
        "bg": ("#eadbc4", "#b99466"),
        "pat": "tiles",
        "skin": 5,
        "head": "short",
        "hair": "#3a2a20",
        "beard": True,
        "top": "#6b4a32",
        "scarf": "#a33b3b",
    },
    "sophie-t": {
        "bg": ("#c9ece6", "#4fa69a"),
        "pat": "bokeh",
        "skin": 0,
        "head": "braids",
        "hair": "#1a1410",
        "top": "#26365a",
        "scarf": None,
    },
    "karim-a": {
        "bg": ("#efd2a2", "#c08a3e"),
        "pat": "waves",
        "skin": 2,
        "head": "curly",
        "hair": "#1a1410",
        "top": "#263a5a",
        "scarf": "#d9a520",
    },
    "lea-v": {
        "bg": ("#f6e3a8", "#d9a83a"),
        "pat": "dots",
        "skin": 1,
        "head": "turban",
        "hair": "#f1ece0",
        "top": "#3b6e8f",
        "scarf": None,
    },
    "hugo-p": {
        "bg": ("#d7efe4", "#7fb8a0"),
        "pat": "stripes",
        "skin": 7,
        "head": "beanie",
        "hair": "#6a4a2a",
        "beanie": "#8a3a3a",
        "top": "#6b6e72",
        "scarf": "#3a6ea5",
    },
}


def main() -> int:
    demo_art.PALETTES.update(PALETTES)
    demo_art.PRODUCTS.update(PRODUCTS)
    demo_art.PORTRAITS.update(PORTRAITS)
    count = 0
    for bundle in sorted((STORIES / "products").iterdir()):
        meta = demo_art.front_matter(bundle / "index.md")
        images = meta.get("images") or []
        if len(images) > len(PRODUCTS.get(bundle.name, [])):
            sys.exit(f"{bundle.name}: {len(images)} images named, {len(PRODUCTS.get(bundle.name, []))} drawn")
        for i, image in enumerate(images):
            demo_art.save(demo_art.render_product(bundle.name, i, meta.get("category") or ""), bundle / image["src"])
            count += 1
    for bundle in sorted((STORIES / "people").iterdir()):
        meta = demo_art.front_matter(bundle / "index.md")
        if meta.get("photo"):
            demo_art.save(demo_art.render_portrait(bundle.name), bundle / meta["photo"])
            count += 1
    print(f"{count} images written under {STORIES.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
