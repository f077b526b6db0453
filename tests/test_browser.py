"""Every page of the fixture site, and of a site full of hostile payloads, in
real headless Chromium served on 127.0.0.1: nothing leaves the machine, no
console error or CSP violation, no payload runs, no broken link or anchor,
every image has its alternative text, and every page fits 360 px."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

import pytest
import yaml
from conftest import MAKERS, ROOT, make_project, mkdocs, serve
from test_bad_inputs import case_project

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0])["site_url"]
WIDTH = 360

# Recorded before any page script: CSP violations as they happen.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
"""
# What a page holds, read in the page.
SURVEY = """() => {
  const article = document.querySelector("article.md-content__inner");
  const live = [];
  for (const el of (article ? article.querySelectorAll("*") : [])) {
    for (const a of el.attributes) {
      const value = a.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (a.name.startsWith("on") || a.name === "srcdoc" || a.name === "style"
          || (["href", "src", "action", "formaction", "data", "xlink:href"].includes(a.name)
              && /^(javascript|vbscript|data):/.test(value))) live.push(`${el.tagName} ${a.name}=${a.value}`);
    }
    if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "BASE", "FRAME", "STYLE", "LINK", "META"].includes(el.tagName)
        // Vitrine's own map (vitrine/plan/where.py, drawn at build time, every text escaped) holds links
        || (el.tagName.toLowerCase() === "svg"
            && !el.closest("[aria-hidden=true], [role=img], svg.vitrine-map[role=group]")))
      live.push(el.outerHTML.slice(0, 120));
  }
  return {
    // an SVG link's href is an SVGAnimatedString (the map's regions): resolved like an HTML link's
    links: [...document.querySelectorAll("a[href]")].map((a) =>
      typeof a.href === "string" ? a.href : new URL(a.href.baseVal, location.href).href),
    ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.getAttribute("name")),
    images: [...document.querySelectorAll("img")].map((img) => ({
      src: img.currentSrc || img.src, alt: img.getAttribute("alt"),
      hidden: !!img.closest("[aria-hidden=true]"),
      named: !!img.closest("a[aria-label], a:has(> span:not(:empty)), button[aria-label]"),
    })),
    width: document.documentElement.scrollWidth,
    violations: window.__violations,
    theme: typeof window.__md_get,
    live,
  };
}"""


@dataclass
class Crawl:
    name: str = ""
    pages: dict[str, dict] = field(default_factory=dict)  # url -> survey
    outside: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


def local(url: str, base: str, site: str = SITE_URL) -> str:
    """The site's own absolute URLs (canonical, 404 page) point to this server."""
    return base + url[len(site) :] if url.startswith(site) else url


def crawl(browser, base: str, extra: tuple[str, ...] = ("404.html", "en/404.html"), site: str = SITE_URL,
          name: str = "") -> Crawl:  # fmt: skip
    report = Crawl(name)
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, service_workers="block")
    context.add_init_script(WATCH)

    def route(route) -> None:
        url = route.request.url
        if url.startswith(base) or url.startswith("data:"):
            route.continue_()
        else:
            report.outside.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    current = {"url": ""}
    page.on("console", lambda m: m.type == "error" and report.console.append(f"{current['url']}: {m.text}"))
    page.on("pageerror", lambda e: report.console.append(f"{current['url']}: {e}"))
    page.on("dialog", lambda d: (report.dialogs.append(f"{current['url']}: {d.message}"), d.dismiss()))
    sitemap = "".join(context.request.get(base + p).text() for p in ("sitemap.xml", "en/sitemap.xml"))
    queue = [base, *(base + p for p in extra),
             *(local(u, base, site) for u in re.findall(r"<loc>(.*?)</loc>", sitemap))]  # fmt: skip
    files: set[str] = set()
    while queue:
        url = urldefrag(queue.pop(0))[0]
        if url in report.pages or not url.startswith(base):
            continue
        if not (url.endswith("/") or url.endswith(".html")):
            files.add(url)
            continue
        current["url"] = url
        response = page.goto(url, wait_until="load")
        if response is None or (response.status != 200 and not url.endswith("404.html")):
            report.broken.append(f"{url}: {response.status if response else 'no response'}")
            report.pages[url] = {}
            continue
        page.wait_for_timeout(50)  # let deferred scripts and lazy images settle
        survey = page.evaluate(SURVEY)
        survey["links"] = [local(link, base, site) for link in survey["links"]]
        report.pages[url] = survey
        queue += [link for link in survey["links"] if link.startswith(base)]
    for url in sorted(files):
        status = context.request.get(url).status
        if status != 200:
            report.broken.append(f"{url}: {status}")
    # Anchors: every #fragment points to an element of its page.
    for url, survey in report.pages.items():
        for link in survey.get("links", []):
            target, fragment = urldefrag(link)
            if fragment and target in report.pages and fragment not in report.pages[target].get("ids", []):
                report.broken.append(f"{url}: link to {link}: no such anchor")
    context.close()
    return report


def build(project: Path) -> Path:
    """French and English, as `make site` builds them (not strict: the good
    fixture holds a person without consent)."""
    shutil.copy(ROOT / "mkdocs.en.yml", project)
    for args in ((), ("--config-file", "mkdocs.en.yml", "--site-dir", "site/en")):
        result = mkdocs(project, "build", *args)
        assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build(case_project("hostile-payloads", tmp_path_factory.mktemp("hostile"))))


