"""Reads that gather a project's expenditure figures: the one source of the expenditure page,
the overview, the budget page, the CSV and the reports (reports/data.py), so every figure
matches everywhere.

What each figure means:
- planned: from the budget version given (funding.selectors.project_funding; the current
  one by default, a superseded one for its budget page and report);
- submitted: lines submitted to the controller and not rejected (waiting or certified);
  drafts are not reported yet and rejected lines never count;
- certified: lines the controller certified;
- both only of the lines that count (ExpenditureLineQuerySet.counted(): a line replaced by
  a certified correction no longer counts, the correction does);
- ERDF due: the EU fund's part of the certified spending, per reporting period, under the
  partner's co-financing plan (claim_rules.erdf_due, the budget's own split);
- claimed, received: the partners' ERDF payment claims (claim_models.Claim);
- remaining: planned − certified;
- claimed above the ERDF due: a partner period's claims beyond its ERDF due
  (`PartnerPeriod.claimed_above_due`). A claim is refused above the due when recorded
  (claim_models.Claim), but a certified correction lowers the certified spending after the
  fact (a smaller amount, or moved to another period): the correction stands, and the excess
  is flagged as an amount to be paid back or deducted from a later payment.

Amounts per funding source are each period's figures split by the partner's plan, as the
budget is split, so the sources add up to the partner's total, to the cent. A figure that
includes sample lines (`is_sample`, from `seed_demo --sample-expenditure`) says so
(`includes_samples`). Spending (submitted) in a partner's cost category above its budget
beyond the programme's flexibility rate (Programme.flexibility_rate) is flagged.

`project_expenditure()` runs project_funding()'s queries and four more, whatever the number
of partners, periods and lines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum
from djmoney.money import Money

from expenditure import claim_rules
from expenditure.claim_models import Claim, StateCoFinancing
from expenditure.models import ExpenditureLine, ReportingPeriod, Status
from funding.models import CostCategory
from funding.rules import CENT, HUNDRED, Share, cut_to_cent, percent
from funding.selectors import PartnerFunding, ProjectFunding, euro, project_funding
from projects.models import FundingSource

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Figures:
    """One row of figures. `planned` None: nothing planned is entered for it; `claimed` and
    `received` None: claims are not kept at this level (cost categories, own sources)."""

    planned: Money | None
    submitted: Money
    certified: Money
    claimed: Money | None = None
    received: Money | None = None
    erdf_due: Money | None = None
    includes_samples: bool = False

    @property
    def remaining(self) -> Money | None:
        """planned − certified (negative when more was certified than planned)."""
        return None if self.planned is None else self.planned - self.certified

    @property
    def waiting(self) -> Money:
        """Submitted, not yet decided."""
        return self.submitted - self.certified

    @property
    def certified_share(self) -> Decimal | None:
        """Certified as a percentage of planned."""
        if not self.planned or not self.planned.amount:
            return None
        return percent(self.certified.amount, self.planned.amount)


@dataclass(frozen=True)
class CategoryFigures:
    category: str
    label: str
    figures: Figures
    limit: Money | None  # planned × (1 + flexibility), cut to the cent; None: not planned
    over_budget: bool  # submitted spending above `limit`


@dataclass(frozen=True)
class SourceFigures:
    source: FundingSource | None  # None: partners whose co-financing plan is not yet entered
    figures: Figures


@dataclass(frozen=True)
class PartnerPeriod:
    """One partner's figures in one reporting period, with its claims (oldest first)."""

    period: ReportingPeriod
    figures: Figures
    claims: list[Claim]

    @property
    def claimable(self) -> Money:
        """What may still be claimed for the period: ERDF due − claimed (never negative)."""
        left = self.figures.erdf_due.amount - self.figures.claimed.amount
        return euro(max(left, ZERO))

    @property
    def claimed_above_due(self) -> Money | None:
        """Claimed beyond the ERDF due (to be paid back or deducted), None when within it."""
        excess = self.figures.claimed.amount - self.figures.erdf_due.amount
        return euro(excess) if excess > 0 else None


@dataclass(frozen=True)
class PartnerExpenditure:
    funding: PartnerFunding
    figures: Figures  # planned: the partner's budget; claimed/received: its ERDF claims
    periods: list[PartnerPeriod]  # the periods it has spending or claims in
    categories: list[CategoryFigures]
    sources: list[SourceFigures]

    @property
    def participation(self):
        return self.funding.participation

    @property
    def organisation(self):
        return self.funding.organisation

    @property
    def eu_rate(self) -> Decimal | None:
        return self.funding.eu_rate

    @property
    def over_budget(self) -> list[CategoryFigures]:
        return [c for c in self.categories if c.over_budget]


