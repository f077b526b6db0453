"""``vitrine edit``: the editor's own small HTTP server on 127.0.0.1, its JSON API and the app's files.

The app (``vitrine/edit/app/``) asks for the campaign, its stories and their schemas, and sends a story back to
save: the file is written in the contract's format, changed only where a field changed (``vitrine.edit.stories``),
then the campaign is checked by the build's own reading (``vitrine.build.check``) and its problems sent back in
the editors' language. The preview beside the form is ``vitrine serve`` (``preview``), which rebuilds on the save.

Only this machine reaches it (127.0.0.1), a request naming another host is refused (a web page cannot rebind a
name of its own to it), and a change must come from the editor's own page (its ``Origin``): another site open
in the same browser cannot write a story.
"""

from __future__ import annotations

import json
import mimetypes
import re
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from vitrine.build.admin import describe
from vitrine.build.check import check
from vitrine.core.assets import PACKAGE
from vitrine.core.cache import write_atomic
from vitrine.core.errors import msg
from vitrine.core.slugs import slugify
from vitrine.edit import stories
from vitrine.edit.campaign import IMAGES, Campaign, Refused, entries

APP = PACKAGE / "edit" / "app"
MAX_UPLOAD = 20 * 1024 * 1024
POLICY = ("default-src 'self'; img-src 'self' data: blob:; frame-src http://127.0.0.1:* http://localhost:*; "
          "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")  # fmt: skip


