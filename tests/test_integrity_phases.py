"""Phases and milestones: one meaning of "extended", dates a project can have, and a timeline
that survives whatever is stored (issue 8, items 8 and 14)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from partners.models import Participation
from projects.models import Milestone, Phase, Programme
from projects.timeline import timeline_chart
from reports.data import funding_report
from reports.pdf import report_context
from tests.html_forms import form_fields

D = dt.date


def ended_early() -> Phase:
    return Phase(
        number=1, start=D(2020, 1, 1), planned_end=D(2021, 1, 1), actual_end=D(2020, 10, 1)
    )


# --- Item 14: "extended" means the phase ran past its planned end ----------------------------


def test_a_phase_that_ended_early_was_not_extended():
    assert not ended_early().was_extended


def test_a_phase_that_ended_as_planned_or_is_still_running_was_not_extended():
    on_time = Phase(start=D(2020, 1, 1), planned_end=D(2021, 1, 1), actual_end=D(2021, 1, 1))
    running = Phase(start=D(2020, 1, 1), planned_end=D(2021, 1, 1))
    assert not on_time.was_extended and not running.was_extended


def test_a_phase_that_ran_past_its_planned_end_was_extended_on_the_chart_too():
    late = Phase(number=1, start=D(2020, 1, 1), planned_end=D(2021, 1, 1), actual_end=D(2021, 4, 1))
    assert late.was_extended
    (bar,) = timeline_chart([late], [], D(2020, 6, 1)).bars
    assert bar.extension_width > 0
    (bar,) = timeline_chart([ended_early()], [], D(2020, 6, 1)).bars
    assert bar.extension_x is None


@pytest.fixture
def phase_two_ended_early(demo):
    Phase.objects.filter(project=demo, number=2).update(actual_end=D(2022, 4, 1))
    return demo


def test_the_timeline_page_does_not_call_a_phase_that_ended_early_extended(
    council_client, phase_two_ended_early
):
    body = council_client.get("/en/projects/di4c/timeline/").content.decode()
    assert "1 April 2022" in body
    assert ">extended<" not in body


def test_the_funding_report_does_not_call_a_phase_that_ended_early_extended(phase_two_ended_early):
    report = funding_report(project=phase_two_ended_early)
    with translation.override("en"):
        context = report_context(
            report, language="en", generated_at=timezone.now(), generated_by="test"
        )
        html = render_to_string("reports/project.html", context)
    assert "1 April 2022" in html
    assert ">extended<" not in html


def test_the_timeline_page_still_marks_the_demo_extension(council_client, demo):
    body = council_client.get("/en/projects/di4c/timeline/").content.decode()
    assert ">extended<" in body


# --- Item 8: dates a project can have, and a timeline that survives any date ----------------

OUT_OF_RANGE = "between 1 January 1990 and 31 December 2100"


def project_form(client, project) -> tuple[str, dict]:
    """The project's change form as the admin renders it: (its URL, its fields)."""
    with translation.override("en"):
        url = reverse("admin:projects_project_change", args=[project.pk])
    return url, form_fields(client.get(url).content.decode(), "project_form")


def schedule(project) -> list:
    return [
        *Phase.objects.filter(project=project).values_list(
            "number", "approved_on", "start", "planned_end", "actual_end"
        ),
        *Milestone.objects.filter(project=project).values_list("title", "start", "end"),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phases-1-start", "0001-01-01"),
        ("phases-1-planned_end", "9999-12-31"),
        ("phases-1-actual_end", "9999-12-31"),
        ("phases-1-approved_on", "1989-12-31"),
        ("milestones-0-start", "0001-01-01"),
        ("milestones-6-end", "2101-01-01"),
    ],
)
def test_the_project_form_refuses_a_date_no_project_can_have(
    client_for, project_manager, demo, field, value
):
    client = client_for(project_manager)
    url, data = project_form(client, demo)
    before = schedule(demo)
    response = client.post(url, {**data, field: value})
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert schedule(demo) == before
    assert client.get("/en/projects/di4c/timeline/").status_code == 200


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Programme, "period_start", D(1, 1, 1)),
        (Programme, "period_end", D(9999, 12, 31)),
        (Phase, "approved_on", D(1, 1, 1)),
        (Phase, "start", D(1, 1, 1)),
        (Phase, "planned_end", D(9999, 12, 31)),
        (Phase, "actual_end", D(9999, 12, 31)),
        (Milestone, "start", D(1, 1, 1)),
        (Milestone, "end", D(9999, 12, 31)),
        (Participation, "joined_on", D(1, 1, 1)),
    ],
)
def test_every_date_is_bounded_in_the_model_and_in_the_database(demo, model, field, value):
    row = model.objects.order_by("pk").first()
    setattr(row, field, value)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert OUT_OF_RANGE in " ".join(error.value.message_dict[field])
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: value})


def test_the_bounds_themselves_are_dates_a_project_can_have(demo):
    phase = Phase.objects.get(project=demo, number=1)
    phase.approved_on, phase.start = D(1990, 1, 1), D(1990, 1, 1)
    phase.planned_end = phase.actual_end = D(2100, 12, 31)
    phase.full_clean(exclude=["project"])
    Phase.objects.filter(pk=phase.pk).update(start=D(1990, 1, 1), actual_end=D(2100, 12, 31))


def extreme_schedule(project):
    phases = [
        Phase(project=project, number=1, start=D(1, 1, 1), planned_end=D(9999, 12, 31)),
        Phase(
            project=project,
            number=2,
            start=D(9999, 12, 1),
            planned_end=D(9999, 12, 31),
            actual_end=D(9999, 12, 31),
        ),
    ]
    milestones = [
        Milestone(project=project, title="Long ago", kind="meeting", start=D(1, 1, 1)),
        Milestone(
            project=project, title="Far away", kind="meeting", start=D(1, 1, 1), end=D(9999, 12, 31)
        ),
    ]
    return phases, milestones


@pytest.mark.parametrize("today", [D(2026, 11, 25), D(1, 1, 1), D(9999, 12, 31)])
def test_the_timeline_chart_survives_any_date(demo, today):
    chart = timeline_chart(*extreme_schedule(demo), today)
    assert chart.start <= chart.end
    assert all(0 <= bar.x <= 100 and bar.planned_width >= 0 for bar in chart.bars)
    assert 0 <= chart.today_x <= 100
    assert 1 <= len(chart.ticks) <= 25  # a tick per year would be 10,000 lines


def test_the_timeline_and_overview_pages_survive_dates_written_around_every_check(
    council_client, demo, monkeypatch
):
    # The database refuses such dates now; the pages must not depend on it.
    monkeypatch.setattr("projects.views.project_schedule", extreme_schedule)
    monkeypatch.setattr("pages.views.project_schedule", extreme_schedule)
    timeline = council_client.get("/en/projects/di4c/timeline/")
    assert timeline.status_code == 200
    assert "Far away" in timeline.content.decode()
    assert council_client.get("/en/projects/di4c/").status_code == 200
