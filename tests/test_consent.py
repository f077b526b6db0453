"""The people on the page (issue 21): a consent with a scope, and nothing of a person left where they said no.

Real builds of the fixture campaign. Each case starts from the same campaign, built once with Amina consented
and translated into English (her page, cards, photos, press kit, search index, precompressed copies, the cache
all hold her), changes her consent as an editor would, builds again, then searches every file of ``site/`` and
of ``.cache/`` (compressed copies opened, the ZIP's members, the PDF's text) for what must be gone."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project, mkdocs

from vitrine.build import traces
from vitrine.build.engine import CACHE
from vitrine.cli import scaffold
from vitrine.core.errors import Severity
from vitrine.read.document import read_document
from vitrine.read.load import load
from vitrine.read.markup import renderer

AMINA = "stories/people/amina-k"
ENGLISH = """---
name: Amina K.
photo_alt: Illustrated portrait on an ochre background
origin: Sudan
occupation: primary school teacher
---

Amina taught eight-year-old children in Khartoum before the war.
"""
SHE_SAYS = "se laver, c'était redevenir quelqu'un."  # her testimony about soap: kept when her story is withheld


def build(project: Path) -> None:
    result = mkdocs(project, "build")  # not strict: the fixture holds a person without consent
    assert result.returncode == 0, result.stderr


def edit(project: Path, old: str, new: str) -> None:
    index = project / AMINA / "index.md"
    text = index.read_text(encoding="utf-8")
    assert old in text
    index.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("consent") / "p")
    (project / AMINA / "index.en.md").write_text(ENGLISH, encoding="utf-8")
    build(project)
    return project


def fresh(published: Path, tmp_path: Path) -> Path:
    """A copy of the published campaign, its site and its cache: the next build finds what the last one left."""
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    return project


def leaks(project: Path, needles: traces.Needles, addresses: bool = True) -> list[str]:
    found = traces.search([project / "site"], needles, addresses) + traces.search([project / CACHE], needles, False)
    return [f"{t.file.relative_to(project)} {t.member} {t.what}" for t in found]


def life_story(project: Path) -> set[str]:
    """The sentences of her life story, French and English (not her testimonies)."""
    found: set[str] = set()
    for name in ("index.md", "index.en.md"):
        doc, _ = read_document(project / AMINA / name, name)
        assert doc is not None
        found |= traces.sentences(renderer()(doc.body))
    assert len(found) == 3
    return found


def her_page(project: Path) -> str:
    return traces.normal(traces.plain((project / "site/people/amina-k/index.html").read_text(encoding="utf-8")))


def test_the_published_campaign_holds_every_part_of_her(published: Path) -> None:
    """The searches below can fail: before any change, each finds her everywhere."""
    photo = traces.published(published / "site", "amina-k")
    assert len(photo) >= 5  # variants and the card
    for needles in (traces.Needles(hashes=photo), traces.Needles(names=frozenset({"soudan", "sudan"})),
                    traces.Needles(names=frozenset({"institutrice", "primary school teacher"})),
                    traces.of_bundle(published / AMINA, "amina-k")):  # fmt: skip
        found = leaks(published, needles)
        assert any(f.startswith("site/") for f in found) and any(f.startswith(".cache/") for f in found), needles
    assert any(".zip" in f and "picture" in f for f in leaks(published, traces.Needles(hashes=photo)))
    assert any(".pdf" in f for f in leaks(published, traces.Needles(names=frozenset({"amina k."}))))


@pytest.mark.parametrize("part", ["photo", "origin", "occupation", "story"])
def test_a_withheld_part_is_nowhere_and_the_rest_is_published(published: Path, tmp_path: Path, part: str) -> None:
    project = fresh(published, tmp_path)
    alt = frozenset({"portrait illustré sur fond ocre", "illustrated portrait on an ochre background"})
    gone = {
        "photo": traces.Needles(hashes=traces.published(project / "site", "amina-k"), sentences=alt),
        "origin": traces.Needles(names=frozenset({"soudan", "sudan"})),
        "occupation": traces.Needles(names=frozenset({"institutrice", "primary school teacher"})),
        "story": traces.Needles(sentences=frozenset(life_story(project))),
    }[part]
    assert gone.names or gone.sentences or gone.hashes
    edit(project, "consent: 2026-05-02\n", f"consent: 2026-05-02\nwithhold: [{part}]\n")
    build(project)
    assert leaks(project, gone, addresses=False) == []
    page = her_page(project)
    assert "amina k." in page and SHE_SAYS in page  # she and her testimonies are published
    kept = {"photo": "soudan", "origin": "institutrice", "occupation": "elle a traversé trois pays", "story": "soudan"}
    assert kept[part] in page  # the rest of what she gave too
    if part == "photo":
        assert not list((project / "site").glob("**/img/people/amina-k"))


def test_a_held_person_leaves_the_site_and_the_cache(published: Path, tmp_path: Path) -> None:
    project = fresh(published, tmp_path)
    needles = traces.of_bundle(project / AMINA, "amina-k") | traces.Needles(
        hashes=traces.published(project / "site", "amina-k"))  # fmt: skip
    edit(project, "consent: 2026-05-02\n", "consent: 2026-05-02\nconsent_until: 2026-06-01\n")
    build(project)
    assert leaks(project, needles) == []
    assert (project / "site/people/yusuf-d/index.html").is_file()


def test_a_name_with_more_than_an_initial_is_a_warning_unless_chosen(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    for name in ("Amina Khalil", "Amina Al-Hassan", "Amina K. N'Diaye"):
        edit(project, next(line for line in (project / AMINA / "index.md").read_text().splitlines()
                           if line.startswith("name:")), f"name: {name}")  # fmt: skip
        names = [p for p in load(project).problems if "full name" in str(p)]
        assert [(p.path, p.line, p.severity) for p in names] == [(f"{AMINA}/index.md", 2, Severity.WARNING)], name
    edit(project, "name: Amina K. N'Diaye", "name: Amina Khalil")
    assert "Khalil" not in str(names[0])  # the message never repeats the name: build logs are kept
    edit(project, "name: Amina Khalil", "name: Amina Khalil\nfull_name: true")
    assert not [p for p in load(project).problems if "full name" in str(p)]
    assert not [p for p in load(project, kind="makers").problems if "full name" in str(p)]
    for name in ("Amina", "Amina K", "Jean-Pierre M.", "Amina J.-P.", "Amina (exemple)"):
        edit(project, next(line for line in (project / AMINA / "index.md").read_text().splitlines()
                           if line.startswith("name:")), f"name: {name}")  # fmt: skip
        assert not [p for p in load(project).problems if "full name" in str(p)], name


def test_a_withheld_part_is_checked_like_any_key(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    edit(project, "consent: 2026-05-02\n", "consent: 2026-05-02\nwithhold: [photo, surname]\nfull_name: maybe\n")
    problems = [str(p) for p in load(project).problems if p.severity == Severity.ERROR]
    assert f"{AMINA}/index.md:4: withhold[2] must be a list of parts not to publish, among photo, origin, " \
           "occupation, story" in problems  # fmt: skip
    assert f"{AMINA}/index.md:5: full_name must be true or false" in problems


def test_a_person_removed_by_hand_leaves_nothing(published: Path, tmp_path: Path) -> None:
    project = fresh(published, tmp_path)
    needles = traces.of_bundle(project / AMINA, "amina-k") | traces.Needles(
        hashes=traces.published(project / "site", "amina-k"))  # fmt: skip
    shutil.rmtree(project / AMINA)
    build(project)
    assert leaks(project, needles) == []


# --- vitrine withdraw ---------------------------------------------------------------------------------------

MARKET = """---
title: Marché solidaire
start: 2026-06-20
place: Halle aux grains, Toulouse
people: [amina-k, yusuf-d]
---

