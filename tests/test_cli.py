"""The `vitrine` command: new, check, build (interrupted, concurrent), schema; and the installed wheel.

Real commands in subprocesses, on real campaigns; the wheel is installed into a fresh virtual
environment and builds a new campaign from outside this repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, make_project

from vitrine.build import publish
from vitrine.cli import scaffold
from vitrine.read import json_schemas

BIN = Path(sys.executable).parent
SIM = Path(__file__).parent / "sim"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def vitrine(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "vitrine"), *args], cwd=cwd, env=env or ENV, capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def html_snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def whole(site: Path) -> bool:
    pdf = site / "press/ce-qui-nous-a-tenus-dossier-de-presse.pdf"
    return (site / "index.html").is_file() and (site / "en/index.html").is_file() and pdf.is_file() \
        and pdf.read_bytes().rstrip().endswith(b"%%EOF")  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The good fixture, without its unconsented person (a warning --strict refuses)."""
    folder = make_project(tmp_path / "campaign")
    shutil.copy(ROOT / "mkdocs.en.yml", folder)
    shutil.rmtree(folder / "stories/people/sans-accord")
    return folder


# --- vitrine new --------------------------------------------------------------------------------------------


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = vitrine("new", str(target))
    assert result.returncode != 0 and "n'est pas vide" in result.stderr  # said in the default language, French
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_a_new_campaign_builds_strictly_on_a_machine_without_harfbuzz_subset(tmp_path: Path) -> None:
    result = vitrine("new", "ma-campagne", "--organisation", "Asso: du coin", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    campaign = tmp_path / "ma-campagne"
    for name in ("mkdocs.yml", "hooks.py", "README.md", "Makefile", ".gitignore", "requirements.txt",
                 ".github/workflows/pages.yml", ".gitlab-ci.yml", "overrides/README.md", "docs/index.md",
                 "docs/about.md", "docs/press/release.md", "schemas/person.schema.json"):  # fmt: skip
        assert (campaign / name).is_file(), name
    assert len((campaign / "hooks.py").read_text().strip().splitlines()) <= 3
    story = (campaign / "stories/people/exemple-amina/index.md").read_text(encoding="utf-8")
    assert story.splitlines()[1] == "# yaml-language-server: $schema=../../../schemas/person.schema.json"
    assert vitrine("check", "--strict", cwd=campaign).returncode == 0
    env = {**ENV, "PYTHONPATH": str(SIM / "no-harfbuzz-subset")}
    build = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=campaign, env=env, capture_output=True,
                           text=True, timeout=600)  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert "INFO    -  Vitrine, dossier de presse : cette machine n'a pas libharfbuzz-subset0" in build.stderr
    assert "WARNING" not in build.stderr  # a hint about the machine, not a content problem
    site = campaign / "site"
    product = BeautifulSoup((site / "products/exemple-bache/index.html").read_text(), "html.parser")
    assert product.h1.get_text(strip=True) == "Bâche (exemple)"
    assert product.select_one('.vt-review a[href$="people/exemple-amina/"]')
    person = BeautifulSoup((site / "people/exemple-amina/index.html").read_text(), "html.parser")
    assert person.h1.get_text(strip=True) == "Amina (exemple)"
    assert any(site.glob("press/*.pdf")) and any(site.glob("press/*.zip"))


def test_a_new_makers_campaign_builds_strictly_at_once(tmp_path: Path) -> None:
    result = vitrine("new", "nos-ateliers", "--kind", "makers", "--organisation", "Les Ateliers", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    campaign = tmp_path / "nos-ateliers"
    assert vitrine("check", "--strict", cwd=campaign).returncode == 0
    build = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=campaign, env=ENV, capture_output=True,
                           text=True, timeout=600)  # fmt: skip
    assert build.returncode == 0, build.stderr
    site = campaign / "site"
    product = BeautifulSoup((site / "products/exemple-bol/index.html").read_text(), "html.parser")
    assert product.select(".vt-buy a") and not product.select(".vt-stars, .vt-give")
    assert product.select_one('.vt-review a[href$="people/exemple-maelle/"]')
    assert (site / "events/index.html").is_file() and (site / "events.ics").is_file()
    assert not (site / "wishlist").exists() and not (site / "donate").exists()
    assert any(site.glob("press/*.pdf")) and any(site.glob("press/*.zip"))


