"""The demo's reporting periods, and on request clearly labelled sample expenditure.

The sources give no expenditure at all, so `seed_demo` enters only reporting periods,
following the phases (../shared/DOMAIN.md): phase 1 as one period; phase 2 as four six-month
periods over its planned 24 months, plus its 3-month extension. No report due dates are
invented: they are left empty. `seed_demo --sample-expenditure` adds sample lines, each marked
`is_sample` and described as a sample in both languages ("SAMPLE / PARAUGS"), one of them
in RON (Botoșani) at a rate from the shipped sample rates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from djmoney.money import Money

from expenditure import services
from expenditure.importing import load_rates
from expenditure.models import ExpenditureLine, ReportingPeriod
from partners.models import Participation
from projects.models import Project

D = dt.date

# number, start, end (phase 2 starts on 7 May 2020; planned end 7 May 2022, actual 7 Aug 2022)
PERIODS = [
    (1, D(2019, 9, 2), D(2020, 3, 2)),  # phase 1
    (2, D(2020, 5, 7), D(2020, 11, 6)),
    (3, D(2020, 11, 7), D(2021, 5, 6)),
    (4, D(2021, 5, 7), D(2021, 11, 6)),
    (5, D(2021, 11, 7), D(2022, 5, 7)),
    (6, D(2022, 5, 8), D(2022, 8, 7)),  # the COVID extension
]

SAMPLE_RATES = Path(__file__).resolve().parent.parent / "expenditure" / "samples" / "rates.csv"
SAMPLE = "SAMPLE / PARAUGS – "
# partner, period, paid on, category, description, supplier, amount, currency
SAMPLE_LINES = [
    ("ventspils", 2, D(2020, 6, 30), "staff", "project officer, June 2020", "", "1500.00", "EUR"),
    ("ventspils", 2, D(2020, 6, 17), "expertise", "interpreting at the online kick-off",
     "Sample supplier SIA", "480.00", "EUR"),
    ("botosani", 2, D(2020, 9, 15), "travel", "travel to a transnational meeting",
     "Sample travel agency SRL", "1250.50", "RON"),
]  # fmt: skip


@transaction.atomic
def load_reporting_periods(project: Project) -> list[ReportingPeriod]:
    """The project's periods as above; a second run changes nothing."""
    periods = []
    for number, start, end in PERIODS:
        period = ReportingPeriod.objects.filter(project=project, number=number).first()
        if period is None or (period.start, period.end) != (start, end):
            period = period or ReportingPeriod(project=project, number=number)
            period.start, period.end = start, end
            period.full_clean()
            period.save()
        periods.append(period)
    return periods


@transaction.atomic
def load_sample_expenditure(project: Project, submitted_by) -> list[ExpenditureLine]:
    """Sample lines (is_sample) for two partners, submitted to the controller, unless there
    are sample lines already. The sample rates are loaded for the RON line's conversion."""
    if ExpenditureLine.objects.filter(participation__project=project, is_sample=True).exists():
        return []
    load_rates(SAMPLE_RATES.read_text(encoding="utf-8"))
    periods = {p.number: p for p in load_reporting_periods(project)}
    partners = {p.organisation.slug: p for p in Participation.objects.filter(project=project)}
    lines = []
    for slug, number, paid_on, category, text, supplier, amount, currency in SAMPLE_LINES:
        line = ExpenditureLine(
            participation=partners[slug],
            period=periods[number],
            paid_on=paid_on,
            category=category,
            description=SAMPLE + text,
            supplier=supplier,
            document_reference="SAMPLE",
            amount=Money(Decimal(amount), currency),
            is_sample=True,
        )
        line.full_clean()
        line.save()
        lines.append(line)
    # Submitted in the month after the last payment, at that month's sample rate.
    when = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))
    services.submit(lines, submitted_by, now=when)
    return lines
