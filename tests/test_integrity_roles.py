"""Who may edit partner data is decided by the assignment (Organisation.coordinators) and by
permissions, never by a group's name, and an assignment is given only by those allowed to.

Each payload starts as the form the user gets (read from the page), then is tampered with.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from funding.models import Budget
from partners.models import Initiative, Organisation, Participation
from projects.roles import COORDINATORS
from tests import factories as f
from tests.test_admin_budget_forms import form_data
from tests.test_roles_admin import save_coordinators

# Names compared below are the English ones (the default language is Latvian).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def oulu_budget(demo) -> Budget:
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    return f.with_budget(oulu, "60000.00", erdf_rate="70", own_rate="30")


@pytest.fixture
def ventspils_budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


def organisation(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def values(form) -> dict:
    """What a browser posts for a form's fields as rendered (an unticked box: nothing)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[form[name].html_name] = value
    return data


def copied_form(client, url: str) -> dict:
    """The change form as the page gives it: every field and inline row with its value."""
    page = client.get(url)
    assert page.status_code == 200
    data = values(page.context["adminform"].form)
    for formset in page.context["inline_admin_formsets"]:
        data |= values(formset.formset.management_form)
        for inline_form in formset.formset.forms:
            data |= values(inline_form)
    return data


def budget_total(budget: Budget) -> Decimal:
    return Budget.objects.get(pk=budget.pk).total.amount


def coordinates(user, slug: str) -> bool:
    return organisation(slug).coordinators.filter(pk=user.pk).exists()


# --- Item 2: assigning coordinators -----------------------------------------------------------


def test_a_manager_does_not_get_the_coordinators_field(client_for, demo, project_manager):
    page = client_for(project_manager).get(change_url(organisation("oulu")))
    assert page.status_code == 200
    assert "coordinators" not in page.context["adminform"].form.fields


def test_a_manager_cannot_make_themselves_a_coordinator_with_a_crafted_post(
    client_for, demo, project_manager, oulu_budget
):
    client = client_for(project_manager)
    oulu = organisation("oulu")
    data = copied_form(client, change_url(oulu)) | {"coordinators": [project_manager.pk]}

    response = client.post(change_url(oulu), data)

    assert response.status_code == 403
    assert not coordinates(project_manager, "oulu")
    assert not project_manager.groups.filter(name=COORDINATORS).exists()


def test_a_coordinator_cannot_add_a_colleague_as_coordinator_with_a_crafted_post(
    client_for, ventspils_coordinator, outsider
):
    client = client_for(ventspils_coordinator)
    ventspils = organisation("ventspils")
    data = copied_form(client, change_url(ventspils)) | {"coordinators": [outsider.pk]}
    assert client.post(change_url(ventspils), data).status_code == 403
    assert not coordinates(outsider, "ventspils")


def test_an_auditor_changes_no_organisation_and_assigns_nobody(client_for, demo, auditor):
    client = client_for(auditor)
    oulu = organisation("oulu")
    data = copied_form(client, change_url(oulu)) | {
        "name_en": "Hacked",
        "contact_email": "forged@example.com",
        "coordinators": [auditor.pk],
    }
    assert client.post(change_url(oulu), data).status_code == 403
    assert organisation("oulu").name == "City of Oulu"
    assert not coordinates(auditor, "oulu")


def test_the_dedicated_permission_lets_a_user_assign_coordinators(
    client_for, demo, project_manager, outsider
):
    project_manager.user_permissions.add(
        Permission.objects.get(codename="assign_coordinators", content_type__app_label="partners")
    )
    save_coordinators(client_for(project_manager), organisation("oulu"), [outsider])
    assert coordinates(outsider, "oulu")


def test_the_permission_to_assign_coordinators_exists_and_no_role_holds_it():
    permission = Permission.objects.get(
        codename="assign_coordinators", content_type__app_label="partners"
    )
    assert not permission.group_set.exists()


def test_a_manager_assigned_to_ventspils_still_cannot_edit_oulus_budget(
    client_for, demo, superuser, project_manager, ventspils_budget, oulu_budget
):
    save_coordinators(client_for(superuser), organisation("ventspils"), [project_manager])
    client = client_for(project_manager)

    # Their own organisation's budget they now keep up to date...
    own = client.post(change_url(ventspils_budget), form_data(ventspils_budget, total="50000.00"))
    assert own.status_code == 302
    assert budget_total(ventspils_budget) == Decimal("50000.00")
    # ...another partner's they only read, however the form is posted.
    data = form_data(oulu_budget, total="1.00")
    assert client.post(change_url(oulu_budget), data).status_code == 403
    assert budget_total(oulu_budget) == Decimal("60000.00")
    # (Deleting a budget, any partner's, is a project manager's right: projects/roles.py,
    # tests/test_roles_workplaces.py.)


