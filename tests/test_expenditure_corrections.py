"""A coordinator corrects a certified or rejected line in the admin ("Correct this line"):
who sees the button and where, what forged requests get, one correction at a time, and the
figures: a certified line whose correction is certified no longer counts, on the page, in the
CSV, in the reports and in the ERDF due, to the cent."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from djmoney.money import Money

from expenditure import selectors, services
from expenditure.models import ExpenditureLine, Status
from projects.models import Project
from reports.data import funding_report
from tests import factories as f
from tests.admin_forms import admin_url, change_url, copy_form
from tests.test_expenditure_claims import claim_data
from tests.test_expenditure_figures import url
from tests.test_expenditure_status import NOW, partner
from tests.test_report_expenditure_pdf import pdf_text as report_pdf_text

PARTNER_JSON = "/en/projects/di4c/partners/ventspils/reports/funding.json"
PROJECT_JSON = "/en/projects/di4c/reports/funding.json"


def correct_url(line) -> str:
    return admin_url("expenditure_expenditureline_correct", line.pk)


def button_on(client, line) -> bool:
    response = client.get(change_url(line))
    assert response.status_code == 200
    return f'action="{correct_url(line)}"' in response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def lines(periods, ventspils_controller) -> dict[str, ExpenditureLine]:
    """Ventspils' lines in each status (the certified one €1,500.00)."""
    made = {
        status: f.expenditure_line(partner("ventspils"), periods[1], amount, description=status)
        for status, amount in [
            ("draft", "10.00"),
            ("submitted", "20.00"),
            ("certified", "1500.00"),
            ("rejected", "86.40"),
        ]
    }
    services.submit([made["submitted"], made["certified"], made["rejected"]], None, now=NOW)
    services.certify(made["certified"], ventspils_controller, now=NOW)
    services.reject(made["rejected"], ventspils_controller, "Outside the project", now=NOW)
    for line in made.values():
        line.refresh_from_db()
    return made


# --- The button: where and for whom ------------------------------------------------------------


@pytest.mark.parametrize(
    "status,shown",
    [("draft", False), ("submitted", False), ("certified", True), ("rejected", True)],
)
def test_the_coordinator_sees_the_button_on_decided_lines_only(
    client_for, ventspils_coordinator, lines, status, shown
):
    assert button_on(client_for(ventspils_coordinator), lines[status]) is shown


@pytest.mark.parametrize("who", ["ventspils_controller", "auditor", "project_manager"])
def test_controllers_auditors_and_managers_see_no_button(client_for, request, lines, who):
    client = client_for(request.getfixturevalue(who))
    assert not button_on(client, lines["certified"])
    assert not button_on(client, lines["rejected"])


def test_a_superuser_may_correct_any_partners_line(client_for, superuser, lines):
    assert button_on(client_for(superuser), lines["rejected"])


def test_the_button_goes_once_a_correction_is_made_and_comes_back_if_it_is_rejected(
    client_for, ventspils_coordinator, ventspils_controller, lines
):
    client = client_for(ventspils_coordinator)
    old = lines["rejected"]
    assert client.post(correct_url(old)).status_code == 302
    fixed = ExpenditureLine.objects.get(corrects=old)
    assert not button_on(client, old)
    page = client.get(change_url(old)).content.decode()
    assert change_url(fixed) in page  # "corrected by": the draft, linked
    services.submit([fixed], ventspils_coordinator, now=NOW)
    services.reject(fixed, ventspils_controller, "Still outside the project", now=NOW)
    assert button_on(client, old)
    assert button_on(client, fixed)  # the rejected correction may itself be corrected


# --- Posting it ----------------------------------------------------------------------------------


def test_the_post_makes_a_draft_copy_and_opens_it_with_a_message(
    client_for, english, ventspils_coordinator, lines
):
    old = lines["certified"]
    response = client_for(ventspils_coordinator).post(correct_url(old))
    new = ExpenditureLine.objects.get(corrects=old)
    assert response.status_code == 302 and response["Location"] == change_url(new)
    assert any(f"corrects line № {old.pk}" in m for m in messages_of(response))
    assert (new.status, new.amount, new.description) == (Status.DRAFT, old.amount, "certified")
    assert (new.rate, new.amount_eur, new.decided_by) == (None, None, None)
    assert new.history.get().history_user == ventspils_coordinator  # in the audit trail
    assert ExpenditureLine.objects.get(pk=old.pk).status == Status.CERTIFIED


