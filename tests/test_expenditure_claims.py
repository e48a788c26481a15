"""ERDF payment claims and the own organisation's state co-financing (issue 12): the ERDF due
is cut to the cent as in the budget, claims never add up to more than is due (forged posts
and two saves at once included), only managers and the partner's coordinators record them,
and the state co-financing's advance and final instalment add up to the amount applied for."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from expenditure import claim_rules, services
from expenditure.models import Claim, StateCoFinancing
from funding.rules import CENT, Share
from partners.models import Participation
from tests import factories as f
from tests.test_integrity_concurrency import held_before_saving, in_parallel, postgresql_only

NOW = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))
ERDF_85 = [Share("erdf", Decimal("85"), True), Share("own", Decimal("15"), False)]


def partner(slug: str) -> Participation:
    return Participation.objects.get(organisation__slug=slug, project__slug="di4c")


def certified_line(participation, period, amount: str, controller, **values):
    line = f.expenditure_line(participation, period, amount, **values)
    services.submit([line], None, now=NOW)
    return services.certify(line, controller, now=NOW)


def admin_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:{name}", args=args)


def claim_data(participation, period, claimed: str, **changes) -> dict:
    return {
        "participation": participation.pk,
        "period": period.pk,
        "reference": "ERDF-1",
        "claimed_on": "2020-11-20",
        "claimed_0": claimed,
        "claimed_1": "EUR",
        "received_on": "",
        "received_0": "",
        "received_1": "EUR",
    } | changes


def stored_claims() -> list[Decimal]:
    return sorted(Claim.objects.values_list("claimed", flat=True))


# --- the rules --------------------------------------------------------------------------------


def test_the_erdf_due_is_cut_to_the_cent_where_rounding_half_up_would_give_a_cent_more():
    certified = Decimal("1000.01")  # × 85 % = 850.0085
    assert (certified * Decimal("0.85")).quantize(CENT, ROUND_HALF_UP) == Decimal("850.01")
    assert claim_rules.erdf_due(certified, ERDF_85) == Decimal("850.00")


def test_the_erdf_due_and_the_partners_own_part_add_up_to_the_certified_spending():
    parts = claim_rules.split_spending(Decimal("1000.01"), ERDF_85)
    assert parts == [Decimal("850.00"), Decimal("150.01")]
    assert sum(parts) == Decimal("1000.01")


def test_without_an_eu_fund_in_the_plan_nothing_is_due():
    assert claim_rules.erdf_due(Decimal("100.00"), []) == Decimal("0.00")
    own_only = [Share("own", Decimal("100"), False)]
    assert claim_rules.erdf_due(Decimal("100.00"), own_only) == Decimal("0.00")


@pytest.mark.parametrize(
    ("applied", "advance", "final"),
    [
        ("2564.00", "2307.60", "256.40"),
        ("2564.07", "2307.66", "256.41"),  # 2307.663 cut; the cent left goes to the rest
        ("0.01", "0.00", "0.01"),
        ("1234.59", "1111.13", "123.46"),  # 1111.131
    ],
)
def test_the_state_advance_and_final_instalment_add_up_to_the_amount_applied_for(
    applied, advance, final
):
    got = claim_rules.state_instalments(Decimal(applied), Decimal("90"))
    assert got == (Decimal(advance), Decimal(final))
    assert sum(got) == Decimal(applied)


# --- recording claims -------------------------------------------------------------------------


@pytest.fixture
def due_850(periods, ventspils_controller):
    """Ventspils (85 % ERDF) has €1,000.01 certified in period 2: €850.00 ERDF due."""
    certified_line(partner("ventspils"), periods[1], "1000.01", ventspils_controller)
    return periods[1]


def test_a_coordinator_claims_exactly_the_erdf_due_and_not_a_cent_more(
    client_for, ventspils_coordinator, due_850
):
    client = client_for(ventspils_coordinator)
    url = admin_url("expenditure_claim_add")
    refused = client.post(url, claim_data(partner("ventspils"), due_850, "850.01"))
    assert refused.status_code == 200
    assert "at most" in refused.content.decode() and stored_claims() == []

    assert client.post(url, claim_data(partner("ventspils"), due_850, "850.00")).status_code == 302
    again = client.post(url, claim_data(partner("ventspils"), due_850, "0.01"))
    assert again.status_code == 200 and stored_claims() == [Decimal("850.00")]


def test_claims_add_up_within_the_due_and_an_edit_counts_itself_once(
    client_for, ventspils_coordinator, due_850
):
    client = client_for(ventspils_coordinator)
    add = admin_url("expenditure_claim_add")
    assert client.post(add, claim_data(partner("ventspils"), due_850, "800.00")).status_code == 302
    assert client.post(add, claim_data(partner("ventspils"), due_850, "50.00")).status_code == 302
    first = Claim.objects.get(claimed=Decimal("800.00"))
    change = admin_url("expenditure_claim_change", first.pk)
    # Raising the first claim by one cent would claim €850.01 in all.
    data = claim_data(partner("ventspils"), due_850, "800.01")
    assert client.post(change, data).status_code == 200
    # Recording the payment of €800.00 keeps the total at €850.00.
    paid = claim_data(
        partner("ventspils"), due_850, "800.00", received_0="800.00", received_on="2021-02-01"
    )
    assert client.post(change, paid).status_code == 302
    first.refresh_from_db()
    assert first.received.amount == Decimal("800.00")


def test_rejected_and_submitted_spending_is_never_claimed(
    client_for, ventspils_coordinator, ventspils_controller, periods
):
    ventspils = partner("ventspils")
    waiting = f.expenditure_line(ventspils, periods[1], "500.00")
    services.submit([waiting], None, now=NOW)
    rejected = f.expenditure_line(ventspils, periods[1], "700.00")
    services.submit([rejected], None, now=NOW)
    services.reject(rejected, ventspils_controller, "No invoice", now=NOW)
    client = client_for(ventspils_coordinator)
    response = client.post(
        admin_url("expenditure_claim_add"), claim_data(ventspils, periods[1], "0.01")
    )
    assert response.status_code == 200 and stored_claims() == []


def test_a_payment_received_needs_its_date_and_cannot_exceed_the_claim(
    client_for, ventspils_coordinator, due_850
):
    client = client_for(ventspils_coordinator)
    url = admin_url("expenditure_claim_add")
    no_date = claim_data(partner("ventspils"), due_850, "100.00", received_0="100.00")
    assert client.post(url, no_date).status_code == 200
    too_much = claim_data(
        partner("ventspils"), due_850, "100.00", received_0="100.01", received_on="2021-01-01"
    )
    assert client.post(url, too_much).status_code == 200
    before = claim_data(
        partner("ventspils"), due_850, "100.00", received_0="100.00", received_on="2020-11-19"
    )
    assert client.post(url, before).status_code == 200
    assert stored_claims() == []


def test_a_project_manager_records_a_claim_for_any_partner(client_for, project_manager, due_850):
    client = client_for(project_manager)
    data = claim_data(partner("ventspils"), due_850, "850.00")
    assert client.post(admin_url("expenditure_claim_add"), data).status_code == 302


def test_a_coordinator_cannot_claim_for_another_partner_by_a_forged_post(
    client_for, oulu_coordinator, due_850
):
    client = client_for(oulu_coordinator)
    data = claim_data(partner("ventspils"), due_850, "10.00")
    response = client.post(admin_url("expenditure_claim_add"), data)
    assert response.status_code == 200  # the form refuses the partner it does not offer
    assert "participation" in response.context["adminform"].form.errors
    assert stored_claims() == []


def test_another_partners_claim_is_a_404_to_read_change_or_delete(
    client_for, oulu_coordinator, project_manager, due_850
):
    claim = Claim.objects.create(
        participation=partner("ventspils"),
        period=due_850,
        claimed_on=dt.date(2020, 11, 20),
        claimed=f.eur("10.00"),
    )
    client = client_for(oulu_coordinator)
    change = admin_url("expenditure_claim_change", claim.pk)
    assert client.get(change).status_code == 404
    data = claim_data(partner("ventspils"), due_850, "1.00")
    assert client.post(change, data).status_code == 404
    assert (
        client.post(admin_url("expenditure_claim_delete", claim.pk), {"post": "yes"}).status_code
        == 404
    )
    claim.refresh_from_db()
    assert claim.claimed.amount == Decimal("10.00")


@pytest.mark.parametrize("who", ["council_member", "auditor", "ventspils_controller"])
def test_council_staff_auditors_and_controllers_record_no_claims(client_for, request, who, due_850):
    client = client_for(request.getfixturevalue(who))
    data = claim_data(partner("ventspils"), due_850, "10.00")
    response = client.post(admin_url("expenditure_claim_add"), data)
    assert response.status_code in (302, 403)
    if response.status_code == 302:  # not staff: to the admin's login page
        assert "/login/" in response["Location"]
    assert stored_claims() == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_claims_saved_at_once_cannot_add_up_to_more_than_is_due(demo, superuser):
    from demo.expenditure import load_reporting_periods

    period = load_reporting_periods(demo)[1]
    certified_line(partner("ventspils"), period, "1000.01", superuser)

    def claim(amount: str):
        client = Client()
        client.force_login(superuser)
        data = claim_data(partner("ventspils"), period, amount)
        return lambda: client.post(admin_url("expenditure_claim_add"), data)

    with held_before_saving(Claim, writers=2):
        responses = in_parallel(claim("500.00"), claim("400.00"))

    assert all(not isinstance(r, BaseException) for r in responses), responses
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert len(stored_claims()) == 1 and sum(stored_claims()) <= Decimal("850.00")


# --- state co-financing -----------------------------------------------------------------------


def state_data(participation, **changes) -> dict:
    return {
        "participation": participation.pk,
        "applied_on": "2020-07-01",
        "applied_0": "2564.07",
        "applied_1": "EUR",
        "advance_rate": "90.00",
        "advance_received_on": "",
        "advance_received_0": "",
        "advance_received_1": "EUR",
        "final_received_on": "",
        "final_received_0": "",
        "final_received_1": "EUR",
    } | changes


def test_the_own_organisation_records_its_state_co_financing_with_the_instalments_computed(
    client_for, ventspils_coordinator
):
    client = client_for(ventspils_coordinator)
    url = admin_url("expenditure_statecofinancing_add")
    too_much = state_data(
        partner("ventspils"), advance_received_0="2307.67", advance_received_on="2020-09-01"
    )
    assert client.post(url, too_much).status_code == 200
    data = state_data(
        partner("ventspils"), advance_received_0="2307.66", advance_received_on="2020-09-01"
    )
    assert client.post(url, data).status_code == 302
    row = StateCoFinancing.objects.get()
    assert row.instalments == (Decimal("2307.66"), Decimal("256.41"))


def test_state_co_financing_is_only_for_the_own_organisation(client_for, project_manager, demo):
    client = client_for(project_manager)
    url = admin_url("expenditure_statecofinancing_add")
    assert client.post(url, state_data(partner("oulu"))).status_code == 200
    assert not StateCoFinancing.objects.exists()
