"""Phases and milestones: one meaning of "extended", dates a project can have, and a timeline
that survives whatever is stored (issue 8, items 8 and 14)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from funding.pdf import report_context
from funding.reports import funding_report
from projects.models import Phase
from projects.timeline import timeline_chart

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
        html = render_to_string("funding/reports/project.html", context)
    assert "1 April 2022" in html
    assert ">extended<" not in html


def test_the_timeline_page_still_marks_the_demo_extension(council_client, demo):
    body = council_client.get("/en/projects/di4c/timeline/").content.decode()
    assert ">extended<" in body
