"""Vitrine's cache holds what the last build used, nothing more: a removed or held person's pictures, share
cards and pages leave it at the next build.

The deploy files keep ``.cache/`` from run to run (a warm build is seconds, a cold one minutes), so whatever
it holds outlives the stories: a person taken off the site must not stay in it. Each build holds
``.cache/vitrine/lock`` shared (``flock``) from before it first looks into the cache until its last file is
placed: its ``Lease``. At its end a build that is alone with the cache (the lock taken exclusive, never waited
for) removes every file of the swept folders that it did not use. A build that is not alone (a preview
running, another build of the same campaign at the same time) removes nothing, and the next build alone does:
no build ever loses a file it found in the cache and counts on placing. A build that starts during a sweep
waits for it (milliseconds: a listing and a few unlinks), then finds what it needs or makes it again.

Swept: every namespace of the cache (``vitrine.core.cache.KINDS``): the photos' variants (``images/``), the cleaned
``docs/`` images (``docs/``), the share cards (``cards/``), the calendars (``ics/``), the precompressed copies
of the pages (``compress/``) and the press kit's PDFs (``pdf/``). Each cache's own module says which of its
files belong to a used one (``images.sweep``, ``cards.sweep``, ``compress.sweep``); the PDFs are kept by their
bytes, those of the site's copies. The stories' memo (``stories/``) keeps only what the build read by itself
(``load.Memo.save``). A write whose writer died (``….part``) goes wherever it lies, and so does a file right
in the cache's folder that the cache does not know (``cache.TOP``: an older Vitrine's ``stories.pickle``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import weakref
from collections.abc import Iterable
from pathlib import Path

from vitrine.core.cache import STORIES, TOP, remove_unused

LOCK = "lock"


class Lease:
    """A build's hold on the cache folder ``cache`` (``.cache/vitrine``): shared from now until ``sweep`` or
    ``end`` (or until it is garbage, or its process ends). A cache that cannot be written holds no lease, and
    is never swept."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self._fd: int | None = None
        try:
            cache.mkdir(parents=True, exist_ok=True)
            fd = os.open(cache / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)  # waits while another build sweeps
        except OSError:  # a file system without locks: never sweep, nothing to guard
            os.close(fd)
            return
        self._fd = fd
        self._closed = weakref.finalize(self, os.close, fd)

    def sweep(self, used: Iterable[Path], copies: Iterable[Path] = ()) -> int | None:
        """Once the build is done with the cache: remove every swept file that ``used`` (the files the build
        placed, ``Plan.files``, and the precompressed copies) does not hold, and every press-kit PDF that none of
        ``copies`` (the site's PDFs, copied from the cache) has the bytes of, if no other build holds the cache.
        The files removed, or None when another build held it (or this one holds no lease). Ends the lease
        either way."""
        if self._fd is None:
            return None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)  # this build is done with the cache
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another build holds it: the next build alone sweeps
            self.end()
            return None
        from vitrine.build import compress
        from vitrine.media import (
            cards,
            images,  # the caches' own rules
        )

        try:
            kept = set(used)
            return (images.sweep(self.cache / "images", kept) + images.sweep(self.cache / "docs", kept)
                    + cards.sweep(self.cache / "cards", kept) + remove_unused(self.cache / "ics", kept.__contains__)
                    + compress.sweep(self.cache / "compress", kept) + _pdfs(self.cache / "pdf", copies)
                    + remove_unused(self.cache / "stories", lambda path: path == self.cache / STORIES)
                    + _unknown(self.cache))  # fmt: skip
        finally:
            self.end()

    def end(self) -> None:
        """Let go of the cache (a sweep elsewhere may now remove what this build used)."""
        if self._fd is not None:
            self._fd = None
            self._closed()


def _pdfs(folder: Path, copies: Iterable[Path]) -> int:
    """The press kit's laid-out PDFs (``<key>.pdf`` and its ``<key>.json``, ``presskit.build_pdf``) that no PDF
    of the site is a copy of: an old kit naming a person taken off the site goes."""
    placed: dict[int, list[bytes]] = {}
    for copy in copies:
        with contextlib.suppress(OSError):
            placed.setdefault(copy.stat().st_size, []).append(copy.read_bytes())

    def kept(pdf: Path) -> bool:
        try:  # sizes first: a campaign's kits differ in size, and only a same-size one is read
            return pdf.stat().st_size in placed and pdf.read_bytes() in placed[pdf.stat().st_size]
        except OSError:
            return True  # unreadable: left for the next sweep

    return remove_unused(folder, lambda path: kept(path.with_suffix(".pdf")) if path.suffix == ".json" else
                         path.suffix == ".pdf" and kept(path))  # fmt: skip


def _unknown(cache: Path) -> int:
    """Remove the files right in ``cache`` that are none of its own (``cache.TOP``): left by an older Vitrine."""
    removed = 0
    with contextlib.suppress(OSError):
        for path in cache.iterdir():
            if path.name not in TOP and not path.is_dir():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
    return removed
