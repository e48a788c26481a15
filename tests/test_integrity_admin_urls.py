"""Odd URLs and values in the admin get a form error or a 400/403/404, never a 500; and a
coordinator cannot tell another partner's row from a missing one by any per-object URL.
(Run on PostgreSQL too: it refuses NUL bytes that SQLite stores.)"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from funding.models import Budget
from partners.models import City, Organisation, Participation
from projects.models import FundingSource, Programme
from tests import factories
from tests.admin_forms import admin_url, change_url, copy_form, stored

pytestmark = pytest.mark.django_db

MISSING = 999999


@pytest.fixture
def root(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def ventspils_budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


@pytest.fixture
def oulu_budget(demo) -> Budget:
    oulu = Participation.objects.get(organisation__slug="oulu")
    return factories.with_budget(oulu, "60000.00", erdf_rate="70", own_rate="30")


def first_version(obj) -> int:
    return obj.history.order_by("history_date", "history_id").first().history_id


def history_url(obj_or_model, object_id, version_id=None) -> str:
    opts = obj_or_model._meta
    if version_id is None:
        return admin_url(f"{opts.app_label}_{opts.model_name}_history", object_id)
    return admin_url(f"{opts.app_label}_{opts.model_name}_simple_history", object_id, version_id)


# --- Malformed ids in forms (item 10) ---------------------------------------------------------


def with_field_error(response, field: str) -> bool:
    return response.status_code == 200 and field in response.context["adminform"].form.errors


@pytest.mark.parametrize("value", ["x", "\x00", "99999999999999999999", "-1", "1.5"])
def test_a_malformed_participation_in_the_budget_forms_is_a_form_error(
    client_for, ventspils_coordinator, oulu_coordinator, ventspils_budget, value
):
    before = stored()
    # The add form is for a coordinator with a budget still to enter (Oulu has none).
    for user, url in [
        (ventspils_coordinator, change_url(ventspils_budget)),
        (oulu_coordinator, admin_url("funding_budget_add")),
    ]:
        client = client_for(user)
        data = copy_form(client, url) | {"participation": value}
        assert with_field_error(client.post(url, data), "participation"), url
    assert stored() == before


@pytest.mark.parametrize("value", ["x", "\x00", "99999999999999999999"])
def test_malformed_keys_in_the_partner_forms_are_form_errors(root, demo, value):
    ventspils = Organisation.objects.get(slug="ventspils")
    forms = {
        change_url(ventspils): ["city", "coordinators"],
        admin_url("partners_organisation_add"): ["city"],
        change_url(ventspils.participations.get()): ["organisation", "project"],
        admin_url("partners_participation_add"): ["organisation", "project"],
    }
    before = stored()
    for url, fields in forms.items():
        data = copy_form(root, url)
        for field in fields:
            response = root.post(url, data | {field: value})
            assert with_field_error(response, field), (url, field)
    assert stored() == before


@pytest.mark.parametrize("value", ["x", "%00", "99999999999999999999", "-1"])
def test_malformed_ids_in_an_add_forms_url_are_ignored(root, client_for, demo, oulu_coordinator,
                                                       value):  # fmt: skip
    urls = [
        admin_url("funding_budget_add") + f"?participation={value}",
        admin_url("partners_organisation_add") + f"?city={value}",
        admin_url("partners_participation_add") + f"?organisation={value}&project={value}",
    ]
    for url in urls:
        assert root.get(url).status_code == 200, url
    assert client_for(oulu_coordinator).get(urls[0]).status_code == 200


# --- Malformed ids and values in admin URLs (item 10) -----------------------------------------


def audited_rows(demo) -> list:
    return [
        Budget.objects.get(),
        Organisation.objects.get(slug="ventspils"),
        Participation.objects.get(organisation__slug="ventspils"),
        City.objects.get(name="Ventspils"),
        FundingSource.objects.get(code="erdf"),
        demo,
        Programme.objects.get(),
    ]


@pytest.mark.parametrize("odd", ["x", "%00", "99999999999999999999", "-1", "1.5"])
def test_malformed_ids_in_history_urls_are_404(root, demo, odd):
    for row in audited_rows(demo):
        version = first_version(row)
        for url in (
            history_url(row, row.pk, "VERSION").replace("VERSION", odd),
            history_url(row, "ID", version).replace("ID", odd),
            history_url(row, "ID").replace("ID", odd),
        ):
            assert root.get(url).status_code == 404, url


CHANGELIST_QUERIES = {
    # Filters go to the database as they come; PostgreSQL refuses NUL bytes.
    "funding_budget_changelist": ["participation__role__exact=%00",
                                  "participation__organisation__city__country=%00",
                                  "participation__project__id__exact=%00"],
    "partners_participation_changelist": ["role=%00", "organisation__city__country=%00"],
    "partners_organisation_changelist": ["city__country=%00"],
    "partners_city_changelist": ["country=%00"],
    "projects_fundingsource_changelist": ["kind=%00"],
    "projects_project_changelist": ["network_type=%00"],
    "reports_issuedreport_changelist": ["kind=%00", "language=%00"],
    # The admins django.contrib.auth and django-axes register (audit/admin.py guards them).
    "auth_user_changelist": ["is_staff__exact=%00", "groups__id__exact=%00"],
    "auth_group_changelist": ["permissions__id__exact=%00"],
    "axes_accessattempt_changelist": ["attempt_time__gte=%00"],
    "axes_accesslog_changelist": ["attempt_time__gte=%00"],
    "axes_accessfailurelog_changelist": ["locked_out__exact=%00"],
}  # fmt: skip


@pytest.mark.parametrize("changelist", CHANGELIST_QUERIES)
def test_a_nul_byte_in_a_list_filter_is_a_bad_request(root, demo, changelist):
    for query in CHANGELIST_QUERIES[changelist]:
        assert root.get(f"{admin_url(changelist)}?{query}").status_code == 400, query
    assert root.get(f"{admin_url(changelist)}?q=%00").status_code == 400


@pytest.mark.parametrize(
    "query",
    ["participation__project__id__exact=x", "participation__project__id__exact=-1",
     "participation__project__id__exact=99999999999999999999", "o=x", "o=1.-x.99", "o=%00",
     "p=x", "p=99", "p=%00", "participation__role__exact=x", "all=%00", "_popup=%00"],
)  # fmt: skip
def test_odd_list_parameters_give_a_list_or_a_bad_request(root, ventspils_coordinator, demo,
                                                           query):  # fmt: skip
    coordinator = Client()
    coordinator.force_login(ventspils_coordinator)
    url = f"{admin_url('funding_budget_changelist')}?{query}"
    for client in (root, coordinator):
        response = client.get(url)
        assert response.status_code in (200, 302, 400), (query, response.status_code)
        if response.status_code == 302:  # Django's "?e=1": the list without the filter
            assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("selected", ["x", "\x00", "99999999999999999999"])
def test_a_malformed_id_among_the_rows_of_an_action_is_a_bad_request(root, demo, selected):
    budget = Budget.objects.get()
    before = stored()
    response = root.post(
        admin_url("funding_budget_changelist"),
        {"action": "delete_selected", "_selected_action": [budget.pk, selected]},
    )
    assert response.status_code == 400
    assert stored() == before


@pytest.mark.parametrize(
    "changelist",
    ["auth_user_changelist", "auth_group_changelist", "axes_accessattempt_changelist",
     "axes_accesslog_changelist", "axes_accessfailurelog_changelist"],
)  # fmt: skip
@pytest.mark.parametrize("selected", ["x", "\x00", "99999999999999999999"])
def test_a_malformed_id_in_an_action_on_users_roles_or_sign_in_records_is_a_bad_request(
    root, demo, changelist, selected
):
    """Once a 500 (Django's own admins look the rows up by the ids as posted)."""
    users = get_user_model().objects.count()
    response = root.post(
        admin_url(changelist), {"action": "delete_selected", "_selected_action": [selected]}
    )
    assert response.status_code == 400
    assert get_user_model().objects.count() == users


AUTOCOMPLETE_FIELDS = [
    ("funding", "budget", "participation"),
    ("partners", "organisation", "city"),
    ("partners", "participation", "organisation"),
    ("partners", "participation", "project"),
]


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), AUTOCOMPLETE_FIELDS)
@pytest.mark.parametrize("term", ["\x00", "Oulu\x00", "\x00%"])
def test_a_nul_byte_in_an_autocomplete_search_is_a_bad_request(
    root, demo, app_label, model_name, field_name, term
):
    response = root.get(
        admin_url("autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name,
         "term": term},
    )  # fmt: skip
    assert response.status_code == 400


