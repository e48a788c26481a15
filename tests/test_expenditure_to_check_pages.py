"""A controller's start page at scale: the waiting lines 50 a page, oldest first, in the
same number of queries however many wait."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from expenditure import services
from partners.models import Participation
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/en/expenditure/to-check/"
NOW = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))


def submit(periods, count: int) -> None:
    """`count` Ventspils lines, each submitted a minute after the one before."""
    ventspils = Participation.objects.get(organisation__slug="ventspils", project__slug="di4c")
    for i in range(count):
        line = f.expenditure_line(ventspils, periods[1], "10.00", description=f"line {i:03d}")
        services.submit([line], None, now=NOW + dt.timedelta(minutes=i))


def descriptions(response) -> list[str]:
    return [line.description for line in response.context["lines"]]


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("page", ["1", "2"])
def test_the_page_makes_the_same_queries_for_3_waiting_lines_as_for_60(
    client_for, ventspils_controller, periods, django_assert_num_queries, count, page
):
    submit(periods, count)
    client = client_for(ventspils_controller)
    # Session, user, permissions (2), the controlled organisations, the count, the page's
    # lines; the header's links to the admin (what the user coordinates and controls).
    with django_assert_num_queries(11):
        assert client.get(URL, {"page": page}).status_code == 200


def test_the_lines_come_50_a_page_oldest_first(client_for, ventspils_controller, periods):
    submit(periods, 51)
    client = client_for(ventspils_controller)
    first = client.get(URL)
    assert descriptions(first) == [f"line {i:03d}" for i in range(50)]
    body = first.content.decode()
    assert "51 submitted lines are waiting for your decision" in body
    assert 'href="?page=2"' in body
    assert descriptions(client.get(URL, {"page": "2"})) == ["line 050"]
    # Not a page number: the first page; past the end: the last.
    assert descriptions(client.get(URL, {"page": "x"}))[0] == "line 000"
    assert descriptions(client.get(URL, {"page": "9"})) == ["line 050"]
