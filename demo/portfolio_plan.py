"""What one synthetic project is made of, derived from the seed and its number alone.

`plan_project()` is a pure function: the generator (demo/portfolio.py) calls it again in each
phase instead of keeping 10,000 projects in memory, and gets the same dates, partners and
figures every time. Every figure keeps the portal's rules: the partners' budgets of a version
add up to its total to the cent (`split_exactly`), a co-financing plan's rates to 100 %,
office costs are the flat rate of staff costs, phases do not overlap, milestones lie within
their phase, reporting periods follow each other.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from funding.rules import CENT, DEFAULT_OFFICE_FLAT_RATE, cut_to_cent, office_costs

D = dt.date
AS_OF = D(2026, 11, 1)  # the generated history ends here (fixed, so that a seed is a portfolio)
FIRST_START, LAST_START = D(2016, 1, 1), D(2024, 6, 1)
DAY = dt.timedelta(days=1)

# country, latitude, longitude (a point inside it), ERDF rate, national rate (the rest: municipal)
COUNTRIES = [
    ("LV", 56.9, 24.6, 85, 5), ("LT", 55.3, 23.9, 85, 5), ("EE", 58.7, 25.5, 85, 5),
    ("PL", 52.1, 19.4, 85, 5), ("RO", 45.9, 24.9, 85, 5), ("BG", 42.7, 25.3, 85, 5),
    ("HU", 47.2, 19.4, 85, 5), ("GR", 39.1, 22.0, 85, 5), ("PT", 39.6, -8.0, 85, 5),
    ("IT", 42.8, 12.5, 70, 10), ("ES", 40.2, -3.6, 70, 10), ("FR", 46.6, 2.4, 70, 10),
    ("DE", 51.1, 10.4, 70, 10), ("NL", 52.2, 5.5, 70, 10), ("BE", 50.6, 4.6, 70, 10),
    ("FI", 62.5, 25.9, 70, 10), ("SE", 59.3, 15.2, 70, 10), ("AT", 47.6, 14.1, 70, 10),
    ("CZ", 49.8, 15.5, 85, 5), ("SI", 46.1, 14.8, 85, 5), ("HR", 45.4, 16.0, 85, 5),
    ("IE", 53.2, -7.9, 70, 10), ("DK", 56.0, 9.3, 70, 10), ("SK", 48.7, 19.7, 85, 5),
]  # fmt: skip
RATES = {code: (Decimal(erdf), Decimal(national)) for code, _lat, _lon, erdf, national in COUNTRIES}
# The one currency other than the euro that spending may be recorded in (Botoșani's).
CURRENCY_OF = {"RO": "RON"}

PHASES, MILESTONES, PERIODS, VERSIONS = 2, 4, 5, 2
CATEGORIES = ["staff", "office", "travel", "expertise"]  # the cost lines of a current budget
SHARES = 3  # EU fund, national, municipal


@dataclass(frozen=True)
class Phase:
    number: int
    approved_on: dt.date
    start: dt.date
    planned_end: dt.date
    actual_end: dt.date | None

    @property
    def end(self) -> dt.date:
        return self.actual_end or self.planned_end


@dataclass(frozen=True)
class Period:
    number: int
    start: dt.date
    end: dt.date

    @property
    def report_due(self) -> dt.date:
        return self.end + 45 * DAY


@dataclass(frozen=True)
class Version:
    number: int
    kind: str
    date: dt.date
    total: Decimal
    budgets: tuple[Decimal, ...]  # per partner, in partner order; they add up to `total`


@dataclass(frozen=True)
class ProjectPlan:
    number: int
    entered: dt.date  # the day the project was entered in the portal
    phases: tuple[Phase, ...]
    periods: tuple[Period, ...]
    partners: tuple[int, ...]  # positions in the organisation pool; -1: the own organisation
    versions: tuple[Version, ...]  # the last one is current

    @property
    def description(self) -> str:
        return (
            f"Synthetic project {self.number:05d}: generated for measuring the portal at scale; "
            "none of its figures is real."
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` (at most the 28th) that many months later."""
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def split_exactly(total: Decimal, weights: list[int]) -> tuple[Decimal, ...]:
    """`total` in parts proportional to `weights`, each cut to the cent, the cents left given
    to the first parts: the parts add up to `total` exactly."""
    whole = sum(weights)
    parts = [cut_to_cent(total * w / whole) for w in weights]
    left = int((total - sum(parts)) / CENT)
    for i in range(left):
        parts[i % len(parts)] += CENT
    return tuple(parts)