@dataclass(frozen=True)
class PeriodFigures:
    """The whole partnership's figures in one reporting period."""

    period: ReportingPeriod
    figures: Figures
    certified_to_date: Money  # certified in this period and the ones before
    # The figures to date count a sample line (in this period or one before): a period
    # without samples of its own still shows them in `certified_to_date`.
    to_date_includes_samples: bool = False
    # The partners' claims above their ERDF due in the period, added up (None: none).
    claimed_above_due: Money | None = None


@dataclass(frozen=True)
class OverBudget:
    """A partner's spending in a cost category above its budget beyond the flexibility."""

    partner: PartnerExpenditure
    category: CategoryFigures

    @property
    def share(self) -> Decimal | None:
        """Spending as a percentage of the category's budget (None: nothing budgeted)."""
        figures = self.category.figures
        if figures.planned is None or not figures.planned.amount:
            return None
        return percent(figures.submitted.amount, figures.planned.amount)


@dataclass(frozen=True)
class ClaimedAboveDue:
    """A partner period whose claims exceed its ERDF due (after a certified correction)."""

    partner: PartnerExpenditure
    period: PartnerPeriod

    @property
    def excess(self) -> Money:
        return self.period.claimed_above_due


@dataclass(frozen=True)
class StateFigures:
    """The own organisation's state budget co-financing: planned (its plan's state budget
    share), and the application with its two instalments when one is recorded."""

    partner: PartnerFunding
    source: FundingSource | None  # the plan's national (state budget) source
    planned: Money | None
    record: StateCoFinancing | None

    @property
    def advance_due(self) -> Money | None:
        return euro(self.record.instalments[0]) if self.record else None

    @property
    def final_due(self) -> Money | None:
        return euro(self.record.instalments[1]) if self.record else None

    @property
    def received(self) -> Money:
        if self.record is None:
            return euro(ZERO)
        parts = [self.record.advance_received, self.record.final_received]
        return euro(sum((p.amount for p in parts if p is not None), ZERO))


@dataclass(frozen=True)
class ProjectExpenditure:
    project: object
    funding: ProjectFunding
    flexibility_rate: Decimal
    total: Figures  # planned: allocated to partners
    partners: list[PartnerExpenditure]
    sources: list[SourceFigures]
    categories: list[CategoryFigures]
    periods: list[PeriodFigures]
    state: StateFigures | None  # None: the own organisation does not take part
    over_budget: list[OverBudget] = field(default_factory=list)
    claimed_above_due: list[ClaimedAboveDue] = field(default_factory=list)

    @property
    def includes_samples(self) -> bool:
        return self.total.includes_samples

    @property
    def has_expenditure(self) -> bool:
        return bool(self.total.submitted.amount or self.total.claimed.amount)


# --- the rows read from the database ---------------------------------------------------------


@dataclass
class _Sums:
    """Sums being added up (plain Decimals), turned into Figures at the end."""

    submitted: Decimal = ZERO
    certified: Decimal = ZERO
    claimed: Decimal = ZERO
    received: Decimal = ZERO
    erdf_due: Decimal = ZERO
    samples: bool = False

    def add(self, other: _Sums) -> None:
        self.submitted += other.submitted
        self.certified += other.certified
        self.claimed += other.claimed
        self.received += other.received
        self.erdf_due += other.erdf_due
        self.samples = self.samples or other.samples

    def figures(self, planned: Money | None, *, claims: bool = True) -> Figures:
        return Figures(
            planned=planned,
            submitted=euro(self.submitted),
            certified=euro(self.certified),
            claimed=euro(self.claimed) if claims else None,
            received=euro(self.received) if claims else None,
            erdf_due=euro(self.erdf_due) if claims else None,
            includes_samples=self.samples,
        )


def _line_sums(project):
    """(partner, period, category) → sums of the lines that count (1 query)."""
    rows = (
        ExpenditureLine.objects.counted()
        .filter(participation__project=project)
        .values("participation_id", "period_id", "category", "status", "is_sample")
        .annotate(total=Sum("amount_eur"))
        .order_by()
    )
    sums: dict[tuple[int, int, str], _Sums] = defaultdict(_Sums)
    for row in rows:
        one = sums[(row["participation_id"], row["period_id"], row["category"])]
        # SQLite adds decimals up as floats: back to the cent (exact on PostgreSQL).
        amount = Decimal(row["total"] or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)
        one.submitted += amount
        if row["status"] == Status.CERTIFIED:
            one.certified += amount
        one.samples = one.samples or row["is_sample"]
    return sums


def _claims(project) -> dict[tuple[int, int], list[Claim]]:
    """(partner, period) → its claims, oldest first (1 query)."""
    claims: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    rows = Claim.objects.filter(participation__project=project).order_by("claimed_on", "pk")
    for claim in rows:
        claims[(claim.participation_id, claim.period_id)].append(claim)
    return claims


