"""The host side: turns the engine's plan into MkDocs files, navigation and page context.

Works with whichever MkDocs-compatible host runs it (MkDocs 1.6, ProperDocs): the classes and functions it
needs (``File``, ``load_config``, ``build``, ``Abort``) are taken from the package of the config and files the
running host hands to the hooks, never imported from ``mkdocs`` by name.

One build plans every language at once (``on_config`` of the main config). Each other language is then a
build of its own config into ``site/<lang>/``, started from the main build's post-build through the host's
own ``build`` function, with its part of the plan handed over on its config: nothing is read, checked or
logged twice, and nothing is kept in module state.

In ``mkdocs serve`` a ``Preview`` (``vitrine.mkdocs_preview``) lasts from one rebuild to the next; the
builds here hand it their site's files and pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from pathspec.gitignore import GitIgnoreSpec

from . import compress, csp, material, mkdocs_preview, placeholders, presskit, publish, report
from .cards import Drawing
from .check import preflight
from .docs import Setup, clean_page
from .engine import CACHE, Language, LanguagePlan, Plan, banner, run
from .errors import Msg, Problem, Severity, msg
from .i18n import CAMPAIGN_LOCALES, Translator, editor_language
from .links import link, place
from .page_data import PageData
from .plan import SECTIONS, default_nav, settings_view
from .project import THEME, own_folders

HANDOVER = "_vitrine_build"  # attribute of a host config that carries its build


@dataclass(frozen=True)
class Build:
    """One config's build: its language's plan and how the whole build runs. Lives on that config only."""

    plan: Plan
    lang: LanguagePlan | None  # None when the build stopped on errors
    serving: bool
    main: bool  # the top-level build (writes _headers, starts the other languages)
    others: tuple[Any, ...] = ()  # the other languages' host configs, loaded at config time
    scripts: tuple[Any, ...] = ()  # the theme's inline scripts, the only ones the page policy allows
    files: dict[str, str] = field(default_factory=dict)  # sha256 of each script file pages may load, by site path
    hashes: set[str] = field(default_factory=set, compare=False)  # every page's, of every language: for _headers
    preview: mkdocs_preview.Preview | None = None  # in `mkdocs serve` (made by its first build)
    inputs: str = ""  # with a preview: a digest of the settings and templates every page is made from
    editor: Translator = field(default_factory=lambda: Translator("en"))  # says messages in the editors' language


def host(obj: Any, module: str) -> Any:
    """``module`` of the host that made ``obj`` (``structure.files`` of ``mkdocs`` or ``properdocs``)."""
    return importlib.import_module(f"{type(obj).__module__.split('.')[0]}.{module}")


def logger(config: Any) -> logging.Logger:
    """Under the host's own logger: warnings count for ``--strict`` only there."""
    return logging.getLogger(f"{type(config).__module__.split('.')[0]}.plugins.vitrine")


def build_of(config: Any) -> Build:
    return getattr(config, HANDOVER)


