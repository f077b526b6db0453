"""The editor's description of a campaign, and the online editor at ``site/admin/`` (``extra.campaign.admin``).

Both editors run the same app (``vitrine/edit/app/``) from the same description: its kind, languages, schemas
and words (``describe``). ``vitrine edit`` serves it with its local API; a build with ``admin`` set writes it into
the site with the Git host's backend (``git.js``) and that description as ``campaign.json``, the page's policy
allowing only its own scripts, by hash, and requests to the site and the host's API. Without the setting the site
has no ``admin/`` at all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vitrine.build.csp import file_hash
from vitrine.core.assets import PACKAGE
from vitrine.core.cache import write_atomic
from vitrine.core.i18n import Translator
from vitrine.read import json_schemas
from vitrine.read.admin import Admin
from vitrine.read.schema import MUST

APP = PACKAGE / "edit" / "app"
# The editor's four kinds of entry -> the schema of each campaign kind (a makers campaign has its own).
SCHEMAS = {
    "charity": {"person": "person", "product": "product", "testimony": "testimony", "event": "event"},
    "makers": {"person": "maker", "product": "maker-product", "testimony": "account", "event": "event"},
}
TRANSLATIONS = {"charity": "translation", "makers": "maker-translation"}
# The online page's scripts, in the order they run: the YAML library, the story writer, the host's backend, the app.
SCRIPTS = ("yaml.js", "front.js", "git.js", "editor.js")
COPIED = (*SCRIPTS, "editor.css", "yaml-licence.txt")
FOLDER = "admin"


def strings(t: Translator) -> dict[str, str]:
    """Every word the app shows, in the editors' language: the catalogs' ``edit_*`` keys, without the prefix, as
    written (the app puts in the values their ``{name}`` marks)."""
    return {
        key.removeprefix("edit_"): v for key, v in t.strings.items() if key.startswith("edit_") and isinstance(v, str)
    }


SAID_BY_THE_FIELD = {"a text", "true or false"}  # a text box, a checkbox: no help needed


def said(schema: dict[str, Any], t: Translator) -> dict[str, Any]:
    """A schema whose help texts (the checker's words, "rating must be a whole number from 1 to 5") are in the
    editors' language, as the checker says them."""
    for key, prop in schema.get("properties", {}).items():
        if key in MUST and MUST[key].text not in SAID_BY_THE_FIELD:
            what = t.say(MUST[key])  # "a whole number, 0 or more": under its label, the key's name says nothing more
            prop["description"] = f"{what[:1].upper()}{what[1:]}."
        elif key in MUST:
            prop.pop("description", None)
    for definition in schema.get("$defs", {}).values():
        said(definition, t)
    return schema


def describe(kind: str, lang: str, languages: tuple[str, ...], stories: str, t: Translator) -> dict[str, Any]:
    """What the app reads first (``GET /api/campaign``, ``campaign.json``): the campaign's kind, languages,
    stories folder, each entry's schema and the words, in the editors' language ``t``."""
    names = SCHEMAS[kind] | {"translation": TRANSLATIONS[kind]}
    schemas = {entry: said(json_schemas.schema(name), t) for entry, name in names.items()}
    return {"kind": kind, "lang": lang, "dir": t.dir, "languages": list(languages), "stories": stories,
            "strings": strings(t), "schemas": schemas}  # fmt: skip


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def policy(admin: Admin, hashes: list[str]) -> str:
    """The admin page's own policy: its scripts by hash, requests to the site and the host's API only."""
    scripts = " ".join(f"'sha256-{h}'" for h in hashes)
    return (f"default-src 'none'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {origin(admin.api_root)}; frame-src 'self'; base-uri 'none'; form-action 'none'; "
            "object-src 'none'")  # fmt: skip


def page(admin: Admin) -> tuple[str, list[str]]:
    """The admin page: the app's index.html, its files named relatively, each script with its integrity, the
    policy first in its head, and never indexed; and the scripts' hashes (for ``_headers``)."""
    html = (APP / "index.html").read_text(encoding="utf-8")
    hashes = [file_hash((APP / name).read_bytes()) for name in SCRIPTS]
    tags = "\n".join(
        f'<script src="{name}" integrity="sha256-{digest}" defer></script>'
        for name, digest in zip(SCRIPTS, hashes, strict=True)
    )
    html = html.replace('href="/app/editor.css"', 'href="editor.css"')
    html = re.sub(r'<script src="/app/editor.js" defer></script>', lambda _: tags, html)
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy(admin, hashes)}">',
            '<meta name="robots" content="noindex, nofollow">',
            '<meta name="referrer" content="no-referrer">',
        ]
    )
    return html.replace('<meta charset="utf-8">', head, 1), hashes


def files(admin: Admin, description: dict[str, Any], cache: Path) -> tuple[dict[str, Path], list[str]]:
    """The admin page's files, site URL -> file, all in ``cache`` (the site's copies are links to them: never to
    the package's own files), and the hashes of its scripts."""
    html, hashes = page(admin)
    backend = {"backend": admin.backend, "repo": admin.repo, "branch": admin.branch, "api": admin.api_root}
    data = json.dumps(description | {"online": backend, "preview": "../"}, ensure_ascii=False, sort_keys=True)
    made = {"index.html": html.encode("utf-8"), "campaign.json": data.encode("utf-8")}
    made |= {name: (APP / name).read_bytes() for name in COPIED}
    for name, content in made.items():
        if not (cache / name).is_file() or (cache / name).read_bytes() != content:
            write_atomic(cache / name, content)
    return {f"{FOLDER}/{name}": cache / name for name in made}, hashes
