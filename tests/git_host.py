"""A local stand-in of the part of GitHub's and GitLab's REST APIs the online editor calls (vitrine/edit/app/git.js),
over a real bare git repository, for tests/test_edit_online.py: neither host can be reached from the test machine.

It models what the editor relies on, as the hosts document it:

- both: a token in ``Authorization: Bearer`` (GitLab: or ``PRIVATE-TOKEN``), else 401, a read-only one's writes
  refused with 403 (its ``permissions`` say what its owner may do, as GitHub's do); CORS as the hosts answer
  a page of another origin (a preflight ``OPTIONS`` listing the allowed methods and headers, then
  ``Access-Control-Allow-Origin: *`` on every answer, never cookies);
- GitHub: ``GET /repos/{o}/{r}`` (with ``permissions``), ``GET …/git/ref/heads/{branch}``, ``GET …/git/trees/{sha}
  ?recursive=1``, ``GET …/git/blobs/{sha}`` (base64 in lines of 60), ``POST …/git/blobs``, ``POST …/git/trees`` (on a
  ``base_tree``), ``POST …/git/commits``, ``PATCH …/git/refs/heads/{branch}`` refusing a non-fast-forward with 422;
- GitLab (under ``/api/v4``): ``GET /projects/:id`` (the path URL-encoded), ``GET …/repository/branches/:branch``,
  ``GET …/repository/tree?recursive=true&path=&ref=&per_page=&page=`` (paged, ``X-Next-Page``), ``GET
  …/repository/blobs/:sha``, ``POST …/repository/commits`` with ``actions`` (create refused with 400 when the file
  exists, update when it does not).

Every write is made with git's own plumbing (hash-object, a temporary index, write-tree, commit-tree, update-ref
with the old value), so the repository is as a host would leave it. Each request is recorded (method, path,
``Origin``) for the test to look at.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ALLOWED_HEADERS = "Authorization, Content-Type, Accept, X-GitHub-Api-Version, PRIVATE-TOKEN"


@dataclass
class Host:
    repo: Path  # the bare repository
    name: str  # owner/name (GitHub), the project's path (GitLab)
    token: str
    reader: str = ""  # a token that may read only: a write is refused (403), as a read-only token's is
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, Origin
    lock: threading.Lock = field(default_factory=threading.Lock)

    def git(self, *args: str, data: bytes | None = None, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["git", "--git-dir", str(self.repo), *args], input=data, capture_output=True, check=True,
                              env={**os.environ, **(env or {})})  # fmt: skip
        return done.stdout.decode().strip()

    def head(self, branch: str) -> str | None:
        try:
            return self.git("rev-parse", "--verify", f"refs/heads/{branch}")
        except subprocess.CalledProcessError:
            return None

    def files(self, tree: str) -> list[dict[str, str]]:
        """Every entry of ``tree``, folders too (``ls-tree -r -t``)."""
        out = []
        for line in self.git("ls-tree", "-r", "-t", "--full-tree", tree).splitlines():
            info, path = line.split("\t", 1)
            mode, kind, sha = info.split()
            out.append({"path": path, "mode": mode, "type": kind, "sha": sha})
        return out

    def tree_with(self, base: str, entries: list[tuple[str, str, str]]) -> str:
        """``base`` (a tree) with (mode, sha, path) entries set, as a new tree."""
        with tempfile.TemporaryDirectory() as folder:
            env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
            self.git("read-tree", base, env=env)
            for mode, sha, path in entries:
                self.git("update-index", "--add", "--cacheinfo", f"{mode},{sha},{path}", env=env)
            return self.git("write-tree", env=env)

    def commit(self, tree: str, parent: str, message: str) -> str:
        who = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
               "GIT_COMMITTER_NAME": "Host", "GIT_COMMITTER_EMAIL": "host@example.org"}  # fmt: skip
        return self.git("commit-tree", tree, "-p", parent, "-m", message, env=who)


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class Handler(BaseHTTPRequestHandler):
    host: Host

    def log_message(self, *args: object) -> None:
        pass

    def do_OPTIONS(self) -> None:  # the CORS preflight: no token asked, as the hosts answer it
        self.host.requests.append(("OPTIONS", self.path, self.headers.get("Origin", "")))
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE")
        self.send_header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-Next-Page, X-Total-Pages, Link")

    def _serve(self, method: str) -> None:
        host = self.host
        host.requests.append((method, self.path, self.headers.get("Origin", "")))
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        auth = self.headers.get("Authorization", "")
        token = auth.split(" ", 1)[1] if auth.startswith(("Bearer ", "token ")) else self.headers.get("PRIVATE-TOKEN")
        headers: dict[str, str] = {}
        try:
            if token not in (host.token, host.reader) or not token:
                raise Refused(401, "Bad credentials")
            if token == host.reader and method != "GET":
                raise Refused(403, "Resource not accessible by personal access token")
            with host.lock:
                status, data = (
                    gitlab(host, method, url.path[len("/api/v4") :], query, body, headers)
                    if url.path.startswith("/api/v4/")
                    else github(host, method, url.path, body)
                )
        except Refused as refused:
            status, data = refused.status, {"message": refused.message}
        raw = json.dumps(data).encode()
        self.send_response(status)
        self._cors()
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


def _blob(host: Host, sha: str, lines: bool) -> dict[str, Any]:
    data = subprocess.run(["git", "--git-dir", str(host.repo), "cat-file", "blob", sha], capture_output=True,
                          check=True).stdout  # fmt: skip
    text = base64.b64encode(data).decode()
    if lines:  # GitHub's: lines of 60 characters
        text = "\n".join(text[i : i + 60] for i in range(0, len(text), 60)) + "\n"
    return {"sha": sha, "size": len(data), "content": text, "encoding": "base64"}


def _write_blob(host: Host, content: str, encoding: str) -> str:
    data = base64.b64decode(content) if encoding == "base64" else content.encode()
    return host.git("hash-object", "-w", "--stdin", data=data)


def github(host: Host, method: str, path: str, body: Any) -> tuple[int, Any]:
    prefix = f"/repos/{host.name}"
    if path == prefix and method == "GET":
        return 200, {"full_name": host.name, "default_branch": "main", "permissions": {"pull": True, "push": True}}
    if not path.startswith(prefix + "/git/"):
        raise Refused(404, "Not Found")
    rest = path[len(prefix) + 5 :]
    if method == "GET" and rest.startswith("ref/heads/"):
        sha = host.head(urllib.parse.unquote(rest[len("ref/heads/") :]))
        if not sha:
            raise Refused(404, "Not Found")
        return 200, {"ref": "refs/" + rest[4:], "object": {"sha": sha, "type": "commit"}}
    if method == "GET" and rest.startswith("trees/"):
        tree = host.git("rev-parse", rest[len("trees/") :] + "^{tree}")
        return 200, {"sha": tree, "tree": host.files(tree), "truncated": False}
    if method == "GET" and rest.startswith("blobs/"):
        return 200, _blob(host, rest[len("blobs/") :], lines=True)
    if method == "POST" and rest == "blobs":
        return 201, {"sha": _write_blob(host, body["content"], body.get("encoding", "utf-8"))}
    if method == "POST" and rest == "trees":
        entries = [(e["mode"], e["sha"], e["path"]) for e in body["tree"]]
        return 201, {"sha": host.tree_with(body["base_tree"], entries)}
    if method == "POST" and rest == "commits":
        [parent] = body["parents"]
        return 201, {"sha": host.commit(body["tree"], parent, body["message"])}
    if method == "PATCH" and rest.startswith("refs/heads/"):
        branch = urllib.parse.unquote(rest[len("refs/heads/") :])
        old, new = host.head(branch), body["sha"]
        ahead = subprocess.run(["git", "--git-dir", str(host.repo), "merge-base", "--is-ancestor", str(old), new])
        if not body.get("force") and ahead.returncode != 0:
            raise Refused(422, "Update is not a fast forward")
        host.git("update-ref", f"refs/heads/{branch}", new, str(old))
        return 200, {"ref": f"refs/heads/{branch}", "object": {"sha": new, "type": "commit"}}
    raise Refused(404, "Not Found")


def gitlab(
    host: Host, method: str, path: str, query: dict[str, str], body: Any, headers: dict[str, str]
) -> tuple[int, Any]:
    parts = path.split("/")  # "", "projects", id, ...
    if len(parts) < 3 or parts[1] != "projects" or urllib.parse.unquote(parts[2]) != host.name:
        raise Refused(404, "404 Project Not Found")
    rest = "/".join(parts[3:])
    if not rest and method == "GET":
        return 200, {"id": 7, "path_with_namespace": host.name, "default_branch": "main",
                     "permissions": {"project_access": {"access_level": 40}, "group_access": None}}  # fmt: skip
    if method == "GET" and rest.startswith("repository/branches/"):
        branch = urllib.parse.unquote(rest[len("repository/branches/") :])
        sha = host.head(branch)
        if not sha:
            raise Refused(404, "404 Branch Not Found")
        return 200, {"name": branch, "commit": {"id": sha}}
    if method == "GET" and rest == "repository/tree":
        tree = host.git("rev-parse", query.get("ref", "main") + "^{tree}")
        under = query.get("path", "").strip("/")
        items = [{"id": e["sha"], "name": e["path"].rsplit("/", 1)[-1], "type": e["type"], "path": e["path"],
                  "mode": e["mode"]} for e in host.files(tree)
                 if not under or e["path"].startswith(under + "/")]  # fmt: skip
        size, page = min(int(query.get("per_page", 20)), 100), int(query.get("page", 1))
        pages = max(1, -(-len(items) // size))
        headers["X-Total-Pages"] = str(pages)
        headers["X-Next-Page"] = str(page + 1) if page < pages else ""
        return 200, items[(page - 1) * size : page * size]
    if method == "GET" and rest.startswith("repository/blobs/"):
        return 200, _blob(host, rest[len("repository/blobs/") :], lines=False)
    if method == "POST" and rest == "repository/commits":
        branch = body["branch"]
        old = host.head(branch)
        if not old:
            raise Refused(400, "You can only create or edit files when you are on a branch")
        tree = host.git("rev-parse", old + "^{tree}")
        present = {e["path"] for e in host.files(tree)}
        entries = []
        for action in body["actions"]:
            if action["action"] == "create" and action["file_path"] in present:
                raise Refused(400, "A file with this name already exists")
            if action["action"] == "update" and action["file_path"] not in present:
                raise Refused(400, "A file with this name doesn't exist")
            if action["action"] not in ("create", "update"):
                raise Refused(400, "action is not supported here")
            sha = _write_blob(host, action["content"], action.get("encoding", "text"))
            entries.append(("100644", sha, action["file_path"]))
        new = host.commit(host.tree_with(tree, entries), old, body["commit_message"])
        host.git("update-ref", f"refs/heads/{branch}", new, old)
        return 201, {"id": new, "message": body["commit_message"]}
    raise Refused(404, "404 Not Found")


@contextmanager
def serve(host: Host) -> Iterator[str]:
    """The stand-in on 127.0.0.1 (a free port); yields its root URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Bound", (Handler,), {"host": host}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
