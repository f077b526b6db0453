"""``vitrine serve``: the live preview, its own loop around the host's public build.

``serve`` builds the campaign into a private folder and serves it (``vitrine.build.live.LiveServer``), then
rebuilds at every save it hears (``vitrine.build.live.Watcher``). Each rebuild drives
``vitrine.build.orchestrator.build_site`` as a build does, with a ``Preview`` that lasts from one rebuild to the
next: the main language is served as soon as it is written while the other languages build behind it (their
pages wait for it); a page whose inputs are those of its last rendering is not rendered again; the site's
files are rewritten in place instead of deleted and made again. It uses the host's public API only:
``load_config``, ``build`` and the plugin events.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import html
import logging
import os
import shutil
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from vitrine.build.engine import Plan
from vitrine.build.live import LiveServer, Watcher
from vitrine.core.errors import msg
from vitrine.core.i18n import Translator


@dataclass
class Preview:
    """What ``vitrine serve`` keeps from one rebuild to the next.

    Each rebuild builds the main language, which the server then shows, and leaves the other languages to a
    thread: their pages wait for it (``settled``), and the next rebuild starts once it is done (it writes
    into the same folder). Each page's last rendering is kept with a digest of everything it was made from.
    The site's files are rewritten in place, not deleted and made again (``hold``, ``restore``)."""

    root: Path  # the campaign's folder
    editor: Translator = field(default_factory=lambda: Translator("en"))  # who reads its messages
    prefixes: tuple[str, ...] = ()  # the other languages' folders ("en/"): their pages wait for their build
    settled: threading.Event = field(default_factory=threading.Event)  # the other languages are up to date
    behind: threading.Thread | None = None  # the last rebuild's other languages
    rendered: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (config, page) -> digest, html
    failure: list[str] = field(default_factory=list)  # why the last rebuild could not be made: the error page
    builds: int = 0  # how many builds were made: the first draws its cards in worker processes
    watched: tuple[Path, ...] = ()  # the folders its builds read (stories/, docs/, overrides/…), once known

    def defer(self, work: Callable[[], object]) -> None:
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

    def why(self, exc: Exception) -> list[str]:
        """What stopped a rebuild, as ``path:line: message`` where Vitrine can tell (the YAML of the settings),
        else the host's own words."""
        from vitrine.build.check import (
            host_readable,  # the checker's reading of the settings: only for a failed rebuild
        )

        problems = host_readable(self.root) if self.root else []
        return [self.editor.problem(p) for p in problems] or [str(exc) or type(exc).__name__]

    def error_page(self) -> bytes:
        """The page shown instead of the site while it cannot be rebuilt: reloads itself every two seconds."""
        t, lines = self.editor, "".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.failure)
        title = html.escape(t.say(msg("The preview could not be rebuilt")))
        hint = html.escape(t.say(msg("Mend what is said here and save: this page follows by itself.")))
        return (f'<!doctype html><html lang="{html.escape(t.lang)}" dir="{t.dir}"><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width"><meta http-equiv="refresh" content="2">'
                f"<title>{title}</title><body style=\"font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;"
                f'max-width:40rem;padding:0 1rem"><h1>{title}</h1><ul>{lines}</ul><p>{hint}</p></body></html>'
                ).encode()  # fmt: skip

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


def visible_theme(theme: Any, prepare: Callable[[Any], None]) -> Any:
    """The preview's theme: the host's own, made again (its public constructor, every value it holds) as a
    subclass whose environments list the theme without its hidden folders, and have the templates' bytecode
    cache from the start. The host lists every template to find the theme's static files and leaves out every
    hidden path: Material's 14,000 icons were a tenth of a rebuild; Material's search makes one more
    environment per build."""

    class Visible(type(theme)):  # type: ignore[misc]
        def get_env(self) -> Any:
            env = super().get_env()
            if type(env.loader) is jinja2.FileSystemLoader:
                env.loader = VisibleLoader(env.loader.searchpath, env.loader.encoding, env.loader.followlinks)
            prepare(env)  # the templates' bytecode cache
            return env

    values = dict(theme.items())
    made = Visible(name=values.pop("name"), custom_dir=theme.custom_dir, static_templates=theme.static_templates,
                   **values)  # fmt: skip
    made.dirs = list(theme.dirs)  # with Vitrine's templates, where the adapter put them
    return made


class VisibleLoader(jinja2.FileSystemLoader):
    """Jinja's file loader whose listing leaves out hidden folders (templates in them still load)."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for folder, dirs, names in os.walk(searchpath, followlinks=self.followlinks):
                dirs[:] = [name for name in dirs if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath).replace(os.path.sep, "/")
                found.update(name if relative == "." else f"{relative}/{name}" for name in names)
        return sorted(found)


def remembering(state: Preview, inputs: str) -> type[jinja2.Template]:
    """The preview's template class for one build: a page whose inputs are those of its last rendering is not
    rendered again.

    Rendering was most of a rebuild, and after editing one testimony all but a few pages of each language
    come out the same. The digest covers what a page's template reads: the page, the navigation, its
    ``vitrine`` data, and the settings files and campaign templates (``inputs``, from ``site_inputs``)."""

    class Remembered(jinja2.Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            context = args[0] if len(args) == 1 and not kwargs and isinstance(args[0], dict) else {}
            page = context.get("page")
            if page is None or page.file is None or context.get("config") is None:
                return super().render(*args, **kwargs)
            slot = (str(context["config"].config_file_path), page.file.src_uri)
            digest = page_digest(context, self.name, inputs)
            kept = state.rendered.get(slot)
            if kept and kept[0] == digest:
                return kept[1]
            html = super().render(*args, **kwargs)
            state.rendered[slot] = (digest, html)
            return html

    return Remembered


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


def run(preview: Preview, server: LiveServer, rebuild: Callable[[Preview], Iterator[None]]) -> None:
    """Build, serve, and rebuild at every save until interrupted (Ctrl-C, which ends here as KeyboardInterrupt).
    ``rebuild(preview)`` is the host's build: it yields once the main language is written, then builds the
    others; what it watches is in ``preview.watched`` after the first build."""
    log = logging.getLogger("mkdocs.vitrine.preview")  # the host's chatter: the log file, under vitrine serve

    def once() -> None:
        if preview.builds:
            log.info(preview.editor.say(msg("Vitrine preview: a file was saved, rebuilding")))
        server.building()
        preview.wait()  # the last rebuild's other languages write into the same folder
        preview.settled.clear()
        steps = rebuild(preview)
        try:
            next(steps, None)
            preview.failure = []
        except Exception as exc:  # a broken mkdocs.yml: the error page until a save mends it
            preview.failure = preview.why(exc)
            for line in preview.failure:
                logging.getLogger("mkdocs.plugins.vitrine").error(line)
            preview.settled.set()
            return
        finally:
            preview.builds += 1
            server.shown()
        preview.defer(lambda: collections.deque(steps, maxlen=0))  # the other languages, to the end

    once()

    def waits(path: str) -> None:  # a page of a language still building waits for it
        if preview.waits_for(path):
            preview.settled.wait()

    server.waits = waits
    server.failure = lambda: preview.error_page() if preview.failure else None
    watcher = Watcher(preview.root, preview.watched, once)
    watcher.start()  # before the first page is served: a save as soon as it is seen is heard
    server.serve()
    stop = threading.Event()
    try:
        watcher.run(stop)
    finally:
        stop.set()
        server.shutdown()
        preview.close()
