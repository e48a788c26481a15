"""The admin's lists and forms open for the demo network with a fixed number of queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import Budget
from partners.models import City, Organisation, Participation
from projects.models import FundingSource, Programme, Project
from tests import factories as f

pytestmark = pytest.mark.django_db

# A filter on a field with choices (country, role, kind) costs one query: the values that
# occur (urbact_portal/lib/admin_tools.py, occurring_values_only). Every admin page asks once
# whether a budget is left to enter (its "add" link in the menu, funding/admin.py).
CHANGELISTS = {
    "admin:projects_project_changelist": 10,
    "admin:projects_programme_changelist": 8,
    "admin:partners_participation_changelist": 15,  # budgets in the current version: 1
    "admin:partners_organisation_changelist": 9,
    "admin:partners_city_changelist": 9,
    "admin:funding_budget_changelist": 15,  # the versions' kinds that occur: 1
    "admin:projects_fundingsource_changelist": 9,
}


def change_forms(demo):
    ventspils = Participation.objects.get(project=demo, organisation__slug="ventspils")
    return {
        "admin:projects_project_change": (demo.pk, 11),
        "admin:projects_programme_change": (Programme.objects.get().pk, 8),
        "admin:partners_participation_change": (ventspils.pk, 13),  # its current budget
        # 17: the coordinators and the controllers (two user lists, 2 queries each)
        "admin:partners_organisation_change": (ventspils.organisation_id, 17),
        "admin:partners_city_change": (City.objects.get(name="Ventspils").pk, 7),
        "admin:funding_budget_change": (Budget.objects.get().pk, 22),  # is its version current
        "admin:projects_fundingsource_change": (FundingSource.objects.get(code="erdf").pk, 7),
    }


def count_queries(client, url) -> int:
    ContentType.objects.clear_cache()  # as in a fresh process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_changelists_make_a_fixed_number_of_queries(admin_client, demo):
    counts = {name: count_queries(admin_client, reverse(name)) for name in CHANGELISTS}
    big = f.project("big", partners=50)
    for part in Participation.objects.filter(project=big)[:20]:
        f.with_budget(part, "1000.00")
    counts_big = {name: count_queries(admin_client, reverse(name)) for name in CHANGELISTS}
    assert counts == counts_big == CHANGELISTS


def test_change_forms_open_with_a_fixed_number_of_queries(admin_client, demo):
    forms = change_forms(demo)
    counts = {
        name: count_queries(admin_client, reverse(name, args=[pk]))
        for name, (pk, _) in forms.items()
    }
    assert counts == {name: expected for name, (_, expected) in forms.items()}


def test_the_project_form_costs_the_same_with_many_milestones(admin_client, demo):
    url = reverse("admin:projects_project_change", args=[demo.pk])
    before = count_queries(admin_client, url)
    for day in range(1, 21):
        demo.milestones.create(title=f"Meeting {day}", kind="meeting", start=f"2021-03-{day:02}")
    assert count_queries(admin_client, url) == before


def test_organisations_and_projects_are_searchable(admin_client, demo):
    url = reverse("admin:partners_participation_changelist")
    response = admin_client.get(url, {"q": "Oulu"})
    assert [p.organisation.slug for p in response.context["cl"].result_list] == ["oulu"]
    response = admin_client.get(url, {"organisation__city__country": "LV"})
    assert [p.organisation.slug for p in response.context["cl"].result_list] == ["ventspils"]
    assert Project.objects.count() == 1 and Organisation.objects.count() == 8
