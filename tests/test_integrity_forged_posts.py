"""Forged admin POSTs, as an attacker builds them: read the form the admin gave them (every
field, as a browser would send it), then tamper. Each is refused — a form error, a 403 or a
404 — and nothing is stored. (Inline row ids that make a budget's rules count rows that will
not be stored are in test_integrity_budget_formsets.py.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from funding.models import Budget, BudgetLine
from partners.models import Initiative, Organisation, Participation
from tests import factories
from tests.admin_forms import admin_url, assert_refused, change_url, copy_form, stored

pytestmark = pytest.mark.django_db

# --- The records and the people --------------------------------------------------------------


@pytest.fixture
def ventspils_budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


@pytest.fixture
def oulu_budget(demo) -> Budget:
    oulu = Participation.objects.get(organisation__slug="oulu")
    budget = factories.with_budget(oulu, "60000.00", erdf_rate="70", own_rate="30")
    BudgetLine.objects.create(budget=budget, category="staff", amount=factories.eur("60000.00"))
    return budget


@pytest.fixture
def ventspils(demo) -> Organisation:
    org = Organisation.objects.get(slug="ventspils")
    Initiative.objects.create(organisation=org, title="Digital Centre courses")
    return org


@pytest.fixture
def oulu(demo) -> Organisation:
    return Organisation.objects.get(slug="oulu")


@pytest.fixture
def others(oulu_budget, oulu):
    """Another partner's rows, whose ids an attacker puts in their own forms."""
    return {
        "budget": oulu_budget,
        "share": oulu_budget.shares.order_by("pk").first(),
        "line": oulu_budget.lines.get(),
        "organisation": oulu,
        "initiative": oulu.initiatives.get(),
        "participation": Participation.objects.get(organisation=oulu),
    }


def add_form(data: dict, prefix: str, fields: dict, initial: bool = False) -> dict:
    """One more inline form at the end (TOTAL_FORMS raised; INITIAL_FORMS too if `initial`)."""
    data = dict(data)
    i = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(i + 1)
    if initial:
        data[f"{prefix}-INITIAL_FORMS"] = str(int(data[f"{prefix}-INITIAL_FORMS"]) + 1)
    return data | {f"{prefix}-{i}-{name}": value for name, value in fields.items()}


# --- The copied forms are valid as they are --------------------------------------------------


def test_the_copied_forms_are_accepted_as_they_are(
    client_for, ventspils_coordinator, project_manager, ventspils_budget, ventspils
):
    coordinator = client_for(ventspils_coordinator)
    for url in (change_url(ventspils_budget), change_url(ventspils)):
        assert coordinator.post(url, copy_form(coordinator, url)).status_code == 302, url
    manager = client_for(project_manager)
    for url in (change_url(ventspils.participations.get()), change_url(ventspils)):
        assert manager.post(url, copy_form(manager, url)).status_code == 302, url


# --- Budget form, coordinator ----------------------------------------------------------------

# Each takes the copied form and another partner's rows, and returns the forged form.


def switch_the_budget_to_another_partners_participation(data: dict, o: dict) -> dict:
    return data | {"participation": o["participation"].pk}


def point_a_shares_parent_key_at_another_partners_budget(data: dict, o: dict) -> dict:
    return data | {"shares-0-budget": o["budget"].pk}


def add_a_share_to_another_partners_budget(data: dict, o: dict) -> dict:
    share = {"budget": o["budget"].pk, "source": o["share"].source_id, "rate": "0"}
    return add_form(data, "shares", share)


def delete_another_partners_share_in_an_extra_initial_form(data: dict, o: dict) -> dict:
    share = o["share"]
    fields = {"id": share.pk, "budget": data["shares-0-budget"], "source": share.source_id,
              "rate": str(share.rate), "DELETE": "on"}  # fmt: skip
    return add_form(data, "shares", fields, initial=True)


def delete_another_partners_cost_line_in_an_extra_initial_form(data: dict, o: dict) -> dict:
    fields = {"id": o["line"].pk, "budget": data["shares-0-budget"], "category": "staff",
              "amount_0": "60000.00", "amount_1": "EUR", "DELETE": "on"}  # fmt: skip
    return add_form(data, "lines", fields, initial=True)


def delete_a_share_under_a_malformed_id(data: dict, o: dict) -> dict:
    return data | {"shares-2-id": "x", "shares-2-DELETE": "on"}


def raise_initial_forms_beyond_the_forms_sent(data: dict, o: dict) -> dict:
    return data | {"shares-INITIAL_FORMS": "5", "shares-TOTAL_FORMS": "5"}


def raise_total_forms_beyond_any_limit(data: dict, o: dict) -> dict:
    return data | {"shares-TOTAL_FORMS": "100000"}


