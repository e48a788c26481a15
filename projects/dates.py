"""Dates as people read them, per language: `2020. gada 3. aprīlis` / `3 April 2020`."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as babel_format_date

from funding.formatting import babel_locale


def format_date(value: dt.date, language: str | None = None, style: str = "long") -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_format_date(value, format=style, locale=babel_locale(language))


def format_date_range(start: dt.date, end: dt.date | None, language: str | None = None) -> str:
    if end is None or end == start:
        return format_date(start, language)
    return f"{format_date(start, language)} – {format_date(end, language)}"
