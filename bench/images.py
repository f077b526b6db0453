"""Image pipeline benchmark: naive Pillow, our pipeline cold and warm, and Hugo, on the same photos in one run.

    .venv/bin/python bench/images.py [--count 40]

Photos (4000x3000, about 3 MB JPEG q92) are generated once into .cache/bench/. Targets: cold >= 3x naive,
warm >= 20x cold. Needs numpy (only here).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vitrine.media.images import JPEG_QUALITY, WEBP_METHOD, WEBP_QUALITY, WIDTHS, Stats, process_images  # noqa: E402
from vitrine.read.model import Image  # noqa: E402

CACHE = ROOT / ".cache" / "bench"
SIZE = (4000, 3000)


def make_photo(path: Path, seed: int) -> None:
    """Gradients, shapes, fine texture and sensor noise: compresses like a photo, not like a flat test card."""
    rng = np.random.default_rng(seed)
    w, h = SIZE
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack(
        [c0 + c1 * x / w + c2 * y / h for c0, c1, c2 in rng.uniform([[40, -40, -40]] * 3, [[160, 90, 90]] * 3)],
        axis=-1,
    )
    im = PILImage.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(60):
        x0, y0 = rng.integers(0, w), rng.integers(0, h)
        r = int(rng.integers(40, 600))
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0 - r, y0 - r, x0 + r, y0 + r // 2), fill=fill)
    im = im.filter(ImageFilter.GaussianBlur(3))
    pixels = np.asarray(im, dtype=np.float32)
    texture = np.sin(x / rng.uniform(3, 9)) * np.cos(y / rng.uniform(3, 9)) * 8  # fabric, foliage, gravel
    noise = rng.normal(0, 7, (h, w, 3))
    out = np.clip(pixels + texture[..., None] + noise, 0, 255).astype(np.uint8)
    PILImage.fromarray(out).save(path, quality=92)


def photos(count: int) -> list[Path]:
    folder = CACHE / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"photo-{i:03}.jpg" for i in range(count)]
    missing = [p for p in paths if not p.exists()]
    for i, path in enumerate(missing, 1):
        print(f"\rgenerating photos: {i}/{len(missing)}", end="", flush=True)
        make_photo(path, seed=int(path.stem[-3:]))
    if missing:
        print()
    return paths


def naive(paths: list[Path], *, decode_once: bool = False) -> None:
    """A first version: per size, open, decode in full, resize, save; one core (or one decode for all sizes)."""
    for path in paths:
        im = None
        for width in WIDTHS:
            if im is None or not decode_once:
                im = PILImage.open(path)
                im.load()
            small = im.resize((width, round(im.height * width / im.width)), PILImage.Resampling.BICUBIC)
            small.save(io.BytesIO(), "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
            small.save(io.BytesIO(), "JPEG", quality=JPEG_QUALITY, optimize=True)  # same output as ours


def hugo(paths: list[Path], specs: list[str]) -> float | None:
    """Seconds for Hugo to process the photos with ``specs`` each, its resource cache empty."""
    if not shutil.which("hugo"):
        return None
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:  # same filesystem as the photos: hard links work
        site = Path(tmp)
        bundle = site / "content" / "bench"
        bundle.mkdir(parents=True)
        (bundle / "index.md").write_text("---\ntitle: bench\n---\n")
        for path in paths:
            os.link(path, bundle / path.name)
        layouts = site / "layouts" / "_default"
        layouts.mkdir(parents=True)
        calls = "".join(f'{{{{ with $img.Resize "{spec}" }}}}{{{{ .RelPermalink }}}}{{{{ end }}}}' for spec in specs)
        template = f'{{{{ range .Resources.ByType "image" }}}}{{{{ $img := . }}}}{calls}{{{{ end }}}}'
        (layouts / "single.html").write_text(template)
        (layouts / "list.html").write_text("")
        (site / "config.toml").write_text(
            'baseURL = "http://localhost/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        )
        start = time.perf_counter()
        run = subprocess.run(
            ["hugo", "--quiet", "--ignoreCache", "--cacheDir", str(site / "hugo-cache"), "--source", str(site)],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
        if run.returncode:
            print("hugo failed:", run.stderr.strip()[:500])
            return None
        made = len(list((site / "public" / "bench").glob("*_resize_*")))
        assert made == len(paths) * len(specs), f"hugo wrote {made} images"
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--hugo-full", action="store_true", help="also time Hugo making the same 6 outputs (slow)")
    args = parser.parse_args()
    paths = photos(args.count)
    n = len(paths)
    size = sum(p.stat().st_size for p in paths) / n / 1e6
    print(f"{n} photos {SIZE[0]}x{SIZE[1]}, {size:.1f} MB each; widths {WIDTHS}, WebP + JPEG; {os.cpu_count()} cores")
    images = [Image(p, p.name, f"bench/{p.stem}", "") for p in paths]
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    # The contenders take turns on slices of the photos, so load from other processes on this shared machine
    # falls on all of them alike. CPU seconds (children included) show the work done, whatever the load.
    totals = {name: [0.0, 0.0] for name in ("naive", "once", "cold")}

    def timed(name: str, run, *args, **options) -> None:
        start, cpu = time.perf_counter(), sum(os.times()[:4])
        run(*args, **options)
        totals[name][0] += time.perf_counter() - start
        totals[name][1] += sum(os.times()[:4]) - cpu

    cold_stats, warm_stats = Stats(), Stats()
    with tempfile.TemporaryDirectory(dir=CACHE) as cache:
        step = max(8, n // 5)
        for i in range(0, n, step):
            chunk = slice(i, i + step)
            timed("naive", naive, paths[chunk])
            timed("once", naive, paths[chunk], decode_once=True)
            timed("cold", process_images, images[chunk], Path(cache), workers=args.workers, stats=cold_stats)
        start = time.perf_counter()
        process_images(images, Path(cache), workers=args.workers, stats=warm_stats)
        warm_s = time.perf_counter() - start
    assert cold_stats.encoded == n and warm_stats.encoded == 0 and warm_stats.cached == n, (cold_stats, warm_stats)
    labels = {
        "naive": "naive Pillow (a full decode per size)",
        "once": "naive Pillow, one decode per photo",
        "cold": "pipeline cold",
    }
    for name, (wall, cpu) in totals.items():
        print(f"{labels[name]:<38} {wall:7.2f} s  {n / wall:7.2f} images/s  {cpu / n:5.2f} CPU s/image")
    print(f"{'pipeline warm':<38} {warm_s:7.2f} s  {n / warm_s:7.2f} images/s")
    naive_s, once_s, cold_s = (totals[k][0] for k in ("naive", "once", "cold"))
    print(f"cold vs naive: {naive_s / cold_s:5.1f}x faster (target >= 3x)")
    print(f"cold vs naive with one decode per photo: {once_s / cold_s:.1f}x faster")
    print(f"warm vs cold:  {cold_s / warm_s:5.1f}x faster (target >= 20x)")
    runs = [("hugo, 1600x webp q80 only", ["1600x webp q80"])]
    if args.hugo_full:
        formats = (f"webp q{WEBP_QUALITY}", f"jpg q{JPEG_QUALITY}")
        runs.append(("hugo, the same 6 outputs", [f"{w}x {fmt}" for w in WIDTHS for fmt in formats]))
    for label, specs in runs:
        hugo_s = hugo(paths, specs)
        if hugo_s is None:
            print(f"{label}: skipped (no hugo on PATH)")
            continue
        speed = f"pipeline cold is {hugo_s / cold_s:.1f}x Hugo's speed"
        print(f"{label:<38} {hugo_s:7.2f} s  {n / hugo_s:7.2f} images/s; {speed}")


if __name__ == "__main__":
    main()
