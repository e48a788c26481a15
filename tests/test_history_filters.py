"""The history page's filters: bounded dates and odd values are a 400 with a form error,
never a 500, on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

URL = "/en/projects/di4c/history/"
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
BOUNDS_MESSAGE = "A date must lie between 1 January 1990 and 31 December 2100."


@pytest.mark.parametrize("field", ["since", "until"])
@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_1990_to_2100_is_a_400_with_a_form_error(
    client_for, auditor, demo, english, field, day
):
    response = client_for(auditor).get(URL, {field: day})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [BOUNDS_MESSAGE]
    assert BOUNDS_MESSAGE in response.content.decode()


def test_the_first_and_last_day_of_the_range_are_accepted(client_for, auditor, demo):
    response = client_for(auditor).get(URL, {"since": "1990-01-01", "until": "2100-12-31"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0


# Hypothesis draws from the whole calendar (year 1 to 9999); the explicit examples are the
# ends of Python's calendar, which are where the database conversions overflowed.
@FUZZ
@given(since=st.dates() | st.none(), until=st.dates() | st.none())
@example(since=dt.date.min, until=None)
@example(since=None, until=dt.date.max)
@example(since=dt.date.max, until=dt.date.max)
def test_any_date_range_is_shown_or_refused_with_400(client_for, auditor, demo, since, until):
    params = {k: v.isoformat() for k, v in {"since": since, "until": until}.items() if v}
    response = client_for(auditor).get(URL, params)
    in_range = all(dt.date(1990, 1, 1) <= d <= dt.date(2100, 12, 31) for d in (since, until) if d)
    ordered = not (since and until) or since <= until
    assert response.status_code == (200 if in_range and ordered else 400), params


# Text as crafted requests send it: NUL bytes (PostgreSQL refuses them in queries), other
# control characters, surrogate-free unicode, digits of any length.
odd_value = st.one_of(
    st.text(min_size=1, max_size=50),
    st.text(alphabet="\x00\x01\n%'\"\\", min_size=1, max_size=10),
    st.integers(min_value=-(10**30), max_value=10**400).map(str),
)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["since", "until", "user", "kind", "page"]), odd_value, max_size=5
    )
)
@example(params={"user": "\x00"})
@example(params={"kind": "\x00"})
@example(params={"page": "\x00"})
@example(params={"since": "2020-01-01\x00"})
@example(params={"page": "9" * 400})
def test_any_filter_value_is_shown_or_refused_with_400(client_for, auditor, demo, params):
    status = client_for(auditor).get(URL, params).status_code
    assert status in (200, 400), params


@pytest.mark.parametrize("page", ["\x00", "0", "-1", "1e9", "9" * 400])
def test_an_odd_page_number_shows_a_page(client_for, auditor, demo, page):
    response = client_for(auditor).get(URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number in (1, response.context["page"].paginator.num_pages)
