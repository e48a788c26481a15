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
from partners.scoping import editable, in_scope
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

    def _open_participations(self, request) -> int:
        """How many partners in projects the user may enter a budget for and which have none
        yet (0, 1 or 2: "two or more"; one query per request)."""
        if not hasattr(request, "_budgets_to_enter"):
            rows = Participation.objects.filter(budget__isnull=True)
            rows = editable(rows, request.user, "organisation")
            request._budgets_to_enter = len(rows.values_list("pk", flat=True)[:2])
        return request._budgets_to_enter

    # A partner has one budget per project: "add budget" only while one is still missing.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._open_participations(request) > 0

    # Deleting a budget is project-wide work (the delete permission is the Project managers
    # role's, projects/roles.py), for every partner the user sees, not only their own; the
    # budget's history, its deletion included, stays in the trail.
    def has_delete_permission(self, request, obj=None):
        allowed = super(PartnerScopedAdmin, self).has_delete_permission(request, obj)
        return allowed and in_scope(request.user, obj, self.scope_path)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # "Save and add another" only when another budget is left to enter after this one
        # (on a change form, has_add_permission already says so).
        if object_id is None and self._open_participations(request) < 2:
            extra_context = {**(extra_context or {}), "show_save_and_add_another": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

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
