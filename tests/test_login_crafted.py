"""Crafted sign-in requests (over-long user names, NUL bytes in headers) are refused or
counted like any other failure, never a 500; PostgreSQL refuses NUL bytes and over-long
values that SQLite would store, so this runs on both."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN_URLS = ["/en/accounts/login/", "/en/admin/login/"]


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", LOGIN_URLS)
@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_over_long_user_name_is_a_failed_login(browser, council_member, url, length):
    response = browser.post(url, {"username": "a" * length, "password": "x"})
    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 1


def test_over_long_user_names_are_throttled_too(browser, council_member):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser.post("/en/accounts/login/", {"username": "a" * 300, "password": "x"})
    locked = browser.post("/en/accounts/login/", {"username": "a" * 300, "password": "x"})
    assert locked.status_code == 429


@pytest.mark.parametrize("url", LOGIN_URLS)
@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE"])
@pytest.mark.parametrize("password", ["wrong", "pw-alice-1234"])
def test_a_nul_byte_in_a_header_is_a_400(browser, council_member, url, header, password):
    response = browser.post(url, {"username": "alice", "password": password}, **{header: "x\x00y"})
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    assert "_auth_user_id" not in browser.session


@pytest.mark.parametrize("url", ["/en/", "/en/projects/di4c/budget/", "/en/admin/"])
def test_a_nul_byte_in_a_header_is_a_400_on_any_page(client_for, council_member, demo, url):
    client = client_for(council_member)
    client.raise_request_exception = False
    response = client.get(url, HTTP_USER_AGENT="\x00")
    assert response.status_code == 400
    assert [t.name for t in response.templates][:1] == ["400.html"]


def test_an_ordinary_browser_still_signs_in(browser, council_member):
    response = browser.post(
        "/en/accounts/login/",
        {"username": "alice", "password": "pw-alice-1234"},
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        HTTP_ACCEPT="text/html,*/*;q=0.8",
    )
    assert response.status_code == 302


@pytest.mark.parametrize("cookie", ["sessionid=abcdefgh\x00ijklmnop", "csrftoken=\x00"])
def test_a_nul_byte_in_a_cookie_is_a_400(browser, demo, cookie):
    # PostgreSQL refused the session key in the session lookup: a 500 on every page.
    assert browser.get("/en/accounts/login/", HTTP_COOKIE=cookie).status_code == 400
    assert browser.get("/en/projects/di4c/", HTTP_COOKIE=cookie).status_code == 400
