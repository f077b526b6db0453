"""Publishing as a campaign's team lives it: holds never block a build, the build names the next day time alone
changes the site, a deploy build refuses the example campaign's placeholders, empty sections are not shown,
and the messages of one broken campaign read in French and in English.

Real `vitrine` commands on real campaigns; the sites they build are read as HTML.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import make_project

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01


def vitrine(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "vitrine"), *args], cwd=cwd, env={**ENV, **env}, capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def front(path: Path, **keys: str) -> None:
    """Set ``keys`` in the front matter of ``path`` (each replacing its line, or added after the first)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for key, value in keys.items():
        at = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        if at is None:
            lines.insert(1, f"{key}: {value}")
        else:
            lines[at] = f"{key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def held(tmp_path: Path) -> Path:
    """The good fixture with every kind of hold: no consent yet (its own), consent from a later day, a lapsed
    consent, and a press kit under an embargo that keeps it back, written as an unquoted date."""
    project = make_project(tmp_path / "held")
    front(project / "stories/people/yusuf-d/index.md", consent="2027-01-14")
    front(project / "stories/people/amina-k/index.md", consent="2025-01-01", consent_until="2026-11-30")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    embargo = "    press:\n      embargo: 2027-02-01\n      publish_before_embargo: false\n"
    text = text.replace("    press:\n", embargo, 1)
    config.write_text(text, encoding="utf-8")
    return project


def test_holds_never_fail_a_strict_build_and_are_counted_at_its_end(held: Path) -> None:
    result = vitrine("build", cwd=held)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for said in ("stories/people/sans-accord/index.md:1: en attente : pas encore de consentement écrit",
                 "stories/people/yusuf-d/index.md:3: en attente : le consentement commence le 2027-01-14 ; cette "
                 "personne et ses témoignages sont retirés du site (jusqu'au 2027-01-14)",
                 "stories/people/amina-k/index.md:2: en attente : le consentement a pris fin le 2026-11-30",
                 "mkdocs.yml: en attente : sous embargo, le PDF, les photos et le communiqué sont "
                 "retirés du site (jusqu'au 2027-02-01)"):  # fmt: skip
        assert any(said in line for line in lines), said
    assert lines[-2].startswith("vitrine build : site construit dans site/ en ")
    assert lines[-2].endswith("(0 erreur, 0 avertissement, 4 contenus en attente)")
    assert lines[-1] == ("Vitrine : le site change de lui-même le 14 janvier 2027 (le consentement de "
                         "stories/people/yusuf-d/index.md commence) : reconstruisez-le ce jour-là (une mise en "
                         "ligne automatique le fait chaque jour)")  # fmt: skip
    assert "Building documentation" not in result.stderr  # the host's own chatter is in the log file
    assert "Building documentation" in (held / ".cache/vitrine/build.log").read_text(encoding="utf-8")
    site = held / "site"
    assert not (site / "people/yusuf-d").exists() and not (site / "people/amina-k").exists()
    assert not any(site.glob("press/*.pdf"))
    check = vitrine("check", "--strict", cwd=held)
    assert check.returncode == 0 and "4 contenus en attente" in check.stderr.splitlines()[-1]


def test_a_lapsed_consent_goes_offline_with_a_strict_build(held: Path) -> None:
    """The change that matters most: someone's consent ends, and the next build takes them off the site."""
    front(held / "stories/people/amina-k/index.md", consent_until="2027-06-01")
    assert vitrine("build", cwd=held).returncode == 0
    assert (held / "site/people/amina-k/index.html").is_file()
    front(held / "stories/people/amina-k/index.md", consent_until="2026-12-01")  # lapses "today"
    result = vitrine("build", cwd=held)
    assert result.returncode == 0, result.stderr
    assert not (held / "site/people/amina-k").exists()
    assert "amina-k" not in (held / "site/products/savon/index.html").read_text(encoding="utf-8")


def test_the_next_change_is_the_soonest_of_consents_embargo_and_events(held: Path) -> None:
    (held / "stories/events").mkdir()
    (held / "stories/events/collecte.md").write_text("---\ntitle: Collecte\nstart: 2026-12-10\nend: 2026-12-12\n"
                                                     "place: Calais\n---\n\nApportez des chaussettes.\n")  # fmt: skip
    result = vitrine("build", cwd=held)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith(
        "Vitrine : le site change de lui-même le 13 décembre 2026 (le rendez-vous stories/events/collecte.md est passé)"
    )
    english = vitrine("build", cwd=held, VITRINE_LANGUAGE="en")
    assert english.stderr.splitlines()[-1].startswith(
        "Vitrine: the site changes by itself on December 13, 2026 (the event stories/events/collecte.md is over)"
    )


