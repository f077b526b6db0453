"""Precompressed .gz and .br copies beside the built site's text files."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import brotli

from vitrine.build import compress

TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics"}


def test_every_text_file_of_the_demo_has_its_copies(demo_site: Path) -> None:
    texts = [p for p in demo_site.rglob("*") if p.suffix in TEXT and p.is_file()]
    assert len(texts) > 150
    for path in texts:
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if len(data) > 1024:  # a tiny file may not shrink: then it has no copy
            assert gz.is_file() and br.is_file(), path
        if gz.is_file():
            packed = gz.read_bytes()
            assert gzip.decompress(packed) == data, gz
            if path.name != "sitemap.xml":  # MkDocs writes sitemap.xml.gz itself, after sitemap.xml: kept
                assert packed[4:8] == b"\0\0\0\0", gz  # no time in the header: the same bytes at every build
            assert len(packed) < len(data)
        if br.is_file():
            assert brotli.decompress(br.read_bytes()) == data, br
    assert (demo_site / "index.html.gz").is_file() and (demo_site / "en/products/cafe/index.html.br").is_file()
    binary = [p for p in demo_site.rglob("*") if p.suffix in {".jpg", ".webp", ".png", ".pdf", ".zip"}]
    assert binary and not [p for p in binary if p.with_name(p.name + ".gz").exists()]


def site(folder: Path, page: str) -> Path:
    (folder / "a").mkdir(parents=True)
    (folder / "index.html").write_text(page * 50, encoding="utf-8")
    (folder / "a" / "style.css").write_text("body { color: #123456; margin: 0 auto; }\n" * 40, encoding="utf-8")
    (folder / "a" / "tiny.txt").write_text("x", encoding="utf-8")
    (folder / "a" / "photo.jpg").write_bytes(os.urandom(4000))
    return folder


def test_only_changed_files_are_compressed_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = compress.precompress(site(tmp_path / "one", "<p>Bonjour</p>\n"), cache)
    assert first.files == 3 and first.compressed == 6  # html, css, txt × gzip, brotli
    assert first.written == 4  # the one-byte file would grow: no copy
    assert not (tmp_path / "one/a/tiny.txt.gz").exists() and not (tmp_path / "one/a/photo.jpg.gz").exists()

    again = compress.precompress(site(tmp_path / "two", "<p>Bonjour</p>\n"), cache)  # a clean rebuild
    assert again.compressed == 0 and again.written == 4
    assert (tmp_path / "two/index.html.br").read_bytes() == (tmp_path / "one/index.html.br").read_bytes()

    edited = compress.precompress(site(tmp_path / "three", "<p>Bonsoir</p>\n"), cache)
    assert edited.compressed == 2  # the page's two copies; the stylesheet's came from the cache
    assert gzip.decompress((tmp_path / "three/index.html.gz").read_bytes()).startswith(b"<p>Bonsoir</p>")


def test_a_copy_newer_than_its_file_is_kept_and_a_stale_one_replaced(tmp_path: Path) -> None:
    folder = site(tmp_path / "s", "<p>Un</p>\n")
    compress.precompress(folder, tmp_path / "cache")
    page, style = folder / "index.html", folder / "a" / "style.css.gz"
    style.write_bytes(b"kept")  # a dirty rebuild (mkdocs build --dirty) did not touch the stylesheet
    later = page.stat().st_mtime + 10
    os.utime(style, (later, later))
    page.write_text("<p>Deux</p>\n" * 50, encoding="utf-8")  # but rewrote the page
    os.utime(page, (later + 10, later + 10))
    report = compress.precompress(folder, tmp_path / "cache")
    assert report.compressed == 2  # the page's two copies, stale
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()).startswith(b"<p>Deux</p>")
    assert style.read_bytes() == b"kept"


def test_the_search_index_is_compressed_as_content_not_as_a_theme_asset(tmp_path: Path) -> None:
    """It grows with the campaign and changes at every edit: brotli 6, like the pages, not 11."""
    folder = site(tmp_path / "s", "<p>Bonjour</p>\n")
    (folder / "search").mkdir()
    (folder / "search" / "search_index.json").write_text('{"docs": [{"text": "savon"}]}' * 200, encoding="utf-8")
    (folder / "a" / "manifest.json").write_text('{"name": "thème"}' * 200, encoding="utf-8")
    compress.precompress(folder, tmp_path / "cache")
    codecs = {p.name.rsplit(".", 1)[1] for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert codecs == {"gz9", "br6", "br11", "none"}  # none: the one-byte file's copies would grow
    index = (folder / "search/search_index.json").read_bytes()
    named = {p.name.rsplit(".", 1)[1] for p in (tmp_path / "cache").rglob("*")
             if p.is_file() and p.name.startswith(hashlib.sha256(index).hexdigest())}  # fmt: skip
    assert named == {"gz9", "br6"}
