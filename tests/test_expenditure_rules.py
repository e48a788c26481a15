"""Expenditure in euro: the rounding, the rate frozen at submission, the month without a rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from djmoney.money import Money

from expenditure import rules, services
from expenditure.models import ExchangeRate, ExpenditureLine
from partners.models import Participation
from tests import factories as f

OCT_2020 = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))


@pytest.mark.parametrize(
    ("amount", "rate", "euro"),
    [
        ("1250.50", "4.8499", "257.84"),  # 257.8403…
        ("100.00", "3", "33.33"),  # 33.333…
        ("0.05", "2", "0.03"),  # 0.025: half rounds up
        ("0.01", "4.8740", "0.00"),
        ("1000.00", "1", "1000.00"),
        ("48740.00", "4.8740", "10000.00"),
    ],
)
def test_euro_is_the_amount_divided_by_the_rate_rounded_half_up_to_the_cent(amount, rate, euro):
    assert rules.to_euro(Decimal(amount), Decimal(rate)) == Decimal(euro)


def test_a_rate_of_zero_is_refused():
    with pytest.raises(ValueError):
        rules.to_euro(Decimal("1"), Decimal("0"))


@pytest.fixture
def botosani(demo) -> Participation:
    return Participation.objects.get(organisation__slug="botosani")


@pytest.fixture
def october_rate(db) -> ExchangeRate:
    return ExchangeRate.objects.create(
        currency="RON", month=dt.date(2020, 10, 1), rate=Decimal("4.8499")
    )


def test_a_line_in_ron_stores_the_rate_of_the_month_it_is_submitted_in(
    botosani, periods, october_rate
):
    ExchangeRate.objects.create(currency="RON", month=dt.date(2020, 9, 1), rate=Decimal("4.84"))
    line = f.expenditure_line(botosani, periods[1], "1250.50", "RON", paid_on=dt.date(2020, 9, 15))

    services.submit([line], None, now=OCT_2020)

    line.refresh_from_db()
    assert line.rate == Decimal("4.849900")
    assert line.rate_month == dt.date(2020, 10, 1)  # submitted in October, paid in September
    assert line.amount_eur == Money("257.84", "EUR")
    assert line.status == ExpenditureLine.Status.SUBMITTED


def test_changing_the_rate_after_submission_leaves_the_line_untouched(
    botosani, periods, october_rate
):
    line = f.expenditure_line(botosani, periods[1], "1250.50", "RON")
    services.submit([line], None, now=OCT_2020)

    october_rate.rate = Decimal("5.0000")
    october_rate.save()
    ExchangeRate.objects.filter(pk=october_rate.pk).update(rate=Decimal("6"))

    line.refresh_from_db()
    assert (line.rate, line.amount_eur) == (Decimal("4.849900"), Money("257.84", "EUR"))


def test_a_line_in_euro_has_the_rate_one(demo, periods):
    line = f.expenditure_line(
        Participation.objects.get(organisation__slug="ventspils"), periods[1], "480.00"
    )
    services.submit([line], None, now=OCT_2020)
    line.refresh_from_db()
    assert (line.rate, line.amount_eur) == (Decimal("1"), Money("480.00", "EUR"))


def test_submitting_in_a_month_without_a_rate_is_refused_naming_currency_and_month(
    english, botosani, periods, october_rate
):
    line = f.expenditure_line(botosani, periods[1], "100.00", "RON")
    euro_line = f.expenditure_line(
        Participation.objects.get(organisation__slug="ventspils"), periods[1], "10.00"
    )
    november = timezone.make_aware(dt.datetime(2020, 11, 2, 9, 0))

    with pytest.raises(ValidationError) as refused:
        services.submit([euro_line, line], None, now=november)

    assert "no exchange rate for RON for 2020-11" in refused.value.messages[0]
    # All or none: the euro line submitted with it stays a draft too.
    assert set(ExpenditureLine.objects.values_list("status", flat=True)) == {"draft"}
