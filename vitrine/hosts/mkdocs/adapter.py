"""The host side: MkDocs (or ProperDocs) drives ``vitrine.build.orchestrator.build_site`` and builds its languages.

Works with whichever MkDocs-compatible host runs it (MkDocs 1.6, ProperDocs): the classes and functions it
needs (``File``, ``load_config``, ``build``, ``Abort``) are taken from the package of the config and files the
running host hands to the hooks, never imported from ``mkdocs`` by name.

The campaign's ``hooks.py`` has one event, ``on_config``. When the host started the build itself (``mkdocs
build``, ``mkdocs serve``), the run starts there: ``MkDocsHost`` answers the orchestrator, which reads, checks
and plans every language once, writes the press kit and yields the main language, which the host goes on to
build; the others are built once the host's own build has returned (``on_shutdown``), each a build of its own
config into ``site/<lang>/``, then the steps after every language. Each language's build has a ``Vitrine``
plugin of its own in its config's plugin collection, holding its part of the run: no attribute is set on a
config, nothing is kept in a module.

In ``mkdocs serve`` a ``Preview`` (``vitrine.hosts.mkdocs.preview``) lasts from one rebuild to the next; the builds
here hand it their site's files and pages.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from markupsafe import escape
from pathspec.gitignore import GitIgnoreSpec

from vitrine.build import csp, report
from vitrine.build.check import preflight
from vitrine.build.engine import banner
from vitrine.build.orchestrator import Part, build_site
from vitrine.core.errors import Problem, Severity
from vitrine.core.i18n import Translator
from vitrine.core.links import link
from vitrine.hosts.mkdocs import material, seo
from vitrine.hosts.mkdocs import preview as mkdocs_preview
from vitrine.hosts.mkdocs.material import follow_system_scheme, material_dir, use_bytecode_cache, use_theme
from vitrine.media.docs import Setup, clean_page
from vitrine.plan.pages import SECTIONS, default_nav, settings_view
from vitrine.plan.site import Language
from vitrine.read import placeholders
from vitrine.read.project import own_folders

PLUGIN = "vitrine"  # the name of each language's Vitrine plugin in its config's plugin collection


def host_name(obj: Any) -> str:
    """The package of the host that made ``obj``: ``mkdocs`` or ``properdocs``."""
    return type(obj).__module__.split(".")[0]


def host(obj: Any, module: str) -> Any:
    """``module`` of the host that made ``obj`` (``structure.files`` of ``mkdocs`` or ``properdocs``)."""
    return importlib.import_module(f"{host_name(obj)}.{module}")


def logger(config: Any) -> logging.Logger:
    """Under the host's own logger: warnings count for ``--strict`` only there."""
    return logging.getLogger(f"{host_name(config)}.plugins.vitrine")


