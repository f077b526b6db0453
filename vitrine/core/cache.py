"""Vitrine's one cache, ``.cache/vitrine/``: a folder per kind of entry, each with its format version.

Every file a build keeps for the next one is written here, and only through this module:

- ``Namespace``: one kind's folder (``images/``, ``cards/``…) and its format version; the version goes into
  every key the namespace makes and every record it saves, so bumping it leaves the old entries unfound (the
  sweep then removes them: ``vitrine.build.sweep``);
- ``stamp``: what tells an input file unchanged since a build last read it (size, mtime, inode);
- ``write_atomic`` and ``atomic``: a unique ``.part`` file beside the target, then ``os.replace``, so a
  killed writer leaves no half file under a valid name and two builds at once each write whole files;
- ``Codec``: structured entries as JSON, never pickle: a cache file is data, and loading it runs no code. Its
  dataclasses are built again field by field from an allow-list of types.

The layout (``KINDS``; ``STORIES`` is the stories' memo, ``lock`` the builds' lease):

    .cache/vitrine/images/<key[:2]>/<key>.json, <key>-<width>.webp|jpg   photos' variants, by content
    .cache/vitrine/images/stat-index-<settings>.json                     photos trusted by their stamp
    .cache/vitrine/docs/<key[:2]>/<key>.<ext>, <key>.svg                  docs/ images, cleaned
    .cache/vitrine/cards/<lang>/<kind>/<slug>.jpg, .jpg.key               share cards and their inputs' key
    .cache/vitrine/ics/<lang>/…                                           calendars
    .cache/vitrine/compress/<sha[:2]>/<sha>.<codec>, ….none               precompressed copies
    .cache/vitrine/pdf/<key>.pdf, <key>.json                              the press kit's laid-out PDFs
    .cache/vitrine/stories/memo.json                                      parsed and rendered stories
    .cache/vitrine/kit/<lang or main>/<file>                              the last build's press-kit files, linked
                                                                          into the site (vitrine.build.orchestrator)
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

KINDS = ("images", "docs", "cards", "ics", "compress", "pdf", "stories", "kit")
STORIES = "stories/memo.json"
TOP = frozenset({"lock", "build.log", "jinja", *KINDS})  # what the cache's folder holds (``sweep.Lease``)
PART = ".part"  # a write under way, or one whose writer died: never read, swept

Stamp = tuple[int, int, int]


def stamp(file: Path | os.stat_result) -> Stamp | None:
    """A file's size, modification time (ns) and inode: the same three while nobody rewrote it. ``file``: a
    path (followed; None when it cannot be read) or a stat already made."""
    if not isinstance(file, os.stat_result):
        try:
            file = os.stat(file)
        except OSError:
            return None
    return file.st_size, file.st_mtime_ns, file.st_ino


@contextlib.contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """A fresh temporary path beside ``path`` to write, moved onto ``path`` when the block ends without an
    exception (removed otherwise). Readable by all (0644): cache files are linked into the site."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # unique per writer: two builds, or two threads, writing the same entry never share a temporary file; the
    # name cut so that a long one (a press kit's) still fits the file system's 255 bytes
    stem = os.fsencode(path.name)[:100].decode(errors="ignore")
    part = path.with_name(f".{stem}.{os.getpid()}-{secrets.token_hex(4)}{PART}")
    try:
        yield part
        os.chmod(part, 0o644)
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` as ``path``, whole or not at all (see ``atomic``)."""
    with atomic(path) as part:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(data)


class Namespace:
    """One kind's folder of the cache and its format version."""

    def __init__(self, folder: Path, version: Any) -> None:
        self.folder, self.version = folder, version

    def key(self, *parts: Any, data: bytes | None = None) -> str:
        """A key for an entry made from ``parts`` (JSON values) and ``data`` (an input's bytes), with the
        version: another version, another key."""
        head = json.dumps([self.version, *parts]).encode()
        return hashlib.sha256(head + (hashlib.sha256(data).digest() if data is not None else b"")).hexdigest()[:40]

    def entry(self, key: str) -> Path:
        """The stem of a keyed entry (``<key>.json``, ``<key>-480.webp``…), in a folder of 256 at most."""
        return self.folder / key[:2] / key

    def write(self, path: Path, data: bytes) -> None:
        write_atomic(path, data)

    def load(self, name: str, codec: Codec | None = None) -> Any:
        """The record saved as ``name``, or None: missing, unreadable or of another version. ``codec``: what
        builds its values again (None: left as JSON holds them, for a caller that decodes what it uses)."""
        try:
            record = json.loads((self.folder / name).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("version") != self.version:
            return None
        try:
            return codec.decode(record.get("data")) if codec else record.get("data")
        except (KeyError, TypeError, ValueError):  # not what this code writes: start afresh
            return None

    def save(self, name: str, value: Any, codec: Codec | None = None) -> None:
        """``value`` as the record ``name``, whole or not at all; ``codec`` as for ``load`` (None: ``value`` is
        JSON already)."""
        record = {"version": self.version, "data": codec.encode(value) if codec else value}
        self.write(self.folder / name, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())


TAG = "\u0000"  # the key of an object standing for a value JSON has no type for


class Codec:
    """Values to JSON and back, exactly: JSON's own types as they are; tuples, dicts with other keys than
    text, dates, bytes and sets tagged; and the dataclasses and enums of ``types``, by name and fields.
    Nothing else is accepted (``TypeError``), and decoding builds only those types."""

    def __init__(self, *types: type) -> None:
        self.types = {kind.__name__: kind for kind in types}
        self.fields = {
            kind: [f.name for f in dataclasses.fields(kind)] for kind in types if dataclasses.is_dataclass(kind)
        }

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            return value
        if kind is list:
            return [self.encode(item) for item in value]
        if kind is dict:
            if TAG not in value and all(type(k) is str for k in value):
                return {k: self.encode(v) for k, v in value.items()}
            return {TAG: "dict", "v": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if kind is tuple:
            return {TAG: "tuple", "v": [self.encode(item) for item in value]}
        if kind is datetime or kind is date:
            return {TAG: kind.__name__, "v": value.isoformat()}
        if kind is bytes:
            return {TAG: "bytes", "v": base64.b64encode(value).decode()}
        if kind is set or kind is frozenset:
            return {TAG: kind.__name__, "v": [self.encode(item) for item in value]}
        if self.types.get(kind.__name__) is kind:
            if isinstance(value, Enum):
                return {TAG: kind.__name__, "v": value.value}
            return {TAG: kind.__name__, "v": [self.encode(getattr(value, name)) for name in self.fields[kind]]}
        raise TypeError(f"the cache does not store {kind.__name__}")

    def decode(self, value: Any) -> Any:
        kind = type(value)
        if kind is list:
            return [self.decode(item) for item in value]
        if kind is not dict:
            return value
        tag = value.get(TAG)
        if tag is None:
            return {k: self.decode(v) for k, v in value.items()}
        inner = value["v"]
        if tag == "tuple":
            return tuple(self.decode(item) for item in inner)
        if tag == "dict":
            return {self.decode(k): self.decode(v) for k, v in inner}
        if tag in ("datetime", "date"):
            return (datetime if tag == "datetime" else date).fromisoformat(inner)
        if tag == "bytes":
            return base64.b64decode(inner)
        if tag in ("set", "frozenset"):
            return (set if tag == "set" else frozenset)(self.decode(item) for item in inner)
        made = self.types[tag]  # KeyError: a type this codec does not build
        if issubclass(made, Enum):
            return made(inner)
        return made(*(self.decode(item) for item in inner))


def remove_unused(folder: Path, keep: Callable[[Path], bool], keep_top: bool = False) -> int:
    """Remove every file under ``folder`` that ``keep`` refuses (with ``keep_top``, the files right in
    ``folder`` stay: the photos' stat indexes), then the folders left empty; the count of files removed. A file
    that cannot be removed is left for the next sweep; a write under way (``.part``) is one whose writer died,
    since no other build holds the cache."""
    removed = 0
    for parent, _dirs, names in os.walk(folder, topdown=False):
        here = Path(parent)
        for name in names:
            path = here / name
            if not name.endswith(PART) and ((keep_top and here == folder) or keep(path)):
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        if here != folder:
            with contextlib.suppress(OSError):  # only when empty
                here.rmdir()
    return removed
