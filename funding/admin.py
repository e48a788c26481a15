"""Admin for coordinators: a partner's budget, co-financing plan and cost categories."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from funding.formatting import format_money, format_percent
from funding.forms import BudgetForm, CoFinancingPlanFormSet, CostCategoryFormSet
from funding.models import Budget, BudgetLine, CoFinancingShare, FundingSource
from funding.selectors import partner_funding
from urbact_portal.admin_tools import AuditedAdmin, CachedChoicesInline, PartnerScopedAdmin


def report_links(project, organisation=None) -> SafeString:
    """Download links to a project's (or one partner's) funding report, in both languages;
    for the project and partner pages of the admin."""
    if project is None or project.pk is None or (organisation and organisation.pk is None):
        return "–"
    if organisation is None:
        url = reverse("funding:project_report", kwargs={"slug": project.slug})
    else:
        url = reverse(
            "funding:partner_report", kwargs={"slug": project.slug, "partner": organisation.slug}
        )
    return format_html(
        '{} <a href="{}?lang=lv">{}</a> · <a href="{}?lang=en">{}</a>',
        _("Funding report (PDF):"),
        url,
        _("in Latvian"),
        url,
        _("in English"),
    )


@admin.register(FundingSource)
class FundingSourceAdmin(AuditedAdmin):
    list_display = ["short_name", "name", "kind", "code", "position"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {"code": ["short_name"]}


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
