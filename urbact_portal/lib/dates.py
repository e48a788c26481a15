"""Dates as people read them, per language: `2020. gada 3. aprīlis` / `3 April 2020`;
inside a Latvian sentence in the case the sentence needs (`beidzās 2022. gada 7. augustā`);
compact ranges (`2019. gada 16.–17. oktobris` / `16–17 October 2019`); and the dates a project
can have at all."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import parse_pattern
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import is_aware, localtime
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


# Latvian month names by case. Babel (CLDR) knows only the nominative ("augusts"), which is
# right for a date on its own ("2022. gada 7. augusts") but wrong inside a sentence: "beidzās
# 2022. gada 7. augustā" (locative: on/in), "no 2019. gada 2. septembra" (genitive: from),
# "līdz 2020. gada 2. martam" (dative: until).
Case = Literal["nominative", "genitive", "dative", "locative"]
LATVIAN_MONTHS: dict[str, tuple[str, ...]] = {
    "nominative": (
        "janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs",
        "jūlijs", "augusts", "septembris", "oktobris", "novembris", "decembris",
    ),
    "genitive": (
        "janvāra", "februāra", "marta", "aprīļa", "maija", "jūnija",
        "jūlija", "augusta", "septembra", "oktobra", "novembra", "decembra",
    ),
    "dative": (
        "janvārim", "februārim", "martam", "aprīlim", "maijam", "jūnijam",
        "jūlijam", "augustam", "septembrim", "oktobrim", "novembrim", "decembrim",
    ),
    "locative": (
        "janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā",
        "jūlijā", "augustā", "septembrī", "oktobrī", "novembrī", "decembrī",
    ),
}  # fmt: skip


def format_date(value: dt.date, language: str | None = None, style: str = "long") -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_format_date(value, format=style, locale=babel_locale(language))


def format_datetime(value: dt.datetime, language: str | None = None) -> str:
    """A moment in the site's time zone: `2026. gada 25. novembris, 21:42`, `25 November
    2026, 21:42` (as the portal's other dates, not Django's `11/25/2026 9:42 p.m.`)."""
    value = localtime(value) if is_aware(value) else value
    return f"{format_date(value.date(), language)}, {value:%H:%M}"


def date_in_sentence(value: dt.date, case: Case = "locative", language: str | None = None) -> str:
    """A date inside a sentence: Latvian `2022. gada 7. augustā` (the month in `case`),
    English `7 August 2022` (English has no cases)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not babel_locale(language).startswith("lv"):
        return format_date(value, language)
    return f"{value.year}. gada {value.day}. {LATVIAN_MONTHS[case][value.month - 1]}"


def format_date_range(start: dt.date, end: dt.date | None, language: str | None = None) -> str:
    """A compact range with full month names: `2019. gada 16.–17. oktobris`, `16–17 October
    2019`, `2 September 2019 – 2 March 2020`.

    Babel's format_interval has these patterns only with abbreviated months ("okt.", "Oct"),
    so we take its CLDR patterns for the skeleton yMMMd and spell the month out (MMM → MMMM).
    """
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if end is None or end == start:
        return format_date(start, language)
    locale = Locale.parse(babel_locale(language))
    patterns = locale.interval_formats["yMMMd"]
    # The greatest field that differs picks the pattern: "d" (same month), "M", "y".
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    return "".join(
        parse_pattern(_full_month(pattern)).apply(day, locale)
        for pattern, day in zip(patterns[field], (start, end), strict=True)
    )


def _full_month(pattern: str) -> str:
    return re.sub(r"(?<!M)MMM(?!M)", "MMMM", pattern)