Venez nous voir.
"""


def vitrine(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "VITRINE_LANGUAGE": "en"}
    return subprocess.run([str(Path(sys.executable).parent / "vitrine"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def test_withdraw_moves_them_out_builds_proves_and_lists_what_to_purge(published: Path, tmp_path: Path) -> None:
    project = fresh(published, tmp_path)
    (project / "stories/events").mkdir()
    (project / "stories/events/marche.md").write_text(MARKET, encoding="utf-8")
    needles = traces.of_bundle(project / AMINA, "amina-k") | traces.Needles(
        hashes=traces.published(project / "site", "amina-k"))  # fmt: skip
    result = vitrine("withdraw", "amina-k", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "withdrawn/amina-k/index.md").is_file() and not (project / AMINA).exists()
    assert leaks(project, needles) == []  # the test's own search, not only the command's
    assert "No file of site/ or of the cache holds amina-k any more" in result.stdout
    assert "Withdrawn on " in result.stdout and "published since 2026-05-02" in result.stdout
    purge = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]
    base = "https://ce-qui-nous-a-tenus.example.org/"
    for address in ("people/amina-k/", "en/people/amina-k/", "products/savon/", "products/bache/", "people/",
                    "img/cards/people/amina-k.jpg", "img/people/amina-k/portrait-240.webp", "sitemap.xml",
                    "search/search_index.json", "press/ce-qui-nous-a-tenus-dossier-de-presse.pdf",
                    "press/ce-qui-nous-a-tenus-photos.zip", "en/press/what-kept-us-going-press-kit.pdf"):  # fmt: skip
        assert base + address in purge, address
    assert base + "products/cafe/" not in purge  # yusuf's alone: untouched
    assert "held: person 'amina-k' was withdrawn" in (project / ".cache/vitrine/build.log").read_text()
    assert (project / "site/events/index.html").is_file()  # the event stays, without her


def test_withdraw_refuses_what_it_cannot_do_and_changes_nothing(published: Path, tmp_path: Path) -> None:
    project = fresh(published, tmp_path)
    (project / "stories/events").mkdir()
    (project / "stories/events/marche.md").write_text(MARKET, encoding="utf-8")
    deleted = vitrine("withdraw", "amina-k", "--delete", cwd=project)
    assert deleted.returncode == 1
    assert "stories/events/marche.md:5: names amina-k: remove the line before deleting them" in deleted.stderr
    unknown = vitrine("withdraw", "amina", cwd=project)
    assert unknown.returncode == 1 and "no person 'amina'" in unknown.stderr
    assert (project / AMINA / "index.md").is_file() and not (project / "withdrawn").exists()
    (project / "stories/events/marche.md").unlink()
    gone = vitrine("withdraw", "amina-k", "--delete", cwd=project)
    assert gone.returncode == 0, gone.stderr
    assert not (project / AMINA).exists() and not (project / "withdrawn").exists()


def test_withdraw_fails_and_says_why_while_another_build_holds_the_cache(published: Path, tmp_path: Path) -> None:
    project = fresh(published, tmp_path)
    needles = traces.of_bundle(project / AMINA, "amina-k") | traces.Needles(
        hashes=traces.published(project / "site", "amina-k"))  # fmt: skip
    holder = subprocess.Popen([sys.executable, "-c", (  # a preview, say: no build sweeps what it may use
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_SH); "
        "print('holding', flush=True); time.sleep(600)"), str(project / CACHE / "lock")],
        stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        result = vitrine("withdraw", "amina-k", cwd=project)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert (
        "traces of amina-k are left" in result.stderr and "another build (a preview?) held the cache" in result.stderr
    )
    left = result.stderr.split("traces of amina-k are left:\n")[1].splitlines()
    listed = [line for line in left if line.startswith("  ")]
    assert listed and all(line.startswith("  .cache/vitrine/") for line in listed)  # the site is clean already
    assert "Withdrawn on" not in result.stdout  # no purge list without the proof
    build(project)  # alone: the sweep takes the rest
    assert leaks(project, needles) == []


# --- vitrine consent: the register ----------------------------------------------------------------------------


def test_the_register_says_who_is_published_held_and_withdrawn_and_stays_private(
    published: Path, tmp_path: Path
) -> None:
    project = fresh(published, tmp_path)
    edit(project, "consent: 2026-05-02\n", "consent: 2026-05-02\nconsent_until: 2030-01-01\nwithhold: [origin]\n")
    (project / "withdrawn/zoe-t").mkdir(parents=True)
    (project / "withdrawn/zoe-t/index.md").write_text("---\nname: Zoé T.\n---\n\nPartie.\n", encoding="utf-8")
    build(project)
    result = vitrine("consent", cwd=project)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((project / "consent-register.csv").open(encoding="utf-8")))
    by = {row["person"]: row for row in rows}
    assert list(by) == ["amina-k", "sans-accord", "yusuf-d", "zoe-t"]
    amina = by["amina-k"]
    assert (amina["name"], amina["status"], amina["since"], amina["until"], amina["withheld"]) == (
        "Amina K.",
        "published",
        "2026-05-02",
        "2030-01-01",
        "origin",
    )
    pages = amina["pages"].split()
    for page in ("/people/amina-k/", "/en/people/amina-k/", "/products/savon/", "/img/cards/people/amina-k.jpg",
                 "/press/ce-qui-nous-a-tenus-photos.zip", "/sitemap.xml", "/search/search_index.json"):  # fmt: skip
        assert page in pages, page
    assert "/products/cafe/" not in pages  # Yusuf's and Sans Accord's product, not hers
    assert by["sans-accord"]["status"] == "held" and "no consent written yet" in by["sans-accord"]["reason"]
    assert by["sans-accord"]["pages"] == ""
    assert (by["zoe-t"]["name"], by["zoe-t"]["status"]) == ("Zoé T.", "withdrawn")
    assert "amina-k (Amina K.): published since 2026-05-02 until 2030-01-01" in result.stdout
    # Nothing of the register reaches the site or the cache, even built again beside it.
    build(project)
    register = traces.Needles(
        names=frozenset({"sans accord", "zoé t."}),
        sentences=frozenset({"person,name,status,since,until,withheld,reason,pages"}),
        hashes=traces.hashes([project / "consent-register.csv"]),
    )
    assert leaks(project, register) == []
    assert leaks(published, traces.Needles(names=frozenset({"yusuf d."})))  # the search can find a name there


# --- vitrine new: the guide and the forms -------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "language"), [("charity", "fr"), ("charity", "en"), ("makers", "fr"),
                                                ("makers", "en"), ("charity", "de")])  # fmt: skip
def test_a_new_campaign_has_its_consent_guide_and_form_outside_docs(tmp_path: Path, kind: str, language: str) -> None:
    target = tmp_path / "c"
    scaffold.new(target, kind=kind, name="Campagne", language=language)
    form = target / "consent" / ("formulaire.md" if language == "fr" else "form.md")
    guide = target / "consent/guide.md"
    text = form.read_text(encoding="utf-8")
    keys = {"name", "photo", "consent", "consent_until", "withhold", "story"}
    keys |= {"origin", "occupation", "full_name", "lang"} if kind == "charity" else {"craft", "workshop", "since"}
    assert {key for key in keys if f"`{key}`" not in text} == set()  # its fields are the contract's keys
    assert "signature" in text.casefold() and not scaffold.WORD.search(text)  # every word filled in
    assert guide.is_file() == (kind == "charity")  # the makers' form is lighter, and has no guide
    if guide.is_file():
        said = guide.read_text(encoding="utf-8")
        assert all(word in said for word in ("vitrine withdraw", "consent_until", "6", "9", "17", "withhold"))
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert f"]({form.relative_to(target).as_posix()})" in readme
    assert not list((target / "docs").rglob("*consent*")) and not list((target / "docs").rglob("*form*"))
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    ignored = subprocess.run(["git", "-C", str(target), "check-ignore", "withdrawn/amina-k/index.md",
                              "consent-register.csv", "consent/guide.md"], capture_output=True, text=True)  # fmt: skip
    assert ignored.stdout.split() == ["withdrawn/amina-k/index.md", "consent-register.csv"]
