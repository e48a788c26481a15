"""Every create, change and delete is on record with who, when, before and after:
through the admin, through services, and through bulk writes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.trail import project_changes
from funding.models import Budget, CoFinancingShare
from partners.models import Initiative, Participation
from projects.models import Milestone
from tests import factories as f
from tests.test_admin_budget_forms import form_data, new_budget_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def latest(demo, **filters):
    return project_changes(demo, **filters)[0]


def test_a_budget_created_in_the_admin_is_recorded_with_its_author(
    client_for, demo, oulu_coordinator
):
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    response = client_for(oulu_coordinator).post(
        reverse("admin:funding_budget_add"), new_budget_data(oulu, "60000.00")
    )
    assert response.status_code == 302
    created = {c.kind: c for c in project_changes(demo, user_id=oulu_coordinator.pk)}
    assert set(created) == {"funding.budget", "funding.cofinancingshare"}
    assert all(c.action == "+" for c in created.values())
    fields = {f.field: f.after for f in created["funding.budget"].fields}
    assert fields["total budget"] == "€60,000.00"


def test_a_budget_change_in_the_admin_records_who_and_before_and_after(
    client_for, demo, ventspils_coordinator
):
    budget = Budget.objects.get(participation__organisation__slug="ventspils")
    response = client_for(ventspils_coordinator).post(
        reverse("admin:funding_budget_change", args=[budget.pk]),
        form_data(budget, total="50000.00"),
    )
    assert response.status_code == 302
    change = latest(demo, kind="funding.budget")
    assert change.user == ventspils_coordinator
    assert change.action == "~"
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("total budget", "€51,280.00", "€50,000.00")
    ]


def test_a_deletion_is_recorded_with_what_was_there(demo, english):
    initiative = Initiative.objects.get(organisation__slug="oulu")
    initiative.delete()
    change = latest(demo)
    assert (change.action, change.kind) == ("-", "partners.initiative")
    assert ("title [en]", "5G in municipal services, with Nokia", "–") in [
        (f.field, f.before, f.after) for f in change.fields
    ]


def test_a_bulk_change_records_every_row(demo, english):
    count = Milestone.objects.filter(project=demo, place_en="Messina").update(
        place_en="Messina (IT)"
    )
    assert count == 2
    changes = [c for c in project_changes(demo) if c.action == "~"]
    assert sorted((c.record, c.fields[0].before, c.fields[0].after) for c in changes) == [
        ("Final meeting", "Messina", "Messina (IT)"),
        ("Kick-off meeting", "Messina", "Messina (IT)"),
    ]


def test_a_bulk_change_of_rates_is_recorded_too(demo):
    CoFinancingShare.objects.filter(source__code="erdf").update(rate=Decimal("80"))
    change = latest(demo, kind="funding.cofinancingshare")
    assert [(f.before, f.after) for f in change.fields] == [("85.00", "80.00")]


def test_an_admin_bulk_delete_action_records_each_row(client_for, demo, superuser):
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    extra = f.with_budget(oulu, "1000.00")
    ids = list(Budget.objects.values_list("pk", flat=True))
    response = client_for(superuser).post(
        reverse("admin:funding_budget_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Budget.objects.exists()
    deleted = [(c.kind, c.record) for c in project_changes(demo) if c.action == "-"]
    assert ("funding.budget", str(extra)) in deleted
    assert ("funding.budget", "Ventspils Digital Centre – DI4C") in deleted
    assert len([k for k, _ in deleted if k == "funding.cofinancingshare"]) == 5


def test_the_trail_filters_by_date_user_and_kind(demo, superuser):
    later = timezone.now() + dt.timedelta(seconds=1)
    assert project_changes(demo, since=later) == []
    assert project_changes(demo, user_id=superuser.pk) == []
    kinds = {c.kind for c in project_changes(demo, kind="partners.participation")}
    assert kinds == {"partners.participation"}
