"""Place partner cities on the static Europe outline map.

Why this exists: the map of the network is a plain SVG drawn on the server,
with no map library, tile server or JavaScript. Its country outlines live in
``partners/static/partners/map/europe.svg`` and ``europe-path.txt`` beside it, which were
projected once, offline, by ``scripts/build_europe_svg.py``. A city dot only
lands on the right spot if it is projected with exactly the same projection,
parameters and viewBox as those outlines, and that is what :func:`project`
does.

The projection is the spherical Lambert azimuthal equal-area projection
centred at 10°E 52°N (the same centre as the EU's EPSG:3035, but on a sphere:
at 1000 px wide the ellipsoid makes no visible difference). The map frame is
the smallest rectangle holding the projected lon/lat box -12..35°E, 34..71°N,
scaled to :data:`VIEWBOX_WIDTH` units wide. SVG y grows downwards, so a city
further north has a *smaller* y.

IMPORTANT: these constants must match scripts/build_europe_svg.py, which
imports this module to project the outlines, so that the two cannot drift
apart. If anything here changes, rebuild the map (see partners/static/partners/map/SOURCE.md);
tests/test_geo.py checks that the SVG's viewBox still matches.
"""

from __future__ import annotations

import math
from decimal import Decimal

# Centre of the projection, in degrees.
CENTER_LATITUDE = 52.0
CENTER_LONGITUDE = 10.0

# Geographic box the map must show, in degrees (west, south, east, north).
BBOX_WEST = -12.0
BBOX_SOUTH = 34.0
BBOX_EAST = 35.0
BBOX_NORTH = 71.0

# Width of the SVG viewBox, in user units; the height follows from the
# projection (see VIEWBOX_HEIGHT below).
VIEWBOX_WIDTH = 1000

_SIN_PHI0 = math.sin(math.radians(CENTER_LATITUDE))
_COS_PHI0 = math.cos(math.radians(CENTER_LATITUDE))


def _laea(latitude: float, longitude: float) -> tuple[float, float]:
    """Project onto the unit sphere's LAEA plane (x east, y north)."""
    phi = math.radians(latitude)
    dlam = math.radians(longitude - CENTER_LONGITUDE)
    sin_phi, cos_phi = math.sin(phi), math.cos(phi)
    cos_dlam = math.cos(dlam)
    denominator = 1.0 + _SIN_PHI0 * sin_phi + _COS_PHI0 * cos_phi * cos_dlam
    if denominator <= 1e-12:
        # Only the antipode of the centre (170°W 52°S) cannot be projected.
        raise ValueError("point is the antipode of the projection centre")
    k = math.sqrt(2.0 / denominator)
    x = k * cos_phi * math.sin(dlam)
    y = k * (_COS_PHI0 * sin_phi - _SIN_PHI0 * cos_phi * cos_dlam)
    return x, y


def _bbox_extent() -> tuple[float, float, float, float]:
    """Return (x_min, x_max, y_min, y_max) of the projected geographic box.

    The box's edges are curves once projected, so they are sampled every
    quarter degree; the extremes fall on corners or on the central meridian,
    which are all sample points.
    """
    steps = 4  # samples per degree
    points: list[tuple[float, float]] = []
    west, east = round(BBOX_WEST * steps), round(BBOX_EAST * steps)
    south, north = round(BBOX_SOUTH * steps), round(BBOX_NORTH * steps)
    for i in range(west, east + 1):
        points.append(_laea(BBOX_SOUTH, i / steps))
        points.append(_laea(BBOX_NORTH, i / steps))
    for j in range(south, north + 1):
        points.append(_laea(j / steps, BBOX_WEST))
        points.append(_laea(j / steps, BBOX_EAST))
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return min(xs), max(xs), min(ys), max(ys)


_X_MIN, _X_MAX, _Y_MIN, _Y_MAX = _bbox_extent()
# SVG units per unit of the projection plane.
SCALE = VIEWBOX_WIDTH / (_X_MAX - _X_MIN)
# Height of the SVG viewBox (rounded up to a whole unit; 989 with the values
# above).
VIEWBOX_HEIGHT = math.ceil((_Y_MAX - _Y_MIN) * SCALE)


def project(latitude: Decimal | float, longitude: Decimal | float) -> tuple[float, float]:
    """Return the SVG (x, y) of a point, in the map's viewBox.

    ``latitude`` and ``longitude`` are in decimal degrees (north and east
    positive), as stored on ``City``. Points inside the map's geographic box
    fall inside ``0..VIEWBOX_WIDTH`` x ``0..VIEWBOX_HEIGHT``; points outside it
    are still projected, and may fall outside the viewBox.
    """
    x, y = _laea(float(latitude), float(longitude))
    return (x - _X_MIN) * SCALE, (_Y_MAX - y) * SCALE
