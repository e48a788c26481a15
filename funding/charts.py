"""Geometry of the budget chart, from `project_funding()`'s figures.

The SVG include (funding/includes/budget_chart.svg) only draws what this returns, so the
web page and a PDF can share it. Lengths are SVG user units; floats are fine here, they
place pixels, they never reach a sum of money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from djmoney.money import Money

from funding.selectors import PartnerFunding, ProjectFunding, euro


@dataclass(frozen=True)
class Geometry:
    """Every length of the budget chart, in one place: the SVG include reads them from the
    chart (`chart.geometry`), so a change here moves what is drawn.

    Across, the chart has no fixed width: x positions and bar lengths are per cent of the
    width the page gives it (the page's width at 1280 px, the phone's at 360 px), and its
    text keeps its size. Down, lengths are CSS pixels."""

    heading_height: int = 30  # the block under the "The project" heading
    heading_y: int = 18  # that heading's baseline
    row_height: int = 64
    label_y: int = 16  # a row's name: its baseline inside the row
    amount_y: int = 35  # the row's amount, on the line below its name
    bar_y: int = 42  # the bar's top inside a row, below the amount
    bar_height: int = 14
    gap: int = 10  # between the blocks (project, partners, legend)
    legend_row: int = 24
    swatch_width: int = 16
    swatch_gap: int = 8  # between a legend's swatch and its label
    label_chars: int = 34  # a name longer than this is cut (it fits a 360 px phone)

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


FULL = 100  # the chart's width, in per cent


@dataclass(frozen=True)
class Segment:
    label: str
    amount: Money
    colour: str
    x: float  # per cent of the chart's width
    width: float


@dataclass(frozen=True)
class Row:
    label: str
    total: Money | None  # None: budget not yet entered
    y: float
    segments: list[Segment]
    length: float  # the bar's full length, per cent of the chart's width
    share: Decimal | None = None  # the total as a percentage of the approved total


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
    scale: Money  # the amount the chart's full width stands for, in every row
    scale_is_approved: bool  # False: the budgets add up to more than the approved total


def _scale(amount: Decimal, scale: Decimal) -> float:
    return 0.0 if not scale else round(float(amount / scale) * FULL, 3)


def _segments(pieces: list[tuple[str, Money, str]], scale: Decimal) -> list[Segment]:
    segments, x = [], 0.0
    for label, amount, colour in pieces:
        width = _scale(amount.amount, scale)
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
    """Every bar on one scale: the full width is the approved total, so a partner's bar is
    its share of it. Only when the budgets add up to more (figures saved before that rule)
    is the full width their sum, and the chart says so. Labels for the parts that are not
    a funding source come in translated."""
    g = geometry
    colours = {s.pk: PALETTE[i % len(PALETTE)] for i, s in enumerate(funding.sources)}
    approved = funding.approved_total.amount
    scale = max(approved, funding.allocated.amount)
    pieces = [(str(t.source), t.amount, colours[t.source.pk]) for t in funding.source_totals]
    if funding.unplanned.amount:
        pieces.append((unplanned_label, funding.unplanned, UNPLANNED))
    project_row = Row(
        label=approved_label,
        total=funding.approved_total,
        y=g.heading_height,
        segments=_segments(pieces, scale),
        length=_scale(approved, scale),
    )
    first_y = g.heading_height + g.row_height + g.gap + g.heading_height
    partners_heading_y = first_y - g.gap  # just above the first partner's name
    rows = [
        _partner_row(p, first_y + i * g.row_height, scale, colours, unplanned_label, g)
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
        scale=euro(scale),
        scale_is_approved=scale == approved,
    )


def _partner_row(
    partner: PartnerFunding,
    y: float,
    scale: Decimal,
    colours: dict,
    unplanned_label: str,
    g: Geometry,
) -> Row:
    label = partner.organisation.name
    if len(label) > g.label_chars:
        label = label[: g.label_chars - 1].rstrip() + "…"
    if partner.total is None:
        return Row(label=label, total=None, y=y, segments=[], length=0)
    pieces = [(str(p.source), p.amount, colours[p.source.pk]) for p in partner.parts]
    if not partner.plan_entered:
        pieces = [(unplanned_label, partner.total, UNPLANNED)]
    return Row(
        label=label,
        total=partner.total,
        y=y,
        segments=_segments(pieces, scale),
        length=_scale(partner.total.amount, scale),
        share=partner.share_of_approved,
    )
