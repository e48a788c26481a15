"""Build europe.svg and europe-path.txt in partners/static/partners/map/ (one-off).

The outlines are projected with partners.geo (imported below), so city dots
placed with partners.geo.project() land on the right spot: the projection
and viewBox must match partners/geo.py, and importing it guarantees they do.

How to rerun (needs Node.js and npm, outside the repo; Python stdlib only):

    mkdir -p /tmp/mapbuild && cd /tmp/mapbuild
    npm init -y && npm install world-atlas@2.0.2 topojson-client@3.1.0
    cd /path/to/repo
    python scripts/build_europe_svg.py /tmp/mapbuild/node_modules

Data: Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON in
the npm package world-atlas; topojson-client turns it into GeoJSON.
See partners/static/partners/map/SOURCE.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = REPO / "partners" / "static" / "partners" / "map"
sys.path.insert(0, str(REPO))

from partners import geo  # noqa: E402

TOPOLOGY = "world-atlas/countries-50m.json"
FILL = "#d9d9d9"
STROKE = "#ffffff"

# Natural Earth draws de facto borders. This portal follows the EU's view:
# Crimea is drawn as part of Ukraine and Northern Cyprus as part of Cyprus
# (the part holding the given lon/lat point moves, and the border between the
# two is dissolved with topojson.merge). Kosovo is left as Natural Earth has it.
TRANSFERS = [
    ("Russia", "Ukraine", (34.1, 45.0)),  # Crimea
    ("N. Cyprus", "Cyprus", (33.4, 35.25)),
]

# Runs in Node with NODE_PATH=<node_modules>: decodes the topology with
# topojson-client, applies TRANSFERS, prints a GeoJSON FeatureCollection.
NODE_DECODE = r"""
const fs = require("fs");
const topojson = require("topojson-client");
const [, file, transfersJson] = process.argv;
const topology = JSON.parse(fs.readFileSync(file, "utf8"));
const geometries = topology.objects.countries.geometries;
const named = (name) => {
  const found = geometries.find((g) => g.properties.name === name);
  if (!found) throw new Error("no country named " + name);
  return found;
};
const parts = (g) => (g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : []);
const inside = ([x, y], ring) => {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) c = !c;
  }
  return c;
};
const merged = new Map();
for (const [fromName, toName, point] of JSON.parse(transfersJson)) {
  const from = named(fromName), to = named(toName);
  const geometry = topojson.feature(topology, from).geometry;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const index = polygons.findIndex((polygon) => inside(point, polygon[0]));
  if (index < 0) throw new Error(fromName + " has no part at " + point);
  const part = parts(from)[index];
  const rest = parts(from).filter((_, i) => i !== index);
  if (rest.length) Object.assign(from, { type: "MultiPolygon", arcs: rest });
  else Object.assign(from, { type: null, arcs: undefined });
  Object.assign(to, { type: "MultiPolygon", arcs: [...parts(to), part] });
  merged.set(to, topojson.merge(topology, [to]));
}
const features = topojson.feature(topology, topology.objects.countries).features;
features.forEach((f, i) => {
  if (merged.has(geometries[i])) f.geometry = merged.get(geometries[i]);
});
process.stdout.write(JSON.stringify({ type: "FeatureCollection", features }));
"""

Point = tuple[float, float]


def load_countries(node_modules: Path) -> list[dict]:
    """Decode the world-atlas topology to GeoJSON features with topojson-client."""
    out = subprocess.run(
        ["node", "-e", NODE_DECODE, str(node_modules / TOPOLOGY), json.dumps(TRANSFERS)],
        check=True,
        capture_output=True,
        env={**os.environ, "NODE_PATH": str(node_modules)},
    ).stdout
    return json.loads(out)["features"]


def clip(ring: list[Point], width: float, height: float) -> list[Point]:
    """Clip a closed ring to the rectangle 0..width x 0..height.

    Sutherland-Hodgman: exact for filled shapes against a convex window; it
    may leave zero-width slivers along the frame, which are invisible.
    """
    edges = (
        (lambda p: p[0] >= 0, lambda a, b: _cross_x(a, b, 0.0)),
        (lambda p: p[0] <= width, lambda a, b: _cross_x(a, b, width)),
        (lambda p: p[1] >= 0, lambda a, b: _cross_y(a, b, 0.0)),
        (lambda p: p[1] <= height, lambda a, b: _cross_y(a, b, height)),
    )
    for inside, cross in edges:
        if not ring:
            break
        points, ring = ring, []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    ring.append(cross(previous, current))
                ring.append(current)
            elif inside(previous):
                ring.append(cross(previous, current))
            previous = current
    return ring


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def ring_to_path(ring: list[list[float]]) -> str:
    """Project, clip and round one GeoJSON ring; '' if nothing is left."""
    projected = [geo.project(lat, lon) for lon, lat in ring[:-1]]
    clipped = clip(projected, geo.VIEWBOX_WIDTH, geo.VIEWBOX_HEIGHT)
    points: list[tuple[str, str]] = []
    for x, y in clipped:
        point = (_fmt(x), _fmt(y))
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3 or _area(points) < 0.05:
        return ""
    head, *tail = (f"{x},{y}" for x, y in points)
    return f"M{head}L{' '.join(tail)}Z"


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _area(points: list[tuple[str, str]]) -> float:
    xy = [(float(x), float(y)) for x, y in points]
    return (
        abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(xy, xy[1:] + xy[:1], strict=True)))
        / 2
    )


def feature_to_path(feature: dict) -> str:
    geometry = feature["geometry"]
    if geometry is None:
        return ""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return "".join(ring_to_path(ring) for polygon in polygons for ring in polygon)


def main(node_modules: Path) -> None:
    paths: list[tuple[str, str]] = []
    for feature in load_countries(node_modules):
        d = feature_to_path(feature)
        if d:
            paths.append((feature["properties"]["name"], d))
    paths.sort()
    width, height = geo.VIEWBOX_WIDTH, geo.VIEWBOX_HEIGHT
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Europe, Natural Earth 1:50m countries (public domain) via world-atlas;"
        " Lambert azimuthal equal-area at 10E 52N. Built by scripts/build_europe_svg.py;"
        " matches partners/geo.py. -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}">',
        f'<g fill="{FILL}" fill-rule="evenodd" stroke="{STROKE}" stroke-width="0.6"'
        ' stroke-linejoin="round">',
    ]
    for name, d in paths:
        escaped = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        lines.append(f'<path data-name="{escaped}" d="{d}"/>')
    lines += ["</g>", "</svg>", ""]
    (OUT / "europe.svg").write_text("\n".join(lines), encoding="utf-8")
    (OUT / "europe-path.txt").write_text("".join(d for _, d in paths), encoding="utf-8")
    print(f"{len(paths)} countries, viewBox 0 0 {width} {height}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
