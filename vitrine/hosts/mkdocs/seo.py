"""hreflang alternates: each page's counterpart in every language of the campaign,
written in sitemap.xml (vitrine/theme/sitemap.xml; Material's JavaScript would fetch
a sitemap beside each page URL put in a <link rel="alternate">).

Search engines want them absolute, so they are built from the config's ``site_url``
(``mkdocs.en.yml``'s is the English root) and the ``link`` of each
``extra.alternate`` entry, as Material's language selector uses it. None in
``mkdocs serve`` (MkDocs points ``site_url`` at the preview there, and the other
languages are not served), nor without a ``site_url``: a relative alternate is
invalid, and an absolute one must not send the preview to the production host.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import urljoin


class Page(Protocol):  # the host's page (MkDocs' or ProperDocs')
    @property
    def url(self) -> str: ...


def alternates(config: Mapping[str, Any], page: Page | None, serving: bool) -> list[dict[str, str]]:
    """``[{"lang": "fr", "href": "https://…/products/cafe/"}, …]`` for this page."""
    site_url = config.get("site_url")
    entries = (config.get("extra") or {}).get("alternate")
    if serving or not site_url or not isinstance(entries, list):
        return []
    root = site_url if site_url.endswith("/") else site_url + "/"
    path = page.url if page is not None and page.url and not page.url.startswith("404") else ""
    found = []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("lang") and isinstance(entry.get("link", ""), str):
            found.append({"lang": str(entry["lang"]), "href": urljoin(root, (entry.get("link") or "") + path)})
    return found


def sitemap(config: Mapping[str, Any], files: Iterable[object], serving: bool) -> dict[str, list[dict[str, str]]]:
    """Every page's alternates, by the page's URL, for the sitemap's template (``files``: the host's, each with
    its page or none)."""
    pages: list[Page] = [page for f in files if (page := getattr(f, "page", None))]
    return {page.url: alternates(config, page, serving) for page in pages}
