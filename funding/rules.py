"""The funding rules of the trade, in one place.

Rounding is done as the EU monitoring systems do it:
- an EU fund's amount is the eligible total × the fund's rate, cut (rounded down) to the cent;
- the partner's own sources share what remains, so the parts always add up to the total
  exactly. The remainder is divided in proportion to their rates, each cut to the cent, and
  the cents still left go one by one to the largest fractional parts (ties: plan order);
- percentages shown are rounded half-up to 2 decimals.

Nothing here touches the database: the functions take Decimals and return Decimals
(problems come back as translated sentences).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from urbact_portal.lib.formatting import format_money, format_number

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Office and administration costs of a new budget, as a percentage of its staff costs: the
# rate commonly used; each budget keeps its own (a rate is data, this is only its default).
DEFAULT_OFFICE_FLAT_RATE = Decimal("15.00")


class FundingRuleError(ValueError):
    """Input that no split can be made of (negative total, rates not adding up to 100 …)."""


@dataclass(frozen=True)
class Share:
    """One line of a co-financing plan: which source pays what percentage."""

    key: object  # whatever identifies the source for the caller (a FundingSource, a code)
    rate: Decimal  # percentage, 0–100
    is_eu_fund: bool


def cut_to_cent(amount: Decimal) -> Decimal:
    """Round down to the cent (towards zero), as the EU systems do for fund amounts."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole as a percentage rounded half-up to 2 decimals (0 when whole is 0)."""
    if not whole:
        return Decimal("0.00")
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def allocated(totals: Iterable[Decimal]) -> Decimal:
    """What a project has allocated to its partners: the totals of the budgets entered,
    whether or not their co-financing plans are (a partner without a budget adds nothing).
    The one definition behind the pages, the reports and the check that the budgets stay
    within the approved total."""
    return sum(totals, Decimal("0.00"))


def plan_problems(shares: Sequence[Share]) -> list[str]:
    """What is wrong with a co-financing plan, as readable sentences (empty when valid)."""
    problems = []
    if any(not Decimal(0) <= share.rate <= HUNDRED for share in shares):
        problems.append(_("Each rate must be a percentage between 0 and 100."))
    total = sum((share.rate for share in shares), Decimal(0))
    if shares and total != HUNDRED:
        problems.append(
            _("The shares of a co-financing plan must add up to 100 %%, not %(total)s %%.")
            % {"total": format_number(total)}
        )
    if sum(1 for share in shares if share.is_eu_fund) > 1:
        problems.append(_("A co-financing plan can have only one EU fund."))
    keys = [share.key for share in shares]
    if len(set(keys)) != len(keys):
        problems.append(_("Each funding source may appear only once in a plan."))
    return problems


def split_total(total: Decimal, shares: Sequence[Share]) -> list[Decimal]:
    """Split a budget total among the plan's shares; amounts in the order of `shares`.

    >>> split_total(Decimal("51280.00"), [Share("ERDF", Decimal(85), True),
    ...     Share("LV", Decimal(5), False), Share("VENTSPILS", Decimal(10), False)])
    [Decimal('43588.00'), Decimal('2564.00'), Decimal('5128.00')]
    """
    if total < 0:
        raise FundingRuleError(_("A budget total cannot be negative."))
    if cut_to_cent(total) != total:
        raise FundingRuleError(_("A budget total is kept to the cent."))
    problems = plan_problems(shares)
    if problems:
        raise FundingRuleError(" ".join(problems))
    if not shares:
        return []

    amounts: list[Decimal | None] = [
        cut_to_cent(total * share.rate / HUNDRED) if share.is_eu_fund else None for share in shares
    ]
    remainder = total - sum((a for a in amounts if a is not None), Decimal(0))
    own = [i for i, share in enumerate(shares) if not share.is_eu_fund]
    own_rates = sum((shares[i].rate for i in own), Decimal(0))
    if not own:
        # Only an EU fund at 100 %: cut_to_cent(total × 1) == total, nothing is left.
        return [a for a in amounts if a is not None]
    if not own_rates:
        # The own sources are all at 0 %; the remainder (cents cut off the fund) goes to the first.
        for i in own:
            amounts[i] = Decimal("0.00")
        amounts[own[0]] = remainder
        return amounts  # type: ignore[return-value]

    exact = {i: remainder * shares[i].rate / own_rates for i in own}
    for i in own:
        amounts[i] = cut_to_cent(exact[i])
    left_cents = int((remainder - sum(amounts[i] for i in own)) / CENT)
    by_fraction = sorted(own, key=lambda i: (-(exact[i] - amounts[i]), i))
    for i in by_fraction[:left_cents]:
        amounts[i] += CENT
    return amounts  # type: ignore[return-value]


def office_costs(staff: Decimal, flat_rate: Decimal) -> Decimal:
    """Office and administration costs: a flat rate of staff costs, cut to the cent."""
    return cut_to_cent(staff * flat_rate / HUNDRED)


def cost_category_problems(
    *, total: Decimal, lines: dict[str, Decimal], office_flat_rate: Decimal
) -> list[str]:
    """What is wrong with a budget's split by cost category (empty when valid or not entered)."""
    if not lines:
        return []
    problems = []
    entered = sum(lines.values(), Decimal(0))
    if entered != total:
        problems.append(
            _("The cost categories add up to %(entered)s, not to the budget total of %(total)s.")
            % {"entered": format_money(entered), "total": format_money(total)}
        )
    if "office" in lines:
        expected = office_costs(lines.get("staff", Decimal(0)), office_flat_rate)
        if lines["office"] != expected:
            problems.append(
                _(
                    "Office and administration is a flat rate of %(rate)s %% of staff costs: "
                    "%(expected)s, not %(entered)s."
                )
                % {
                    "rate": format_number(office_flat_rate),
                    "expected": format_money(expected),
                    "entered": format_money(lines["office"]),
                }
            )
    return problems