@pytest.mark.parametrize("kind", ["charity", "makers"])
def test_a_new_english_campaign_is_in_english_and_builds_strictly_at_once(tmp_path: Path, kind: str) -> None:
    result = vitrine("new", "our-campaign", "--kind", kind, "--language", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    campaign = tmp_path / "our-campaign"
    texts = {p.relative_to(campaign).as_posix(): p.read_text(encoding="utf-8") for p in campaign.rglob("*")
             if p.is_file() and p.suffix in (".md", ".yml", "") and "schemas" not in p.parts}  # fmt: skip
    assert "Makefile" in texts and "README.md" in texts and ".gitignore" in texts
    for name, text in texts.items():  # no French left: not a word of the examples, the comments or messages
        assert not re.search(r"exemple|remplacer|Prénom|\b(?:les|des|une|avec|dans|pour)\b", text, re.IGNORECASE), name
    assert "Installing Vitrine and its libraries" in texts["Makefile"]
    assert "https://github.com/" not in texts["README.md"] and "Vitrine 0.1.0" in texts["README.md"]
    assert "*Example to replace" in texts["docs/index.md"]
    build = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=campaign, env=ENV, capture_output=True,
                           text=True, timeout=600)  # fmt: skip
    assert build.returncode == 0, build.stderr
    site = campaign / "site"
    assert BeautifulSoup((site / "index.html").read_text(), "html.parser").html["lang"] == "en"
    product = BeautifulSoup((site / "products/example-soap/index.html").read_text(), "html.parser")
    assert product.h1.get_text(strip=True) == "Soap (example)"
    assert product.select_one('.vt-review a[href$="people/example-maelle/"]' if kind == "makers"
                              else '.vt-review a[href$="people/example-youssef/"]')  # fmt: skip
    assert any(site.glob("press/*.pdf"))


def test_a_language_without_its_own_files_gets_the_english_ones(tmp_path: Path) -> None:
    scaffold.new(tmp_path / "kampagne", language="de")
    settings = yaml.safe_load((tmp_path / "kampagne/mkdocs.yml").read_text(encoding="utf-8"))
    assert settings["theme"]["language"] == "de" and settings["extra"]["campaign"]["language"] == "de"
    assert settings["extra"]["campaign"]["organisation"] == "My organisation"
    assert (tmp_path / "kampagne/stories/people/example-amina/index.md").is_file()
    scaffold.new(tmp_path / "campanha", language="pt-BR")  # a regional variant the theme has: English files
    assert (tmp_path / "campanha/stories/people/example-amina/index.md").is_file()
    settings = yaml.safe_load((tmp_path / "campanha/mkdocs.yml").read_text(encoding="utf-8"))
    assert settings["theme"]["language"] == "pt-BR"


LONG_NAME = ("Fonds: « d'hiver » #1 [x](y) *z* _w_ <b>&amp; {{ t }} {% if %} !ENV 'q' \"d\" | > @ % ` ~ "
             "2027-01-01 yes ")  # fmt: skip
LONG_NAME = (LONG_NAME * 5)[:199] + "é"  # 200 characters: the most a name takes


