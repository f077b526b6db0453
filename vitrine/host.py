"""The MkDocs side of a build: what ``hooks.py`` calls, event by event.

Everything that can fail (settings, stories, images) runs in ``prepare``,
during ``on_config``: before MkDocs cleans ``site/``, so bad content never
leaves a half-written site.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from . import pages
from .errors import Problem
from .i18n import Translator
from .images import process_images
from .load import load
from .markup import renderer
from .pages import Site
from .settings import Settings, read_settings

CACHE = ".cache/vitrine"


def prepare(root: Path, config: Any, serving: bool) -> tuple[Site | None, list[Problem]]:
    """Read and check everything; no Site (nothing to build) when there are errors,
    except in ``mkdocs serve``, which keeps serving what is valid and shows the rest."""
    settings, problems = read_settings(Path(config.config_file_path), config.extra.get("campaign", {}))
    stories = settings.stories if settings else "stories"
    loaded = load(root, stories, renderer(config.markdown_extensions, config.mdx_configs))
    problems += loaded.problems
    campaign = loaded.campaign
    images = [i for p in campaign.products.values() for i in p.images]
    images += [p.photo for p in campaign.people.values() if p.photo]
    progress = _progress(len(images))
    pictures, image_problems = process_images(images, root / CACHE / "images", progress=progress)
    problems += image_problems
    if any(p.is_error for p in problems) and not serving:
        return None, problems
    settings = settings or Settings(name=config.site_name, organisation=config.site_name)
    site = Site(campaign, settings, Translator(config.theme.get("language") or "fr"), pictures=pictures)
    site.problems = [str(p) for p in problems] if serving else []
    site.translations = loaded.translations
    pages.plan_pages(site)
    return site, problems


def _progress(total: int):
    """Log how far a long image job is, at most every tenth."""
    log = logging.getLogger("mkdocs.plugins.vitrine")
    step = max(total // 10, 1)

    def report(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            log.info(f"Vitrine images: {done}/{total}")

    return report


def configure(site: Site, config: Any, root: Path) -> None:
    """Navigation (sections only, if the site gives none) and live-reload of stories/."""
    config.validation.nav.omitted_files = logging.DEBUG  # people and products are listed by their sections
    if not config.nav:
        docs = Path(config.docs_dir)
        config.nav = pages.default_nav(site.t, lambda src: (docs / src).is_file())
    for folder in (root / site.settings.stories, root / "overrides"):
        if folder.is_dir() and str(folder) not in map(str, config.watch):
            config.watch.append(str(folder))


def add_files(site: Site, config: Any, files: Any, log: logging.Logger) -> None:
    binaries = {v.url: v.file for picture in site.pictures.values() for v in picture.variants()}
    pages.generate_files(site, config, files, binaries)


def extend_env(site: Site, env: Any) -> None:
    env.globals["t"] = site.t
    env.filters["money"] = site.t.money
    env.filters["number"] = site.t.number
    env.filters["longdate"] = site.t.date


def finish(site: Site, config: Any, log: logging.Logger, serving: bool) -> None:
    """After the pages: the press kit (skipped in serve unless VITRINE_PDF=1)."""
    if serving and os.environ.get("VITRINE_PDF") != "1":
        return
