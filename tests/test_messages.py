"""Every message an editor reads goes through the catalogs (``vitrine/locales/``), in French and English at
least, and a campaign extends them without editing Vitrine.

The code writes each message as a literal English template (``msg("...")``, or the template argument of
``error``, ``warning``, ``hold``, ``notice``): this test finds every one in the source and asks the French
catalog for it, with the same fields.
"""

from __future__ import annotations

import ast
import os
import shutil
import string
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, make_project

from vitrine.core.errors import VERBATIM, msg
from vitrine.core.i18n import LOCALES, Translator

TEMPLATE_AT = {"msg": 0, "error": 2, "warning": 2, "hold": 2, "notice": 2}  # the argument that is the template
BIN = Path(sys.executable).parent


def templates() -> dict[str, str]:
    """Every message template in Vitrine's code, with where it is first written."""
    found: dict[str, str] = {}
    for file in sorted((ROOT / "vitrine").rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            at = TEMPLATE_AT.get(name)
            literal = at is not None and len(node.args) > at and isinstance(node.args[at], ast.Constant)
            if literal and isinstance(node.args[at].value, str):
                found.setdefault(node.args[at].value, f"{file.relative_to(ROOT)}:{node.lineno}")
    return found


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def catalog(lang: str) -> dict:
    return yaml.safe_load((LOCALES / f"{lang}.yml").read_text(encoding="utf-8"))


def test_the_code_writes_many_messages_and_each_is_a_literal() -> None:
    assert len(templates()) > 200
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "vitrine").rglob("*.py"))
    for call in ("error(", "warning(", "hold(", "notice("):  # never an f-string: it could not be looked up
        assert f'{call}path, line, f"' not in source and f'{call}label, None, f"' not in source


def test_every_message_is_in_french_with_the_same_values() -> None:
    french = catalog("fr")["messages"]
    missing = {t: where for t, where in templates().items() if t not in french and t != VERBATIM}
    assert not missing, missing
    for english, translated in french.items():
        forms = translated.values() if isinstance(translated, dict) else [translated]
        for form in forms:
            assert fields(form) == fields(english), english
        if isinstance(translated, dict):
            assert {"one", "other"} <= set(translated), english


def test_no_catalog_keeps_a_message_the_code_no_longer_writes() -> None:
    written = templates()
    for lang in ("fr", "en"):
        assert not [t for t in catalog(lang).get("messages", {}) if t not in written], lang


def test_every_page_string_is_in_french() -> None:
    pages = catalog("en")["pages"]
    assert set(catalog("fr")["pages"]) == set(pages)
    assert set(catalog("ar")["pages"]) <= set(pages)


def test_messages_are_said_in_the_language_with_their_plurals() -> None:
    fr, en = Translator("fr"), Translator("en")
    assert fr.say(msg("{n} errors", n=1)) == "1 erreur" and fr.say(msg("{n} errors", n=2)) == "2 erreurs"
    assert en.say(msg("{n} errors", n=1)) == "1 error" and en.say(msg("{n} errors", n=0)) == "0 errors"
    nested = msg("{key} must be {what}", key="rating", what=msg("a whole number from 1 to 5"))
    assert fr.say(nested) == "rating doit être un nombre entier de 1 à 5"
    assert str(nested) == en.say(nested) == "rating must be a whole number from 1 to 5"
    assert Translator("pt-BR").say(nested) == str(nested)  # no catalog: English


def test_a_campaign_adds_a_language_and_changes_a_word_without_editing_vitrine(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    shutil.rmtree(project / "stories/people/sans-accord")
    (project / "stories/people/amina-k/savon.md").write_text("---\nrating: 9\n---\nTrop.\n", encoding="utf-8")
    (project / "locales").mkdir()
    (project / "locales/de.yml").write_text(yaml.safe_dump({"messages": {
        "{key} must be {what}": "{key} muss {what} sein", "a whole number from 1 to 5": "eine ganze Zahl von 1 bis 5",
        "ERROR": "FEHLER"}}, allow_unicode=True), encoding="utf-8")  # fmt: skip
    (project / "locales/fr.yml").write_text("pages:\n  give: Soutenir\n", encoding="utf-8")
    env = {**os.environ, "VITRINE_LANGUAGE": "de"}
    german = subprocess.run([str(BIN / "vitrine"), "check"], cwd=project, env=env, capture_output=True, text=True)
    assert "FEHLER: stories/people/amina-k/savon.md:2: rating muss eine ganze Zahl von 1 bis 5 sein" in german.stderr
    assert "vitrine check: 1 error" in german.stderr  # what German does not say yet falls back to English
    assert Translator("fr", [project / "locales"])("give") == "Soutenir"  # a word of the site, changed
    assert Translator("fr", [project / "locales"])("give_this") == "Offrir ce produit"  # the others kept
