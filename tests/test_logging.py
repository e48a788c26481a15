"""What the log says: each line once, and an expected 403/404 as one line without a traceback
(a 500 keeps its traceback: that is what the log is read for)."""

import io
import logging

import pytest


@pytest.fixture
def log(settings):
    """What the portal's log handlers write while DEBUG is on (as under `make run`)."""
    settings.DEBUG = True  # Django's own console handler writes only in DEBUG
    stream = io.StringIO()
    handlers = [h for h in _all_handlers() if type(h) is logging.StreamHandler]  # not pytest's
    streams = [h.stream for h in handlers]
    for handler in handlers:  # not setStream(): it flushes the old stream, maybe closed by now
        handler.stream = stream
    yield stream
    for handler, old in zip(handlers, streams, strict=True):
        handler.stream = old


def _all_handlers():
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in logging.root.manager.loggerDict
    ]
    return {h for logger in loggers for h in getattr(logger, "handlers", [])}


def test_a_page_a_role_may_not_see_is_one_line_without_a_traceback(log, client_for, outsider):
    """Oscar has an account but no role: the budget page is a 403 for him."""
    assert client_for(outsider).get("/en/projects/di4c/budget/").status_code == 403
    lines = log.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /en/projects/di4c/budget/"]


def test_a_missing_page_is_one_line(log, client):
    assert client.get("/en/no-such-page/").status_code == 404
    assert log.getvalue().splitlines() == ["Not Found: /en/no-such-page/"]


def test_a_server_error_keeps_its_traceback(log):
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.error("Internal Server Error: /x/", exc_info=True, extra={"status_code": 500})
    text = log.getvalue()
    assert text.startswith("Internal Server Error: /x/\nTraceback")
    assert text.count("Internal Server Error") == 1
