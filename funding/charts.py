"""Geometry of the budget chart, from `project_funding()`'s figures.

The SVG include (projects/includes/budget_chart.svg) only draws what this returns, so the
web page and a PDF can share it. Lengths are SVG user units; floats are fine here, they
place pixels, they never reach a sum of money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from djmoney.money import Money

from funding.selectors import PartnerFunding, ProjectFunding

WIDTH = 640
ROW_HEIGHT = 46
BAR_Y = 24  # the bar's top inside a row, below the row's label
BAR_HEIGHT = 14
HEADING_HEIGHT = 30
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


@dataclass(frozen=True)
class BudgetChart:
    width: int
    height: float
    project_row: Row
    partners_heading_y: float
    rows: list[Row]
    legend: list[LegendItem]
    legend_y: float


def _scale(amount: Decimal, largest: Decimal) -> float:
    return 0.0 if not largest else round(float(amount / largest) * WIDTH, 2)


def _segments(pieces: list[tuple[str, Money, str]], largest: Decimal) -> list[Segment]:
    segments, x = [], 0.0
    for label, amount, colour in pieces:
        width = _scale(amount.amount, largest)
        if width > 0:
            segments.append(Segment(label, amount, colour, x, width))
        x += width
    return segments


def budget_chart(
    funding: ProjectFunding, *, unplanned_label: str, unallocated_label: str, approved_label: str
) -> BudgetChart:
    """Labels for the parts that are not a funding source come in translated."""
    colours = {s.pk: PALETTE[i % len(PALETTE)] for i, s in enumerate(funding.sources)}
    approved = funding.approved_total.amount
    pieces = [(str(t.source), t.amount, colours[t.source.pk]) for t in funding.source_totals]
    if funding.unplanned.amount:
        pieces.append((unplanned_label, funding.unplanned, UNPLANNED))
    project_row = Row(
        label=approved_label,
        total=funding.approved_total,
        y=HEADING_HEIGHT,
        segments=_segments(pieces, approved),
        length=WIDTH,
    )
    first_y = HEADING_HEIGHT * 2 + ROW_HEIGHT + 10
    largest = max((p.total.amount for p in funding.partners if p.total), default=Decimal(0))
    rows = [
        _partner_row(p, first_y + i * ROW_HEIGHT, largest, colours, unplanned_label)
        for i, p in enumerate(funding.partners)
    ]
    legend = [LegendItem(str(s), colours[s.pk]) for s in funding.sources]
    if funding.unplanned.amount:
        legend.append(LegendItem(unplanned_label, UNPLANNED))
    legend.append(LegendItem(unallocated_label, "url(#unallocated)"))
    legend_y = first_y + len(rows) * ROW_HEIGHT + 10
    return BudgetChart(
        width=WIDTH,
        height=legend_y + 24 * len(legend) + 4,
        project_row=project_row,
        partners_heading_y=HEADING_HEIGHT + ROW_HEIGHT + 24,
        rows=rows,
        legend=legend,
        legend_y=legend_y,
    )


def _partner_row(
    partner: PartnerFunding, y: float, largest: Decimal, colours: dict, unplanned_label: str
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
        segments=_segments(pieces, largest),
        length=_scale(partner.total.amount, largest),
    )
