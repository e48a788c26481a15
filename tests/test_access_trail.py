"""The access trail: who changed whose roles, admin access, coordinator assignments and
which permissions a role holds — and nothing else (no row for a login, a password, a name).
Auditors (and superusers) read it at /access/."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from partners.models import Organisation
from projects.roles import AUDITORS, COORDINATORS
from tests.test_roles_admin import save_coordinators

pytestmark = pytest.mark.django_db

URL = "/en/access/"


def sign_in(client, username: str):
    with translation.override("en"):
        url = reverse("login")
    return client.post(url, {"username": username, "password": f"pw-{username}-1234"})


def rows(user) -> int:
    return user.history.count()


# --- What is recorded ---------------------------------------------------------------------------


def test_signing_in_adds_no_row_to_the_users_history(client, council_member):
    before = rows(council_member)
    assert sign_in(client, "alice").status_code == 302
    assert sign_in(client, "alice").status_code == 302
    assert rows(council_member) == before


def test_a_new_password_or_name_adds_no_row(council_member):
    before = rows(council_member)
    council_member.set_password("another-secret-5678")
    council_member.save()
    council_member.first_name, council_member.email = "Alise", "alise@ventspils.lv"
    council_member.save()
    assert rows(council_member) == before


@pytest.mark.parametrize("field", ["is_staff", "is_superuser", "is_active"])
def test_a_change_of_admin_access_adds_one_row(council_member, field):
    before = rows(council_member)
    setattr(council_member, field, not getattr(council_member, field))
    council_member.save()
    assert rows(council_member) == before + 1
    council_member.save()  # saved again, nothing changed
    assert rows(council_member) == before + 1


def test_roles_given_or_taken_add_a_row_each_and_only_when_they_change(council_member):
    auditors = Group.objects.get(name=AUDITORS)
    before = rows(council_member)
    council_member.groups.add(auditors)
    council_member.groups.add(auditors)  # already held
    assert rows(council_member) == before + 1
    council_member.groups.remove(Group.objects.get(name=COORDINATORS))  # never held
    assert rows(council_member) == before + 1
    # From the group's side too: the row is the user's.
    auditors.user_set.remove(council_member)
    assert rows(council_member) == before + 2
    assert not council_member.history.first().groups.filter(group=auditors).exists()


def test_deleting_a_role_records_that_its_members_lost_it(ventspils_coordinator):
    before = rows(ventspils_coordinator)
    Group.objects.get(name=COORDINATORS).delete()
    assert rows(ventspils_coordinator) == before + 1
    assert not ventspils_coordinator.history.first().groups.exists()


def test_a_roles_permissions_and_name_are_recorded(db):
    group = Group.objects.get(name=COORDINATORS)
    before = group.history.count()
    group.permissions.add(Permission.objects.get(codename="change_project"))
    group.name = "Partner coordinators"
    group.save()
    group.save()  # nothing changed
    assert group.history.count() == before + 2


# --- The page ----------------------------------------------------------------------------------


@pytest.fixture
def access_changes(client_for, demo, superuser, outsider):
    """The superuser makes Oscar a coordinator of Oulu and lets coordinators edit projects."""
    save_coordinators(client_for(superuser), Organisation.objects.get(slug="oulu"), [outsider])
    coordinators = Group.objects.get(name=COORDINATORS)
    coordinators._history_user = superuser
    coordinators.permissions.add(Permission.objects.get(codename="change_project"))
    return outsider


def changes(response) -> dict[tuple, str | None]:
    """(kind, record, fields with before and after) → who made the change."""
    return {
        (c.kind, c.record, tuple((f.field, f.before, f.after) for f in c.fields)): (
            c.user.username if c.user else None
        )
        for c in response.context["page"].object_list
    }


def test_an_auditor_sees_who_changed_whose_access_with_before_and_after(
    client_for, auditor, access_changes, english
):
    sign_in(client_for(None), "oscar")  # a login: not an access change
    response = client_for(auditor).get(URL)
    assert response.status_code == 200
    shown = changes(response)
    assert shown[("partners.organisation", "City of Oulu", (("coordinators", "–", "oscar"),))] == (
        "root"
    )
    assert shown[("auth.user", "oscar", (("staff status", "no", "yes"),))] == "root"
    assert shown[("auth.user", "oscar", (("roles", "–", COORDINATORS),))] == "root"
    permission = (("permissions", "–", "projects.change_project"),)
    assert shown[("auth.group", COORDINATORS, permission)] == "root"
    whens = [c.when for c in response.context["page"].object_list]
    assert whens == sorted(whens, reverse=True)
    page = response.content.decode()
    assert "projects.change_project" in page and "City of Oulu" in page


def test_a_deleted_role_and_a_deleted_user_stay_in_the_trail(
    client_for, auditor, superuser, access_changes, english
):
    access_changes.delete()
    Group.objects.get(name=COORDINATORS).delete()
    shown = changes(client_for(superuser).get(URL))
    assert ("auth.user", "oscar", (
        ("staff status", "yes", "–"), ("superuser status", "no", "–"), ("active", "yes", "–"),
        ("roles", COORDINATORS, "–"),
    )) in shown  # fmt: skip
    assert any(kind == "auth.group" and record == COORDINATORS for kind, record, _ in shown)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),
        ("council_member", 403),
        ("ventspils_coordinator", 403),
        ("project_manager", 403),
        ("outsider", 403),
        ("auditor", 200),
        ("superuser", 200),
    ],
)
def test_only_auditors_and_superusers_read_the_access_trail(
    client_for, request, demo, persona, status
):
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get(URL).status_code == status


def test_the_access_trail_rejects_post(client_for, auditor):
    assert client_for(auditor).post(URL).status_code == 405


def test_the_access_trail_links_from_the_front_page_for_auditors_only(
    client_for, demo, auditor, council_member
):
    assert URL in client_for(auditor).get("/en/").content.decode()
    assert URL not in client_for(council_member).get("/en/").content.decode()


def test_the_access_trail_makes_a_fixed_number_of_queries(
    client_for, auditor, superuser, access_changes
):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(auditor)

    def count() -> int:
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    before = count()
    group = Group.objects.create(name="Visitors")
    group.permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    for org in Organisation.objects.all():
        org.coordinators.add(superuser)
    for user in [superuser, access_changes]:
        user.groups.add(group)
        user.is_active = not user.is_active
        user.save()
    assert count() == before


def test_a_coordinator_assigned_from_the_users_side_is_recorded_on_the_organisation(
    demo, client_for, auditor, outsider, english
):
    """`user.coordinated_organisations.add(org)` once raised a TypeError (plain simple-history
    wrote the user into the organisation's history table): it is recorded like a change made
    on the organisation's form, and taking it back is recorded too."""
    oulu = Organisation.objects.get(slug="oulu")
    before = oulu.history.count()
    outsider.coordinated_organisations.add(oulu)
    assert oulu.history.count() == before + 1
    assert list(oulu.history.first().coordinators.values_list("user__username", flat=True)) == [
        "oscar"
    ]
    outsider.coordinated_organisations.clear()
    assert oulu.history.count() == before + 2
    assert not oulu.history.first().coordinators.exists()
    shown = changes(client_for(auditor).get(URL))
    assert ("partners.organisation", "City of Oulu", (("coordinators", "–", "oscar"),)) in shown
    assert ("partners.organisation", "City of Oulu", (("coordinators", "oscar", "–"),)) in shown
