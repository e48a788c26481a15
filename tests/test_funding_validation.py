"""Each funding rule, broken, is refused with its message: in the model and in the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funding.models import Budget, BudgetLine, CoFinancingShare
from funding.selectors import project_funding
from funding.services import budget_set
from partners.models import Participation
from projects.models import Milestone, Phase
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def ventspils_budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_negative_budget_is_refused(ventspils_budget):
    ventspils_budget.total = f.eur("-1.00")
    with pytest.raises(ValidationError) as error:
        ventspils_budget.full_clean()
    assert "total" in error.value.message_dict


def test_the_database_refuses_a_negative_budget_too(ventspils_budget):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=ventspils_budget.pk).update(total=Decimal("-1.00"))


def test_budgets_may_not_exceed_the_approved_total(demo):
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    budget = Budget(
        participation=oulu, budget_version=f.current_version(demo), total=f.eur("663710.01")
    )
    with pytest.raises(ValidationError) as error:
        budget.full_clean()
    assert "may not exceed the project's approved total" in messages(error.value)
    assert "at most €663,710.00 is left for this partner" in messages(error.value)


def test_the_unallocated_rest_can_be_given_to_a_partner(demo):
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    Budget(
        participation=oulu, budget_version=f.current_version(demo), total=f.eur("663710.00")
    ).full_clean()


def test_a_rate_above_100_is_refused(ventspils_budget):
    share = ventspils_budget.shares.first()
    share.rate = Decimal("120")
    with pytest.raises(ValidationError) as error:
        share.full_clean()
    assert "rate" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CoFinancingShare.objects.filter(pk=share.pk).update(rate=Decimal("120"))


def test_a_plan_must_add_up_to_100_percent(demo, ventspils_budget):
    plan = [(s.source, s.rate) for s in ventspils_budget.shares.all()][:2]
    with pytest.raises(ValidationError) as error:
        budget_set(participation=ventspils_budget.participation, total=f.eur("51280"), plan=plan)
    assert "must add up to 100 %, not 90.00 %" in messages(error.value)
    assert ventspils_budget.shares.count() == 3  # nothing was changed


def test_a_plan_has_at_most_one_eu_fund(demo):
    part = Participation.objects.get(project=demo, organisation__slug="oulu")
    second_fund = f.source("esf", kind="eu")
    with pytest.raises(ValidationError, match="only one EU fund"):
        budget_set(
            participation=part,
            total=f.eur("100"),
            plan=[(f.erdf(), Decimal(50)), (second_fund, Decimal(50))],
        )


def test_cost_categories_must_add_up_to_the_total(demo, ventspils_budget):
    with pytest.raises(ValidationError, match="add up to €50,000.00, not to the budget total"):
        budget_set(
            participation=ventspils_budget.participation,
            total=f.eur("51280.00"),
            plan=[(s.source, s.rate) for s in ventspils_budget.shares.all()],
            lines=[("staff", f.eur("50000.00"))],
        )
    assert not BudgetLine.objects.exists()


def test_office_costs_follow_the_flat_rate_of_staff_costs(demo, ventspils_budget):
    with pytest.raises(ValidationError, match="flat rate of 15.00 % of staff costs: €6,000.00"):
        budget_set(
            participation=ventspils_budget.participation,
            total=f.eur("51280.00"),
            plan=[(s.source, s.rate) for s in ventspils_budget.shares.all()],
            lines=[("staff", f.eur("40000.00")), ("office", f.eur("11280.00"))],
        )


def test_cost_categories_that_add_up_are_kept(demo, ventspils_budget):
    budget_set(
        participation=ventspils_budget.participation,
        total=f.eur("51280.00"),
        plan=[(s.source, s.rate) for s in ventspils_budget.shares.all()],
        lines=[("staff", f.eur("40000.00")), ("office", f.eur("6000.00")),
               ("travel", f.eur("5280.00"))],
    )  # fmt: skip
    assert BudgetLine.objects.count() == 3


def test_a_project_has_one_lead_partner(demo):
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    oulu.role = Participation.Role.LEAD
    with pytest.raises(ValidationError, match="already has a lead partner"):
        oulu.full_clean()


def test_a_phase_cannot_end_before_it_starts(demo):
    phase = Phase(
        project=demo, number=3, start=dt.date(2023, 1, 1), planned_end=dt.date(2022, 1, 1)
    )
    with pytest.raises(ValidationError, match="planned end cannot be before the start"):
        phase.full_clean()


def test_a_milestone_cannot_end_before_it_starts(demo):
    milestone = Milestone(
        project=demo, title="x", kind="meeting", start=dt.date(2023, 1, 2), end=dt.date(2023, 1, 1)
    )
    with pytest.raises(ValidationError, match="last day cannot be before the first"):
        milestone.full_clean()


def test_the_approved_total_cannot_drop_below_what_is_allocated(demo):
    version = f.current_version(demo)
    version.total = f.eur("51279.99")
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "already add up to €51,280.00" in messages(error.value)
    version.total = f.eur("51280.00")
    version.full_clean()


def test_a_plan_written_around_the_forms_does_not_break_the_pages(client_for, demo, council_member):
    CoFinancingShare.objects.filter(source__code="erdf").update(rate=Decimal("50"))
    client = client_for(council_member)
    for path in ["/", "/projects/di4c/", "/projects/di4c/budget/", "/projects/di4c/budget.csv"]:
        assert client.get(path).status_code == 200, path
    funding = project_funding(demo)
    assert funding.own.parts == [] and funding.unplanned.amount == Decimal("51280.00")


def test_a_zero_budget_is_shown_as_zero_not_as_missing(client_for, demo, council_member):
    Budget.objects.update(total=Decimal("0.00"))
    page = client_for(council_member).get("/en/projects/di4c/").content.decode()
    assert "€0.00" in page
