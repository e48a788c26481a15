"""Check a generated portfolio with the portal's own rules (`generate_portfolio --check`).

Over every synthetic budget version, one query: its partners' budgets add up to its total.
Over a sample of projects, each row as a form would check it (`full_clean()`, or for a
decided expenditure line, which no form may change any more, its fields and constraints), the
rules over sets of rows (phases, milestones, co-financing plans, cost categories), the sums as
the pages read them (funding.selectors.project_funding, to the cent) and the ERDF due of each
claim (Claim.clean reads it through expenditure.selectors), and the audit trail: a "+" row
with its user for every record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Sum

from expenditure.models import Claim, ExchangeRate, ExpenditureLine, ReportingPeriod, Status
from expenditure.rules import EURO, to_euro
from funding import rules as funding_rules
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
from funding.rules import CENT
from funding.selectors import project_funding
from partners.models import Participation
from projects import rules as project_rules
from projects.models import Milestone, Phase, Project

PREFIX = "synthetic-"
LINES_PER_STATUS = 3
CLAIMS = 5


def portfolio_problems(sample: int = 10) -> list[str]:
    """What breaks a rule, as sentences naming the project (empty: every rule holds)."""
    problems = list(_version_sums())
    projects = Project.objects.filter(slug__startswith=PREFIX).order_by("slug")
    count = projects.count()
    step = max(1, count // max(sample, 1))
    for project in projects[::step][:sample]:
        with transaction.atomic():  # full_clean() locks the project, as the forms do
            problems += [f"{project.slug}: {p}" for p in _project_problems(project)]
    return problems


def _version_sums() -> Iterator[str]:
    versions = (
        BudgetVersion.objects.filter(project__slug__startswith=PREFIX)
        .annotate(allocated=Sum("budgets__total"))
        .values_list("project__slug", "number", "total", "allocated")
    )
    for slug, number, total, allocated in versions:
        # SQLite adds decimals up as floats: to the cent, that is exact for these sums.
        if Decimal(str(allocated)).quantize(CENT) != total:
            yield f"{slug}: the budgets of version {number} add up to {allocated}, not {total}"


def _cleaned(rows) -> Iterator[str]:
    for row in rows:
        try:
            row.full_clean()
        except ValidationError as exc:
            yield f"{row._meta.label} {row.pk}: {'; '.join(exc.messages)}"


def _project_problems(project: Project) -> Iterator[str]:
    yield from _cleaned([project])
    phases = list(Phase.objects.filter(project=project))
    milestones = list(Milestone.objects.filter(project=project).select_related("phase"))
    yield from _cleaned([*phases, *milestones])
    yield from project_rules.phase_problems(phases)
    yield from project_rules.milestone_problems(milestones, phases)
    yield from _cleaned(ReportingPeriod.objects.filter(project=project))
    yield from _cleaned(Participation.objects.filter(project=project))
    for version in BudgetVersion.objects.filter(project=project):
        yield from _cleaned([version])
        yield from _budget_problems(project, version)
    yield from _expenditure_problems(project)
    yield from _trail_problems(project)


def _budget_problems(project: Project, version: BudgetVersion) -> Iterator[str]:
    budgets = list(Budget.objects.filter(budget_version=version))
    yield from _cleaned(budgets)
    for budget in budgets:
        shares = list(CoFinancingShare.objects.filter(budget=budget).select_related("source"))
        yield from _cleaned(shares)
        yield from funding_rules.plan_problems([s.as_rule_share() for s in shares])
        lines = {
            line.category: line.amount.amount for line in BudgetLine.objects.filter(budget=budget)
        }
        yield from funding_rules.cost_category_problems(
            total=budget.total.amount, lines=lines, office_flat_rate=budget.office_flat_rate
        )
    funding = project_funding(project, version)
    if funding.allocated != version.total or funding.unallocated.amount != 0:
        yield (
            f"version {version.number}: the budget page shows {funding.allocated} allocated "
            f"of {version.total}"
        )
    for partner in funding.partners:
        parts = sum((part.amount.amount for part in partner.parts), 0)
        if partner.total is None or parts != partner.total.amount:
            yield f"version {version.number}: {partner.organisation}'s plan splits {parts}"


def _expenditure_problems(project: Project) -> Iterator[str]:
    lines = ExpenditureLine.objects.filter(participation__project=project).select_related("period")
    rates = {
        (currency, month): rate
        for currency, month, rate in ExchangeRate.objects.values_list("currency", "month", "rate")
    }
    checked: Counter[str] = Counter()
    for line in lines:
        if line.period.project_id != project.pk:
            yield f"line {line.pk}: its period belongs to another project"
        if line.amount_eur is not None:
            yield from _conversion_problems(line, rates)
        checked[line.status] += 1
        if checked[line.status] > LINES_PER_STATUS:
            continue  # a few of each status as a form would: 40 queries a line
        if line.status != Status.DRAFT:
            # Submitted and decided lines refuse a form's change (their clean() says so):
            # check what a save would have checked.
            try:
                line.clean_fields()
                line.validate_constraints()
            except ValidationError as exc:
                yield f"line {line.pk}: {'; '.join(exc.messages)}"
        else:
            yield from _cleaned([line])
    # Each claim's check reads the project's funding (some 40 queries): a few claims.
    yield from _cleaned(Claim.objects.filter(participation__project=project)[:CLAIMS])


def _conversion_problems(line: ExpenditureLine, rates: dict) -> Iterator[str]:
    currency = line.amount.currency.code
    rate = 1 if currency == EURO else rates.get((currency, line.rate_month))
    if rate is None or line.rate != rate:
        yield f"line {line.pk}: rate {line.rate} is not the month's {rate}"
    elif line.amount_eur.amount != to_euro(line.amount.amount, line.rate):
        yield f"line {line.pk}: {line.amount} is not {line.amount_eur} at {line.rate}"
    if line.rate_month != line.submitted_at.date().replace(day=1):
        yield f"line {line.pk}: the rate's month is not the month of submission"


def _trail_problems(project: Project) -> Iterator[str]:
    """Every record has its "+" historical row, with the person who entered it."""
    owned: list[tuple[type[Model], dict]] = [
        (Project, {"pk": project.pk}),
        (Phase, {"project": project}),
        (Milestone, {"project": project}),
        (ReportingPeriod, {"project": project}),
        (Participation, {"project": project}),
        (BudgetVersion, {"project": project}),
        (Budget, {"budget_version__project": project}),
        (CoFinancingShare, {"budget__budget_version__project": project}),
        (BudgetLine, {"budget__budget_version__project": project}),
        (ExpenditureLine, {"participation__project": project}),
        (Claim, {"participation__project": project}),
    ]
    for model, lookup in owned:
        ids = set(model.objects.filter(**lookup).values_list("pk", flat=True))
        entered = set(
            model.history.filter(
                id__in=ids, history_type="+", history_user__isnull=False
            ).values_list("id", flat=True)
        )
        if ids - entered:
            yield f"{len(ids - entered)} {model._meta.verbose_name_plural} have no '+' trail row"