def test_autocomplete_still_finds_what_is_searched_for(client_for, ventspils_coordinator):
    response = client_for(ventspils_coordinator).get(
        admin_url("autocomplete"),
        {"app_label": "funding", "model_name": "budget", "field_name": "participation",
         "term": "Ventspils"},
    )  # fmt: skip
    assert [r["text"] for r in response.json()["results"]] == ["Ventspils Digital Centre – DI4C"]


# --- Old versions open for everyone who may read them (item 11) -------------------------------


def test_a_coordinator_opens_an_old_version_of_their_own_organisation(
    client_for, ventspils_coordinator
):
    org = Organisation.objects.get(slug="ventspils")
    org.contact_name = "Valdis"
    org.save()
    client = client_for(ventspils_coordinator)
    response = client.get(history_url(org, org.pk, first_version(org)))
    assert response.status_code == 200
    assert 'name="slug"' not in response.content.decode()  # read-only for a coordinator


# Coordinators read no project-wide records (403); everyone else reads everything.
VERSION_PAGES = {
    #                        coordinator auditor manager superuser
    "budget":                (200, 200, 200, 200),
    "organisation":          (200, 200, 200, 200),
    "participation":         (200, 200, 200, 200),
    "city":                  (200, 200, 200, 200),
    "fundingsource":         (200, 200, 200, 200),
    "project":               (403, 200, 200, 200),
    "programme":             (403, 200, 200, 200),
}  # fmt: skip
PERSONAS = ["ventspils_coordinator", "auditor", "project_manager", "superuser"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_opens_the_old_versions_it_may_read(client_for, request, demo, persona):
    client = client_for(request.getfixturevalue(persona))
    got = {}
    for row in audited_rows(demo):
        row.save()  # a second version, so the first is an old one
        got[row._meta.model_name] = (
            client.get(history_url(row, row.pk)).status_code,
            client.get(history_url(row, row.pk, first_version(row))).status_code,
        )
    column = PERSONAS.index(persona)
    assert got == {name: (codes[column],) * 2 for name, codes in VERSION_PAGES.items()}


# --- Another partner's row looks like a missing one (item 15) ---------------------------------


def per_object_urls(model, object_id, version_id) -> dict[str, str]:
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    return {
        "change": admin_url(f"{info}_change", object_id),
        "delete": admin_url(f"{info}_delete", object_id),
        "history": history_url(model, object_id),
        "old version": history_url(model, object_id, version_id),
    }


@pytest.mark.parametrize("kind", ["budget", "organisation", "participation"])
def test_another_partners_row_answers_as_a_missing_one(
    client_for, ventspils_coordinator, oulu_budget, kind
):
    theirs = {
        "budget": oulu_budget,
        "organisation": oulu_budget.participation.organisation,
        "participation": oulu_budget.participation,
    }[kind]
    model = type(theirs)
    version = first_version(theirs)
    client = client_for(ventspils_coordinator)
    before = stored()
    for view, url in per_object_urls(model, theirs.pk, version).items():
        missing = per_object_urls(model, MISSING, version)[view]
        assert (client.get(url).status_code, client.get(missing).status_code) == (404, 404), url
        assert client.post(url, {"post": "yes"}).status_code == 404, url
    assert stored() == before


def test_another_partners_deleted_budget_answers_as_a_missing_one(
    client_for, ventspils_coordinator, oulu_budget
):
    pk, version = oulu_budget.pk, first_version(oulu_budget)
    oulu_budget.delete()
    client = client_for(ventspils_coordinator)
    for url in per_object_urls(Budget, pk, version).values():
        assert client.get(url).status_code == 404, url


def test_a_coordinator_reads_the_history_of_their_own_rows(
    client_for, ventspils_coordinator, ventspils_budget
):
    client = client_for(ventspils_coordinator)
    org = ventspils_budget.participation.organisation
    for row in (ventspils_budget, ventspils_budget.participation, org):
        urls = per_object_urls(type(row), row.pk, first_version(row))
        assert client.get(urls["history"]).status_code == 200
        assert client.get(urls["old version"]).status_code == 200


def test_an_auditor_reads_the_history_of_a_deleted_budget(client_for, auditor, oulu_budget):
    pk, version = oulu_budget.pk, first_version(oulu_budget)
    oulu_budget.delete()
    client = client_for(auditor)
    assert client.get(history_url(Budget, pk)).status_code == 200
    assert client.get(history_url(Budget, pk, version)).status_code == 200
