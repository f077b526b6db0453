"""The host side: turns the engine's plan into MkDocs files, navigation and page context.

Works with whichever MkDocs-compatible host runs it (MkDocs 1.6, ProperDocs): the classes and functions it
needs (``File``, ``load_config``, ``build``, ``Abort``) are taken from the package of the config and files the
running host hands to the hooks, never imported from ``mkdocs`` by name.

One build plans every language at once (``on_config`` of the main config). Each other language is then a
build of its own config into ``site/<lang>/``, started from the main build's post-build through the host's
own ``build`` function, with its part of the plan handed over on its config: nothing is read, checked or
logged twice, and nothing is kept in module state.

In ``mkdocs serve`` a ``Preview``, made by the first build and then held by the server, lasts from one
rebuild to the next: the main language is shown as soon as it is built while the other languages build
behind it (their pages wait for it), a page whose inputs are those of its last rendering is not rendered
again, and the site's files are rewritten in place rather than deleted and written again.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import importlib
import logging
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from pathspec.gitignore import GitIgnoreSpec

from . import compress, csp, pdf, presskit
from .cards import Drawing
from .engine import CACHE, Language, LanguagePlan, Plan, run
from .errors import error
from .links import link
from .plan import default_nav, settings_view

THEME = Path(__file__).parent / "theme"  # Vitrine's templates and assets, shipped in the package
HANDOVER = "_vitrine_build"  # attribute of a host config that carries its build


@dataclass
class Preview:
    """What ``mkdocs serve`` keeps from one rebuild to the next: made by its first build, then owned by its
    server (``preview``, from ``on_serve``).

    Each rebuild builds the main language, which the server then shows, and leaves the other languages to a
    thread: their pages wait for it (``settled``), and the next rebuild starts once it is done (it writes
    into the same folder). Each page's last rendering is kept with a digest of everything it was made from.
    The site's files are rewritten in place, not deleted and made again (``hold``, ``restore``)."""

    prefixes: tuple[str, ...] = ()  # the other languages' folders ("en/"): their pages wait for their build
    settled: threading.Event = field(default_factory=threading.Event)  # the other languages are up to date
    behind: threading.Thread | None = None  # the last rebuild's other languages
    rendered: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (config, page) -> digest, html

    def rebuild(self, builder: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The host's rebuild, with this preview in reach of its hooks (``_PREVIEW``)."""
        self.wait()
        self.settled.clear()
        token = _PREVIEW.set(self)
        try:
            return builder(*args, **kwargs)
        finally:
            _PREVIEW.reset(token)
            if self.behind is None:  # stopped before the other languages: nothing to wait for
                self.settled.set()

    def defer(self, work: Callable[[], None]) -> None:
        """Run ``work`` (share cards to redraw, the other languages' builds) behind this rebuild, in a thread."""

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # told as the host tells of a failed rebuild; serving goes on
                if isinstance(exc, SystemExit):  # the host's Abort: its message, no traceback
                    print(exc, file=sys.stderr)
                else:
                    traceback.print_exc()
            finally:
                self.settled.set()

        self.behind = threading.Thread(target=run, name="vitrine-preview-languages", daemon=True)
        self.behind.start()

    def wait(self) -> None:
        if self.behind is not None:
            self.behind.join()
            self.behind = None

    def close(self) -> None:
        """Before the host removes its folder: nothing of ours is still writing there."""
        self.wait()

    def waits_for(self, path: str) -> bool:
        """Whether the page at ``path`` (under the server's mount path) belongs to a language still building."""
        return any(path.startswith(prefix) for prefix in self.prefixes)

    def hold(self, site_dir: str) -> None:
        """Right before the host empties the site's folder for a rebuild: move its files into a hidden folder,
        which the host leaves alone, to take them back once it has (``restore``). Deleting a site of thousands
        of files and writing them again took 0.1 to 0.7 s on a busy disk; rewriting them in place, a few ms."""
        held = os.path.join(site_dir, HELD)
        try:
            if os.path.lexists(held):  # a rebuild that failed in between: what it held is out of date
                shutil.rmtree(held)
            entries = [entry for entry in os.listdir(site_dir) if not entry.startswith(".")]
            if not entries:
                return
            os.mkdir(held)
            for entry in entries:
                os.rename(os.path.join(site_dir, entry), os.path.join(held, entry))
        except OSError:  # whatever is left in sight, the host deletes as before
            return

    def restore(self, site_dir: str, files: Iterable[Any], linked: type, skip: Iterable[str]) -> None:
        """Once the host has emptied the site's folder and listed this build's files: the held files back, less
        any this build does not make (a clean build's site, the other languages' folders ``skip`` aside), and
        less any file the host would write through a hard link into Vitrine's cache."""
        held = os.path.join(site_dir, HELD)
        if not os.path.isdir(held):
            return
        with contextlib.suppress(OSError):
            for entry in os.listdir(held):
                os.rename(os.path.join(held, entry), os.path.join(site_dir, entry))
        shutil.rmtree(held, ignore_errors=True)  # empty unless a file could not be moved back
        made = {os.path.normpath(file.abs_dest_path): isinstance(file, linked) for file in files}
        with contextlib.suppress(OSError):
            _sweep(os.path.normpath(site_dir), made, tuple(skip))


HELD = ".vitrine-held"  # hidden: MkDocs empties a site's folder of everything but hidden files


def _sweep(folder: str, made: dict[str, bool], skip: Iterable[str] = ()) -> bool:
    """Delete the files of ``folder`` that are not in ``made`` (dest path -> placed as a hard link), and the
    hard links where the host will write a file of its own; True if nothing is left in it."""
    empty = True
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") or entry.name in skip:
                empty = False
            elif entry.is_dir(follow_symlinks=False):
                if _sweep(entry.path, made):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif (linked := made.get(entry.path)) is None or (
                not linked and entry.stat(follow_symlinks=False).st_nlink > 1
            ):
                os.unlink(entry.path)
            else:
                empty = False
    return empty


# The preview of the rebuild under way, set by ``Preview.rebuild`` around the host's own builder (which makes
# each rebuild's config itself): a context variable, not module state, so it holds nothing between rebuilds.
_PREVIEW: contextvars.ContextVar[Preview | None] = contextvars.ContextVar("vitrine_preview", default=None)


@dataclass(frozen=True)
class Build:
    """One config's build: its language's plan and how the whole build runs. Lives on that config only."""

    plan: Plan
    lang: LanguagePlan | None  # None when the build stopped on errors
    serving: bool
    main: bool  # the top-level build (writes _headers, starts the other languages)
    others: tuple[Any, ...] = ()  # the other languages' host configs, loaded at config time
    scripts: tuple[Any, ...] = ()  # the theme's inline scripts, the only ones the page policy allows
    preview: Preview | None = None  # in `mkdocs serve` (made by its first build)
    inputs: str = ""  # with a preview: a digest of the settings and templates every page is made from


def host(obj: Any, module: str) -> Any:
    """``module`` of the host that made ``obj`` (``structure.files`` of ``mkdocs`` or ``properdocs``)."""
    return importlib.import_module(f"{type(obj).__module__.split('.')[0]}.{module}")


def logger(config: Any) -> logging.Logger:
    """Under the host's own logger: warnings count for ``--strict`` only there."""
    return logging.getLogger(f"{type(config).__module__.split('.')[0]}.plugins.vitrine")


def build_of(config: Any) -> Build:
    return getattr(config, HANDOVER)


# --- on_config ---------------------------------------------------------------------------------------------


def configure(config: Any, serving: bool) -> Any:
    """Plan the whole site (or take the part handed over by the main build), then set up this config."""
    use_theme(config)
    handed: Build | None = getattr(config, HANDOVER, None)
    if handed is None:
        handed = plan_site(config, serving)
    if not serving:  # the preview sends no policy (its live-reload script is inline)
        handed = replace(handed, scripts=csp.theme_scripts(config.theme.dirs))
    if handed.preview:
        handed = replace(handed, inputs=site_inputs(config, handed.plan))
        preview_theme(config)
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
    root = Path(config.config_file_path).parent
    for folder in (*handed.plan.sources, root / "overrides"):
        if folder.is_dir() and str(folder) not in map(str, config.watch):
            config.watch.append(str(folder))
    kit_sources = GitIgnoreSpec.from_lines([f"/{source}" for source in lang.kit.sources])
    # the press kit's release and coverage are data shown by the press page, not pages of their own
    config.exclude_docs = config.exclude_docs + kit_sources if config.exclude_docs else kit_sources
    return config


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
    checks = []
    if config.theme.name != "material":
        message = f"theme.name must be material (Vitrine's templates extend Material), not {config.theme.name}"
        checks.append(error(Path(config.config_file_path).name, None, message))
    if (not serving or os.environ.get("VITRINE_PDF") == "1") and (missing := pdf.check_available()):
        checks.append(error(Path(config.config_file_path).name, None, missing))  # before site/ is touched
    rebuilding = _PREVIEW.get() if serving else None  # a rebuild of the live preview's server
    # the first build of `mkdocs serve` makes the preview its server will keep, its pages' renderings included
    preview = rebuilding or (Preview() if serving else None)
    report = _progress(log)
    # Cards are drawn while the host writes the pages, and placed by `finish`. A rebuild draws its few changed
    # cards in this process: the server's threads are running, and a process forked among threads can hang.
    drawing = Drawing(1 if rebuilding else None, lambda done, total: report("cards", done, total))
    plan = run(root, languages, (config.markdown_extensions, config.mdx_configs), serving, report, drawing)
    for problem in (*checks, *plan.problems):
        (log.error if problem.is_error else log.warning)(str(problem))
    if checks and not serving:
        plan = Plan((), (*checks, *plan.problems), plan.sources)
    if not plan.languages:  # Abort, not a logged error: every ERROR line stays a `path:line: message`
        count = sum(p.is_error for p in plan.problems)
        abort = host(config, "exceptions").Abort
        raise abort(f"Aborted with {count} content error{'s' * (count > 1)}: nothing was built.")
    if preview:
        preview.prefixes = tuple(other.prefix for other in plan.languages[1:])
    return Build(plan, plan.languages[0], serving, main=True, others=tuple(others), preview=preview)


def language_of(config: Any, prefix: str) -> Language:
    return Language(config.theme.get("language") or "fr", Path(config.config_file_path),
                    config.extra.get("campaign", {}), Path(config.docs_dir), config.site_name, prefix,
                    tuple(Path(d) for d in config.theme.dirs))  # fmt: skip


def _progress(log: logging.Logger) -> Callable[[str, int, int], None]:
    """Log a long stage's progress (at most every tenth) and its time; a quick, cached one says little."""
    started: dict[str, float] = {}
    spoke: set[str] = set()

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0:
            started[stage] = now
            return
        elapsed = now - started.get(stage, now)
        if done == total:
            (log.info if elapsed >= 1 else log.debug)(f"Vitrine {stage}: {total} in {elapsed:.1f} s")
        elif done % max(total // 10, 1) == 0 and (stage in spoke or elapsed > 1):
            spoke.add(stage)
            log.info(f"Vitrine {stage}: {done}/{total}")

    return report


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
    for src in lang.edition.extras["docs_images"]:  # the cleaned copy takes the original's place
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


def preview_theme(config: Any) -> None:
    """The preview's theme environments, as the host makes them (one per build, one more for each template
    translation Material's search reads) but listing the theme without its hidden folders, and with the
    templates' bytecode cache from the start. The host lists every template to find the theme's static files
    and leaves out every hidden path: Material's 14,000 icons were a tenth of a rebuild."""
    theme = config.theme
    make = theme.get_env

    def get_env() -> Any:
        env = make()
        if type(env.loader) is jinja2.FileSystemLoader:
            env.loader = VisibleLoader(env.loader.searchpath, env.loader.encoding, env.loader.followlinks)
        use_bytecode_cache(config, env)
        return env

    theme.get_env = get_env


class VisibleLoader(jinja2.FileSystemLoader):
    """Jinja's file loader whose listing leaves out hidden folders (templates in them still load)."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, dirs, names in os.walk(searchpath, followlinks=self.followlinks):
                dirs[:] = [name for name in dirs if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath).replace(os.path.sep, "/")
                found.update(name if relative == "." else f"{relative}/{name}" for name in names)
        return sorted(found)


def extend_env(config: Any, env: Any) -> Any:
    lang = build_of(config).lang
    use_bytecode_cache(config, env)
    if lang:
        t = lang.edition.t
        env.globals["t"] = t
        env.filters.update(money=t.money, number=t.number, longdate=t.date)
    if build_of(config).preview:
        env.template_class = Remembered
    return env


def use_bytecode_cache(config: Any, env: Any) -> None:
    # The host makes a new environment per build and language, which compiled every template again (about half
    # of a preview rebuild): their bytecode is kept on disk, checked against each template's source on load.
    # The folder is named by what else shapes the compiled code, so another setup never reads it.
    shape = repr(
        (
            sorted(env.extensions),
            env.autoescape,
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


class Remembered(jinja2.Template):
    """The preview's templates: a page whose inputs are those of its last rendering is not rendered again.

    Rendering was most of a rebuild, and after editing one testimony all but a few pages of each language
    come out the same. The digest covers what a page's template reads: the page, the navigation, its
    ``vitrine`` data, and the settings files and campaign templates (``Build.inputs``)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = args[0] if len(args) == 1 and not kwargs and isinstance(args[0], dict) else {}
        build: Build | None = getattr(context.get("config"), HANDOVER, None)
        page = context.get("page")
        if build is None or build.preview is None or page is None or page.file is None:
            return super().render(*args, **kwargs)
        slot = (str(context["config"].config_file_path), page.file.src_uri)
        digest = page_digest(context, self.name, build.inputs)
        kept = build.preview.rendered.get(slot)
        if kept and kept[0] == digest:
            return kept[1]
        html = super().render(*args, **kwargs)
        build.preview.rendered[slot] = (digest, html)
        return html


def page_digest(context: dict[str, Any], template: str | None, inputs: str) -> str:
    """Everything a page's template reads, as a digest. A value shown by its address (an object without a
    ``repr`` of its own) makes the page new at every rebuild: slower, never stale."""
    page = context["page"]

    def outline(items: Iterable[Any]) -> tuple[Any, ...]:
        return tuple((type(i).__name__, i.title, getattr(i, "url", None), outline(i.children or ())) for i in items)

    def link(other: Any) -> tuple[Any, ...] | None:
        return (other.title, other.url) if other is not None else None

    rest = {key: value for key, value in context.items() if key not in ("config", "nav", "pages", "page",
                                                                         "build_date_utc")}  # fmt: skip
    parts = (inputs, template, page.url, page.title, page.content, sorted(page.meta.items()), page.canonical_url,
             page.edit_url, link(page.previous_page), link(page.next_page), [a.title for a in page.ancestors],
             outline(context["nav"]), [file.url for file in context["pages"]], sorted(rest.items()))  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def site_inputs(config: Any, plan: Plan) -> str:
    """A digest of what every page of the preview is made from besides its own: the settings files (each
    language's) and the campaign's own templates. Vitrine's and Material's change only with their packages,
    which the preview reads again when restarted."""
    digest = hashlib.sha256()
    for path in sorted({str(language.config) for language in plan.languages} | {str(config.config_file_path)}):
        digest.update(path.encode())
        with contextlib.suppress(OSError):
            digest.update(Path(path).read_bytes())
    custom = config.theme.custom_dir
    for folder, dirs, names in os.walk(custom) if custom else ():
        dirs.sort()
        for name in sorted(names):
            with contextlib.suppress(OSError):
                stat = os.stat(os.path.join(folder, name))
                digest.update(repr((folder, name, stat.st_mtime_ns, stat.st_size)).encode())
    return digest.hexdigest()


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
    """A product's description or a person's story is the page's own content, so the search indexes it."""
    lang = build_of(config).lang
    page = lang.page(src) if lang else None
    return page.body if page and page.body else html


def page_context(config: Any, src: str) -> dict[str, Any]:
    """What the template of a page sees as ``vitrine``: the plan's data for generated pages."""
    build = build_of(config)
    lang = build.lang
    page = lang.page(src) if lang else None
    if page:
        return dict(page.data)
    shown = [str(p) for p in build.plan.problems] if build.serving else []
    return {"settings": settings_view(lang.edition.settings) if lang else {}, "problems": shown, "page": None}


# --- after the pages ---------------------------------------------------------------------------------------


def finish(config: Any) -> None:
    """The press kit, ``_headers`` at the site's root, then the other languages."""
    build = build_of(config)
    if build.lang is None:
        return
    if build.main and not build.serving:  # one _headers, at the site's root
        csp.write_headers(Path(config.site_dir))
    if not build.serving or os.environ.get("VITRINE_PDF") == "1":
        write_press_kit(build.lang, config, logger(config))
    if build.main:
        build_host = host(config, "commands.build").build
        for other in build.others:
            lang = build.plan.language(other.theme.get("language") or "fr")
            setattr(other, HANDOVER, Build(build.plan, lang, build.serving, main=False, preview=build.preview))

        def others() -> None:
            for other in build.others:
                build_host(other)
            place_cards(config, build)  # every language's, drawn meanwhile

        if build.preview and build.preview is _PREVIEW.get():  # a rebuild: its server shows this language now
            build.preview.defer(others)
        else:
            others()
        if not build.serving:  # last: the press page has its sizes and every language is built
            compress.precompress(Path(config.site_dir), Path(config.config_file_path).parent / CACHE / "compress")


def place_cards(config: Any, build: Build) -> None:
    """Every language's share cards, drawn while the pages were written, into the site."""
    problems, site = build.plan.drawn(), Path(config.site_dir)
    for problem in problems:
        logger(config).error(str(problem))
    if problems and not build.serving:
        raise host(config, "exceptions").Abort("Aborted: the share cards could not be written.")
    for lang in build.plan.languages if not problems else ():
        for url in sorted(lang.later):
            dest = site / lang.prefix / url
            if not link(str(lang.files[url]), str(dest)):
                shutil.copyfile(lang.files[url], dest)


def write_press_kit(lang: LanguagePlan, config: Any, log: logging.Logger) -> None:
    """After the pages: the press-kit PDFs and photo ZIP (skipped in serve unless VITRINE_PDF=1)."""
    kit, edition = lang.kit, lang.edition
    if not kit.published:  # under embargo: the engine already warned
        return
    started = time.perf_counter()
    root, out, docs = Path(config.config_file_path).parent, Path(config.site_dir), Path(config.docs_dir)
    roots = [root, out, docs, root / CACHE]  # the cache on its own: it may be a link to another disk
    zipped = out / kit.zip_name
    said: set[str] = set()  # hints about this machine (a missing optional library): INFO, once, never --strict
    sizes = {"zip": zipped.stat().st_size if kit.zip_from else presskit.build_zip(edition, zipped, edition.t)}
    for pdf_lang in kit.langs:
        data = presskit.plan_pdf(edition, kit, pdf_lang, docs, config.site_url or "")
        sizes[f"pdf-{pdf_lang}"], messages, hints = presskit.build_pdf(
            data, out / kit.pdf_name(pdf_lang), presskit.TEMPLATES, roots, root / CACHE / "pdf"
        )
        for message in messages:
            log.warning(f"{kit.pdf_name(pdf_lang)}: {message}")
        said.update(hints)
    for hint in sorted(said) if build_of(config).main else ():
        log.info(f"Vitrine press kit: {hint}")
    pages = [out / "press/index.html", out / "press.html"]
    shown = {key: presskit.format_size(size, edition.t) for key, size in sizes.items()}
    presskit.fill_sizes([page for page in pages if page.is_file()], shown)
    log.info(f"Vitrine press kit: {', '.join(f'{k} {v}' for k, v in shown.items())} "
             f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


DEBOUNCE = 0.02  # seconds without another change before rebuilding (the host waits 0.1 s)


def preview(server: Any, config: Any) -> Any:
    """The live preview on the host's server: the system tells of saves (``watch_natively``); each rebuild
    runs with a ``Preview`` (the other languages built after the main one is shown, pages not rendered
    again when unchanged); a page of a language still building waits for it. The server's own rebuild
    waits ``build_delay`` after the last change: a save's events come within a millisecond, so a
    fiftieth of a second is enough, and a burst of saves still ends in one more rebuild at most.
    Left as it is if the server is not the one this was written for."""
    server = watch_natively(server)
    try:
        builder, app, mount, delay = server.builder, server.get_app(), server.mount_path, server.build_delay
    except AttributeError:
        return server
    handed: Build | None = getattr(config, HANDOVER, None)
    state = (handed.preview if handed else None) or Preview()  # made by the first build, with its renderings
    state.settled.set()  # which built every language before serving

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(mount) and state.waits_for(path[len(mount) :]):
            state.settled.wait()
        return app(environ, start_response)

    def shutdown(*args: Any, **kwargs: Any) -> Any:
        try:
            return stop(*args, **kwargs)
        finally:
            state.close()

    stop = server.shutdown
    server.builder = lambda *args, **kwargs: state.rebuild(builder, *args, **kwargs)
    server.set_app(serve)
    server.shutdown = shutdown
    server.build_delay = min(delay, DEBOUNCE)
    return server


def watch_natively(server: Any) -> Any:
    """Hear a save at once: the host's server polls what it watches every 0.5 s (a quarter of a second added
    to every preview, on average); watchdog's native observer (inotify, FSEvents) is told by the system.
    Only writes count: the build's own reading of files (open and close events) must not start another build.
    Swapped through the server's own ``unwatch``/``watch`` before it starts; left as it is if that fails."""
    try:
        from watchdog import events
        from watchdog.observers import Observer

        writes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
                  events.FileClosedEvent]  # fmt: skip

        class Writes(Observer):  # type: ignore[valid-type, misc]
            def schedule(self, handler: Any, path: Any, **options: Any) -> Any:
                return super().schedule(handler, path, **{**options, "event_filter": writes})

        paths = dict(server._watched_paths)  # what the host watches so far: docs/ and mkdocs.yml
        native = Writes()
        for path in paths:  # can the system watch these (inotify limits)? Else keep polling.
            native.unschedule(native.schedule(events.FileSystemEventHandler(), path, recursive=True))
    except Exception:  # another host's server, or no native watching here
        return server
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = native
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
    return server


def secure(config: Any, html: str) -> str:
    """A Content-Security-Policy on every page (not in serve: its live-reload script is inline)."""
    build = build_of(config)
    return html if build.serving else csp.apply(html, build.scripts)