def quiet_host(config: Any, editor: Translator) -> None:
    """Under ``vitrine build`` and ``vitrine serve``: the terminal shows Vitrine's lines and the host's warnings
    and errors, each level said in the editors' language; the host's own information lines (which folder it
    cleans, how long it took) go to the log file only, with everything else."""
    if os.environ.get(report.QUIET_VARIABLE) != "1":
        return
    base = logging.getLogger(host_name(config))  # the host's own logger
    ours = logger(config).name

    class Said(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            severity = getattr(record, "severity", None)  # a problem's (tell), or the host's level
            if severity is None and record.levelno >= logging.WARNING:
                severity = Severity.ERROR if record.levelno >= logging.ERROR else Severity.WARNING
            return f"{editor.say(report.LABELS[severity])}: {record.getMessage()}" if severity else record.getMessage()

    for handler in base.handlers:
        if type(handler) is logging.StreamHandler and not any(isinstance(f, Ours) for f in handler.filters):
            handler.addFilter(Ours(ours))
            handler.setFormatter(Said())
    file = os.environ.get(report.LOG_VARIABLE)
    if file and not any(getattr(handler, "baseFilename", None) == os.path.abspath(file) for handler in base.handlers):
        with contextlib.suppress(OSError):  # no log file, no harm: the terminal says what matters
            handler = logging.FileHandler(file, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
            base.addHandler(handler)


class Ours(logging.Filter):
    """On the terminal: Vitrine's own lines, and the host's warnings and errors."""

    def __init__(self, ours: str) -> None:
        super().__init__()
        self.ours = ours

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name == self.ours


class MkDocsHost:
    """What the orchestrator asks of MkDocs, for the config the host started with (``orchestrator.Host``)."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.root = Path(config.config_file_path).parent
        self.site = Path(config.site_dir)
        self.log = logger(config)

    def languages(self) -> list[tuple[Language, Any]]:
        """This config's language, then each translation's config (``extra.campaign.translations``), loaded by the
        running host; a missing file is reported with the settings."""
        config = self.config
        languages = [(language_of(config, ""), config)]
        translations = config.extra.get("campaign", {})
        translations = translations.get("translations", {}) if isinstance(translations, dict) else {}
        load_config = host(config, "config").load_config
        for lang, file in translations.items() if isinstance(translations, dict) else ():
            path = self.root / str(file)
            if lang == languages[0][0].lang or not path.is_file():
                continue
            try:
                other = load_config(str(path), site_dir=str(self.site / lang), strict=config.strict)
            except Exception as exc:  # the host's own reading of it (ConfigurationError, YAML): one line
                self.abort(f"{file}: {exc}")
            use_theme(other)  # its theme's languages are checked with the settings
            languages.append((language_of(other, f"{lang}/"), other))
        return languages

    def quiet(self, editor: Translator) -> None:
        quiet_host(self.config, editor)

    def preflight(self, serving: bool) -> list[Problem]:
        config = self.config
        folders = own_folders(self.root, Path(config.docs_dir), config.extra.get("campaign"),
                              {"custom_dir": config.theme.custom_dir})  # fmt: skip
        return preflight(self.root, Path(config.config_file_path).name, config.theme.name,
                         None if serving else self.site, folders, not serving or with_pdf())  # fmt: skip

    def markdown(self) -> tuple[Any, Any]:
        return self.config.markdown_extensions, self.config.mdx_configs

    def abort(self, message: str) -> NoReturn:
        raise host(self.config, "exceptions").Abort(message) from None


def with_pdf() -> bool:
    """A preview makes the press kit's files only when asked (``VITRINE_PDF=1``): they take seconds."""
    return os.environ.get("VITRINE_PDF") == "1"


def serving(config: Any) -> bool:
    """Whether the host's own ``serve`` made this config: it points ``site_url`` at its dev server and builds into
    a temporary folder of its own (``mkdocs_…``); a build never has both."""
    address = config.dev_addr
    url = urlsplit(str(config.site_url or ""))
    folder = Path(config.site_dir)
    temporary = folder.parent == Path(tempfile.gettempdir()) and folder.name.startswith(f"{host_name(config)}_")
    return url.scheme == "http" and url.netloc == f"{address.host}:{address.port}" and temporary


# --- on_config: the one event of hooks.py ------------------------------------------------------------------


def configure(config: Any) -> Any:
    """Join the run this config's language belongs to, or start one: the host started this build itself
    (``mkdocs build``, or a build of ``mkdocs serve``, whose live reload is the host's own, without what ``vitrine
    serve`` keeps between builds), and goes on to build the main language."""
    joined = config.plugins.get(PLUGIN)
    if not isinstance(joined, Vitrine):
        publishing = placeholders.publishing(os.environ.get(report.PUBLISH_VARIABLE) == "1")
        steps = build_site(MkDocsHost(config), serving=serving(config), publishing=publishing, with_pdf=with_pdf())
        joined = Vitrine(next(steps), steps)
        join(config, joined)
    return joined.configure(config)


def join(config: Any, plugin: Vitrine) -> None:
    """Add ``plugin`` to ``config``'s plugin collection (the host's own way of adding one): the host calls its
    events for the build of that config."""
    config.plugins[PLUGIN] = plugin


class Vitrine:
    """One language's build by the host: its part of the run and the host's events for it. Registered in its
    config's plugin collection (the host's own way of adding a plugin), by the run that builds it."""

    def __init__(self, part: Part, steps: Iterator[Part] | None = None) -> None:
        self.part = part
        self.run = part.run
        self.steps = steps  # the main language's: the rest of the run, once its build is done
        self.done = False  # the host built this language to the end
        self.scripts: tuple[Any, ...] = ()  # the theme's inline scripts, the only ones the page policy allows
        self.files: dict[str, str] = {}  # sha256 of each script file pages may load, by site path
        self.inputs = ""  # with a preview: a digest of the settings and templates every page is made from

    # --- config and files ---

    def configure(self, config: Any) -> Any:
        use_theme(config)
        follow_system_scheme(config.theme)
        lang, run = self.part.plan, self.run
        if not run.serving:  # the preview sends no policy (its live-reload script is inline)
            self.scripts = csp.theme_scripts(config.theme.dirs)
            self.files = csp.theme_files(config.theme.dirs, lang.edition.extras["docs_scripts"])
        if run.preview:  # vitrine serve: its theme lists no hidden folder, its templates compiled once
            config["theme"] = mkdocs_preview.visible_theme(config.theme, lambda env: use_bytecode_cache(config, env))
            self.inputs = mkdocs_preview.site_inputs(config, run.plan)
            if self.part.main:
                run.preview.editor = run.editor
                run.preview.prefixes = tuple(other.prefix for other in run.plan.languages[1:])
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
        for folder in (*run.plan.sources, root / "overrides"):
            if folder.is_dir() and str(folder) not in map(str, config.watch):
                config.watch.append(str(folder))
        kit_sources = GitIgnoreSpec.from_lines([f"/{source}" for source in lang.kit.sources])
        # the press kit's release and coverage are data shown by the press page, not pages of their own
        config.exclude_docs = config.exclude_docs + kit_sources if config.exclude_docs else kit_sources
        return config

    def on_pre_build(self, config: Any) -> None:
        """Right before the host empties the site's folder: a preview keeps its files (``Preview.hold``)."""
        if self.run.preview:
            self.run.preview.hold(config.site_dir)

    def on_files(self, files: Any, config: Any) -> Any:
        """The generated pages and the images, cards, cleaned docs images and press kit, as the host's own files."""
        lang = self.part.plan
        file = host(files, "structure.files").File
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
        for url, path in lang.files.items():
            if url not in lang.later:  # share cards: placed once drawn, after every language
                files.append(linked.generated(config, url, abs_src_path=str(path)))
        if self.run.preview:  # the files the host emptied the site of, less those this build does not make
            others = [other.prefix.strip("/") for other in self.run.plan.languages[1:]] if self.part.main else []
            self.run.preview.restore(config.site_dir, files, linked, others)
        return files

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        material.prepare(env, material_dir(config))
        use_bytecode_cache(config, env)
        t = self.part.plan.edition.t
        env.globals["t"] = t
        env.filters.update(money=t.money, number=t.number, longdate=t.date)
        if self.run.preview:
            env.template_class = mkdocs_preview.remembering(self.run.preview, self.inputs)
        return env

    # --- pages ---

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        """Template, escaped title and description of a generated page.

        Titles come from front matter, so they are escaped here, once: MkDocs and Material print ``page.title``
        as it is, in <title>, navigation and search."""
        meta = page.meta
        for key in ("title", "description"):  # every page's, hand-written ones too: Material prints them raw
            if isinstance(meta.get(key), str):
                meta[key] = escape(meta[key])  # Markup: escaped once, never twice
        planned = self.part.plan.page(page.file.src_uri)
        if planned:
            meta.setdefault("template", planned.template)
            meta.setdefault("hide", ["navigation", "toc"])  # our templates lay out the whole width
            if planned.kind in ("product", "person") or "title" not in meta:
                meta["title"] = escape(planned.title)
            if planned.description:
                meta["description"] = escape(planned.description)
        return markdown

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        """A product's description or a person's story is the page's own content, so the search indexes it; a
        hand-written page of docs/ is cleaned like a story (what cleaning removes was reported with the plan)."""
        lang = self.part.plan
        planned = lang.page(page.file.src_uri)
        if planned and planned.body:
            return planned.body
        return clean_page(html, lang.edition.extras["docs_allow"]) if html else html

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        """What the template of a page sees as ``vitrine``: the plan's data for generated pages."""
        lang, run = self.part.plan, self.run
        planned = lang.page(page.file.src_uri)
        if planned:
            context["vitrine"] = planned.data  # typed (plan.page_data): read by attribute, as a mapping would be
        else:
            shown = banner(run.plan.problems, run.editor) if run.serving else {}
            home = lang.page("index.md")  # its giving, for the header's entry on every page
            gives, sections = (home.data.gives, home.data.sections) if home else (False, [])
            context["vitrine"] = {"settings": settings_view(lang.edition.settings), "problems": shown, "page": None,
                                  "gives": gives, "sections": sections}  # fmt: skip
        return context

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return self.secure(output)

    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        """The same policy on the theme's own pages (404.html)."""
        return self.secure(output_content) if template_name.endswith(".html") else output_content

    def on_template_context(self, context: Any, template_name: str, config: Any) -> Any:
        if template_name == "sitemap.xml":  # each page's hreflang alternates, by URL
            context["hreflang"] = seo.sitemap(config, context["pages"], serving=self.run.serving)
        return context

    def secure(self, html: str) -> str:
        """A Content-Security-Policy on every page (not in serve: its live-reload script is inline): the one step
        that changes a page the templates made, before the host writes it."""
        if self.run.serving:
            return html
        html, hashes = csp.secure(html, self.scripts, self.files)
        self.run.hashes.update(hashes)
        return html

    # --- after this language ---

    def on_post_build(self, config: Any) -> None:
        self.done = True
        if self.steps is not None and self.run.serving:  # `mkdocs serve`: the other languages before it serves
            self.rest()

    def on_shutdown(self) -> None:
        """The host's command ends: after a build of the main language, the other languages and the rest."""
        if self.done and not self.run.serving:
            self.rest()

    def rest(self) -> None:
        """The other languages, each built by the host in turn, then the steps after every language (under ``mkdocs
        serve``, from the main language's last event: the host's loop gives no later one)."""
        for part in self.steps or ():
            config = part.handle
            join(config, Vitrine(part))
            host(config, "commands.build").build(config)
        self.steps = None


def without(nav: Any, gone: set[str]) -> Any:
    """``nav`` (MkDocs' list of titles and paths) less every entry leading to a page in ``gone``."""
    if isinstance(nav, list):
        return [kept for item in nav if (kept := without(item, gone)) not in (None, [], {})]
    if isinstance(nav, dict):
        return {title: kept for title, value in nav.items() if (kept := without(value, gone)) not in (None, [], {})}
    return None if isinstance(nav, str) and nav in gone else nav


def language_of(config: Any, prefix: str) -> Language:
    return Language(lang=config.theme.get("language") or "fr", config=Path(config.config_file_path),
                    campaign=config.extra.get("campaign", {}), docs_dir=Path(config.docs_dir),
                    site_name=config.site_name, prefix=prefix, theme_dirs=tuple(Path(d) for d in config.theme.dirs),
                    docs=Setup.of(config), site_url=config.site_url or "")  # fmt: skip


def linking(base: Any) -> Any:
    """The host's ``File`` class, placing a file from Vitrine's cache into the site as a hard link.

    A large campaign's images and cards are thousands of files and hundreds of MB: copied at every build
    they were most of a warm build's time (and of a preview's). A link is made in no time and takes no
    room; the cache's file is never changed in place (a new content is a new file), and the site's copy is
    removed, never rewritten, by the next build. Where a link cannot be made (another file system), the
    host copies as before."""

    class Linked(base):
        def copy_file(self, dirty: bool = False) -> None:
            cached = self._content is None and self.abs_src_path and (not dirty or self.is_modified())
            if not (cached and link(self.abs_src_path, self.abs_dest_path)):
                super().copy_file(dirty)

    return Linked