def quiet_host(config: Any, editor: Translator) -> None:
    """Under ``vitrine build`` and ``vitrine serve``: the terminal shows Vitrine's lines and the host's warnings
    and errors, each level said in the editors' language; the host's own information lines (which folder it
    cleans, how long it took) go to the log file only, with everything else."""
    if os.environ.get(report.QUIET_VARIABLE) != "1":
        return
    base = logging.getLogger(type(config).__module__.split(".")[0])  # the host's own logger: mkdocs, properdocs
    ours = logger(config).name

    class Said(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            severity = getattr(record, "severity", None)  # a problem's (tell), or the host's level
            if severity is None and record.levelno >= logging.WARNING:
                severity = Severity.ERROR if record.levelno >= logging.ERROR else Severity.WARNING
            return f"{editor.say(report.LABELS[severity])}: {record.getMessage()}" if severity else record.getMessage()

    for handler in base.handlers:
        if type(handler) is logging.StreamHandler and not getattr(handler, "vitrine", False):
            handler.addFilter(lambda record: record.levelno >= logging.WARNING or record.name == ours)
            handler.setFormatter(Said())
            handler.vitrine = True  # type: ignore[attr-defined]
    file = os.environ.get(report.LOG_VARIABLE)
    if file and not any(getattr(handler, "baseFilename", None) == os.path.abspath(file) for handler in base.handlers):
        with contextlib.suppress(OSError):  # no log file, no harm: the terminal says what matters
            handler = logging.FileHandler(file, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
            base.addHandler(handler)


def tell(log: logging.Logger, editor: Translator, problem: Problem) -> None:
    """One problem, one line, in the editors' language: errors and warnings at their level (a warning fails
    ``--strict``), holds and notices as information (they never fail a build)."""
    level = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING}.get(problem.severity, logging.INFO)
    log.log(level, editor.problem(problem), extra={"severity": problem.severity})


# --- on_config ---------------------------------------------------------------------------------------------


def configure(config: Any, serving: bool) -> Any:
    """Plan the whole site (or take the part handed over by the main build), then set up this config."""
    use_theme(config)
    handed: Build | None = getattr(config, HANDOVER, None)
    if handed is None:
        handed = plan_site(config, serving)
    if not serving:  # the preview sends no policy (its live-reload script is inline)
        own = handed.lang.edition.extras["docs_scripts"] if handed.lang else {}
        handed = replace(handed, scripts=csp.theme_scripts(config.theme.dirs),
                         files=csp.theme_files(config.theme.dirs, own))  # fmt: skip
    if handed.preview:
        handed = replace(handed, inputs=mkdocs_preview.site_inputs(config, handed.plan))
        mkdocs_preview.preview_theme(config, lambda env: use_bytecode_cache(config, env))
    setattr(config, HANDOVER, handed)
    lang = handed.lang
    if lang is None:
        return config
    config.validation.nav.omitted_files = logging.DEBUG  # people and products are listed by their sections
    for key in ("site_name", "site_description"):  # Material prints them raw (<title>, header, meta)
        if isinstance(config[key], str):
            config[key] = escape(config[key])
    if not config.nav:
        edition = lang.edition
        config.nav = default_nav(edition.t, (Path(config.docs_dir) / "about.md").is_file(), edition.campaign,
                                 edition.settings)  # fmt: skip
    else:  # the campaign's own navigation, less the sections left out for having nothing in them (a notice said)
        config.nav = without(config.nav, {src for src, _, _ in SECTIONS} - set(lang.pages))
    root = Path(config.config_file_path).parent
    for folder in (*handed.plan.sources, root / "overrides"):
        if folder.is_dir() and str(folder) not in map(str, config.watch):
            config.watch.append(str(folder))
    kit_sources = GitIgnoreSpec.from_lines([f"/{source}" for source in lang.kit.sources])
    # the press kit's release and coverage are data shown by the press page, not pages of their own
    config.exclude_docs = config.exclude_docs + kit_sources if config.exclude_docs else kit_sources
    return config


def without(nav: Any, gone: set[str]) -> Any:
    """``nav`` (MkDocs' list of titles and paths) less every entry leading to a page in ``gone``."""
    if isinstance(nav, list):
        return [kept for item in nav if (kept := without(item, gone)) not in (None, [], {})]
    if isinstance(nav, dict):
        return {title: kept for title, value in nav.items() if (kept := without(value, gone)) not in (None, [], {})}
    return None if isinstance(nav, str) and nav in gone else nav


def use_theme(config: Any) -> None:
    """Put Vitrine's templates on the theme's search path, after the campaign's own ``custom_dir``
    (so a campaign overrides any of them) and before Material's."""
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))


