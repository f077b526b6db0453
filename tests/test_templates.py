"""Templates receive data, not objects: no calls into Python objects or string methods in Vitrine's
templates, so MiniJinja (the engine of Material's successor) renders them from the plan as Jinja does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import make_project

from vitrine.build.engine import Language, run
from vitrine.core.assets import THEME

# `.name(` is a call on an object; a template's own namespaces (our macros, Material's `lang.t`) and
# `super()`, `self.<block>()` are template features, not Python calls.
CALL = re.compile(r"(?<![\w.])(?!ui\.|lang\.|self\.)([A-Za-z_]\w*(?:\.\w+)+)\s*\(")
TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)  # expressions and statements, not comments or HTML


def test_no_method_calls_in_templates() -> None:
    calls = {}
    for template in sorted(THEME.rglob("*.html")):
        found = [call for tag in TAGS.findall(template.read_text(encoding="utf-8")) for call in CALL.findall(tag)]
        if found:
            calls[template.relative_to(THEME).as_posix()] = found
    assert calls == {}


def test_minijinja_renders_every_page_from_the_plan(tmp_path: Path) -> None:
    minijinja = pytest.importorskip("minijinja")
    import yaml

    project = make_project(tmp_path / "p")
    raw = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    language = Language(lang="fr", config=project / "mkdocs.yml", campaign=raw["extra"]["campaign"],
                        docs_dir=project / "docs", site_name=raw["site_name"])  # fmt: skip
    plan = run(project, [language])
    fr = plan.languages[0]
    t = fr.edition.t
    env = minijinja_env(minijinja, t)
    rendered = {}
    for page in fr.pages.values():
        context = {"page": {"title": page.title, "content": page.body}, "vitrine": page.data, "base_url": "."}
        rendered[page.kind] = env.render_template(f"vitrine/{page.kind}.html", **context)
    assert set(rendered) == {
        "home",
        "people",
        "products",
        "wishlist",
        "donate",
        "press",
        "release",
        "product",
        "person",
    }
    assert "Amina K." in rendered["home"] and "Noté 5 sur 5" in rendered["home"]
    product = plan.languages[0].pages["products/savon.md"]
    html = env.render_template("vitrine/product.html", page={"title": product.title, "content": product.body},
                               vitrine=product.data, base_url=".")  # fmt: skip
    assert 'alt="Un pain de savon sur fond vert"' in html and "1,50\u00a0€" in html
    assert html.index("Amina K.") < html.index("Yusuf D.")  # featured first
    assert "IBAN" in rendered["donate"] and "<svg" in rendered["donate"]


def test_minijinja_renders_every_page_of_the_makers_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    minijinja = pytest.importorskip("minijinja")
    import yaml
    from conftest import MAKERS, MAKERS_DAY

    monkeypatch.setenv("SOURCE_DATE_EPOCH", MAKERS_DAY)
    raw = yaml.safe_load((MAKERS / "mkdocs.yml").read_text(encoding="utf-8"))
    language = Language(lang="fr", config=MAKERS / "mkdocs.yml", campaign=raw["extra"]["campaign"],
                        docs_dir=MAKERS / "docs", site_name=raw["site_name"])  # fmt: skip
    fr = run(MAKERS, [language]).languages[0]
    t = fr.edition.t
    env = minijinja_env(minijinja, t)
    rendered = {}
    for page in fr.pages.values():
        context = {"page": {"title": page.title, "content": page.body}, "vitrine": page.data, "base_url": "."}
        rendered[page.src] = env.render_template(page.template, **context)
    assert {p.template for p in fr.pages.values()} >= {"vitrine/makers/home.html", "vitrine/makers/product.html",
                                                       "vitrine/makers/person.html", "vitrine/events.html"}  # fmt: skip
    assert "wishlist.md" not in rendered and "donate.md" not in rendered
    product = rendered["products/couteau-de-poche.md"]
    assert "Acheter chez" in product and "people&#x2f;karim-a&#x2f;" in product and "vt-stars" not in product
    assert "vitrine-map" in rendered["index.md"] and "marche-de-noel-des-createurs.ics" in rendered["events/index.md"]


def minijinja_env(minijinja: Any, t: Any) -> Any:
    """Vitrine's templates in MiniJinja, with the filters and globals the adapter registers."""
    stub = "{% block content %}{% endblock %}{% block scripts %}{% endblock %}"  # Material's base is not ours
    sources = {p.relative_to(THEME).as_posix(): p.read_text(encoding="utf-8") for p in THEME.rglob("*.html")}
    env = minijinja.Environment(templates={**sources, "main.html": stub})
    env.add_filter("url", lambda value: value)
    env.add_filter("money", t.money)
    env.add_filter("number", t.number)
    env.add_filter("longdate", t.date)
    env.add_global("t", lambda key, n=None, **values: t(key, n, **values))
    return env
