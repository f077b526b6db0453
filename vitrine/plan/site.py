"""What a build plans: the languages a host hands the engine (``Language``) and what each publishes
(``LanguagePlan``), gathered in one ``Plan`` with every problem.

Host-free, like the engine that makes them (``vitrine.build.engine.run``): a host reads these and writes its files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vitrine.core.errors import Msg, Problem, error
from vitrine.media.cards import Drawing
from vitrine.media.docs import Setup
from vitrine.plan.page_data import Press
from vitrine.plan.pages import Edition, Page
from vitrine.read.kit import Kit

if TYPE_CHECKING:  # the build layer's: a plan only holds it for the build that made it
    from vitrine.build.sweep import Lease

CACHE = ".cache/vitrine"


@dataclass(frozen=True, kw_only=True)
class Language:
    """One language of the site, as its host config gives it."""

    lang: str  # theme.language
    config: Path  # its config file (mkdocs.yml, mkdocs.en.yml)
    campaign: Any  # its raw extra.campaign
    docs_dir: Path
    site_name: str
    prefix: str = ""  # its folder in the site: "" for the main language, "en/" for a translation
    theme_dirs: tuple[Path, ...] = ()  # the theme's search path: which interface languages it has
    docs: Setup = field(default_factory=Setup)  # what its docs/ may publish beyond Vitrine's (extra.allow_html…)
    site_url: str = ""  # where it is published (the press-kit PDF's links)

    def theme_knows(self, lang: str) -> bool:
        """Whether the theme (or an override) has its interface in ``lang``: else it fails in a template."""
        safe = re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", lang)
        return bool(safe) and any((d / "partials" / "languages" / f"{lang}.html").is_file() for d in self.theme_dirs)


@dataclass(frozen=True, kw_only=True)
class LanguagePlan:
    """Everything one language publishes."""

    lang: str
    prefix: str
    config: Path
    edition: Edition
    pages: Mapping[str, Page]  # src -> page
    files: Mapping[str, Path]  # site-relative URL -> file to copy (images, share cards, cleaned docs images)
    kit: Kit
    downloads: tuple[str, ...]  # the press kit's site-relative files (PDFs, photo ZIP): made by the orchestrator
    later: frozenset[str] = frozenset()  # URLs of ``files`` still being drawn: there after ``Plan.drawn()``

    def page(self, src: str) -> Page | None:
        return self.pages.get(src)

    def with_kit(self, files: Mapping[str, Path], sizes: Mapping[str, str]) -> LanguagePlan:
        """With the press kit's files, written before the pages (site URL -> file), and their sizes on the press
        page."""
        pages = dict(self.pages)
        for src, page in self.pages.items():
            if isinstance(page.data, Press) and page.data.kit:
                pages[src] = replace(page, data=replace(page.data, kit=replace(page.data.kit, sizes=dict(sizes))))
        return replace(self, files={**self.files, **files}, pages=pages)


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A build's whole result: every language, and every problem once."""

    languages: tuple[LanguagePlan, ...]  # the main language first
    problems: tuple[Problem, ...] = ()
    sources: tuple[Path, ...] = field(default_factory=tuple)  # folders to watch for changes (stories/)
    drawing: Drawing | None = field(default=None, compare=False)  # share cards drawn while the host writes pages
    next_change: tuple[date, Msg] | None = None  # the next day time alone changes the site, and why
    lease: Lease | None = field(default=None, compare=False)  # the cache held until the build is done with it

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def drawn(self) -> list[Problem]:
        """Wait for the share cards of ``run(drawing=...)``; the problem if they could not be written."""
        if self.drawing is None:
            return []
        try:
            self.drawing.wait()
        except OSError as exc:  # a read-only or full disk: the cards cannot be kept
            return [error(f"{CACHE}/cards", None, "cannot write the share cards: {reason}", reason=exc.strerror)]
        return []

    def language(self, lang: str) -> LanguagePlan | None:
        return next((plan for plan in self.languages if plan.lang == lang), None)

    def sweep(self, also: Iterable[Path] = (), copies: Iterable[Path] = ()) -> int | None:
        """Once every file is placed: the cache's files this build did not use removed, when no other build
        holds the cache (``vitrine.build.sweep``); ``also``: the precompressed copies it placed; ``copies``: the site's
        press-kit PDFs (copied from the cache, kept there by their bytes). The count removed,
        or None when it was not alone. Not for a preview: it keeps drawing cards into the cache after its
        build, and holds its lease meanwhile (other builds then sweep nothing)."""
        if self.lease is None:
            return None
        return self.lease.sweep({*(file for lang in self.languages for file in lang.files.values()), *also}, copies)
