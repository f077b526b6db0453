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
    where.colour(region.name)                     # its colour on the map, for a legend
"""

from __future__ import annotations

import functools
import json
import re
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


def colour(region: str) -> str:
    """The colour of a region on the map (and its legend's swatch); EMPTY for one the map does not know."""
    names = list(REGIONS)
    return COLOURS[names.index(region) % len(COLOURS)] if region in REGIONS else EMPTY


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The closed outlines of a path made of ``M x y`` (absolute), ``l dx dy ...`` (relative) and ``z``."""
    rings: list[list[tuple[float, float]]] = []
    for command, args in re.findall(r"([MlZz])([^MlZz]*)", d):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            rings.append([(numbers[0], numbers[1])])
        elif command == "l" and rings:
            x, y = rings[-1][-1]
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=False):
                x, y = x + dx, y + dy
                rings[-1].append((x, y))
    return rings


def _centre(paths: Iterable[str]) -> tuple[float, float]:
    """Where a region's number goes: the centroid of its departments' outlines, weighted by their areas
    (the shoelace formula)."""
    area = cx = cy = 0.0
    for points in (ring for d in paths for ring in _rings(d)):
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    return (cx / (3 * area), cy / (3 * area)) if area else (0.0, 0.0)


def map_svg(
    regions: Iterable[Region], title: str, describe: Callable[[Region], str] = describe_fr, link: str = "#region-{slug}"
) -> str:
    """The map as inline SVG: departments of the regions where something is made are coloured by region and
    carry the region's number (its place among them, as the legend numbers them: colour is not the only
    sign), each region a link to its entry of the list (``link``, with ``{slug}`` the region's ``where.slug``,
    percent-encoded; "" for no link) and titled with ``describe(region)``; the rest is grey. ``title`` names the
    map (``<title>`` and ``aria-label``): an image without links, a group of links with them. Every text is
    escaped: the result can be inserted as is."""
    outlines = _outlines()
    shown = [r for r in regions if r.departments]
    role = "group" if link else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{outlines["viewBox"]}" role="{role}" '
        f'aria-label="{escape(title)}" class="vitrine-map">',
        f"<title>{escape(title)}</title>",
        f'<g fill="{EMPTY}" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">',
    ]
    used = {d for r in shown for d in r.departments}
    departments = outlines["departments"]
    parts += [f'<path d="{departments[d]["d"]}"/>' for d in sorted(departments) if d not in used]
    marks = []
    for number, region in enumerate(shown, 1):
        label = escape(describe(region))
        paths = [departments[d]["d"] for d in region.departments]
        x, y = _centre(paths)
        group = f'<g fill="{colour(region.name)}"><title>{label}</title>'
        group += "".join(f'<path d="{d}"/>' for d in paths)
        group += "</g>"
        mark = (f'<g class="vitrine-map__mark" aria-hidden="true"><circle cx="{x:.0f}" cy="{y:.0f}" r="17" '
                f'fill="#ffffff" stroke="#2b2620" stroke-width="2"/><text x="{x:.0f}" y="{y:.0f}" dy="0.35em" '
                f'text-anchor="middle" font-size="20" font-weight="700" fill="#2b2620" stroke="none">'
                f"{number}</text></g>")  # fmt: skip
        if link:  # the number inside the link: a bigger target, and the focus ring around both
            href = escape(link.format(slug=quote(slug(region.name))))
            # its name begins with the number it shows (WCAG 2.5.3, axe label-content-name-mismatch)
            parts.append(f'<a href="{href}" aria-label="{number} – {label}">{group}{mark}</a>')
        else:
            parts.append(group)
            marks.append(mark)
    parts += marks
    parts.append("</g></svg>")
    return "".join(parts)
