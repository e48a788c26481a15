"""Writes of funding data that touch several rows, each in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from djmoney.money import Money

from funding import rules
from funding.models import Budget, BudgetLine, CoFinancingShare
from partners.models import Participation
from projects.models import FundingSource, Project


@transaction.atomic
def budget_set(
    *,
    participation: Participation,
    total: Money,
    plan: Sequence[tuple[FundingSource, Decimal]],
    lines: Sequence[tuple[str, Money]] = (),
    office_flat_rate: Decimal = rules.DEFAULT_OFFICE_FLAT_RATE,
) -> Budget:
    """Enter (or replace) a partner's budget, co-financing plan and cost categories.

    Rows are saved only where they differ, so running it again with the same figures
    leaves the database — and the audit trail — untouched.
    """
    # The project first (ProjectQuerySet.locked): the checks below then read figures no
    # other writer can change before this transaction ends, and the sources' kinds as stored
    # now (a source's kind is changed only under the locks of every project).
    Project.objects.locked(participation.project_id)
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

    budget = Budget.objects.filter(participation=participation).first() or Budget(
        participation=participation
    )
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
