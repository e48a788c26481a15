"""Everything made for a signed-in reader is `Cache-Control: private`: no shared cache (a
proxy, a CDN) may keep a budget, a CSV, the history or the admin and hand it to someone else."""

import pytest
from django.utils.cache import get_max_age

from funding.models import Budget

pytestmark = pytest.mark.django_db

PAGES = [
    "/", "/en/", "/projects/di4c/", "/projects/di4c/partners/", "/projects/di4c/budget/",
    "/en/projects/di4c/budget/", "/projects/di4c/budget.csv", "/en/projects/di4c/budget.csv",
    "/projects/di4c/timeline/", "/projects/di4c/history/", "/en/projects/di4c/history/",
    "/projects/di4c/history/?since=0001-01-01",  # the 400 page too
    "/projects/di4c/reports/funding.pdf", "/projects/di4c/partners/ventspils/reports/funding.pdf",
    "/projects/nope/", "/projects/di4c/reports/funding.pdf?lang=de",
    "/admin/", "/admin/funding/budget/", "/admin/funding/budget/{budget}/change/",
    "/admin/funding/budget/{budget}/history/", "/admin/partners/organisation/",
    "/accounts/password_change/",
]  # fmt: skip


def cache_control(response) -> set[str]:
    return {d.strip() for d in response.headers.get("Cache-Control", "").split(",") if d.strip()}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_for_a_signed_in_user_is_private(client_for, superuser, demo, url):
    response = client_for(superuser).get(url.format(budget=Budget.objects.get().pk))
    assert "private" in cache_control(response), (url, response.status_code)
    assert "public" not in cache_control(response)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("council_member", "/projects/di4c/budget/"),
        ("council_member", "/projects/di4c/budget.csv"),
        ("auditor", "/projects/di4c/history/"),
        ("ventspils_coordinator", "/admin/funding/budget/"),
        ("outsider", "/projects/di4c/budget/"),  # the 403 page
    ],
)
def test_each_role_gets_private_pages(client_for, request, demo, persona, url):
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert "private" in cache_control(response), (persona, url, response.status_code)


def test_the_reports_stay_out_of_every_cache(client_for, auditor, demo):
    response = client_for(auditor).get("/projects/di4c/reports/funding.pdf")
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize("url", ["/accounts/login/", "/en/accounts/login/", "/admin/login/"])
def test_the_login_page_is_private_and_never_cached(client, url):
    response = client.get(url)
    assert {"private", "no-store"} <= cache_control(response)
    assert get_max_age(response) == 0


def test_a_failed_login_answer_is_private(client, council_member):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert "private" in cache_control(response)


@pytest.mark.parametrize("url", ["/projects/di4c/", "/projects/di4c/budget/", "/"])
def test_with_public_pages_the_html_pages_are_still_private(client, demo, public_pages, url):
    # Each page is made for its reader (who is signed in, a form token): not for a shared cache.
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in cache_control(response)


def test_with_public_pages_a_signed_in_readers_csv_is_private(client_for, council_member, demo,
                                                             public_pages):  # fmt: skip
    response = client_for(council_member).get("/projects/di4c/budget.csv")
    assert "private" in cache_control(response)


def test_with_public_pages_the_csv_for_a_signed_out_reader_may_be_cached(client, demo,
                                                                        public_pages):  # fmt: skip
    # The same file for everyone, made without a session: nothing private in it.
    response = client.get("/projects/di4c/budget.csv")
    assert response.status_code == 200
    assert "private" not in cache_control(response)


def test_static_files_may_be_cached(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as in development: no collectstatic in tests
    response = client.get("/static/css/portal.css")
    response.close()  # a file response: close the file
    assert response.status_code == 200
    assert "private" not in cache_control(response)
