"""Every step of expenditure lands in the audit trail; the demo's periods and sample lines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.trail import audited_kinds, project_changes
from expenditure import services
from expenditure.models import ExpenditureLine, ReportingPeriod
from partners.models import Participation
from tests import factories as f

NOW = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))


def test_the_trail_shows_who_recorded_submitted_certified_and_rejected_each_line(
    english, demo, periods, ventspils_coordinator, ventspils_controller, client_for, auditor
):
    part = Participation.objects.get(organisation__slug="ventspils")
    good, bad = (f.expenditure_line(part, periods[1], "10.00", description=d) for d in "AB")
    services.submit([good, bad], ventspils_coordinator, now=NOW)
    services.certify(good, ventspils_controller)
    services.reject(bad, ventspils_controller, "No proof of payment")

    changes = [c for c in project_changes(demo) if c.kind == "expenditure.expenditureline"]
    steps = [
        (c.record.split(" ")[0], c.user, {x.name: x.after for x in c.fields}.get("status"))
        for c in sorted(changes, key=lambda c: c.when)
    ]
    assert ("A", ventspils_coordinator, "Submitted") in steps
    assert ("B", ventspils_coordinator, "Submitted") in steps
    assert ("A", ventspils_controller, "Certified") in steps
    assert ("B", ventspils_controller, "Rejected") in steps
    reasons = [x.after for c in changes for x in c.fields if x.name == "rejection_reason"]
    assert reasons == ["No proof of payment"]
    assert all(c.participations == frozenset({part.pk}) for c in changes)
    assert ("expenditure.expenditureline", "expenditure line") in audited_kinds()

    page = client_for(auditor).get("/en/projects/di4c/history/").content.decode()
    assert "No proof of payment" in page and "karlis" in page


def test_seed_demo_enters_the_reporting_periods_following_the_phases(db):
    call_command("seed_demo", stdout=None)
    periods = list(ReportingPeriod.objects.values_list("number", "start", "end", "report_due"))
    assert periods == [
        (1, dt.date(2019, 9, 2), dt.date(2020, 3, 2), None),
        (2, dt.date(2020, 5, 7), dt.date(2020, 11, 6), None),
        (3, dt.date(2020, 11, 7), dt.date(2021, 5, 6), None),
        (4, dt.date(2021, 5, 7), dt.date(2021, 11, 6), None),
        (5, dt.date(2021, 11, 7), dt.date(2022, 5, 7), None),
        (6, dt.date(2022, 5, 8), dt.date(2022, 8, 7), None),  # the extension
    ]
    assert not ExpenditureLine.objects.exists()  # the sources give no expenditure
    call_command("seed_demo")
    assert ReportingPeriod.objects.count() == 6


def test_sample_expenditure_is_labelled_and_includes_a_line_in_ron(db):
    call_command("seed_demo", "--sample-expenditure")
    lines = list(ExpenditureLine.objects.all())
    assert lines and all(line.is_sample for line in lines)
    assert all(line.description.startswith("SAMPLE / PARAUGS") for line in lines)
    [ron] = [line for line in lines if str(line.amount.currency) == "RON"]
    assert ron.participation.organisation.slug == "botosani"
    assert (ron.status, str(ron.rate), ron.rate_month) == (
        "submitted",
        "4.849900",
        dt.date(2020, 10, 1),
    )
    call_command("seed_demo", "--sample-expenditure")
    assert ExpenditureLine.objects.count() == len(lines)


def test_periods_of_a_project_do_not_overlap(english, demo, periods):
    period = ReportingPeriod(
        project=demo, number=7, start=dt.date(2022, 8, 1), end=dt.date(2022, 12, 31)
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="overlaps period 6"):
        period.full_clean()
    period.start = dt.date(2022, 8, 8)
    period.full_clean()
