"""Where things are made: the makers and products of each region, as a list and as a small map.

What serves a visitor on a phone best is the list by region (always there, read by screen readers, one tap
to each maker and product); the map, drawn at build time as inline SVG from the vendored outlines of the
departments (``vitrine/data/``, CC BY 4.0, credited in ``CREDIT``), shows at a glance where the makers are.
It makes no request to any other site: no tiles, no script.

A region is matched case-, accent- and punctuation-insensitively (``makers.fold``), by its name or a usual
other name (``Bretagne``, ``brittany``, ``PACA``...). A region the map does not know (overseas, a country,
a typo) still has its entry in the list; only the map leaves it out.

For the page layer::

    regions = where.by_region(campaign)           # [(region, [makers], [products]), ...]
    svg = where.map_svg(regions, title="Où c'est fabriqué")   # Markup-safe text: inline it as is
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Callable, Iterable
from html import escape
from typing import Any, NamedTuple
from urllib.parse import quote

from vitrine.core import assets
from vitrine.read.makers import fold

DATA = assets.DATA / "france-departments.json"
CREDIT = {
    "fr": "Carte : Victor Cazanave, svg-maps, CC BY 4.0 (modifiée)",
    "en": "Map: Victor Cazanave, svg-maps, CC BY 4.0 (modified)",
}
CREDIT_URL = "https://github.com/VictorCazanave/svg-maps"

# The 13 regions of metropolitan France (2016) and their departments.
REGIONS: dict[str, tuple[str, ...]] = {
    "Auvergne-Rhône-Alpes": ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"),
    "Bourgogne-Franche-Comté": ("21", "25", "39", "58", "70", "71", "89", "90"),
    "Bretagne": ("22", "29", "35", "56"),
    "Centre-Val de Loire": ("18", "28", "36", "37", "41", "45"),
    "Corse": ("2A", "2B"),
    "Grand Est": ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"),
    "Hauts-de-France": ("02", "59", "60", "62", "80"),
    "Île-de-France": ("75", "77", "78", "91", "92", "93", "94", "95"),
    "Normandie": ("14", "27", "50", "61", "76"),
    "Nouvelle-Aquitaine": ("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"),
    "Occitanie": ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"),
    "Pays de la Loire": ("44", "49", "53", "72", "85"),
    "Provence-Alpes-Côte d'Azur": ("04", "05", "06", "13", "83", "84"),
}
ALIASES = {  # other names an editor may write, folded
    "auvergne rhone alpes": "Auvergne-Rhône-Alpes", "aura": "Auvergne-Rhône-Alpes",
    "bourgogne franche comte": "Bourgogne-Franche-Comté", "bfc": "Bourgogne-Franche-Comté",
    "burgundy franche comte": "Bourgogne-Franche-Comté",
    "bretagne": "Bretagne", "brittany": "Bretagne",
    "centre val de loire": "Centre-Val de Loire", "centre": "Centre-Val de Loire",
    "corse": "Corse", "corsica": "Corse",
    "grand est": "Grand Est",
    "hauts de france": "Hauts-de-France",
    "ile de france": "Île-de-France",
    "normandie": "Normandie", "normandy": "Normandie",
    "nouvelle aquitaine": "Nouvelle-Aquitaine",
    "occitanie": "Occitanie",
    "pays de la loire": "Pays de la Loire",
    "provence alpes cote d azur": "Provence-Alpes-Côte d'Azur", "paca": "Provence-Alpes-Côte d'Azur",
    "region sud": "Provence-Alpes-Côte d'Azur", "sud": "Provence-Alpes-Côte d'Azur",
}  # fmt: skip
# One colour per region on the map: muted, told apart, and dark enough under white borders.
COLOURS = ("#b5533c", "#3f7f6e", "#6a5a9c", "#b8862b", "#40729e", "#8c4f77", "#5f8a3a",
           "#a2683c", "#2f7f8f", "#9b4b4b", "#4d6b8a", "#7a7a2e", "#8a5a9a")  # fmt: skip
EMPTY = "#e4e0d8"  # a department of a region with nothing made there


class Region(NamedTuple):
    name: str  # as the map knows it ("Bretagne"), else as first written
    makers: list[Any]  # model.Person, by name
    products: list[Any]  # model.Product, by title
    departments: tuple[str, ...] = ()  # empty: not on the map (overseas, abroad, unknown)


def known(region: str) -> str | None:
    """The map's name of ``region`` as written, or None."""
    return ALIASES.get(fold(region))


