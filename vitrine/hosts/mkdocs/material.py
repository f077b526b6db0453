"""What Vitrine changes in Material's own templates, applied to the installed Material when a template loads.

Vitrine's pages extend Material's ``main.html`` blocks. The few changes it makes inside Material's templates are
edits to Material's installed files rather than copies of them, so a Material upgrade (a new hashed stylesheet
name, a new block) reaches the pages as it is:

- ``base.html``: the drawer and search toggles lose ``autocomplete="off"``, not allowed on a checkbox (Nu HTML
  Checker; ``vitrine.js`` unchecks them instead if a browser restored them); no hreflang ``<link>`` to each
  language's home (relative, so invalid, and not the page's counterpart: each page's alternates are in
  ``sitemap.xml``, ``vitrine/hosts/mkdocs/seo.py``);
- ``partials/search.html``: the search dialog has a name (axe's aria-dialog-name);
- ``partials/logo.html``: the logo is sized (no layout shift) and decorative (the link around it names the site);
- ``partials/header.html``: giving has its own entry in the header (``vitrine/partials/header_action.html``);
- ``partials/alternate.html``: the language selector leads to this very page in the other language (each
  language is its own build; ``alt.link`` is the other build's root), in that language.

An edit whose place is not found leaves Material's markup as it is (``tests/test_valid_html.py`` finds each one
in the Material that ``requirements.lock`` installs). Vitrine's own templates (``main.html``, ``vitrine/``) are
autoescaped, once, here; Material's keep their own setting.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from vitrine.core.assets import THEME
from vitrine.plan.site import CACHE

HREFLANG = re.compile(r"[ \t]*\{% if config\.extra\.alternate is iterable %\}.*?\{% endif %\}\n", re.S)
ALTERNATE_LINK = """\
          {#- Relative to this page from the site's root (base_url): the other build's root is `alt.link` from
              here, and `| url` would resolve a `../` link against this page rather than the root. -#}
          {%- set same = page.url if page and page.url and page.url[:3] != "404" else "" %}
          {%- set root = base_url if base_url[-1:] == "/" else base_url ~ "/" %}{#- 404.html: an absolute base #}
          {%- set target = alt.link if "://" in alt.link or alt.link[:1] == "/" else root ~ alt.link ~ same %}
            <a href="{{ target }}" hreflang="{{ alt.lang }}" lang="{{ alt.lang }}" class="md-select__link">"""
# Material's template -> (its text, Vitrine's), each found once in the installed Material.
EDITS: dict[str, tuple[tuple[str, str], ...]] = {
    "base.html": (
        (' id="__drawer" autocomplete="off">', ' id="__drawer">'),
        (' id="__search" autocomplete="off">', ' id="__search">'),
    ),
    "partials/search.html": (
        ('<div class="md-search" data-md-component="search" role="dialog">',
         '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
    ),
    "partials/logo.html": (('<img src="{{ config.theme.logo | url }}" alt="logo">',
                            '<img src="{{ config.theme.logo | url }}" alt="" width="24" height="24">'),),
    "partials/header.html": (
        ('    {% if config.extra.alternate %}\n      {% include "partials/alternate.html" %}',
         '    {% include "vitrine/partials/header_action.html" %}\n'
         '    {% if config.extra.alternate %}\n      {% include "partials/alternate.html" %}'),
    ),
    "partials/alternate.html": (
        ('            <a href="{{ alt.link | url }}" hreflang="{{ alt.lang }}" class="md-select__link">',
         ALTERNATE_LINK),
    ),
}  # fmt: skip


def edit(name: str, source: str) -> str:
    """Material's template ``name`` with Vitrine's edits."""
    if name == "base.html":
        source = HREFLANG.sub("", source, count=1)
    for theirs, ours in EDITS.get(name, ()):
        source = source.replace(theirs, ours, 1)
    return source


def autoescaped(name: str | None) -> bool:
    """Whether a template is Vitrine's: its values are text, escaped once (Material's are not)."""
    return name is not None and (name == "main.html" or name.startswith("vitrine/"))


class Edited(jinja2.BaseLoader):
    """The host's template loader, with Material's templates edited as they load (a campaign's own copy of one
    in its ``overrides/`` is its own, untouched)."""

    def __init__(self, inner: jinja2.BaseLoader, material: Path) -> None:
        self.inner, self.material = inner, material

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template in EDITS and filename and Path(filename).resolve() == (self.material / template).resolve():
            source = edit(template, source)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def prepare(env: Any, material: Path | None) -> None:
    """Vitrine's setting of a host's template environment: autoescape for its own templates, Material's edited."""
    env.autoescape = autoescaped
    if material is not None and not isinstance(env.loader, Edited):
        env.loader = Edited(env.loader, material)


def use_theme(config: Any) -> None:
    """Put Vitrine's templates on the theme's search path, after the campaign's own ``custom_dir``
    (so a campaign overrides any of them) and before Material's."""
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))


def follow_system_scheme(theme: Any) -> None:
    """Light or dark as the reader's system says (``prefers-color-scheme``), for every campaign with no palette of its
    own: Material's automatic palette (its first option), resolved to the light or the dark one (``slate``) before
    the page shows. No toggle: nothing to choose. A campaign's palette list, or a single dark scheme, is left as
    written; a single light one keeps its colours in both. Vitrine's own colours follow in vitrine.css (Dark scheme)."""
    palette = theme.get("palette")
    if isinstance(palette, list) or (isinstance(palette, dict) and palette.get("scheme", "default") != "default"):
        return
    colours = {key: (palette or {}).get(key) or "custom" for key in ("primary", "accent")}  # custom: vitrine.css's
    theme["palette"] = [
        {"media": "(prefers-color-scheme)", **colours},
        {"media": "(prefers-color-scheme: light)", "scheme": "default", **colours},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", **colours},
    ]


def material_dir(config: Any) -> Path | None:
    """The theme's own templates (Material's), the last folder of its search path that holds a base.html."""
    return next((Path(d) for d in reversed(config.theme.dirs) if (Path(d) / "base.html").is_file()), None)


def use_bytecode_cache(config: Any, env: Any) -> None:
    # The host makes a new environment per build and language, which compiled every template again (about half
    # of a preview rebuild): their bytecode is kept on disk, checked against each template's source on load.
    # The folder is named by what else shapes the compiled code, so another setup never reads it.
    shape = repr(
        (
            sorted(env.extensions),
            getattr(env.autoescape, "__qualname__", env.autoescape),  # a function's own name, not its address
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.block_start_string,
            env.variable_start_string,
            env.comment_start_string,
            jinja2.__version__,
        )
    )
    folder = Path(config.config_file_path).parent / CACHE / "jinja" / hashlib.sha256(shape.encode()).hexdigest()[:16]
    with contextlib.suppress(OSError):  # no cache, no harm: templates are compiled as before
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
