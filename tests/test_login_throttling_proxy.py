"""Login throttling keys on the client's address: the connection's own address when clients
connect directly, the address the trusted proxy reports (BEHIND_HTTPS_PROXY=1) behind it.
Either way a client cannot pick the address it is throttled under, and locking out one
client does not lock out another."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.254"  # the reverse proxy's own address: every request behind it comes from it
ALICE = "198.51.100.7"
ATTACKER = "203.0.113.66"


def attempt(client, password, *, remote, forwarded=None):
    with translation.override("en"):
        url = reverse("login")
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(url, {"username": "alice", "password": password}, **headers)


def lock_out(client, **where):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", **where)
    assert attempt(client, "wrong", **where).status_code == 429


@pytest.fixture
def directly(settings):
    settings.BEHIND_HTTPS_PROXY = False
    return settings


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_HTTPS_PROXY = True
    return settings


# --- Clients connect directly: X-Forwarded-For is the client's own words, ignored ------------


def test_directly_a_forged_forwarded_address_does_not_lock_out_that_address(
    client, council_member, directly
):
    lock_out(client, remote=ATTACKER, forwarded=ALICE)
    assert attempt(client, "pw-alice-1234", remote=ALICE).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_directly_a_client_cannot_escape_its_lock_by_changing_the_forwarded_header(
    client, council_member, directly
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", remote=ATTACKER, forwarded=f"192.0.2.{n}")
    retry = attempt(client, "pw-alice-1234", remote=ATTACKER, forwarded="192.0.2.99")
    assert retry.status_code == 429


# --- Behind the trusted proxy: the address the proxy reports ----------------------------------


def test_behind_the_proxy_locking_out_one_client_does_not_lock_out_another(
    client, council_member, behind_proxy
):
    lock_out(client, remote=PROXY, forwarded=ATTACKER)
    assert attempt(client, "pw-alice-1234", remote=PROXY, forwarded=ALICE).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_the_proxy_the_locked_out_client_stays_locked_out(
    client, council_member, behind_proxy
):
    lock_out(client, remote=PROXY, forwarded=ATTACKER)
    assert attempt(client, "pw-alice-1234", remote=PROXY, forwarded=ATTACKER).status_code == 429


def test_behind_the_proxy_the_right_most_address_counts_not_what_the_client_sent(
    client, council_member, behind_proxy
):
    # The attacker sends "X-Forwarded-For: <alice>, <anything>"; the proxy appends the address
    # it really sees. Only that right-most one is the proxy's word.
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", remote=PROXY, forwarded=f"{ALICE}, 192.0.2.{n}, {ATTACKER}")
    forged = f"{ALICE}, 192.0.2.99, {ATTACKER}"
    assert attempt(client, "pw-alice-1234", remote=PROXY, forwarded=forged).status_code == 429
    assert attempt(client, "pw-alice-1234", remote=PROXY, forwarded=ALICE).status_code == 302


@pytest.mark.parametrize(
    "forwarded", [None, "", "not-an-address", f"{ALICE}, unknown", "300.1.2.3"]
)
def test_behind_the_proxy_without_a_usable_report_the_connection_address_counts(
    client, council_member, behind_proxy, forwarded
):
    assert attempt(client, "wrong", remote=PROXY, forwarded=forwarded).status_code == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


def test_an_ipv6_client_behind_the_proxy_is_throttled_under_its_own_address(
    client, council_member, behind_proxy
):
    attempt(client, "wrong", remote=PROXY, forwarded="2001:DB8::1")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["2001:db8::1"]
