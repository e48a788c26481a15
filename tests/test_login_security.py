"""Signing in: throttled by user name and address, sessions that end, logout everywhere."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="10.0.0.1"):
    with translation.override("en"):
        url = reverse("login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_user_name_is_locked_after_five_failures_from_one_address(client, council_member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "alice", "wrong").status_code == 200
    locked = attempt(client, "alice", "wrong")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    # Even the right password is refused while the lock lasts ...
    assert attempt(client, "alice", "pw-alice-1234").status_code == 429


def test_the_lock_is_per_address_so_nobody_can_lock_a_colleague_out(client, council_member):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", "wrong", address="10.0.0.66")
    ok = attempt(client, "alice", "pw-alice-1234", address="10.0.0.1")
    assert ok.status_code == 302


def test_sessions_end_after_a_working_day_and_when_the_browser_closes(
    client, council_member, monkeypatch
):
    import datetime as dt

    from django.utils import timezone

    response = attempt(client, "alice", "pw-alice-1234")
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A browser-session cookie: no lifetime of its own, so closing the browser ends it.
    assert not cookie["expires"] and not cookie["max-age"]
    assert cookie["httponly"]
    assert client.get("/en/").status_code == 200
    # Still signed in near the end of a working day; signed out once it is over.
    signed_in_at = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: signed_in_at + dt.timedelta(hours=7, minutes=50))
    assert client.get("/en/").status_code == 200
    monkeypatch.setattr(timezone, "now", lambda: signed_in_at + dt.timedelta(hours=8, minutes=1))
    later = client.get("/en/")
    assert later.status_code == 302 and "/login/" in later["Location"]


def test_every_page_has_a_logout_button(client_for, demo, council_member):
    client = client_for(council_member)
    for url in ["/", f"/projects/{demo.slug}/", f"/projects/{demo.slug}/budget/"]:
        assert f'action="{reverse("logout")}"' in client.get(url).content.decode()


def test_every_page_carries_a_content_security_policy(client_for, demo, council_member):
    response = client_for(council_member).get(f"/projects/{demo.slug}/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_passwords_are_validated():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678")


@pytest.mark.parametrize(
    ("login_page", "asked_for", "landing"),
    [
        ("/en/accounts/login/", "/projects/di4c/budget/", "/en/projects/di4c/budget/"),
        ("/accounts/login/", "/en/projects/di4c/budget/", "/projects/di4c/budget/"),
        ("/en/accounts/login/", "/", "/en/"),
        ("/en/accounts/login/", "", "/en/"),
    ],
)
def test_signing_in_keeps_the_language_chosen_on_the_login_page(
    client, demo, council_member, login_page, asked_for, landing
):
    """Alice opens a Latvian page, is sent to sign in, switches the login page to English:
    after signing in she is on the page she asked for, in English."""
    query = f"?next={asked_for}" if asked_for else ""
    response = client.post(
        login_page + query, {"username": "alice", "password": "pw-alice-1234", "next": asked_for}
    )
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_a_next_address_off_the_site_is_not_followed(client, council_member):
    response = client.post(
        "/en/accounts/login/",
        {"username": "alice", "password": "pw-alice-1234", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/en/"
