"""The expenditure rules of the trade, in one place (no database here).

- The euro is the programme currency. Spending in another currency is converted at the
  Commission's monthly accounting rate (InforEuro) of the month in which the line is
  submitted to the controller; the rate is stored on the line and never recomputed.
- A rate is in units of the currency per 1 EUR, as InforEuro publishes it (RON 4.8740):
  euro = amount / rate, rounded half-up to the cent.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from funding.rules import CENT

EURO = "EUR"
ONE = Decimal("1")


def to_euro(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` in a currency worth `rate` units per euro, in euro, rounded half-up to the
    cent (the one place this rounding is done)."""
    if rate <= 0:
        raise ValueError("An exchange rate must be positive.")
    return (Decimal(amount) / Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def month_of(day: dt.date) -> dt.date:
    """The month a day lies in, as its first day (how rates are keyed)."""
    return day.replace(day=1)