def slug(region: str) -> str:
    """The region's part of its anchor (``region-<slug>``): its folded words joined by hyphens, in any script
    (``Île-de-France`` -> ``ile-de-france``, ``广东`` -> ``广东``), so two regions never share one, as they did when
    a name without Latin letters came out as the default of every such name. One per region of ``by_region``,
    which tells regions apart by it."""
    return "-".join(unicodedata.normalize("NFC", fold(region)).split()) or "region"


def anchor(region: str) -> str:
    """The id of the region's entry in the list: the map's and any link's target."""
    return f"region-{slug(region)}"


def by_region(campaign: Any) -> list[Region]:
    """Every region named by a maker or a product, by name, each with its makers and its products;
    makers and products without a region are left out (they have nothing to show here)."""
    groups: dict[str, Region] = {}
    for kind, items in (("makers", campaign.people.values()), ("products", campaign.products.values())):
        for item in items:
            if not fold(getattr(item, "region", "")):
                continue
            name = known(item.region) or item.region.strip()
            key = slug(name)
            if key not in groups:
                groups[key] = Region(name, [], [], REGIONS.get(name, ()))
            getattr(groups[key], kind).append(item)
    for region in groups.values():
        region.makers.sort(key=lambda p: (fold(p.name), p.slug))
        region.products.sort(key=lambda p: (fold(p.title), p.slug))
    return sorted(groups.values(), key=lambda r: fold(r.name))


def describe_fr(region: Region) -> str:
    makers, products = len(region.makers), len(region.products)
    return (f"{region.name} : {makers} artisan{'s' * (makers > 1)}, "
            f"{products} produit{'s' * (products > 1)}")  # fmt: skip


def describe_en(region: Region) -> str:
    makers, products = len(region.makers), len(region.products)
    return f"{region.name}: {makers} maker{'s' * (makers != 1)}, {products} product{'s' * (products != 1)}"


@functools.cache
def _outlines() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def map_svg(
    regions: Iterable[Region], title: str, describe: Callable[[Region], str] = describe_fr, link: str = "#region-{slug}"
) -> str:
    """The map as inline SVG: departments of the regions where something is made are coloured by region,
    each region a link to its entry of the list (``link``, with ``{slug}`` the region's ``where.slug``,
    percent-encoded; "" for no link) and titled with ``describe(region)``; the rest is grey. ``title`` names the
    map (``<title>`` and ``aria-label``). Every text is escaped: the result can be inserted as is."""
    outlines = _outlines()
    shown = [r for r in regions if r.departments]
    coloured = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(REGIONS)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{outlines["viewBox"]}" role="img" '
        f'aria-label="{escape(title)}" class="vitrine-map">',
        f"<title>{escape(title)}</title>",
        f'<g fill="{EMPTY}" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">',
    ]
    used = {d for r in shown for d in r.departments}
    departments = outlines["departments"]
    parts += [f'<path d="{departments[d]["d"]}"/>' for d in sorted(departments) if d not in used]
    for region in shown:
        label = escape(describe(region))
        group = f'<g fill="{coloured[region.name]}"><title>{label}</title>'
        group += "".join(f'<path d="{departments[d]["d"]}"/>' for d in region.departments)
        group += "</g>"
        if link:
            href = escape(link.format(slug=quote(slug(region.name))))
            group = f'<a href="{href}" aria-label="{label}">{group}</a>'
        parts.append(group)
    parts.append("</g></svg>")
    return "".join(parts)