def cost_lines(total: Decimal) -> dict[str, Decimal]:
    """A budget's split by cost category: office costs at the flat rate of staff costs, the
    categories adding up to the budget total."""
    staff = cut_to_cent(total * Decimal("0.50"))
    office = office_costs(staff, DEFAULT_OFFICE_FLAT_RATE)
    travel = cut_to_cent(total * Decimal("0.15"))
    return {
        "staff": staff,
        "office": office,
        "travel": travel,
        "expertise": total - staff - office - travel,
    }


def plan_rates(country: str) -> tuple[Decimal, Decimal, Decimal]:
    """(EU fund, national, municipal) rates of a partner's plan: they add up to 100."""
    erdf, national = RATES[country]
    return erdf, national, Decimal(100) - erdf - national


def plan_project(seed: int, number: int, pool_size: int, partners: int) -> ProjectPlan:
    rng = random.Random(f"{seed}:{number}")
    start = FIRST_START + rng.randrange((LAST_START - FIRST_START).days) * DAY
    start = start.replace(day=min(start.day, 28))
    phases = _phases(rng, start)
    periods = _periods(phases)
    chosen = rng.sample(range(pool_size), min(partners - 1, pool_size))
    # The lead first, then the portal's own organisation, then the others.
    members = (chosen[0], -1, *chosen[1:]) if chosen else (-1,)
    weights = [rng.randint(2, 6) for _ in members]
    planned = Decimal(rng.randrange(300_000, 1_500_000)).quantize(CENT)
    approved = (planned * Decimal(rng.randint(95, 105)) / 100).quantize(CENT)
    weights_approved = [w + rng.randint(0, 1) for w in weights]
    versions = (
        Version(1, "planned", phases[0].end + 20 * DAY, planned, split_exactly(planned, weights)),
        Version(
            2,
            "approved",
            phases[1].approved_on,
            approved,
            split_exactly(approved, weights_approved),
        ),
    )
    return ProjectPlan(number, start - 40 * DAY, phases, periods, members, versions)


def _phases(rng: random.Random, start: dt.date) -> tuple[Phase, Phase]:
    first_end = add_months(start, 6) - DAY
    first = Phase(1, start - 14 * DAY, start, first_end, first_end)
    second_start = add_months(start, 8)
    planned_end = add_months(second_start, 24) - DAY
    # A third of the networks were extended by three months, as DigiPlace was.
    real_end = add_months(second_start, 27) - DAY if rng.random() < 0.3 else planned_end
    actual_end = real_end if real_end <= AS_OF else None
    return first, Phase(2, second_start, second_start, planned_end, actual_end)


def _periods(phases: tuple[Phase, Phase]) -> tuple[Period, ...]:
    first, second = phases
    periods = [Period(1, first.start, first.end)]
    for k in range(PERIODS - 1):
        start = add_months(second.start, 6 * k)
        end = add_months(second.start, 6 * (k + 1)) - DAY
        periods.append(Period(k + 2, start, end))
    # The last period runs to the phase's end, its extension included.
    last_end = max(second.end, periods[-1].end)
    periods[-1] = Period(PERIODS, periods[-1].start, last_end)
    return tuple(periods)


def milestones(plan: ProjectPlan) -> list[tuple[int, str, str, dt.date, dt.date | None]]:
    """(phase number, title, kind, first day, last day), each within its phase."""
    first, second = plan.phases
    return [
        (1, "Kick-off meeting", "meeting", first.start + 20 * DAY, first.start + 21 * DAY),
        (1, "Phase 1 closing meeting", "meeting", first.end - 20 * DAY, first.end - 19 * DAY),
        (2, "Phase 2 approved", "decision", second.approved_on, None),
        (2, "Final meeting", "meeting", second.end - 30 * DAY, second.end - 28 * DAY),
    ]
