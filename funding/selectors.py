"""Reads that gather a project's funding figures.

`project_funding()` is the one function behind the budget page, the overview, the CSV and
the PDF reports: they only present what it returns, so every figure matches everywhere.
It runs a fixed number of queries, whatever the number of partners.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from djmoney.money import Money

from funding import rules
from funding.models import Budget, BudgetLine, CoFinancingShare, CostCategory
from partners.models import Participation
from projects.models import FundingSource

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")


def euro(amount: Decimal) -> Money:
    return Money(amount, "EUR")


def allocated_of(budgets: Iterable[Budget | None]) -> Money:
    """What already loaded budgets add up to (None: a partner without a budget yet)."""
    return euro(rules.allocated(b.total.amount for b in budgets if b is not None))


@dataclass(frozen=True)
class SourcePart:
    source: FundingSource
    rate: Decimal  # the plan's percentage
    amount: Money  # the rounded amount (funding/rules.py)


@dataclass(frozen=True)
class CategoryAmount:
    category: str
    label: str
    amount: Money
    share: Decimal  # percentage of the partner's (or project's) total


def _categories_sum(categories: list[CategoryAmount]) -> Money | None:
    if not categories:
        return None
    return euro(sum((c.amount.amount for c in categories), ZERO))


@dataclass(frozen=True)
class PartnerFunding:
    participation: Participation
    total: Money | None  # None: budget not yet entered
    parts: list[SourcePart] = field(default_factory=list)
    categories: list[CategoryAmount] = field(default_factory=list)
    office_flat_rate: Decimal | None = None
    share_of_approved: Decimal | None = None  # percentage of the project's approved total

    @property
    def organisation(self):
        return self.participation.organisation

    @property
    def plan_rate_total(self) -> Decimal | None:
        """The plan's rates added up (100 for a valid plan); None when no plan is entered."""
        return sum((p.rate for p in self.parts), ZERO) if self.parts else None

    @property
    def categories_total(self) -> Money | None:
        """What the cost categories add up to; None when none is entered."""
        return _categories_sum(self.categories)

    @property
    def categories_share(self) -> Decimal | None:
        """The categories' sum as a percentage of the budget total."""
        if self.categories_total is None or self.total is None:
            return None
        return rules.percent(self.categories_total.amount, self.total.amount)

    @property
    def budget_entered(self) -> bool:
        return self.total is not None

    @property
    def plan_entered(self) -> bool:
        return bool(self.parts)

    @property
    def eu_fund_part(self) -> SourcePart | None:
        return next((p for p in self.parts if p.source.is_eu_fund), None)

    @property
    def eu_rate(self) -> Decimal | None:
        part = self.eu_fund_part
        return part.rate if part else None

    def part_from(self, source: FundingSource) -> SourcePart | None:
        """The plan's line for `source` (amount and rate), None when it pays nothing here."""
        return next((p for p in self.parts if p.source.pk == source.pk), None)


@dataclass(frozen=True)
class SourceTotal:
    source: FundingSource
    amount: Money
    share: Decimal  # percentage of the allocated total


@dataclass(frozen=True)
class SourceRow:
    """A row of the "by funding source" table: a source's total, or (source None) the
    budgets whose co-financing plan is not yet entered, so the rows add up to the allocated
    total."""

    source: FundingSource | None
    amount: Money
    share: Decimal  # percentage of the allocated total


@dataclass(frozen=True)
class ProjectFunding:
    project: object
    partners: list[PartnerFunding]
    sources: list[FundingSource]  # the columns: every source used by some plan, in order
    source_totals: list[SourceTotal]
    unplanned: Money  # budgets whose co-financing plan is not yet entered
    categories: list[CategoryAmount]
    approved_total: Money
    allocated: Money
    unallocated: Money
    allocated_share: Decimal
    own: PartnerFunding | None  # the portal's own organisation, if it takes part

    @property
    def unallocated_share(self) -> Decimal:
        """The part not yet allocated, as a percentage of the approved total."""
        return rules.percent(self.unallocated.amount, self.approved_total.amount)

    @property
    def unplanned_share(self) -> Decimal:
        """Budgets without a co-financing plan, as a percentage of the allocated total."""
        return rules.percent(self.unplanned.amount, self.allocated.amount)

    @property
    def source_rows(self) -> list[SourceRow]:
        """The sources' totals, then the budgets without a plan (when there are any): the
        rows add up to `allocated`, to the cent."""
        rows = [SourceRow(t.source, t.amount, t.share) for t in self.source_totals]
        if self.unplanned.amount:
            rows.append(SourceRow(None, self.unplanned, self.unplanned_share))
        return rows

    @property
    def categories_total(self) -> Money | None:
        """What the partners that entered cost categories add up to; None when none did."""
        return _categories_sum(self.categories)

    @property
    def categories_share(self) -> Decimal | None:
        """The categories' sum as a percentage of the allocated total."""
        if self.categories_total is None:
            return None
        return rules.percent(self.categories_total.amount, self.allocated.amount)

    @property
    def partners_without_budget(self) -> list[PartnerFunding]:
        return [p for p in self.partners if not p.budget_entered]

    @property
    def countries(self) -> list[str]:
        return sorted({p.organisation.city.country.code for p in self.partners})


