"""The history page of a long trail: filtered, counted and cut by the database, only the
rows shown are formatted, so the page makes as many queries for 20 changes as for 400, and
shows what the whole trail (audit.trail.project_changes) says, page by page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.trail import project_changes, project_changes_page
from funding.models import Budget
from projects.models import Milestone
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/en/projects/di4c/history/"


def lengthen(demo, changes: int) -> None:
    """`changes` more changes of the budget and a milestone, with no-change saves between."""
    budget = Budget.objects.get()
    milestone = Milestone.objects.filter(project=demo).first()
    for i in range(changes // 2):
        budget.office_flat_rate = 15 if i % 2 else 10
        budget.save()
        budget.save()  # nothing changed: a row in the trail, not a change
        milestone.place = f"Room {i}"
        milestone.save()


def queries(client, params) -> int:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"page": "2"}, {"kind": "funding.budget"}])
def test_the_page_makes_the_same_queries_for_a_short_trail_as_for_a_long_one(
    client_for, auditor, demo, params
):
    client = client_for(auditor)
    lengthen(demo, 110)  # enough for three pages of budgets and milestones
    short = queries(client, params)
    lengthen(demo, 400)
    assert queries(client, params) == short


def test_the_pages_together_are_the_whole_trail(demo):
    lengthen(demo, 60)
    whole = project_changes(demo)
    paged, number = [], 1
    while True:
        page = project_changes_page(demo, number=number, per_page=7)
        paged += page.object_list
        if not page.has_next():
            break
        number += 1
    assert page.paginator.count == len(whole) == len(paged)
    assert [(c.kind, c.record, c.action, c.fields, c.budget_version) for c in paged] == [
        (c.kind, c.record, c.action, c.fields, c.budget_version) for c in whole
    ]


@pytest.mark.parametrize(
    "filters",
    [{"kind": "projects.milestone"}, {"kind": "funding.budget"}, {"participation_id": "own"}],
)
def test_a_filtered_page_is_the_filtered_trail(demo, filters):
    lengthen(demo, 20)
    if filters.get("participation_id") == "own":
        filters = {"participation_id": Budget.objects.get().participation_id}
    whole = project_changes(demo, **filters)
    page = project_changes_page(demo, number=1, per_page=1000, **filters)
    assert [(c.kind, c.record, c.fields) for c in page.object_list] == [
        (c.kind, c.record, c.fields) for c in whole
    ]


def test_a_partners_page_shows_its_expenditure_and_not_anothers(demo):
    """The partner filter of the page once knew nothing of expenditure: it showed every
    partner's lines (and made no query at all while the project had none)."""
    period = f.reporting_period(demo, 1, dt.date(2020, 6, 1), dt.date(2020, 11, 30))
    own = Budget.objects.get().participation
    other = demo.participations.exclude(pk=own.pk).first()
    f.expenditure_line(own, period, "100.00", description="Own line")
    f.expenditure_line(other, period, "200.00", description="Other line")
    whole = project_changes(demo, participation_id=own.pk)
    page = project_changes_page(demo, number=1, per_page=1000, participation_id=own.pk)
    lines = [c for c in page.object_list if c.kind == "expenditure.expenditureline"]
    assert len(lines) == 1 and "Own line" in str(lines[0].fields)
    assert [(c.kind, c.record, c.fields) for c in page.object_list] == [
        (c.kind, c.record, c.fields) for c in whole
    ]


def test_rows_written_at_the_same_moment_are_compared_in_the_order_written(demo):
    """The previous row is found through history_date <= … (the trail index's order);
    rows of one record with equal dates (a bulk write, a coarse clock) still compare each
    with the one written just before it."""
    budget = Budget.objects.get()
    for rate in (11, 12, 13):
        budget.office_flat_rate = rate
        budget.save()
    history = Budget.history.model.objects.filter(id=budget.pk)
    history.update(history_date=history.order_by("history_id").first().history_date)
    whole = project_changes(demo, kind="funding.budget")
    page = project_changes_page(demo, number=1, per_page=1000, kind="funding.budget")
    rates = [
        (c.before, c.after)
        for change in page.object_list
        for c in change.fields
        if c.name == "office_flat_rate"
    ]
    # Newest first; the first row (its creation) is compared with nothing.
    assert rates == [("12,00", "13,00"), ("11,00", "12,00"), ("15,00", "11,00"), ("–", "15,00")]
    # The same changes as the whole trail reads (which orders equal dates its own way).
    assert sorted(repr((c.record, c.fields)) for c in page.object_list) == sorted(
        repr((c.record, c.fields)) for c in whole
    )


def test_a_record_whose_trail_begins_with_a_change_shows_that_change(demo):
    """A record audited only after it was created (its first row a "~", as the generated
    portfolio's budgets have): that row is shown, compared with nothing. Comparing its
    fields with the missing previous row's gave NULL in SQL, which dropped it."""
    budget = Budget.objects.get()
    history = Budget.history.filter(id=budget.pk)
    history.filter(history_type="+").update(history_type="~")
    page = project_changes_page(demo, number=1, per_page=1000, kind="funding.budget")
    assert [(c.record, c.action) for c in page.object_list] == [
        (c.record, c.action) for c in project_changes(demo, kind="funding.budget")
    ]
    assert len(page.object_list) == history.count() == 1


def test_a_change_is_compared_with_the_records_previous_row_even_before_the_filtered_dates(
    demo,
):
    """With a date filter the page compares each change with the row before it, which
    may be older than the dates asked for."""
    lengthen(demo, 6)
    since = Budget.history.order_by("history_date")[2].history_date
    whole = project_changes(demo, since=since)
    page = project_changes_page(demo, number=1, per_page=1000, since=since)
    assert whole and [(c.kind, c.record, c.fields) for c in page.object_list] == [
        (c.kind, c.record, c.fields) for c in whole
    ]
