"""The arithmetic of claims, in one place (no database here).

- The ERDF due on certified spending is the EU fund's part of the partner's co-financing
  plan applied to the certified euro total: `funding.rules.split_total`, the very split the
  budget uses (the fund's amount is the total × its rate, cut to the cent). So the fund's
  part and the partner's own sources always add up to the certified total.
- Latvian state co-financing is paid in two instalments: an advance (90 % of the amount
  applied for; the rate is data on each application) and the rest after the final report.
  The advance is cut to the cent as a fund amount is; the final instalment is what remains,
  so the two add up to the amount applied for, to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from funding.rules import CENT, HUNDRED, Share, cut_to_cent, split_total

ZERO = Decimal("0.00")
DEFAULT_ADVANCE_RATE = Decimal("90.00")  # the usual advance; each application keeps its own


def split_spending(amount: Decimal, shares: Sequence[Share]) -> list[Decimal]:
    """`amount` (certified or submitted euro) split among the plan's shares, as the budget is
    split; amounts in the order of `shares` (empty without a plan)."""
    if not shares:
        return []
    return split_total(Decimal(amount).quantize(CENT), shares)


def erdf_due(certified: Decimal, shares: Sequence[Share]) -> Decimal:
    """The EU fund's part of `certified` under the plan `shares` (0 without an EU fund)."""
    for share, amount in zip(shares, split_spending(certified, shares), strict=True):
        if share.is_eu_fund:
            return amount
    return ZERO


def state_instalments(applied: Decimal, advance_rate: Decimal) -> tuple[Decimal, Decimal]:
    """(advance, final instalment) of a state co-financing application of `applied` euro."""
    if applied < 0 or not Decimal(0) <= advance_rate <= HUNDRED:
        raise ValueError("An amount applied for is positive and a rate lies within 0–100 %.")
    advance = cut_to_cent(Decimal(applied) * advance_rate / HUNDRED)
    return advance, Decimal(applied) - advance
