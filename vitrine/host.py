"""The MkDocs side of a build: what ``hooks.py`` calls, event by event.

Everything that can fail (settings, stories, images) runs in ``prepare``,
during ``on_config``: before MkDocs cleans ``site/``, so bad content never
leaves a half-written site.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from pathspec.gitignore import GitIgnoreSpec

from . import pages, presskit
from .cards import make_card
from .document import kind_of
from .errors import Problem, error
from .i18n import Translator
from .images import clean_file, is_image, process_images
from .load import load
from .localize import localize
from .markup import excerpt, renderer
from .pages import Site
from .settings import Press, Settings, read_settings

CACHE = ".cache/vitrine"
THEME = Path(__file__).parent / "theme"  # Vitrine's templates and assets, shipped in the package


def use_theme(config: Any) -> None:
    """Put Vitrine's templates on the theme's search path, after the campaign's own ``custom_dir``
    (so a campaign overrides any of them) and before Material's."""
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))


def theme_knows(config: Any, lang: str) -> bool:
    """Whether Material (or an override) has its interface in ``lang``: else it fails in a template."""
    safe = re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", lang)
    dirs = [Path(d) / "partials" / "languages" for d in config.theme.dirs]
    return bool(safe) and any((d / f"{lang}.html").is_file() for d in dirs)


def prepare(root: Path, config: Any, serving: bool) -> tuple[Site | None, list[Problem]]:
    """Read and check everything; no Site (nothing to build) when there are errors,
    except in ``mkdocs serve``, which keeps serving what is valid and shows the rest."""
    lang = config.theme.get("language") or "fr"
    settings, problems = read_settings(Path(config.config_file_path), config.extra.get("campaign", {}),
                                       Path(config.docs_dir), lang, lambda code: theme_knows(config, code))
    if config.theme.name != "material":
        message = f"theme.name must be material (Vitrine's templates extend Material), not {config.theme.name}"
        problems.append(error(Path(config.config_file_path).name, None, message))
    use_theme(config)
    stories = settings.stories if settings else "stories"
    render = renderer(config.markdown_extensions, config.mdx_configs)
    loaded = load(root, stories, render)
    problems += loaded.problems
    campaign = loaded.campaign
    images = [i for p in campaign.products.values() for i in p.images]
    images += [p.photo for p in campaign.people.values() if p.photo]
    progress = _progress(len(images))
    pictures, image_problems = process_images(images, root / CACHE / "images", progress=progress)
    problems += image_problems
    docs_images = clean_docs_images(root, Path(config.docs_dir), problems)
    kit, press_problems = read_press(root, config, settings, render, lang)
    problems += press_problems
    if any(p.is_error for p in problems) and not serving:
        return None, problems
    settings = settings or Settings(name=config.site_name, organisation=config.site_name)
    campaign = localize(campaign, loaded.translations, lang, settings.language or lang)
    site = Site(campaign, settings, Translator(lang), pictures=pictures)
    site.problems = [str(p) for p in problems] if serving else []
    site.reported = set(problems)
    try:
        site.cards = draw_cards(site, root / CACHE / "cards" / lang)  # per language: the texts differ
    except OSError as exc:  # a read-only or full disk: the cards cannot be kept
        problems.append(error(f"{CACHE}/cards", None, f"cannot write the share cards: {exc.strerror}"))
        if not serving:
            return None, problems
        site.cards = {}
    site.extras["press"] = kit
    site.extras["docs_images"] = docs_images
    pages.plan_pages(site)
    return site, problems