@pytest.mark.parametrize(("kind", "language", "name", "organisation"), [
    ("charity", "fr", "yes", "null"),  # YAML 1.1 (MkDocs) would read a boolean and nothing
    ("makers", "en", LONG_NAME, "no"),
    ("charity", "ar", "حملة الشتاء: ٢٠٢٧", "~"),
    ("makers", "zh-Hant", "冬季活動 #2027", "2027-01-01"),
    ("charity", "pt-BR", "", "on"),  # the name from the folder's
])  # fmt: skip
def test_every_accepted_input_builds_strictly_at_once(
    tmp_path: Path, kind: str, language: str, name: str, organisation: str
) -> None:
    """Issue 17: --name yes, --organisation null, --language xx… were written and did not build."""
    result = vitrine("new", "ma-campagne", "--kind", kind, "--language", language, "--name", name,
                     "--organisation", organisation, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    campaign = tmp_path / "ma-campagne"
    settings = yaml.safe_load((campaign / "mkdocs.yml").read_text(encoding="utf-8"))  # as MkDocs reads it
    name = name or "Ma campagne"
    assert settings["site_name"] == settings["extra"]["campaign"]["name"] == name
    assert settings["copyright"] == settings["extra"]["campaign"]["organisation"] == organisation
    assert settings["theme"]["language"] == settings["extra"]["campaign"]["language"] == language
    build = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=campaign, env=ENV, capture_output=True,
                           text=True, timeout=600)  # fmt: skip
    assert build.returncode == 0, build.stderr
    home = BeautifulSoup((campaign / "site/index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["lang"].split("-")[0] == language.split("-")[0]  # Material's own code (pt for pt-BR)
    assert name in home.title.get_text()
    release = (campaign / "docs/press/release.md").read_text(encoding="utf-8").splitlines()[0]
    press = BeautifulSoup((campaign / "site/press/index.html").read_text(encoding="utf-8"), "html.parser")
    assert release.startswith("# ") and name in press.get_text()  # the release's title, its Markdown marks escaped


REFUSED = {  # option -> the line said, in French (the default language; a language that is none: English)
    ("--language", "xx"): "--language 'xx' is not a language the site's theme has: e.g. fr, en, de, ar or pt-BR",
    ("--language", 'fr" x: y'): "--language 'fr\" x: y' n'est pas un code de langue comme fr, en ou pt-BR",
    ("--language", "fr-CA"): "(vouliez-vous dire fr ?)",
    ("--name", "   "): "--name est vide",
    ("--name", "x" * 500): "--name fait 500 caractères : gardez-en 200 au plus",
    ("--organisation", "Asso\nsur deux lignes"): "--organisation contient un saut de ligne",
    ("--name", "A\u2028B"): "--name contient un saut de ligne",
}


@pytest.mark.parametrize(("option", "value"), list(REFUSED))
def test_new_refuses_an_option_that_would_not_build_and_writes_nothing(tmp_path: Path, option: str,
                                                                       value: str) -> None:  # fmt: skip
    result = vitrine("new", "campagne", option, value, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert REFUSED[option, value] in line and line.endswith(("(rien n'a été écrit)", "(nothing was written)"))
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_a_folder_it_cannot_make_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "lien").symlink_to("nulle-part")
    (tmp_path / "fichier").write_text("")
    for folder, said in (("f" * 300, "un nom de dossier tient ici en 255 octets au plus, et celui-ci en fait 300"),
                         (f"a/{'f' * 300}/b", "et celui-ci en fait 300"),
                         ("lien", "lien est un lien symbolique vers nulle-part, qui n'existe pas"),
                         ("fichier", "fichier est un fichier, pas un dossier"),
                         ("fichier/dessous", "impossible d'écrire fichier/dessous"),
                         ("g" * 250, "le nom du dossier donne un nom de campagne de 250 caractères")):  # fmt: skip
        result = vitrine("new", folder, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert said in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fichier", "lien"]


def test_a_campaign_that_cannot_be_written_whole_leaves_nothing(tmp_path: Path) -> None:
    """A disk that fills up halfway (a file size limit here): one line, and no half campaign left behind."""
    limited = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
               "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000)); from vitrine.cli.main import main; "
               "sys.argv = ['vitrine', 'new', 'a/b/campagne']; main()")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", limited], cwd=tmp_path, env=ENV, capture_output=True, text=True,
                            timeout=600)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "impossible d'écrire a/b/campagne" in result.stderr and "(rien n'a été écrit)" in result.stderr
    assert list(tmp_path.iterdir()) == []  # a/ and a/b/ were made by it: removed too
    (tmp_path / "vide").mkdir()  # an empty folder asked for stays, empty
    result = subprocess.run([sys.executable, "-c", limited.replace("a/b/campagne", "vide")], cwd=tmp_path, env=ENV,
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 1 and list((tmp_path / "vide").iterdir()) == []


def test_every_language_the_theme_has_makes_settings_that_read_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vitrine.read.settings import read_settings

    monkeypatch.setenv("VITRINE_REQUIREMENT", "vitrine")  # no wheel to write 67 times
    languages = sorted(lang for lang in scaffold.theme_languages() if scaffold._babel_knows(lang))
    assert {"fr", "en", "ar", "pt-BR", "zh-Hant"} <= set(languages) and len(languages) > 60
    for language in languages:
        campaign = tmp_path / language
        scaffold.new(campaign, language=language, name="on", organisation="off")
        config = yaml.safe_load((campaign / "mkdocs.yml").read_text(encoding="utf-8"))
        assert config["theme"]["language"] == language and config["extra"]["campaign"]["name"] == "on"
        settings, problems = read_settings(campaign / "mkdocs.yml", config["extra"]["campaign"], campaign / "docs",
                                           language, lambda lang: lang in scaffold.theme_languages())  # fmt: skip
        assert settings is not None and not problems, (language, problems)


@pytest.mark.parametrize("language", scaffold.LANGUAGES)
@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_every_placeholder_listed_is_where_it_says(tmp_path: Path, kind: str, language: str) -> None:
    """placeholders.yml, which the go-live check reads, lists values a new campaign really holds."""
    campaign = tmp_path / "c"
    scaffold.new(campaign, kind=kind, language=language)
    entries = yaml.safe_load(scaffold.PLACEHOLDERS.read_text(encoding="utf-8"))
    assert set(scaffold.LANGUAGES) <= {lang for entry in entries for lang in entry["value"]}
    mine = [entry for entry in entries if kind in entry.get("kinds", scaffold.KINDS)]
    assert {"site_url", "extra.campaign.tagline", "extra.campaign.press.contacts.0.email"} <= {
        entry.get("key") for entry in mine}  # fmt: skip
    for entry in mine:
        value, text = entry["value"][language], (campaign / entry["file"]).read_text(encoding="utf-8")
        assert value in text, (entry["file"], value)
        if "key" in entry:
            found = yaml.safe_load(text)
            for part in entry["key"].split("."):
                found = found[int(part)] if isinstance(found, list) else found[part]
            assert found == value, entry["key"]


# --- vitrine check ------------------------------------------------------------------------------------------


def test_check_reports_every_problem_without_building(project: Path) -> None:
    (project / "stories/people/amina-k/savon.md").write_text("---\nrating: 9\n---\n", encoding="utf-8")
    (project / "stories/people/amina-k/savonn.md").write_text("---\nrating: 4\n---\n", encoding="utf-8")
    result = vitrine("check", cwd=project)
    assert result.returncode == 1
    assert "ERREUR: stories/people/amina-k/savon.md:2: rating doit être un nombre entier de 1 à 5" in result.stderr
    assert "stories/people/amina-k/savonn.md:1: produit inconnu 'savonn'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists() and not (project / ".cache").exists()  # nothing encoded or written


def test_check_fails_on_warnings_only_when_strict_and_never_on_holds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")  # with a person without consent: held back, never a failure
    relaxed, strict = vitrine("check", str(project)), vitrine("check", "--strict", str(project))
    assert relaxed.returncode == 0 and strict.returncode == 0
    assert "EN ATTENTE: stories/people/sans-accord/index.md:1: en attente : pas encore de consentement" in strict.stderr
    assert "1 contenu en attente" in strict.stderr.splitlines()[-1]
    (project / "stories/people/amina-k/notes.txt").write_text("à relire")  # an unknown file: a warning
    relaxed, strict = vitrine("check", str(project)), vitrine("check", "--strict", str(project))
    assert relaxed.returncode == 0 and strict.returncode == 1
    assert "AVERTISSEMENT: stories/people/amina-k/notes.txt: fichier inconnu" in strict.stderr


def test_check_passes_on_the_demo() -> None:
    result = vitrine("check", "--strict")
    assert result.returncode == 0, result.stderr


def test_the_pre_commit_hook_runs_check() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["entry"].startswith("vitrine check") and hooks[0]["pass_filenames"] is False


# --- vitrine schema -----------------------------------------------------------------------------------------


def test_schemas_in_the_repository_are_those_the_checker_uses() -> None:
    for kind in json_schemas.KINDS:
        assert (ROOT / "schemas" / json_schemas.file_name(kind)).read_text() == json_schemas.render(kind), kind
    testimony = json.loads(vitrine("schema", "testimony").stdout)
    assert testimony["properties"]["rating"]["maximum"] == 5 and testimony["additionalProperties"] is False


# --- vitrine build: whole or untouched ------------------------------------------------------------------------


def test_build_refuses_bad_content_and_keeps_the_site(project: Path) -> None:
    assert vitrine("build", cwd=project).returncode == 0
    before = html_snapshot(project / "site")
    (project / "stories/people/amina-k/savon.md").write_text("---\nrating: 9\n---\n", encoding="utf-8")
    result = vitrine("build", cwd=project)
    assert result.returncode != 0 and "savon.md:2: rating doit être" in result.stderr
    assert "site/ n'a pas changé" in result.stderr
    assert html_snapshot(project / "site") == before


# The moments of a build, by the line it prints then: planned (its first notice), the first language's pages and
# press kit written, the other languages built and the copies compressed, the new site swapped in.
MOMENTS = ("À SAVOIR: ", "Vitrine, dossier de presse : zip", "Vitrine a précompressé", "vitrine build : site construit")


def test_ctrl_c_at_any_moment_leaves_the_old_site_or_the_new_one(project: Path) -> None:
    """A terminal's Ctrl-C (SIGINT to the whole foreground group) at each moment of a build, told by the build's
    own progress lines: site/ is always whole, the old one or the new one, and no private folder is left."""
    assert vitrine("build", cwd=project).returncode == 0
    old = html_snapshot(project / "site")
    testimony = project / "stories/people/amina-k/savon.md"
    testimony.write_text(testimony.read_text(encoding="utf-8").replace("title:", "title: Nouveau"), encoding="utf-8")
    seen = []
    for moment in MOMENTS:
        process = subprocess.Popen([str(BIN / "vitrine"), "build"], cwd=project, env=ENV, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        said = []
        for line in process.stderr:
            said.append(line)
            if line.startswith(moment):
                os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
                break
        said += process.communicate(timeout=120)[1].splitlines(keepends=True)
        assert any(line.startswith(moment) for line in said), f"the build never said {moment!r}: {said}"
        site = project / "site"
        assert site.is_dir() and whole(site), f"after Ctrl-C at {moment!r}"
        seen.append(html_snapshot(site))
        assert not list(project.glob(".vitrine-build-*")), "the interrupted build's folder is removed"
    assert vitrine("build", cwd=project).returncode == 0
    new = html_snapshot(project / "site")
    assert new != old
    assert all(snapshot in (old, new) for snapshot in seen)
    assert seen[0] == old  # stopped before any page: the old site


def test_two_builds_at_once_both_end_whole(project: Path) -> None:
    runs = [subprocess.Popen([str(BIN / "vitrine"), "build"], cwd=project, env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert all("Traceback" not in err for _, err in outputs)
    assert whole(project / "site")
    assert not list(project.glob(".vitrine-build-*"))


def test_a_site_made_by_another_build_meanwhile_is_swapped_not_an_error(tmp_path: Path) -> None:
    """Two builds that finish together with no site/ yet: the second finds one the first just put there
    (it used to look first, then rename onto the new non-empty site/: OSError, exit 1, seen once in CI)."""
    first, second, site = tmp_path / "first", tmp_path / "second", tmp_path / "site"
    for folder in (first, second):
        folder.mkdir()
        (folder / "index.html").write_text(folder.name, encoding="utf-8")
    publish.swap_in(first, site)
    assert not first.exists() and (site / "index.html").read_text(encoding="utf-8") == "first"
    publish.swap_in(second, site)  # tries the rename first, then exchanges: no look-then-act window
    assert (site / "index.html").read_text(encoding="utf-8") == "second"
    assert (second / "index.html").read_text(encoding="utf-8") == "first"  # the old site, for the caller to remove


def test_a_ctrl_c_while_the_old_site_is_removed_still_removes_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the swap, the old site's thousands of files are removed; a Ctrl-C then (seen once in CI, a
    terminal's Ctrl-C reaching the whole process group just as the build ended) left half of them behind."""
    folder = tmp_path / ".vitrine-build-1-site"
    for i in range(100):
        (folder / f"d{i}").mkdir(parents=True)
        for j in range(100):
            (folder / f"d{i}" / f"{j}.html").write_bytes(b"x")

    real_rmtree, pressed = shutil.rmtree, []

    def rmtree_with_ctrl_c(path: Path, **options: object) -> None:  # a terminal's Ctrl-C and a `kill` mid-removal
        for sig in (signal.SIGINT, signal.SIGTERM):
            os.kill(os.getpid(), sig)
            pressed.append(sig)
        real_rmtree(path, **options)

    monkeypatch.setattr(shutil, "rmtree", rmtree_with_ctrl_c)
    publish._remove(folder)
    assert pressed and not folder.exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl-C works again after it


def test_without_pango_one_line_says_what_to_install(project: Path) -> None:
    assert vitrine("build", cwd=project).returncode == 0
    before = html_snapshot(project / "site")
    result = vitrine("build", cwd=project, env={**ENV, "PYTHONPATH": str(SIM / "no-pango")})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "libpango-1.0-0 libpangoft2-1.0-0" in line]
    assert len(lines) == 1
    assert lines[0].startswith("ERREUR: mkdocs.yml: le PDF du dossier de presse a besoin de la bibliothèque Pango")
    assert html_snapshot(project / "site") == before


# --- the wheel ------------------------------------------------------------------------------------------------


def test_the_wheel_carries_the_engine_and_builds_a_new_campaign_from_anywhere(tmp_path: Path) -> None:
    subprocess.run([str(BIN / "pip"), "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)],
                   check=True, timeout=300)  # fmt: skip
    wheel = next((tmp_path / "dist").glob("vitrine-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("vitrine/theme/vitrine/product.html", "vitrine/theme/assets/vitrine/vitrine.css",
                   "vitrine/templates/kit.html", "vitrine/fonts/NotoSans-Regular.ttf",
                   "vitrine/scaffold/common/dot-gitignore", "vitrine/scaffold/fr/charity/mkdocs.yml",
                   "vitrine/scaffold/en/makers/mkdocs.yml", "vitrine/scaffold/placeholders.yml",
                   "vitrine/scaffold/words.yml", "vitrine/data/france-departments.json"):  # fmt: skip
        assert needed in names, needed
    assert not any(name.startswith(("tests/", "stories/")) for name in names)
    # A fresh environment: the wheel itself, and this environment's libraries as plain paths (no
    # editable Vitrine), so what builds is what the wheel carries.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "--no-deps", "--quiet", str(wheel)], check=True, timeout=300)
    purelib = subprocess.run([str(venv / "bin/python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    ours = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    Path(purelib, "deps.pth").write_text(ours + "\n")
    env = {**ENV, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    made = subprocess.run(["vitrine", "new", "my-campaign"], cwd=outside, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    campaign = outside / "my-campaign"
    where = subprocess.run([str(venv / "bin/python"), "-c", "import vitrine; print(vitrine.__file__)"], cwd=campaign,
                           env=env, capture_output=True, text=True).stdout  # fmt: skip
    assert where.startswith(purelib), where
    build = subprocess.run([str(venv / "bin/python"), "-m", "mkdocs", "build", "--strict"], cwd=campaign, env=env,
                           capture_output=True, text=True, timeout=600)  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert (campaign / "site/products/exemple-savon/index.html").is_file()
    assert (campaign / "site/people/exemple-youssef/index.html").is_file()
