"""The live preview's own loop, host-free: a file server that reloads its pages, and a watcher of the campaign.

``LiveServer`` serves a site folder under a mount path, with a small script in every page that asks, by long
polling, whether a newer build is shown (``/livereload/<epoch>/<id>`` answers once it is), and reloads then.
A request waits while the site is being rebuilt, or while ``waits`` says its page is not ready (a language
still building). ``Watcher`` hears saves from the system (watchdog's native observer: inotify, FSEvents) and
calls back once a burst of them is over. Neither knows the program that builds the site.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import re
import socketserver
import threading
import time
import urllib.parse
import wsgiref.simple_server
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

# The preview's pages carry no Content-Security-Policy (a production build's do): this inline script may run.
SCRIPT = """<script>var livereload=function(epoch,id){var poll=function(){var r=new XMLHttpRequest();
r.onloadend=function(){if(parseFloat(this.responseText)>epoch){location.reload()}
else{setTimeout(poll,this.status===200?0:3000)}};r.open("GET","/livereload/"+epoch+"/"+id);r.send()};
window.addEventListener("load",poll)};livereload(%d,%d)</script>"""
POLL_TIMEOUT = 60  # seconds a live-reload poll is held open without news
Start = Callable[[str, list[tuple[str, str]]], Any]


class LiveServer(socketserver.ThreadingMixIn, wsgiref.simple_server.WSGIServer):
    """The preview's HTTP server: ``site`` under ``mount`` (``/`` or the path of ``site_url``), pages reloaded
    when ``shown`` is called after a rebuild."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: Path, mount: str = "/") -> None:
        super().__init__(address, Quiet)
        self.site = site
        self.mount = "/" + mount.strip("/") + "/" if mount.strip("/") else "/"
        self.epoch = millis()  # of the build shown; a page's script holds the one it was served with
        self.news = threading.Condition()
        self.ready = threading.Event()  # no build under way: pages may be read
        self.ready.set()
        self.waits: Callable[[str], None] = lambda path: None  # blocks until the page at ``path`` is ready
        self.failure: Callable[[], bytes | None] = lambda: None  # the page shown instead while the site is broken
        self.set_app(self.app)

    def building(self) -> None:
        """A rebuild starts: requests wait for it."""
        self.ready.clear()

    def shown(self) -> None:
        """A rebuild is written: requests go on, and every open page reloads."""
        with self.news:
            self.epoch = max(millis(), self.epoch + 1)
            self.news.notify_all()
        self.ready.set()

    def app(self, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        path = urllib.parse.unquote(environ.get("PATH_INFO", ""), errors="ignore")
        if poll := re.fullmatch(r"/livereload/([0-9]+)/[0-9]+", path):
            return self.poll(int(poll[1]), start)
        if not (path + "/").startswith(self.mount):
            if path == "/":
                start("302 Found", [("Location", self.mount)])
                return []
            return self.missing(start)
        self.ready.wait()
        relative = posixpath.normpath("/" + path[len(self.mount) :] + ("index.html" if path.endswith("/") else ""))
        if (broken := self.failure()) is not None and relative.endswith(".html"):
            # 200, not 503: a browser shows it and the page reloads itself until the site is mended
            return self.send(start, "200 OK", "text/html; charset=utf-8", broken)
        self.waits(relative.lstrip("/"))
        file = self.site / relative.lstrip("/")
        if file.is_dir():
            start("302 Found", [("Location", urllib.parse.quote(path.rstrip("/") + "/"))])
            return []
        try:
            content = file.read_bytes()
        except OSError:
            return self.missing(start)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix == ".html":
            return self.send(start, "200 OK", "text/html; charset=utf-8", self.inject(content))
        return self.send(start, "200 OK", kind, content)

    def poll(self, epoch: int, start: Start) -> Iterable[bytes]:
        """A page's live-reload request: answered at once if a newer build is shown, else when one is."""
        with self.news:
            self.news.wait_for(lambda: self.epoch > epoch, timeout=POLL_TIMEOUT)
            shown = self.epoch
        start("200 OK", [("Content-Type", "text/plain"), ("Cache-Control", "no-store")])
        return [b"%d" % shown]

    def inject(self, html: bytes) -> bytes:
        end = html.rfind(b"</body>")
        end = len(html) if end < 0 else end
        return html[:end] + (SCRIPT % (self.epoch, millis())).encode() + html[end:]

    def missing(self, start: Start) -> Iterable[bytes]:
        page = self.site / "404.html"  # the theme's, under the mount path like every page
        content = self.inject(page.read_bytes()) if page.is_file() else b"404 Not Found"
        return self.send(start, "404 Not Found", "text/html; charset=utf-8", content)

    @staticmethod
    def send(start: Start, status: str, kind: str, content: bytes) -> Iterable[bytes]:
        start(status, [("Content-Type", kind), ("Content-Length", str(len(content))), ("Cache-Control", "no-store")])
        return [content]

    def serve(self) -> threading.Thread:
        """Answer requests in a thread of its own, until ``shutdown``."""
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.25}, daemon=True,
                                  name="vitrine-live-server")  # fmt: skip
        thread.start()
        return thread


def millis() -> int:
    """Milliseconds: an epoch a page's script holds exactly (a browser's numbers are floats)."""
    return time.time_ns() // 1_000_000


class Quiet(wsgiref.simple_server.WSGIRequestHandler):
    """No line per request on the terminal: the preview says what it builds, not what the browser asks."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Heard(FileSystemEventHandler):
    """Every event, handed to ``heard``."""

    def __init__(self, heard: Callable[[FileSystemEvent], None]) -> None:
        super().__init__()
        self.heard = heard

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.heard(event)


class Watcher:
    """Calls ``changed`` once saves have stopped for ``quiet`` seconds (a save's events come within a millisecond;
    a burst of saves ends in one call): saves in ``folders`` and of the settings files at the campaign's
    ``root`` (``mkdocs*.yml``, ``hooks.py``). Only writes count: a build's own reading of files (opened and
    closed unwritten) must not start another build."""

    WRITES = (FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent)
    SETTINGS = (".yml", ".yaml", ".py")

    def __init__(self, root: Path, folders: Iterable[Path], changed: Callable[[], None], quiet: float = 0.02) -> None:
        self.root, self.changed, self.quiet = str(root), changed, quiet
        self.observer = Observer()
        self.saved = threading.Event()
        handler = Heard(self.heard)
        self.folders = sorted({str(folder) for folder in folders if folder.is_dir() and folder != root})
        self.observer.schedule(handler, self.root, recursive=False, event_filter=list(self.WRITES))
        for folder in self.folders:
            self.observer.schedule(handler, folder, recursive=True, event_filter=list(self.WRITES))

    def heard(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        for path in (os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")):
            settings = os.path.dirname(path) == self.root and path.endswith(self.SETTINGS)
            if path and (settings or any(path.startswith(folder + os.sep) for folder in self.folders)):
                self.saved.set()

    def start(self) -> None:
        """Watch from now on (the system's watches are in place when this returns)."""
        self.observer.start()

    def run(self, stop: threading.Event) -> None:
        """Call back after each burst of saves, until ``stop`` is set (or an interrupt)."""
        try:
            while not stop.is_set():
                if not self.saved.wait(timeout=0.25):
                    continue
                self.saved.clear()
                while self.saved.wait(timeout=self.quiet):  # more saves: wait until they stop
                    self.saved.clear()
                self.changed()
        finally:
            self.observer.stop()
