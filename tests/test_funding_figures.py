"""The derived figures (shares, totals) come from funding/selectors.py, exact to the cent, so
that the pages, the CSV and the PDF all show the same values."""

import datetime as dt
from decimal import Decimal

import pytest
from djmoney.money import Money

from funding import rules
from funding.models import Budget
from funding.selectors import project_funding
from funding.services import budget_set
from pages.selectors import project_cards
from tests import factories as f

pytestmark = pytest.mark.django_db


def by_slug(funding, slug):
    return next(p for p in funding.partners if p.organisation.slug == slug)


def test_the_project_figures_add_up_to_the_cent(costed_project):
    funding = project_funding(costed_project)
    # 100,000.00 + 33,333.33 + 12,345.67; the fourth partner has no budget.
    assert funding.allocated == Money("145679.00", "EUR")
    assert funding.unallocated == Money("154321.00", "EUR")
    assert funding.allocated + funding.unallocated == funding.approved_total
    assert funding.allocated_share == Decimal("48.56")
    assert funding.unallocated_share == Decimal("51.44")
    assert funding.unplanned == Money("12345.67", "EUR")
    assert funding.unplanned_share == Decimal("8.47")  # of the allocated total
    assert funding.categories_total == Money("100000.00", "EUR")  # only the lead entered them
    assert funding.categories_share == Decimal("68.64")
    assert sum(t.amount.amount for t in funding.source_totals) + funding.unplanned.amount == (
        funding.allocated.amount
    )


def test_each_partners_figures_add_up_to_its_budget(costed_project):
    funding = project_funding(costed_project)
    lead = by_slug(funding, "costed-lead")
    assert lead.plan_rate_total == Decimal("100.00")
    assert sum(p.amount.amount for p in lead.parts) == lead.total.amount
    assert lead.categories_total == Money("100000.00", "EUR") == lead.total
    assert lead.categories_share == Decimal("100.00")
    assert lead.share_of_approved == Decimal("33.33")
    seventy = by_slug(funding, "costed-seventy")
    assert [p.amount for p in seventy.parts] == [f.eur("23333.33"), f.eur("10000.00")]
    assert seventy.share_of_approved == Decimal("11.11")
    assert seventy.categories_total is None and seventy.categories_share is None
    unplanned = by_slug(funding, "costed-unplanned")
    assert unplanned.plan_rate_total is None
    assert unplanned.share_of_approved == Decimal("4.12")
    nothing = by_slug(funding, "costed-none")
    assert nothing.share_of_approved is None and nothing.categories_total is None


def test_the_demo_figures_are_the_articles(demo):
    funding = project_funding(demo)
    assert funding.unallocated == Money("663710.00", "EUR")  # 714,990 − 51,280
    assert funding.unallocated_share == Decimal("92.83")
    assert funding.unplanned_share == Decimal("0.00")
    ventspils = funding.own
    assert ventspils.share_of_approved == Decimal("7.17")
    assert ventspils.plan_rate_total == Decimal("100.00")


def test_a_project_with_nothing_allocated_shows_zero_shares(db):
    funding = project_funding(f.project("empty", approved="1000.00", partners=2))
    assert funding.allocated == Money("0.00", "EUR")
    assert funding.unallocated_share == Decimal("100.00")
    assert funding.unplanned_share == Decimal("0.00")  # no division by zero
    assert funding.categories_total is None


def test_the_allocated_total_is_the_same_for_the_pages_the_index_and_the_checks(costed_project):
    own = f.participation(costed_project, "ventspils", country="LV")
    budget_set(participation=own, total=f.eur("0.01"), plan=[])
    expected = Money("145679.01", "EUR")
    assert project_funding(costed_project).allocated == expected
    version = f.current_version(costed_project)
    assert Budget.objects.allocated_in(version) == expected
    assert Budget.objects.allocated_by_version([costed_project.pk]) == {version.pk: expected.amount}
    (card,) = [c for c in project_cards(today=dt.date(2020, 1, 1)) if c.project == costed_project]
    assert card.allocated == expected


def test_a_new_budget_gets_the_one_default_office_flat_rate(costed_project):
    part = f.participation(costed_project, "costed-new", country="FR")
    budget = budget_set(participation=part, total=f.eur("1000.00"), plan=[])
    assert Budget().office_flat_rate == rules.DEFAULT_OFFICE_FLAT_RATE
    assert budget.office_flat_rate == rules.DEFAULT_OFFICE_FLAT_RATE == Decimal("15.00")


def test_the_by_source_rows_include_budgets_without_a_plan_and_add_up_to_the_cent(
    costed_project,
):
    funding = project_funding(costed_project)
    rows = funding.source_rows
    # ERDF, the Romanian state budget, "bt", then the budget without a plan as its own row.
    assert [r.source is None for r in rows] == [False, False, False, True]
    assert rows[-1].amount == Money("12345.67", "EUR")
    assert rows[-1].share == Decimal("8.47")
    assert sum(r.amount.amount for r in rows) == funding.allocated.amount == Decimal("145679.00")


def test_the_by_source_rows_have_no_unplanned_row_when_every_plan_is_entered(demo):
    funding = project_funding(demo)
    assert [r.source.short_name for r in funding.source_rows] == [
        s.short_name for s in funding.sources
    ]
    assert sum(r.amount.amount for r in funding.source_rows) == Decimal("51280.00")
