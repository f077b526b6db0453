"""The engine on its own: with MkDocs (and Material, ProperDocs) impossible to import, it plans every
page of every language, the files to publish and the problems of the fixture campaign."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, make_project

SCRIPT = r"""
import importlib.abc, json, sys
from pathlib import Path

class NoHost(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "material", "properdocs"):
            raise ImportError(f"{name} is blocked: the engine must not need a host")
        return None

sys.meta_path.insert(0, NoHost())
import yaml
from vitrine.build.engine import Language, run

root = Path(sys.argv[1])
main = yaml.safe_load((root / "mkdocs.yml").read_text())
english = {**main["extra"]["campaign"], "name": "What kept us going", "translations": {}}
plan = run(root, [
    Language(lang="fr", config=root / "mkdocs.yml", campaign=main["extra"]["campaign"], docs_dir=root / "docs",
             site_name=main["site_name"]),
    Language(lang="en", config=root / "mkdocs.en.yml", campaign=english, docs_dir=root / "docs/en",
             site_name="What kept us going", prefix="en/"),
])
print(json.dumps({
    "hosts": sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material", "properdocs")),
    "problems": [str(p) for p in plan.problems],
    "languages": [{
        "lang": lang.lang, "prefix": lang.prefix,
        "pages": {src: [page.kind, page.key, page.title, type(page.data).__name__] for src, page in lang.pages.items()},
        "files": sorted(lang.files), "downloads": list(lang.downloads),
        "product": {k: str(v) for k, v in vars(lang.pages["products/savon.md"].data.product).items()},
        "reviews": [r.person.name for r in lang.pages["products/savon.md"].data.reviews],
    } for lang in plan.languages],
}))
"""


def test_engine_plans_every_language_without_mkdocs(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(project)], cwd=project, env=env, capture_output=True,
                            text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["hosts"] == []
    assert [p for p in plan["problems"] if "placeholders of the example" not in p] == [  # example.org: a notice
        "stories/people/sans-accord/index.md:1: held: no consent written yet: this person and "
        "their testimonies are left out until a consent date is added"
    ]
    fr, en = plan["languages"]
    assert (fr["lang"], fr["prefix"], en["lang"], en["prefix"]) == ("fr", "", "en", "en/")
    kinds = {src: page[0] for src, page in fr["pages"].items()}
    assert kinds == {
        "index.md": "home", "people/index.md": "people", "products/index.md": "products", "wishlist.md": "wishlist",
        "donate.md": "donate", "press.md": "press", "products/savon.md": "product", "products/bache.md": "product",
        "products/cafe.md": "product", "people/amina-k.md": "person", "people/yusuf-d.md": "person",
        "press/release/index.md": "release",  # the release's own page
    }  # fmt: skip
    assert en["pages"].keys() == fr["pages"].keys()
    assert fr["pages"]["products/savon.md"][1:3] == ["savon", "Savon"]
    assert {page[0]: page[3] for page in fr["pages"].values()} == {  # each kind's data is its own class
        "home": "Home", "people": "People", "products": "Products", "wishlist": "Wishlist", "donate": "Donate",
        "press": "Press", "product": "ProductPage", "person": "PersonPage", "release": "ReleasePage",
    }  # fmt: skip
    assert fr["pages"]["wishlist.md"][2] == "Liste de besoins" and en["pages"]["wishlist.md"][2] == "Wish list"
    assert fr["reviews"] == ["Amina K.", "Yusuf D."]
    assert fr["product"]["price"] == "1.5" and fr["product"]["give"].startswith("https://www.helloasso.com/")
    for lang in (fr, en):
        assert "img/cards/products/savon.jpg" in lang["files"] and "img/cards/campaign.jpg" in lang["files"]
        assert any(f.startswith("img/products/savon/") and f.endswith(".webp") for f in lang["files"])
    assert fr["downloads"] == ["press/ce-qui-nous-a-tenus-dossier-de-presse.pdf",
                               "press/ce-qui-nous-a-tenus-communique.pdf", "press/ce-qui-nous-a-tenus-photos.zip",
                               "press/ce-qui-nous-a-tenus-photos-web.zip"]  # fmt: skip
    # links the main site's ZIPs
    assert en["downloads"] == ["press/what-kept-us-going-press-kit.pdf", "press/what-kept-us-going-release.pdf"]
