"""Middleware of our own: which answers no shared cache may keep; which requests are refused
before anything reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
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


def refuse_nul_in_headers_middleware(get_response: Callable) -> Callable:
    """A NUL byte is never valid in an HTTP header (RFC 9110, 5.5), and PostgreSQL refuses
    to store one: django-axes records each sign-in's User-Agent and Accept headers, so such a
    header made signing in a 500. The request is a 400 (the portal's 400 page) before any
    view or the throttling reads it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if any("\x00" in value for value in _header_values(request)):
            raise BadRequest("A request header contains a NUL byte.")
        return get_response(request)

    return middleware


def _header_values(request: HttpRequest):
    return (v for k, v in request.META.items() if k.startswith("HTTP_") and isinstance(v, str))
