"""One build of the whole site, whatever starts it (``vitrine build``, ``vitrine serve``, a plain ``mkdocs build``).

``build_site`` reads down the build in order: what the host says of each language, the checks made before
anything is touched, the engine once for every language, the press kit's files (so the press page shows their
sizes as data), then each language handed to the host to build, one after the other (none inside another's),
then what needs every language built: the share cards placed, ``_headers``, precompressed copies, the cache
swept, the closing lines. It is a generator: whoever drives it builds each ``Part`` it yields with the host,
then asks for the next (``vitrine.hosts.mkdocs.adapter`` drives it; nothing here knows MkDocs). The run's data lives
in the ``Run`` it makes, which each part carries; nothing is kept in a module.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn, Protocol

from vitrine.build import admin, compress, csp, publish, report
from vitrine.build.engine import run
from vitrine.core.errors import Msg, Problem, Severity, msg
from vitrine.core.i18n import CAMPAIGN_LOCALES, Translator, editor_language
from vitrine.core.links import place
from vitrine.media.cards import Drawing
from vitrine.plan.site import CACHE, Language, LanguagePlan, Plan
from vitrine.press import presskit


class Host(Protocol):
    """What the orchestrator asks of the program that renders the pages (``hosts.mkdocs.adapter.MkDocsHost``)."""

    root: Path
    site: Path  # the main language's site folder; every other language's is a folder of it
    log: logging.Logger  # a warning there counts for the host's --strict

    def languages(self) -> Sequence[tuple[Language, Any]]:
        """Every language's settings as the engine takes them, main first, each with the host's own handle."""

    def quiet(self, editor: Translator) -> None:
        """From now on, the host's own lines in the editors' language (or in its log file only)."""

    def preflight(self, serving: bool) -> list[Problem]:
        """What the host checks before anything is read or touched (theme, site folder, PDF library)."""

    def markdown(self) -> tuple[Sequence[Any], dict[str, Any]]:
        """The Markdown extensions and their settings, which stories are rendered with."""

    def abort(self, message: str) -> NoReturn:
        """Stop the build with ``message``, as the host stops its own."""


@dataclass
class Run:
    """One build of every language: the plan, and what its languages' builds add to it as they go."""

    plan: Plan
    editor: Translator  # says messages in the editors' language
    serving: bool
    root: Path  # the campaign's folder
    site: Path
    kit: dict[str, dict[str, Path]] = field(default_factory=dict)  # language -> site URL -> press-kit file
    hashes: set[str] = field(default_factory=set)  # every page's inline-script hashes, of every language
    admin: str = ""  # the online editor's Git host API origin, when the site has one (admin/)
    preview: Any = None  # the live preview this run rebuilds (vitrine.hosts.mkdocs.preview), if any

    def tell(self, log: logging.Logger, problem: Problem) -> None:
        """One problem, one line, in the editors' language: errors and warnings at their level (a warning fails
        ``--strict``), holds and notices as information (they never fail a build)."""
        level = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING}.get(problem.severity, logging.INFO)
        log.log(level, self.editor.problem(problem), extra={"severity": problem.severity})


@dataclass(frozen=True, kw_only=True)
class Part:
    """One language for the host to build: its plan and handle, and the run it belongs to."""

    plan: LanguagePlan  # what this language publishes
    handle: Any  # the host's own object for this language (its config)
    main: bool
    run: Run


