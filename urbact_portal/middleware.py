"""Middleware of our own: the one place that decides which answers no shared cache may keep."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import has_vary_header, patch_cache_control


def private_cache_middleware(get_response: Callable) -> Callable:
    """Marks `Cache-Control: private` every response to a signed-in user, and every one made
    from the visitor's session or carrying their CSRF token (the login page, each HTML page
    of PORTAL_PUBLIC_PAGES, whose header shows who is signed in). Django's session and CSRF
    middleware say the latter with `Vary: Cookie`, so this runs outside them (above them in
    MIDDLEWARE). What is the same for everyone (static files, the public pages' CSV for a
    signed-out reader) is left as it is; `no-store` set by a view (PDF reports, admin) stays."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if has_vary_header(response, "Cookie") or _signed_in(request):
            patch_cache_control(response, private=True)
        return response

    return middleware


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)  # absent when an earlier middleware answered
    return user is not None and user.is_authenticated