def test_a_get_only_asks_and_makes_nothing(client_for, ventspils_coordinator, lines):
    response = client_for(ventspils_coordinator).get(correct_url(lines["rejected"]))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert not ExpenditureLine.objects.filter(corrects__isnull=False).exists()


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_a_forged_post_for_an_undecided_line_makes_nothing_and_says_why(
    client_for, english, ventspils_coordinator, lines, status
):
    line = lines[status]
    response = client_for(ventspils_coordinator).post(correct_url(line))
    assert response.status_code == 302 and response["Location"] == change_url(line)
    assert any("Only a certified or rejected line" in m for m in messages_of(response))
    assert ExpenditureLine.objects.count() == 4


def test_a_second_post_makes_no_second_correction(
    client_for, english, ventspils_coordinator, lines
):
    client = client_for(ventspils_coordinator)
    old = lines["certified"]
    client.post(correct_url(old))
    response = client.post(correct_url(old))
    assert response.status_code == 302 and response["Location"] == change_url(old)
    first = ExpenditureLine.objects.get(corrects=old)
    told = f"already has a correction (№ {first.pk}, draft)"
    assert any(told in m for m in messages_of(response))
    assert ExpenditureLine.objects.count() == 5


def test_another_partners_line_is_not_found(client_for, oulu_coordinator, lines):
    client = client_for(oulu_coordinator)
    assert client.get(correct_url(lines["rejected"])).status_code == 404
    assert client.post(correct_url(lines["rejected"])).status_code == 404
    for missing in (999999, "abc"):
        response = client.post(admin_url("expenditure_expenditureline_correct", missing))
        assert response.status_code == 404
    assert ExpenditureLine.objects.count() == 4


@pytest.mark.parametrize("who", ["ventspils_controller", "auditor", "project_manager"])
def test_those_who_do_not_record_expenditure_are_refused(client_for, request, lines, who):
    client = client_for(request.getfixturevalue(who))
    for line in (lines["certified"], lines["rejected"]):
        assert client.post(correct_url(line)).status_code == 403
        assert client.get(correct_url(line)).status_code == 403
    assert ExpenditureLine.objects.count() == 4


def test_council_staff_and_anonymous_visitors_are_sent_to_sign_in(
    client_for, council_member, lines
):
    for user in (council_member, None):
        response = client_for(user).post(correct_url(lines["rejected"]))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert ExpenditureLine.objects.count() == 4


def test_the_service_refuses_a_second_live_correction_with_the_rule_not_the_constraint(
    english, ventspils_coordinator, lines
):
    first = services.correct(lines["rejected"], ventspils_coordinator)
    with pytest.raises(ValidationError) as refused:
        services.correct(lines["rejected"], ventspils_coordinator)
    assert refused.value.code == "already_corrected"
    assert f"№ {first.pk}" in refused.value.messages[0]


# --- The figures: a superseded line no longer counts -------------------------------------------


def correct_and_certify(client, line, amount: str, coordinator, controller) -> ExpenditureLine:
    """The coordinator corrects `line` in the admin (the amount changed) and submits; the
    controller certifies the correction."""
    client.post(correct_url(line))
    fixed = ExpenditureLine.objects.get(corrects=line)
    data = copy_form(client, change_url(fixed)) | {"amount_0": amount}
    assert client.post(change_url(fixed), data).status_code == 302
    services.submit([fixed], coordinator, now=NOW)
    return services.certify(fixed, controller, now=NOW)


