"""Geometry of the budget chart, from `project_funding()`'s figures.

The SVG include (funding/includes/budget_chart.svg) only draws what this returns, so the
web page and a PDF can share it. Lengths are SVG user units; floats are fine here, they
place pixels, they never reach a sum of money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from djmoney.money import Money

from funding.selectors import PartnerFunding, ProjectFunding


@dataclass(frozen=True)
class Geometry:
    """Every length of the budget chart, in one place: the SVG include reads them from the
    chart (`chart.geometry`), so a change here moves what is drawn."""

    width: int = 640
    heading_height: int = 30  # the block under the "The project" heading
    heading_y: int = 18  # that heading's baseline
    row_height: int = 46
    label_y: int = 16  # a row's name and amount: their baseline inside the row
    bar_y: int = 24  # the bar's top inside a row, below the row's label
    bar_height: int = 14
    gap: int = 10  # between the blocks (project, partners, legend)
    legend_row: int = 24
    swatch_width: int = 16
    swatch_gap: int = 8  # between a legend's swatch and its label

    @property
    def bar_middle(self) -> float:
        """Where the dashed line of a partner without a budget runs."""
        return self.bar_y + self.bar_height / 2

    @property
    def legend_text_x(self) -> int:
        return self.swatch_width + self.swatch_gap


GEOMETRY = Geometry()

# One colour per funding source, in the sources' order (EU fund first); sober, and told
# apart in greyscale print too.
PALETTE = ["#1f4e8c", "#d9a21b", "#3a8f5c", "#8c3a6b", "#5b7fa6", "#a5632a"]
UNPLANNED = "#9a9a9a"


@dataclass(frozen=True)
class Segment:
    label: str
    amount: Money
    colour: str
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    label: str
    total: Money | None  # None: budget not yet entered
    y: float
    segments: list[Segment]
    length: float  # the bar's full length (the approved total for the project row)


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    y: float  # the swatch's top


@dataclass(frozen=True)
class BudgetChart:
    geometry: Geometry
    height: float
    project_row: Row
    partners_heading_y: float
    rows: list[Row]
    legend: list[LegendItem]
    legend_y: float

    @property
    def width(self) -> int:
        return self.geometry.width


def _scale(amount: Decimal, largest: Decimal, width: int) -> float:
    return 0.0 if not largest else round(float(amount / largest) * width, 2)


def _segments(pieces: list[tuple[str, Money, str]], largest: Decimal, full: int) -> list[Segment]:
    segments, x = [], 0.0
    for label, amount, colour in pieces:
        width = _scale(amount.amount, largest, full)
        if width > 0:
            segments.append(Segment(label, amount, colour, x, width))
        x += width
    return segments


def budget_chart(
    funding: ProjectFunding,
    *,
    unplanned_label: str,
    unallocated_label: str,
    approved_label: str,
    geometry: Geometry = GEOMETRY,
) -> BudgetChart:
    """Labels for the parts that are not a funding source come in translated."""
    g = geometry
    colours = {s.pk: PALETTE[i % len(PALETTE)] for i, s in enumerate(funding.sources)}
    approved = funding.approved_total.amount
    pieces = [(str(t.source), t.amount, colours[t.source.pk]) for t in funding.source_totals]
    if funding.unplanned.amount:
        pieces.append((unplanned_label, funding.unplanned, UNPLANNED))
    project_row = Row(
        label=approved_label,
        total=funding.approved_total,
        y=g.heading_height,
        segments=_segments(pieces, approved, g.width),
        length=g.width,
    )
    first_y = g.heading_height * 2 + g.row_height + g.gap
    partners_heading_y = first_y - g.label_y  # on the line a first row's label would take
    largest = max((p.total.amount for p in funding.partners if p.total), default=Decimal(0))
    rows = [
        _partner_row(p, first_y + i * g.row_height, largest, colours, unplanned_label, g.width)
        for i, p in enumerate(funding.partners)
    ]
    legend_y = first_y + len(rows) * g.row_height + g.gap
    swatches = [(str(s), colours[s.pk]) for s in funding.sources]
    if funding.unplanned.amount:
        swatches.append((unplanned_label, UNPLANNED))
    swatches.append((unallocated_label, "url(#unallocated)"))
    legend = [
        LegendItem(label, colour, legend_y + i * g.legend_row)
        for i, (label, colour) in enumerate(swatches)
    ]
    return BudgetChart(
        geometry=g,
        height=legend_y + g.legend_row * len(legend) + 4,
        project_row=project_row,
        partners_heading_y=partners_heading_y,
        rows=rows,
        legend=legend,
        legend_y=legend_y,
    )


def _partner_row(
    partner: PartnerFunding,
    y: float,
    largest: Decimal,
    colours: dict,
    unplanned_label: str,
    width: int,
) -> Row:
    label = partner.organisation.name
    if partner.total is None:
        return Row(label=label, total=None, y=y, segments=[], length=0)
    pieces = [(str(p.source), p.amount, colours[p.source.pk]) for p in partner.parts]
    if not partner.plan_entered:
        pieces = [(unplanned_label, partner.total, UNPLANNED)]
    return Row(
        label=label,
        total=partner.total,
        y=y,
        segments=_segments(pieces, largest, width),
        length=_scale(partner.total.amount, largest, width),
    )
