"""Deploying a new campaign as written: its requirements.txt, its deploy files, its Makefile.

The whole path is real: a Vitrine installed with pip from a folder, that folder and that Vitrine then
deleted; the campaign it made, edited as an editor would, committed to git and cloned; then the deploy files'
own commands (read from the files) run in the clone with real make, pip and builds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from PIL import Image, ImageDraw

from vitrine.cli import origin, scaffold
from vitrine.core import assets

BIN = Path(sys.executable).parent
COMMON = scaffold.SOURCE / scaffold.COMMON
GITHUB = COMMON / "dot-github/workflows/pages.yml"
GITLAB = COMMON / "dot-gitlab-ci.yml"
WHEEL = "vitrine-0.1.0-py3-none-any.whl"

# --- where Vitrine comes from -----------------------------------------------------------------------------


@pytest.mark.parametrize(("direct_url", "expected"), [
    (None, "vitrine==0.1.0"),  # an index: pip wrote no direct_url.json
    ({"url": "https://git.example.net/org/vitrine.git", "vcs_info": {"vcs": "git", "commit_id": "ab12cd",
      "requested_revision": "main"}}, "vitrine @ git+https://git.example.net/org/vitrine.git@ab12cd"),
    ({"url": "ssh://git@git.example.net/org/vitrine.git", "vcs_info": {"vcs": "git", "commit_id": "ab12cd"}},
     "vitrine @ git+ssh://git@git.example.net/org/vitrine.git@ab12cd"),
    ({"url": "https://git.example.net/org/mono.git", "subdirectory": "engine",
      "vcs_info": {"vcs": "git", "commit_id": "ab12cd"}},
     "vitrine @ git+https://git.example.net/org/mono.git@ab12cd#subdirectory=engine"),
    ({"url": "file:///home/me/vitrine", "vcs_info": {"vcs": "git", "commit_id": "ab12cd"}}, None),  # a local repo
    ({"url": "file:///home/me/vitrine", "dir_info": {}}, None),  # a folder
    ({"url": "file:///home/me/vitrine", "dir_info": {"editable": True}}, None),  # an editable checkout
    ({"url": "file:///tmp/dist/vitrine-0.1.0-py3-none-any.whl", "archive_info": {}}, None),  # an archive
])  # fmt: skip
def test_the_requirement_names_what_another_machine_can_install(direct_url: dict | None, expected: str | None) -> None:
    assert origin.requirement_for(direct_url, "0.1.0") == expected


def test_this_editable_checkout_gives_a_campaign_its_own_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VITRINE_REQUIREMENT", raising=False)
    assert origin.requirement() is None
    scaffold.new(tmp_path / "c", language="en")
    assert (tmp_path / "c/requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == f"./vendor/{WHEEL}"
    assert (tmp_path / "c/vendor" / WHEEL).is_file()
    monkeypatch.setenv("VITRINE_REQUIREMENT", "vitrine==9.9")  # still overrides, and then no copy is carried
    scaffold.new(tmp_path / "d")
    assert (tmp_path / "d/requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == "vitrine==9.9"
    assert not (tmp_path / "d/vendor").exists()


def test_the_wheel_is_a_valid_wheel_of_the_running_vitrine(tmp_path: Path) -> None:
    wheel = origin.write_wheel(tmp_path / "a")
    assert wheel.name == WHEEL
    assert wheel.read_bytes() == origin.write_wheel(tmp_path / "b").read_bytes()  # the same bytes: git keeps one
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = "vitrine-0.1.0.dist-info"
        assert {f"{info}/METADATA", f"{info}/WHEEL", f"{info}/RECORD", f"{info}/entry_points.txt"} <= set(names)
        assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
        package = assets.PACKAGE
        assert {n for n in names if n.startswith("vitrine/")} == {
            f"vitrine/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip
        record = archive.read(f"{info}/RECORD").decode().splitlines()
        assert sorted(line.split(",")[0] for line in record) == sorted(names)  # every file, once
        for line in record:
            name, digest, size = line.rsplit(",", 2)
            if name.endswith("RECORD"):
                assert digest == size == ""
                continue
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={expected}" and int(size) == len(data), name
        assert "Root-Is-Purelib: true" in archive.read(f"{info}/WHEEL").decode()
        assert "vitrine = vitrine.cli.main:main" in archive.read(f"{info}/entry_points.txt").decode()
        metadata = archive.read(f"{info}/METADATA").decode()
        assert "Version: 0.1.0" in metadata and "Requires-Dist: weasyprint" in metadata


# --- the deploy files ---------------------------------------------------------------------------------------


def test_the_deploy_files_pass_their_hosts_schemas() -> None:
    for schema, path in (("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", GITLAB)):
        result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_files_build_daily_and_keep_their_caches() -> None:
    github = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    on = github[True]  # YAML 1.1 reads the key `on` as a boolean
    assert on["schedule"][0]["cron"].endswith("* * *") and "push" in on
    steps = github["jobs"]["build"]["steps"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip" and python["with"]["cache-dependency-path"] == "requirements.txt"
    caches = {s["with"]["path"]: s["with"] for s in steps if s.get("uses", "").startswith("actions/cache")}
    assert "github.run_id" in caches[".cache"]["key"] and caches[".cache"]["restore-keys"] == "vitrine-"
    assert "hashFiles('requirements.txt', 'vendor/*.whl')" in caches[".venv"]["key"]  # a new Vitrine: a new .venv/
    assert "python-version" in caches[".venv"]["key"]
    assert [s["run"] for s in steps if "run" in s][-1].startswith("make site")
    pages = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["pages"]
    assert any('$CI_PIPELINE_SOURCE == "schedule"' in rule["if"] for rule in pages["rules"])
    assert pages["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"
    assert pages["cache"]["paths"] == [".cache/", ".venv/"]
    assert pages["script"][0].startswith("make site")
    for commands in ([s["run"] for s in steps if "run" in s], pages["before_script"]):
        assert commands[0].startswith("dpkg -s libpango-1.0-0")  # Pango installed only when missing


# --- a campaign deployed as written -------------------------------------------------------------------------


def _clean_env(home: Path) -> dict[str, str]:
    """This machine's environment as a fresh runner has it: no virtual environment, no outer make, CI set;
    a `sudo` that just runs its arguments (tests run as root, as GitLab's jobs do)."""
    shim = home / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
    (shim / "sudo").chmod(0o755)
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VITRINE_REQUIREMENT",
            "NO_MKDOCS_2_WARNING", "SOURCE_DATE_EPOCH")  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key not in drop}
    path = [p for p in env["PATH"].split(os.pathsep) if p and not (Path(p) / "activate").exists()]
    env["PATH"] = os.pathsep.join([str(shim), *path])
    env["CI"] = "true"
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = "Claire M.", "claire@abri-du-port.fr"
    return env


