"""The funding rules that changes made in lower apps must keep.

A project's approved total, a partner's project and a funding source's kind are edited in
the projects and partners apps, which know nothing of budgets; they announce the change
(with the projects' rows locked) and these receivers refuse it with a ValidationError, or
name the problems, when the partners' budgets or plans would no longer hold. Connected by
FundingConfig.ready().
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from funding import rules
from funding.models import Budget, CoFinancingShare
from partners.models import Participation, participation_moving
from projects.models import (
    FundingSource,
    Project,
    approved_total_changing,
    funding_source_kind_changing,
)
from urbact_portal.lib.formatting import format_money


@receiver(approved_total_changing)
def refuse_approved_below_allocated(sender, *, project: Project, stored_total: Money, **kwargs):
    """The approved total may not be lowered below what the partners' budgets add up to. A
    project already over-allocated (data from before this rule) can still be saved as long
    as its total is not lowered."""
    allocated = Budget.objects.allocated_in(project)
    if project.approved_total < allocated and project.approved_total < stored_total:
        raise ValidationError(
            {
                "approved_total": _(
                    "The partners' budgets already add up to %(allocated)s: the approved "
                    "total cannot be less."
                )
                % {"allocated": format_money(allocated)}
            }
        )


@receiver(participation_moving)
def refuse_budget_that_does_not_fit(sender, *, participation: Participation, **kwargs):
    """A partner moved to another project takes its budget along: it must fit there."""
    budget = Budget.objects.filter(participation=participation).first()
    if budget is None:
        return
    project = Project.objects.get(pk=participation.project_id)
    available = project.approved_total - Budget.objects.allocated_in(project)
    if budget.total > available:
        raise ValidationError(
            {
                "project": _(
                    "This partner's budget of %(total)s does not fit in the project's "
                    "approved total: %(available)s is left there."
                )
                % {"total": format_money(budget.total), "available": format_money(available)}
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
