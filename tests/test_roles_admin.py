"""Who may do what with partner data in the admin: each role against each admin view.

A coordinator edits only their own organisation's data, and never gets another partner's
rows, by list, URL or form (403 or 404, never the data). Auditors read everything and
change nothing. Project-wide data is for project managers and superusers.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import Budget
from partners.models import Organisation, Participation
from tests import factories as f
from tests.test_admin_budget_forms import new_budget_data

pytestmark = pytest.mark.django_db

ANON, COUNCIL, VENTSPILS, OULU, AUDITOR, MANAGER, OUTSIDER, ROOT = (
    "anonymous", "council", "ventspils", "oulu", "auditor", "manager", "outsider", "superuser",
)  # fmt: skip


@pytest.fixture
def people(
    demo, council_member, ventspils_coordinator, oulu_coordinator, auditor, project_manager,
    outsider, superuser,
):  # fmt: skip
    return {
        ANON: None, COUNCIL: council_member, VENTSPILS: ventspils_coordinator,
        OULU: oulu_coordinator, AUDITOR: auditor, MANAGER: project_manager,
        OUTSIDER: outsider, ROOT: superuser,
    }  # fmt: skip


@pytest.fixture
def oulu_budget(demo) -> Budget:
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    return f.with_budget(oulu, "60000.00", erdf_rate="70", own_rate="30")


def urls(demo, oulu_budget) -> dict[str, str]:
    ventspils_budget = Budget.objects.get(participation__organisation__slug="ventspils")
    org = {o.slug: o.pk for o in Organisation.objects.all()}
    return {
        "budget list": reverse("admin:funding_budget_changelist"),
        "ventspils budget": reverse("admin:funding_budget_change", args=[ventspils_budget.pk]),
        "oulu budget": reverse("admin:funding_budget_change", args=[oulu_budget.pk]),
        "add budget": reverse("admin:funding_budget_add"),
        "delete ventspils budget": reverse(
            "admin:funding_budget_delete", args=[ventspils_budget.pk]
        ),
        "oulu budget history": reverse("admin:funding_budget_history", args=[oulu_budget.pk]),
        "ventspils organisation": reverse(
            "admin:partners_organisation_change", args=[org["ventspils"]]
        ),
        "oulu organisation": reverse("admin:partners_organisation_change", args=[org["oulu"]]),
        "partner list": reverse("admin:partners_participation_changelist"),
        "project": reverse("admin:projects_project_change", args=[demo.pk]),
    }


L = 302  # sent to the admin's login page
# "add budget": only while a partner of one's own has none (here both have one); deleting a
# budget is for project managers, for every partner (projects/roles.py).
EXPECTED = {
    #                          anon council ventspils oulu auditor manager outsider root
    "budget list":              (L, L, 200, 200, 200, 200, L, 200),
    "ventspils budget":         (L, L, 200, 404, 200, 200, L, 200),
    "oulu budget":              (L, L, 404, 200, 200, 200, L, 200),
    "add budget":               (L, L, 403, 403, 403, 403, L, 200),
    "delete ventspils budget":  (L, L, 403, 404, 403, 200, L, 200),
    "oulu budget history":      (L, L, 404, 200, 200, 200, L, 200),
    "ventspils organisation":   (L, L, 200, 404, 200, 200, L, 200),
    "oulu organisation":        (L, L, 404, 200, 200, 200, L, 200),
    "partner list":             (L, L, 200, 200, 200, 200, L, 200),
    "project":                  (L, L, 403, 403, 200, 200, L, 200),
}  # fmt: skip
ROLES = [ANON, COUNCIL, VENTSPILS, OULU, AUDITOR, MANAGER, OUTSIDER, ROOT]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may_in_the_admin(role, people, client_for, demo, oulu_budget):
    client = client_for(people[role])
    got = {name: client.get(url).status_code for name, url in urls(demo, oulu_budget).items()}
    expected = {name: codes[ROLES.index(role)] for name, codes in EXPECTED.items()}
    assert got == expected


def test_a_coordinator_lists_only_their_own_partners_budget(
    client_for, ventspils_coordinator, oulu_budget
):
    response = client_for(ventspils_coordinator).get(reverse("admin:funding_budget_changelist"))
    shown = [b.participation.organisation.slug for b in response.context["cl"].result_list]
    assert shown == ["ventspils"]
    assert "Oulu" not in response.content.decode()


def test_a_coordinator_cannot_change_another_partners_budget_by_url(
    client_for, ventspils_coordinator, oulu_budget
):
    url = reverse("admin:funding_budget_change", args=[oulu_budget.pk])
    response = client_for(ventspils_coordinator).post(url, {"total_0": "1.00", "total_1": "EUR"})
    assert response.status_code == 404
    assert Budget.objects.get(pk=oulu_budget.pk).total.amount == Decimal("60000.00")


def test_a_coordinator_cannot_delete_another_partners_budget(
    client_for, ventspils_coordinator, oulu_budget
):
    url = reverse("admin:funding_budget_delete", args=[oulu_budget.pk])
    response = client_for(ventspils_coordinator).post(url, {"post": "yes"})
    assert response.status_code == 404
    assert Budget.objects.filter(pk=oulu_budget.pk).exists()


def test_a_coordinator_cannot_pick_another_partner_in_the_form(
    client_for, demo, ventspils_coordinator
):
    saint_quentin = Participation.objects.get(project=demo, organisation__slug="saint-quentin")
    Budget.objects.filter(participation__organisation__slug="ventspils").delete()  # one to add
    response = client_for(ventspils_coordinator).post(
        reverse("admin:funding_budget_add"), new_budget_data(saint_quentin, "1000.00")
    )
    assert response.status_code == 200
    assert "participation" in response.context["adminform"].form.errors
    assert not Budget.objects.filter(participation=saint_quentin).exists()


def test_a_coordinator_cannot_find_other_partners_through_autocomplete(
    client_for, ventspils_coordinator
):
    response = client_for(ventspils_coordinator).get(
        reverse("admin:autocomplete"),
        {"app_label": "funding", "model_name": "budget", "field_name": "participation"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Ventspils Digitālais centrs – DI4C"]


def test_a_coordinator_cannot_assign_coordinators(client_for, ventspils_coordinator):
    org = Organisation.objects.get(slug="ventspils")
    response = client_for(ventspils_coordinator).get(
        reverse("admin:partners_organisation_change", args=[org.pk])
    )
    assert "coordinators" not in response.context["adminform"].form.fields


def test_an_auditor_changes_nothing(client_for, demo, auditor):
    budget = Budget.objects.get(participation__organisation__slug="ventspils")
    client = client_for(auditor)
    change = client.post(
        reverse("admin:funding_budget_change", args=[budget.pk]),
        {"total_0": "1.00", "total_1": "EUR"},
    )
    delete = client.post(reverse("admin:funding_budget_delete", args=[budget.pk]), {"post": "yes"})
    assert (change.status_code, delete.status_code) == (403, 403)
    assert Budget.objects.get(pk=budget.pk).total.amount == Decimal("51280.00")


def test_the_migrations_create_the_roles_with_exactly_their_permissions():
    from django.contrib.auth.models import Group

    from tests.roles import ROLES

    in_database = {
        group.name: sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        )
        for group in Group.objects.all()
    }
    assert in_database == {name: sorted(set(codes)) for name, codes in ROLES.items()}
    assert {"Council staff", "Coordinators", "Auditors"} <= set(in_database)


def save_coordinators(client, organisation, users) -> None:
    """Post the organisation's admin form as it is, with `users` as its coordinators."""
    url = reverse("admin:partners_organisation_change", args=[organisation.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    data = {name: v if isinstance(v, list) else v or "" for name, v in values.items()}
    data |= {"coordinators": [u.pk for u in users]}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data |= {management[name].html_name: management[name].value() for name in management.fields}
        for inline_form in formset.formset.forms:
            data |= {
                inline_form[name].html_name: inline_form[name].value() or ""
                for name in inline_form.fields
            }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


def test_a_superuser_assigns_a_coordinator_who_can_then_edit_that_partner(
    client_for, demo, superuser, outsider
):
    save_coordinators(client_for(superuser), Organisation.objects.get(slug="oulu"), [outsider])

    outsider.refresh_from_db()
    assert outsider.is_staff
    assert outsider.groups.filter(name="Coordinators").exists()
    # The new rights are on record, and by whom.
    last = outsider.history.first()
    assert last.is_staff and last.history_user == superuser
    assert "Coordinators" in {g.group.name for g in last.groups.all()}
    oulu_budget = client_for(outsider).get(reverse("admin:funding_budget_add"))
    assert oulu_budget.status_code == 200


@pytest.mark.parametrize("persona", ["auditor", "ventspils_coordinator", "superuser"])
def test_an_old_version_in_the_history_cannot_be_saved_back(client_for, request, demo, persona):
    from partners.models import City

    city = City.objects.get(name="Ventspils")
    city.name = "Windau"
    city.save()
    version = city.history.order_by("history_date").first()
    url = reverse("admin:partners_city_simple_history", args=[city.pk, version.history_id])
    client = client_for(request.getfixturevalue(persona))
    response = client.post(url, {"name": "Hacked", "country": "LV", "latitude": "1",
                                 "longitude": "1"})  # fmt: skip
    assert response.status_code == 403
    assert City.objects.get(pk=city.pk).name == "Windau"


def test_a_coordinator_taken_off_their_last_organisation_loses_the_role_and_the_admin(
    client_for, demo, superuser, oulu_coordinator
):
    save_coordinators(client_for(superuser), Organisation.objects.get(slug="oulu"), [])
    oulu_coordinator.refresh_from_db()
    assert not oulu_coordinator.is_staff
    assert not oulu_coordinator.groups.filter(name="Coordinators").exists()
    assert (
        client_for(oulu_coordinator).get(reverse("admin:funding_budget_changelist")).status_code
        == 302
    )
