"""The funding rules that changes made in lower apps must keep.

A partner's project and a funding source's kind are edited in
the projects and partners apps, which know nothing of budgets; they announce the change
(with the projects' rows locked) and these receivers refuse it with a ValidationError, or
name the problems, when the partners' budgets or plans would no longer hold. Connected by
FundingConfig.ready().
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from funding import rules
from funding.models import Budget, CoFinancingShare
from partners.models import Participation, participation_moving
from projects.models import FundingSource, funding_source_kind_changing


@receiver(participation_moving)
def refuse_moving_a_partner_with_budgets(sender, *, participation: Participation, **kwargs):
    """A partner's budgets belong to the versions of its project's budget (and reports were
    issued on them): a partner with a budget stays in its project. Enter it in the other
    project as a new partner instead."""
    if Budget.objects.filter(participation_id=participation.pk).exists():
        raise ValidationError(
            {
                "project": _(
                    "This partner has a budget in this project's budget versions, so it stays "
                    "in this project: enter it in the other project as a new partner."
                )
            }
        )


@receiver(funding_source_kind_changing)
def plans_broken_by_kind(sender, *, source: FundingSource, **kwargs) -> list[str]:
    """The co-financing plans that `source`, with its new kind, would make invalid (e.g. two
    EU funds in one plan), named so the manager knows which to change first. The caller
    holds every project's lock; the budgets using the source are locked too, in key order."""
    budgets = list(
        Budget.objects.filter(
            pk__in=CoFinancingShare.objects.filter(source=source).values("budget")
        )
        .select_for_update(of=("self",))
        .order_by("pk")
        .select_related("participation__organisation", "participation__project")
    )
    shares = CoFinancingShare.objects.filter(budget__in=budgets).select_related("source")
    plans: dict[int, list[rules.Share]] = {}
    for share in shares:
        is_eu_fund = source.is_eu_fund if share.source_id == source.pk else share.source.is_eu_fund
        plans.setdefault(share.budget_id, []).append(
            rules.Share(key=share.source_id, rate=share.rate, is_eu_fund=is_eu_fund)
        )
    problems: dict[str, list[str]] = {}
    for budget in budgets:
        for problem in rules.plan_problems(plans.get(budget.pk, [])):
            part = budget.participation
            problems.setdefault(problem, []).append(f"{part.organisation} ({part.project.acronym})")
    return [
        _("%(problem)s This change would break the plans of: %(plans)s.")
        % {"problem": problem, "plans": ", ".join(names)}
        for problem, names in problems.items()
    ]