def plan_site(config: Any, serving: bool) -> Build:
    """The top-level build: every language planned once, every problem logged once."""
    root = Path(config.config_file_path).parent
    log = logger(config)
    load_config = host(config, "config").load_config
    languages = [language_of(config, "")]
    others = []
    translations = config.extra.get("campaign", {})
    translations = translations.get("translations", {}) if isinstance(translations, dict) else {}
    for lang, file in translations.items() if isinstance(translations, dict) else ():
        path = root / str(file)
        if lang == languages[0].lang or not path.is_file():  # a missing file is reported with the settings
            continue
        try:
            other = load_config(str(path), site_dir=str(Path(config.site_dir) / lang), strict=config.strict)
        except Exception as exc:  # the host's own reading of it (ConfigurationError, YAML): one line, no traceback
            abort = host(config, "exceptions").Abort
            raise abort(f"{file}: {exc}") from None
        use_theme(other)  # its theme's languages are checked with the settings
        others.append(other)
        languages.append(language_of(other, f"{lang}/"))
    editor = Translator(editor_language(languages[0].lang), [root / CAMPAIGN_LOCALES])
    quiet_host(config, editor)
    folders = own_folders(root, Path(config.docs_dir), config.extra.get("campaign"),
                          {"custom_dir": config.theme.custom_dir})  # fmt: skip
    checks = preflight(root, Path(config.config_file_path).name, config.theme.name,  # before site/ is touched
                       None if serving else root / config.site_dir, folders,
                       not serving or os.environ.get("VITRINE_PDF") == "1")  # fmt: skip
    rebuilding = mkdocs_preview.rebuilding() if serving else None  # a rebuild of the live preview's server
    # the first build of `mkdocs serve` makes the preview its server will keep, its pages' renderings included
    preview = rebuilding or (mkdocs_preview.Preview(root=root, editor=editor) if serving else None)
    progress = _progress(log, editor)
    # Cards are drawn while the host writes the pages, and placed by `finish`. A rebuild draws its few changed
    # cards in this process: the server's threads are running, and a process forked among threads can hang.
    drawing = Drawing(1 if rebuilding else None, lambda done, total: progress("cards", done, total))
    deploy = placeholders.publishing(os.environ.get(report.PUBLISH_VARIABLE) == "1") and not serving
    plan = run(root, languages, (config.markdown_extensions, config.mdx_configs), serving, progress, drawing,
               deploy, editor)  # fmt: skip
    for problem in (*checks, *plan.problems):
        tell(log, editor, problem)
    if checks and not serving:  # before the host empties site_dir: nothing is touched
        plan = Plan((), (*checks, *plan.problems), plan.sources, next_change=plan.next_change)
    if not plan.languages:  # Abort, not a logged error: every ERROR line stays a `path:line: message`
        report.write(plan.problems, plan.next_change, editor)
        count = sum(p.is_error for p in plan.problems)
        abort = host(config, "exceptions").Abort
        raise abort(editor.say(msg("Aborted with {n} content errors: nothing was built.", n=count)))
    if preview:
        preview.prefixes = tuple(other.prefix for other in plan.languages[1:])
    return Build(plan, plan.languages[0], serving, main=True, others=tuple(others), preview=preview, editor=editor)


def language_of(config: Any, prefix: str) -> Language:
    return Language(lang=config.theme.get("language") or "fr", config=Path(config.config_file_path),
                    campaign=config.extra.get("campaign", {}), docs_dir=Path(config.docs_dir),
                    site_name=config.site_name, prefix=prefix, theme_dirs=tuple(Path(d) for d in config.theme.dirs),
                    docs=Setup.of(config))  # fmt: skip


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


# --- files, pages, templates -------------------------------------------------------------------------------


def add_files(config: Any, files: Any) -> Any:
    """The generated pages and the images, cards and cleaned docs images, as the host's own files."""
    lang = build_of(config).lang
    if lang is None:
        return files
    file = host(files, "structure.files").File
    binaries = dict(lang.files)
    for item in list(files):  # a FIFO or device in docs/ (reported) would block the copy: mkdocs serve goes on
        if item.abs_src_path and not os.path.isfile(item.abs_src_path) and os.path.exists(item.abs_src_path):
            files.remove(item)
    # the cleaned copy takes the original's place; a refused file (reported) is never published, even by a preview
    for src in [*lang.edition.extras["docs_images"], *lang.edition.extras["docs_refused"]]:
        if original := files.get_file_from_path(src):
            files.remove(original)
    for src in lang.pages:
        if not files.get_file_from_path(src):
            files.append(file.generated(config, src, content=""))
    linked = linking(file)
    for url, path in binaries.items():
        if url not in lang.later:  # share cards: placed by `finish` once drawn
            files.append(linked.generated(config, url, abs_src_path=str(path)))
    build = build_of(config)
    if build.preview:  # the files the host emptied the site of, less those this build does not make
        others = [other.prefix.strip("/") for other in build.plan.languages[1:]] if build.main else []
        build.preview.restore(config.site_dir, files, linked, others)
    return files


def linking(base: type) -> type:
    """The host's ``File`` class, placing a file from Vitrine's cache into the site as a hard link.

    A large campaign's images and cards are thousands of files and hundreds of MB: copied at every build
    they were most of a warm build's time (and of a preview's). A link is made in no time and takes no
    room; the cache's file is never changed in place (a new content is a new file), and the site's copy is
    removed, never rewritten, by the next build. Where a link cannot be made (another file system), the
    host copies as before."""

    class Linked(base):  # type: ignore[misc, valid-type]
        def copy_file(self, dirty: bool = False) -> None:
            cached = self._content is None and self.abs_src_path and (not dirty or self.is_modified())
            if not (cached and link(self.abs_src_path, self.abs_dest_path)):
                super().copy_file(dirty)

    return Linked


def before_build(config: Any) -> None:
    """Right before the host empties the site's folder: a preview keeps its files (``Preview.hold``)."""
    build = build_of(config)
    if build.preview:
        build.preview.hold(config.site_dir)