def csv_total(client) -> dict[str, str]:
    response = client.get(url("expenditure:figures_csv", language="en"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return dict(zip(rows[0], next(r for r in rows if r[1] == "All partners"), strict=True))


def test_a_certified_line_corrected_and_certified_again_counts_once_everywhere(
    client_for, ventspils_coordinator, ventspils_controller, auditor, demo, lines, periods
):
    old = lines["certified"]
    client = client_for(ventspils_coordinator)
    fixed = correct_and_certify(client, old, "1450.55", ventspils_coordinator, ventspils_controller)
    assert ExpenditureLine.objects.get(pk=old.pk).status == Status.CERTIFIED  # still stored
    # Submitted adds the waiting €20.00; the €1,500.00 and the rejected €86.40 count nowhere.
    # ERDF due: 85 % of €1,450.55, cut to the cent.
    expected = {
        "Submitted (EUR)": "1470.55",
        "Certified (EUR)": "1450.55",
        "ERDF due (EUR)": "1232.96",
        "Remaining (EUR)": "49829.45",
    }
    reader = client_for(auditor)
    total = csv_total(reader)
    assert {name: total[name] for name in expected} == expected

    page = reader.get(url("expenditure:figures", language="en"))
    figures = page.context["expenditure"]
    assert figures.total.certified == Money("1450.55", "EUR")
    assert figures.total.submitted == Money("1470.55", "EUR")
    body = page.content.decode()
    assert "€1,450.55" in body and "€2,950.55" not in body and "€2,970.55" not in body

    due = selectors.erdf_due(Project.objects.get(pk=demo.pk), partner("ventspils"), periods[1].pk)
    assert due == Decimal("1232.96")  # what the period's claims may add up to

    project = json.loads(reader.get(PROJECT_JSON).content)["expenditure"]["total"]
    assert (project["certified"], project["erdf_due"]) == ("1450.55", "1232.96")
    section = json.loads(reader.get(PARTNER_JSON).content)["expenditure"]
    assert section["total"]["certified"] == "1450.55"
    listed = {c["id"]: c for c in section["certified"]}
    assert (listed[old.pk]["corrected_by"], listed[old.pk]["corrects"]) == (fixed.pk, None)
    assert (listed[fixed.pk]["corrected_by"], listed[fixed.pk]["corrects"]) == (None, old.pk)
    counted = sum(Decimal(c["amount_eur"]) for c in listed.values() if c["corrected_by"] is None)
    assert counted == Decimal("1450.55")
    (rejected,) = section["rejected"]
    assert (rejected["id"], rejected["corrected_by"]) == (lines["rejected"].pk, None)
    report = funding_report(project=Project.objects.get(pk=demo.pk), partner_slug="ventspils")
    assert report.certified_total == Money("1450.55", "EUR")


def test_while_the_correction_waits_the_old_certification_stands(
    client_for, ventspils_coordinator, ventspils_controller, auditor, lines
):
    client = client_for(ventspils_coordinator)
    client.post(correct_url(lines["certified"]))
    fixed = ExpenditureLine.objects.get(corrects=lines["certified"])
    services.submit([fixed], ventspils_coordinator, now=NOW)
    total = csv_total(client_for(auditor))
    # The old certification stands until the correction is decided, and the waiting
    # correction is not counted beside it: the same spending is never submitted twice.
    assert (total["Certified (EUR)"], total["Submitted (EUR)"]) == ("1500.00", "1520.00")
    services.reject(fixed, ventspils_controller, "No change", now=NOW)
    total = csv_total(client_for(auditor))
    assert (total["Certified (EUR)"], total["Submitted (EUR)"]) == ("1500.00", "1520.00")


def test_a_chain_of_certified_corrections_counts_only_the_last(
    ventspils_coordinator, ventspils_controller, lines
):
    line = lines["certified"]
    for amount in ("1400.00", "1300.00"):
        line = services.correct(line, ventspils_coordinator, amount=Money(amount, "EUR"))
        services.submit([line], ventspils_coordinator, now=NOW)
        line = services.certify(line, ventspils_controller, now=NOW)
    counted = ExpenditureLine.objects.counted().filter(status=Status.CERTIFIED)
    assert [row.amount for row in counted] == [Money("1300.00", "EUR")]
    superseded = ExpenditureLine.objects.with_corrected_by().exclude(corrected_by=None)
    assert superseded.count() == 2


@pytest.mark.parametrize(
    "language,note,total,rejected",
    [
        ("en", "Corrected by № {}: no longer counted.", "Total €1,450.55", "Rejected expenditure"),
        ("lv", "Labota ar Nr. {}: vairs netiek ieskaitīta.", "Kopā 1 450,55 €", "Noraidītie"),
    ],
)
def test_the_partner_pdf_marks_the_superseded_line_and_totals_the_correction(
    demo, ventspils_coordinator, ventspils_controller, lines, language, note, total, rejected
):
    old = lines["certified"]
    fixed = services.correct(old, ventspils_coordinator, amount=Money("1450.55", "EUR"))
    services.submit([fixed], ventspils_coordinator, now=NOW)
    services.certify(fixed, ventspils_controller, now=NOW)
    report = funding_report(project=Project.objects.get(pk=demo.pk), partner_slug="ventspils")
    text, _reader = report_pdf_text(report, language)  # no-break spaces read as spaces
    certificates = text[text.index(note.format(fixed.pk)) : text.index(rejected)]
    assert certificates.endswith(f"{total} ")  # the list's total: the correction alone


# --- A correction stays with its partner -------------------------------------------------------


def test_a_correction_cannot_be_moved_to_another_partner(lines, ventspils_coordinator):
    # Moved, its certification would take the spending from Ventspils' figures and give it
    # to another partner's.
    fixed = services.correct(lines["certified"], ventspils_coordinator)
    fixed.participation = partner("oulu")
    with pytest.raises(ValidationError) as refused:
        fixed.full_clean()
    assert "participation" in refused.value.message_dict


def test_the_admin_shows_a_corrections_partner_read_only(client_for, ventspils_coordinator, lines):
    fixed = services.correct(lines["rejected"], ventspils_coordinator)
    form = client_for(ventspils_coordinator).get(change_url(fixed)).context["adminform"].form
    assert "participation" not in form.fields
    assert "amount" in form.fields


# --- Claimed above the ERDF due after a correction ----------------------------------------------


def claim_the_full_due(client, period) -> None:
    """The coordinator claims the period's whole ERDF due: 85 % of €1,500.00."""
    data = claim_data(partner("ventspils"), period, "1275.00")
    assert client.post(admin_url("expenditure_claim_add"), data).status_code == 302


def claimed_above_due(reader) -> dict[int, str | None]:
    section = json.loads(reader.get(PARTNER_JSON).content)["expenditure"]
    return {p["period"]["number"]: p["claimed_above_due"] for p in section["periods"]}


def test_a_certified_correction_below_the_claims_flags_the_excess_to_pay_back(
    client_for, ventspils_coordinator, ventspils_controller, auditor, lines, periods
):
    client = client_for(ventspils_coordinator)
    claim_the_full_due(client, periods[1])
    # The controller certifies a real correction: it is not refused for the claim made.
    fixed = correct_and_certify(
        client, lines["certified"], "1450.55", ventspils_coordinator, ventspils_controller
    )
    assert fixed.status == Status.CERTIFIED
    # ERDF due now 85 % of €1,450.55 cut to the cent, €1,232.96: €42.04 claimed above it.
    reader = client_for(auditor)
    page = reader.get(url("expenditure:figures", language="en"))
    (flag,) = page.context["expenditure"].claimed_above_due
    assert (flag.partner.organisation.slug, flag.excess) == ("ventspils", Money("42.04", "EUR"))
    body = page.content.decode()
    assert 'data-claimed-above-due="ventspils-2"' in body
    assert "€1,275.00 claimed against an ERDF due of €1,232.96; €42.04 to be paid back" in body
    start = body.index('data-period="2"')
    assert "above the ERDF due" in body[start : body.index("</tr>", start)]
    assert claimed_above_due(reader) == {1: None, 2: "42.04", 3: None, 4: None, 5: None, 6: None}
    latvian = client_for(auditor).get(url("expenditure:figures", language="lv")).content.decode()
    assert "pārsniedz ERAF" in latvian


def test_claims_within_the_due_are_not_flagged(
    client_for, ventspils_coordinator, auditor, lines, periods
):
    claim_the_full_due(client_for(ventspils_coordinator), periods[1])
    reader = client_for(auditor)
    page = reader.get(url("expenditure:figures", language="en"))
    assert page.context["expenditure"].claimed_above_due == []
    body = page.content.decode()
    assert "data-claimed-above-due" not in body and "above the ERDF due" not in body
    assert set(claimed_above_due(reader).values()) == {None}


def test_a_correction_moved_to_another_period_flags_the_whole_claim_of_the_first(
    client_for, ventspils_coordinator, ventspils_controller, demo, lines, periods
):
    claim_the_full_due(client_for(ventspils_coordinator), periods[1])
    fixed = services.correct(
        lines["certified"], ventspils_coordinator, period=periods[2], paid_on=periods[2].start
    )
    services.submit([fixed], ventspils_coordinator, now=NOW)
    services.certify(fixed, ventspils_controller, now=NOW)
    figures = selectors.project_expenditure(Project.objects.get(pk=demo.pk))
    ventspils = next(p for p in figures.partners if p.organisation.slug == "ventspils")
    excess = {row.period.number: row.claimed_above_due for row in ventspils.periods}
    # Period 2 has nothing certified left and €1,275.00 claimed; period 3 has its due unclaimed.
    assert excess == {2: Money("1275.00", "EUR"), 3: None}
    by_period = {row.period.number: row.claimed_above_due for row in figures.periods}
    assert by_period[2] == Money("1275.00", "EUR") and by_period[3] is None
