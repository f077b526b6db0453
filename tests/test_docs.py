"""What docs/ publishes (``vitrine/media/docs.py``): the outside tester's payloads, built by a real MkDocs and opened
in real Chromium, served as GitHub Pages serves (no header: the pages' own policy alone) and as Netlify
serves (with ``_headers``).

- Files a browser runs (.html, .xhtml, .xml, a script no setting names, a .txt that starts like a page…)
  are errors: ``docs-open-door-files`` in test_bad_inputs.py (a strict build writes nothing);
- an SVG with a script, a handler and links is cleaned, a page with a meta refresh, a script, a form, an
  iframe, an object and a base is cleaned like a story: warnings at their lines, said the same way by
  ``vitrine check`` and by the build, and nothing of it runs or reaches the page;
- were anything to slip through, the policy still blocks it: no 'self' for scripts, so a same-site file
  runs only if the theme or extra_javascript names it.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from conftest import mkdocs, serve
from test_bad_inputs import case_project

from vitrine.build.check import check
from vitrine.core.i18n import Translator

# Recorded before any page script: every CSP violation, as it happens.
WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));"""
# What a sanitiser slip would put in the page: each must still be blocked by the policy.
SLIPPED = ('<script src="../x.js"></script><script>alert("inline")</script>'
           '<img src="x" onerror="alert(\'handler\')"><svg onload="alert(\'svg\')"></svg>')  # fmt: skip


served = contextlib.contextmanager(serve)


@pytest.fixture(scope="module")
def door(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The hostile pages built (not strict: their problems are warnings), then a sanitiser slip simulated: a
    same-site script file, and scripts written into a built page's content."""
    project = case_project("docs-open-door-pages", tmp_path_factory.mktemp("door"))
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    (site / "x.js").write_text('alert("same-site file")', encoding="utf-8")
    xhtml = '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert("xhtml")</script></html>'
    for name, text in (("evil.html", "<script>alert('html')</script>"), ("evil.xhtml", xhtml)):  # refused files
        (site / name).write_text(text, encoding="utf-8")
    page = site / "hostile" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("<h1 ", SLIPPED + "<h1 ", 1), encoding="utf-8")
    return project, result.stdout + result.stderr


def test_the_build_and_the_check_say_the_same_warnings(door: tuple[Path, str]) -> None:
    project, log = door
    found = [p for p in check(project) if p.path.startswith("docs/") and p.is_warning]
    said = [Translator("fr").problem(p) for p in found]
    assert said == [
        "docs/evil.svg:3: retiré du SVG : <script>, on…=, javascript:, https://… ; il est publié sans scripts, "
        "gestionnaires d'événements ni références à d'autres sites",
        "docs/hostile.md:9: <meta> retiré : une page écrite à la main ne peut pas le contenir (extra.allow_html "
        "dans mkdocs.yml peut l'autoriser)",
        "docs/hostile.md:11: <script> retiré : les pages n'exécutent que les scripts du thème et les fichiers de "
        "docs/ que nomme extra_javascript",
        *[f"docs/hostile.md:13: <{tag}> retiré : une page écrite à la main ne peut pas le contenir "
          "(extra.allow_html dans mkdocs.yml peut l'autoriser)" for tag in ("button", "form", "input")],
        *[f"docs/hostile.md:{line}: <{tag}> retiré : une page écrite à la main ne peut pas le contenir "
          "(extra.allow_html dans mkdocs.yml peut l'autoriser)" for line, tag in ((15, "iframe"), (17, "object"),
                                                                                  (19, "base"))],
        "docs/hostile.md:21: href 'javascript:alert' retiré de <a> : un lien doit être https, http, mailto, tel ou "
        "un chemin du site",
        "docs/hostile.md:21: onmouseover retiré de <a> : les gestionnaires d'événements ne s'exécutent jamais sur "
        "le site",
        "docs/hostile.md:23: id '__config' retiré de <h2> : les id qui commencent par __ sont ceux du thème",
    ]  # fmt: skip
    for line in said:  # the build says each, once
        assert log.count(line) == 1, line
    assert "Traceback" not in log


@pytest.mark.parametrize("headers", [False, True], ids=["no header", "_headers"])
def test_nothing_of_it_runs_or_reaches_the_page(browser, door: tuple[Path, str], headers: bool) -> None:
    project, _ = door
    assert b"<script" not in (project / "site" / "evil.svg").read_bytes()
    with served(project / "site", headers) as base:
        context = browser.new_context()
        context.add_init_script(WATCH)
        outside: list[str] = []
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                      else (outside.append(r.request.url), r.abort()))  # fmt: skip
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "evil.svg")  # opened directly, as a link to it would
        page.wait_for_timeout(300)
        assert page.evaluate("document.querySelectorAll('script, foreignObject, [onclick]').length") == 0
        page.goto(base + "hostile/")
        page.wait_for_timeout(1500)  # a meta refresh of 0 s would have left by now
        assert page.url == base + "hostile/"
        content = "article :is(form, input, button, iframe, object, meta, base, [id=__config])"
        for kinds in ("meta[http-equiv=refresh], base, iframe, object", content):  # the theme has forms of its own
            assert page.evaluate(f"document.querySelectorAll('{kinds}').length") == 0, kinds
        assert page.locator(".admonition").count() == 1 and page.locator("table td").count() == 2  # kept
        assert page.evaluate("typeof __md_get") == "function"  # the theme's own scripts run
        assert dialogs == [], dialogs
        violations = page.evaluate("window.__violations")
        assert set(violations) <= {"script-src-elem", "script-src-attr"} and len(violations) >= 4, violations
        assert outside == []  # nothing asked of another site: not the meta refresh's, not the iframe's
        if headers:  # a page the build refuses to publish (as GitHub Pages, without a header, would run it)
            for name in ("evil.html", "evil.xhtml"):
                page.goto(base + name)
                page.wait_for_timeout(200)
            assert dialogs == [], dialogs
        context.close()


def test_a_campaign_script_runs_only_when_extra_javascript_names_it(browser, tmp_path: Path) -> None:
    project = case_project("docs-extra-javascript", tmp_path)
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert re.search(r"WARNING +- +mkdocs.yml:\d+: extra_javascript : https://cdn.example.org/tracker.js n'est pas "
                     r"un fichier de docs/", log), log  # fmt: skip
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script integrity="sha256-[^"]+" src="js/widget.js"', html)
    with served(project / "site", headers=True) as base:
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page.goto(base)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.dataset.widget") == "ran"
        page.close()


def test_vitrine_check_refuses_the_files_a_browser_would_run(tmp_path: Path) -> None:
    project = case_project("docs-open-door-files", tmp_path)
    expected = (Path(__file__).parent / "fixtures/bad/docs-open-door-files/expected.txt").read_text().splitlines()
    assert [str(p) for p in check(project) if p.path.startswith("docs/") and p.is_error] == expected