def _made_by_a_vitrine_that_is_gone(tmp: Path, env: dict[str, str]) -> Path:
    """A campaign made by a Vitrine that pip installed from a folder; the folder and that Vitrine are then
    deleted and the campaign moved: nothing of this machine's Vitrine can be reached from it any more."""
    source = tmp / "vitrine-source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "vitrine", source / "vitrine", ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp / "vitrine-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin/pip"), "install", "--no-deps", "--quiet", str(source)], check=True, timeout=300,
                   capture_output=True)  # fmt: skip
    # Vitrine's libraries from this test's environment, as plain paths: `--system-site-packages` would give
    # the base interpreter's, not this environment's. Vitrine itself is the one just installed, found first.
    ours = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    purelib = next((venv / "lib").glob("python3*/site-packages"))
    (purelib / "deps.pth").write_text(ours + "\n")
    direct = json.loads(next(purelib.glob("vitrine-*.dist-info/direct_url.json")).read_text())
    assert direct["url"] == source.as_uri() and "editable" not in direct.get("dir_info", {})
    made = subprocess.run([str(venv / "bin/vitrine"), "new", "abri-du-port"], cwd=tmp, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert made.returncode == 0, made.stderr
    shutil.rmtree(source)
    shutil.rmtree(venv)
    (tmp / "elsewhere").mkdir()
    return Path(shutil.move(tmp / "abri-du-port", tmp / "elsewhere/abri-du-port"))


def _edit_like_an_editor(campaign: Path) -> None:
    """Replace every placeholder placeholders.yml lists and the exemple-… stories with a story of our own."""
    real = {
        "site_url": "https://dons.abri-du-port.fr/",
        "site_description": "Les objets qui ont compté pour les personnes accueillies à l'Abri du port.",
        "extra.campaign.organisation": "Abri du port",
        "extra.campaign.tagline": "Une couverture, une nuit au chaud : ce qu'un objet ordinaire change.",
        "extra.campaign.about": "L'Abri du port accueille chaque nuit vingt personnes sans logement, à Sète.",
        "extra.campaign.donate.url": "https://dons.abri-du-port.fr/donner",
        "extra.campaign.press.contacts.0.name": "Claire M.",
        "extra.campaign.press.contacts.0.email": "presse@abri-du-port.fr",
    }
    entries = yaml.safe_load(scaffold.PLACEHOLDERS.read_text(encoding="utf-8"))
    settings = campaign / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    for entry in sorted((e for e in entries if e.get("key")), key=lambda e: -len(e["value"]["fr"])):
        value = entry["value"]["fr"]  # longest first: https://example.org/ is the start of the donation link
        if value in text:
            text = text.replace(value, real[entry["key"]])
    settings.write_text(text, encoding="utf-8")
    for entry in entries:
        if "key" not in entry:
            page = campaign / entry["file"]
            title = "# Communiqué : l'Abri du port lance sa campagne\n\n" if "press" in entry["file"] else ""
            page.write_text(f"{title}L'Abri du port accueille vingt personnes chaque nuit.\n", encoding="utf-8")
    for folder in (campaign / "stories/people", campaign / "stories/products"):
        shutil.rmtree(folder)
    product = campaign / "stories/products/couverture"
    person = campaign / "stories/people/fatou-d"
    product.mkdir(parents=True)
    person.mkdir(parents=True)
    picture = Image.new("RGB", (1200, 900), "#d9c7a7")
    ImageDraw.Draw(picture).rectangle([300, 300, 900, 600], fill="#7a3b2e")
    picture.save(product / "couverture.jpg", quality=85)
    (product / "index.md").write_text("---\ntitle: Couverture\nimages:\n  - src: couverture.jpg\n    alt: Une "
                                      "couverture pliée, brun-rouge\nneeded: 60\ncollected: 20\nprice: 15\n---\n\n"
                                      "Une couverture de laine.\n", encoding="utf-8")  # fmt: skip
    (person / "index.md").write_text("---\nname: Fatou D.\nconsent: 2026-03-01\norigin: Guinée\n---\n\nFatou est "
                                     "arrivée à Sète en janvier.\n", encoding="utf-8")  # fmt: skip
    (person / "couverture.md").write_text("---\nrating: 5\ntitle: La première nuit au chaud\ndate: 2026-02-10\n---\n\n"
                                          "Je l'ai gardée sur moi toute la nuit.\n", encoding="utf-8")  # fmt: skip
    values = json.dumps(yaml.safe_load(settings.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "example." not in values and "exemple" not in values.lower() and "Prénom" not in values
    for path in [*campaign.glob("docs/**/*.md"), *campaign.glob("stories/**/*.md")]:
        assert "xemple" not in path.read_text(encoding="utf-8"), path


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=900)  # fmt: skip


def _github(runner: Path, env: dict[str, str]) -> tuple[int, str]:
    """The workflow's `run:` steps in order, each in its own bash as GitHub runs them (`uses:` steps skipped:
    setup-python's Python and pip cache are this machine's own, the checkout is the clone)."""
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    output = ""
    for step in workflow["jobs"]["build"]["steps"]:
        if "run" in step:
            result = _run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], runner,
                          {**env, "GITHUB_WORKSPACE": str(runner), **step.get("env", {})})  # fmt: skip
            output += result.stdout
            if result.returncode:
                return result.returncode, output
    return 0, output


