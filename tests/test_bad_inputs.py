"""Broken and hostile content: every case in tests/fixtures/bad/ must produce
exactly the problems its expected.txt lists, as ``path:line: message`` lines,
and never a traceback.

A case is a folder holding only what differs from tests/fixtures/good/:

- ``stories/...``: files laid over a copy of the good stories;
- ``campaign.yml``: the ``extra.campaign`` settings of mkdocs.yml (line 4 of
  mkdocs.yml is its line 1);
- ``setup.yml``: what git can't hold well: ``remove`` (paths), ``symlinks``
  (path: target), ``pad`` (path: size in bytes, a huge file made here), and
  ``build: true`` to also run a real ``mkdocs build --strict``;
- ``expected.txt``: the exact problem lines, besides the good fixture's own
  warning (a person without consent), in the order they are reported. Empty:
  the case must load without any problem.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, make_project, mkdocs

from vitrine.load import load
from vitrine.settings import read_settings

BAD = FIXTURES / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())
BASELINE = ["stories/people/sans-accord/index.md:1: consent is missing: this person and their testimonies are left out"]


def setup(case: str) -> dict:
    file = BAD / case / "setup.yml"
    return yaml.safe_load(file.read_text(encoding="utf-8")) if file.is_file() else {}


def expected(case: str) -> list[str]:
    return [line for line in (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]


def config_text(campaign: str) -> str:
    """This repository's mkdocs.yml with ``extra`` first, holding ``campaign``:
    the campaign's line n is mkdocs.yml's line n + 3, whatever the rest holds."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?ms)^extra:\n.*?(?=^\S|\Z)", "", config)
    indented = "".join(f"    {line}\n" if line.strip() else "\n" for line in campaign.splitlines())
    return f"extra:\n  generator: false\n  campaign:\n{indented}{config}"


def stories(case: str, dest: Path) -> Path:
    """The good stories with the case laid over them, in ``dest/stories``."""
    target = dest / "stories"
    shutil.copytree(FIXTURES / "good" / "stories", target)
    overlay = BAD / case / "stories"
    if overlay.is_dir():
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    steps = setup(case)
    for rel in steps.get("remove", []):
        (dest / rel).unlink()
    for rel, goal in steps.get("symlinks", {}).items():
        (dest / rel).unlink(missing_ok=True)
        (dest / rel).symlink_to(goal)
    for rel, size in steps.get("pad", {}).items():
        (dest / rel).write_text("---\nrating: 3\n---\n\n" + "Il manquait toujours. " * (size // 22), encoding="utf-8")
    return target


def campaign(case: str) -> str | None:
    file = BAD / case / "campaign.yml"
    return file.read_text(encoding="utf-8") if file.is_file() else None


def problems(case: str, tmp_path: Path) -> list[str]:
    """Every problem line the loader reports for ``case`` (settings first, as a build logs them)."""
    found = []
    if (settings := campaign(case)) is not None:
        config = tmp_path / "mkdocs.yml"
        config.write_text(config_text(settings), encoding="utf-8")
        found += read_settings(config, yaml.safe_load(settings))[1]
    stories(case, tmp_path)
    found += load(tmp_path).problems
    return [str(p) for p in found if str(p) not in BASELINE]


def case_project(case: str, dest: Path) -> Path:
    """A whole project (as conftest.make_project) holding ``case``: its stories and campaign."""
    stories(case, dest)
    project = make_project(dest / "project", stories=dest / "stories")
    if (settings := campaign(case)) is not None:
        (project / "mkdocs.yml").write_text(config_text(settings), encoding="utf-8")
    return project


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 40
    assert sum(bool(setup(c).get("build")) for c in CASES) >= 5


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, tmp_path: Path) -> None:
    assert problems(case, tmp_path) == expected(case)
    if not setup(case).get("build"):
        return
    # The same problems from a real, strict MkDocs build: it fails, says each, and shows no traceback.
    project = case_project(case, tmp_path / "build")
    result = mkdocs(project, "build", "--strict")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "Traceback" not in log
    for line in expected(case):
        assert line in log
    assert not (project / "site").exists()  # nothing written: the content is checked before any page