def name_of(tampering: Callable) -> str:
    return tampering.__name__


@pytest.mark.parametrize(
    "tampering",
    [
        switch_the_budget_to_another_partners_participation,
        point_a_shares_parent_key_at_another_partners_budget,
        add_a_share_to_another_partners_budget,
        delete_another_partners_share_in_an_extra_initial_form,
        delete_another_partners_cost_line_in_an_extra_initial_form,
        delete_a_share_under_a_malformed_id,
        raise_initial_forms_beyond_the_forms_sent,
        raise_total_forms_beyond_any_limit,
    ],
    ids=name_of,
)
def test_a_coordinators_forged_budget_form_is_refused(
    client_for, ventspils_coordinator, ventspils_budget, others, tampering
):
    client = client_for(ventspils_coordinator)
    url = change_url(ventspils_budget)
    data = tampering(copy_form(client, url), others)
    before = stored()
    assert_refused(client.post(url, data), before)


def test_a_coordinators_own_budget_form_posted_to_another_partners_budget_is_a_404(
    client_for, ventspils_coordinator, ventspils_budget, others
):
    client = client_for(ventspils_coordinator)
    data = copy_form(client, change_url(ventspils_budget))
    before = stored()
    response = client.post(change_url(others["budget"]), data)
    assert response.status_code == 404
    assert stored() == before


def test_a_coordinators_add_budget_form_for_another_partner_is_refused(
    client_for, oulu_coordinator, demo
):
    client = client_for(oulu_coordinator)
    url = admin_url("funding_budget_add")
    data = copy_form(client, url) | {
        "total_0": "1000.00",
        "shares-0-source": factories.erdf().pk,
        "shares-0-rate": "100",
        "participation": Participation.objects.get(organisation__slug="saint-quentin").pk,
    }
    before = stored()
    assert_refused(client.post(url, data), before)


# --- Organisation form, coordinator and project manager -------------------------------------


def retitle_another_partners_initiative_in_an_extra_initial_form(data: dict, o: dict) -> dict:
    fields = {"id": o["initiative"].pk, "organisation": data["initiatives-0-organisation"],
              "title_en": "FORGED", "description": ""}  # fmt: skip
    return add_form(data, "initiatives", fields, initial=True)


def delete_another_partners_initiative_in_an_extra_initial_form(data: dict, o: dict) -> dict:
    fields = {"id": o["initiative"].pk, "organisation": data["initiatives-0-organisation"],
              "title_en": o["initiative"].title_en, "DELETE": "on"}  # fmt: skip
    return add_form(data, "initiatives", fields, initial=True)


def point_an_initiatives_parent_key_at_another_partner(data: dict, o: dict) -> dict:
    return data | {"initiatives-0-organisation": o["organisation"].pk,
                   "initiatives-0-title_en": "FORGED"}  # fmt: skip


def add_an_initiative_to_another_partner(data: dict, o: dict) -> dict:
    fields = {"organisation": o["organisation"].pk, "title_en": "FORGED"}
    return add_form(data, "initiatives", fields)


def raise_initial_initiative_forms_beyond_the_forms_sent(data: dict, o: dict) -> dict:
    return data | {"initiatives-INITIAL_FORMS": "3", "initiatives-TOTAL_FORMS": "3"}


@pytest.mark.parametrize(
    "tampering",
    [
        retitle_another_partners_initiative_in_an_extra_initial_form,
        delete_another_partners_initiative_in_an_extra_initial_form,
        point_an_initiatives_parent_key_at_another_partner,
        add_an_initiative_to_another_partner,
        raise_initial_initiative_forms_beyond_the_forms_sent,
    ],
    ids=name_of,
)
def test_a_coordinators_forged_organisation_form_is_refused(
    client_for, ventspils_coordinator, ventspils, others, tampering
):
    client = client_for(ventspils_coordinator)
    url = change_url(ventspils)
    data = tampering(copy_form(client, url), others)
    before = stored()
    assert_refused(client.post(url, data), before)


def test_a_coordinators_own_organisation_form_posted_to_another_partner_is_a_404(
    client_for, ventspils_coordinator, ventspils, others
):
    client = client_for(ventspils_coordinator)
    data = copy_form(client, change_url(ventspils))
    before = stored()
    assert client.post(change_url(others["organisation"]), data).status_code == 404
    assert stored() == before


