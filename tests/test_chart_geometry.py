"""The charts' lengths live in one place (funding/charts.py, projects/timeline.py): the SVG
includes draw with them, so changing a length moves what is drawn."""

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from djmoney.money import Money

from funding import charts
from funding.selectors import project_funding
from projects import timeline
from projects.selectors import project_schedule

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def budget_svg(project, geometry: charts.Geometry) -> ET.Element:
    chart = charts.budget_chart(
        project_funding(project),
        unplanned_label="unplanned",
        unallocated_label="unallocated",
        approved_label="approved",
        geometry=geometry,
    )
    with translation.override("en"):
        return ET.fromstring(
            render_to_string("funding/includes/budget_chart.svg", {"chart": chart})
        )


def coloured_bars(svg: ET.Element) -> list[ET.Element]:
    """The bars of the funding sources (their rects carry a <title>), project row included."""
    return [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


@pytest.mark.parametrize(
    "geometry",
    [charts.GEOMETRY, charts.Geometry(bar_y=40, bar_height=22, row_height=70, amount_y=30)],
    ids=["default", "changed"],
)
def test_the_budget_chart_draws_its_bars_where_the_geometry_says(demo, geometry):
    svg = budget_svg(demo, geometry)
    bars = coloured_bars(svg)
    # The project's row (ERDF, state, municipality) and Ventspils's row (the same three).
    assert len(bars) == 6
    for bar in bars:
        assert float(bar.get("y")) == geometry.bar_y
        assert float(bar.get("height")) == geometry.bar_height
    # No viewBox: the width is the page's (per cent), the text keeps its size.
    assert svg.get("viewBox") is None and svg.get("width") == "100%"
    amounts = [t for t in svg.iter(f"{SVG}text") if t.get("data-amount") is not None]
    assert {float(t.get("y")) for t in amounts} == {geometry.amount_y}
    # Partners without a budget: a dashed line through the middle of where the bar would be.
    dashed = [line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 7
    assert {float(line.get("y1")) for line in dashed} == {geometry.bar_y + geometry.bar_height / 2}
    # Rows one row height apart.
    rows = [g for g in svg.iter(f"{SVG}g") if (g.get("transform") or "").startswith("translate")]
    tops = [float(g.get("transform").split()[1].rstrip(")")) for g in rows]
    assert tops[2] - tops[1] == geometry.row_height


def percent(value: str) -> Decimal:
    assert value.endswith("%")
    return Decimal(value[:-1])


def test_the_budget_chart_draws_every_bar_on_the_approved_totals_scale(costed_project):
    """The full width is the approved total (300,000.00) in every row: a partner's bar is its
    share of it, not of the largest partner's budget."""
    svg = budget_svg(costed_project, charts.GEOMETRY)
    rows = [g for g in svg.iter(f"{SVG}g") if g.get("data-row") == "partner"]
    lengths = []
    for row in rows:
        bars = [r for r in row.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
        lengths.append(sum(percent(r.get("width")) for r in bars))
    # 100,000.00, 33,333.33 and 12,345.67 of 300,000.00; the fourth has no budget.
    assert sorted(lengths) == [
        0,
        pytest.approx(Decimal("4.115"), abs=Decimal("0.002")),
        pytest.approx(Decimal("11.111"), abs=Decimal("0.002")),
        pytest.approx(Decimal("33.333"), abs=Decimal("0.002")),
    ]
    project = next(g for g in svg.iter(f"{SVG}g") if g.get("data-row") == "project")
    coloured = [r for r in project.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    # The allocated 145,679.00 of 300,000.00, on the same scale.
    assert sum(percent(r.get("width")) for r in coloured) == pytest.approx(
        Decimal("48.560"), abs=Decimal("0.002")
    )


def test_the_budget_chart_says_when_its_scale_is_not_the_approved_total(costed_project):
    # Figures saved before the rule: the budgets add up to more than the approved total.
    funding = replace(project_funding(costed_project), approved_total=Money("100000.00", "EUR"))
    chart = charts.budget_chart(
        funding,
        unplanned_label="unplanned",
        unallocated_label="unallocated",
        approved_label="approved",
    )
    assert chart.scale == Money("145679.00", "EUR") and not chart.scale_is_approved
    assert max(r.length for r in chart.rows) <= 100


def test_the_budget_chart_legend_follows_the_geometry(demo):
    geometry = charts.Geometry(legend_row=30, swatch_width=20)
    svg = budget_svg(demo, geometry)
    swatches = [r for r in svg.iter(f"{SVG}rect") if r.get("width") == "20"]
    ys = [float(r.get("y")) for r in swatches]
    assert len(ys) == 4  # three sources and "not yet allocated"
    assert [b - a for a, b in zip(ys, ys[1:], strict=False)] == [30, 30, 30]


@pytest.mark.parametrize(
    "geometry",
    [timeline.GEOMETRY, timeline.Geometry(row_height=90, bar_y=40, bar_height=12)],
    ids=["default", "changed"],
)
def test_the_timeline_draws_its_phases_where_the_geometry_says(demo, geometry):
    phases, milestones = project_schedule(demo)
    chart = timeline.timeline_chart(phases, milestones, dt.date(2021, 1, 1), geometry=geometry)
    with translation.override("en"):
        svg = ET.fromstring(
            render_to_string("projects/includes/timeline_chart.svg", {"chart": chart})
        )
    planned = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "url(#planned)"]
    assert len(planned) == 2
    for bar in planned:
        assert float(bar.get("y")) == geometry.bar_y
        assert float(bar.get("height")) == geometry.bar_height
    rows = [
        float(g.get("transform").split()[1].rstrip(")"))
        for g in svg.iter(f"{SVG}g")
        if (g.get("transform") or "").startswith("translate")
    ]
    # Two phase rows, one row height apart, then the milestones below the last one.
    assert rows[1] - rows[0] == geometry.row_height
    assert rows[2] == chart.markers_y == rows[1] + geometry.row_height + geometry.gap
    assert svg.get("viewBox") is None and svg.get("height") == str(chart.height)


@pytest.mark.parametrize(
    "geometry",
    [timeline.GEOMETRY, timeline.Geometry(marker_rows=(40, 70, 100), marker_radius=9)],
    ids=["default", "changed"],
)
def test_the_milestones_circles_alternate_on_the_geometrys_rows(demo, geometry):
    phases, milestones = project_schedule(demo)
    chart = timeline.timeline_chart(phases, milestones, dt.date(2021, 1, 1), geometry=geometry)
    with translation.override("en"):
        svg = ET.fromstring(
            render_to_string("projects/includes/timeline_chart.svg", {"chart": chart})
        )
    circles = list(svg.iter(f"{SVG}circle"))
    assert len(circles) == len(milestones) >= 3
    rows = geometry.marker_rows
    assert [float(c.get("cy")) for c in circles] == [
        rows[i % len(rows)] for i in range(len(circles))
    ]
    assert {float(c.get("r")) for c in circles} == {geometry.marker_radius}
    # The markers' block is tall enough for the lowest circle.
    assert chart.geometry.markers_height >= max(rows) + geometry.marker_radius


def test_the_timelines_years_and_today_line_follow_the_geometry(demo):
    geometry = timeline.Geometry(year_label_y=11, grid_top=17, today_top=19, bottom_margin=9)
    phases, milestones = project_schedule(demo)
    chart = timeline.timeline_chart(phases, milestones, dt.date(2021, 1, 1), geometry=geometry)
    assert chart.today_inside
    with translation.override("en"):
        svg = ET.fromstring(
            render_to_string("projects/includes/timeline_chart.svg", {"chart": chart})
        )
    grid = [line for line in svg.iter(f"{SVG}line") if line.get("stroke") == "#d5d5cf"]
    assert grid and {(line.get("y1"), line.get("y2")) for line in grid} == {
        ("17", str(chart.height - 9))
    }
    years = [t for t in svg.iter(f"{SVG}text") if t.get("fill") == "#555555"]
    assert years and {t.get("y") for t in years} == {"11"}
    (today,) = [line for line in svg.iter(f"{SVG}line") if line.get("stroke") == "#b3261e"]
    assert (today.get("y1"), today.get("y2")) == ("19", str(chart.height - 9))
