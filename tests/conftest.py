"""Shared test helpers: real projects built by real MkDocs, served on
127.0.0.1 and opened in Debian's Chromium through Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

# The demos and fixtures use example.org addresses on purpose: on a CI machine, whose CI variable makes every
# build a deploy build (vitrine.read.placeholders), they would be refused. Tests that mean a deploy set CI themselves;
# ON_CI keeps what it said, for the tests that fail there (and only skip elsewhere) when a tool is missing.
ON_CI = os.environ.pop("CI", "").strip().lower() not in ("", "0", "false", "no")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


BAD_TIMINGS = pytest.StashKey[dict]()  # test_bad_inputs: seconds each bad input took, shown at the end


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The slowest bad inputs (loader, and real builds): every one must finish within seconds."""
    timings = config.stash.get(BAD_TIMINGS, {})
    if not timings:
        return
    terminalreporter.section("slowest bad inputs")
    builds = {case: s for case, s in timings.items() if case.endswith("(mkdocs build)")}
    checks = {case: s for case, s in timings.items() if case not in builds}
    for kind, found in (("checked", checks), ("built", builds)):
        for case, seconds in sorted(found.items(), key=lambda item: -item[1])[:3]:
            terminalreporter.write_line(f"{kind:8} {seconds:6.2f} s  {case}")
    terminalreporter.write_line(f"{len(checks)} bad inputs checked, {len(builds)} of them built too")


def make_project(dest: Path, stories: Path | None = None, campaign: dict | None = None) -> Path:
    """A copy of this repository's site (mkdocs.yml, hooks, templates, docs) with
    another stories/ folder, as an outside campaign would have it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("hooks.py", "mkdocs.en.yml", "overrides", "docs"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    (dest / "vitrine").symlink_to(ROOT / "vitrine")
    shutil.copytree(stories or FIXTURES / "good" / "stories", dest / "stories", symlinks=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if campaign is not None:  # a settings test: the French build alone
        data = yaml.safe_load(config)
        data["extra"]["campaign"] = {key: value for key, value in campaign.items() if key != "translations"}
        config = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good fixture campaign, built once (not strict: it holds a person without consent)."""
    project = make_project(tmp_path_factory.mktemp("fixture"))
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own demo campaign, built strictly."""
    project = tmp_path_factory.mktemp("demo")
    site = project / "site"
    result = mkdocs(ROOT, "build", "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    rules: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.rules.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def header_rules(site: Path) -> dict[str, str]:
    """The headers ``site/_headers`` asks for on every page (as Netlify and Cloudflare Pages send them)."""
    lines = (site / "_headers").read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.strip().split(": ", 1) for line in lines if line.strip())


def serve(directory: Path, headers: bool = False) -> Iterator[str]:
    """``directory`` on 127.0.0.1, with its ``_headers`` rules on every response when ``headers`` (else none,
    as GitHub and GitLab Pages send)."""
    quiet = type("Served", (_Quiet,), {"rules": header_rules(directory) if headers else {}})
    handler = functools.partial(quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def fixture_url(fixture_site: Path) -> Iterator[str]:
    yield from serve(fixture_site)


@pytest.fixture(scope="session")
def demo_url(demo_site: Path) -> Iterator[str]:
    yield from serve(demo_site)


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        if ON_CI:
            pytest.fail("Debian's chromium is missing: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield instance
        instance.close()


MAKERS = ROOT / "examples" / "makers"
MAKERS_DAY = "1796083200"  # SOURCE_DATE_EPOCH of 2026-12-01: the demo's events are upcoming and past around it


@pytest.fixture(scope="session")
def makers_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The makers demo (examples/makers/), built strictly in French and English on 2026-12-01."""
    site = tmp_path_factory.mktemp("makers") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": MAKERS_DAY}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=MAKERS, env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def makers_url(makers_site: Path) -> Iterator[str]:
    yield from serve(makers_site)