def test_what_a_coordinator_may_only_read_is_not_stored_whatever_the_form_says(
    client_for, ventspils_coordinator, ventspils, others
):
    """The URL name, the city and the organisation's part in projects are shown to a
    coordinator, not edited: a form that posts them anyway is refused whole (403), and
    nothing of it is stored."""
    client = client_for(ventspils_coordinator)
    url = change_url(ventspils)
    data = copy_form(client, url) | {
        "name_en": "Ventspils Digital Centre (renamed)",
        "slug": "hacked",
        "city": others["organisation"].city_id,
        "participations-0-role": "lead",
        "participations-0-organisation": others["organisation"].pk,
        "participations-0-DELETE": "on",
    }
    data = add_form(data, "participations", {"project": others["participation"].project_id,
                                            "role": "partner"})  # fmt: skip
    participations = list(Participation.objects.order_by("pk").values())

    assert client.post(url, data).status_code == 403

    ventspils.refresh_from_db()
    assert ventspils.name == "Ventspils Digital Centre"
    assert (ventspils.slug, ventspils.city.name) == ("ventspils", "Ventspils")
    assert list(Participation.objects.order_by("pk").values()) == participations


def move_another_organisations_participation_in_an_extra_initial_form(data: dict, o: dict):
    fields = {"id": o["participation"].pk, "organisation": data["participations-0-organisation"],
              "project": o["participation"].project_id, "role": "partner"}  # fmt: skip
    return add_form(data, "participations", fields, initial=True)


def point_a_participations_parent_key_at_another_organisation(data: dict, o: dict) -> dict:
    return data | {"participations-0-organisation": o["organisation"].pk}


def switch_the_city_to_a_malformed_id(data: dict, o: dict) -> dict:
    return data | {"city": "x"}


def switch_the_city_to_an_id_beyond_any_row(data: dict, o: dict) -> dict:
    return data | {"city": "99999999999999999999"}


@pytest.mark.parametrize(
    "tampering",
    [
        move_another_organisations_participation_in_an_extra_initial_form,
        point_a_participations_parent_key_at_another_organisation,
        switch_the_city_to_a_malformed_id,
        switch_the_city_to_an_id_beyond_any_row,
    ],
    ids=name_of,
)
def test_a_managers_forged_organisation_form_is_refused(
    client_for, project_manager, ventspils, others, tampering
):
    client = client_for(project_manager)
    url = change_url(ventspils)
    data = tampering(copy_form(client, url), others)
    before = stored()
    assert_refused(client.post(url, data), before)


# --- Participation form --------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"organisation": "x"},
        {"project": "x"},
        {"organisation": "99999999999999999999"},
        {"project": "\x00"},
        {"organisation": "oulu"},  # already takes part: one participation per organisation
    ],
)
def test_a_managers_forged_participation_form_is_refused(
    client_for, project_manager, ventspils, others, changes
):
    client = client_for(project_manager)
    url = change_url(ventspils.participations.get())
    if changes.get("organisation") == "oulu":
        changes = {"organisation": others["organisation"].pk}
    data = copy_form(client, url) | changes
    before = stored()
    assert_refused(client.post(url, data), before)


def test_a_coordinator_changes_no_participation_not_even_their_own(
    client_for, superuser, ventspils_coordinator, ventspils, others
):
    data = copy_form(client_for(superuser), change_url(ventspils.participations.get()))
    client = client_for(ventspils_coordinator)
    before = stored()
    own = client.post(change_url(ventspils.participations.get()), data | {"role": "lead"})
    theirs = client.post(change_url(others["participation"]), data | {"role": "lead"})
    added = client.post(admin_url("partners_participation_add"), data | {"role": "partner"})
    assert (own.status_code, theirs.status_code, added.status_code) == (403, 404, 403)
    assert stored() == before


# --- Auditors and managers change no partner data they may only read ------------------------


@pytest.mark.parametrize("persona", ["auditor", "project_manager"])
def test_read_only_users_posting_a_copied_budget_form_are_refused(
    client_for, request, superuser, ventspils_budget, persona
):
    url = change_url(ventspils_budget)
    data = copy_form(client_for(superuser), url) | {"total_0": "1.00"}
    client = client_for(request.getfixturevalue(persona))
    before = stored()
    assert client.post(url, data).status_code == 403
    assert client.post(admin_url("funding_budget_add"), data).status_code == 403
    assert stored() == before


def test_an_auditor_posting_copied_organisation_and_participation_forms_is_refused(
    client_for, superuser, auditor, ventspils
):
    participation = ventspils.participations.get()
    root = client_for(superuser)
    forms = {
        change_url(ventspils): copy_form(root, change_url(ventspils)) | {"name_en": "FORGED"},
        change_url(participation): copy_form(root, change_url(participation)) | {"role": "lead"},
    }
    client = client_for(auditor)
    before = stored()
    for url, data in forms.items():
        assert client.post(url, data).status_code == 403, url
    assert client.post(admin_url("partners_organisation_add"), forms[change_url(ventspils)]
                       | {"slug": "forged"}).status_code == 403  # fmt: skip
    assert stored() == before
