"""What Vitrine changes in Material's own templates, applied to the installed Material when a template loads.

Vitrine's pages extend Material's ``main.html`` blocks; the one template it must change inside is ``base.html``,
and it changes it by two edits to Material's installed file rather than by a copy of it, so a Material upgrade
(a new hashed stylesheet name, a new block) reaches the pages as it is:

1. the drawer and search toggles lose ``autocomplete="off"``, not allowed on a checkbox (Nu HTML Checker);
   ``vitrine.js`` unchecks them instead if a browser restored them;
2. no hreflang ``<link>`` to each language's home (relative, so invalid, and not the page's counterpart): each
   page's alternates are in ``sitemap.xml`` (``vitrine/seo.py``).

An edit whose place is not found leaves Material's markup as it is (``tests/test_valid_html.py`` finds each one
in the Material that ``requirements.lock`` installs). Vitrine's own templates (``main.html``, ``vitrine/``) are
autoescaped, once, here; Material's keep their own setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

EDITED = "base.html"
HREFLANG = re.compile(r"[ \t]*\{% if config\.extra\.alternate is iterable %\}.*?\{% endif %\}\n", re.S)
TOGGLES = re.compile(r'( id="__(?:drawer|search)") autocomplete="off"')


def edit_base(source: str) -> str:
    """Material's ``base.html`` with Vitrine's two edits."""
    return TOGGLES.sub(r"\1", HREFLANG.sub("", source, count=1))


def autoescaped(name: str | None) -> bool:
    """Whether a template is Vitrine's: its values are text, escaped once (Material's are not)."""
    return name is not None and (name == "main.html" or name.startswith("vitrine/"))


class Edited(jinja2.BaseLoader):
    """The host's template loader, with Material's ``base.html`` edited as it loads (a campaign's own
    ``base.html`` in its ``overrides/`` is its own, untouched)."""

    def __init__(self, inner: jinja2.BaseLoader, material: Path) -> None:
        self.inner, self.material = inner, material

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template == EDITED and filename and Path(filename).resolve() == (self.material / EDITED).resolve():
            source = edit_base(source)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def prepare(env: Any, material: Path | None) -> None:
    """Vitrine's setting of a host's template environment: autoescape for its own templates, base.html edited."""
    env.autoescape = autoescaped
    if material is not None and not isinstance(env.loader, Edited):
        env.loader = Edited(env.loader, material)
