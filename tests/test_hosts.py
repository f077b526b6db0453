"""A second host: ProperDocs (a maintained fork of MkDocs 1.6) builds the demo to the same site as MkDocs,
the generator tag aside, and the adapter works with the host that runs it."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from conftest import ROOT

GENERATOR = re.compile(rb'\s*<meta name="generator" content="[^"]*">')


def test_properdocs_builds_the_same_site(demo_site: Path, tmp_path: Path) -> None:
    pytest.importorskip("properdocs")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml",
                             "--site-dir", str(site)], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert files == {p.relative_to(demo_site).as_posix() for p in demo_site.rglob("*") if p.is_file()}
    assert {"en/index.html", "en/products/savon/index.html", "press/ce-qui-nous-a-tenus-photos.zip"} <= files
    differ = []
    for name in sorted(files):
        ours, theirs = (site / name).read_bytes(), (demo_site / name).read_bytes()
        if name.endswith((".gz", ".br")):  # precompressed copies: compare what they hold
            unpack = gzip.decompress if name.endswith(".gz") else brotli.decompress
            ours, theirs, name = unpack(ours), unpack(theirs), name[:-3]
        if name.endswith(".html"):
            assert b"ProperDocs" in ours or name.endswith("404.html") or b'name="generator"' not in ours
            ours, theirs = GENERATOR.sub(b"", ours), GENERATOR.sub(b"", theirs)
        if ours != theirs:
            differ.append(name)
    assert differ == []


def test_adapter_takes_the_running_hosts_classes() -> None:
    """Under ProperDocs (which redirects `mkdocs.*` imports to itself, as its command does), the adapter's
    build function, files and logger are ProperDocs' own."""
    pytest.importorskip("properdocs")
    script = (
        "import properdocs.replacement\n"
        "from properdocs.config import load_config\n"
        "from vitrine.hosts.mkdocs import adapter as a\n"
        "config = load_config('mkdocs.yml')\n"
        "print(a.host(config, 'commands.build').__name__, a.logger(config).name)\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["properdocs.commands.build", "properdocs.plugins.vitrine"]
