"""The funding rules that changes made in lower apps must keep.

A project's approved total and a partner's project are edited in the projects and partners
apps, which know nothing of budgets; they announce the change (with the projects' rows
locked) and these receivers refuse it with a ValidationError when the partners' budgets would
no longer fit. Connected by FundingConfig.ready().
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from funding.models import Budget
from partners.models import Participation, participation_moving
from projects.models import Project, approved_total_changing
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