def extend_env(config: Any, env: Any) -> Any:
    lang = build_of(config).lang
    material.prepare(env, material_dir(config))
    use_bytecode_cache(config, env)
    if lang:
        t = lang.edition.t
        env.globals["t"] = t
        env.filters.update(money=t.money, number=t.number, longdate=t.date)
    if build_of(config).preview:
        env.template_class = mkdocs_preview.remembering(build_of(config).preview, build_of(config).inputs)
    return env


def material_dir(config: Any) -> Path | None:
    """The theme's own templates (Material's), the last folder of its search path that holds a base.html."""
    return next((Path(d) for d in reversed(config.theme.dirs) if (Path(d) / "base.html").is_file()), None)


def use_bytecode_cache(config: Any, env: Any) -> None:
    # The host makes a new environment per build and language, which compiled every template again (about half
    # of a preview rebuild): their bytecode is kept on disk, checked against each template's source on load.
    # The folder is named by what else shapes the compiled code, so another setup never reads it.
    shape = repr(
        (
            sorted(env.extensions),
            getattr(env.autoescape, "__qualname__", env.autoescape),  # a function's own name, not its address
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.block_start_string,
            env.variable_start_string,
            env.comment_start_string,
            jinja2.__version__,
        )
    )
    folder = Path(config.config_file_path).parent / CACHE / "jinja" / hashlib.sha256(shape.encode()).hexdigest()[:16]
    with contextlib.suppress(OSError):  # no cache, no harm: templates are compiled as before
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def page_meta(config: Any, src: str, meta: dict[str, Any]) -> None:
    """Template, escaped title and description of a generated page.

    Titles come from front matter, so they are escaped here, once: MkDocs and
    Material print ``page.title`` as it is, in <title>, navigation and search.
    """
    for key in ("title", "description"):  # every page's, hand-written ones too: Material prints them raw
        if isinstance(meta.get(key), str):
            meta[key] = escape(meta[key])  # Markup: escaped once, never twice
    lang = build_of(config).lang
    page = lang.page(src) if lang else None
    if not page:
        return
    meta.setdefault("template", page.template)
    meta.setdefault("hide", ["navigation", "toc"])  # our templates lay out the whole width
    if page.kind in ("product", "person") or "title" not in meta:
        meta["title"] = escape(page.title)
    if page.description:
        meta["description"] = escape(page.description)


def page_content(config: Any, src: str, html: str) -> str:
    """A product's description or a person's story is the page's own content, so the search indexes it; a
    hand-written page of docs/ is cleaned like a story (what cleaning removes was reported with the plan)."""
    lang = build_of(config).lang
    page = lang.page(src) if lang else None
    if page and page.body:
        return page.body
    return clean_page(html, lang.edition.extras["docs_allow"]) if lang and html else html


def page_context(config: Any, src: str) -> PageData | dict[str, Any]:
    """What the template of a page sees as ``vitrine``: the plan's typed data for generated pages."""
    build = build_of(config)
    lang = build.lang
    page = lang.page(src) if lang else None
    if page:
        return page.data
    shown = banner(build.plan.problems, build.editor) if build.serving else {}
    return {"settings": settings_view(lang.edition.settings) if lang else {}, "problems": shown, "page": None}


# --- after the pages ---------------------------------------------------------------------------------------


