"""partners.geo puts the partner cities where they belong on the static map."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from partners import geo

MAP_DIR = Path(__file__).resolve().parent.parent / "partners" / "static" / "partners" / "map"

CITIES = {
    "Messina": (38.193, 15.554),
    "Ventspils": (57.389, 21.564),
    "Saint-Quentin": (49.848, 3.287),
    "Roquetas de Mar": (36.764, -2.615),
    "Portalegre": (39.297, -7.428),
    "Botoșani": (47.748, 26.660),
    "Trikala": (39.555, 21.768),
    "Oulu": (65.012, 25.471),
}


def xy(name: str) -> tuple[float, float]:
    return geo.project(*CITIES[name])


@pytest.mark.parametrize("name", CITIES)
def test_each_city_falls_inside_the_viewbox(name):
    x, y = xy(name)
    assert 0 < x < geo.VIEWBOX_WIDTH
    assert 0 < y < geo.VIEWBOX_HEIGHT


def test_north_is_up():
    assert xy("Oulu")[1] < xy("Ventspils")[1] < xy("Saint-Quentin")[1]
    assert xy("Saint-Quentin")[1] < xy("Botoșani")[1] < xy("Trikala")[1]
    assert xy("Trikala")[1] < xy("Messina")[1] < xy("Roquetas de Mar")[1]
    assert xy("Portalegre")[1] < xy("Roquetas de Mar")[1]


def test_east_is_right():
    assert xy("Portalegre")[0] < xy("Roquetas de Mar")[0] < xy("Saint-Quentin")[0]
    assert xy("Saint-Quentin")[0] < xy("Messina")[0] < xy("Trikala")[0]
    assert xy("Trikala")[0] < xy("Botoșani")[0]
    assert xy("Ventspils")[0] < xy("Oulu")[0]


def test_known_positions_do_not_move():
    # Pins the projection: if these change, partners/static/partners/map must be rebuilt too.
    assert xy("Messina") == pytest.approx((582.5, 877.6), abs=0.1)
    assert xy("Oulu") == pytest.approx((637.2, 172.7), abs=0.1)


def test_decimal_and_float_give_the_same_point():
    assert geo.project(Decimal("57.38900"), Decimal("21.56400")) == geo.project(57.389, 21.564)


def test_the_geographic_box_fills_the_viewbox():
    corners = [
        geo.project(lat, lon)
        for lat in (geo.BBOX_SOUTH, geo.BBOX_NORTH)
        for lon in (geo.BBOX_WEST, geo.BBOX_EAST)
    ]
    for x, y in corners:
        assert -1e-6 <= x <= geo.VIEWBOX_WIDTH + 1e-6
        assert -1e-6 <= y <= geo.VIEWBOX_HEIGHT + 1e-6
    assert min(x for x, _ in corners) == pytest.approx(0, abs=1e-6)
    assert max(x for x, _ in corners) == pytest.approx(geo.VIEWBOX_WIDTH, abs=1e-6)
    # The projection centre (10°E) lies on the vertical axis of symmetry.
    centre_x, _ = geo.project(50, geo.CENTER_LONGITUDE)
    left_x, _ = geo.project(50, geo.CENTER_LONGITUDE - 10)
    right_x, _ = geo.project(50, geo.CENTER_LONGITUDE + 10)
    assert centre_x - left_x == pytest.approx(right_x - centre_x)


def test_the_built_svg_uses_the_same_viewbox():
    svg = (MAP_DIR / "europe.svg").read_text(encoding="utf-8")
    match = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert match, "europe.svg has no viewBox"
    assert (int(match[1]), int(match[2])) == (geo.VIEWBOX_WIDTH, geo.VIEWBOX_HEIGHT)


def test_the_path_file_holds_only_path_data():
    d = (MAP_DIR / "europe-path.txt").read_text(encoding="utf-8")
    assert d.startswith("M")
    assert re.fullmatch(r"[MLZ0-9., -]+", d)
