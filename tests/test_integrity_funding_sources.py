"""Changing a funding source cannot break the plans that use it (issue 8, item 5): a change
that would make a stored co-financing plan invalid is refused, naming the plans; also when a
plan takes the source up while it is being changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from funding.models import Budget, CoFinancingShare
from funding.selectors import project_funding
from funding.services import budget_set
from partners.models import Participation
from projects.models import FundingSource
from tests import factories
from tests.html_forms import form_fields
from tests.test_integrity_concurrency import (
    held_before_saving,
    in_parallel,
    page,
    postgresql_only,
    signed_in,
)


def source_form(client, source) -> tuple[str, dict]:
    with translation.override("en"):
        url = reverse("admin:projects_fundingsource_change", args=[source.pk])
    return url, form_fields(client.get(url).content.decode(), "fundingsource_form")


@pytest.fixture
def oulu_with_the_state_budget(demo) -> Budget:
    """Oulu's plan uses the Latvian state budget too (with the ERDF), as Ventspils' does."""
    oulu = Participation.objects.get(organisation__slug="oulu")
    lv_state = FundingSource.objects.get(code="lv-state-budget")
    return budget_set(
        participation=oulu,
        total=factories.eur("60000.00"),
        plan=[(factories.erdf(), Decimal("70")), (lv_state, Decimal("30"))],
    )


@pytest.mark.django_db
def test_making_a_national_source_an_eu_fund_is_refused_naming_the_plans_it_would_break(
    client_for, project_manager, oulu_with_the_state_budget
):
    manager = client_for(project_manager)
    lv_state = FundingSource.objects.get(code="lv-state-budget")
    url, data = source_form(manager, lv_state)
    response = manager.post(url, {**data, "kind": FundingSource.Kind.EU_FUND})

    assert response.status_code == 200
    text = page(response)
    assert "only one EU fund" in text
    assert "Ventspils Digital Centre (DI4C)" in text and "City of Oulu (DI4C)" in text
    assert FundingSource.objects.get(pk=lv_state.pk).kind == "national"
    funding = project_funding(oulu_with_the_state_budget.participation.project)
    assert funding.unplanned.amount == Decimal("0.00")  # both plans still count


@pytest.mark.django_db
def test_a_change_that_keeps_every_plan_valid_is_accepted(
    client_for, project_manager, oulu_with_the_state_budget
):
    manager = client_for(project_manager)
    lv_state = FundingSource.objects.get(code="lv-state-budget")
    url, data = source_form(manager, lv_state)
    response = manager.post(url, {**data, "kind": FundingSource.Kind.REGIONAL, "name": "LV"})
    assert response.status_code == 302
    assert FundingSource.objects.get(pk=lv_state.pk).kind == "regional"


@pytest.mark.django_db
def test_the_programmes_eu_fund_stays_an_eu_fund(client_for, project_manager, demo):
    manager = client_for(project_manager)
    erdf = FundingSource.objects.get(code="erdf")
    url, data = source_form(manager, erdf)
    response = manager.post(url, {**data, "kind": FundingSource.Kind.NATIONAL})
    assert response.status_code == 200
    assert "URBACT III" in page(response)
    assert FundingSource.objects.get(pk=erdf.pk).is_eu_fund


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_plan_taking_up_a_source_while_it_becomes_an_eu_fund(demo, superuser, project_manager):
    """A manager makes an unused national source an EU fund while a coordinator puts that
    source into Oulu's plan beside the ERDF: either alone is fine, together they are not."""
    from tests.test_admin_budget_forms import form_data

    oulu = Participation.objects.get(organisation__slug="oulu")
    budget = factories.with_budget(oulu, "60000.00", erdf_rate="85", own_rate="15")
    newcomer = factories.source("fi-state", FundingSource.Kind.NATIONAL, 20)

    manager = signed_in(project_manager)
    source_url, source_data = source_form(manager, newcomer)
    source_data["kind"] = FundingSource.Kind.EU_FUND

    plan_data = form_data(budget)
    own = budget.shares.get(rate=15)
    own_index = next(i for i in range(2) if str(plan_data[f"shares-{i}-id"]) == str(own.pk))
    plan_data[f"shares-{own_index}-source"] = newcomer.pk
    with translation.override("en"):
        budget_url = reverse("admin:funding_budget_change", args=[budget.pk])
    coordinator = signed_in(superuser)

    with held_before_saving(FundingSource, Budget, writers=2):
        changed, planned = in_parallel(
            lambda: manager.post(source_url, source_data),
            lambda: coordinator.post(budget_url, plan_data),
        )

    assert sorted([changed.status_code, planned.status_code]) == [200, 302]
    refused = changed if changed.status_code == 200 else planned
    assert "only one EU fund" in page(refused)
    eu_funds = CoFinancingShare.objects.filter(budget=budget, source__kind="eu").count()
    assert eu_funds == 1


@pytest.mark.django_db
def test_a_programme_is_funded_by_an_eu_fund(demo):
    from django.core.exceptions import ValidationError

    from projects.models import Programme

    programme = Programme.objects.get()
    programme.fund = FundingSource.objects.get(code="lv-state-budget")
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "fund" in error.value.message_dict


def test_funding_sources_are_project_wide_data_for_managers_only(client, demo):
    """A user given the model permission to change sources, but not the managers'
    `projects.manage_project`, reads the source and cannot change it (as for programmes)."""
    from django.contrib.auth.models import Permission

    from tests.conftest import make_user

    user = make_user("sam", staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_fundingsource", "change_fundingsource"])
    )
    client.force_login(user)
    source = FundingSource.objects.get(code="lv-state-budget")
    url, fields = source_form(client, source)
    fields["name"] = "Renamed"
    assert client.post(url, fields).status_code == 403
    source.refresh_from_db()
    assert source.name != "Renamed"


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_bulk_change_of_kind_keeps_the_same_rule(oulu_with_the_state_budget):
    from django.core.exceptions import ValidationError

    sources = FundingSource.objects.filter(code="lv-state-budget")
    with pytest.raises(ValidationError, match="only one EU fund"):
        sources.update(kind=FundingSource.Kind.EU_FUND)
    assert sources.get().kind == "national"
    assert sources.update(kind=FundingSource.Kind.REGIONAL) == 1  # keeps every plan valid
    assert sources.get().kind == "regional"
