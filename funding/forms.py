"""Admin formsets that enforce the rules spanning several rows of a budget."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from funding import rules


def _live_forms(formset: forms.BaseInlineFormSet):
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        yield form


class CoFinancingPlanFormSet(forms.BaseInlineFormSet):
    """The shares must add up to 100 %, with at most one EU fund (funding/rules.py)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        shares = [
            rules.Share(
                key=form.cleaned_data["source"].pk,
                rate=form.cleaned_data["rate"],
                is_eu_fund=form.cleaned_data["source"].is_eu_fund,
            )
            for form in _live_forms(self)
            if form.cleaned_data.get("source") and form.cleaned_data.get("rate") is not None
        ]
        problems = rules.plan_problems(shares)
        if problems:
            raise ValidationError(problems)


class CostCategoryFormSet(forms.BaseInlineFormSet):
    """Cost categories, where entered, add up to the budget total and office costs follow
    the flat rate (funding/rules.py)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.total is None:
            return
        lines = {
            form.cleaned_data["category"]: form.cleaned_data["amount"].amount
            for form in _live_forms(self)
            if form.cleaned_data.get("category") and form.cleaned_data.get("amount") is not None
        }
        problems = rules.cost_category_problems(
            total=self.instance.total.amount,
            lines=lines,
            office_flat_rate=self.instance.office_flat_rate or Decimal(0),
        )
        if problems:
            raise ValidationError(problems)
