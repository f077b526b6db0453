"""The engine: settings, stories and images read once, then every language planned from that one campaign.

Host-free: nothing here imports MkDocs. ``run`` is the one entry point; a host (``vitrine.hosts.mkdocs.adapter``)
hands it each language's settings as plain values and turns the plan into its own files, navigation and
page context. Nothing is kept between runs.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from vitrine.build.sweep import Lease
from vitrine.core.cache import STORIES, write_atomic
from vitrine.core.errors import Msg, Problem, msg, notice
from vitrine.core.i18n import Translator
from vitrine.core.today import today
from vitrine.media import glyphs
from vitrine.media.cards import Card, Drawing
from vitrine.media.docs import Scanned, scan
from vitrine.media.images import Picture, process_images
from vitrine.plan.calendar import calendar_ics, event_ics
from vitrine.plan.localize import localize
from vitrine.plan.pages import Edition, plan_giving, plan_pages
from vitrine.plan.site import CACHE, Language, LanguagePlan, Plan
from vitrine.press.release_text import release_text
from vitrine.read.kit import RELEASE_TXT, Kit, read_kit
from vitrine.read.load import Memo, load
from vitrine.read.markup import excerpt, renderer
from vitrine.read.model import ALL_EVENTS_ICS, Campaign
from vitrine.read.placeholders import find as find_placeholders
from vitrine.read.reader import Loaded
from vitrine.read.settings import Press, Settings, kind_and_stories, read_settings


@dataclass
class _Read:
    """Everything read and checked once, for every language."""

    settings: dict[str, Settings | None]  # by language: None where they could not be read
    problems: list[Problem]
    loaded: Loaded
    stories: str  # the stories' folder, as the settings name it
    pictures: Mapping[Any, Picture]
    docs: dict[Path, Scanned]  # each docs/ folder's publishable files
    kits: dict[str, Kit]  # by language
    next_change: tuple[date, Msg] | None


def run(
    root: Path,
    languages: Sequence[Language],
    markdown: tuple[Sequence[Any], Mapping[str, Any]] = ((), {}),
    serving: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    drawing: Drawing | None = None,
    publish: bool = False,
    editor: Translator | None = None,
    check: bool = False,
) -> Plan:
    """Read and check everything once, then plan every language. With errors (and not ``serving``, which
    keeps showing what is valid) the plan holds the problems and no language.

    ``progress(stage, done, total)`` hears each long stage start (``done == 0``), advance and end
    (``done == total``): ``stories``, ``images``, ``cards``. Given a ``drawing``, the share cards are still
    being drawn by it when the plan returns (their URLs in each language's ``later``): call ``Plan.drawn()``
    before publishing them. ``publish``: a deploy build, where a placeholder of the example campaign is a
    warning (else one notice counts them: ``vitrine.read.placeholders``). ``editor`` says the problems shown by a
    preview's pages, in the editors' language (default English). ``check`` (``vitrine check``): every problem
    the build would find, by the same reading, with nothing encoded, drawn, planned or written."""
    report = progress or (lambda stage, done, total: None)
    # before the first look into the cache: no sweep removes what this build finds (a check writes nothing)
    lease = None if check else Lease(root / CACHE)
    read = _read(root, languages, markdown, report, publish, check)
    problems = read.problems
    if check or (any(p.is_error for p in problems) and not serving):
        return Plan(languages=(), problems=tuple(problems), next_change=read.next_change)
    shown = banner(problems, editor or Translator("en")) if serving else {}
    cards_later = drawing is not None
    drawing = drawing or Drawing(progress=lambda done, total: report("cards", done, total))
    plans = tuple(_plan_language(root, language, languages[0], read, shown, drawing, cards_later)
                  for language in languages)  # fmt: skip
    plan = Plan(
        languages=plans,
        problems=tuple(problems),
        sources=(root / read.stories,),
        drawing=drawing,
        next_change=read.next_change,
        lease=lease,
    )
    if cards_later:
        return plan
    problems += plan.drawn()
    if any(p.is_error for p in problems) and not serving:
        return Plan(languages=(), problems=tuple(problems))
    return replace(plan, problems=tuple(problems), drawing=None)


def _read(
    root: Path,
    languages: Sequence[Language],
    markdown: tuple[Sequence[Any], Mapping[str, Any]],
    report: Callable[[str, int, int], None],
    publish: bool,
    check: bool,
) -> _Read:
    """The settings of every language, the stories, the photos, each docs/ folder and press kit, and what this
    machine cannot draw: every problem once, at its line."""
    main = languages[0]
    settings_of, problems = _read_settings(root, languages)
    read_as = settings_of[main.lang]  # a wrong setting is said once: the rest is read with the campaign's kind
    kind, stories = (read_as.kind, read_as.stories) if read_as else kind_and_stories(main.campaign, root, problems)
    render = renderer(*markdown)
    loaded = _read_stories(root, stories, kind, markdown, render, report, check, problems)
    problems += find_placeholders(root, [language.config for language in languages],
                                  [language.docs_dir for language in languages], loaded.campaign, stories,
                                  publish)  # fmt: skip
    images = [i for p in loaded.campaign.products.values() for i in p.images]
    images += [p.photo for p in loaded.campaign.people.values() if p.photo]
    report("images", 0, len(images))
    pictures, found = process_images(images, root / CACHE / "images", verify=check,
                                     progress=lambda done, total: report("images", done, total))  # fmt: skip
    problems += found
    docs_read: dict[Path, Scanned] = {}
    kits: dict[str, Kit] = {}
    for language in languages:
        kits[language.lang], found = _read_press(root, language, settings_of[language.lang], render)
        found = [replace(p, path=posixpath.normpath(p.path)) for p in found]  # docs/en/../press/coverage.yml
        problems += [p for p in found if p not in problems]  # an inherited coverage file: its problems once
        if language.docs_dir not in docs_read:  # the kit's release and coverage are read as the kit's
            docs_read[language.docs_dir] = scan(root, language.docs_dir, language.config, language.docs, markdown,
                                                kits[language.lang].sources, root / CACHE / "docs", check)  # fmt: skip
            problems += [p for p in docs_read[language.docs_dir].problems if p not in problems]
    # what cards and the PDF cannot draw on this machine: one notice per font package (never a failure)
    kit_texts = [(kits[lang.lang], Path(os.path.relpath(lang.docs_dir, root)).as_posix()) for lang in languages]
    problems += glyphs.check(root, glyphs.texts(loaded, settings_of[main.lang], kit_texts,
                                                os.path.relpath(main.config, root)))  # fmt: skip
    changes = [*loaded.changes, *_changes(loaded.campaign, settings_of[main.lang], today())]
    next_change = min(changes, key=lambda change: (change[0], str(change[1]))) if changes else None
    return _Read(settings_of, problems, loaded, stories, pictures, docs_read, kits, next_change)


def _read_stories(
    root: Path,
    stories: str,
    kind: str,
    markdown: tuple[Sequence[Any], Mapping[str, Any]],
    render: Callable[[str], str],
    report: Callable[[str, int, int], None],
    check: bool,
    problems: list[Problem],
) -> Loaded:
    """``stories/`` through the stories' memo (a check leaves it as it was); an empty section is said."""
    report("stories", 0, 1)
    memo = Memo(root / CACHE / STORIES, Memo.fingerprint_of(*markdown))
    memo.prefetch(root, root / stories, markdown)
    loaded = load(root, stories, render, kind=kind, memo=memo)
    if not check:
        memo.save()
    read = loaded.campaign
    report("stories", count := len(read.people) + len(read.products) + len(read.testimonies), count)
    problems += loaded.problems
    if not read.people:  # an empty section is not shown (plan.sections): say why it is missing
        problems.append(notice(f"{stories}/people", None, "nobody is published yet: the people section and its "
                               "menu entry are not shown"))  # fmt: skip
    if not read.products:
        problems.append(notice(f"{stories}/products", None, "no product yet: the products section, the wish list and "
                               "their menu entries are not shown"))  # fmt: skip
    return loaded


def _plan_language(
    root: Path,
    language: Language,
    main: Language,
    read: _Read,
    shown: Mapping[str, Any],
    drawing: Drawing,
    cards_later: bool,
) -> LanguagePlan:
    """One language's pages and files: its campaign localized, its share cards (added to ``drawing``), its
    calendars, and the press kit's files it links."""
    main_settings = read.settings[main.lang]
    source_lang = (main_settings.language if main_settings else "") or main.lang
    settings = read.settings[language.lang] or Settings(name=language.site_name, organisation=language.site_name)
    kit, main_kit = read.kits[language.lang], read.kits[main.lang]
    if language is not main and main_kit.published:  # the main site's ZIP already holds these very photos
        kit = replace(kit, zip_from=f"../{main_kit.zip_name}")
    campaign = localize(read.loaded.campaign, read.loaded.translations, language.lang, source_lang)
    edition = Edition(lang=language.lang, campaign=campaign, settings=settings, t=Translator(language.lang),
                      pictures=read.pictures, site_url=language.site_url)  # fmt: skip
    docs = read.docs[language.docs_dir]
    edition = replace(edition, extras={"giving": plan_giving(edition), "docs_images": docs.cleaned,
                                       "docs_refused": docs.refused, "docs_allow": docs.allow,
                                       "docs_scripts": docs.scripts})  # fmt: skip
    cards = draw_cards(edition, root / CACHE / "cards" / language.lang, drawing)  # per language: texts differ
    files = {v.url: v.file for picture in read.pictures.values() for v in picture.variants()}
    card_files = {f"img/cards/{key}.jpg": path for key, path in cards.items()}
    files.update(card_files)
    files.update(docs.cleaned)
    files.update(write_calendars(campaign, settings, root / CACHE / "ics" / language.lang))
    if kit.published and kit.release(kit.lang):  # the release as plain text, beside its page
        text = root / CACHE / "kit" / (language.prefix.strip("/") or "main") / RELEASE_TXT
        write_atomic(text, release_text(kit, kit.lang, settings, language.site_url).encode())
        files[RELEASE_TXT] = text
    downloads = (*(kit.pdf_name(lang) for lang in kit.langs), *(kit.release_pdf_name(lang) for lang in kit.releases),
                 *(() if kit.zip_from else (kit.zip_name, kit.web_zip_name)))  # fmt: skip
    return LanguagePlan(lang=language.lang, prefix=language.prefix, config=language.config, edition=edition,
                        pages=plan_pages(edition, cards, kit, shown), files=files, kit=kit,
                        downloads=downloads if kit.published else (),
                        later=frozenset(card_files) if cards_later else frozenset())  # fmt: skip


def banner(problems: Sequence[Problem], editor: Translator) -> dict[str, Any]:
    """What a preview's pages show an editor: the problems to mend, then what is held or noted."""
    failing = [editor.problem(p) for p in problems if p.fails]
    held = [editor.problem(p) for p in problems if not p.fails]
    if not failing and not held:
        return {}
    return {"failing": failing, "held": held,
            "failing_title": editor.say(msg("{n} content problems", n=len(failing))) if failing else "",
            "held_title": editor.say(msg("{n} held back or to know", n=len(held))) if held else ""}  # fmt: skip


def _changes(campaign: Campaign, settings: Settings | None, day: date) -> list[tuple[date, Msg]]:
    """Days on which the site changes by itself, besides consents (the loader's): an event ends (it moves to
    the past ones), the press embargo lifts."""
    changes = [(event.over_on, msg("the event {path} is over", path=event.path))
               for event in campaign.events if event.is_upcoming(day)]  # fmt: skip
    embargo = settings.press.embargo if settings else None
    if embargo and embargo > day:
        changes.append((embargo, msg("the press embargo lifts")))
    return changes


def _read_settings(root: Path, languages: Sequence[Language]) -> tuple[dict[str, Settings | None], list[Problem]]:
    """Each language's settings. A translated config inherits the main one: a mistake it inherits is the
    main config's, reported once at its own line (not again at the translated file's ``campaign:``)."""
    settings: dict[str, Settings | None] = {}
    problems: list[Problem] = []
    for language in languages:
        found, found_problems = read_settings(
            language.config,
            language.campaign,
            language.docs_dir,
            language.lang,
            language.theme_knows if language.theme_dirs else None,
        )
        if language.config.parent != root:
            found_problems = [replace(p, path=os.path.relpath(language.config, root)) for p in found_problems]
        known = {p.message for p in problems}
        problems += [p for p in found_problems if p.message not in known]
        settings[language.lang] = found
    return settings, problems


def write_calendars(campaign: Campaign, settings: Settings, folder: Path) -> dict[str, Path]:
    """The events' iCalendar files, one per event and one for all, as site-relative URL -> file written
    (rewritten only when their bytes change: "today" is in them, so a build keeps the same bytes)."""
    if not campaign.events:
        return {}
    day = today()
    files = {event.ics: event_ics(event, settings.name, day, settings.timezone) for event in campaign.events}
    files[ALL_EVENTS_ICS] = calendar_ics(campaign.events, settings.name, day, settings.timezone)
    written = {}
    for url, data in files.items():
        path = folder / url
        if not path.is_file() or path.read_bytes() != data:
            write_atomic(path, data)  # two builds at once: each whole
        written[url] = path
    return written


def _read_press(
    root: Path, language: Language, settings: Settings | None, render: Callable[[str], str]
) -> tuple[Kit, list[Problem]]:
    """The press kit's release, coverage and video, read with the other checks."""
    label = Path(os.path.relpath(language.docs_dir, root)).as_posix()
    name = settings.name if settings else language.site_name
    return read_kit(language.docs_dir, label, settings.press if settings else Press(), name, language.lang, render)


def draw_cards(edition: Edition, cache: Path, drawing: Drawing) -> dict[str, Path]:
    """One share card per product and person, and one for the campaign (section pages), added to ``drawing``."""
    campaign, settings = edition.campaign, edition.settings

    def photo(image: Any) -> Path | None:
        # the mid-size JPEG: enough pixels for the card's 480x630 side, a third of the largest one's decoding
        picture: Picture | None = edition.picture(image)
        return picture.fallback.file if picture else None

    def card(key: str, image: Any, title: str, quote: str) -> Card:
        # what the bundled font lacks, drawn with the machine's fonts (vitrine.media.glyphs): chosen here, once
        texts = (("Bold", title), ("Regular", quote), ("Bold", settings.name))
        fonts = tuple((weight, *found) for weight, text in texts for found in glyphs.fallbacks(text, weight))
        return Card(name=key, photo=photo(image) if image else None, title=title, quote=quote, campaign=settings.name,
                    lang_dir=edition.t.dir, glyphs=fonts, focus=image.focus if image else None)  # fmt: skip

    featured = next(iter(campaign.testimonies), None)
    cards = [card("campaign", campaign.products[featured.product].images[0] if featured else None, settings.name,
                  settings.tagline or settings.organisation)]  # fmt: skip
    for product in campaign.products.values():
        reviews = campaign.by_product[product.slug]
        quote = edition.quote(reviews[0], 140) if reviews else excerpt(product.html, 140)
        cards.append(card(f"products/{product.slug}", product.images[0], product.title, quote))
    for person in campaign.people.values():
        reviews = campaign.by_person[person.slug]
        quote = edition.quote(reviews[0], 140) if reviews else excerpt(person.html, 140)
        cards.append(card(f"people/{person.slug}", person.photo, person.name, quote))
    return drawing.add(cache, cards)
