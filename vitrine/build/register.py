"""``vitrine consent``: the organisation's register of the people on the page, kept private.

Who is published, since when and until when, with what withheld, which pages and files of the built site hold
them (``traces.search_each``: the same search that proves a withdrawal), who is held and why, and who was
withdrawn. It is printed and written as CSV into the project (``consent-register.csv``), outside ``site/``,
``docs/`` and the cache: nothing of it is ever published or deployed, and a new campaign's ``.gitignore``
keeps it out of the repository too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from vitrine.build import traces
from vitrine.core.errors import Msg, Severity, msg
from vitrine.read.consent import WITHDRAWN
from vitrine.read.document import read_document
from vitrine.read.load import load

FILE = "consent-register.csv"
COLUMNS = ("person", "name", "status", "since", "until", "withheld", "reason", "pages")


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    status: Msg  # published, held, not published (errors), withdrawn
    since: str = ""  # consent, as written
    until: str = ""  # consent_until, as written
    withheld: tuple[str, ...] = ()
    reason: Msg | str = ""  # why they are held, or not published
    pages: tuple[str, ...] = ()  # the site's addresses that hold them


def entries(root: Path, stories: str, kind: str, site: Path) -> list[Entry]:
    """Every person of the campaign, then every withdrawn one, by slug; their pages from ``site`` if built."""
    loaded = load(root, stories, kind=kind)
    found: list[Entry] = []
    for folder in sorted(p for p in (root / stories / "people").glob("*") if (p / "index.md").is_file()):
        doc, _ = read_document(folder / "index.md", "index.md")
        meta = doc.meta if doc else {}
        label = (folder / "index.md").relative_to(root).as_posix()
        said = [p for p in loaded.problems if p.path == label and p.severity in (Severity.HOLD, Severity.ERROR)]
        person = loaded.campaign.people.get(folder.name)
        status = msg("published") if person else msg("held") if any(p.severity == Severity.HOLD for p in said) \
            else msg("not published")  # fmt: skip
        reason: Msg | str = "" if person else said[0].message if said else msg("see vitrine check")
        found.append(Entry(folder.name, str(meta.get("name") or ""), status, str(meta.get("consent") or ""),
                           str(meta.get("consent_until") or ""), tuple(sorted(person.withheld)) if person else (),
                           reason))  # fmt: skip
    if site.is_dir():
        needles = {e.slug: traces.of_bundle(root / stories / "people" / e.slug, e.slug) for e in found}
        needles = {slug: n | traces.Needles(hashes=traces.published(site, slug)) for slug, n in needles.items()}
        held = traces.search_each([site], needles)
        found = [replace(e, pages=tuple(traces.addresses(site, held[e.slug]))) for e in found]
    for folder in sorted(p for p in (root / WITHDRAWN).glob("*") if p.is_dir()):
        doc, _ = read_document(folder / "index.md", "index.md") if (folder / "index.md").is_file() else (None, [])
        name = str(doc.meta.get("name") or "") if doc else ""
        found.append(Entry(folder.name, name, msg("withdrawn"), reason=msg("moved to {folder}/", folder=WITHDRAWN)))
    return found


def csv_text(found: list[Entry], say: Callable[[Msg | str], str]) -> str:
    """The register as CSV, in the editor's language (``say``: ``Translator.say``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for e in found:
        writer.writerow([e.slug, e.name, say(e.status), e.since, e.until, " ".join(e.withheld), say(e.reason),
                         " ".join("/" + page for page in e.pages)])  # fmt: skip
    return out.getvalue()


def write(root: Path, text: str) -> Path:
    """The register into the project, beside ``mkdocs.yml``: never under ``site/``, ``docs/`` or the cache."""
    path = root / FILE
    path.write_text(text, encoding="utf-8")
    return path
