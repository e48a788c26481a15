"""The phase rules (issue 8, item 13): phases of a project do not overlap and are numbered in
the order they run; a phase is approved before it starts; milestones lie within their phase,
or at least within the project's span. Checked in the project form on exactly the phases and
milestones that will be stored."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from demo.network import MILESTONES, PHASES
from projects import rules
from projects.models import Milestone, Phase
from tests.html_forms import form_fields

D = dt.date


def phase(number, start, planned_end, actual_end=None, approved_on=None) -> Phase:
    return Phase(
        number=number,
        start=start,
        planned_end=planned_end,
        actual_end=actual_end,
        approved_on=approved_on,
    )


def demo_phases() -> list[Phase]:
    return [phase(n, s, p, a, ap) for n, _, _, ap, s, p, a in PHASES]


def demo_milestones(phases) -> list[Milestone]:
    by_number = {p.number: p for p in phases}
    return [
        Milestone(title=title, start=start, end=end, phase=by_number.get(number))
        for number, title, _, start, end, _ in MILESTONES
    ]


# --- The rules, as pure functions ------------------------------------------------------------


def test_the_demo_network_keeps_every_rule():
    phases = demo_phases()
    assert rules.phase_problems(phases) == []
    assert rules.milestone_problems(demo_milestones(phases), phases) == []


def test_the_project_span_runs_from_the_first_approval_or_start_to_the_last_end():
    assert rules.project_span(demo_phases()) == (D(2019, 9, 2), D(2022, 8, 7))
    early = [phase(1, D(2020, 3, 1), D(2021, 1, 1), approved_on=D(2020, 1, 15))]
    assert rules.project_span(early) == (D(2020, 1, 15), D(2021, 1, 1))
    assert rules.project_span([]) is None


@pytest.mark.usefixtures("english")
def test_overlapping_phases_are_a_problem():
    phases = [phase(1, D(2020, 1, 1), D(2021, 1, 1)), phase(2, D(2020, 12, 1), D(2022, 1, 1))]
    (problem,) = rules.phase_problems(phases)
    assert "phase 2 starts on 1 December 2020, before phase 1 ends on 1 January 2021" in problem


def test_a_phase_may_not_start_on_the_day_the_previous_one_ends():
    phases = [phase(1, D(2020, 1, 1), D(2021, 1, 1)), phase(2, D(2021, 1, 1), D(2022, 1, 1))]
    assert rules.phase_problems(phases)
    phases[1].start = D(2021, 1, 2)
    assert rules.phase_problems(phases) == []


def test_the_actual_end_counts_not_the_planned_one():
    ran_long = [
        phase(1, D(2020, 1, 1), D(2021, 1, 1), actual_end=D(2021, 4, 1)),
        phase(2, D(2021, 2, 1), D(2022, 1, 1)),
    ]
    assert rules.phase_problems(ran_long)
    ended_early = [
        phase(1, D(2020, 1, 1), D(2021, 1, 1), actual_end=D(2020, 10, 1)),
        phase(2, D(2020, 11, 1), D(2022, 1, 1)),
    ]
    assert rules.phase_problems(ended_early) == []


@pytest.mark.usefixtures("english")
def test_phases_are_numbered_in_the_order_they_run():
    phases = [phase(2, D(2020, 1, 1), D(2021, 1, 1)), phase(1, D(2021, 2, 1), D(2022, 1, 1))]
    (problem,) = rules.phase_problems(phases)
    assert "Phase 2 runs before phase 1" in problem


def test_two_phases_with_one_number_are_a_problem():
    phases = [phase(1, D(2020, 1, 1), D(2021, 1, 1)), phase(1, D(2021, 2, 1), D(2022, 1, 1))]
    assert rules.phase_problems(phases)


@pytest.mark.usefixtures("english")
def test_a_milestone_of_a_phase_lies_within_that_phase_or_on_its_approval():
    phases = demo_phases()
    one, two = phases
    inside = Milestone(title="Approval", start=D(2020, 5, 7), phase=two)
    outside = Milestone(title="Late visit", start=D(2020, 4, 1), phase=one)
    (problem,) = rules.milestone_problems([inside, outside], phases)
    assert "«Late visit» (1 April 2020) lies outside phase 1" in problem
    assert "2 September 2019\u2009–\u20092 March 2020" in problem


@pytest.mark.usefixtures("english")
def test_a_milestone_outside_every_phase_lies_within_the_project_span():
    phases = demo_phases()
    between = Milestone(title="Council decision", start=D(2020, 4, 3))
    after = Milestone(title="Party", start=D(2022, 8, 6), end=D(2022, 8, 8))
    (problem,) = rules.milestone_problems([between, after], phases)
    assert "«Party»" in problem and "outside the project's phases" in problem


def test_without_phases_any_milestone_date_is_accepted():
    assert rules.milestone_problems([Milestone(title="x", start=D(2030, 1, 1))], []) == []


# --- One phase on its own: approved before it starts (model and database) -------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_phase_cannot_be_approved_after_it_starts(demo):
    two = Phase.objects.get(project=demo, number=2)
    two.approved_on = D(2020, 5, 8)
    with pytest.raises(ValidationError) as error:
        two.full_clean()
    assert "approved after it starts" in " ".join(error.value.message_dict["approved_on"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.filter(pk=two.pk).update(approved_on=D(2020, 5, 8))


@pytest.mark.django_db
def test_a_milestone_cannot_belong_to_another_projects_phase(demo, big_project):
    milestone = Milestone.objects.filter(project=demo).first()
    milestone.phase = big_project.phases.first()
    with pytest.raises(ValidationError) as error:
        milestone.full_clean()
    assert "phase" in error.value.message_dict


# --- In the project form: the rows that will be stored ---------------------------------------


@pytest.fixture
def manager(client_for, project_manager):
    return client_for(project_manager)


def change_form(client, project) -> tuple[str, dict]:
    with translation.override("en"):
        url = reverse("admin:projects_project_change", args=[project.pk])
    return url, form_fields(client.get(url).content.decode(), "project_form")


def stored(project) -> list:
    return [
        *Phase.objects.filter(project=project).values_list(
            "number", "approved_on", "start", "planned_end", "actual_end"
        ),
        *Milestone.objects.filter(project=project).values_list("title", "start", "end", "phase"),
    ]


def assert_refused(client, project, url, data, message):
    before = stored(project)
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert stored(project) == before


@pytest.mark.django_db
def test_the_demo_project_form_saves_unchanged(manager, demo):
    url, data = change_form(manager, demo)
    assert manager.post(url, data).status_code == 302


@pytest.mark.django_db
def test_overlapping_phases_are_refused(manager, demo):
    url, data = change_form(manager, demo)
    data["phases-1-start"] = "2020-02-01"  # phase 1 runs until 2 March 2020
    data["phases-1-approved_on"] = ""
    assert_refused(manager, demo, url, data, "before phase 1 ends on 2 March 2020")


@pytest.mark.django_db
def test_a_new_phase_overlapping_a_stored_one_is_refused(manager, demo):
    url, data = change_form(manager, demo)
    data |= {
        "phases-TOTAL_FORMS": "3",
        "phases-2-number": "3",
        "phases-2-start": "2022-01-01",
        "phases-2-planned_end": "2023-01-01",
    }
    assert_refused(manager, demo, url, data, "before phase 2 ends on 7 August 2022")


@pytest.mark.django_db
def test_an_approval_after_the_phase_start_is_refused(manager, demo):
    url, data = change_form(manager, demo)
    data["phases-1-approved_on"] = "2020-06-01"
    assert_refused(manager, demo, url, data, "cannot be approved after it starts")


@pytest.mark.django_db
def test_a_milestone_outside_its_phase_is_refused(manager, demo):
    url, data = change_form(manager, demo)
    data["milestones-0-start"] = data["milestones-0-end"] = "2021-01-10"  # phase 1's kick-off
    assert_refused(manager, demo, url, data, "«Kick-off meeting» (10 January 2021) lies outside")


@pytest.mark.django_db
def test_shortening_a_phase_is_checked_against_its_stored_milestones(manager, demo):
    url, data = change_form(manager, demo)
    data["phases-1-actual_end"] = "2022-06-30"  # the final meeting is on 6–8 July 2022
    assert_refused(manager, demo, url, data, "«Final meeting»")


@pytest.mark.django_db
def test_deleting_a_phase_leaves_its_milestones_checked_against_the_rest(manager, demo):
    url, data = change_form(manager, demo)
    data["phases-0-DELETE"] = "on"  # phase 1's milestones would lie before phase 2
    assert_refused(manager, demo, url, data, "«Kick-off meeting»")


@pytest.mark.django_db
def test_moving_a_phase_with_its_milestones_in_one_save_is_accepted(manager, demo):
    url, data = change_form(manager, demo)
    data |= {"phases-1-actual_end": "2022-06-30", "milestones-6-start": "2022-06-20"}
    data["milestones-6-end"] = "2022-06-21"
    assert manager.post(url, data).status_code == 302
    final = Milestone.objects.get(project=demo, title_en="Final meeting")
    assert (final.start, final.end) == (D(2022, 6, 20), D(2022, 6, 21))


@pytest.mark.django_db
def test_a_new_projects_milestones_are_checked_against_the_phases_entered_with_it(manager, demo):
    with translation.override("en"):
        url = reverse("admin:projects_project_add")
    data = form_fields(manager.get(url).content.decode(), "project_form")
    data |= {
        "programme": demo.programme_id,
        "name_en": "Second network",
        "acronym": "SN",
        "slug": "sn",
        "phases-TOTAL_FORMS": "1",
        "phases-0-number": "1",
        "phases-0-start": "2023-01-01",
        "phases-0-planned_end": "2024-01-01",
        "milestones-TOTAL_FORMS": "1",
        "milestones-0-start": "2024-02-01",
        "milestones-0-title_en": "Too late",
        "milestones-0-kind": "meeting",
    }
    response = manager.post(url, data)
    assert response.status_code == 200
    assert "«Too late» (1 February 2024) lies outside the project" in response.content.decode()
    assert not Phase.objects.filter(project__slug="sn").exists()

    data["milestones-0-start"] = "2023-12-01"
    assert manager.post(url, data).status_code == 302
    assert Milestone.objects.get(project__slug="sn").title_en == "Too late"
