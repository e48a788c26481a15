"""/projects/<slug>/history/: the project's changes for auditors and project managers."""

import datetime as dt

import pytest
from django.utils import timezone

from funding.models import Budget

pytestmark = pytest.mark.django_db

URL = "/en/projects/di4c/history/"


@pytest.fixture
def a_change(demo, ventspils_coordinator):
    budget = Budget.objects.get()
    budget.total = budget.total - budget.total / 2
    budget._history_user = ventspils_coordinator
    budget.save()
    return budget


def rows(response) -> list[str]:
    return [c.record for c in response.context["page"].object_list]


def test_an_auditor_sees_the_changes_newest_first_with_before_and_after(
    client_for, auditor, a_change
):
    response = client_for(auditor).get(URL)
    assert response.status_code == 200
    first = response.context["page"].object_list[0]
    assert (first.kind, first.user.username) == ("funding.budget", "valdis")
    page = response.content.decode()
    assert "€51,280.00" in page and "€25,640.00" in page
    whens = [c.when for c in response.context["page"].object_list]
    assert whens == sorted(whens, reverse=True)


def test_it_filters_by_user_kind_and_date_range(client_for, auditor, a_change):
    client = client_for(auditor)
    by_user = client.get(URL, {"user": "valdis"})
    assert [c.kind for c in by_user.context["page"].object_list] == ["funding.budget"]
    by_kind = client.get(URL, {"kind": "projects.milestone"})
    assert {c.kind for c in by_kind.context["page"].object_list} == {"projects.milestone"}
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.get(URL, {"since": tomorrow}).context["page"].object_list == []
    today = timezone.localdate().isoformat()
    assert len(client.get(URL, {"since": today, "until": today}).context["page"].object_list) > 0


@pytest.mark.parametrize(
    "query",
    [
        {"since": "yesterday"},
        {"since": "2026-13-45"},
        {"until": "2020-01-01", "since": "2021-01-01"},
        {"user": "nobody-of-that-name"},
        {"kind": "auth.user"},
        {"since": "9" * 500},
    ],
)
def test_bad_filters_get_a_400_with_the_form_errors(client_for, auditor, demo, query):
    response = client_for(auditor).get(URL, query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_an_odd_page_number_is_not_an_error(client_for, auditor, demo):
    assert client_for(auditor).get(URL, {"page": "zzz"}).status_code == 200
    assert client_for(auditor).get(URL, {"page": "99999"}).status_code == 200


def test_an_unknown_project_is_404(client_for, auditor, demo):
    assert client_for(auditor).get("/en/projects/nope/history/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),
        ("council_member", 403),
        ("ventspils_coordinator", 403),
        ("outsider", 403),
        ("auditor", 200),
        ("project_manager", 200),
        ("superuser", 200),
    ],
)
def test_only_auditors_and_project_managers_read_the_history(
    client_for, request, demo, persona, status
):
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get(URL).status_code == status


def test_the_history_tab_shows_only_for_those_who_may_read_it(
    client_for, demo, auditor, council_member
):
    assert URL in client_for(auditor).get("/en/projects/di4c/").content.decode()
    assert URL not in client_for(council_member).get("/en/projects/di4c/").content.decode()


def test_the_history_page_makes_a_fixed_number_of_queries(
    client_for, auditor, demo, django_assert_max_num_queries
):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(auditor)

    def count() -> int:
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    before = count()
    budget = Budget.objects.get()
    for _ in range(30):
        budget.save()  # saved, nothing changed: still a row in the trail
    for share in budget.shares.all():
        share.rate = share.rate  # the same again
        share.save()
    demo.milestones.create(title="Study visit", kind="meeting", start="2021-09-01")
    assert count() == before == HISTORY_QUERIES


# The request's own (session, user, project, access), the scope, the count and the page, and
# for each kind of record its rows on the page and the names of its records and of what they
# point to, whether or not the page shows any (audit/trail.py _having).
HISTORY_QUERIES = 53


@pytest.mark.parametrize("params", [{"kind": "funding.budget"}, {"kind": "projects.phase"}])
def test_a_page_of_one_kind_makes_as_many_queries_as_the_whole_trail(
    client_for, auditor, demo, params, django_assert_num_queries
):
    from django.contrib.contenttypes.models import ContentType

    client = client_for(auditor)
    client.get(URL)  # the session, read once
    ContentType.objects.clear_cache()
    with django_assert_num_queries(HISTORY_QUERIES):
        assert client.get(URL, params).status_code == 200


def test_a_date_at_the_end_of_the_calendar_is_a_form_error(client_for, auditor, demo):
    response = client_for(auditor).get(URL, {"until": "9999-12-31"})
    assert response.status_code == 400
    assert "until" in response.context["form"].errors


def test_the_history_page_rejects_post(client_for, auditor, demo):
    assert client_for(auditor).post(URL).status_code == 405
