"""How money and percentages look, per language: the one place for it.

Latvian: `51 280,00 €` (space for thousands, comma for decimals); English: `€51,280.00`.
Floats are refused: a float has already lost cents before it reaches us.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language
from djmoney.money import Money

# Babel locales per interface language; en_GB writes dates as "3 April 2020".
BABEL_LOCALES = {"lv": "lv_LV", "en": "en_GB"}


def babel_locale(language: str | None = None) -> str:
    language = (language or get_language() or "lv").split("-")[0]
    return BABEL_LOCALES.get(language, "lv_LV")


def _as_decimal(value: Money | Decimal | int) -> tuple[Decimal, str]:
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal or a Money.")
    if isinstance(value, Money):
        return value.amount, str(value.currency)
    if isinstance(value, Decimal | int):
        return Decimal(value), "EUR"
    raise TypeError(f"Cannot format {type(value).__name__} as money.")


def format_money(value: Money | Decimal | int, language: str | None = None) -> str:
    amount, currency = _as_decimal(value)
    return format_currency(amount, currency, locale=babel_locale(language))


def format_number(value: Decimal | int, language: str | None = None, places: int = 2) -> str:
    """A rate or other figure with `places` decimals and no unit: `95,00` (lv), `95.00` (en)."""
    if isinstance(value, float):
        raise TypeError("Rates are Decimals, never floats.")
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(Decimal(value), format=pattern, locale=babel_locale(language))


def format_percent(value: Decimal | int, language: str | None = None) -> str:
    """A percentage with 2 decimals, e.g. `85,00 %` (lv) or `85.00%` (en)."""
    if isinstance(value, float):
        raise TypeError("Percentages are Decimals, never floats.")
    number = format_number(value, language)
    return f"{number}\xa0%" if babel_locale(language).startswith("lv") else f"{number}%"
