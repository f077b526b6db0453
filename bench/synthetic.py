"""A synthetic campaign at scale, for benchmarks: N people, M products, T testimonies, P photos.

    .venv/bin/python bench/synthetic.py OUT [--people 300] [--products 1000] [--testimonies 10000] [--photos 1150]

Deterministic (fixed seed): the same arguments write the same files. Photos are 1200×900 JPEGs drawn
with Pillow (gradients and shapes: they compress like photos, not like flat colour). One language.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

WORDS = ("objet", "froid", "nuit", "matin", "pluie", "tente", "route", "ami", "chaud", "sec", "boue", "camp",
         "espoir", "attente", "mer", "frontière", "lampe", "pain", "thé", "famille", "téléphone", "laver")  # fmt: skip
CONFIG = """site_name: Campagne synthétique
site_url: https://example.org/
theme:
  name: material
  custom_dir: overrides
  language: fr
  font: false
hooks:
  - hooks.py
plugins:
  - search:
      lang: fr
extra:
  generator: false
  campaign:
    name: Campagne synthétique
    organisation: Association de test
    donate:
      url: https://example.org/don
"""


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def photo(path: Path, rng: random.Random) -> None:
    image = Image.linear_gradient("L").resize((1200, 900)).convert("RGB")
    tint = Image.new("RGB", (1200, 900), tuple(rng.randrange(60, 230) for _ in range(3)))
    image = Image.blend(image, tint, 0.6)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(1200), rng.randrange(900), rng.randrange(20, 200)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    image.filter(ImageFilter.GaussianBlur(2)).save(path, "JPEG", quality=88)


def generate(out: Path, people: int, products: int, testimonies: int, photos: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "overrides").mkdir(exist_ok=True)
    (out / "docs" / "index.md").write_text("Une campagne générée pour mesurer.\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (out / "hooks.py").write_text("from vitrine.mkdocs_hooks import *  # noqa: F403\n", encoding="utf-8")
    product_photos = max(photos - people, products)  # every product has one; the rest are portraits
    portraits = max(photos - products, 0)
    for i in range(products):
        folder = out / "stories" / "products" / f"produit-{i:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        extra = 2 if i < product_photos - products else 1
        names = [f"photo-{k}.jpg" for k in range(extra)]
        for name in names:
            photo(folder / name, rng)
        images = "".join(f"  - src: {name}\n    alt: {sentence(rng, 5)}\n" for name in names)
        (folder / "index.md").write_text(
            f"---\ntitle: Produit {i}\nimages:\n{images}category: Catégorie {i % 12}\nneeded: {rng.randrange(200)}\n"
            f"collected: {rng.randrange(150)}\nprice: {rng.randrange(1, 80)}.50\n---\n\n{sentence(rng, 40)}\n",
            encoding="utf-8",
        )
    pairs = rng.sample([(p, q) for p in range(people) for q in range(products)], testimonies)
    for p in range(people):
        folder = out / "stories" / "people" / f"personne-{p:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        photo_lines = ""
        if p < portraits:
            photo(folder / "portrait.jpg", rng)
            photo_lines = f"photo: portrait.jpg\nphoto_alt: {sentence(rng, 6)}\n"
        (folder / "index.md").write_text(
            f"---\nname: Personne {p}\nconsent: 2026-01-01\n{photo_lines}origin: Pays {p % 30}\n---\n\n"
            + "\n\n".join(sentence(rng, 60) for _ in range(4))
            + "\n",
            encoding="utf-8",
        )
    for p, q in pairs:
        day = 1 + rng.randrange(28)
        (out / "stories" / "people" / f"personne-{p:04d}" / f"produit-{q:04d}.md").write_text(
            f"---\nrating: {rng.randrange(1, 6)}\ntitle: {sentence(rng, 4)}\n"
            f"date: 2026-0{1 + rng.randrange(9)}-{day:02d}\n---\n\n{sentence(rng, 50)}\n",
            encoding="utf-8",
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--testimonies", type=int, default=10000)
    parser.add_argument("--photos", type=int, default=1150)
    args = parser.parse_args()
    generate(args.out, args.people, args.products, args.testimonies, args.photos)


if __name__ == "__main__":
    main()
