"""The online editor (issue 20, item 2): ``extra.campaign.admin`` publishes the editor at site/admin/, saving
through the Git host's API from the browser.

Its front-matter code (vitrine/edit/app/front.js, run in node here) must write what the local editor's Python
writes (vitrine.edit.stories): every demo and fixture story opens and saves unchanged byte for byte, and each
kind of edit gives the same bytes as the Python code, so one changed field changes that field's line only.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import git_host
from tests.conftest import FIXTURES, ROOT, serve
from tests.test_edit import picture
from tests.test_edit_stories import EVENT, PERSON, PRODUCT, STORIES, TESTIMONY, changed_lines, text_of
from vitrine.cli import scaffold
from vitrine.edit import stories, style

RUNNER = Path(__file__).with_name("edit_front.js")
ORDER = PERSON + PRODUCT + TESTIMONY + EVENT
BAD_STORIES = sorted((FIXTURES / "bad").glob("*/stories/**/*.md"))


def node(cases: list[dict[str, Any]]) -> list[Any]:
    done = subprocess.run(["node", str(RUNNER)], input=json.dumps(cases), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def readable(paths: list[Path]) -> list[tuple[Path, str, stories.Story]]:
    found = []
    for path in paths:
        try:
            text = text_of(path)
            story = stories.load(text)
            # .nan, .inf and numbers past 2**53: no value JSON carries to a browser, nor a form gives
            if re.search(r"\d{16}", json.dumps(story.fields, allow_nan=False)):
                continue
            found.append((path, text, story))
        except (ValueError, UnicodeDecodeError):
            continue
    return found


def edits(story: stories.Story) -> list[tuple[dict[str, Any], str]]:
    """Each kind of edit an editor makes, on this story: every key changed alone (text, number, list, removed),
    a key added, the body changed."""
    fields = style.clean(story.fields)
    out: list[tuple[dict[str, Any], str]] = []
    for key, value in fields.items():
        if isinstance(value, bool):
            new: Any = not value
        elif isinstance(value, int | float):
            new = value + 1
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            new = [{**value[0], **{k: f"{v} (2)" for k, v in value[0].items() if isinstance(v, str)}}, *value[1:]]
        elif isinstance(value, list):
            new = [*value, "autre"]
        else:
            new = f"{value} « modifié », l'été: #1"
        out.append(({**fields, key: new}, story.body))
        out.append(({k: v for k, v in fields.items() if k != key}, story.body))
    out.append(({**fields, "origin": "Ici\net là"}, story.body))
    out.append((fields, story.body + "\nUn paragraphe de plus.\n"))
    return out


ALL = readable([*STORIES, *BAD_STORIES])


def test_every_story_opens_and_saves_unchanged_in_the_browser_code() -> None:
    results = node([{"op": "load", "text": text} for _, text, _ in ALL])
    results += node(
        [{"op": "dump", "old": text, "fields": s.fields, "body": s.body, "order": ORDER} for _, text, s in ALL]
    )
    loads, dumps = results[: len(ALL)], results[len(ALL) :]
    assert len(ALL) > 150
    for (path, text, story), loaded, dumped in zip(ALL, loads, dumps, strict=True):
        assert style.same(style.clean(loaded["fields"]), style.clean(story.fields)), path
        assert loaded["body"] == story.body, path
        assert dumped == {"text": text}, path


def test_every_edit_writes_what_the_local_editor_writes() -> None:
    cases, expected = [], []
    for _, text, story in ALL:
        for fields, body in edits(story):
            cases.append({"op": "dump", "old": text, "fields": fields, "body": body, "order": ORDER})
            expected.append(stories.dump(fields, body, old=text, order=ORDER))
    got = node(cases)
    assert len(cases) > 1000
    wrong = [(c["old"], e, g) for c, e, g in zip(cases, expected, got, strict=True) if g != {"text": e}]
    assert not wrong, wrong[:2]


def test_one_changed_title_is_one_changed_line() -> None:
    old = text_of(ROOT / "stories/people/amanuel-g/chaussettes.md")
    story = stories.load(old)
    [new] = node([{"op": "dump", "old": old, "fields": {**story.fields, "title": "Chaudes"}, "body": story.body}])
    assert changed_lines(old, new["text"]) == ['-title: "Deux paires, c\'est le minimum"', '+title: "Chaudes"']


def test_a_new_story_is_written_in_the_house_style() -> None:
    fields = {"name": "Léa", "consent": "2026-01-05", "photo": "lea.jpg", "photo_alt": "Léa sourit", "lang": None}
    [new] = node([{"op": "dump", "fields": fields, "body": "Son histoire.", "order": PERSON}])
    assert new["text"] == stories.dump(fields, "Son histoire.", order=PERSON)


# --- the online editor in a built site, against a stand-in of the Git host's API ---------------------------------

TOKEN = "github_pat_vitrine_test_0123456789"
READER = "github_pat_vitrine_reads_only_9876543210"
EVENTS = 105
KEPT = "[sessionStorage, localStorage].map((s) => Object.keys(s).filter((k) => k.startsWith('vitrine-t')))"
CHECK = [sys.executable, "-m", "vitrine"]


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Refuge", "GIT_AUTHOR_EMAIL": "refuge@example.org",
           "GIT_COMMITTER_NAME": "Refuge", "GIT_COMMITTER_EMAIL": "refuge@example.org"}  # fmt: skip
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True, env=env).stdout


def with_admin(campaign: Path, setting: str) -> None:
    config = campaign / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  campaign:\n", "  campaign:\n" + setting, 1), encoding="utf-8")


def build(campaign: Path, site: Path) -> None:
    done = subprocess.run(
        [*CHECK, "build", str(campaign), "-d", str(site)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def hosted(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """A new campaign in a bare repository served by the stand-in of ``request.param``'s API, its site built with
    ``admin`` pointing there and served on 127.0.0.1 with its _headers."""
    backend = request.param
    campaign = tmp_path / "campagne"
    scaffold.new(campaign, kind="charity", organisation="Refuge")
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--bare", "-q", "-b", "main", str(bare)], check=True)
    name = "refuge/campagne" if backend == "github" else "refuge/sites/campagne"
    host = git_host.Host(repo=bare, name=name, token=TOKEN, reader=READER)
    with git_host.serve(host) as api:
        root = api if backend == "github" else api + "/api/v4"
        with_admin(campaign, f"    admin:\n      backend: {backend}\n      repo: {name}\n      api: {root}\n")
        for i in range(EVENTS):  # more stories than one page of GitLab's tree holds (100)
            event = campaign / f"stories/events/rencontre-{i:03}.md"
            event.parent.mkdir(exist_ok=True)
            event.write_text(
                f"---\ntitle: Rencontre {i}\nstart: 2027-03-{1 + i % 28:02}\nplace: Calais\n---\n", encoding="utf-8"
            )
        git(campaign, "init", "-q", "-b", "main")
        git(campaign, "add", "-A")
        git(campaign, "commit", "-q", "-m", "Nouvelle campagne")
        git(campaign, "push", "-q", str(bare), "main")
        site = tmp_path / "site"
        build(campaign, site)
        served = serve(site, headers=True)
        url = next(served)
        yield {"backend": backend, "host": host, "api": api, "site": site, "url": url, "bare": bare, "tmp": tmp_path}
        with contextlib.suppress(StopIteration):
            next(served)


def commits(bare: Path, clone: Path) -> list[tuple[str, str]]:
    if clone.exists():
        git(clone, "pull", "-q")
    else:
        subprocess.run(["git", "clone", "-q", str(bare), str(clone)], check=True)
    return [tuple(line.split(" ", 1)) for line in git(clone, "log", "--format=%H %s").splitlines()]  # type: ignore[misc]


def writes(host: git_host.Host) -> int:
    """How many requests asked the host to write (thumbnails may still be loading: reads do not count)."""
    return len([r for r in host.requests if r[0] in ("POST", "PATCH")])


def touched(clone: Path, sha: str) -> list[str]:
    return sorted(git(clone, "show", "--name-only", "--format=", sha).split())


@pytest.mark.parametrize("hosted", ["github", "gitlab"], indirect=True)
def test_the_online_editor_saves_through_the_hosts_api(browser, hosted: dict[str, Any]) -> None:
    """Sign in with a token (a wrong one said in the editors' words), a person with an uploaded photo, an existing
    product's title edited: one commit per save, the files the contract's, the title's diff one line, the campaign
    checks clean; a branch moved meanwhile is said and nothing overwritten; every request went to the site or the
    API, none left 127.0.0.1."""
    url, host, bare, tmp, api = hosted["url"], hosted["host"], hosted["bare"], hosted["tmp"], hosted["api"]
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
    )
    refused: list[tuple[int, str]] = []  # every answer >= 400, said by the browser's console besides
    page.on("response", lambda r: refused.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("dialog", lambda d: d.accept())
    page.goto(url + "admin/")
    page.wait_for_selector("#token")
    page.screenshot(path=str(tmp / "admin-sign-in.png"))

    page.get_by_label("Jeton d'accès").fill("not-the-token")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("#sign-in-error:not(:empty)")
    assert "Ce jeton n'ouvre pas le dépôt" in page.locator("#sign-in-error").inner_text()
    assert refused[-1][0] == 401
    # a token that may only read signs in (the host says what its owner may do, not the token), its save is refused
    page.get_by_label("Jeton d'accès").fill(READER)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Événements", exact=True).click()
    page.get_by_role("button", name="Rencontre 7", exact=False).first.click()
    page.get_by_label(re.compile("^Titre")).fill("Rencontre sept")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_selector("#alert:not(:empty)")
    assert "Ce jeton peut lire le dépôt mais pas y écrire" in page.locator("#alert").inner_text()
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_label("Jeton d'accès").fill(TOKEN)
    remember = hosted["backend"] == "gitlab"  # "remember me on this device": the token in localStorage too
    if remember:
        page.get_by_label("Se souvenir de moi sur cet appareil").check()
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector(".entry")
    page.get_by_role("button", name="Événements", exact=True).click()
    assert page.locator(".entry", has_text="Rencontre 104").count() == 1  # the tree's second page, on GitLab
    page.get_by_role("button", name="Personnes", exact=True).click()

    def save() -> str:
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_selector("#status.ok, #status.warn, #alert:not(:empty)")
        return page.locator("#status").inner_text() + page.locator("#alert").inner_text()

    page.get_by_role("button", name="Nouvelle personne").click()
    page.get_by_role("textbox", name=re.compile("^Nom")).fill("Amina Kéré")
    page.get_by_label(re.compile("^Nom complet choisi par la personne")).check()  # a surname she chose
    page.get_by_label(re.compile("^Date du consentement")).fill("2026-05-02")
    page.set_input_files("#form .photo input[type=file]", str(picture(tmp, "Portrait Amina.JPG", "orange")))
    page.wait_for_selector("#form .photo img.thumb:not([hidden])")
    page.get_by_label(re.compile("^Description de la photo")).fill("Portrait d'Amina, souriante")
    page.locator("#form textarea.body").fill("Amina est arrivée en 2024.")
    assert "Enregistré" in save()

    clone = tmp / "clone"
    product = next((tmp / "campagne/stories/products").glob("exemple-*/index.md"))
    path = product.relative_to(tmp / "campagne").as_posix()
    title = yaml.safe_load(product.read_text(encoding="utf-8").split("---")[1])["title"]
    page.get_by_role("button", name="Produits", exact=True).click()
    page.get_by_role("button", name=re.compile("^" + re.escape(title))).click()
    # what the schema says is checked in the form, before anything is sent: an http:// link is refused
    sent = writes(host)
    page.get_by_label(re.compile("^Lien pour donner")).fill("http://exemple.org/don")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_timeout(500)
    assert page.locator("[data-key=donate] input:invalid").count() == 1 and writes(host) == sent
    page.get_by_label(re.compile("^Lien pour donner")).fill("")
    page.get_by_label(re.compile("^Titre")).fill(title + " bis")
    calls = len([r for r in host.requests if r[0] != "OPTIONS"])
    assert "Enregistré" in save()
    page.wait_for_selector(f".entry:has-text('{title} bis')")
    calls = len([r for r in host.requests if r[0] != "OPTIONS"]) - calls  # the save, then the lists read again
    print(f"{hosted['backend']}: {calls} requests to save a title and read the lists again")
    assert calls <= 8

    log = commits(bare, clone)
    assert [subject for _, subject in log] == [f"Vitrine : {title} bis ({path})",
                                               "Vitrine : Amina Kéré (stories/people/amina-kere/index.md)",
                                               "Nouvelle campagne"]  # fmt: skip
    assert touched(clone, log[1][0]) == ["stories/people/amina-kere/index.md",
                                         "stories/people/amina-kere/portrait-amina.jpg"]  # fmt: skip
    assert touched(clone, log[0][0]) == [path]
    before, after = product.read_text(encoding="utf-8"), (clone / path).read_text(encoding="utf-8")
    [old, new] = changed_lines(before, after)  # one line, nothing else
    assert yaml.safe_load(old[1:]) == {"title": title} and yaml.safe_load(new[1:]) == {"title": title + " bis"}
    person = yaml.safe_load((clone / "stories/people/amina-kere/index.md").read_text(encoding="utf-8").split("---")[1])
    assert person == {"name": "Amina Kéré", "consent": datetime.date(2026, 5, 2), "photo": "portrait-amina.jpg",
                      "photo_alt": "Portrait d'Amina, souriante", "full_name": True}  # fmt: skip
    assert (clone / "stories/people/amina-kere/portrait-amina.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    strict = subprocess.run([*CHECK, "check", "--strict", str(clone)], capture_output=True, text=True, timeout=300)
    assert strict.returncode == 0, strict.stdout + strict.stderr

    # someone else pushes meanwhile: the save is refused, said, nothing overwritten; the next one goes on top
    (clone / path).write_text(after.replace(f"{title} bis", f"{title} ter"), encoding="utf-8")
    git(clone, "commit", "-q", "-am", "Ailleurs")
    git(clone, "push", "-q")
    page.get_by_label(re.compile("^Titre")).fill(title + " quater")
    said = save()
    assert "Quelqu'un a enregistré une modification entre-temps" in said, said
    assert commits(bare, clone)[0][1] == "Ailleurs"
    said = save()  # again, without opening it again: still refused, the other change kept
    assert "Quelqu'un a enregistré une modification entre-temps" in said, said
    assert commits(bare, clone)[0][1] == "Ailleurs"
    page.get_by_role("button", name=re.compile("^" + re.escape(title) + " ter")).click()
    page.get_by_label(re.compile("^Titre")).fill(title + " quater")
    assert "Enregistré" in save()
    assert [subject for _, subject in commits(bare, clone)][:2] == [f"Vitrine : {title} quater ({path})", "Ailleurs"]
    # a change elsewhere on the branch does not stop a save: it goes on top of it, saved twice in a row
    (clone / "stories/products/exemple-savon/index.md").write_text(
        (clone / "stories/products/exemple-savon/index.md").read_text(encoding="utf-8") + "\nAilleurs aussi.\n",
        encoding="utf-8")  # fmt: skip
    git(clone, "commit", "-q", "-am", "Ailleurs aussi")
    git(clone, "push", "-q")
    page.get_by_label(re.compile("^Titre")).fill(title + " cinq")
    assert "Enregistré" in save()
    page.get_by_label(re.compile("^Titre")).fill(title + " six")
    assert "Enregistré" in save()
    assert [subject for _, subject in commits(bare, clone)][:3] == [
        f"Vitrine : {title} six ({path})",
        f"Vitrine : {title} cinq ({path})",
        "Ailleurs aussi",
    ]
    page.screenshot(path=str(tmp / "admin.png"))
    # the token lasts the tab's session: a reload opens the lists; signed out, the form asks again, nothing kept
    key = f"vitrine-token:{api if hosted['backend'] == 'github' else api + '/api/v4'}/{host.name}"
    assert page.evaluate(KEPT) == [[key], [key] if remember else []]
    blobs = len([r for r in host.requests if r[0] == "GET" and "blobs/" in r[1]])
    page.reload()
    page.wait_for_selector(".entry")
    assert len([r for r in host.requests if r[0] == "GET" and "blobs/" in r[1]]) == blobs  # kept by their sha
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_selector("#token")
    assert page.evaluate(KEPT) == [[], []]
    assert page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('vitrine-blob:'))") == []
    page.close()

    origins = {urllib.parse.urlsplit(u)._replace(path="", query="", fragment="").geturl() for u in seen}
    assert origins <= {url.rstrip("/"), api, "data:"}, origins
    assert all(u.startswith(("http://127.0.0.1", "data:")) for u in seen)
    assert any(u.startswith(api) for u in seen) and {origin for _, _, origin in host.requests} == {url.rstrip("/")}
    assert errors == []
    # besides the wrong token: the read-only token's write, the new person's page, not published before the host's
    # build, and the refused update of a branch that moved (GitLab's is found before committing)
    if hosted["backend"] == "github":
        expected = {(403, f"{api}/repos/refuge/campagne/git/blobs"),
                    (422, f"{api}/repos/refuge/campagne/git/refs/heads/main")}  # fmt: skip
    else:
        expected = {(403, f"{api}/api/v4/projects/refuge%2Fsites%2Fcampagne/repository/commits")}
    assert set(refused[1:]) == {(404, url + "people/amina-kere/"), *expected}

    # served without _headers (as GitHub Pages serves), framed by another page: the editor does not run there
    plain = serve(hosted["site"])
    other = browser.new_page()
    other.set_content(f'<iframe src="{next(plain)}admin/" width="800" height="400"></iframe>')
    framed = other.frame_locator("iframe").locator("#loading")
    framed.filter(has_text="ne s'ouvre pas dans le cadre d'une autre page").wait_for()
    assert other.frame_locator("iframe").locator("#token").count() == 0
    other.close()
    with contextlib.suppress(StopIteration):
        next(plain)


def test_the_admin_page_is_the_app_under_a_strict_policy_and_no_site_without_the_setting(tmp_path: Path) -> None:
    """With ``admin`` set the site has admin/ (the app's files, campaign.json, a policy naming its scripts and the
    API), out of the sitemap and the search index and never indexed; without it, no admin/ at all."""
    campaign = tmp_path / "campagne"
    scaffold.new(campaign, kind="makers", organisation="Halle")
    build(campaign, tmp_path / "plain")
    assert not (tmp_path / "plain" / "admin").exists()
    assert "gitlab" not in (tmp_path / "plain" / "_headers").read_text(encoding="utf-8")
    with_admin(campaign, "    admin: {backend: gitlab, repo: halle/campagne, api: 'https://git.example.org/api/v4/'}\n")
    site = tmp_path / "site"
    build(campaign, site)
    admin = site / "admin"
    assert sorted(p.name for p in admin.iterdir() if p.suffix not in (".gz", ".br")) == [
        "campaign.json", "editor.css", "editor.js", "front.js", "git.js", "index.html", "yaml-licence.txt", "yaml.js"
    ]  # fmt: skip
    html = (admin / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy and "connect-src 'self' https://git.example.org;" in policy[1] and "'self'" not in policy[1].split(
        "script-src")[1].split(";")[0]  # fmt: skip
    for name in ("yaml.js", "front.js", "git.js", "editor.js"):
        digest = re.search(rf'src="{name}" integrity="sha256-([^"]+)"', html)
        assert digest and f"'sha256-{digest[1]}'" in policy[1]
        assert f"'sha256-{digest[1]}'" in (site / "_headers").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "connect-src 'self' https://git.example.org;" in (site / "_headers").read_text(encoding="utf-8")
    assert "frame-ancestors 'self'" in (site / "_headers").read_text(encoding="utf-8")
    assert "frame-ancestors 'none'" in (tmp_path / "plain" / "_headers").read_text(encoding="utf-8")
    described = json.loads((admin / "campaign.json").read_text(encoding="utf-8"))
    assert described["kind"] == "makers" and described["online"] == {
        "backend": "gitlab",
        "repo": "halle/campagne",
        "branch": "main",
        "api": "https://git.example.org/api/v4",
    }
    assert described["strings"]["online_sign_in"] == "Se connecter"
    assert "craft" in described["schemas"]["person"]["properties"]
    assert "admin" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin/" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