def build_site(
    host: Host, *, serving: bool, publishing: bool, with_pdf: bool, preview: Any = None, rebuilding: bool = False
) -> Iterator[Part]:
    """The whole build, top-down: yields each language for the host to build, main first (see the module).
    ``publishing``: a deploy build (``vitrine.read.placeholders``); ``with_pdf``: the press kit in a preview too;
    ``preview``: what a live preview keeps between its builds, ``rebuilding`` one of them after its first."""
    languages = host.languages()
    editor = Translator(editor_language(languages[0][0].lang), [host.root / CAMPAIGN_LOCALES])
    host.quiet(editor)
    checks = host.preflight(serving)  # before site/ is touched
    progress = _progress(host.log, editor)
    # Cards are drawn while the host writes the pages and placed once every language is built. A preview's
    # rebuild draws its few changed cards in this process: its server's threads run, and a fork among threads
    # can hang.
    drawing = Drawing(1 if rebuilding else None,
                      lambda done, total: progress("cards", done, total))  # fmt: skip
    plan = run(host.root, [language for language, _ in languages], host.markdown(), serving, progress, drawing,
               publishing and not serving, editor)  # fmt: skip
    state = Run(plan, editor, serving, host.root, host.site, preview=preview)
    for problem in (*checks, *plan.problems):
        state.tell(host.log, problem)
    if checks and not serving:  # nothing is touched
        plan = state.plan = Plan(
            languages=(), problems=(*checks, *plan.problems), sources=plan.sources, next_change=plan.next_change
        )
    if not plan.languages:  # Abort, not a logged error: every ERROR line stays a `path:line: message`
        report.write(plan.problems, plan.next_change, editor)
        host.abort(editor.say(msg("Aborted with {n} content errors: nothing was built.",
                                  n=sum(p.is_error for p in plan.problems))))  # fmt: skip
    given = {language.lang: (language, handle) for language, handle in languages}
    parts = [Part(plan=lang, handle=given[lang.lang][1], main=lang is plan.languages[0], run=state)
             for lang in plan.languages]  # fmt: skip
    if not serving or with_pdf:
        parts = [replace(part, plan=_with_kit(state, part.plan, given[part.plan.lang][0], host)) for part in parts]
    if not serving:
        parts[0] = replace(parts[0], plan=_with_admin(state, parts[0].plan, host))
    yield parts[0]
    # the main language is built: before the others, since a strict one may stop the build, which ends there
    report.write(plan.problems, plan.next_change, editor)
    if not serving:  # the mark that a build wrote this site (publish.unsafe_site)
        publish.mark(host.site)
    yield from parts[1:]
    _place_cards(state, host)
    if not serving:
        _publish(state, host.log)
    if not os.environ.get(report.REPORT_VARIABLE):  # else `vitrine build` says them, last
        for line in report.closing(plan.problems, plan.next_change, editor):
            host.log.info(line)


def _with_kit(state: Run, lang: LanguagePlan, language: Language, host: Host) -> LanguagePlan:
    """The press kit's PDFs and photo ZIP written before the pages, into Vitrine's cache (the host places them
    in the site like the photos), and their sizes put in the press page's data."""
    kit, edition = lang.kit, lang.edition
    if not kit.published:  # under embargo: the engine already said so
        return lang
    started = time.perf_counter()
    folder = host.root / CACHE / "kit" / (lang.prefix.strip("/") or "main")
    folder.mkdir(parents=True, exist_ok=True)
    roots = [host.root, language.docs_dir, host.root / CACHE]  # the cache on its own: it may be a link elsewhere
    files: dict[str, Path] = {}
    sizes: dict[str, int] = {}
    said: set[Msg] = set()  # hints about this machine (a missing optional library): INFO, once, never --strict
    releases: dict[str, Path] = {}  # the release alone as a PDF, by language: beside its page and in the ZIPs
    for release_lang in kit.releases:
        name = kit.release_pdf_name(release_lang)
        releases[release_lang] = files[name] = _fresh(folder / name)
        _, messages, hints = presskit.build_pdf(
            presskit.plan_release_pdf(edition, kit, release_lang, language.site_url), files[name],
            presskit.TEMPLATES, roots, host.root / CACHE / "pdf", "release.html")  # fmt: skip
        for message in messages:
            host.log.warning(f"{name}: {message}")
        said.update(hints)
    for key, name, originals in (("zip", kit.zip_name, True), ("zip-web", kit.web_zip_name, False)):
        if kit.zip_from:  # another language's ZIP (the main one's): the same photos
            sizes[key] = state.kit[state.plan.languages[0].lang][name.removeprefix("../")].stat().st_size
        else:
            files[name] = folder / name  # kept when its content is the same (replaced by a rename otherwise)
            sizes[key] = presskit.build_zip(edition, kit, files[name], edition.t, originals, releases)
    for pdf_lang in kit.langs:
        data = presskit.plan_pdf(edition, kit, pdf_lang, language.docs_dir, language.site_url, sizes)
        files[kit.pdf_name(pdf_lang)] = _fresh(folder / kit.pdf_name(pdf_lang))
        sizes[f"pdf-{pdf_lang}"], messages, hints = presskit.build_pdf(
            data, files[kit.pdf_name(pdf_lang)], presskit.TEMPLATES, roots, host.root / CACHE / "pdf"
        )
        for message in messages:
            host.log.warning(f"{kit.pdf_name(pdf_lang)}: {message}")
        said.update(hints)
    for hint in sorted(said, key=str) if lang is state.plan.languages[0] else ():
        host.log.info(state.editor.say(msg("Vitrine press kit: {hint}", hint=hint)))
    state.kit[lang.lang] = files
    shown = {key: presskit.format_size(size, edition.t) for key, size in sizes.items()}
    host.log.info(state.editor.say(msg(
        "Vitrine press kit: {sizes} in {seconds} s", sizes=", ".join(f"{k} {v}" for k, v in shown.items()),
        seconds=state.editor.number(round(time.perf_counter() - started, 1)))))  # fmt: skip
    return lang.with_kit(files, shown)


