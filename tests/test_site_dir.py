"""Where a build may write: never over the campaign itself.

A build replaces its output folder whole (`vitrine build`) or empties it first (`mkdocs build`): it may only
be absent, empty, or a site a build wrote. `-d stories`, `-d docs`, `-d .`, `site_dir: stories` and the like
are refused with one line, and nothing is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the campaign, by its path (the site and the cache aside)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.relative_to(folder).parts[0] not in ("site", ".cache")
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = make_project(tmp_path / "campagne")
    shutil.rmtree(folder / "stories/people/sans-accord")
    (folder / ".git").mkdir()  # what `-d .` would have taken along
    (folder / ".git/HEAD").write_text("ref: refs/heads/main\n")
    return folder


@pytest.mark.parametrize("target", ["stories", "docs", ".", "..", "overrides", "docs/press", "stories/people",
                                    "notes"])  # fmt: skip
def test_vitrine_build_refuses_an_output_folder_that_holds_the_campaign(project: Path, target: str) -> None:
    (project / "notes").mkdir()
    (project / "notes/idées.txt").write_text("à garder")  # a folder of the editor's own
    before = snapshot(project.parent)
    result = run([str(BIN / "vitrine"), "build", "-d", target], project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ERREUR: {target} "), result.stderr
    assert snapshot(project.parent) == before  # nothing touched
    assert not list(project.parent.glob("**/.vitrine-build-*"))


def test_mkdocs_build_refuses_a_site_dir_that_holds_the_campaign(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text("site_dir: stories\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(project)
    result = run([sys.executable, "-m", "mkdocs", "build"], project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "mkdocs.yml: site_dir : stories holds the campaign's own files" not in result.stderr  # said in French:
    assert "site_dir : stories contient les fichiers de la campagne (stories/)" in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize("kind", ["symlink", "file"])
def test_a_site_that_is_a_link_or_a_file_is_refused(project: Path, tmp_path: Path, kind: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    if kind == "symlink":
        (project / "site").symlink_to(elsewhere, target_is_directory=True)
    else:
        (project / "site").write_text("not a folder")
    result = run([str(BIN / "vitrine"), "build"], project)
    assert result.returncode == 1 and result.stderr.startswith("ERREUR: site ")
    assert (elsewhere / "precious.txt").read_text() == "keep me"
    assert (project / "site").is_symlink() if kind == "symlink" else (project / "site").is_file()


def test_an_absent_an_empty_and_a_built_site_are_written(project: Path) -> None:
    (project / "public").mkdir()  # empty: taken
    assert run([str(BIN / "vitrine"), "build", "-d", "public"], project).returncode == 0
    assert (project / "public/.vitrine-site").is_file() and (project / "public/index.html").is_file()
    assert run([str(BIN / "vitrine"), "build", "-d", "public"], project).returncode == 0  # a site a build wrote
    (project / "public/.vitrine-site").unlink()  # a site from before the mark: known by its files
    assert run([str(BIN / "vitrine"), "build", "-d", "public"], project).returncode == 0
    result = run([sys.executable, "-m", "mkdocs", "build", "-d", "public"], project)  # the host's own build too
    assert result.returncode == 0, result.stderr
    assert (project / "public/.vitrine-site").is_file()