@pytest.fixture(scope="module")
def full_fixture_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build(make_project(tmp_path_factory.mktemp("fixture-fr-en"))))


@pytest.fixture(scope="module")
def fixture_crawl(browser, full_fixture_url: str) -> Crawl:
    return crawl(browser, full_fixture_url)


@pytest.fixture(scope="module")
def hostile_crawl(browser, hostile_url: str) -> Crawl:
    return crawl(browser, hostile_url)


@pytest.fixture(scope="module")
def makers_crawl(browser, makers_url: str) -> Crawl:
    site = yaml.safe_load((MAKERS / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0])["site_url"]
    return crawl(browser, makers_url, site=site, name="makers")


@pytest.fixture(params=["fixture", "hostile", "makers"])
def report(request: pytest.FixtureRequest) -> Crawl:
    return request.getfixturevalue(f"{request.param}_crawl")


def test_every_page_was_crawled(report: Crawl) -> None:
    paths = {url.split("/", 3)[3] for url in report.pages}
    if report.name == "makers":
        for path in ("", "products/couteau-de-poche/", "people/ines-b/", "people/", "products/", "events/", "press/",
                     "about/", "404.html"):  # fmt: skip
            assert path in paths and f"en/{path}" in paths, path
        assert not {"wishlist/", "donate/"} & paths
        return
    for path in ("", "products/savon/", "products/cafe/", "products/bache/", "people/amina-k/", "people/yusuf-d/",
                 "people/", "products/", "wishlist/", "donate/", "press/", "404.html"):  # fmt: skip
        assert path in paths
        assert f"en/{path}" in paths
    assert "people/sans-accord/" not in paths  # no consent: not published


def test_nothing_leaves_the_machine(report: Crawl) -> None:
    assert report.outside == []


def test_no_console_error_and_no_csp_violation(report: Crawl) -> None:
    assert report.console == []
    assert {url: s["violations"] for url, s in report.pages.items() if s.get("violations")} == {}


def test_the_themes_inline_scripts_run_under_the_policy(report: Crawl) -> None:
    # __md_get comes from an inline script in Material's <head>: it runs only if its hash is in the policy.
    assert {s.get("theme") for s in report.pages.values()} == {"function"}


def test_no_payload_runs_or_stays_live(report: Crawl) -> None:
    assert report.dialogs == []
    assert {url: s["live"] for url, s in report.pages.items() if s.get("live")} == {}


def test_no_broken_link_or_anchor(report: Crawl) -> None:
    assert report.broken == []


def test_every_image_has_a_text_alternative(report: Crawl) -> None:
    missing = [
        f"{url}: {img['src']}"
        for url, survey in report.pages.items()
        for img in survey.get("images", [])
        if img["alt"] is None or (img["alt"].strip() == "" and not (img["hidden"] or img["named"]))
    ]
    assert missing == []


def test_every_page_fits_a_small_phone(report: Crawl) -> None:
    assert {url: s["width"] for url, s in report.pages.items() if s and s["width"] > WIDTH} == {}


def test_payloads_show_as_text(browser, hostile_url: str) -> None:
    """Escaped, not dropped: the editor sees what they wrote, as text."""
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(hostile_url) else r.abort())
    page.goto(hostile_url + "products/savon/")
    assert page.locator("h1").first.inner_text() == "Savon <img src=x onerror=alert('t2')>"
    assert page.title().startswith("Savon <img src=x onerror=alert('t2')>")
    page.goto(hostile_url + "people/amina-k/")
    assert page.locator("h1").first.inner_text() == "Amina <script>alert('t1')</script>"
    page.goto(hostile_url + "about/")  # a hand-written page of docs/: its front matter is content too
    assert page.title().startswith('About "><script>alert("title")</script></title>')
    assert page.locator('meta[property="og:title"]').get_attribute("content").startswith('About "><script>')
    page.close()


def test_search_works_under_the_policy(browser, full_fixture_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(full_fixture_url)
    page.keyboard.press("s")  # Material's shortcut focuses the search field
    page.keyboard.type("savon", delay=20)  # Material searches on key events, not on a filled value
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert "Savon" in page.locator(".md-search-result").inner_text()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"  # the palette applied
    assert errors == []
    page.close()


def test_pages_carry_the_policy(fixture_site: Path) -> None:
    for file in fixture_site.rglob("*.html"):
        head = file.read_text(encoding="utf-8")[:2000]
        assert '<meta http-equiv="Content-Security-Policy"' in head, file
        scripts = re.search(r"script-src ([^;\"]*)", head)[1].split()
        assert scripts and all(s.startswith("'sha256-") for s in scripts), file  # named one by one: no 'self'
        assert "object-src 'none'" in head
    headers = (fixture_site / "_headers").read_text(encoding="utf-8")
    assert "frame-ancestors 'none'" in headers
    scripts = re.search(r"script-src ([^;\n]*)", headers)[1].split()
    assert "'self'" not in scripts and "'unsafe-inline'" not in scripts and "'strict-dynamic'" in scripts


def test_search_finds_a_makers_product(browser, makers_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(makers_url)
    page.keyboard.press("s")
    page.keyboard.type("couteau", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert "Couteau" in page.locator(".md-search-result").inner_text()
    page.close()