class Editor:
    """The API over one campaign; each method returns what the app reads (JSON values)."""

    def __init__(self, campaign: Campaign, preview: str) -> None:
        self.campaign, self.preview = campaign, preview

    def describe(self) -> dict[str, Any]:
        c = self.campaign
        return describe(c.kind, c.lang, c.languages, c.stories, c.t) | {"preview": self.preview}

    def list(self) -> dict[str, Any]:
        def title(file: Path) -> str:
            try:
                fields = stories.load(file.read_text(encoding="utf-8")).fields
            except (OSError, ValueError):
                return file.stem
            return str(fields.get("name") or fields.get("title") or file.stem)

        return entries(self.campaign, title)

    def entry(self, path: str, lang: str = "") -> dict[str, Any]:
        kind, slugs = self.campaign.kind_of(path)
        file = self.campaign.file(path, lang)
        story = stories.load(file.read_text(encoding="utf-8")) if file.is_file() else stories.Story(fields={}, body="")
        folder = file.parent
        files = (
            sorted(f.name for f in folder.iterdir() if f.suffix.lower() in IMAGES)
            if kind in ("person", "product") and folder.is_dir()
            else []
        )
        others = [lang for lang in self.campaign.languages[1:] if self.campaign.file(path, lang).is_file()]
        return {"path": path, "kind": kind, "fields": story.fields, "body": story.body, "files": files,
                "page": self.campaign.page(kind, slugs), "translations": others}  # fmt: skip

    def save(self, data: dict[str, Any]) -> dict[str, Any]:
        path, lang = str(data.get("path", "")), str(data.get("lang") or "")
        kind, slugs = self.campaign.kind_of(path)
        if data.get("kind") not in (None, kind):
            raise Refused(msg("{path} is not a story of this campaign", path=path))
        schema = self.campaign.translation_schema() if lang else self.campaign.schema(kind)
        fields = data.get("fields") or {}
        if not isinstance(fields, dict) or not isinstance(data.get("body", ""), str):
            raise Refused(msg("{path} is not a story of this campaign", path=path))
        order = list(schema.get("properties", {}))
        if unknown := sorted(set(fields) - set(order)):
            raise Refused(
                msg("unknown key {key} ({hint})", key=unknown[0], hint=msg("known keys: {keys}", keys=", ".join(order)))
            )
        file = self.campaign.file(path, lang)
        old = file.read_text(encoding="utf-8") if file.is_file() else None
        text = stories.dump(fields, data.get("body", ""), old=old, order=order)
        if text != old:
            file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(file, text.encode("utf-8"))
        return {"saved": True, "path": path, "page": self.campaign.page(kind, slugs), **self.problems()}

    def upload(self, folder: str, name: str, data: bytes) -> dict[str, Any]:
        bundle = self.campaign.bundle(folder)
        stem, _, extension = name.rpartition(".")
        extension = "." + extension.lower()
        if extension not in IMAGES or not stem:
            raise Refused(msg("{name}: a photo must be a .jpg, .jpeg, .png or .webp file", name=name))
        if len(data) > MAX_UPLOAD:
            raise Refused(msg("{name}: a photo of at most {limit} MB", name=name, limit=MAX_UPLOAD // 2**20))
        safe = slugify(stem, "photo") + (".jpg" if extension == ".jpeg" else extension)
        bundle.mkdir(parents=True, exist_ok=True)
        write_atomic(bundle / safe, data)
        return {"name": safe}

    def image(self, path: str) -> Path:
        folder, _, name = path.rpartition("/")
        file = self.campaign.bundle(folder) / name
        if "/" in name or Path(name).suffix.lower() not in IMAGES or not file.is_file():
            raise Refused(msg("{path} is not a story of this campaign", path=path))
        return file

    def problems(self) -> dict[str, Any]:
        t = self.campaign.t
        found = check(self.campaign.root)
        return {"problems": [{"path": p.path, "line": p.line, "severity": str(p.severity), "text": t.problem(p)}
                             for p in found]}  # fmt: skip


class Handler(BaseHTTPRequestHandler):
    """One request to the editor: the app's files, or the API."""

    editor: Editor
    hosts: tuple[str, ...]  # "127.0.0.1:8008", "localhost:8008": the only Host and Origin the editor answers

    def log_message(self, *args: object) -> None:
        pass  # the terminal says the address once; each request is noise

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        routes: dict[str, Callable[[], Any]] = {
            "/api/campaign": self.editor.describe, "/api/entries": self.editor.list,
            "/api/entry": lambda: self.editor.entry(query.get("path", ""), query.get("lang", "")),
            "/api/problems": self.editor.problems,
        }  # fmt: skip
        if not self._ours():
            return
        if url.path in routes:
            self._answer(routes[url.path])
        elif url.path == "/api/file":
            self._answer(lambda: self.editor.image(query.get("path", "")))
        elif url.path == "/" or url.path.startswith("/app/"):
            self._app(url.path)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"", "text/plain")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if not self._ours(change=True):
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_UPLOAD:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"", "text/plain")
            return
        data = self.rfile.read(length)
        if url.path == "/api/entry":
            self._answer(lambda: self.editor.save(json.loads(data or b"{}")))
        elif url.path == "/api/upload":
            self._answer(lambda: self.editor.upload(query.get("dir", ""), query.get("name", ""), data))
        else:
            self._send(HTTPStatus.NOT_FOUND, b"", "text/plain")

    def _ours(self, change: bool = False) -> bool:
        """This machine's editor page only: the Host it was opened at, and for a change, its own Origin."""
        origin = self.headers.get("Origin")
        if self.headers.get("Host") not in self.hosts or (change and origin not in [f"http://{h}" for h in self.hosts]):
            self._send(HTTPStatus.FORBIDDEN, b"", "text/plain")
            return False
        return True

    def _answer(self, make: Callable[[], Any]) -> None:
        try:
            result = make()
        except Refused as refused:
            body = {"error": self.editor.campaign.t.say(refused.message)}
            self._send(HTTPStatus.BAD_REQUEST, json.dumps(body, ensure_ascii=False).encode(), "application/json")
            return
        except (ValueError, json.JSONDecodeError) as exc:
            self._send(HTTPStatus.BAD_REQUEST, json.dumps({"error": str(exc)}).encode(), "application/json")
            return
        if isinstance(result, Path):
            self._send(HTTPStatus.OK, result.read_bytes(), mimetypes.guess_type(result.name)[0] or "image/jpeg")
        else:
            self._send(HTTPStatus.OK, json.dumps(result, ensure_ascii=False, default=str).encode(), "application/json")

    def _app(self, path: str) -> None:
        name = "index.html" if path == "/" else path.removeprefix("/app/")
        file = APP / name
        if not re.fullmatch(r"[a-z0-9-]+\.(html|js|css|svg)", name) or not file.is_file():
            self._send(HTTPStatus.NOT_FOUND, b"", "text/plain")
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, file.read_bytes(), kind + ("; charset=utf-8" if kind.startswith("text/") else ""))

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)


def server(editor: Editor, address: tuple[str, int]) -> ThreadingHTTPServer:
    """The editor's server, listening (port 0: any free one); ``serve_forever`` runs it."""
    httpd = ThreadingHTTPServer(address, Handler)
    hosts = (f"{address[0]}:{httpd.server_port}", f"localhost:{httpd.server_port}")
    httpd.RequestHandlerClass = type("Bound", (Handler,), {"editor": editor, "hosts": hosts})
    return httpd