def partner_funding(
    participation: Participation,
    budget: Budget | None = None,
    *,
    approved_total: Decimal | None = None,
) -> PartnerFunding:
    """One partner's figures. Pass `budget` when it is already loaded with its shares
    (and lines) prefetched; otherwise the participation's budget is used. With the
    project's `approved_total`, the partner's share of it is computed too."""
    if budget is None:
        budget = getattr(participation, "budget", None)
    if budget is None:
        return PartnerFunding(participation=participation, total=None)
    total = budget.total.amount
    shares = list(budget.shares.all())
    try:
        amounts = rules.split_total(total, [s.as_rule_share() for s in shares]) if shares else []
    except rules.FundingRuleError:
        # A plan the forms would refuse (written around them, e.g. from a shell): show the
        # budget as not yet planned rather than fail every page; the admin shows the error.
        logger.warning("Co-financing plan of %s cannot be split", participation)
        shares, amounts = [], []
    parts = [
        SourcePart(source=s.source, rate=s.rate, amount=euro(a))
        for s, a in zip(shares, amounts, strict=True)
    ]
    categories = [
        CategoryAmount(
            category=line.category,
            label=line.get_category_display(),
            amount=line.amount,
            share=rules.percent(line.amount.amount, total),
        )
        for line in budget.lines.all()
    ]
    return PartnerFunding(
        participation=participation,
        total=budget.total,
        parts=parts,
        categories=categories,
        office_flat_rate=budget.office_flat_rate,
        share_of_approved=(
            None if approved_total is None else rules.percent(total, approved_total)
        ),
    )


def _participations(project):
    return (
        Participation.objects.filter(project=project)
        .select_related("organisation__city", "budget")
        .prefetch_related(
            Prefetch(
                "budget__shares",
                queryset=CoFinancingShare.objects.select_related("source"),
            ),
            Prefetch("budget__lines", queryset=BudgetLine.objects.order_by("category")),
            "organisation__initiatives",
        )
        .lead_first()
    )


def _category_totals(partners: list[PartnerFunding], allocated: Decimal) -> list[CategoryAmount]:
    sums: dict[str, Decimal] = {}
    for partner in partners:
        for cat in partner.categories:
            sums[cat.category] = sums.get(cat.category, ZERO) + cat.amount.amount
    return [
        CategoryAmount(
            category=value,
            label=str(label),
            amount=euro(sums[value]),
            share=rules.percent(sums[value], allocated),
        )
        for value, label in CostCategory.choices
        if value in sums
    ]


def project_funding(project) -> ProjectFunding:
    """Everything a page or report shows of a project's money (4 queries)."""
    approved = project.approved_total.amount
    partners = [partner_funding(p, approved_total=approved) for p in _participations(project)]
    allocated = rules.allocated(p.total.amount for p in partners if p.budget_entered)

    sources: dict[int, FundingSource] = {}
    source_sums: dict[int, Decimal] = {}
    unplanned = ZERO
    for partner in partners:
        if partner.budget_entered and not partner.plan_entered:
            unplanned += partner.total.amount
        for part in partner.parts:
            sources.setdefault(part.source.pk, part.source)
            source_sums[part.source.pk] = source_sums.get(part.source.pk, ZERO) + part.amount.amount
    ordered = sorted(sources.values(), key=lambda s: (s.position, s.name))
    own_slug = settings.PORTAL_OWN_ORGANISATION
    return ProjectFunding(
        project=project,
        partners=partners,
        sources=ordered,
        source_totals=[
            SourceTotal(
                source=s,
                amount=euro(source_sums[s.pk]),
                share=rules.percent(source_sums[s.pk], allocated),
            )
            for s in ordered
        ],
        unplanned=euro(unplanned),
        categories=_category_totals(partners, allocated),
        approved_total=euro(approved),
        allocated=euro(allocated),
        unallocated=euro(approved - allocated),
        allocated_share=rules.percent(allocated, approved),
        own=next((p for p in partners if p.organisation.slug == own_slug), None),
    )
