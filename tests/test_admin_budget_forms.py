"""Coordinators enter budgets in the admin: a broken rule is a form error, never a 500,
and nothing stored changes."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from funding.models import Budget, BudgetLine
from projects.models import FundingSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


def form_data(budget: Budget, total="51280.00", rates=None, lines=()) -> dict:
    shares = list(budget.shares.select_related("source"))
    rates = rates or [str(s.rate) for s in shares]
    data = {
        "participation": budget.participation_id,
        "total_0": total,
        "total_1": "EUR",
        "office_flat_rate": "15.00",
        "expected_version": budget.version,
        "shares-TOTAL_FORMS": len(shares),
        "shares-INITIAL_FORMS": len(shares),
        "shares-MIN_NUM_FORMS": 1,
        "shares-MAX_NUM_FORMS": 1000,
        "lines-TOTAL_FORMS": len(lines),
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 1000,
    }
    for i, (share, rate) in enumerate(zip(shares, rates, strict=True)):
        data |= {
            f"shares-{i}-id": share.pk,
            f"shares-{i}-budget": budget.pk,
            f"shares-{i}-source": share.source_id,
            f"shares-{i}-rate": rate,
        }
    for i, (category, amount) in enumerate(lines):
        data |= {
            f"lines-{i}-budget": budget.pk,
            f"lines-{i}-category": category,
            f"lines-{i}-amount_0": amount,
            f"lines-{i}-amount_1": "EUR",
        }
    return data


def new_budget_data(participation, total: str, erdf_rate: str = "100") -> dict:
    """The admin's add-budget form: a total and a plan of one line (the ERDF)."""
    return {
        "participation": participation.pk,
        "total_0": total,
        "total_1": "EUR",
        "office_flat_rate": "15",
        "shares-TOTAL_FORMS": 1,
        "shares-INITIAL_FORMS": 0,
        "shares-0-source": FundingSource.objects.get(code="erdf").pk,
        "shares-0-rate": erdf_rate,
        "lines-TOTAL_FORMS": 0,
        "lines-INITIAL_FORMS": 0,
    }


def post(client, budget, data):
    with translation.override("en"):  # the English admin, under /en/admin/
        url = reverse("admin:funding_budget_change", args=[budget.pk])
    return client.post(url, data)


def assert_unchanged(budget: Budget) -> None:
    fresh = Budget.objects.get(pk=budget.pk)
    assert fresh.total.amount == Decimal("51280.00")
    assert sorted(fresh.shares.values_list("rate", flat=True)) == [5, 10, 85]
    assert not BudgetLine.objects.exists()


def test_the_change_form_shows_the_computed_split(admin_client, budget):
    response = admin_client.get(reverse("admin:funding_budget_change", args=[budget.pk]))
    assert response.status_code == 200
    assert "43\xa0588,00\xa0€" in response.content.decode()


def test_a_valid_change_is_saved(admin_client, budget):
    response = post(admin_client, budget, form_data(budget, total="50000.00"))
    assert response.status_code == 302
    assert Budget.objects.get(pk=budget.pk).total.amount == Decimal("50000.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rates": ["85", "5", "5"]}, "must add up to 100 %, not 95.00 %"),
        ({"rates": ["85", "-5", "20"]}, "Ensure this value is greater than or equal to 0"),
        ({"rates": ["85", "abc", "10"]}, "Enter a number."),
        ({"total": "-1"}, "greater than or equal to"),
        ({"total": "NaN"}, "Enter a number."),
        ({"total": "1e30"}, "Ensure that there are no more than 14 digits in total."),
        ({"total": "714990.01"}, "may not exceed the project"),
        ({"lines": [("staff", "100.00")]}, "add up to €100.00, not to the budget total"),
    ],
)
def test_a_broken_rule_is_a_form_error_and_nothing_changes(admin_client, budget, changes, message):
    response = post(admin_client, budget, form_data(budget, **changes))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert_unchanged(budget)


def test_the_second_of_two_coordinators_saving_at_once_sees_a_conflict_and_loses_nothing(
    admin_client, budget
):
    first = form_data(budget, total="50000.00")
    second = form_data(budget, total="40000.00")  # loaded the same version as the first
    assert post(admin_client, budget, first).status_code == 302

    response = post(admin_client, budget, second)

    assert response.status_code == 200
    page = response.content.decode()
    assert "saved this budget while you were editing it" in page
    assert 'value="40000.00"' in page  # what the second coordinator typed is still there
    assert Budget.objects.get(pk=budget.pk).total.amount == Decimal("50000.00")
    # Reloaded, the form carries the new version and saves.
    assert (
        post(
            admin_client, budget, form_data(Budget.objects.get(pk=budget.pk), total="40000.00")
        ).status_code
        == 302
    )
    assert Budget.objects.get(pk=budget.pk).total.amount == Decimal("40000.00")


def test_a_bulk_change_made_meanwhile_is_a_conflict_too(admin_client, budget):
    data = form_data(budget, total="40000.00")
    Budget.objects.filter(pk=budget.pk).update(office_flat_rate=Decimal("14.00"))
    response = post(admin_client, budget, data)
    assert response.status_code == 200
    assert "saved this budget while you were editing it" in response.content.decode()
    assert Budget.objects.get(pk=budget.pk).total.amount == Decimal("51280.00")
