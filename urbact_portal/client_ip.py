"""The address a request comes from, as login throttling (django-axes) keys on it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
