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
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import Http404
from djmoney.money import Money

from funding import rules
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare, CostCategory
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
    version: BudgetVersion | None  # the version of the budget shown; None before the first
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
    budget: Budget | None,
    *,
    approved_total: Decimal | None = None,
) -> PartnerFunding:
    """One partner's figures from its `budget` in the version shown (None: not entered),
    loaded with its shares and lines prefetched. With the version's `approved_total`, the
    partner's share of it is computed too."""
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


def _participations(project, version: BudgetVersion | None):
    """The partners, each with `version_budgets`: its budget in `version` (a list of one, or
    empty), whatever the number of versions (the budgets of other versions are not read)."""
    budgets = (
        Budget.objects.filter(budget_version=version)
        .prefetch_related(
            Prefetch("shares", queryset=CoFinancingShare.objects.select_related("source")),
            Prefetch("lines", queryset=BudgetLine.objects.order_by("category")),
        )
        .order_by()
    )
    return (
        Participation.objects.filter(project=project)
        .select_related("organisation__city")
        .prefetch_related(
            Prefetch("budgets", queryset=budgets, to_attr="version_budgets"),
            "organisation__initiatives",
        )
        .lead_first()
    )


def participations_without_current_budget():
    """The partners in projects with no budget in their project's current version (a
    project without any version has no budget to enter yet)."""
    current = (
        BudgetVersion.objects.filter(project=OuterRef("project"))
        .order_by(*BudgetVersion.CURRENT_FIRST)
        .values("pk")[:1]
    )
    entered = Budget.objects.filter(
        participation=OuterRef("pk"), budget_version=OuterRef("current")
    )
    return (
        Participation.objects.annotate(current=Subquery(current))
        .filter(current__isnull=False)
        .exclude(Exists(entered))
    )


def budget_versions(project) -> list[BudgetVersion]:
    """The project's versions, the current one first (BudgetVersion.CURRENT_FIRST)."""
    return list(
        BudgetVersion.objects.filter(project=project).order_by(*BudgetVersion.CURRENT_FIRST)
    )


def chosen_version(versions: list[BudgetVersion], choice: str | None) -> BudgetVersion | None:
    """The version a page or report was asked for by its number (`?version=2`, the number
    the project's versions are known by); the current one without a choice. Anything that is
    not the number of one of this project's versions is a 404."""
    if not choice:
        return versions[0] if versions else None
    found = None
    if choice.isascii() and choice.isdigit():
        found = next((v for v in versions if v.number == int(choice)), None)
    if found is None:
        raise Http404("No such version of this project's budget.")
    return found


def requested_funding(project, choice: str | None) -> tuple[list[BudgetVersion], ProjectFunding]:
    """The project's versions, and the figures of the one a page asks for (`?version=N`,
    the current one without it; a 404 for anything else): what the budget page, its CSV
    and the reports' pages start with."""
    versions = budget_versions(project)
    return versions, project_funding(project, chosen_version(versions, choice))


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


def project_funding(project, version: BudgetVersion | None = None) -> ProjectFunding:
    """Everything a page or report shows of a project's money in one version of its budget
    (the current one by default: 1 query more), in 5 queries whatever the number of partners
    and versions."""
    if version is None:
        version = BudgetVersion.objects.current_of(project.pk)
    approved = version.total.amount if version is not None else ZERO
    partners = [
        partner_funding(p, next(iter(p.version_budgets), None), approved_total=approved)
        for p in _participations(project, version)
    ]
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
        version=version,
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