def plan_shares(partner: PartnerFunding) -> list[Share]:
    """The partner's co-financing plan as funding.rules shares (empty: not entered)."""
    return [Share(p.source.pk, p.rate, p.source.is_eu_fund) for p in partner.parts]


def erdf_due(project, participation, period_id: int) -> Decimal:
    """The ERDF due on a partner's stored certified spending in one period (what its claims
    for the period may add up to): project_funding()'s queries and one more."""
    funding = project_funding(project)
    partner = next((p for p in funding.partners if p.participation.pk == participation.pk), None)
    certified = (
        ExpenditureLine.objects.counted()
        .filter(participation=participation, period_id=period_id, status=Status.CERTIFIED)
        .aggregate(total=Sum("amount_eur"))["total"]
    )
    if partner is None or certified is None:
        return ZERO
    certified = Decimal(certified).quantize(CENT, rounding=ROUND_HALF_UP)  # SQLite: a float
    return claim_rules.erdf_due(certified, plan_shares(partner))


# --- gathering ------------------------------------------------------------------------------


def project_expenditure(project, funding: ProjectFunding | None = None) -> ProjectExpenditure:
    """Everything a page, the CSV or a report shows of a project's expenditure. Pass the
    `funding` already gathered for the same page to save its queries."""
    funding = funding or project_funding(project)
    flexibility = project.programme.flexibility_rate
    periods = list(ReportingPeriod.objects.filter(project=project).order_by("number"))
    lines, claims = _line_sums(project), _claims(project)
    partners = [_partner(p, periods, lines, claims, flexibility) for p in funding.partners]
    total = _Sums()
    for partner in partners:
        total.add(_sums_of(partner.figures))
    return ProjectExpenditure(
        project=project,
        funding=funding,
        flexibility_rate=flexibility,
        total=total.figures(funding.allocated),
        partners=partners,
        sources=_project_sources(funding, partners),
        categories=_project_categories(funding, partners),
        periods=_project_periods(periods, partners),
        state=_state(funding),
        over_budget=[OverBudget(p, c) for p in partners for c in p.over_budget],
        claimed_above_due=[
            ClaimedAboveDue(p, row) for p in partners for row in p.periods if row.claimed_above_due
        ],
    )


def _sums_of(figures: Figures) -> _Sums:
    return _Sums(
        submitted=figures.submitted.amount,
        certified=figures.certified.amount,
        claimed=figures.claimed.amount if figures.claimed is not None else ZERO,
        received=figures.received.amount if figures.received is not None else ZERO,
        erdf_due=figures.erdf_due.amount if figures.erdf_due is not None else ZERO,
        samples=figures.includes_samples,
    )


def _partner(
    partner: PartnerFunding,
    periods: list[ReportingPeriod],
    lines: dict,
    claims: dict,
    flexibility: Decimal,
) -> PartnerExpenditure:
    pk = partner.participation.pk
    shares = plan_shares(partner)
    by_category: dict[str, _Sums] = defaultdict(_Sums)
    by_source: dict[object, _Sums] = defaultdict(_Sums)  # source pk; None: no plan
    total = _Sums()
    rows = []
    for period in periods:
        sums = _Sums()
        for category, _label in CostCategory.choices:
            one = lines.get((pk, period.pk, category))
            if one is not None:
                sums.add(one)
                by_category[category].add(one)
        period_claims = claims.get((pk, period.pk), [])
        sums.claimed = sum((c.claimed.amount for c in period_claims), ZERO)
        sums.received = sum((c.received.amount for c in period_claims if c.received), ZERO)
        sums.erdf_due = claim_rules.erdf_due(sums.certified, shares)
        _split_by_source(sums, shares, by_source)
        total.add(sums)
        if sums.submitted or period_claims:
            rows.append(PartnerPeriod(period, sums.figures(None), period_claims))
    return PartnerExpenditure(
        funding=partner,
        figures=total.figures(partner.total),
        periods=rows,
        categories=_partner_categories(partner, by_category, flexibility),
        sources=[
            SourceFigures(
                part.source if part else None,
                by_source[key].figures(part.amount if part else partner.total, claims=False),
            )
            for key, part in _source_keys(partner)
        ],
    )


def _source_keys(partner: PartnerFunding):
    if partner.plan_entered:
        return [(part.source.pk, part) for part in partner.parts]
    return [(None, None)]