def _gitlab(runner: Path, env: dict[str, str]) -> tuple[int, str]:
    """The job's `before_script:` and `script:` in one shell, with its `variables:` expanded, as GitLab does."""
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["pages"]
    env = {**env, "CI_PROJECT_DIR": str(runner), "GITLAB_CI": "true"}
    for name, value in job.get("variables", {}).items():
        env[name] = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m[1], ""), str(value))
    script = "\n".join(["set -eo pipefail", *job["before_script"], *job["script"]])
    result = _run(["bash", "--noprofile", "--norc", "-c", script], runner, env)
    return result.returncode, result.stdout


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, float]]:
    """The campaign cloned once per host and deployed by that host's file: {host: (clone, output, seconds)}."""
    tmp = tmp_path_factory.mktemp("deploy")
    env = _clean_env(tmp)
    campaign = _made_by_a_vitrine_that_is_gone(tmp, env)
    requirements = (campaign / "requirements.txt").read_text(encoding="utf-8")
    assert requirements.splitlines()[-1] == f"./vendor/{WHEEL}" and "file:" not in requirements
    assert str(tmp) not in requirements
    _edit_like_an_editor(campaign)
    # A user-wide ignore file that drops wheels, as some have: the campaign's .gitignore keeps its own.
    (tmp / "global-ignore").write_text("*.whl\n")
    (tmp / "gitconfig").write_text(f"[core]\n\texcludesFile = {tmp / 'global-ignore'}\n")
    env["GIT_CONFIG_GLOBAL"] = str(tmp / "gitconfig")
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "Go live"]):
        subprocess.run(command, cwd=campaign, env=env, check=True, timeout=60)
    tracked = subprocess.run(["git", "ls-files"], cwd=campaign, capture_output=True, text=True, check=True).stdout
    assert f"vendor/{WHEEL}" in tracked.splitlines() and ".venv" not in tracked
    # pip's cache, shared by the two runs as each host restores it: GitHub's setup-python into pip's default
    # folder, GitLab into .cache/pip (the job's PIP_CACHE_DIR).
    pip_cache = subprocess.run(["python3", "-m", "pip", "cache", "dir"], env=env, capture_output=True, text=True,
                               check=True).stdout.strip()  # fmt: skip
    results = {}
    for host, deploy in (("github", _github), ("gitlab", _gitlab)):
        runner = tmp / f"runner-{host}"
        subprocess.run(["git", "clone", "-q", str(campaign), str(runner)], env=env, check=True, timeout=60)
        if host == "gitlab":
            (runner / ".cache").mkdir()
            (runner / ".cache/pip").symlink_to(pip_cache)
        started = time.monotonic()
        code, output = deploy(runner, env)
        assert code == 0, output[-4000:]
        results[host] = (runner, output, time.monotonic() - started)
    # GitHub again, as its next run: a fresh checkout at the same place, the paths its cache steps name
    # restored from the first run, one testimony edited and pushed.
    runner = results["github"][0]
    first = runner.rename(runner.with_name("runner-github-first"))
    testimony = campaign / "stories/people/fatou-d/couverture.md"
    testimony.write_text(testimony.read_text(encoding="utf-8").replace("au chaud", "au chaud, enfin"), "utf-8")
    subprocess.run(["git", "commit", "-qam", "A title"], cwd=campaign, env=env, check=True, timeout=60)
    subprocess.run(["git", "clone", "-q", str(campaign), str(runner)], env=env, check=True, timeout=60)
    steps = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    for path in (s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/cache")):
        shutil.copytree(first / path, runner / path, symlinks=True)
    started = time.monotonic()
    code, output = _github(runner, env)
    assert code == 0, output[-4000:]
    results["github-again"] = (runner, output, time.monotonic() - started)
    return results


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_a_new_campaign_deploys_as_written(deployed: dict[str, tuple[Path, str, float]], host: str) -> None:
    runner, output, seconds = deployed[host]
    print(f"{host}: {seconds:.0f} s")
    site = runner / ("public" if host == "gitlab" else "site")
    assert (site / "index.html").is_file()
    assert "gardée sur moi toute la nuit" in (site / "products/couverture/index.html").read_text(encoding="utf-8")
    assert (site / "people/fatou-d/index.html").is_file()
    pdfs = list(site.glob("press/*-dossier-de-presse.pdf"))  # the kit (the release alone beside it)
    assert len(pdfs) == 1 and pdfs[0].read_bytes().rstrip().endswith(b"%%EOF")
    # Quiet: one line for the whole installation, none of pip's, and Vitrine's own summary at the end.
    lines = [line for line in output.splitlines() if line.strip()]
    assert sum("Installation de Vitrine" in line for line in lines) == 1
    assert not any(re.search(r"Collecting|Requirement already|Successfully installed|is ignored", line)
                   for line in lines), output  # fmt: skip
    assert (runner / ".venv/install.log").read_text().count("Successfully installed") >= 1
    assert any(line.startswith("vitrine build : site construit dans site/ en ") for line in lines[-2:]), lines[-2:]


def test_the_next_deploy_takes_its_caches_and_installs_nothing(deployed: dict[str, tuple[Path, str, float]]) -> None:
    runner, output, seconds = deployed["github-again"]
    print(f"github, second run: {seconds:.1f} s (first: {deployed['github'][2]:.1f} s)")
    assert "Installation de Vitrine" not in output, output  # the cached .venv/ was taken as it is
    assert "La première nuit au chaud, enfin" in (runner / "site/products/couverture/index.html").read_text("utf-8")
    assert any(line.startswith("vitrine build : site construit dans site/") for line in output.splitlines())


def test_make_ends_with_vitrine_s_summary_not_make_s_error(deployed: dict[str, tuple[Path, str, float]]) -> None:
    runner = deployed["github"][0]
    env = _clean_env(runner.parent)
    testimony = runner / "stories/people/fatou-d/couverture.md"
    testimony.write_text(testimony.read_text(encoding="utf-8").replace("rating: 5", "rating: 9"), encoding="utf-8")
    failed = "la construction a échoué, site/ n'a pas changé"
    for target, summary in (("check", "vitrine check : 1 erreur"), ("site", failed)):
        result = _run(["make", target], runner, env)
        lines = result.stdout.strip().splitlines()
        assert result.returncode != 0, result.stdout  # `make site && rsync …` stops
        assert summary in lines[-1] and "make: ***" not in result.stdout, result.stdout
        assert any("couverture.md:2: rating doit être" in line for line in lines)
    # A Ctrl-C (the terminal's, to the whole group) while it builds: Vitrine's line, not make's "Interrupt".
    testimony.write_text(testimony.read_text(encoding="utf-8").replace("rating: 9", "rating: 4"), encoding="utf-8")
    process = subprocess.Popen(["make", "site"], cwd=runner, env=env, start_new_session=True, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGINT)
    output = process.communicate(timeout=120)[0]
    assert process.returncode != 0 and "make: ***" not in output, output
    assert output.strip().splitlines()[-1] == "vitrine build : interrompu ; site/ n'a pas changé", output
    testimony.write_text(testimony.read_text(encoding="utf-8").replace("rating: 4", "rating: 9"), encoding="utf-8")
    shell = subprocess.run(["bash", "-c", "make site && echo published"], cwd=runner, env=env, capture_output=True,
                           text=True, timeout=300)  # fmt: skip
    assert shell.returncode != 0 and "published" not in shell.stdout
    # An installation that fails: the end of pip's log and where the whole log is, no make line either.
    (runner / "requirements.txt").write_text("./vendor/vitrine-0.0.0-py3-none-any.whl\n", encoding="utf-8")
    result = _run(["make", "site"], runner, env)
    assert result.returncode != 0 and "make: ***" not in result.stdout
    lines = result.stdout.strip().splitlines()
    assert "vitrine-0.0.0-py3-none-any.whl" in result.stdout and ".venv/install.log" in lines[-1]
    assert lines[-1].startswith("L'installation a échoué")
