"""Crafted budget forms: the co-financing plan and cost-category rules are checked on exactly
the rows that will be stored. Each payload starts as the valid form a coordinator gets, then
is tampered with as an attacker would."""

from decimal import Decimal

import pytest
from djmoney.money import Money

from funding.models import Budget, BudgetLine, CoFinancingShare
from partners.models import Participation
from tests import factories
from tests.test_admin_budget_forms import assert_unchanged, form_data, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


@pytest.fixture
def oulu_budget(demo) -> Budget:
    oulu = Participation.objects.get(organisation__slug="oulu")
    return factories.with_budget(oulu, "60000.00", erdf_rate="70", own_rate="30")


@pytest.fixture
def oulu_share(oulu_budget) -> CoFinancingShare:
    return oulu_budget.shares.order_by("rate").first()


@pytest.fixture
def coordinator_client(client_for, ventspils_coordinator):
    return client_for(ventspils_coordinator)


def add_initial_form(data: dict, prefix: str, fields: dict) -> dict:
    """One more *initial* form (TOTAL_FORMS and INITIAL_FORMS raised by one)."""
    i = int(data[f"{prefix}-TOTAL_FORMS"])
    data = dict(data)
    data[f"{prefix}-TOTAL_FORMS"] = i + 1
    data[f"{prefix}-INITIAL_FORMS"] = int(data[f"{prefix}-INITIAL_FORMS"]) + 1
    data |= {f"{prefix}-{i}-{name}": value for name, value in fields.items()}
    return data


def page_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_another_partners_share_id_in_an_extra_initial_form_is_refused(
    coordinator_client, budget, oulu_share
):
    # 85 + 5 + 10 = 100 %; the attacker lowers the 10 % to 5 % and makes up the difference
    # with a form naming Oulu's share, which Django would skip when saving.
    data = form_data(budget, rates=["85", "5", "5"])
    data = add_initial_form(
        data,
        "shares",
        {"id": oulu_share.pk, "budget": budget.pk, "source": oulu_share.source_id, "rate": "5"},
    )

    response = post(coordinator_client, budget, data)

    assert response.status_code == 200
    assert "does not belong to this record" in page_of(response)
    assert_unchanged(budget)
    assert CoFinancingShare.objects.get(pk=oulu_share.pk).budget_id == oulu_share.budget_id


def test_a_share_named_twice_is_refused(coordinator_client, budget):
    five = budget.shares.get(rate=5)
    # A second form for the 5 % share, under another source at 0 %: counted 85 + 5 + 10 + 0,
    # but the last form wins when saving, so 85 + 0 + 10 would be stored.
    data = add_initial_form(
        form_data(budget),
        "shares",
        {"id": five.pk, "budget": budget.pk, "source": factories.source("other").pk, "rate": "0"},
    )

    response = post(coordinator_client, budget, data)

    assert response.status_code == 200
    assert "names the same row twice" in page_of(response)
    assert_unchanged(budget)


def test_a_share_left_out_of_the_post_is_still_counted(coordinator_client, budget):
    # Lower the counts so the 5 % share is not in the POST at all; raise the 10 % to 15 %.
    # Counted: 85 + 15 = 100; stored would be 85 + 5 + 15 = 105.
    data = form_data(budget)
    shares = list(budget.shares.select_related("source"))
    keep = [s for s in shares if s.rate != Decimal("5")]
    for key in [k for k in data if k.startswith("shares-") and k[7].isdigit()]:
        del data[key]
    data["shares-TOTAL_FORMS"] = data["shares-INITIAL_FORMS"] = len(keep)
    for i, share in enumerate(keep):
        rate = "15" if share.rate == Decimal("10") else str(share.rate)
        data |= {
            f"shares-{i}-id": share.pk,
            f"shares-{i}-budget": budget.pk,
            f"shares-{i}-source": share.source_id,
            f"shares-{i}-rate": rate,
        }

    response = post(coordinator_client, budget, data)

    assert response.status_code == 200
    assert "must add up to 100" in page_of(response)
    assert_unchanged(budget)


def test_another_partners_cost_line_does_not_make_the_lines_add_up(
    coordinator_client, budget, oulu_budget
):
    oulu = oulu_budget
    foreign = BudgetLine.objects.create(
        budget=oulu, category="staff", amount=Money(oulu.total.amount, "EUR")
    )
    # The valid form with one line (travel €1,000) …
    data = form_data(budget, lines=[("travel", "1000.00")])
    # … moved behind one more *initial* form, which names Oulu's staff line: counted
    # 50,280 + 1,000 = 51,280, the budget's total; stored would be the €1,000 alone.
    data |= {key.replace("lines-0-", "lines-1-"): data.pop(key) for key in list(data)
             if key.startswith("lines-0-")}  # fmt: skip
    data |= {
        "lines-TOTAL_FORMS": 2,
        "lines-INITIAL_FORMS": 1,
        "lines-0-id": foreign.pk,
        "lines-0-budget": budget.pk,
        "lines-0-category": "staff",
        "lines-0-amount_0": "50280.00",
        "lines-0-amount_1": "EUR",
    }

    response = post(coordinator_client, budget, data)

    assert response.status_code == 200
    assert not BudgetLine.objects.filter(budget=budget).exists()
    assert BudgetLine.objects.get(pk=foreign.pk).amount.amount == oulu.total.amount


def test_a_deleted_share_is_recorded_with_its_stored_rate_not_the_typed_one(
    coordinator_client, budget
):
    # Delete the 10 % share and move its 10 % to the 5 % one, typing 99 into the deleted row.
    shares = list(budget.shares.select_related("source"))
    data = form_data(budget, rates=[{"85.00": "85", "5.00": "15", "10.00": "99"}[str(s.rate)]
                                    for s in shares])  # fmt: skip
    ten = next(i for i, s in enumerate(shares) if s.rate == Decimal("10"))
    data[f"shares-{ten}-DELETE"] = "on"

    assert post(coordinator_client, budget, data).status_code == 302

    deleted = CoFinancingShare.history.filter(history_type="-").get()
    assert deleted.rate == Decimal("10.00")
