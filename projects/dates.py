"""Dates as people read them, per language: `2020. gada 3. aprīlis` / `3 April 2020`."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as babel_format_date
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from funding.formatting import babel_locale

# The days the portal deals in: a project's dates and the history's filters. Outside them a
# date is a typing error, and near the ends of Python's calendar (year 1, year 9999) adding a
# day or a time zone offset overflows (a 500 instead of an answer).
EARLIEST_DAY = dt.date(1990, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)


def format_date(value: dt.date, language: str | None = None, style: str = "long") -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_format_date(value, format=style, locale=babel_locale(language))


def format_date_range(start: dt.date, end: dt.date | None, language: str | None = None) -> str:
    if end is None or end == start:
        return format_date(start, language)
    return f"{format_date(start, language)} – {format_date(end, language)}"


def validate_portal_day(value: dt.date) -> None:
    """A date validator for forms and models: EARLIEST_DAY to LATEST_DAY, both included."""
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(
            gettext("Choose a date from %(earliest)s to %(latest)s."),
            code="date_out_of_range",
            params={"earliest": format_date(EARLIEST_DAY), "latest": format_date(LATEST_DAY)},
        )
