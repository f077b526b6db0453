"""Precompressed copies of the built site's text files, for hosts that serve them.

After a production build, every text file (HTML, CSS, JavaScript, JSON, XML, SVG,
text, iCalendar) gets a ``.gz`` (gzip level 9, reproducible: no name, no time) and a
``.br`` (brotli quality 11) beside it, so a static host (nginx ``gzip_static`` and
``brotli_static``, Caddy ``precompressed``, …) sends them without compressing on
each request. A copy that would not be smaller is not written.

Compressing is cached by content (``.cache/vitrine/compress/``, ``vitrine.core.cache``'s namespace, keyed
by the file's SHA-256 and the codec): a rebuild compresses only the files whose bytes
changed, and links the rest from the cache (``links.link``). A copy already
beside its file and newer than it (``mkdocs build --dirty``) is kept.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from vitrine.core.cache import Namespace, remove_unused, write_atomic
from vitrine.core.links import place

try:
    import brotli
except ImportError:  # brotli is a dependency; without it, hosts still get the .gz
    brotli = None

TEXT = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics"})
PAGES = frozenset({".html", ".xml", ".txt", ".ics"})  # made from the campaign's content at each build
CONTENT = frozenset({"search_index.json"})  # so is the search index: 0.9 MB at 10,000 testimonies, 1.2 s at 11


@dataclass
class Report:
    files: int = 0  # text files seen
    compressed: int = 0  # copies compressed in this run (the others came from the cache)
    written: int = 0  # .gz and .br files written
    codecs: tuple[str, ...] = ()  # the copies made beside each page: .gz, and .br when brotli is installed
    seconds: float = 0.0
    used: set[Path] = field(default_factory=set)  # the cache's entries this run placed (``sweep``)


# Brotli's best quality costs about 1.3 s a megabyte on these machines, its quality 6 0.04 s for
# 5 % more bytes (measured on the demo: 5.6 MB of text, 1.14 MB at 11, 1.27 MB at 6, 1.34 MB gzip -9).
# Pages and the search index change at every edit and grow with the campaign: quality 6. Theme assets
# (CSS, JavaScript, fonts' SVG, the search's code) are the same from build to build, cached: quality 11.
BROTLI_PAGES = 6
BROTLI_ASSETS = 11


Codec = tuple[str, Callable[[bytes], bytes]]  # (name in the cache, compress)


def encoders(page: bool) -> dict[str, Codec]:
    """The copies to write, by file extension."""
    found: dict[str, Codec] = {".gz": ("gz9", lambda data: gzip.compress(data, compresslevel=9, mtime=0))}
    if brotli is not None:
        quality = BROTLI_PAGES if page else BROTLI_ASSETS
        found[".br"] = (f"br{quality}", lambda data: brotli.compress(data, quality=quality))
    return found


def _fresh(copy: Path, mtime: float) -> bool:
    try:
        return copy.stat().st_mtime >= mtime
    except FileNotFoundError:
        return False


def _plan(path: Path, codecs: dict[str, Codec]) -> tuple[Path, str, bytes, dict[str, Codec]]:
    """What one file needs: its SHA-256, its bytes and the copies that are missing or stale."""
    mtime = path.stat().st_mtime
    todo = {ext: codec for ext, codec in codecs.items() if not _fresh(path.with_name(path.name + ext), mtime)}
    data = path.read_bytes() if todo else b""
    return path, hashlib.sha256(data).hexdigest(), data, todo


def _compress(data: bytes, code: Callable[[bytes], bytes], cached: Path) -> None:
    """Into the cache; a copy that would not be smaller is remembered as ``.none``."""
    packed = code(data)
    if len(packed) >= len(data):
        write_atomic(cached.with_name(cached.name + ".none"), b"")
    else:
        write_atomic(cached, packed)


def precompress(site_dir: Path, cache: Path) -> Report:
    """Write the ``.gz`` and ``.br`` copies of every text file under ``site_dir``."""
    started = time.perf_counter()
    files = [p for p in site_dir.rglob("*") if p.suffix in TEXT and p.is_file()]
    codecs = {True: encoders(page=True), False: encoders(page=False)}
    # keyed by the content's SHA-256 alone: the codec's name (gz9, br6, br11) is the entry's format version
    report, namespace = Report(files=len(files)), Namespace(cache, None)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        plans = list(pool.map(lambda p: _plan(p, codecs[p.suffix in PAGES or p.name in CONTENT]), files))
        jobs: dict[Path, tuple[bytes, Callable[[bytes], bytes]]] = {}  # each content once (fr and en share assets)
        copies: list[tuple[Path, Path]] = []
        for path, key, data, todo in plans:
            for ext, (name, code) in todo.items():
                cached = namespace.entry(key).with_name(f"{key}.{name}")
                if not cached.exists() and not cached.with_name(cached.name + ".none").exists():
                    jobs[cached] = (data, code)
                copies.append((cached, path.with_name(path.name + ext)))
        list(pool.map(lambda job: _compress(job[1][0], job[1][1], job[0]), jobs.items()))
    report.compressed = len(jobs)
    report.used = {cached for cached, _ in copies}
    for cached, target in copies:
        if cached.exists():
            place(str(cached), str(target))
            report.written += 1
    report.codecs, report.seconds = tuple(codecs[True]), time.perf_counter() - started
    return report


def sweep(cache: Path, used: set[Path]) -> int:
    """Remove the copies in ``cache`` (``<sha256>.<codec>``, ``….none``) of contents no page of this build has
    (``Report.used``): a removed or held person's page goes with its copies (``sweep.Lease``)."""

    keys = {path.name.split(".")[0] for path in used}
    return remove_unused(cache, lambda path: path.name.split(".")[0] in keys)
