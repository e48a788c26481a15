"""projects.timeline: where a project stands on a given day (the pages and reports use it)."""

import datetime as dt

import pytest

from projects.models import Milestone, Phase
from projects.timeline import (
    last_milestone,
    months_between,
    next_milestone,
    phase_status,
    timeline_chart,
)

D = dt.date


def phases():
    return [
        Phase(number=1, start=D(2019, 9, 2), planned_end=D(2020, 3, 2), actual_end=D(2020, 3, 2)),
        Phase(number=2, start=D(2020, 5, 7), planned_end=D(2022, 5, 7), actual_end=D(2022, 8, 7)),
    ]


def milestones():
    return [
        Milestone(title="Kick-off", start=D(2019, 10, 16), end=D(2019, 10, 17)),
        Milestone(title="Council decision", start=D(2020, 4, 3)),
        Milestone(title="Final meeting", start=D(2022, 7, 6), end=D(2022, 7, 8)),
    ]


def test_a_running_phase_counts_days_elapsed_and_left_up_to_its_actual_end():
    status = phase_status(phases(), D(2022, 6, 1))
    assert status.state == "running"
    assert status.phase.number == 2
    assert (status.days_elapsed, status.days_left) == (756, 67)
    assert status.days_total == (D(2022, 8, 7) - D(2020, 5, 7)).days + 1


@pytest.mark.parametrize(
    "today, elapsed, left",
    [(D(2019, 9, 2), 1, 182), (D(2019, 12, 1), 91, 92), (D(2020, 3, 2), 183, 0)],
)
def test_the_day_counts_include_both_ends_of_the_phase(today, elapsed, left):
    """Phase 1 runs 2 Sep 2019 – 2 Mar 2020: 183 days, its first and last day included."""
    status = phase_status(phases(), today)
    assert (status.phase.number, status.days_elapsed, status.days_left) == (1, elapsed, left)
    assert status.days_total == 183


@pytest.mark.parametrize(
    "today, in_extension",
    [(D(2022, 5, 7), False), (D(2022, 5, 8), True), (D(2022, 8, 7), True), (D(2020, 3, 2), False)],
)
def test_between_the_planned_and_the_actual_end_a_phase_is_in_its_extension(today, in_extension):
    assert phase_status(phases(), today).in_extension is in_extension


def test_a_project_past_its_last_actual_end_is_completed():
    status = phase_status(phases(), D(2026, 11, 25))
    assert (status.state, status.ended_on) == ("completed", D(2022, 8, 7))


def test_the_extension_months_still_belong_to_the_phase():
    assert phase_status(phases(), D(2022, 7, 1)).state == "running"


def test_between_phases_it_tells_when_the_next_one_starts():
    status = phase_status(phases(), D(2020, 4, 3))
    assert (status.state, status.phase.number, status.starts_on) == ("between", 2, D(2020, 5, 7))


def test_before_the_first_phase_it_is_not_started():
    assert phase_status(phases(), D(2019, 1, 1)).state == "before"


def test_without_phases_it_says_so():
    assert phase_status([], D(2020, 1, 1)).state == "empty"


@pytest.mark.parametrize(
    "today, coming, latest",
    [
        (D(2019, 10, 1), "Kick-off", None),
        (D(2019, 10, 17), "Kick-off", None),  # under way today: still the next one
        (D(2020, 1, 1), "Council decision", "Kick-off"),
        (D(2026, 11, 25), None, "Final meeting"),
    ],
)
def test_next_and_latest_milestone(today, coming, latest):
    assert getattr(next_milestone(milestones(), today), "title", None) == coming
    assert getattr(last_milestone(milestones(), today), "title", None) == latest


def test_phase_two_was_planned_for_24_months_and_ran_27():
    assert months_between(D(2020, 5, 7), D(2022, 5, 7)) == 24
    assert months_between(D(2020, 5, 7), D(2022, 8, 7)) == 27
    assert months_between(D(2019, 9, 2), D(2020, 3, 2)) == 6


def test_the_chart_shows_the_extension_beyond_the_planned_end():
    chart = timeline_chart(phases(), milestones(), D(2021, 1, 1))
    first, second = chart.bars
    assert first.extension_x is None
    assert second.extension_x == pytest.approx(second.x + second.planned_width)
    assert second.extension_width > 0
    assert [m.number for m in chart.markers] == [1, 2, 3]
    assert chart.today_inside and 0 < chart.today_x < 100
    assert [t.year for t in chart.ticks] == [2020, 2021, 2022]


def test_a_today_years_after_the_end_does_not_squash_the_chart():
    chart = timeline_chart(phases(), milestones(), D(2026, 11, 25))
    assert not chart.today_inside
    assert chart.end < D(2023, 1, 1)
    assert all(b.x >= 0 and b.x + b.planned_width <= 100 for b in chart.bars)


def test_nothing_dated_means_no_chart():
    assert timeline_chart([], [], D(2020, 1, 1)) is None
