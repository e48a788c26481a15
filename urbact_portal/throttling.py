"""What login throttling (django-axes) keys on: the client's address and the user name."""

from __future__ import annotations

import ipaddress

from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest

USERNAME_MAX_LENGTH = AccessAttempt._meta.get_field("username").max_length


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's own (REMOTE_ADDR) when clients connect directly;
    behind the trusted proxy (BEHIND_HTTPS_PROXY), the address that proxy appended to
    X-Forwarded-For, its right-most entry. Entries left of it are whatever the client sent,
    so they are never used: a client cannot choose the address it is throttled under.

    Without a usable address from the proxy, the connection's (the proxy's) counts: every
    client then shares one lock, as before, rather than one chosen by the client.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_HTTPS_PROXY:
        return remote
    reported = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(reported))
    except ValueError:
        return remote


def client_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The user name as typed, cut to what axes can store. Django's login forms pass names of
    any length to authentication (their 150-character limit is only the input's size), and
    PostgreSQL refuses a longer one than the column holds (and NUL bytes, which the forms
    already refuse). No account has such a name, so the cut name is only ever a failure,
    counted (and locked) like any other."""
    if credentials:
        name = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        name = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if name is None:
        return None
    return name.replace("\x00", "")[:USERNAME_MAX_LENGTH]