def _with_admin(state: Run, lang: LanguagePlan, host: Host) -> LanguagePlan:
    """The online editor's files in the main language's site (``admin/``), when ``extra.campaign.admin`` asks
    for it; its scripts' hashes go into ``_headers`` with the others."""
    settings = lang.edition.settings
    if settings.admin is None:
        return lang
    languages = (lang.lang, *[code for code in settings.translations if code != lang.lang])
    description = admin.describe(settings.kind, lang.lang, languages, settings.stories, state.editor)
    files, hashes = admin.files(settings.admin, description, host.root / CACHE / admin.FOLDER)
    state.hashes.update(hashes)
    state.admin = admin.origin(settings.admin.api_root)
    return replace(lang, files={**lang.files, **files})


def _fresh(path: Path) -> Path:
    """``path``, with no file there: the last build's file may be a link in a published site, never rewritten."""
    path.unlink(missing_ok=True)
    return path


def _place_cards(state: Run, host: Host) -> None:
    """Every language's share cards, drawn while the pages were written, into the site."""
    problems = state.plan.drawn()
    for problem in problems:
        state.tell(host.log, problem)
    if problems and not state.serving:
        host.abort(state.editor.say(msg("Aborted: the share cards could not be written.")))
    for lang in state.plan.languages if not problems else ():
        for url in sorted(lang.later):
            place(str(lang.files[url]), str(state.site / lang.prefix / url))


def _publish(state: Run, log: logging.Logger) -> None:
    """What a published site needs once every language is built: one ``_headers`` at its root (every page named
    its scripts), the text files' compressed copies, and the cache rid of what no part of this build used."""
    editor, site = state.editor, state.site
    csp.write_headers(site, state.hashes, state.admin)
    made = compress.precompress(site, state.root / CACHE / "compress")
    log.info(editor.say(msg(
        "Vitrine precompressed {files} text files ({codecs}): {new} new copies, the others from the cache, in "
        "{seconds} s", files=made.files, codecs=", ".join(made.codecs), new=made.compressed,
        seconds=editor.number(round(made.seconds, 1)))))  # fmt: skip
    # unless another build holds the cache (vitrine.build.sweep): a removed person's portrait and card leave it
    kits = [file for files in state.kit.values() for file in files.values()]
    removed = state.plan.sweep([*made.used, *kits], [kit for kit in kits if kit.suffix == ".pdf"])
    if removed:
        log.debug(editor.say(msg("Vitrine: files no longer used removed from {folder}/: {n}", folder=CACHE,
                                 n=removed)))  # fmt: skip


STAGES = {"stories": msg("stories"), "images": msg("images"), "cards": msg("share cards")}


def _progress(log: logging.Logger, editor: Translator) -> Callable[[str, int, int], None]:
    """Log a long stage's progress (at most every tenth) and its time; a quick, cached one says little."""
    started: dict[str, float] = {}
    spoke: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0:
            started[stage] = now
            return
        elapsed = now - started.get(stage, now)
        name = STAGES.get(stage, stage)
        if done == total:
            said = editor.say(msg("Vitrine {stage}: {n} in {seconds} s", stage=name, n=total,
                                  seconds=editor.number(round(elapsed, 1))))  # fmt: skip
            (log.info if elapsed >= 1 else log.debug)(said)
        elif done % max(total // 10, 1) == 0 and (stage in spoke or elapsed > 1):
            spoke.add(stage)
            log.info(editor.say(msg("Vitrine {stage}: {done}/{total}", stage=name, done=done, total=total)))

    return progress
