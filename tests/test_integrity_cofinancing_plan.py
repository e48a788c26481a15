"""A budget entered in the admin always has a co-financing plan of at least one share: on
the add form and on the change form, whatever the POST says about its forms."""

import pytest

from funding.models import Budget
from partners.models import Participation
from tests import factories
from tests.admin_forms import admin_url, change_url, copy_form, stored

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NO_PLAN = "Enter the co-financing plan: at least one funding source with its share"


@pytest.fixture
def budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


def every_share_deleted(data: dict) -> dict:
    count = int(data["shares-TOTAL_FORMS"])
    return data | {f"shares-{i}-DELETE": "on" for i in range(count)}


@pytest.mark.parametrize(
    "tampering",
    [
        every_share_deleted,
        # What the page's JavaScript would allow if MIN_NUM_FORMS were lowered.
        lambda data: every_share_deleted(data) | {"shares-MIN_NUM_FORMS": "0"},
    ],
    ids=["every share deleted", "every share deleted, MIN_NUM_FORMS lowered"],
)
def test_the_change_form_does_not_empty_a_plan(
    client_for, ventspils_coordinator, budget, tampering
):
    client = client_for(ventspils_coordinator)
    url = change_url(budget)
    data = tampering(copy_form(client, url))
    before = stored()

    response = client.post(url, data)

    assert response.status_code == 200
    assert NO_PLAN in response.content.decode()
    assert stored() == before
    assert budget.shares.count() == 3


def test_the_add_form_does_not_store_a_budget_without_a_plan(client_for, oulu_coordinator):
    client = client_for(oulu_coordinator)
    url = admin_url("funding_budget_add")
    oulu = Participation.objects.get(organisation__slug="oulu")
    data = copy_form(client, url) | {"participation": oulu.pk, "total_0": "1000.00"}
    # The blank share row the page shows, taken out of the POST with the counts lowered.
    data = {k: v for k, v in data.items() if not k.startswith("shares-0-")}
    data |= {"shares-TOTAL_FORMS": "0", "shares-MIN_NUM_FORMS": "0"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert NO_PLAN in response.content.decode()
    assert not Budget.objects.filter(participation=oulu).exists()


def test_a_budget_stored_without_a_plan_gets_one_at_its_next_change_in_the_admin(
    client_for, superuser, demo
):
    oulu = Participation.objects.get(organisation__slug="oulu")
    budget = factories.with_budget(oulu, "1000.00", erdf_rate="100", own_rate="0")
    budget.shares.all().delete()
    client = client_for(superuser)
    url = change_url(budget)

    # The page offers one blank share row, which must be filled in.
    refused = client.post(url, copy_form(client, url) | {"total_0": "2000.00"})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert Budget.objects.get(pk=budget.pk).total.amount == 1000

    data = copy_form(client, url) | {
        "total_0": "2000.00",
        "shares-TOTAL_FORMS": "1",
        "shares-0-budget": budget.pk,
        "shares-0-source": factories.erdf().pk,
        "shares-0-rate": "100",
    }
    assert client.post(url, data).status_code == 302
    assert list(budget.shares.values_list("rate", flat=True)) == [100]
