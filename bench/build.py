"""Build-time benchmark: the demo campaign against an empty Material site, what its second language
costs (French alone against French + English), a campaign scaled up to show the build stays linear, and
synthetic campaigns (bench/synthetic.py: photos, share cards and the PDF included) against a bare Material
site of the same pages.

    .venv/bin/python bench/build.py [--runs 3] [--scale 1 4 8] [--synthetic 1000 10000]
    (--scale or --synthetic alone: none of those builds; --synthetic-only: skip the demo)

Prints seconds (median of the runs) and ratios measured in this same run. A synthetic campaign of T
testimonies has 3T/100 people, T/10 products and 0.115T photos (10,000: 300 people, 1,000 products, 1,150
photos); its cold build starts from an empty cache, its peak memory is the largest process's.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(cmd: list[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=ENV, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def empty_material(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Hello\n")
    (folder / "mkdocs.yml").write_text("site_name: Empty\ntheme:\n  name: material\n  font: false\n")
    return folder


def scaled(folder: Path, factor: int) -> Path:
    """The demo with every person and product copied `factor` times (images reused, so cached)."""
    folder.mkdir()
    for name in ("mkdocs.yml", "mkdocs.en.yml", "hooks.py"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("overrides", "docs"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "vitrine").symlink_to(ROOT / "vitrine")
    (folder / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)
    stories = folder / "stories"
    products = sorted(p.name for p in (ROOT / "stories/products").iterdir())
    for copy in range(factor):
        suffix = f"-{copy}" if copy else ""
        for bundle in (ROOT / "stories/products").iterdir():
            shutil.copytree(bundle, stories / "products" / f"{bundle.name}{suffix}")
        for bundle in (ROOT / "stories/people").iterdir():
            target = stories / "people" / f"{bundle.name}{suffix}"
            shutil.copytree(bundle, target)
            for testimony in target.glob("*.md"):
                stem = testimony.name.split(".")[0]
                if stem in products and suffix:
                    testimony.rename(target / testimony.name.replace(stem, f"{stem}{suffix}", 1))
    return folder


def french_only(folder: Path) -> Path:
    """The demo without its English translation (same stories, cache and code)."""
    folder.mkdir()
    for name in ("hooks.py", "mkdocs.en.yml"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("vitrine", "overrides"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    for name in ("docs", "stories"):  # copies: a stories folder must not lead out of its project
        shutil.copytree(ROOT / name, folder / name)
    (folder / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, found = re.subn(r"translations:\n\s+en: mkdocs\.en\.yml[^\n]*", "translations: {}", config)
    assert found == 1, "mkdocs.yml no longer lists its English translation as the benchmark expects"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def synthetic(folder: Path, testimonies: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import generate

    generate(folder, testimonies * 3 // 100 or 1, testimonies // 10 or 1, testimonies, testimonies * 115 // 1000)
    (folder / "vitrine").symlink_to(ROOT / "vitrine")
    return folder


def bare_material(folder: Path, project: Path) -> Path:
    """Material alone (search on, navigation generated) with a page per product and person of ``project``:
    the same paths, each with the story and testimonies it shows."""
    docs = folder / "docs"
    for kind in ("products", "people"):
        (docs / kind).mkdir(parents=True)
    (docs / "index.md").write_text("# Campagne\n\nUne campagne générée pour mesurer.\n", encoding="utf-8")
    told: dict[str, list[str]] = {}
    for person in sorted((project / "stories/people").iterdir()):
        texts = []
        for story in sorted(person.glob("*.md")):
            body = story.read_text(encoding="utf-8").split("---", 2)[2]
            if story.name != "index.md":
                told.setdefault(story.stem, []).append(body)
            texts.append(body)
        (docs / "people" / f"{person.name}.md").write_text(f"# {person.name}\n" + "\n".join(texts), encoding="utf-8")
    for product in sorted((project / "stories/products").iterdir()):
        body = (product / "index.md").read_text(encoding="utf-8").split("---", 2)[2]
        texts = "\n".join([body, *told.get(product.name, [])])
        (docs / "products" / f"{product.name}.md").write_text(f"# {product.name}\n{texts}", encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Bare\ntheme:\n  name: material\n  font: false\n  language: fr\n"
                                       "plugins:\n  - search\n", encoding="utf-8")  # fmt: skip
    return folder


def peak_mb(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and the peak memory (MB) of the largest process, in a child so earlier builds do not count."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, capture_output=True); print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", probe, *cmd], cwd=cwd, env=ENV, check=True, capture_output=True)
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, nargs="*", default=[1, 4])
    parser.add_argument("--synthetic", type=int, nargs="*", default=[1000, 10000], help="testimonies")
    parser.add_argument("--synthetic-only", action="store_true")
    args = parser.parse_args()
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for count in args.synthetic:
            project = synthetic(tmp_path / f"synthetic-{count}", count)
            bare = bare_material(tmp_path / f"bare-{count}", project)
            cold, peak = peak_mb(mkdocs, project)
            warm = timed(mkdocs, project, args.runs)
            alone = timed(mkdocs, bare, args.runs)
            size, bare_size = pages(project / "site"), pages(bare / "site")
            print(f"synthetic {count:6d} testimonies  {size:5d} pages ({bare_size} bare)  cold {cold:6.1f} s  "
                  f"peak {peak:5.0f} MB   warm {warm:6.2f} s   bare Material {alone:6.2f} s   "
                  f"warm {warm / alone:4.2f}x bare   cold {cold / alone:4.2f}x bare")  # fmt: skip
            shutil.rmtree(project)
        if args.synthetic_only:
            return
        subprocess.run([*mkdocs, "--site-dir", str(tmp_path / "warmup")], cwd=ROOT, env=ENV, check=True,
                       capture_output=True)  # fmt: skip
        empty = timed(mkdocs, empty_material(tmp_path / "empty"), args.runs)
        # Alternated, run by run: on a shared machine, load drifts; the difference between the two is the figure.
        both, alone, project = [], [], french_only(tmp_path / "french")
        for _ in range(args.runs):
            both.append(timed([*mkdocs, "--site-dir", str(tmp_path / "demo")], ROOT, 1))
            alone.append(timed([*mkdocs, "--site-dir", str(tmp_path / "fr")], project, 1))
        demo, french = statistics.median(both), statistics.median(alone)
        # what `make site` runs once .venv is made (the interpreter's own: PYTHONPATH picks another checkout's)
        make = timed([sys.executable, "-m", "vitrine", "build"], ROOT, args.runs)
        print(f"empty Material site      {empty:6.2f} s")
        print(f"demo: mkdocs build       {demo:6.2f} s   {pages(tmp_path / 'demo'):5d} pages   "
              f"{demo / empty:5.1f}x the empty site (French + English, 2 PDFs, 1 photo ZIP)")  # fmt: skip
        print(f"demo: French alone       {french:6.2f} s   {pages(tmp_path / 'fr'):5d} pages")
        print(f"demo: English on top     {demo - french:6.2f} s   {(demo - french) / french:5.0%} of the French build")
        print(f"demo: vitrine build      {make:6.2f} s   {make / empty:5.1f}x the empty site (make site, warm)")
        base = None
        for factor in args.scale:
            project = scaled(tmp_path / f"x{factor}", factor)
            seconds = timed(mkdocs, project, args.runs)
            count = pages(project / "site")
            per_page = (seconds - empty) / count * 1000
            base = base or per_page
            print(f"demo x{factor:<3d} mkdocs build  {seconds:6.2f} s   {count:5d} pages   "
                  f"{per_page:5.1f} ms/page above the empty site ({per_page / base:4.2f}x the x1 rate)")  # fmt: skip


if __name__ == "__main__":
    main()
