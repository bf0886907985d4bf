"""Dev tool, not part of Netkit: print OUTLINE for toolkit/network/overview/denmark.py from Natural Earth's coast.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python docs/denmark_outline.py /tmp/package/countries-10m.json   # then paste its output over OUTLINE

countries-10m.json is TopoJSON: its arcs are quantised and delta-encoded integers, turned back into degrees with the
file's transform (scale, translate). Denmark is the MultiPolygon whose id is its ISO 3166 numeric code "208" (only
Denmark proper: Greenland and the Faroe Islands are features of their own). Each polygon's outer ring is kept if its
area is at least MIN_AREA km², named by the known place that lies on it, simplified with Douglas-Peucker at EPSILON
(in degrees of latitude, longitude scaled by cos 56° as on the map) and rounded to 3 decimals.
"""

from __future__ import annotations

import json
import math
import sys

MIN_AREA = 10.0  # km²: smaller islands are a speck at the map's 640 px
EPSILON = 0.005  # degrees: under a pixel at the map's 640 px, so the 2x PNG and the print stay smooth
ASPECT = math.cos(math.radians(56.15))  # the map's own scale of longitude
# A place on each island, to name the rings (the order is the order in OUTLINE: largest first).
PLACES = {
    "Jylland": (9.40, 56.45), "Sjælland og Falster": (11.79, 55.44), "Fyn": (10.39, 55.40),
    "Lolland": (11.50, 54.78), "Bornholm": (14.90, 55.12), "Mors": (8.80, 56.80), "Als": (9.90, 54.98),
    "Langeland": (10.71, 54.94),
    "Møn": (12.30, 54.98), "Læsø": (11.00, 57.27), "Samsø": (10.60, 55.87), "Ærø": (10.40, 54.88),
    "Amager": (12.60, 55.63), "Fanø": (8.42, 55.40), "Anholt": (11.56, 56.70),
}

Point = tuple[float, float]


def rings(topo: dict, feature_id: str) -> list[list[Point]]:
    """The outer rings of a feature's polygons, in degrees (holes dropped: Denmark's have none)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(index: int) -> list[Point]:
        x = y = 0
        points = []
        for dx, dy in topo["arcs"][index if index >= 0 else ~index]:  # ~index: the arc run backwards
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if index >= 0 else points[::-1]

    def ring(indices: list[int]) -> list[Point]:
        points: list[Point] = []
        for index in indices:
            points.extend(arc(index)[1 if points else 0:])  # an arc starts where the one before it ends
        return points

    geometry = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == feature_id)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ring(polygon[0]) for polygon in polygons]


def area(points: list[Point]) -> float:
    """Square kilometres (shoelace on degrees scaled to km: plenty for ranking islands)."""
    scale = math.cos(math.radians(sum(p[1] for p in points) / len(points)))
    twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True))
    return abs(twice) / 2 * scale * 111.32**2


def inside(point: Point, points: list[Point]) -> bool:
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def simplify(points: list[Point], epsilon: float) -> list[Point]:
    """Douglas-Peucker on a closed ring: split at the point farthest from the first, simplify both halves."""
    if points[0] == points[-1]:
        points = points[:-1]
    far = max(range(len(points)), key=lambda i: _distance(points[i], points[0], points[0]))
    first, second = _douglas_peucker(points[:far + 1], epsilon), _douglas_peucker(points[far:] + points[:1], epsilon)
    return first[:-1] + second[:-1]


def _douglas_peucker(points: list[Point], epsilon: float) -> list[Point]:
    if len(points) < 3:
        return points
    index = max(range(1, len(points) - 1), key=lambda i: _distance(points[i], points[0], points[-1]))
    if _distance(points[index], points[0], points[-1]) <= epsilon:
        return [points[0], points[-1]]
    return _douglas_peucker(points[:index + 1], epsilon)[:-1] + _douglas_peucker(points[index:], epsilon)


def _distance(p: Point, a: Point, b: Point) -> float:
    """From p to the segment a-b, longitude scaled as on the map."""
    (px, py), (ax, ay), (bx, by) = ((q[0] * ASPECT, q[1]) for q in (p, a, b))
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy))) if dx or dy else 0.0
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def rounded(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for lon, lat in points:
        point = (round(lon, 3), round(lat, 3))
        if not out or point != out[-1]:
            out.append(point)
    return out


def literal(outline: dict[str, list[Point]]) -> str:
    lines = ["OUTLINE: dict[str, tuple[tuple[float, float], ...]] = {"]
    for name, points in outline.items():
        lines.append(f'    "{name}": (')
        line = "       "
        for lon, lat in points:
            item = f" ({lon}, {lat}),"
            if len(line) + len(item) > 120:
                lines.append(line)
                line = "       "
            line += item
        lines += [line, "    ),"]
    return "\n".join([*lines, "}"])


def main(path: str) -> None:
    with open(path, encoding="utf-8") as file:
        topo = json.load(file)
    kept = [r for r in rings(topo, "208") if area(r) >= MIN_AREA]
    outline: dict[str, list[Point]] = {}
    for name, place in PLACES.items():
        matches = [r for r in kept if inside(place, r)]
        if matches:
            outline[name] = rounded(simplify(matches[0], EPSILON))
            kept.remove(matches[0])
    if kept:
        sys.exit(f"{len(kept)} island(s) without a name in PLACES: add a place on each")
    print(literal(outline))
    print(f"# {sum(len(p) for p in outline.values())} points", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
