"""Admin formsets that enforce the rules spanning several rows of a budget."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from funding import rules
from funding.models import SUPERSEDED_MESSAGE, Budget, BudgetVersion
from funding.services import NO_VERSION_MESSAGE
from projects.models import Project
from urbact_portal.lib.formsets import RowsFormSet


class CoFinancingPlanFormSet(RowsFormSet):
    """A budget entered in the admin has a co-financing plan of at least one share, on add
    and on change; the shares add up to 100 %, with at most one EU fund (funding/rules.py).

    The rules see the rows that will be stored, so neither deleting every share nor a POST
    with fewer forms (a lowered MIN_NUM_FORMS or TOTAL_FORMS) leaves a budget without a plan.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        shares = [
            rules.Share(key=row["source"].pk, rate=row["rate"], is_eu_fund=row["source"].is_eu_fund)
            for row in self.rows_to_store()
            if row.get("source") and row.get("rate") is not None
        ]
        if not shares:
            raise ValidationError(
                _(
                    "Enter the co-financing plan: at least one funding source with its share "
                    "of the budget."
                ),
                code="no_plan",
            )
        problems = rules.plan_problems(shares)
        if problems:
            raise ValidationError(problems)


class CostCategoryFormSet(RowsFormSet):
    """Cost categories, where entered, add up to the budget total and office costs follow
    the flat rate (funding/rules.py)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.total is None:
            return
        lines = {
            row["category"]: row["amount"].amount
            for row in self.rows_to_store()
            if row.get("category") and row.get("amount") is not None
        }
        problems = rules.cost_category_problems(
            total=self.instance.total.amount,
            lines=lines,
            office_flat_rate=self.instance.office_flat_rate or Decimal(0),
        )
        if problems:
            raise ValidationError(problems)


class BudgetForm(forms.ModelForm):
    """The budget form, with a guard against lost updates.

    The version the coordinator started from travels with the form. If someone else saved
    the budget in the meantime, the form is refused with a conflict message and keeps
    everything the coordinator typed, so nothing is lost and nothing is overwritten.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Budget
        fields = ["participation", "total", "office_flat_rate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        participation = cleaned.get("participation")
        if participation is None and self.instance.participation_id:
            participation = self.instance.participation
        if participation is not None:
            # The project first, then the budget: the order every write of budget totals
            # takes its locks in (ProjectQuerySet.locked), so two saves cannot deadlock.
            # Budget.clean then checks the project's allocated sum under this lock.
            Project.objects.locked(participation.project_id)
        if self.instance.pk is None and participation is not None:
            self.instance.budget_version = self._current_version(participation)
        if participation is not None:
            self._once_per_version(participation)
        if self.instance.pk is None:
            return cleaned
        # Lock the row until this request's transaction ends (ATOMIC_REQUESTS), so two
        # saves cannot both pass this check.
        current = Budget.objects.select_for_update().filter(pk=self.instance.pk).first()
        expected = cleaned.get("expected_version")
        if current is None or expected != current.version:
            last = current.history.select_related("history_user").first() if current else None
            raise ValidationError(
                _(
                    "Someone else (%(user)s, %(when)s) saved this budget while you were "
                    "editing it. Your changes are NOT saved and are still in this form: open "
                    "the budget in a new tab to see the other changes, then enter yours again."
                )
                % {
                    "user": (last.history_user if last and last.history_user else _("unknown")),
                    "when": (
                        date_format(localtime(last.history_date), "DATETIME_FORMAT")
                        if last
                        else "?"
                    ),
                },
                code="conflict",
            )
        if not current.budget_version.is_current:
            raise ValidationError(SUPERSEDED_MESSAGE, code="superseded")
        return cleaned

    @staticmethod
    def _current_version(participation) -> BudgetVersion:
        """A new budget is entered in the current version of the partner's project (read
        under the project's lock)."""
        version = BudgetVersion.objects.current_of(participation.project_id)
        if version is None:
            raise ValidationError(NO_VERSION_MESSAGE, code="no_version")
        return version

    def _once_per_version(self, participation) -> None:
        # The version is not a field of the form, so Django would not check the constraint.
        version = self.instance.budget_version
        others = Budget.objects.filter(participation=participation, budget_version=version)
        if others.exclude(pk=self.instance.pk).exists():
            self.add_error(
                "participation",
                _("This partner already has a budget in this version (%(version)s).")
                % {"version": version},
            )