def test_a_manager_assigned_to_ventspils_cannot_add_a_budget_for_another_partner(
    client_for, demo, superuser, project_manager
):
    from tests.test_admin_budget_forms import new_budget_data

    save_coordinators(client_for(superuser), organisation("ventspils"), [project_manager])
    saint_quentin = Participation.objects.get(project=demo, organisation__slug="saint-quentin")
    # Ventspils without a budget: the add form is open to them, for Ventspils only.
    Budget.objects.filter(participation__organisation__slug="ventspils").delete()
    response = client_for(project_manager).post(
        reverse("admin:funding_budget_add"), new_budget_data(saint_quentin, "1000.00")
    )
    assert response.status_code == 200
    assert "participation" in response.context["adminform"].form.errors
    assert not Budget.objects.filter(participation=saint_quentin).exists()


def test_a_manager_assigned_to_ventspils_cannot_add_an_initiative_to_oulu(
    client_for, demo, superuser, project_manager
):
    save_coordinators(client_for(superuser), organisation("ventspils"), [project_manager])
    client = client_for(project_manager)
    oulu = organisation("oulu")
    data = copied_form(client, change_url(oulu))
    before = Initiative.objects.filter(organisation=oulu).count()
    # The initiative inline is read-only for Oulu: the attacker adds one row by hand.
    prefix = "initiatives"
    total = int(data.get(f"{prefix}-TOTAL_FORMS", before))
    data |= {
        f"{prefix}-TOTAL_FORMS": total + 1,
        f"{prefix}-INITIAL_FORMS": data.get(f"{prefix}-INITIAL_FORMS", before),
        f"{prefix}-{total}-title": "FORGED",
        f"{prefix}-{total}-description": "",
        f"{prefix}-{total}-organisation": oulu.pk,
    }
    client.post(change_url(oulu), data)
    assert not Initiative.objects.filter(title="FORGED").exists()
    assert Initiative.objects.filter(organisation=oulu).count() == before


def test_a_manager_keeps_project_wide_data_of_every_organisation_but_not_its_contacts(
    client_for, demo, project_manager
):
    client = client_for(project_manager)
    oulu = organisation("oulu")
    page = client.get(change_url(oulu))
    fields = page.context["adminform"].form.fields
    assert {"name_lv", "name_en", "local_name", "slug", "city"} <= set(fields)
    assert not {"website", "contact_name", "contact_email", "coordinators"} & set(fields)

    data = copied_form(client, change_url(oulu)) | {"name_en": "City of Oulu (FI)"}
    forged = data | {"contact_email": "forged@example.com"}
    assert client.post(change_url(oulu), forged).status_code == 403
    assert organisation("oulu").contact_email != "forged@example.com"
    assert client.post(change_url(oulu), data).status_code == 302
    assert organisation("oulu").name == "City of Oulu (FI)"

    participation = Participation.objects.get(project=demo, organisation=oulu)
    data = copied_form(client, change_url(participation)) | {"joined_on": "2021-05-01"}
    assert client.post(change_url(participation), data).status_code == 302
    participation.refresh_from_db()
    assert str(participation.joined_on) == "2021-05-01"


def test_a_coordinator_keeps_their_own_organisations_contacts(client_for, ventspils_coordinator):
    client = client_for(ventspils_coordinator)
    ventspils = organisation("ventspils")
    data = copied_form(client, change_url(ventspils)) | {"contact_email": "new@ventspils.lv"}
    assert client.post(change_url(ventspils), data).status_code == 302
    ventspils.refresh_from_db()
    assert ventspils.contact_email == "new@ventspils.lv"


# --- Item 3: a group's name decides nothing ----------------------------------------------------


@pytest.fixture
def renamed_role(demo):
    group = Group.objects.get(name=COORDINATORS)
    group.name = "Partner coordinators"
    group.save()
    return group


