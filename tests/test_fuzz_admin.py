"""Bad input in the admin forms gets a form error, never a 500, and changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.models import Budget, BudgetLine
from partners.models import Organisation
from tests.test_admin_budget_forms import form_data

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

nasty_numbers = st.one_of(
    st.sampled_from(["NaN", "nan", "Infinity", "-Infinity", "inf", "1e309", "-0.001", "1,5",
                     "0x10", "", " ", "1 000", "--1", "1e-7", "12.345"]),
    st.integers(min_value=10**13, max_value=10**40).map(str),
    st.integers(max_value=-1).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=5, min_value=Decimal("-1e6"),
                max_value=Decimal("-0.00001")).map(str),
    st.text(min_size=1, max_size=300).filter(lambda s: not s.strip().replace(".", "").isdigit()),
)  # fmt: skip


def snapshot() -> list:
    budgets = [(b.pk, b.total, b.office_flat_rate, b.version) for b in Budget.objects.all()]
    shares = list(Budget.objects.values_list("shares__source_id", "shares__rate"))
    return [budgets, sorted(shares), BudgetLine.objects.count()]


@FUZZ
@given(total=nasty_numbers)
def test_a_nonsense_budget_total_is_a_form_error(admin_client, demo, total):
    budget = Budget.objects.get()
    before = snapshot()
    with translation.override("en"):
        url = reverse("admin:funding_budget_change", args=[budget.pk])
    response = admin_client.post(url, form_data(budget, total=total))
    assert response.status_code == 200
    assert response.context["errors"]
    assert snapshot() == before


@FUZZ
@given(rate=nasty_numbers)
def test_a_nonsense_rate_is_a_form_error(admin_client, demo, rate):
    budget = Budget.objects.get()
    before = snapshot()
    response = admin_client.post(
        reverse("admin:funding_budget_change", args=[budget.pk]),
        form_data(budget, rates=["85", rate, "10"]),
    )
    assert response.status_code == 200
    assert snapshot() == before


@FUZZ
@given(name=st.text(min_size=201, max_size=2000), email=st.text(max_size=300))
def test_over_long_or_odd_text_in_an_organisation_is_a_form_error(admin_client, demo, name, email):
    org = Organisation.objects.get(slug="oulu")
    response = admin_client.post(
        reverse("admin:partners_organisation_change", args=[org.pk]),
        {"name_en": name, "slug": "oulu", "city": org.city_id, "contact_email": email,
         "participations-TOTAL_FORMS": 0, "participations-INITIAL_FORMS": 0,
         "initiatives-TOTAL_FORMS": 0, "initiatives-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200
    assert Organisation.objects.get(pk=org.pk).name_en == "City of Oulu"


@pytest.mark.parametrize("object_id", ["999999", "abc", "-1", "1%00", "9" * 40, "%F0%9F%92%A3"])
def test_unknown_or_odd_object_ids_are_404_not_500(admin_client, demo, object_id):
    url = reverse("admin:funding_budget_change", args=["0"]).replace("/0/", f"/{object_id}/")
    assert admin_client.get(url).status_code == 404
