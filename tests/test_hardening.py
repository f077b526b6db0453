"""Issue 10's failures that a fixture of tests/fixtures/bad/ cannot hold: the policy against a script that
came from content, in Chromium; images of docs/ known by their content; pictures that must stay apart; a very
tall picture; a read-only cache; MkDocs' own YAML crashes caught by ``vitrine check``; share cards
and Markdown bounded in time; ``mkdocs serve`` still answering on hostile input."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import material
import pytest
from conftest import FIXTURES, make_project, mkdocs
from PIL import ExifTags
from PIL import Image as PILImage
from test_serve import fetch, free_port

from vitrine.build import csp
from vitrine.media.cards import draw_card
from vitrine.media.images import WEBP_MAX, clean_file, process_images
from vitrine.read.load import load
from vitrine.read.markup import MarkupProblem, renderer
from vitrine.read.model import Image

THEME_DIRS = [str(Path(csp.__file__).parent / "theme"), str(Path(material.__file__).parent / "templates")]
MATERIAL_SCRIPT = (
    '__md_scope=new URL(".",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
)


def gps_jpeg() -> bytes:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "SECRET-CAMERA"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (50.0, 57.0, 3.0)
    out = io.BytesIO()
    PILImage.new("RGB", (64, 48), (200, 120, 60)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


# --- the policy -------------------------------------------------------------------------------------------


def test_only_the_themes_scripts_are_hashed() -> None:
    scripts = csp.theme_scripts(THEME_DIRS)
    page = (f'<html><head><meta charset="utf-8"><title>x</title><script>{MATERIAL_SCRIPT}</script>'
            '<meta property="og:title" content=""><script>alert(1)</script>"></head><body>'
            '<script>__md_scope=new URL("x");alert(2)</script></body></html>')  # fmt: skip
    hashes = csp.theme_hashes(page, scripts)
    assert len(hashes) == 1  # Material's; neither the injected one nor a look-alike with more code


def test_a_script_from_content_does_not_run_in_chromium(browser) -> None:
    """The policy on a page where a title broke out of its attribute: the theme's script runs, the
    injected one is blocked (no dialog), in real Chromium."""
    page_html = csp.apply(
        '<html><head><meta charset="utf-8"><title>t</title>'
        '<meta property="og:title" content="About "><script>alert(1)</script>">'
        f"<script>{MATERIAL_SCRIPT}</script></head><body><p>x</p></body></html>",
        csp.theme_scripts(THEME_DIRS),
    )
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("http://vitrine.test/", lambda r: r.fulfill(body=page_html, content_type="text/html"))
    page.goto("http://vitrine.test/")
    assert dialogs == []
    assert page.evaluate("typeof window.__md_get") == "function"  # the theme's own script was allowed
    page.close()


# --- images -----------------------------------------------------------------------------------------------


def test_docs_images_are_known_by_their_content(tmp_path: Path) -> None:
    jfif = tmp_path / "photo.jfif"
    jfif.write_bytes(gps_jpeg())
    out, problem = clean_file(jfif, "docs/photo.jfif", tmp_path / "cache")
    assert problem is None and out is not None
    assert b"SECRET-CAMERA" not in out.read_bytes() and not PILImage.open(out).getexif()


def test_a_built_site_publishes_docs_images_without_metadata(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "docs" / "photo.jfif").write_bytes(gps_jpeg())
    (project / "docs" / "sans-extension").write_bytes(gps_jpeg())
    (project / "docs" / "notes.txt").write_bytes(gps_jpeg())
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    for name in ("photo.jfif", "sans-extension", "notes.txt"):
        data = (project / "site" / name).read_bytes()
        assert data.startswith(b"\xff\xd8") and b"SECRET-CAMERA" not in data, name


def test_very_tall_picture_fits_webp(tmp_path: Path) -> None:
    source = tmp_path / "infographie.png"
    PILImage.new("RGB", (1080, 17000), (10, 20, 30)).save(source)
    pictures, problems = process_images([Image(source, "infographie.png", "products/x/infographie", "Une")],
                                        tmp_path / "cache", workers=1)  # fmt: skip
    assert problems == []
    picture = pictures["products/x/infographie"]
    assert all(v.height <= WEBP_MAX for v in picture.variants())
    assert PILImage.open(picture.webp[-1].file).size == (picture.webp[-1].width, picture.webp[-1].height)


def test_same_stem_and_odd_names_stay_apart_and_url_safe(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    folder = stories / "products" / "cafe"
    folder.mkdir(parents=True)
    for name in ("cafe.jpg", "cafe.gif", "café, noir 2.jpg"):
        (folder / name).write_bytes(b"x")
    (folder / "index.md").write_text(
        "---\ntitle: Café\nimages:\n  - {src: cafe.jpg, alt: Un}\n  - {src: cafe.gif, alt: Deux}\n"
        "  - {src: 'café, noir 2.jpg', alt: Trois}\n  - {src: cafe.jpg, alt: Le même}\n---\n\nCafé.\n",
        encoding="utf-8",
    )
    (stories / "people").mkdir()
    loaded = load(tmp_path)
    assert loaded.problems == []
    names = [image.name for image in loaded.campaign.products["cafe"].images]
    assert names == ["products/cafe/cafe", "products/cafe/cafe-gif", "products/cafe/cafe-noir-2", "products/cafe/cafe"]


# --- a read-only cache ------------------------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only modes")
def test_read_only_cache_after_a_rename_is_a_message(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert mkdocs(project, "build").returncode == 0
    people = project / "stories" / "people"
    (people / "yusuf-d").rename(people / "yusuf-e")
    cache = project / ".cache"
    modes = {path: path.stat().st_mode for path in [cache, *cache.rglob("*")] if path.is_dir()}
    try:
        for path in modes:
            path.chmod(0o555)
        result = mkdocs(project, "build")
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert ".cache/vitrine/cards: impossible d'écrire les images de partage : Permission denied" in log


def test_read_only_cache_as_root_is_a_message(tmp_path: Path) -> None:
    """Root ignores modes: a cache that is a file where a folder should be fails the same way."""
    project = make_project(tmp_path / "p")
    assert mkdocs(project, "build").returncode == 0
    people = project / "stories" / "people"
    (people / "yusuf-d").rename(people / "yusuf-e")
    cards = project / ".cache" / "vitrine" / "cards"
    for path in sorted(cards.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    cards.rmdir()
    cards.write_text("not a folder")
    result = mkdocs(project, "build")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert ".cache/vitrine/cards: impossible d'écrire les images de partage :" in log


# --- what MkDocs' YAML loader crashes on -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("embargo: 2026-02-30", "mkdocs.yml:3: extra.campaign.embargo: 2026-02-30 is not a day of the calendar"),
        ("embargo: " + "9" * 5000, "mkdocs.yml:3: extra.campaign.embargo: number of 5,000 characters is too long"),
    ],
)
def test_vitrine_check_names_the_line(tmp_path: Path, value: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"extra:\n  campaign:\n    {value}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "vitrine", "check", str(tmp_path)], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


# --- bounded work -----------------------------------------------------------------------------------------


def test_share_card_of_a_long_word_is_quick() -> None:
    started = time.perf_counter()
    draw_card(photo=None, title="N" * 8000, quote="Q" * 8000, campaign="C" * 8000)
    assert time.perf_counter() - started < 10  # a guard against the hang it once was (minutes), not a speed target


@pytest.mark.parametrize(
    "body",
    [
        "[" * 30000,
        "![" * 20000,
        "<http://" * 10000,
        "".join("    " * i + "- x\n" for i in range(400)),
        '<div markdown="1">\n\n' * 600 + "x\n\n" + "</div>\n\n" * 600,
        "".join(">" * i + " x\n" for i in range(1000)),
    ],
)
def test_pathological_markdown_is_refused_quickly(body: str) -> None:
    render = renderer(["attr_list", "md_in_html", "admonition", "toc"])
    started = time.perf_counter()
    with pytest.raises(MarkupProblem):
        render(body)
    assert time.perf_counter() - started < 10  # a guard against the hang it once was (minutes), not a speed target


def test_serve_answers_on_hostile_input(tmp_path: Path) -> None:
    """The inputs that hung the build: mkdocs serve still serves, with their messages in the banner."""
    stories = tmp_path / "stories"
    shutil.copytree(FIXTURES / "good" / "stories", stories)
    (stories / "people/yusuf-d/savon.md").write_text("---\nrating: 3\n---\n\n" + "[" * 30000, encoding="utf-8")
    (stories / "products/cafe/index.md").write_text(
        "---\ntitle: " + "C" * 8000 + "\nimages:\n  - {src: cafe.jpg, alt: Café}\n---\n\nCafé.\n", encoding="utf-8"
    )
    project = make_project(tmp_path / "p", stories=stories)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)  # fmt: skip
    try:
        page = fetch(f"http://127.0.0.1:{port}/products/savon/", timeout=120)
        assert "stories/people/yusuf-d/savon.md:5: trop de [" in page
        assert "stories/products/cafe/index.md:2: title fait 8,000 caractères" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