def test_after_renaming_the_role_a_coordinator_still_sees_only_their_own_rows(
    client_for, ventspils_coordinator, oulu_budget, renamed_role
):
    client = client_for(ventspils_coordinator)
    listed = client.get(reverse("admin:funding_budget_changelist"))
    assert [b.participation.organisation.slug for b in listed.context["cl"].result_list] == [
        "ventspils"
    ]
    assert client.get(change_url(oulu_budget)).status_code == 404
    assert client.get(change_url(organisation("oulu"))).status_code == 404
    partners = client.get(reverse("admin:partners_participation_changelist"))
    assert {p.organisation.slug for p in partners.context["cl"].result_list} == {"ventspils"}
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "funding", "model_name": "budget", "field_name": "participation"},
    )
    assert [r["text"] for r in found.json()["results"]] == ["Ventspils Digital Centre – DI4C"]


def test_after_renaming_the_role_a_coordinator_still_cannot_change_another_partners_budget(
    client_for, ventspils_coordinator, oulu_budget, renamed_role
):
    client = client_for(ventspils_coordinator)
    response = client.post(change_url(oulu_budget), form_data(oulu_budget, total="1.00"))
    assert response.status_code == 404
    assert budget_total(oulu_budget) == Decimal("60000.00")


def test_without_the_role_a_coordinator_loses_the_rights_and_nothing_breaks(
    client_for, ventspils_coordinator, ventspils_budget
):
    Group.objects.get(name=COORDINATORS).delete()
    client = client_for(ventspils_coordinator)
    assert client.get(reverse("admin:funding_budget_changelist")).status_code == 403
    response = client.post(change_url(ventspils_budget), form_data(ventspils_budget, total="1.00"))
    assert response.status_code in (403, 404)
    assert budget_total(ventspils_budget) == Decimal("51280.00")


def test_a_member_of_the_role_without_an_assignment_edits_nothing(
    client_for, demo, ventspils_budget
):
    from tests.conftest import make_user

    unassigned = make_user("ursula", COORDINATORS, staff=True)
    client = client_for(unassigned)
    listed = client.get(reverse("admin:funding_budget_changelist"))
    assert list(listed.context["cl"].result_list) == []
    assert client.get(change_url(ventspils_budget)).status_code == 404


@pytest.mark.usefixtures("english")
def test_assigning_a_coordinator_while_the_role_is_renamed_is_a_clear_warning(
    client_for, demo, superuser, outsider, renamed_role
):
    client = client_for(superuser)
    oulu = organisation("oulu")
    data = copied_form(client, change_url(oulu)) | {"coordinators": [outsider.pk]}
    response = client.post(change_url(oulu), data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("Coordinators" in m and "not found" in m for m in messages), messages
    outsider.refresh_from_db()
    # The assignment is stored; no rights come with it until the role exists again.
    assert coordinates(outsider, "oulu")
    assert not outsider.is_staff and not outsider.groups.exists()


def test_taking_a_coordinator_off_while_the_role_is_renamed_leaves_them_nothing_to_edit(
    client_for, demo, superuser, oulu_coordinator, oulu_budget, renamed_role
):
    save_coordinators(client_for(superuser), organisation("oulu"), [])
    # Still in the renamed group, with its permissions: but assigned to nothing.
    client = client_for(oulu_coordinator)
    listed = client.get(reverse("admin:funding_budget_changelist"))
    assert list(listed.context["cl"].result_list) == []
    assert client.get(change_url(oulu_budget)).status_code == 404
    response = client.post(change_url(oulu_budget), form_data(oulu_budget, total="1.00"))
    assert response.status_code == 404
    assert budget_total(oulu_budget) == Decimal("60000.00")


def test_a_coordinator_taken_off_keeps_the_admin_when_another_role_needs_it(
    client_for, demo, superuser, auditor
):
    save_coordinators(client_for(superuser), organisation("oulu"), [auditor])
    save_coordinators(client_for(superuser), organisation("oulu"), [])
    auditor.refresh_from_db()
    assert auditor.is_staff
    assert not auditor.groups.filter(name=COORDINATORS).exists()


def test_a_renamed_auditors_role_keeps_its_members_admin_access(
    client_for, demo, superuser, auditor
):
    """Admin access is kept for what a user's permissions need, not for a group's name."""
    save_coordinators(client_for(superuser), organisation("oulu"), [auditor])
    auditors = Group.objects.get(name="Auditors")
    auditors.name = "Checkers"
    auditors.save()
    save_coordinators(client_for(superuser), organisation("oulu"), [])
    auditor.refresh_from_db()
    assert auditor.is_staff
