"""Geometry of the spending chart: certified spending to date at the end of each reporting
period, against the plan (what is allocated to the partners), from `project_expenditure()`.

As the budget chart (funding/charts.py): the SVG include only draws what this returns, x
positions and lengths are per cent of the width the page gives it (text keeps its size on a
phone), lengths down are CSS pixels; floats place pixels and never reach a sum of money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from djmoney.money import Money

from expenditure.selectors import ProjectExpenditure
from funding.charts import GEOMETRY, Geometry
from funding.selectors import euro

CERTIFIED = "#1f4e8c"  # the budget chart's EU-fund blue: certified spending
IN_PERIOD = "#5b7fa6"  # certified in the period itself, the last piece of the bar
FULL = 100


@dataclass(frozen=True)
class PeriodBar:
    label: str
    certified: Money  # certified in the period
    to_date: Money  # certified in it and the periods before
    y: float
    before: float  # per cent of the width: certified before the period
    length: float  # certified to date
    includes_samples: bool  # the figure to date counts a sample line (so says its label)

    @property
    def in_period(self) -> float:
        """The last piece of the bar: certified in the period itself."""
        return round(self.length - self.before, 3)


@dataclass(frozen=True)
class SpendingChart:
    geometry: Geometry
    height: float
    rows: list[PeriodBar]
    plan: Money  # what the full width of the bar's background stands for
    plan_x: float  # where the plan's line is drawn (100 unless more was certified)
    scale: Money
    certified_colour: str = CERTIFIED
    in_period_colour: str = IN_PERIOD


def _scale(amount: Decimal, scale: Decimal) -> float:
    return 0.0 if not scale else round(float(amount / scale) * FULL, 3)


def spending_chart(
    figures: ProjectExpenditure, *, period_label: str, geometry: Geometry = GEOMETRY
) -> SpendingChart:
    """One bar per reporting period: the certified spending to date, on the scale of the
    plan. `period_label` formats a period ("Period %(number)s"), translated by the caller."""
    g = geometry
    plan = figures.total.planned.amount
    last = figures.periods[-1].certified_to_date.amount if figures.periods else Decimal(0)
    scale = max(plan, last)
    rows = []
    for i, row in enumerate(figures.periods):
        before = row.certified_to_date.amount - row.figures.certified.amount
        rows.append(
            PeriodBar(
                label=period_label % {"number": row.period.number},
                certified=row.figures.certified,
                to_date=row.certified_to_date,
                y=g.heading_height + i * g.row_height,
                before=_scale(before, scale),
                length=_scale(row.certified_to_date.amount, scale),
                includes_samples=row.to_date_includes_samples,
            )
        )
    return SpendingChart(
        geometry=g,
        height=g.heading_height + len(rows) * g.row_height + g.gap,
        rows=rows,
        plan=euro(plan),
        plan_x=_scale(plan, scale),
        scale=euro(scale),
    )
