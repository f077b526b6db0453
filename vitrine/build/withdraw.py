"""``vitrine withdraw PERSON``: a person taken off the site, and the proof that nothing of theirs is left.

The command (``vitrine.cli.main.withdraw``) builds the site as it is, notes what of the person it holds (their
needles: ``traces.of_bundle`` and the bytes of their published pictures and cards), takes their bundle out of
``stories/`` (``take_out``: into ``withdrawn/<slug>/``, or deleted), builds again, and searches every file of
``site/`` and of the cache for the same needles (``traces.search``). Nothing found: the addresses that held them
(``purge_list``) are what a host, a CDN and search engines should forget. Something found: it is said, file by
file, and the command fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vitrine.build import traces
from vitrine.core.errors import Msg, Problem, error, msg
from vitrine.core.slugs import SLUG
from vitrine.read.consent import WITHDRAWN
from vitrine.read.document import read_document


@dataclass(frozen=True)
class Person:
    """A bundle about to be withdrawn: where it is, and what of it to look for in a built site."""

    slug: str
    folder: Path  # stories/people/<slug>/
    needles: traces.Needles
    consent: str  # the consent date as written, "" when none


def find(root: Path, stories: str, slug: str) -> Person | Msg:
    """The person ``slug`` of the campaign in ``root``, or why they cannot be withdrawn."""
    folder = root / stories / "people" / slug
    if not SLUG.fullmatch(slug) or not (folder / "index.md").is_file() or folder.is_symlink():
        return msg("no person {slug!r}: no folder {folder}/people/{slug}/ with an index.md", slug=slug,
                   folder=stories)  # fmt: skip
    if (root / WITHDRAWN / slug).exists():
        return msg("{folder}/{slug}/ exists already: move it away first", folder=WITHDRAWN, slug=slug)
    doc, _ = read_document(folder / "index.md", "index.md")
    consent = str(doc.meta.get("consent") or "") if doc else ""
    return Person(slug, folder, traces.of_bundle(folder, slug), consent)


def events_naming(root: Path, stories: str, slug: str) -> list[Problem]:
    """The events whose ``people`` name ``slug``: a deleted person would be an unknown one there (an error), so
    these lines go first; a person moved to ``withdrawn/`` is held there instead, with a notice."""
    found = []
    for path in sorted((root / stories / "events").glob("*.md")):
        doc, _ = read_document(path, path.relative_to(root).as_posix())
        people = doc.meta.get("people") if doc else None
        for i, name in enumerate(people if isinstance(people, list) else []):
            if doc and name == slug:
                found.append(error(doc.path, doc.line("people", i), "names {slug}: remove the line before "
                                   "deleting them", slug=slug))  # fmt: skip
    return found


def take_out(root: Path, person: Person, delete: bool) -> Path | None:
    """Move the bundle into ``withdrawn/<slug>/`` (never published), or delete it; where it went, if kept."""
    if delete:
        shutil.rmtree(person.folder)
        return None
    target = root / WITHDRAWN / person.slug
    target.parent.mkdir(exist_ok=True)
    shutil.move(person.folder, target)
    return target


def purge_list(site: Path, slug: str, found: Iterable[traces.Trace], site_url: str) -> list[str]:
    """The public addresses of the files that held the person, and their page in every language in any case (a
    person held before, or a site built since, may still be in a deploy or a search engine's copy), at
    ``site_url`` when the campaign sets it."""
    translated = [f"{d.name}/" for d in sorted(site.iterdir()) if (d / "people").is_dir()] if site.is_dir() else []
    languages = ["", *translated]
    paths = set(traces.addresses(site, found)) | {f"{lang}people/{slug}/" for lang in languages}
    base = site_url.rstrip("/") + "/" if site_url else "/"
    return [base + path for path in sorted(paths)]


def shown(found: Iterable[traces.Trace], root: Path) -> list[str]:
    """Each trace as a line: the file (and the ZIP's member) and what it holds."""
    lines = []
    for trace in found:
        where = trace.file.relative_to(root).as_posix() + (f" ({trace.member})" if trace.member else "")
        lines.append(f"{where}: {trace.what}")
    return lines
