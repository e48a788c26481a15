"""Small builders for test data beyond the demo network (e.g. a project of 50 partners)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from djmoney.money import Money

from funding.models import BudgetVersion
from funding.services import budget_set, budget_version_add
from partners.models import City, Organisation, Participation
from projects.models import FundingSource, Phase, Programme, Project


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def source(code: str, kind: str = FundingSource.Kind.MUNICIPAL, position: int = 50):
    obj, _ = FundingSource.objects.get_or_create(
        code=code, defaults={"name": code, "short_name": code, "kind": kind, "position": position}
    )
    return obj


def erdf() -> FundingSource:
    return source("erdf", FundingSource.Kind.EU_FUND, 10)


def project(slug: str = "big", approved: str = "750000.00", partners: int = 0) -> Project:
    programme, _ = Programme.objects.get_or_create(
        name="URBACT III",
        defaults={
            "fund": erdf(),
            "period_start": dt.date(2014, 1, 1),
            "period_end": dt.date(2020, 12, 31),
        },
    )
    proj = Project.objects.create(
        programme=programme,
        name=f"Project {slug}",
        acronym=slug.upper()[:30],
        slug=slug,
    )
    budget_version_add(
        BudgetVersion(
            project=proj,
            kind=BudgetVersion.Kind.PLANNED,
            date=dt.date(2019, 12, 1),
            document_reference_lv=f"Pieteikums {slug}",
            document_reference_en=f"Application {slug}",
            total=eur(approved),
        )
    )
    Phase.objects.create(
        project=proj,
        number=1,
        start=dt.date(2020, 1, 1),
        planned_end=dt.date(2021, 1, 1),
        actual_end=dt.date(2021, 4, 1),
    )
    for i in range(partners):
        participation(proj, f"{slug}-p{i}", lead=(i == 0))
    return proj


def participation(proj: Project, slug: str, lead: bool = False, country: str = "LV"):
    city, _ = City.objects.get_or_create(
        name=f"City {slug}",
        country=country,
        defaults={"latitude": Decimal("56.9"), "longitude": Decimal("24.1")},
    )
    org = Organisation.objects.create(name=f"Organisation {slug}", slug=slug, city=city)
    role = Participation.Role.LEAD if lead else Participation.Role.PARTNER
    return Participation.objects.create(project=proj, organisation=org, role=role)


def current_version(proj: Project) -> BudgetVersion:
    return BudgetVersion.objects.current_of(proj.pk)


def new_version(
    proj: Project,
    kind: str = BudgetVersion.Kind.MODIFICATION,
    date: dt.date = dt.date(2021, 6, 1),
    total: str | None = None,
    reference: str = "Grozījumi Nr. 1",
) -> BudgetVersion:
    """A new version of the project's budget, a copy of the current one (the service)."""
    return budget_version_add(
        BudgetVersion(
            project=proj,
            kind=kind,
            date=date,
            document_reference_lv=reference,
            document_reference_en=reference.replace("Grozījumi Nr.", "Modification No."),
            total=eur(total) if total else None,
        )
    )


def with_budget(part: Participation, total: str, erdf_rate: str = "85", own_rate: str = "15"):
    plan = [(erdf(), Decimal(erdf_rate))]
    if Decimal(own_rate):
        plan.append((source(f"own-{part.organisation.slug}"), Decimal(own_rate)))
    return budget_set(participation=part, total=eur(total), plan=plan)


def reporting_period(proj: Project, number: int, start: dt.date, end: dt.date):
    from expenditure.models import ReportingPeriod

    return ReportingPeriod.objects.create(project=proj, number=number, start=start, end=end)


def expenditure_line(part: Participation, period, amount: str, currency: str = "EUR", **values):
    """A draft line of `part` in `period` (staff costs, paid on the period's start)."""
    from expenditure.models import ExpenditureLine

    values = {
        "paid_on": period.start,
        "category": "staff",
        "description": "Staff costs",
        "supplier": "",
        "document_reference": "",
    } | values
    return ExpenditureLine.objects.create(
        participation=part, period=period, amount=Money(Decimal(amount), currency), **values
    )
