"""`make site` swaps the new site in only when the whole build succeeded: a
failed build (bad content) leaves the site/ already there untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, make_project


def make_site(project: Path) -> subprocess.CompletedProcess[str]:
    """The repository's own `make site` recipe, run in ``project`` with this venv (-o: no venv rebuild)."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(["make", "site", f"BIN={bin_dir}", "STAMP=.stamp", "-o", ".stamp"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}  # fmt: skip


def test_a_failed_build_leaves_the_site_untouched(tmp_path: Path) -> None:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    project = make_project(tmp_path / "project")
    for name in ("Makefile", "mkdocs.en.yml"):
        shutil.copy(ROOT / name, project)
    # The fixture holds a person without consent: a warning, which --strict refuses. Take it out first.
    shutil.rmtree(project / "stories" / "people" / "sans-accord")
    first = make_site(project)
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(project / "site")
    assert "index.html" in before and "en/index.html" in before

    (project / "stories" / "people" / "amina-k" / "savon.md").write_text("---\nrating: 9\n---\n", encoding="utf-8")
    second = make_site(project)
    log = second.stdout + second.stderr
    assert second.returncode != 0
    assert "stories/people/amina-k/savon.md:2: rating doit être un nombre entier de 1 à 5" in log
    assert "Traceback" not in log
    assert snapshot(project / "site") == before
    assert not list(project.glob(".vitrine-build-*"))


# --- the machine fails the build: a full disk, a read-only project, a kill ---------------------------------------


def vitrine_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(Path(sys.executable).parent / "vitrine"), "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


@pytest.fixture
def mounted(tmp_path: Path):
    """A small tmpfs of this test's own (root may mount one here; CI may not let it: then skipped)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(folder)],
                      capture_output=True).returncode:  # fmt: skip
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def campaign_in(folder: Path) -> Path:
    project = make_project(folder / "project")
    (project / "vitrine").unlink()  # the engine from this venv, not through a link into the repository
    shutil.rmtree(project / "stories/people/sans-accord")
    return project


def test_a_full_disk_says_so_in_one_line_and_keeps_the_site(mounted: Path) -> None:
    project = campaign_in(mounted)
    assert vitrine_build(project).returncode == 0
    before = snapshot(project / "site")
    free = shutil.disk_usage(mounted).free
    (mounted / "filler").write_bytes(bytes(free - 1_500_000))  # 1.5 MB left: less than a site
    (project / "stories/people/amina-k/savon.md").write_text("---\nrating: 2\n---\nUsé.\n", encoding="utf-8")
    result = vitrine_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    failed = "vitrine build : la construction a échoué, site/ n'a pas changé. le disque est plein ("
    assert last.startswith(failed), last
    assert "No space left on device" in last and "libérez de la place" in last
    assert snapshot(project / "site") == before
    assert not list(project.glob(".vitrine-build-*"))
    (mounted / "filler").unlink()
    assert vitrine_build(project).returncode == 0  # room again: the next build is whole


def test_a_read_only_project_says_so_in_one_line(mounted: Path, tmp_path: Path) -> None:
    project = campaign_in(mounted)
    assert vitrine_build(project).returncode == 0
    before = snapshot(project / "site")
    view = tmp_path / "read-only"
    view.mkdir()
    subprocess.run(["mount", "--bind", "-o", "ro", str(project), str(view)], check=True)
    try:
        result = vitrine_build(view)
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "un dossier ne peut pas être écrit (" in last and "Read-only file system" in last, last
    assert snapshot(project / "site") == before


def test_a_build_killed_at_any_moment_then_rebuilt_equals_a_clean_build(tmp_path: Path) -> None:
    """SIGKILL, to the whole process group (workers included), at moments told by the build's own progress: a
    cold build's first photo encoded, its private site folder made, its press kit written, its copies compressed.
    The next build makes the very site a clean build makes."""
    project = campaign_in(tmp_path)
    moments: list[Callable[[list[str]], bool]] = [
        lambda said: any(p.is_file() for p in (project / ".cache/vitrine/images").rglob("*.webp")),
        lambda said: any(project.glob(".vitrine-build-*/index.html")),
        lambda said: any(line.startswith("Vitrine, dossier de presse : zip") for line in said),
        lambda said: any(line.startswith("Vitrine a précompressé") for line in said),
    ]
    for number, reached in enumerate(moments):
        process = subprocess.Popen([str(Path(sys.executable).parent / "vitrine"), "build"], cwd=project,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        said: list[str] = []
        reader = threading.Thread(target=said.extend, args=(process.stderr,), daemon=True)
        reader.start()
        while not reached(said) and process.poll() is None:
            time.sleep(0.002)
        assert process.poll() is None, f"the build ended before moment {number}: {said}"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert vitrine_build(project).returncode == 0
    assert not list(project.glob(".vitrine-build-*"))
    after_kills = snapshot(project / "site")
    shutil.rmtree(project / "site")
    shutil.rmtree(project / ".cache")  # a clean build, in the same folder (a PDF built elsewhere differs)
    assert vitrine_build(project).returncode == 0
    assert after_kills == snapshot(project / "site")
