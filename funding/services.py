"""Writes of funding data that touch several rows, each in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from funding import rules
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
from partners.models import Participation
from projects.models import FundingSource, Project

NO_VERSION_MESSAGE = _(
    "The project has no budget version yet: a project manager enters the first one (as planned "
    "in the application) before partners' budgets can be entered."
)


@transaction.atomic
def budget_version_add(version: BudgetVersion, *, entered_by=None) -> BudgetVersion:
    """Store a new version of a project's budget (e.g. a modification), starting as a copy
    of the current one: every partner's budget, co-financing plan and cost categories; its
    total is the current one's unless set. It becomes the current version, so coordinators
    only edit what changed; the version it supersedes keeps its figures (SUPERSEDED_MESSAGE).
    Done under the project's lock, so no budget of the version copied changes meanwhile."""
    Project.objects.locked(version.project_id)
    current = BudgetVersion.objects.current_of(version.project_id)
    if version.total is None and current is not None:
        version.total = current.total
    version.entered_by = entered_by
    version.full_clean()
    version.save()
    if current is not None:
        _copy_budgets(current, version)
    return version


def _copy_budgets(source: BudgetVersion, target: BudgetVersion) -> None:
    """Every budget of `source`, with its shares and lines, into `target` (row by row, so
    each new row is in the audit trail; checked as the forms check them)."""
    budgets = source.budgets.prefetch_related("shares", "lines").order_by("pk")
    for old in budgets:
        budget = Budget(
            participation_id=old.participation_id,
            budget_version=target,
            total=old.total,
            office_flat_rate=old.office_flat_rate,
        )
        budget.full_clean()
        budget.save()
        for share in old.shares.all():
            CoFinancingShare(budget=budget, source_id=share.source_id, rate=share.rate).save()
        for line in old.lines.all():
            BudgetLine(budget=budget, category=line.category, amount=line.amount).save()


@transaction.atomic
def budget_set(
    *,
    participation: Participation,
    total: Money,
    plan: Sequence[tuple[FundingSource, Decimal]],
    lines: Sequence[tuple[str, Money]] = (),
    office_flat_rate: Decimal = rules.DEFAULT_OFFICE_FLAT_RATE,
) -> Budget:
    """Enter (or replace) a partner's budget, co-financing plan and cost categories in the
    current version of its project's budget (a superseded version does not change).

    Rows are saved only where they differ, so running it again with the same figures
    leaves the database — and the audit trail — untouched.
    """
    # The project first (ProjectQuerySet.locked): the checks below then read figures no
    # other writer can change before this transaction ends, and the sources' kinds as stored
    # now (a source's kind is changed only under the locks of every project).
    Project.objects.locked(participation.project_id)
    version = BudgetVersion.objects.current_of(participation.project_id)
    if version is None:
        raise ValidationError(NO_VERSION_MESSAGE)
    eu_funds = set(
        FundingSource.objects.filter(
            pk__in=[s.pk for s, _ in plan], kind=FundingSource.Kind.EU_FUND
        ).values_list("pk", flat=True)
    )
    problems = rules.plan_problems(
        [rules.Share(key=s.pk, rate=rate, is_eu_fund=s.pk in eu_funds) for s, rate in plan]
    )
    problems += rules.cost_category_problems(
        total=total.amount,
        lines={category: amount.amount for category, amount in lines},
        office_flat_rate=office_flat_rate,
    )
    if problems:
        raise ValidationError(problems)

    budget = Budget.objects.filter(
        participation=participation, budget_version=version
    ).first() or Budget(participation=participation, budget_version=version)
    if budget.pk is None or (budget.total, budget.office_flat_rate) != (total, office_flat_rate):
        budget.total = total
        budget.office_flat_rate = office_flat_rate
        budget.full_clean()
        budget.save()

    _sync(
        budget.shares.all(),
        {source.pk: rate for source, rate in plan},
        key="source_id",
        value="rate",
        make=lambda source_id, rate: CoFinancingShare(
            budget=budget, source_id=source_id, rate=rate
        ),
    )
    _sync(
        budget.lines.all(),
        dict(lines),
        key="category",
        value="amount",
        make=lambda category, amount: BudgetLine(budget=budget, category=category, amount=amount),
    )
    return budget


def _sync(existing, wanted: dict, *, key: str, value: str, make) -> None:
    """Make the rows of `existing` match `wanted` ({key: value}), saving only what differs.

    Rows are saved and deleted one by one (never with a bulk query) so that each change
    reaches the audit trail.
    """
    by_key = {getattr(row, key): row for row in existing}
    for k, row in by_key.items():
        if k not in wanted:
            row.delete()
    for k, v in wanted.items():
        row = by_key.get(k)
        if row is None:
            row = make(k, v)
        elif getattr(row, value) == v:
            continue
        else:
            setattr(row, value, v)
        row.full_clean()
        row.save()