def clean_docs_images(root: Path, docs: Path, problems: list[Problem]) -> dict[str, Path]:
    """Every image of docs/, known by its content whatever its name (photo.jfif, a PNG saved as .txt),
    re-encoded without metadata or refused: src_uri -> cleaned file."""
    cleaned = {}
    for path in sorted(docs.rglob("*")):
        if not path.is_file() and not path.is_dir() and path.exists():  # MkDocs would block copying a FIFO
            problems.append(error(path.relative_to(root).as_posix(), None, f"is {kind_of(path)}: remove it from docs/"))
        elif path.is_file() and is_image(path):
            out, problem = clean_file(path, path.relative_to(root).as_posix(), root / CACHE / "docs")
            if out:
                cleaned[path.relative_to(docs).as_posix()] = out
            if problem:
                problems.append(problem)
    return cleaned


def draw_cards(site: Site, cache: Path) -> dict[str, Path]:
    """One share card per product and person, and one for the campaign (section pages)."""
    campaign, settings = site.campaign, site.settings

    def largest(image: Any) -> Path | None:
        picture = site.picture(image)
        return picture.jpeg[-1].file if picture else None

    def draw(key: str, photo: Path | None, title: str, quote: str) -> tuple[str, Path]:
        return key, make_card(cache, key, photo=photo, title=title, quote=quote, campaign=settings.name,
                              lang_dir=site.t.dir)  # fmt: skip

    featured = next(iter(campaign.testimonies), None)
    cover = largest(campaign.products[featured.product].images[0]) if featured else None
    cards = dict([draw("campaign", cover, settings.name, settings.tagline or settings.organisation)])
    for product in campaign.products.values():
        reviews = campaign.by_product[product.slug]
        quote = site.quote(reviews[0], 140) if reviews else excerpt(product.html, 140)
        cards.update([draw(f"products/{product.slug}", largest(product.images[0]), product.title, quote)])
    for person in campaign.people.values():
        reviews = campaign.by_person[person.slug]
        quote = site.quote(reviews[0], 140) if reviews else excerpt(person.html, 140)
        cards.update([draw(f"people/{person.slug}", largest(person.photo), person.name, quote)])
    return cards