def _split_by_source(sums: _Sums, shares: list[Share], by_source: dict) -> None:
    """Add a period's submitted and certified spending to each source, split by the plan
    (each split adds up to the period's figure, to the cent)."""
    if not shares:
        by_source[None].add(_Sums(sums.submitted, sums.certified, samples=sums.samples))
        return
    submitted = claim_rules.split_spending(sums.submitted, shares)
    certified = claim_rules.split_spending(sums.certified, shares)
    for share, sub, cert in zip(shares, submitted, certified, strict=True):
        by_source[share.key].add(_Sums(sub, cert, samples=sums.samples))


def limit_of(planned: Decimal, flexibility: Decimal) -> Decimal:
    """The most a cost category may take before it is flagged: its budget and the
    programme's flexibility on top, cut to the cent."""
    return cut_to_cent(planned * (HUNDRED + flexibility) / HUNDRED)


def _partner_categories(
    partner: PartnerFunding, sums: dict[str, _Sums], flexibility: Decimal
) -> list[CategoryFigures]:
    planned = {c.category: c.amount for c in partner.categories}
    entered = bool(planned)  # without cost categories nothing can be over its budget
    rows = []
    for category, label in CostCategory.choices:
        if category not in planned and category not in sums:
            continue
        plan = planned.get(category, euro(ZERO)) if entered else None
        spent = sums.get(category, _Sums())
        limit = euro(limit_of(plan.amount, flexibility)) if plan is not None else None
        rows.append(
            CategoryFigures(
                category=category,
                label=str(label),
                figures=spent.figures(plan, claims=False),
                limit=limit,
                over_budget=limit is not None and spent.submitted > limit.amount,
            )
        )
    return rows


def _project_categories(
    funding: ProjectFunding, partners: list[PartnerExpenditure]
) -> list[CategoryFigures]:
    planned = {c.category: c.amount for c in funding.categories}
    rows = []
    for category, label in CostCategory.choices:
        sums, flagged, seen = _Sums(), False, category in planned
        for partner in partners:
            for row in partner.categories:
                if row.category == category:
                    sums.add(_sums_of(row.figures))
                    flagged = flagged or row.over_budget
                    seen = True
        if not seen:
            continue
        plan = planned.get(category, euro(ZERO)) if planned else None
        rows.append(
            CategoryFigures(category, str(label), sums.figures(plan, claims=False), None, flagged)
        )
    return rows


def _project_sources(
    funding: ProjectFunding, partners: list[PartnerExpenditure]
) -> list[SourceFigures]:
    sums: dict[object, _Sums] = defaultdict(_Sums)
    for partner in partners:
        for row in partner.sources:
            sums[row.source.pk if row.source else None].add(_sums_of(row.figures))
    eu_claims = _Sums()
    for partner in partners:
        eu_claims.add(_sums_of(partner.figures))
    rows = []
    for total in funding.source_totals:
        one = sums.get(total.source.pk, _Sums())
        figures = one.figures(total.amount, claims=False)
        if total.source.is_eu_fund:  # the claims are the EU fund's
            figures = replace(
                figures,
                claimed=euro(eu_claims.claimed),
                received=euro(eu_claims.received),
                erdf_due=euro(eu_claims.erdf_due),
            )
        rows.append(SourceFigures(total.source, figures))
    if None in sums or funding.unplanned.amount:
        # Budgets without a plan, and partners without a budget (nothing planned for them).
        planned = funding.unplanned if funding.unplanned.amount else None
        unplanned = sums.get(None, _Sums()).figures(planned, claims=False)
        rows.append(SourceFigures(None, unplanned))
    return rows


def _project_periods(
    periods: list[ReportingPeriod], partners: list[PartnerExpenditure]
) -> list[PeriodFigures]:
    rows, to_date, samples = [], ZERO, False
    for period in periods:
        sums, excess = _Sums(), ZERO
        for partner in partners:
            for row in partner.periods:
                if row.period.pk == period.pk:
                    sums.add(_sums_of(row.figures))
                    if row.claimed_above_due:
                        excess += row.claimed_above_due.amount
        to_date += sums.certified
        samples = samples or sums.samples
        above = euro(excess) if excess else None
        rows.append(PeriodFigures(period, sums.figures(None), euro(to_date), samples, above))
    return rows


def _state(funding: ProjectFunding) -> StateFigures | None:
    """The own organisation's state co-financing (1 query, also when it takes no part)."""
    own_slug = settings.PORTAL_OWN_ORGANISATION
    record = (
        StateCoFinancing.objects.filter(
            participation__project=funding.project, participation__organisation__slug=own_slug
        )
        .order_by("pk")
        .first()
    )
    if funding.own is None:
        return None
    part = next(
        (p for p in funding.own.parts if p.source.kind == FundingSource.Kind.NATIONAL), None
    )
    return StateFigures(
        partner=funding.own,
        source=part.source if part else None,
        planned=part.amount if part else None,
        record=record,
    )