def finish(config: Any) -> None:
    """The press kit, ``_headers`` at the site's root, then the other languages."""
    build = build_of(config)
    if build.lang is None:
        return
    if build.main:  # before the other languages: a strict one may stop the build, which then ends here
        report.write(build.plan.problems, build.plan.next_change, build.editor)
    if build.main and not build.serving:  # the mark that a build wrote this site (publish.unsafe_site)
        publish.mark(Path(config.site_dir))
    if not build.serving or os.environ.get("VITRINE_PDF") == "1":
        write_press_kit(build.lang, config, logger(config))
    if build.main:
        build_host = host(config, "commands.build").build
        for other in build.others:
            lang = build.plan.language(other.theme.get("language") or "fr")
            setattr(other, HANDOVER, Build(build.plan, lang, build.serving, main=False, preview=build.preview,
                                           editor=build.editor, hashes=build.hashes))  # fmt: skip

        def others() -> None:
            for other in build.others:
                build_host(other)
            place_cards(config, build)  # every language's, drawn meanwhile

        if build.preview and build.preview is mkdocs_preview.rebuilding():  # its server shows this language now
            build.preview.defer(others)
        else:
            others()
        if not build.serving:  # one _headers, at the site's root, once every language's pages named their scripts
            csp.write_headers(Path(config.site_dir), build.hashes)
        if not build.serving:  # last: the press page has its sizes and every language is built
            made = compress.precompress(
                Path(config.site_dir), Path(config.config_file_path).parent / CACHE / "compress"
            )
            logger(config).info(build.editor.say(msg(
                "Vitrine precompressed {files} text files ({codecs}): {new} new copies, the others from the cache, in "
                "{seconds} s", files=made.files, codecs=", ".join(made.codecs), new=made.compressed,
                seconds=build.editor.number(round(made.seconds, 1)))))  # fmt: skip
            # every file placed: what no part of this build used leaves the cache (a removed person's portrait
            # and card), unless another build holds it (vitrine.sweep)
            site = Path(config.site_dir)
            kits = [site / lang.prefix / name for lang in build.plan.languages for name in lang.downloads]
            if removed := build.plan.sweep(made.used, [kit for kit in kits if kit.suffix == ".pdf"]):
                logger(config).debug(build.editor.say(msg("Vitrine: files no longer used removed from {folder}/: {n}",
                                                          folder=CACHE, n=removed)))  # fmt: skip
        if not os.environ.get(report.REPORT_VARIABLE):  # else `vitrine build` says them, last
            for line in report.closing(build.plan.problems, build.plan.next_change, build.editor):
                logger(config).info(line)


def place_cards(config: Any, build: Build) -> None:
    """Every language's share cards, drawn while the pages were written, into the site."""
    problems, site = build.plan.drawn(), Path(config.site_dir)
    for problem in problems:
        tell(logger(config), build.editor, problem)
    if problems and not build.serving:
        raise host(config, "exceptions").Abort(build.editor.say(msg("Aborted: the share cards could not be written.")))
    for lang in build.plan.languages if not problems else ():
        for url in sorted(lang.later):
            place(str(lang.files[url]), str(site / lang.prefix / url))


def write_press_kit(lang: LanguagePlan, config: Any, log: logging.Logger) -> None:
    """After the pages: the press-kit PDFs and photo ZIP (skipped in serve unless VITRINE_PDF=1)."""
    kit, edition = lang.kit, lang.edition
    if not kit.published:  # under embargo: the engine already warned
        return
    started = time.perf_counter()
    root, out, docs = Path(config.config_file_path).parent, Path(config.site_dir), Path(config.docs_dir)
    roots = [root, out, docs, root / CACHE]  # the cache on its own: it may be a link to another disk
    zipped = out / kit.zip_name
    said: set[Msg] = set()  # hints about this machine (a missing optional library): INFO, once, never --strict
    editor = build_of(config).editor
    sizes = {"zip": zipped.stat().st_size if kit.zip_from else presskit.build_zip(edition, zipped, edition.t)}
    for pdf_lang in kit.langs:
        data = presskit.plan_pdf(edition, kit, pdf_lang, docs, config.site_url or "")
        sizes[f"pdf-{pdf_lang}"], messages, hints = presskit.build_pdf(
            data, out / kit.pdf_name(pdf_lang), presskit.TEMPLATES, roots, root / CACHE / "pdf"
        )
        for message in messages:
            log.warning(f"{kit.pdf_name(pdf_lang)}: {message}")
        said.update(hints)
    for hint in sorted(said, key=str) if build_of(config).main else ():
        log.info(editor.say(msg("Vitrine press kit: {hint}", hint=hint)))
    pages = [out / "press/index.html", out / "press.html"]
    shown = {key: presskit.format_size(size, edition.t) for key, size in sizes.items()}
    presskit.fill_sizes([page for page in pages if page.is_file()], shown)
    log.info(editor.say(msg("Vitrine press kit: {sizes} in {seconds} s", sizes=", ".join(f"{k} {v}" for k, v in
                                                                                       shown.items()),
                            seconds=editor.number(round(time.perf_counter() - started, 1)))))  # fmt: skip


def serve(server: Any, config: Any) -> Any:
    """The host's live-reload server, set up for the preview its first build made."""
    handed: Build | None = getattr(config, HANDOVER, None)
    return mkdocs_preview.preview(server, handed.preview if handed else None)


def secure(config: Any, html: str) -> str:
    """A Content-Security-Policy on every page (not in serve: its live-reload script is inline)."""
    build = build_of(config)
    if build.serving:
        return html
    html, hashes = csp.secure(html, build.scripts, build.files)
    build.hashes.update(hashes)
    return html