def _progress(total: int) -> Callable[[int, int], None]:
    """Log how far a long image job is (at most every tenth); a quick, cached run says nothing."""
    log = logging.getLogger("mkdocs.plugins.vitrine")
    step, start = max(total // 10, 1), time.monotonic()
    spoke = False

    def report(done: int, total: int) -> None:
        nonlocal spoke
        if (done % step == 0 or done == total) and (spoke or time.monotonic() - start > 1):
            spoke = True
            log.info(f"Vitrine images: {done}/{total}")

    return report


def configure(site: Site, config: Any, root: Path) -> None:
    """Navigation (sections only, if the site gives none) and live-reload of stories/."""
    config.validation.nav.omitted_files = logging.DEBUG  # people and products are listed by their sections
    if not config.nav:
        docs = Path(config.docs_dir)
        config.nav = pages.default_nav(site.t, lambda src: (docs / src).is_file())
    for key in ("site_name", "site_description"):  # Material prints them raw (<title>, header, meta)
        if isinstance(config[key], str):
            config[key] = escape(config[key])
    for folder in (root / site.settings.stories, root / "overrides"):
        if folder.is_dir() and str(folder) not in map(str, config.watch):
            config.watch.append(str(folder))


def add_files(site: Site, config: Any, files: Any, log: logging.Logger) -> None:
    binaries = {v.url: v.file for picture in site.pictures.values() for v in picture.variants()}
    binaries.update({f"img/cards/{key}.jpg": path for key, path in site.cards.items()})
    for file in list(files):  # a FIFO or device in docs/ (reported) would block the copy: mkdocs serve goes on
        if file.abs_src_path and not os.path.isfile(file.abs_src_path) and os.path.exists(file.abs_src_path):
            files.remove(file)
    for src, path in site.extras["docs_images"].items():  # the cleaned copy takes the original's place
        if original := files.get_file_from_path(src):
            files.remove(original)
            binaries[src] = path
    pages.generate_files(site, config, files, binaries)


def extend_env(site: Site, env: Any) -> None:
    env.globals["t"] = site.t
    env.filters["money"] = site.t.money
    env.filters["number"] = site.t.number
    env.filters["longdate"] = site.t.date


_reported: set[Problem] = set()  # by the build that runs the translated ones: each problem is logged once


def not_yet_reported(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p not in _reported]


def translating() -> bool:
    """Whether this build is one of another's translations (nested in its post-build)."""
    return _parent is not None


_parent: dict[str, str] | None = None  # while a translation builds: what it shares with the main site


def build_translations(site: Site, config: Any, serving: bool) -> None:
    """The same campaign in its other languages, each a build of its own config into
    ``site/<lang>/``, so one ``mkdocs build`` makes the whole site (skipped in serve)."""
    root = Path(config.config_file_path).parent
    if translating():  # a translated config inherits the list: translations are built from the main site only
        return
    for lang, file in site.settings.translations.items():
        if serving or lang == site.t.lang:
            continue
        target = Path(config.site_dir) / lang
        global _parent
        kit = site.extras.get("press")
        _reported.update(site.reported)
        _parent = {"zip": kit.zip_name if kit and kit.published and not serving else ""}
        try:
            try:
                translated = load_config(str(root / file), site_dir=str(target), strict=config.strict)
            except (ConfigurationError, ValueError, yaml.YAMLError) as exc:  # read_settings checked what it can
                raise Abort(f"{file}: {exc}") from None
            build(translated)
        finally:
            _reported.clear()
            _parent = None


def finish(site: Site, config: Any, log: logging.Logger, serving: bool) -> None:
    """After the pages: the press kit (skipped in serve unless VITRINE_PDF=1)."""
    if serving and os.environ.get("VITRINE_PDF") != "1":
        return
    kit = site.extras["press"]
    if not kit.published:  # under embargo: read_press already warned
        return
    started = time.perf_counter()
    root, out, docs = Path(config.config_file_path).parent, Path(config.site_dir), Path(config.docs_dir)
    templates = presskit.TEMPLATES
    roots = [root, out, docs, root / CACHE]  # the cache on its own: it may be a link to another disk
    zipped = out / kit.zip_name
    sizes = {"zip": zipped.stat().st_size if kit.zip_from else presskit.build_zip(site, zipped, site.t)}
    for lang in kit.langs:
        data = presskit.plan_pdf(site, kit, lang, docs, config.site_url or "")
        pdf = out / kit.pdf_name(lang)
        sizes[f"pdf-{lang}"], messages = presskit.build_pdf(data, pdf, templates, roots, root / CACHE / "pdf")
        for message in messages:
            log.warning(f"{kit.pdf_name(lang)}: {message}")
    pages = [out / "press/index.html", out / "press.html"]
    shown = {key: presskit.format_size(size, site.t) for key, size in sizes.items()}
    presskit.fill_sizes([page for page in pages if page.is_file()], shown)
    log.info(f"Vitrine press kit: {', '.join(f'{k} {v}' for k, v in shown.items())} "
             f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


def read_press(
    root: Path, config: Any, settings: Settings | None, render: Callable[[str], str], lang: str
) -> tuple[presskit.Kit, list[Problem]]:
    """On config, with the other checks: read the press kit's release, coverage and video, and keep
    those files out of MkDocs' pages (the press page shows the release; coverage.yml is data)."""
    docs = Path(config.docs_dir)
    label = Path(os.path.relpath(docs, root)).as_posix()
    name = settings.name if settings else config.site_name
    kit, problems = presskit.read_kit(docs, label, settings.press if settings else Press(), name, lang, render)
    if _parent and _parent["zip"]:  # the main site's ZIP already holds these very photos
        kit = replace(kit, zip_from=f"../{_parent['zip']}")
    spec = GitIgnoreSpec.from_lines([f"/{source}" for source in kit.sources])
    config.exclude_docs = config.exclude_docs + spec if config.exclude_docs else spec
    return kit, problems
