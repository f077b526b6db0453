"""`vitrine serve`: keeps serving while content has errors, shows them, and
rebuilds when a story changes (its own loop: vitrine.build.live, vitrine.hosts.mkdocs.preview)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(project: Path) -> tuple[subprocess.Popen, int]:
    """`vitrine serve` in ``project``, on a free port."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "vitrine", "serve", str(project), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return server, port


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
    server, port = serve(project)
    try:
        base = f"http://127.0.0.1:{port}/"
        page = fetch(base + "products/savon/")
        assert "vt-problems" in page
        assert "stories/people/amina-k/bache.md:2: rating doit être un nombre entier de 1 à 5" in page  # in French
        assert "Le premier objet que je cherchais" in page  # what is valid is still served
        cafe = fetch(base + "products/cafe/")
        assert "example.org/" not in cafe.split("</head>")[0]  # nothing sends the preview to the production host
        assert "hreflang" not in fetch(base + "sitemap.xml")
        with pytest.raises(urllib.error.HTTPError):  # precompressed copies are for production builds only
            urllib.request.urlopen(base + "products/cafe/index.html.gz", timeout=5)
        assert "stories/products/cafe/cafe.jpg: l&#39;image est tronquée ou abîmée" in cafe
        assert "Le café du matin" in cafe  # the page is there, without the photo that failed
        english = fetch(base + "en/products/savon/")  # every language is served, the switcher's target too
        assert 'lang="en"' in english and 'href="../../../products/savon/" hreflang="fr"' in english
        assert english.count("bache.md:2: rating") == 1  # the problems, listed once, in English pages too

        broken.write_text("---\nrating: 4\ntitle: Réparée\n---\nElle a tenu.\n")
        deadline = time.monotonic() + 120  # a rebuild under a loaded CI machine
        while "bache.md:2" in (page := fetch(base + "products/bache/")) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "bache.md:2" not in page and "Réparée" in page
        assert "sans-accord/index.md:1: en attente : pas encore de consentement" in page  # holds are shown too

        config = project / "mkdocs.yml"  # a rebuild that cannot be made: the error page, in French, then back
        good = config.read_text(encoding="utf-8")
        config.write_text(good.replace("site_name:", "site_name: [", 1), encoding="utf-8")
        while "vt-problems" in (page := fetch_any(base + "people/")) and time.monotonic() < deadline + 60:
            time.sleep(0.2)
        assert "L&#x27;aperçu n&#x27;a pas pu être reconstruit" in page and "mkdocs.yml:" in page
        assert '<meta http-equiv="refresh" content="2">' in page
        config.write_text(good, encoding="utf-8")
        while "vt-problems" not in (page := fetch_any(base + "people/")) and time.monotonic() < deadline + 120:
            time.sleep(0.2)
        assert "Amina K." in page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output


def fetch_any(url: str) -> str:
    """The page at ``url``, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8")


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_until(url: str, ready: Callable[[str], bool], timeout: float = 120) -> str:
    """The page at ``url`` once ``ready`` holds for it (a rebuild under a loaded CI machine)."""
    deadline = time.monotonic() + timeout
    while not ready(page := fetch(url)):
        assert time.monotonic() < deadline, f"{url} never got there"
        time.sleep(0.05)
    return page


def test_serve_rebuilds_every_language_in_place(tmp_path: Path) -> None:
    """A preview rebuild shows the main language first and builds the others behind it, keeps the pages
    whose inputs did not change and rewrites the site in place: whatever it keeps, every page of every
    language is the one a full build would make, when it is asked for."""
    project = make_project(tmp_path / "p")
    testimony = project / "stories/people/yusuf-d/cafe.md"  # no English translation: shown in French in both
    person = project / "stories/people/yusuf-d/index.md"
    original, about = testimony.read_text(encoding="utf-8"), person.read_text(encoding="utf-8")
    server, port = serve(project)
    base = f"http://127.0.0.1:{port}/"
    try:
        first = fetch(base + "products/cafe/")
        epoch = int(re.search(r"livereload\((\d+),", first)[1])
        with ThreadPoolExecutor(1) as pool:  # a browser's live-reload poll, answered once a rebuild is shown
            reload = pool.submit(lambda: fetch(f"{base}livereload/{epoch}/1"))
            for run in range(3):  # again and again: pages kept from one rebuild to the next stay right
                sentence = f"Le café numéro {run} du matin."
                testimony.write_text(f"{original}\n{sentence}\n", encoding="utf-8")
                wait_until(base + "products/cafe/", lambda page, s=sentence: s in page)
                for url in ("en/products/cafe/", "people/yusuf-d/", "en/people/yusuf-d/"):  # no waiting here:
                    assert sentence in fetch(base + url), url  # a page of a language still building waits for it
                assert f"Le café numéro {run - 1} du matin." not in fetch(base + "en/products/cafe/")
            assert int(reload.result(timeout=120)) > epoch

        testimony.write_text("---\nrating: 9\n---\nTrop.\n", encoding="utf-8")
        problem = "stories/people/yusuf-d/cafe.md:2: rating doit être un nombre entier de 1 à 5"
        assert 'class="vt-problems"' in wait_until(base + "products/savon/", lambda page: problem in page)
        for url in ("en/products/savon/", "about/", "en/", "people/amina-k/"):  # every page, every language
            assert problem in fetch(base + url), url
        testimony.write_text(original, encoding="utf-8")  # fixed: the banner goes, everywhere
        wait_until(base + "products/savon/", lambda page: problem not in page)
        for url in ("en/products/savon/", "about/", "en/", "people/amina-k/", "products/cafe/"):
            page = fetch(base + url)
            assert problem not in page and "Le café numéro" not in page, url

        person.write_text(about.replace("consent:", "x_consent:"), encoding="utf-8")  # left out: their pages go
        deadline = time.monotonic() + 120
        while status(base + "people/yusuf-d/") != 404 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert status(base + "people/yusuf-d/") == 404 and status(base + "en/people/yusuf-d/") == 404
        assert "Yusuf D." not in fetch(base + "people/") and "Yusuf D." not in fetch(base + "en/people/")
        person.write_text(about, encoding="utf-8")  # and back
        assert "Yusuf réparait" in wait_until(base + "people/yusuf-d/", lambda page: "Yusuf réparait" in page)
        assert "Yusuf réparait" in fetch(base + "en/people/yusuf-d/") and "Yusuf D." in fetch(base + "en/people/")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output and "code 500" not in output, output
