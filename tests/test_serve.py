"""`mkdocs serve`: keeps serving while content has errors, shows them, and
rebuilds when a story changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_shows_problems_and_reloads_on_story_edits(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    broken = project / "stories/people/amina-k/bache.md"
    broken.write_text("---\nrating: 12\n---\nTrop.\n")
    photo = project / "stories/products/cafe/cafe.jpg"
    photo.write_bytes(photo.read_bytes()[:600])  # a half-copied photo
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/"
        page = fetch(base + "products/savon/")
        assert "vt-problems" in page
        assert "stories/people/amina-k/bache.md:2: rating must be a whole number from 1 to 5" in page
        assert "Le premier objet que je cherchais" in page  # what is valid is still served
        cafe = fetch(base + "products/cafe/")
        assert "example.org/" not in cafe.split("</head>")[0]  # nothing sends the preview to the production host
        assert "hreflang" not in fetch(base + "sitemap.xml")
        with pytest.raises(urllib.error.HTTPError):  # precompressed copies are for production builds only
            urllib.request.urlopen(base + "products/cafe/index.html.gz", timeout=5)
        assert "stories/products/cafe/cafe.jpg: image data is truncated or corrupt" in cafe
        assert "Le café du matin" in cafe  # the page is there, without the photo that failed
        english = fetch(base + "en/products/savon/")  # every language is served, the switcher's target too
        assert 'lang="en"' in english and 'href="../../../products/savon/" hreflang="fr"' in english
        assert english.count("bache.md:2: rating") == 1  # the problems, listed once, in English pages too

        broken.write_text("---\nrating: 4\ntitle: Réparée\n---\nElle a tenu.\n")
        deadline = time.monotonic() + 120  # a rebuild under a loaded CI machine
        while "bache.md:2" in (page := fetch(base + "products/bache/")) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "bache.md:2" not in page and "Réparée" in page
        assert "sans-accord/index.md:1: consent is missing" in page  # warnings are shown too
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
