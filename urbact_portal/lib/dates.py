"""Dates as people read them, per language: `2020. gada 3. aprīlis` / `3 April 2020`;
and the dates a project can have at all."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as babel_format_date
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urbact_portal.lib.formatting import babel_locale

# Every date of a programme, project, phase, milestone or partnership lies in this range, and
# so do the history page's filters. A typo such as 0001-01-01 or 9999-12-31 is refused by the
# forms, the models and the database alike, so no page draws a timeline across ten thousand
# years (and near the ends of Python's calendar adding a day or a time zone offset overflows).
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
OUT_OF_RANGE = _("A date must lie between 1 January 1990 and 31 December 2100.")

DATE_VALIDATORS = [
    MinValueValidator(EARLIEST, message=OUT_OF_RANGE),
    MaxValueValidator(LATEST, message=OUT_OF_RANGE),
]


def dates_in_range(prefix: str, *fields: str) -> list[models.CheckConstraint]:
    """The database's copy of DATE_VALIDATORS, one constraint per (possibly empty) field."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__gte": EARLIEST, f"{field}__lte": LATEST}),
            name=f"{prefix}_{field}_in_range",
            violation_error_message=OUT_OF_RANGE,
        )
        for field in fields
    ]


def format_date(value: dt.date, language: str | None = None, style: str = "long") -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_format_date(value, format=style, locale=babel_locale(language))


def format_date_range(start: dt.date, end: dt.date | None, language: str | None = None) -> str:
    if end is None or end == start:
        return format_date(start, language)
    return f"{format_date(start, language)} – {format_date(end, language)}"
