"""The cache holds what the last build used (``vitrine.build.sweep``): a person removed or held leaves ``.cache/`` at
the next build (portrait variants, share cards, rendered text, precompressed pages), and no build removes
what another build of the same campaign holds (a preview, a build at the same time).

Real builds of the fixture campaign, a real second process holding the cache, the engine's own plans."""

from __future__ import annotations

import fcntl
import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import make_project, mkdocs

from vitrine.build.engine import CACHE, Language, run

AMINA_SAYS = "<p>Se laver, c"  # her testimony about soap, rendered: in her pages, the product's, the memo


def her_files(project: Path) -> dict[str, set[Path]]:
    """Amina's files in the cache, found from the site (its images and cards are hard links to the cache's)."""
    site, cache = project / "site", project / CACHE
    inodes = {p.stat().st_ino for p in (*site.glob("img/people/amina-k/*"), *site.glob("img/cards/people/amina-k*"),
                                        *site.glob("en/img/cards/people/amina-k*"))}  # fmt: skip
    assert inodes, "the site links no file of hers"
    return {"linked": {p for p in cache.rglob("*") if p.is_file() and p.stat().st_ino in inodes},
            "cards": set(cache.glob("cards/*/people/amina-k.jpg*"))}  # fmt: skip


def cache_says(project: Path, text: str) -> bool:
    """Whether any file of the cache holds ``text``: the stories' memo, a precompressed page (gzip)."""
    needle = text.encode()
    for path in (project / CACHE).rglob("*"):
        if not path.is_file() or path.suffix in (".jpg", ".webp", ".png", ".pdf", ".zip"):
            continue
        data = path.read_bytes()
        if path.name.endswith(".gz9"):
            data = gzip.decompress(data)
        if needle in data:
            return True
    return False


def build(project: Path) -> None:
    result = mkdocs(project, "build")  # not strict: the fixture holds a person without consent
    assert result.returncode == 0, result.stderr


def test_a_held_or_removed_person_leaves_the_cache_at_the_next_build_alone(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    build(project)
    first = her_files(project)
    assert first["cards"] and first["linked"] and cache_says(project, AMINA_SAYS)
    amina = project / "stories/people/amina-k/index.md"
    amina.write_text(amina.read_text(encoding="utf-8").replace("consent: 2026-05-02\n", ""), encoding="utf-8")
    # A preview (or any build) of the same campaign holds the cache: this build removes nothing of it.
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_SH); "
        "print('holding', flush=True); time.sleep(600)"), str(project / CACHE / "lock")],
        stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        build(project)
        assert not (project / "site/people/amina-k").exists()  # held: off the site at once
        assert all(p.exists() for p in first["linked"] | first["cards"])  # the other build may still place them
    finally:
        holder.kill()
        holder.wait()
    build(project)  # alone: what held Amina's story goes
    assert not any(p.exists() for p in first["linked"] | first["cards"])
    assert not cache_says(project, AMINA_SAYS)  # rendered: not in the memo, not in a precompressed page
    kits = {p.read_bytes() for p in (project / CACHE / "pdf").glob("*.pdf")}  # the press kits quoting her too
    assert kits == {p.read_bytes() for p in (project / "site").rglob("*.pdf")} and len(kits) == 4  # kits, releases
    assert list((project / CACHE / "cards/fr/people").glob("yusuf-d.jpg*"))  # what is used stays
    shutil.rmtree(project / "stories/people/yusuf-d")  # removed outright
    build(project)
    assert not list((project / CACHE).glob("cards/*/people/yusuf-d.jpg*"))
    assert not cache_says(project, "Yusuf réparait les lignes électriques")  # not even his source text
    assert (project / "site/products/savon/index.html").is_file() and list((project / CACHE / "images").rglob("*.webp"))


def languages(root: Path) -> list[Language]:
    main = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    return [Language(lang="fr", config=root / "mkdocs.yml", campaign={**main["extra"]["campaign"], "translations": {}},
                     docs_dir=root / "docs", site_name=main["site_name"])]  # fmt: skip


def test_no_build_sweeps_what_another_build_of_the_campaign_holds(tmp_path: Path) -> None:
    """Two plans at once: the one that removed a person cannot sweep while the other, which planned to place
    her files, holds the cache; once it is done, the next one alone does."""
    project = make_project(tmp_path / "p")
    before = run(project, languages(project))
    hers = {file for lang in before.languages for url, file in lang.files.items() if "amina-k" in url}
    assert hers and all(file.is_file() for file in hers)
    shutil.rmtree(project / "stories/people/amina-k")
    after = run(project, languages(project))
    assert after.sweep() is None  # not alone: nothing removed
    assert all(file.is_file() for file in hers)  # the first build can still place every file it planned
    assert before.lease is not None
    before.lease.end()  # the first build is done
    again = run(project, languages(project))
    assert again.sweep()  # alone: her card and portrait go
    assert not any(file.exists() for file in hers)
    assert all(file.is_file() for lang in again.languages for file in lang.files.values())


PLAN = """
import sys
from pathlib import Path

import yaml

from vitrine.build.engine import Language, run

root = Path(sys.argv[1])
main = yaml.safe_load((root / "mkdocs.yml").read_text())
campaign = {**main["extra"]["campaign"], "translations": {}}
plan = run(root, [Language(lang="fr", config=root / "mkdocs.yml", campaign=campaign, docs_dir=root / "docs",
                           site_name=main["site_name"])])
print(all(file.is_file() for lang in plan.languages for file in lang.files.values()))
"""


def test_a_build_waits_for_a_sweep_under_way_then_finds_what_it_needs(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    run(project, languages(project)).sweep()
    lock = os.open(project / CACHE / "lock", os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # a sweep under way, elsewhere
    waiting = subprocess.Popen([sys.executable, "-c", PLAN, str(project)], stdout=subprocess.PIPE, text=True)
    try:
        try:
            waiting.wait(timeout=3)
            raise AssertionError("the build did not wait for the sweep")
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(project / CACHE / "cards")  # what the sweep removed
    finally:
        os.close(lock)  # the sweep is over
    out, _ = waiting.communicate(timeout=300)
    assert waiting.returncode == 0 and out.strip() == "True"  # it made again what it needed
