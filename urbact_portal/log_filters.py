"""Filters for the portal's log (settings.LOGGING)."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer is the portal working as meant (a 403 for a page a role may not see, a 404
    for another partner's row): one line says so. Django logs it with the exception's
    traceback, which buries the 500s the log is read for; those keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True
