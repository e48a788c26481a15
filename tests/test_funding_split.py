"""The funding split: EU fund cut down to the cent, own sources share the rest exactly."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from funding.rules import FundingRuleError, Share, percent, split_total

ERDF, STATE, CITY = "erdf", "state", "city"


def plan(erdf: str, state: str, city: str) -> list[Share]:
    return [
        Share(ERDF, Decimal(erdf), True),
        Share(STATE, Decimal(state), False),
        Share(CITY, Decimal(city), False),
    ]


def test_ventspils_budget_splits_as_the_article_says():
    assert split_total(Decimal("51280.00"), plan("85", "5", "10")) == [
        Decimal("43588.00"),
        Decimal("2564.00"),
        Decimal("5128.00"),
    ]


def test_the_examples_in_the_rules_docstrings_hold():
    """funding/rules.py shows the Ventspils split as a doctest; pytest does not collect
    doctests here (no --doctest-modules), so run them: a wrong example fails this test."""
    import doctest

    from funding import rules

    result = doctest.testmod(rules, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 1
    assert result.failed == 0


def test_an_uneven_total_cuts_the_eu_fund_down_and_gives_the_cents_to_own_sources():
    # 1,000.01 × 85 % = 850.0085 → 850.00; the remaining 150.01 is shared 5:10.
    assert split_total(Decimal("1000.01"), plan("85", "5", "10")) == [
        Decimal("850.00"),
        Decimal("50.00"),
        Decimal("100.01"),
    ]


def test_a_more_developed_region_at_70_percent():
    assert split_total(Decimal("99999.99"), plan("70", "20", "10")) == [
        Decimal("69999.99"),
        Decimal("20000.00"),
        Decimal("10000.00"),
    ]


def test_own_sources_at_zero_percent_take_the_cents_cut_off_the_fund():
    shares = [Share(ERDF, Decimal("99.99"), True), Share(CITY, Decimal("0.01"), False)]
    assert split_total(Decimal("0.03"), shares) == [Decimal("0.02"), Decimal("0.01")]


@pytest.mark.parametrize(
    ("total", "shares", "message"),
    [
        (Decimal("-1.00"), plan("85", "5", "10"), "cannot be negative"),
        (Decimal("1.001"), plan("85", "5", "10"), "kept to the cent"),
        (Decimal("100.00"), plan("85", "5", "5"), "add up to 100"),
        (Decimal("100.00"), plan("85", "-5", "20"), "between 0 and 100"),
        (
            Decimal("100.00"),
            [Share("a", Decimal(50), True), Share("b", Decimal(50), True)],
            "only one EU fund",
        ),
    ],
)
def test_impossible_inputs_are_refused_with_a_reason(total, shares, message):
    # The reasons are translated (funding/locale); these are the English ones.
    with translation.override("en"), pytest.raises(FundingRuleError, match=message):
        split_total(total, shares)


def test_the_reasons_are_given_in_latvian_too():
    with translation.override("lv"), pytest.raises(FundingRuleError, match="negatīva"):
        split_total(Decimal("-1.00"), plan("85", "5", "10"))


def test_percentages_are_rounded_half_up_to_two_decimals():
    assert percent(Decimal("1"), Decimal("3")) == Decimal("33.33")
    assert percent(Decimal("2"), Decimal("3")) == Decimal("66.67")
    assert percent(Decimal("0.125"), Decimal("100")) == Decimal("0.13")
    assert percent(Decimal("5"), Decimal("0")) == Decimal("0.00")


cents = st.integers(min_value=0, max_value=10**12).map(lambda c: Decimal(c) / 100)
rates = st.integers(min_value=0, max_value=10000).map(lambda r: Decimal(r) / 100)


@st.composite
def valid_plans(draw):
    eu_rate = draw(rates)
    own_count = draw(st.integers(min_value=0 if eu_rate == 100 else 1, max_value=4))
    left = Decimal(100) - eu_rate
    own = []
    for i in range(own_count):
        rate = left if i == own_count - 1 else draw(rates.filter(lambda r, left=left: r <= left))
        left -= rate
        own.append(Share(f"own{i}", rate, False))
    if own_count == 0 and left:
        own.append(Share("own", left, False))
    return [Share(ERDF, eu_rate, True), *own]


@given(total=cents, shares=valid_plans())
def test_any_split_adds_up_to_the_total_and_never_overpays_the_fund(total, shares):
    amounts = split_total(total, shares)
    assert sum(amounts) == total
    assert all(a >= 0 and a == a.quantize(Decimal("0.01")) for a in amounts)
    eu = amounts[0]
    assert eu <= total * shares[0].rate / 100
    assert total * shares[0].rate / 100 - eu < Decimal("0.01")
