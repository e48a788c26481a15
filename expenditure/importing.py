"""Loading the Commission's monthly accounting rates (InforEuro) from a CSV file.

The layout: one header row, then one row per currency and month, comma- or
semicolon-separated, UTF-8 (a byte-order mark is fine). The columns are those of InforEuro's
monthly rates (country, currency, isoA3Code, isoA2Code, value, comment), with the month the
rate applies to in front; the columns read are

    month      YYYY-MM, the month the rate applies to
    isoA3Code  the currency's ISO 4217 code (RON)
    value      units of the currency per 1 EUR, with a decimal point (4.8499)

and the others are ignored, as is the euro's own row (always 1). A file with one bad row
changes nothing: every row is checked and stored in one transaction, and the error names the
row (as a spreadsheet numbers it, the header being row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from expenditure.models import ExchangeRate
from expenditure.rules import EURO

COLUMNS = ("month", "isoA3Code", "value")


class RateFileError(ValueError):
    """A file that cannot be loaded; the message names the row and what is wrong with it."""


@dataclass(frozen=True)
class Loaded:
    created: int
    changed: int
    unchanged: int


def _month(text: str) -> dt.date:
    return dt.datetime.strptime(text.strip(), "%Y-%m").date()


def _rows(text: str):
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RateFileError(f"row 1: the header lacks the column(s) {', '.join(missing)}")
    yield from enumerate(reader, start=2)


def _parse(number: int, row: dict) -> tuple[str, dt.date, Decimal] | None:
    if None in row or None in row.values():
        # A decimal comma in a comma-separated file, or a row cut short: never guess.
        raise RateFileError(f"row {number}: not as many columns as the header")
    try:
        month = _month(row["month"] or "")
    except ValueError:
        raise RateFileError(f"row {number}: month {row['month']!r} is not YYYY-MM") from None
    currency = (row["isoA3Code"] or "").strip().upper()
    if currency == EURO:
        return None
    try:
        rate = Decimal((row["value"] or "").strip())
    except InvalidOperation:
        raise RateFileError(f"row {number}: value {row['value']!r} is not a number") from None
    return currency, month, rate


@transaction.atomic
def load_rates(text: str) -> Loaded:
    """Store the file's rates (new ones created, changed ones updated), all or none."""
    created = changed = unchanged = 0
    seen: set[tuple[str, dt.date]] = set()
    for number, row in _rows(text):
        parsed = _parse(number, row)
        if parsed is None:
            continue
        currency, month, rate = parsed
        if (currency, month) in seen:
            raise RateFileError(f"row {number}: {currency} {month:%Y-%m} appears twice")
        seen.add((currency, month))
        stored = ExchangeRate.objects.filter(currency=currency, month=month).first()
        if stored is not None and stored.rate == rate:
            unchanged += 1
            continue
        obj = stored or ExchangeRate(currency=currency, month=month)
        obj.rate = rate
        try:
            obj.full_clean()
        except ValidationError as error:
            reasons = "; ".join(error.messages)
            raise RateFileError(f"row {number}: {currency} {month:%Y-%m}: {reasons}") from None
        obj.save()
        if stored is None:
            created += 1
        else:
            changed += 1
    return Loaded(created, changed, unchanged)
