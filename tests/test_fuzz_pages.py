"""Odd slugs and parameters on the pages and reports: a 400 or 404, never a 500."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reports.models import IssuedReport

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
odd_text = st.text(min_size=1, max_size=300)

TEMPLATES = [
    "/projects/{}/", "/en/projects/{}/partners/", "/projects/{}/budget/", "/projects/{}/budget.csv",
    "/en/projects/{}/timeline/", "/projects/{}/reports/funding.pdf",
    "/projects/di4c/partners/{}/reports/funding.pdf", "/en/projects/{}/history/",
]  # fmt: skip


@FUZZ
@given(slug=odd_text)
def test_any_slug_is_found_or_not_found_never_a_server_error(client_for, superuser, demo, slug):
    client = client_for(superuser)
    for template in TEMPLATES:
        path = template.format(quote(slug, safe=""))
        status = client.get(path).status_code
        assert status in (200, 301, 302, 404), (path, status)


@FUZZ
@given(lang=odd_text)
def test_any_report_language_is_made_or_refused_with_400(client_for, auditor, demo, lang):
    response = client_for(auditor).get("/projects/di4c/reports/funding.pdf", {"lang": lang})
    assert response.status_code == (200 if lang in ("lv", "en") else 400)


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["since", "until", "user", "kind", "page", "x"]),
                              odd_text, max_size=4))  # fmt: skip
def test_any_history_filter_is_shown_or_refused_with_400(client_for, auditor, demo, params):
    status = client_for(auditor).get("/en/projects/di4c/history/", params).status_code
    assert status in (200, 400)


def test_a_refused_report_registers_nothing(client_for, auditor, demo):
    client_for(auditor).get("/projects/di4c/reports/funding.pdf", {"lang": "de"})
    client_for(auditor).get("/projects/nope/reports/funding.pdf")
    assert not IssuedReport.objects.exists()


PAGES = [
    "/", "/en/projects/di4c/", "/projects/di4c/partners/", "/en/projects/di4c/budget/",
    "/projects/di4c/budget.csv", "/projects/di4c/timeline/", "/en/projects/di4c/history/",
]  # fmt: skip


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["lang", "page", "since", "q", "o", "x"]),
                              odd_text, max_size=3))  # fmt: skip
def test_any_query_string_on_any_page_is_shown_or_refused_with_400(
    client_for, superuser, demo, params
):
    client = client_for(superuser)
    for path in PAGES:
        status = client.get(path, params).status_code
        assert status in (200, 400), (path, params, status)


# A WSGI server hands headers over as ISO-8859-1 text: any byte, no other character.
header_text = st.text(st.characters(max_codepoint=255), min_size=1, max_size=300)


@FUZZ
@given(
    headers=st.dictionaries(
        st.sampled_from(["HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE",
                         "HTTP_X_FORWARDED_FOR"]),
        header_text,
        max_size=3,
    ),
    username=odd_text,
)  # fmt: skip
@example(headers={"HTTP_USER_AGENT": "\x00"}, username="alice")
@example(headers={"HTTP_COOKIE": "sessionid=abcdefgh\x00"}, username="alice")
@example(headers={}, username="a" * 300)
def test_any_sign_in_headers_and_user_name_are_answered_never_a_server_error(
    client, council_member, headers, username
):
    response = client.post("/en/accounts/login/", {"username": username, "password": "x"},
                           **headers)  # fmt: skip
    assert response.status_code in (200, 400, 429), (headers, username, response.status_code)
