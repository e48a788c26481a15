"""The map of a partnership: partner cities placed on the offline Europe outline.

The outline (partners/static/partners/map/europe-path.txt) and the dots share
partners/geo.py's projection.
The view box is cut to the partner cities (plus a margin), so the cities are not lost in
a map of the whole continent; the outline outside it is simply clipped by the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from partners import geo

MARGIN = 90
MIN_SIZE = 420
LABEL_ROOM = 150  # a label near the right edge goes to the left of its dot


@dataclass(frozen=True)
class Dot:
    name: str
    organisation: str
    is_lead: bool
    x: float
    y: float
    label_x: float
    label_anchor: str  # "start" or "end"


@dataclass(frozen=True)
class PartnerMap:
    dots: list[Dot]
    viewbox: str
    outline: str


@cache
def europe_outline() -> str:
    return (Path(__file__).parent / "static" / "partners" / "map" / "europe-path.txt").read_text()


def _viewbox(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    if not points:
        return 0, 0, geo.VIEWBOX_WIDTH, geo.VIEWBOX_HEIGHT
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, right = min(xs) - MARGIN, max(xs) + MARGIN
    top, bottom = min(ys) - MARGIN, max(ys) + MARGIN
    grow_x, grow_y = max(0, MIN_SIZE - (right - left)) / 2, max(0, MIN_SIZE - (bottom - top)) / 2
    left, right, top, bottom = left - grow_x, right + grow_x, top - grow_y, bottom + grow_y
    left, top = max(0.0, left), max(0.0, top)
    right, bottom = min(float(geo.VIEWBOX_WIDTH), right), min(float(geo.VIEWBOX_HEIGHT), bottom)
    return left, top, right - left, bottom - top


def partner_map(participations) -> PartnerMap:
    """Participations with `organisation__city` loaded; one dot per city."""
    dots: dict[tuple[str, str], Dot] = {}
    for part in participations:
        city = part.organisation.city
        x, y = geo.project(city.latitude, city.longitude)
        dots.setdefault(
            (city.name, city.country.code),
            Dot(city.name, part.organisation.name, part.is_lead, round(x, 1), round(y, 1), 0, ""),
        )
    left, top, width, height = _viewbox([(d.x, d.y) for d in dots.values()])
    placed = []
    for dot in dots.values():
        on_right = dot.x > left + width - LABEL_ROOM
        placed.append(
            Dot(
                dot.name,
                dot.organisation,
                dot.is_lead,
                dot.x,
                dot.y,
                label_x=dot.x - 11 if on_right else dot.x + 11,
                label_anchor="end" if on_right else "start",
            )
        )
    return PartnerMap(
        dots=placed,
        viewbox=f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}",
        outline=europe_outline(),
    )