def test_a_deploy_build_refuses_the_example_campaign_and_a_local_one_builds_it(tmp_path: Path) -> None:
    made = vitrine("new", "campagne", "--organisation", "Refuge", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    campaign = tmp_path / "campagne"
    local = vitrine("build", cwd=campaign)
    assert local.returncode == 0, local.stderr
    assert "textes d'exemple de la nouvelle campagne sont encore là" in local.stderr
    before = sorted(p.relative_to(campaign / "site") for p in (campaign / "site").rglob("*"))
    deploy = vitrine("build", cwd=campaign, CI="true")
    assert deploy.returncode != 0
    refused = [line for line in deploy.stderr.splitlines() if line.startswith("AVERTISSEMENT: ")]
    said = "\n".join(refused)
    assert re.search(r"mkdocs\.yml:\d+: texte d'exemple 'https://example\.org/faire-un-don'", said), said
    assert re.search(r"mkdocs\.yml:\d+: texte d'exemple 'presse@example\.org'", said), said
    assert "stories/people/exemple-amina/index.md: un exemple de la nouvelle campagne" in said
    assert "stories/products/exemple-savon/index.md: un exemple de la nouvelle campagne" in said
    assert all(re.match(r"AVERTISSEMENT: [\w./-]+(:\d+)?: ", line) for line in refused)
    assert deploy.stderr.splitlines()[-1].startswith("vitrine build : la construction a échoué, site/ n'a pas changé")
    assert sorted(p.relative_to(campaign / "site") for p in (campaign / "site").rglob("*")) == before
    check = vitrine("check", "--publish", cwd=campaign)
    listed = [line for line in check.stderr.splitlines() if line.startswith("AVERTISSEMENT")]
    assert check.returncode == 1 and len(listed) == len(refused)


def test_an_empty_section_is_not_shown_and_a_notice_says_why(tmp_path: Path) -> None:
    project = make_project(tmp_path / "empty")
    shutil.rmtree(project / "stories/people")
    shutil.rmtree(project / "stories/products")
    result = vitrine("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "stories/people: personne n'est encore publié : la rubrique des personnes" in result.stderr
    assert "stories/products: pas encore de produit : la rubrique des produits, la liste de besoins" in result.stderr
    site = project / "site"
    for section in ("people", "products", "wishlist"):
        assert not (site / section / "index.html").exists(), section
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert "Témoignages" not in tabs and "Les produits" not in tabs and "Liste de besoins" not in tabs
    text = home.select_one("article").get_text(" ", strip=True)
    assert "0 produits" not in text and "0 unités" not in text and "Les personnes" not in text
    assert not [a["href"] for a in home.select("a[href]") if a["href"].rstrip("/").endswith(("people", "wishlist"))]
    donate = BeautifulSoup((site / "donate/index.html").read_text(encoding="utf-8"), "html.parser")
    assert not donate.select('a[href$="wishlist/"]')


def test_one_broken_campaign_says_the_same_problems_in_french_and_in_english(tmp_path: Path) -> None:
    project = make_project(tmp_path / "broken")
    shutil.rmtree(project / "stories/people/sans-accord")
    (project / "stories/people/amina-k/savon.md").write_text("---\nrating: 9\n---\nTrop.\n", encoding="utf-8")
    (project / "stories/people/amina-k/savonn.md").write_text("---\nrating: 4\n---\nHein.\n", encoding="utf-8")
    (project / "stories/people/amina-k/notes.txt").write_text("à relire", encoding="utf-8")
    front(project / "stories/people/yusuf-d/index.md", consent="2027-01-14")
    french, english = vitrine("check", cwd=project), vitrine("check", cwd=project, VITRINE_LANGUAGE="en")
    assert french.returncode == english.returncode == 1
    said = {
        lang: [line for line in result.stderr.splitlines() if not line.startswith(("À SAVOIR", "NOTE"))]
        for lang, result in (("fr", french), ("en", english))
    }  # the demo config's example.org: a notice
    assert said["fr"][:4] == [
        "AVERTISSEMENT: stories/people/amina-k/notes.txt: fichier inconnu : aucun en-tête ne le nomme",
        "ERREUR: stories/people/amina-k/savon.md:2: rating doit être un nombre entier de 1 à 5",
        "ERREUR: stories/people/amina-k/savonn.md:1: produit inconnu 'savonn' : pas de dossier "
        "stories/products/savonn/ (vouliez-vous dire savon ?)",
        "EN ATTENTE: stories/people/yusuf-d/index.md:3: en attente : le consentement commence le 2027-01-14 ; "
        "cette personne et ses témoignages sont retirés du site (jusqu'au 2027-01-14)",
    ]
    assert said["en"][:4] == [
        "WARNING: stories/people/amina-k/notes.txt: unknown file: not named by any front matter",
        "ERROR: stories/people/amina-k/savon.md:2: rating must be a whole number from 1 to 5",
        "ERROR: stories/people/amina-k/savonn.md:1: unknown product 'savonn': no folder stories/products/savonn/ "
        "(did you mean savon?)",
        "HELD: stories/people/yusuf-d/index.md:3: held: consent starts on 2027-01-14: this person and their "
        "testimonies are left out (until 2027-01-14)",
    ]
    assert re.fullmatch(r"vitrine check : 2 erreurs, 1 avertissement, 1 contenu en attente \(\d+,\d+ s\)",
                        french.stderr.splitlines()[-1])  # fmt: skip
    assert re.fullmatch(r"vitrine check: 2 errors, 1 warning, 1 held back \(\d+\.\d+ s\)", said["en"][-1])
    build = vitrine("build", cwd=project)
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "ERREUR: stories/people/amina-k/savon.md:2: rating doit être un nombre entier de 1 à 5" in build.stderr
    assert build.stderr.splitlines()[-1].startswith(
        "vitrine build : la construction a échoué, site/ n'a pas "
        "changé. 2 erreurs, 1 avertissement, 1 contenu en attente"
    )
    assert "Journal complet : .cache/vitrine/build.log" in build.stderr or "build.log" in build.stderr
