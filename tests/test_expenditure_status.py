"""Each status step by each role, in the admin and the services, with forged requests:
draft → submitted → certified or rejected; corrections; certified lines never change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from djmoney.money import Money

from expenditure import services
from expenditure.models import ExpenditureLine, LineFrozen
from partners.models import Participation
from tests import factories as f
from tests.admin_forms import admin_url, change_url, copy_form

NOW = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))
LIST = "expenditure_expenditureline_changelist"


def partner(slug: str) -> Participation:
    return Participation.objects.get(organisation__slug=slug, project__slug="di4c")


@pytest.fixture
def draft(periods) -> ExpenditureLine:
    return f.expenditure_line(partner("ventspils"), periods[1], "1500.00", description="Officer")


@pytest.fixture
def submitted(draft) -> ExpenditureLine:
    services.submit([draft], None, now=NOW)
    draft.refresh_from_db()
    return draft


def decide_url(line) -> str:
    return admin_url("expenditure_expenditureline_decide", line.pk)


def status_of(line) -> str:
    return ExpenditureLine.objects.get(pk=line.pk).status


def new_line_data(participation, period, **changes) -> dict:
    return {
        "participation": participation.pk,
        "period": period.pk,
        "paid_on": "2020-06-30",
        "category": "staff",
        "description": "Project officer, June",
        "supplier": "",
        "document_reference": "A-1",
        "amount_0": "1500.00",
        "amount_1": "EUR",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
    } | changes


# --- Coordinators: drafts and submission ------------------------------------------------------


def test_a_coordinator_records_a_draft_line_for_their_own_organisation(
    client_for, ventspils_coordinator, periods
):
    data = new_line_data(partner("ventspils"), periods[1])
    response = client_for(ventspils_coordinator).post(
        admin_url("expenditure_expenditureline_add"), data
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    line = ExpenditureLine.objects.get()
    assert (line.status, line.amount, line.rate) == ("draft", Money("1500.00", "EUR"), None)
    assert line.history.get().history_user == ventspils_coordinator


@pytest.mark.parametrize("forged", ["other_partner", "other_project_period", "bad_id"])
def test_a_coordinator_cannot_record_a_line_for_another_partner_or_project(
    client_for, ventspils_coordinator, periods, forged
):
    other = f.project("other")
    other_period = f.reporting_period(other, 1, dt.date(2020, 1, 1), dt.date(2020, 6, 30))
    data = {
        "other_partner": new_line_data(partner("oulu"), periods[1]),
        "other_project_period": new_line_data(partner("ventspils"), other_period),
        "bad_id": new_line_data(partner("ventspils"), periods[1]) | {"participation": "x\x00"},
    }[forged]
    response = client_for(ventspils_coordinator).post(
        admin_url("expenditure_expenditureline_add"), data
    )
    assert response.status_code == 200
    assert response.context["errors"]
    assert not ExpenditureLine.objects.exists()


def test_the_model_refuses_a_period_of_another_project(english, draft):
    other = f.project("other")
    draft.period = f.reporting_period(other, 1, dt.date(2020, 1, 1), dt.date(2020, 6, 30))
    with pytest.raises(ValidationError, match="belongs to another project"):
        draft.full_clean()


def test_a_coordinator_submits_their_drafts_with_the_admin_action(
    client_for, ventspils_coordinator, draft
):
    response = client_for(ventspils_coordinator).post(
        admin_url(LIST), {"action": "submit_lines", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by) == ("submitted", ventspils_coordinator)
    assert draft.amount_eur == Money("1500.00", "EUR")


def test_another_partners_coordinator_cannot_see_edit_or_submit_the_line(
    client_for, oulu_coordinator, draft
):
    client = client_for(oulu_coordinator)
    assert client.get(change_url(draft)).status_code == 404
    assert client.post(change_url(draft), {"description": "x"}).status_code == 404
    client.post(admin_url(LIST), {"action": "submit_lines", "_selected_action": [draft.pk]})
    assert status_of(draft) == "draft"
    with pytest.raises(PermissionDenied):
        services.submit([draft], oulu_coordinator)


def test_a_submitted_line_can_no_longer_be_edited_or_deleted_by_its_coordinator(
    client_for, ventspils_coordinator, submitted
):
    client = client_for(ventspils_coordinator)
    page = client.get(change_url(submitted))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    data = new_line_data(partner("ventspils"), submitted.period, description="changed")
    assert client.post(change_url(submitted), data).status_code == 403
    delete = admin_url("expenditure_expenditureline_delete", submitted.pk)
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ExpenditureLine.objects.get(pk=submitted.pk).description == "Officer"


def test_a_coordinator_cannot_certify_their_own_line(client_for, ventspils_coordinator, submitted):
    client = client_for(ventspils_coordinator)
    client.post(admin_url(LIST), {"action": "certify_lines", "_selected_action": [submitted.pk]})
    assert client.post(decide_url(submitted), {"decision": "certify"}).status_code == 403
    assert status_of(submitted) == "submitted"
    with pytest.raises(PermissionDenied):
        services.certify(submitted, ventspils_coordinator)


# --- Controllers: certify and reject ----------------------------------------------------------


def test_the_controller_certifies_a_submitted_line(client_for, ventspils_controller, submitted):
    response = client_for(ventspils_controller).post(decide_url(submitted), {"decision": "certify"})
    assert response.status_code == 302
    line = ExpenditureLine.objects.get(pk=submitted.pk)
    assert (line.status, line.decided_by) == ("certified", ventspils_controller)


def test_rejecting_needs_the_controllers_reason(
    english, client_for, ventspils_controller, submitted
):
    client = client_for(ventspils_controller)
    refused = client.post(decide_url(submitted), {"decision": "reject", "reason": "  "})
    assert refused.status_code == 200 and "Give the reason" in refused.content.decode()
    assert status_of(submitted) == "submitted"

    client.post(decide_url(submitted), {"decision": "reject", "reason": "No invoice attached."})
    line = ExpenditureLine.objects.get(pk=submitted.pk)
    assert (line.status, line.rejection_reason) == ("rejected", "No invoice attached.")


def test_the_reject_action_asks_for_the_reason_then_rejects(
    client_for, ventspils_controller, submitted
):
    client = client_for(ventspils_controller)
    selected = {"action": "reject_lines", "_selected_action": [submitted.pk]}
    asked = client.post(admin_url(LIST), selected)
    assert asked.status_code == 200 and "reason" in asked.context["form"].fields
    assert status_of(submitted) == "submitted"
    client.post(admin_url(LIST), selected | {"reason": "Outside the period."})
    assert status_of(submitted) == "rejected"


def test_a_forged_decision_on_a_draft_skips_no_step(
    english, client_for, ventspils_controller, draft
):
    response = client_for(ventspils_controller).post(decide_url(draft), {"decision": "certify"})
    assert response.status_code == 200 and "is a draft" in response.content.decode()
    assert status_of(draft) == "draft"


def test_a_decided_line_is_not_decided_again(english, ventspils_controller, submitted):
    services.certify(submitted, ventspils_controller)
    with pytest.raises(ValidationError, match="certified already"):
        services.reject(submitted, ventspils_controller, "changed my mind")
    assert status_of(submitted) == "certified"


def test_a_controller_decides_only_for_the_partners_assigned_to_them(
    client_for, oulu_controller, ventspils_controller, submitted, periods
):
    oulu_line = f.expenditure_line(partner("oulu"), periods[1], "99.00")
    services.submit([oulu_line], None, now=NOW)
    client = client_for(oulu_controller)

    assert client.get(decide_url(submitted)).status_code == 404
    assert client.post(decide_url(submitted), {"decision": "certify"}).status_code == 404
    assert client.get(change_url(submitted)).status_code == 404
    listed = client.get(admin_url(LIST)).context["cl"].result_list
    assert [line.pk for line in listed] == [oulu_line.pk]
    client.post(admin_url(LIST), {"action": "certify_lines", "_selected_action": [submitted.pk]})
    assert status_of(submitted) == "submitted"
    with pytest.raises(PermissionDenied):
        services.certify(submitted, oulu_controller)


def test_the_controllers_start_page_lists_their_waiting_lines_oldest_first(
    client_for, ventspils_controller, periods
):
    first, second, other = (
        f.expenditure_line(partner(slug), periods[1], "10.00", description=text)
        for slug, text in [("ventspils", "first"), ("ventspils", "second"), ("oulu", "Oulu's")]
    )
    services.submit([second], None, now=NOW + dt.timedelta(days=1))
    services.submit([first, other], None, now=NOW)

    response = client_for(ventspils_controller).get("/en/expenditure/to-check/")
    assert response.status_code == 200
    assert [line.description for line in response.context["lines"]] == ["first", "second"]
    assert decide_url(first) in response.content.decode()


def test_the_start_page_is_for_controllers_only(client_for, ventspils_coordinator, auditor):
    for user in (ventspils_coordinator, auditor):
        assert client_for(user).get("/en/expenditure/to-check/").status_code == 403


def test_managers_and_auditors_see_every_line_and_decide_none(
    client_for, project_manager, auditor, submitted
):
    for user in (project_manager, auditor):
        client = client_for(user)
        assert client.get(change_url(submitted)).status_code == 200
        assert client.post(decide_url(submitted), {"decision": "certify"}).status_code == 403
    assert status_of(submitted) == "submitted"


# --- Certified lines never change; corrections -----------------------------------------------


@pytest.fixture
def certified(submitted, ventspils_controller) -> ExpenditureLine:
    return services.certify(submitted, ventspils_controller)


def test_a_certified_line_never_changes_whatever_the_path(
    client_for, superuser, ventspils_coordinator, certified
):
    for user in (superuser, ventspils_coordinator):
        client = client_for(user)
        data = new_line_data(partner("ventspils"), certified.period, amount_0="1.00")
        assert client.post(change_url(certified), data).status_code == 403
        delete = admin_url("expenditure_expenditureline_delete", certified.pk)
        assert client.post(delete, {"post": "yes"}).status_code == 403
        client.post(
            admin_url(LIST),
            {"action": "delete_selected", "_selected_action": [certified.pk], "post": "yes"},
        )  # noqa: E501
    line = ExpenditureLine.objects.get(pk=certified.pk)
    line.amount = Money("1.00", "EUR")
    with pytest.raises(LineFrozen):
        line.save()
    with pytest.raises(LineFrozen):
        ExpenditureLine.objects.filter(pk=certified.pk).update(description="x")
    with pytest.raises(LineFrozen):
        ExpenditureLine.objects.filter(pk=certified.pk).delete()
    stored = ExpenditureLine.objects.get(pk=certified.pk)
    assert (stored.status, stored.amount) == ("certified", Money("1500.00", "EUR"))


def test_a_rejected_line_is_corrected_by_a_new_line_that_refers_to_it(
    ventspils_coordinator, ventspils_controller, submitted
):
    services.reject(submitted, ventspils_controller, "Wrong amount")
    fixed = services.correct(
        submitted, ventspils_coordinator, amount=Money(Decimal("1450.00"), "EUR")
    )
    assert (fixed.status, fixed.corrects_id, fixed.amount) == (
        "draft",
        submitted.pk,
        Money("1450.00", "EUR"),
    )
    assert status_of(submitted) == "rejected"
    services.submit([fixed], ventspils_coordinator, now=NOW)
    services.certify(fixed, ventspils_controller)
    assert status_of(fixed) == "certified"


def test_only_decided_lines_are_corrected_and_only_once(
    english, ventspils_coordinator, ventspils_controller, submitted, oulu_coordinator
):
    with pytest.raises(ValidationError, match="Only a certified or rejected"):
        services.correct(submitted, ventspils_coordinator)
    services.reject(submitted, ventspils_controller, "Wrong amount")
    with pytest.raises(PermissionDenied):
        services.correct(submitted, oulu_coordinator)
    services.correct(submitted, ventspils_coordinator)
    with pytest.raises(ValidationError, match="already has a correction"):
        services.correct(submitted, ventspils_coordinator)


def test_a_raised_documents_formset_count_is_a_form_error(client_for, ventspils_coordinator, draft):
    client = client_for(ventspils_coordinator)
    data = copy_form(client, change_url(draft)) | {
        "documents-INITIAL_FORMS": "1",
        "documents-TOTAL_FORMS": "1",
        "documents-0-id": "999999",
        "documents-0-kind": "invoice",
    }
    response = client.post(change_url(draft), data)
    assert response.status_code == 200 and response.context["errors"]


def test_the_header_links_a_controller_to_their_lines(client_for, ventspils_controller):
    with translation.override("en"):
        url = reverse("expenditure:to_check")
    assert url in client_for(ventspils_controller).get("/en/").content.decode()
