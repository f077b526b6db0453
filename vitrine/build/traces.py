"""What a built site, or the cache, still holds of a person: the proof behind ``vitrine withdraw`` and the files
the consent register names.

A person leaves traces as text (their name, the sentences of their life story and testimonies, the address of
their page) and as bytes (their photo's variants, their share cards). ``search`` reads every file under the
folders it is given as a host would serve it and as a reader would open it: the ``.gz`` and ``.br`` copies
(and the cache's ``.gz9``, ``.br11``) decompressed, each member of a ZIP, the text of a PDF, the strings of a
JSON file (the search index) with their escapes undone, HTML without its tags. Text is compared normalised
(NFKC, case folded, one space for any run of blanks), so a sentence the PDF breaks over two lines is still found.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vitrine.read.document import read_document
from vitrine.read.markup import MarkupProblem, renderer

# Pictures, fonts and archives: compared by their bytes only (pictures are re-encoded without metadata, so no
# name rides in them; an archive's members are opened one by one)
BYTES_ONLY = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".ico", ".woff", ".woff2", ".ttf", ".zip", ".key")
OPENING = 8  # words of a sentence searched: a quote cut short (a card's, the press kit's) still holds its opening
FEWEST = 4  # words: a shorter sentence ("Merci.") could be anyone's


@dataclass(frozen=True)
class Needles:
    """What to look for: ``names`` as whole words, ``sentences`` anywhere, ``hashes`` (SHA-256, hex) of whole
    files, ``addresses`` (``people/<slug>/``) in the site's own files."""

    names: frozenset[str] = frozenset()
    sentences: frozenset[str] = frozenset()
    hashes: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()

    def __or__(self, other: Needles) -> Needles:
        return Needles(self.names | other.names, self.sentences | other.sentences, self.hashes | other.hashes,
                       self.addresses | other.addresses)  # fmt: skip


@dataclass(frozen=True)
class Trace:
    """A file (``member``: inside a ZIP) that holds ``what``: a name, a sentence, a picture's bytes."""

    file: Path
    what: str
    member: str = ""


@dataclass
class _Pattern:
    needles: Needles
    names: re.Pattern[str] | None = field(init=False)

    def __post_init__(self) -> None:
        names = sorted(self.needles.names, key=len, reverse=True)
        self.names = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names)) if names else None


def normal(text: str) -> str:
    """Text as compared: NFKC, case folded, blanks made one space; typographic apostrophes made plain."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u00a0", " ").casefold()
    return " ".join(text.split())


def plain(markup: str) -> str:
    """HTML (or any text) as a reader sees it: tags gone, entities undone."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


def sentences(text: str) -> set[str]:
    """The opening of each sentence of ``text`` (normalised) that is long enough to be someone's own."""
    found = set()
    for sentence in re.split(r"(?<=[.!?…])\s+|\n+", plain(text)):
        words = normal(sentence).split()
        if len(words) >= FEWEST:
            found.add(" ".join(words[:OPENING]))
    return found


def hashes(files: Iterable[Path]) -> frozenset[str]:
    return frozenset(hashlib.sha256(path.read_bytes()).hexdigest() for path in files if path.is_file())


def of_bundle(folder: Path, slug: str) -> Needles:
    """A person's needles from their bundle (``stories/people/<slug>/``, or where it was moved): the names of
    ``index.md`` and its translations, the sentences of every story file, the bytes of its pictures, and the
    address of their page."""
    render = renderer()
    names, found = set(), set()
    for path in sorted(folder.glob("*.md")):
        doc, _ = read_document(path, path.name)
        if doc is None:
            continue
        if path.name.startswith("index.") and isinstance(doc.meta.get("name"), str) and doc.meta["name"].strip():
            names.add(normal(doc.meta["name"]))
        with contextlib.suppress(MarkupProblem):
            found |= sentences(render(doc.body))
    pictures = [p for p in folder.iterdir() if p.suffix.lower() != ".md" and p.is_file()]
    return Needles(frozenset(names), frozenset(found), hashes(pictures), frozenset({f"people/{slug}/"}))


def published(site: Path, slug: str) -> frozenset[str]:
    """The hashes of a person's pictures and share cards in a built site (every language's copy)."""
    files = [*site.glob(f"**/img/people/{slug}/*"), *site.glob(f"**/img/cards/people/{slug}.*")]
    return hashes(files)


def search(folders: Iterable[Path], needles: Needles, addresses: bool = True) -> list[Trace]:
    """Every trace of ``needles`` in the files under ``folders`` (``addresses``: look for the page's address
    too, in a site; a cache names stories by their path, which is no trace of the person)."""
    return search_each(folders, {"": needles}, addresses)[""]


def search_each(folders: Iterable[Path], each: dict[str, Needles], addresses: bool = True) -> dict[str, list[Trace]]:
    """``search`` for several people at once (by key): each file is read and opened once."""
    patterns = {key: _Pattern(n if addresses else Needles(n.names, n.sentences, n.hashes)) for key, n in each.items()}
    traces: dict[str, list[Trace]] = {key: [] for key in each}
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            with contextlib.suppress(OSError):
                for member, data, stored in _opened(path.name, path.read_bytes()):
                    name = re.sub(r"\.(gz|br)\d*$", "", (member or path.name).lower())
                    text = "" if stored or name.endswith(BYTES_ONLY) else normal(plain(_text(name, data)))
                    digest = hashlib.sha256(data).hexdigest()
                    for key, pattern in patterns.items():
                        traces[key] += [Trace(path, what, member) for what in _found(pattern, text, digest)]
    return traces


def addresses(site: Path, found: Iterable[Trace]) -> list[str]:
    """The site's addresses of the files that hold traces, sorted: a page by its folder's (``people/x/``), a
    compressed copy by its file's (a host serves both at one address)."""
    paths = set()
    for trace in found:
        path = re.sub(r"\.(gz|br)$", "", trace.file.relative_to(site).as_posix())
        paths.add("" if path == "index.html" else path.removesuffix("index.html"))
    return sorted(paths)


def _opened(name: str, data: bytes, member: str = "") -> Iterator[tuple[str, bytes, bool]]:
    """The file's bytes as served and as opened: a compressed copy decompressed, a ZIP's members one by one; with
    whether they are only stored compressed (their bytes compared, their text read once decompressed)."""
    lower = (member or name).lower()
    compressed = re.search(r"\.(gz|br)\d*$", lower) is not None
    yield member, data, compressed
    with contextlib.suppress(Exception):  # a file that is not what its name says is searched as it is
        if compressed and ".gz" in lower[-5:]:
            yield member, gzip.decompress(data), False
        elif compressed:
            import brotli

            yield member, brotli.decompress(data), False
        elif lower.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    yield from _opened(name, archive.read(info), info.filename)


def _found(pattern: _Pattern, text: str, digest: str) -> list[str]:
    needles = pattern.needles
    found = ["picture"] if digest in needles.hashes else []
    if pattern.names and any(n in text for n in needles.names) and (match := pattern.names.search(text)):
        found.append(match.group(0))
    found += sorted(s for s in needles.sentences | needles.addresses if s in text)
    return found


def _text(name: str, data: bytes) -> str:
    """What a reader would read in the file: a PDF's text, a JSON file's strings, anything else as UTF-8."""
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        with contextlib.suppress(Exception):  # an unreadable PDF: its raw bytes are searched below
            return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    text = data.decode("utf-8", errors="ignore")
    if name.endswith(".json"):  # the search index, and its copies
        with contextlib.suppress(ValueError):
            return " ".join(_strings(json.loads(text)))
    return text


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
