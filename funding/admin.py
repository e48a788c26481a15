"""Admin for coordinators: a partner's budget, co-financing plan and cost categories; and the
partners in projects, listed with their budgets."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from funding.forms import BudgetForm, CoFinancingPlanFormSet, CostCategoryFormSet
from funding.models import Budget, BudgetLine, CoFinancingShare
from funding.selectors import partner_funding
from partners.admin_base import PartnerScopedAdmin
from partners.models import Participation
from urbact_portal.lib.admin_tools import AuditedAdmin, CachedChoicesInline, report_links
from urbact_portal.lib.formatting import format_money, format_percent


class CoFinancingShareInline(CachedChoicesInline, admin.TabularInline):
    model = CoFinancingShare
    formset = CoFinancingPlanFormSet
    extra = 0
    min_num = 1
    verbose_name_plural = _("Co-financing plan (the shares add up to 100 %)")


class BudgetLineInline(CachedChoicesInline, admin.TabularInline):
    model = BudgetLine
    formset = CostCategoryFormSet
    extra = 0
    verbose_name_plural = _("Budget by cost category (optional; adds up to the total)")


@admin.register(Budget)
class BudgetAdmin(PartnerScopedAdmin, AuditedAdmin):
    scope_path = "participation__organisation"
    scoped_foreign_keys = {"participation": "organisation"}
    list_display = ["partner", "project", "country", "role", "total", "eu_fund_amount"]
    list_filter = [
        "participation__project",
        "participation__role",
        "participation__organisation__city__country",
    ]
    search_fields = [
        "participation__organisation__name",
        "participation__organisation__city__name",
        "participation__project__acronym",
    ]
    list_select_related = ["participation__organisation__city", "participation__project"]
    autocomplete_fields = ["participation"]
    form = BudgetForm
    fields = [
        "participation",
        "total",
        "office_flat_rate",
        "expected_version",
        "computed_split",
        "funding_report",
    ]
    readonly_fields = ["computed_split", "funding_report"]
    inlines = [CoFinancingShareInline, BudgetLineInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("participation__organisation__city", "participation__project")
            .prefetch_related("shares__source", "lines")
        )

    @admin.display(description=_("partner"), ordering="participation__organisation__name")
    def partner(self, budget: Budget) -> str:
        return str(budget.participation.organisation)

    @admin.display(description=_("project"), ordering="participation__project__acronym")
    def project(self, budget: Budget) -> str:
        return budget.participation.project.acronym

    @admin.display(description=_("country"))
    def country(self, budget: Budget) -> str:
        return budget.participation.organisation.city.country.name

    @admin.display(description=_("role"), ordering="participation__role")
    def role(self, budget: Budget) -> str:
        return budget.participation.get_role_display()

    @admin.display(description=_("EU fund amount"))
    def eu_fund_amount(self, budget: Budget) -> str:
        funding = partner_funding(budget.participation, budget)
        part = funding.eu_fund_part
        return format_money(part.amount) if part else "–"

    @admin.display(description=_("computed split (as saved)"))
    def computed_split(self, budget: Budget) -> str:
        if budget.pk is None:
            return "–"
        funding = partner_funding(budget.participation, budget)
        if not funding.parts:
            return _("No co-financing plan entered yet.")
        return format_html_join(
            "",
            "<div>{}: {} × {} = <strong>{}</strong></div>",
            (
                (
                    p.source,
                    format_money(funding.total),
                    format_percent(p.rate),
                    format_money(p.amount),
                )
                for p in funding.parts
            ),
        )

    @admin.display(description=_("funding report"))
    def funding_report(self, budget: Budget) -> str:
        if budget.pk is None:
            return "–"
        return report_links(budget.participation.project, budget.participation.organisation)


# Registered here, not in partners/admin.py: its list shows each partner's budget.
@admin.register(Participation)
class ParticipationAdmin(PartnerScopedAdmin, AuditedAdmin):
    scope_path = "organisation"
    partner_data = False  # who takes part in a project is project-wide data
    scoped_foreign_keys = {"organisation": "pk"}
    list_display = ["organisation", "project", "country", "role", "budget_total", "eu_fund_amount"]
    list_filter = ["project", "role", "organisation__city__country"]
    list_select_related = ["organisation__city", "project", "budget"]
    search_fields = ["organisation__name", "organisation__city__name", "project__acronym"]
    autocomplete_fields = ["organisation", "project"]
    readonly_fields = ["budget_link", "funding_report"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation__city", "project", "budget")
            .prefetch_related("budget__shares__source", "budget__lines")
        )

    @admin.display(description=_("country"), ordering="organisation__city__country")
    def country(self, participation: Participation) -> str:
        return participation.organisation.city.country.name

    @admin.display(description=_("budget"), ordering="budget__total")
    def budget_total(self, participation: Participation) -> str:
        funding = partner_funding(participation)
        return format_money(funding.total) if funding.budget_entered else _("not yet entered")

    @admin.display(description=_("EU fund amount"))
    def eu_fund_amount(self, participation: Participation) -> str:
        funding = partner_funding(participation)
        part = funding.eu_fund_part
        return format_money(part.amount) if part else "–"

    @admin.display(description=_("budget and co-financing plan"))
    def budget_link(self, participation: Participation) -> str:
        if participation.pk is None:
            return "–"
        budget = getattr(participation, "budget", None)
        if budget is None:
            url = reverse("admin:funding_budget_add") + f"?participation={participation.pk}"
            return format_html('<a href="{}">{}</a>', url, _("Enter the budget"))
        url = reverse("admin:funding_budget_change", args=[budget.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the budget and co-financing plan"))

    @admin.display(description=_("funding report"))
    def funding_report(self, participation: Participation) -> str:
        if participation.pk is None:
            return "–"
        return report_links(participation.project, participation.organisation)
