"""``stories/`` to a Campaign, with every problem collected, and the stories' memo.

Nothing is generated here: the whole folder is read and checked first (``vitrine.read.reader``), so a build with
bad content stops before it writes anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from vitrine.core.cache import Codec, Namespace, stamp
from vitrine.core.errors import Msg, Problem, Severity
from vitrine.core.today import today as build_today
from vitrine.core.workers import pool as worker_pool
from vitrine.read.document import Document, read_document
from vitrine.read.markup import MarkupProblem, renderer
from vitrine.read.reader import Loaded, _Reader
from vitrine.read.reader import Translation as Translation

MEMO_VERSION = 3  # bump when Document, Problem or what read_document returns changes
CODEC = Codec(Problem, Msg, Severity)  # a memo entry's problems, and all it may build again


class Memo:
    """The last build's parsed front matter (by file stamp) and rendered bodies (by content), kept on disk.

    A warm build, or ``mkdocs serve`` rebuilding after one edit, parses and renders only the files that
    changed: 10,000 testimonies take ~15 s of YAML and Markdown, their memo a fraction of a second to read
    back. It lives in the cache (JSON, ``vitrine.core.cache``), not in memory: serve reloads everything but the
    hooks on each change. ``fingerprint`` names the Markdown setup: other extensions, other HTML.

    Entries stay as JSON holds them (``[stamp, document, problems]``: ``_entry``) until a file asks for its
    own: a document is built again only when its stamp matches, and saved again as it was read.
    """

    def __init__(self, file: Path, fingerprint: str) -> None:
        self.file, self.fingerprint = file, f"{MEMO_VERSION}:{fingerprint}"
        self.namespace = Namespace(file.parent, self.fingerprint)  # another setup or version: start afresh
        self.documents: dict[str, list] = {}
        self.html: dict[str, str] = {}
        self.kept: tuple[dict, dict] = ({}, {})  # what this build used: the next memo, without the stale entries
        saved = self.namespace.load(file.name, codec=None)
        with contextlib.suppress(AttributeError, TypeError):  # not what save writes: start afresh
            documents, html = saved.get("documents"), saved.get("html")
            if isinstance(documents, dict) and isinstance(html, dict):
                self.documents, self.html = documents, html
        self.changed = False

    @staticmethod
    def fingerprint_of(*parts: Any) -> str:
        return hashlib.sha256(json.dumps(parts, default=repr, sort_keys=True).encode()).hexdigest()

    def document(self, path: Path, label: str) -> tuple[Document | None, list[Problem]]:
        try:
            st = os.lstat(path)
        except OSError:
            return read_document(path, label)
        if not stat.S_ISREG(st.st_mode):  # links and the rest: read_document says what is wrong, every time
            return read_document(path, label)
        key, now = _memo_key(label, path), _stat_stamp(st)
        found = self.documents.get(key)
        decoded = _decoded(found) if found is not None and found[0] == list(now) else None
        if decoded is None:
            decoded = read_document(path, label)
            found = _entry(now, *decoded)
            self.changed = True
        if found is not None:  # None: a value the memo cannot hold, read again next time
            self.kept[0][key] = found
        return decoded[0], list(decoded[1])

    def prefetch(
        self, root: Path, folder: Path, markdown: tuple[Any, Any], workers: int | None = None, chunk: int = 400
    ) -> None:
        """Parse and render, over all cores, the stories under ``folder`` that the memo does not hold yet, so
        that the reading that follows (one core: it checks bundles against each other) finds them here.

        Only worth it for many files (a cold build, a new cache): a preview's one edit is read in-process."""
        stale = []
        found_files = (Path(top, name) for top, _, names in os.walk(folder) for name in names if name.endswith(".md"))
        for path in sorted(found_files):  # os.walk: no symlinked folder followed
            with contextlib.suppress(OSError):
                st, label = os.lstat(path), path.relative_to(root).as_posix()
                found = self.documents.get(_memo_key(label, path))
                if stat.S_ISREG(st.st_mode) and (found is None or found[0] != list(_stat_stamp(st))):
                    stale.append((path, label))
        workers = min(workers or os.cpu_count() or 1, len(stale) // chunk + 1)  # a renderer is set up per chunk
        if workers < 2:
            return
        chunks = [stale[i : i + chunk] for i in range(0, len(stale), chunk)]
        with worker_pool(workers) as pool:
            for read in pool.map(_prefetch, [markdown] * len(chunks), chunks):
                for key, found, html in read:
                    self.documents[key] = found
                    self.html.update(html)
        self.changed = True

    def renderer(self, render: Callable[[str], str]) -> Callable[[str], str]:
        def cached(source: str) -> str:
            key = _html_key(source)
            html = self.html.get(key)
            if html is None:
                html = self.html[key] = render(source)
                self.changed = True
            self.kept[1][key] = html
            return html

        return cached

    def forget(self, own: Callable[[str], bool]) -> None:
        """Keep no document whose label ``own`` accepts: what a person left out or withheld is not kept."""
        for key in [k for k in self.kept[0] if own(k.split("\0", 1)[0])]:
            del self.kept[0][key]

    def save(self) -> None:
        """Keep what this build read, if anything changed; a cache that cannot be written is no error."""
        if not self.changed and len(self.kept[0]) == len(self.documents) and len(self.kept[1]) == len(self.html):
            return
        with contextlib.suppress(OSError):  # the entries are JSON already: written as they are
            self.namespace.save(self.file.name, {"documents": self.kept[0], "html": self.kept[1]}, codec=None)


def _entry(now: tuple[int, ...], doc: Document | None, problems: list[Problem]) -> list | None:
    """A memo entry as JSON holds it, or None for a value the memo cannot hold exactly.

    A document's front matter is JSON's own types (``document.construct``), kept as it is: decoding it value by
    value would cost more than parsing the YAML again."""
    try:
        if doc is not None and json.loads(json.dumps(doc.meta)) != doc.meta:  # a NaN: never equal, read again
            return None
        raw = None
        if doc is not None:
            raw = [doc.path, doc.meta, doc.body, doc.body_line, [[list(k), n] for k, n in doc.lines.items()]]
        return [list(now), raw, CODEC.encode(problems) if problems else []]
    except (TypeError, ValueError):
        return None


def _decoded(found: list) -> tuple[Document | None, list[Problem]] | None:
    """An entry's document and problems built again, or None for an entry this code did not write."""
    try:
        raw, problems = found[1], CODEC.decode(found[2]) if found[2] else []
        doc = None if raw is None else Document(raw[0], raw[1], raw[2], raw[3], {tuple(k): n for k, n in raw[4]})
    except (IndexError, KeyError, TypeError, ValueError):
        return None
    if (doc is None or isinstance(doc.meta, dict)) and isinstance(problems, list):
        return doc, problems
    return None


def _prefetch(markdown: tuple[Any, Any], files: list[tuple[Path, str]]) -> list[tuple[str, list, dict[str, str]]]:
    """In a worker: each file's memo entry (as ``Memo.document`` makes it) and its body's HTML, if any."""
    render, out = renderer(*markdown), []
    for path, label in files:
        try:
            st = os.lstat(path)
        except OSError:
            continue
        doc, problems = read_document(path, label)
        html = {}
        if doc is not None:
            with contextlib.suppress(MarkupProblem):
                html[_html_key(doc.body)] = render(doc.body)
        if (found := _entry(_stat_stamp(st), doc, problems)) is not None:
            out.append((_memo_key(label, path), found, html))
    return out


def _stat_stamp(st: os.stat_result) -> tuple[int, int, int]:
    """``stamp`` of a stat already made: never None (None is for a path that cannot be read)."""
    found = stamp(st)
    assert found is not None
    return found


def _memo_key(label: str, path: Path) -> str:
    return f"{label}\0{path}"


def _html_key(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def load(
    root: Path,
    stories: str = "stories",
    render: Callable[[str], str] | None = None,
    kind: str = "charity",
    today: date | None = None,
    memo: Memo | None = None,
) -> Loaded:
    """Read ``root/stories``; return what can be published and every problem. ``kind`` is the campaign's
    (``extra.campaign.kind``): it chooses the schemas of people, products and testimonies. ``today``
    (default: ``vitrine.core.today``) decides whose consent has started and whose has lapsed. With a ``memo``,
    files unchanged since it was saved are neither parsed nor rendered again (the caller saves it)."""
    render = render or renderer()
    reader = _Reader(root, root / stories, memo.renderer(render) if memo else render, kind, today or build_today())
    reader.memo, reader.render_unkept = memo, render
    return reader.read()
