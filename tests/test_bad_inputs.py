"""Broken and hostile content: every case in tests/fixtures/bad/ must produce
exactly the problems its expected.txt lists, as ``path:line: message`` lines,
and never a traceback.

A case is a folder holding only what differs from tests/fixtures/good/:

- ``stories/...``: files laid over a copy of the good stories;
- ``campaign.yml``: the ``extra.campaign`` settings of mkdocs.yml (line 4 of
  mkdocs.yml is its line 1);
- ``docs/...``: files laid over the project's docs/ (hand-written pages);
- ``setup.yml``: what git can't hold well: ``remove`` (paths), ``symlinks``
  (path: target), ``pad`` (path: size in bytes, a huge file made here),
  ``copy`` (path: from), ``fifos`` and ``folders`` (paths), ``repeat`` (path: [text, count]: a file of
  that text repeated), ``picture`` (path: [width, height, format]: a plain picture),
  ``env`` (variables, e.g. SOURCE_DATE_EPOCH), ``replace`` (text: text, in
  mkdocs.yml), ``build: true`` to also run a real ``mkdocs build --strict``
  and ``build_only: true`` when only a build can tell (docs/ images), ``makers: true`` to lay the case over
  the makers demo's stories (``examples/makers/stories``) instead of the good fixture's (its campaign.yml
  then says ``kind: makers``);
- ``expected.txt``: the exact problem lines, besides the good fixture's own
  warning (a person without consent), in the order they are reported. Empty:
  the case must load without any problem.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import BAD_TIMINGS as TIMINGS
from conftest import FIXTURES, ROOT, make_project, mkdocs
from PIL import Image

from vitrine.build.check import check
from vitrine.core.errors import Problem
from vitrine.core.i18n import Translator
from vitrine.read.load import load
from vitrine.read.markup import renderer
from vitrine.read.settings import check_config, kind_and_stories, read_settings

BAD = FIXTURES / "bad"
MAKERS = ROOT / "examples" / "makers" / "stories"  # the base of a ``makers: true`` case
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())
EXTENSIONS = ["attr_list", "md_in_html", "admonition", "toc"]  # the site's (mkdocs.yml), as a build renders
BASELINE = ["stories/people/sans-accord/index.md:1: held: no consent written yet: this person and their testimonies "
            "are left out until a consent date is added"]  # fmt: skip


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


def stories(case: str, dest: Path, fifos: bool = True) -> Path:
    """The good stories with the case laid over them, in ``dest/stories``."""
    target = dest / "stories"
    steps = setup(case)
    shutil.copytree(MAKERS if steps.get("makers") else FIXTURES / "good" / "stories", target)
    overlay = BAD / case / "stories"
    if overlay.is_dir():
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    for rel, source in steps.get("copy", {}).items():
        shutil.copy(dest / source, dest / rel)
    for rel in steps.get("remove", []):
        (dest / rel).unlink()
    for rel, size in steps.get("pad", {}).items():
        (dest / rel).write_text("---\nrating: 3\n---\n\n" + "Il manquait toujours. " * (size // 22), encoding="utf-8")
    made(dest, steps, "stories/", fifos)
    return target


def made(dest: Path, steps: dict, under: str, fifos: bool = True) -> None:
    """The files of ``steps`` that git cannot hold well, those whose path starts with ``under``
    (FIFOs only with ``fifos``: they cannot be copied)."""
    for rel, goal in steps.get("symlinks", {}).items():
        if rel.startswith(under):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).unlink(missing_ok=True)
            (dest / rel).symlink_to(goal)
    for rel, (text, count) in steps.get("repeat", {}).items():
        if rel.startswith(under):
            (dest / rel).write_text(text * count, encoding="utf-8")
    for rel, (width, height, kind) in steps.get("picture", {}).items():
        if rel.startswith(under):
            Image.new("RGB", (width, height), (200, 120, 60)).save(dest / rel, kind)
    for rel in steps.get("fifos", []) if fifos else []:
        if rel.startswith(under):
            (dest / rel).unlink(missing_ok=True)
            os.mkfifo(dest / rel)
    for rel in steps.get("folders", []):
        if rel.startswith(under):
            (dest / rel).mkdir(parents=True)


def campaign(case: str) -> str | None:
    file = BAD / case / "campaign.yml"
    return file.read_text(encoding="utf-8") if file.is_file() else None


def config_of(case: str, settings: str) -> str:
    text = config_text(settings)
    for old, new in setup(case).get("replace", {}).items():
        text = text.replace(old, new)
    return text


def docs(case: str, dest: Path) -> Path:
    """The case's hand-written pages (only what it lays over docs/; the project's own are not needed here)."""
    target = dest / "docs"
    target.mkdir(exist_ok=True)
    if (BAD / case / "docs").is_dir():
        shutil.copytree(BAD / case / "docs", target, dirs_exist_ok=True)
    made(dest, setup(case), "docs/")
    return target


def material_knows(lang: str) -> bool:
    import material

    return (Path(material.__file__).parent / "templates/partials/languages" / f"{lang}.html").is_file()


def problems(case: str, tmp_path: Path) -> list[Problem]:
    """Every problem the loader reports for ``case`` (settings first, as a build logs them)."""
    found, kind, folder = [], "charity", "stories"
    if (settings := campaign(case)) is not None:
        config = tmp_path / "mkdocs.yml"
        config.write_text(config_of(case, settings), encoding="utf-8")
        found += check_config(config, tmp_path)  # what MkDocs itself could not read
        if not found:
            theme = yaml.safe_load(config.read_text(encoding="utf-8"))["theme"]
            raw = yaml.safe_load(settings)
            read, said = read_settings(config, raw, docs(case, tmp_path), theme["language"], material_knows)
            found += said
            kind, folder = (read.kind, read.stories) if read else kind_and_stories(raw, tmp_path, said)  # as a build
    stories(case, tmp_path)
    found += load(tmp_path, folder, render=renderer(EXTENSIONS), kind=kind).problems
    return [p for p in found if str(p) not in BASELINE]


def language(case: str) -> str:
    """The site's language in the case's mkdocs.yml: the language its build speaks."""
    config = yaml.load(config_of(case, campaign(case) or ""), Loader=yaml.BaseLoader)  # tags as text
    return str(config.get("theme", {}).get("language", "fr"))


def case_project(case: str, dest: Path) -> Path:
    """A whole project (as conftest.make_project) holding ``case``: its stories, docs and campaign."""
    stories(case, dest, fifos=False)
    project = make_project(dest / "project", stories=dest / "stories")
    made(project, {"fifos": setup(case).get("fifos", [])}, "stories/")
    if (settings := campaign(case)) is not None:
        (project / "mkdocs.yml").write_text(config_of(case, settings), encoding="utf-8")
    if (BAD / case / "docs").is_dir():
        shutil.copytree(BAD / case / "docs", project / "docs", dirs_exist_ok=True)
    made(project, setup(case), "docs/")
    return project


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 120
    assert sum(bool(setup(c).get("build") or setup(c).get("build_only")) for c in CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    steps = setup(case)
    for name, value in steps.get("env", {}).items():
        monkeypatch.setenv(name, str(value))
    started = time.perf_counter()
    found = problems(case, tmp_path) if not steps.get("build_only") else []
    if not steps.get("build_only"):
        assert [str(p) for p in found] == expected(case)
    timings = request.config.stash.setdefault(TIMINGS, {})
    timings[case] = time.perf_counter() - started
    if not (steps.get("build") or steps.get("build_only")):
        return
    # The same problems from a real, strict MkDocs build: it fails, says each in the campaign's language (French
    # for most cases: this repository's mkdocs.yml), and shows no traceback.
    if steps.get("build_only"):  # no loader's problems to say in French: read the build's in English
        monkeypatch.setenv("VITRINE_LANGUAGE", "en")
    project = case_project(case, tmp_path / "build")
    started = time.perf_counter()
    result = mkdocs(project, "build", "--strict")
    timings[f"{case} (mkdocs build)"] = time.perf_counter() - started
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "Traceback" not in log
    said = Translator(language(case))
    for line in [said.problem(p) for p in found] if found else expected(case):
        assert line in log
    assert not (project / "site").exists()  # nothing written: the content is checked before any page
    # `vitrine check` is the build's own validator: the very problems the build logged, none more, none less.
    if steps.get("build_only"):
        said = Translator("en")  # that build was read in English (above)
    checked = {said.problem(p) for p in check(project)}
    logged = {m[1] for m in re.finditer(r"(?m)^(?:ERROR|WARNING|INFO) +-  ([\w./-]+(?::\d+)?: .*)$", log)}
    assert checked == logged
