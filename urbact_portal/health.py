"""The health check a load balancer or process supervisor polls: /health/.

It answers before the rest of the middleware (see settings.MIDDLEWARE), so a check opens no
session, reads no cookie or language, is never redirected to HTTPS (a balancer checks the
backend over plain HTTP) and is not refused for its Host header (balancers send the backend's
address). It runs one trivial query and says only "ok" (200) or "database unavailable" (503).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

HEALTH_PATH = "/health/"

logger = logging.getLogger(__name__)


def health_check_middleware(get_response: Callable) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTH_PATH or request.method not in ("GET", "HEAD"):
            return get_response(request)
        return _health()

    return middleware


def _health() -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # One line per failed check; Django's own "Service Unavailable" line would repeat it.
        logger.warning("Health check: the database is unreachable (%s)", exc)
        response = _plain("database unavailable\n", status=503)
        response._has_been_logged = True  # read by django.utils.log.log_response
        return response
    return _plain("ok\n", status=200)


def _plain(text: str, *, status: int) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    # Always asked afresh: a cached "ok" would hide an outage.
    response["Cache-Control"] = "no-store"
    return response
