"""Valid HTML and hreflang: the Nu HTML Checker (node_modules/vnu-jar, `npm install`,
and Java) finds no error on any page of the demo, French and English; the sitemaps'
alternates name each page's counterpart with absolute URLs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import material
import pytest
from bs4 import BeautifulSoup
from conftest import ON_CI, ROOT

from vitrine.hosts.mkdocs.material import EDITS, edit

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEIRS = Path(material.__file__).parent / "templates" / "base.html"
SITE_URL = "https://ce-qui-nous-a-tenus.example.org/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_materials_templates_are_the_installed_ones_with_our_edits() -> None:
    """Vitrine edits Material's templates as they load (vitrine/hosts/mkdocs/material.py), no copy: each edit
    finds its one place in the Material the lock installs, and nothing else changes."""
    for name, edits in EDITS.items():
        theirs = (THEIRS.parent / name).read_text(encoding="utf-8")
        expected = theirs
        if name == "base.html":
            loop = re.search(r"      \{% if config\.extra\.alternate is iterable %\}.*?\{% endif %\}\n", theirs,
                             flags=re.S)  # fmt: skip
            assert loop, "Material's hreflang loop moved: hosts/mkdocs/material.py's HREFLANG must find it again"
            expected = expected.replace(loop.group(0), "")
        for old, new in edits:
            assert theirs.count(old) == 1, f"Material's {name} changed where Vitrine edits it: {old}"
            expected = expected.replace(old, new)
        assert edit(name, theirs) == expected, name
        assert not (ROOT / "vitrine/theme" / name).exists(), f"a copy of {name} to carry over at each upgrade"
    assert 'autocomplete="off"' not in edit("base.html", (THEIRS.parent / "base.html").read_text(encoding="utf-8"))


def test_no_error_from_the_nu_html_checker(demo_site: Path) -> None:
    if not (VNU.is_file() and shutil.which("java")):
        if ON_CI:
            pytest.fail("the Nu HTML Checker needs `npm install` (vnu-jar) and Java (default-jre-headless)")
        pytest.skip("vnu-jar or Java is missing (npm install; apt-get install default-jre-headless)")
    assert len(pages(demo_site)) > 100
    result = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json",
                             str(demo_site)], capture_output=True, text=True, timeout=600)  # fmt: skip
    errors = [m for m in json.loads(result.stderr)["messages"] if m["type"] in ("error", "non-document-error")]
    shown = [f"{m.get('url', '')[-60:]}: {m['message']}" for m in errors[:10]]
    assert not errors, f"{len(errors)} errors, for example:\n" + "\n".join(shown)


def test_the_rules_the_checker_enforced_hold_on_every_page(demo_site: Path) -> None:
    """The two errors the checker found before (also checked without Java)."""
    for path in pages(demo_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("input[type=checkbox][autocomplete]"), path
        assert not [div for div in soup.select("div[aria-label]") if not div.get("role")], path


def test_hreflang_alternates_are_each_pages_counterpart_absolute_in_the_sitemaps(demo_site: Path) -> None:
    """In sitemap.xml, not in the pages: Material's JavaScript fetches a sitemap beside
    each <link rel="alternate">, a 404 (and a console error) for a page's own URL."""
    checked = 0
    for sitemap, prefix in ((demo_site / "sitemap.xml", ""), (demo_site / "en/sitemap.xml", "en/")):
        root = ElementTree.parse(sitemap).getroot()
        for url in root.iter(f"{SITEMAP}url"):
            loc = url.find(f"{SITEMAP}loc").text
            path = loc.removeprefix(SITE_URL + prefix)
            links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
            assert links == {"fr": SITE_URL + path, "en": SITE_URL + "en/" + path}, loc
            for href in links.values():  # each counterpart exists
                assert (demo_site / href.removeprefix(SITE_URL) / "index.html").is_file(), href
            checked += 1
    assert checked > 100
    for page in pages(demo_site):  # Material's links to each language's home are gone
        assert not BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("link[rel=alternate]"), page
