"""Admin for coordinators: a partner's budget, co-financing plan and cost categories; for
project managers, the versions of a project's budget; and the partners in projects, listed
with their budgets in the current version."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from funding.forms import BudgetForm, CoFinancingPlanFormSet, CostCategoryFormSet
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
from funding.selectors import participations_without_current_budget, partner_funding
from funding.services import budget_version_add
from partners.admin_base import PartnerScopedAdmin
from partners.models import Participation
from partners.scoping import editable, in_scope
from projects.admin import ProjectWideAdmin
from urbact_portal.lib.admin_tools import AuditedAdmin, CachedChoicesInline, report_links
from urbact_portal.lib.formatting import format_money, format_percent
from urbact_portal.lib.translation import BothLanguagesAdmin


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


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ProjectWideAdmin, AuditedAdmin, BothLanguagesAdmin):
    """Project managers enter a project's budget versions: a new one starts as a copy of the
    current one (funding/services.py), with who entered it taken from the request."""

    list_display = ["project", "number", "kind", "date", "document_reference", "total"]
    list_filter = ["project", "kind"]
    list_select_related = ["project"]
    search_fields = ["project__acronym", "document_reference_lv", "document_reference_en"]
    fields = [
        "project",
        "number",
        "kind",
        "date",
        "document_reference",
        "document_title",
        "total",
        "entered_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A version stays with its project; its number and who entered it are recorded.
        fixed = ["number", "entered_by"]
        return [*fixed, "project"] if obj is not None else fixed

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            budget_version_add(obj, entered_by=request.user)


@admin.register(Budget)
class BudgetAdmin(PartnerScopedAdmin, AuditedAdmin):
    scope_path = "participation__organisation"
    scoped_foreign_keys = {"participation": "organisation"}
    list_display = [
        "partner",
        "project",
        "budget_version",
        "country",
        "role",
        "total",
        "eu_fund_amount",
    ]
    list_filter = [
        "participation__project",
        "budget_version__kind",
        "participation__role",
        "participation__organisation__city__country",
    ]
    search_fields = [
        "participation__organisation__name",
        "participation__organisation__city__name",
        "participation__project__acronym",
    ]
    list_select_related = [
        "participation__organisation__city",
        "participation__project",
        "budget_version",
    ]
    autocomplete_fields = ["participation"]
    form = BudgetForm
    fields = [
        "participation",
        "budget_version",
        "total",
        "office_flat_rate",
        "expected_version",
        "computed_split",
        "funding_report",
    ]
    # Set from the partner's project (its current version), never chosen (BudgetForm).
    readonly_fields = ["budget_version", "computed_split", "funding_report"]
    inlines = [CoFinancingShareInline, BudgetLineInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "participation__organisation__city", "participation__project", "budget_version"
            )
            .prefetch_related("shares__source", "lines")
        )

    # A superseded version's budgets are for reading: reports were issued on them
    # (funding.models.SUPERSEDED_MESSAGE). The form checks it again under the lock.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.budget_version.is_current)

    def _open_participations(self, request) -> int:
        """How many partners in projects the user may enter a budget for and which have none
        in their project's current version yet (0, 1 or 2: "two or more"; one query per
        request)."""
        if not hasattr(request, "_budgets_to_enter"):
            rows = participations_without_current_budget()
            rows = editable(rows, request.user, "organisation")
            request._budgets_to_enter = len(rows.values_list("pk", flat=True)[:2])
        return request._budgets_to_enter

    # A partner has one budget per version: "add budget" only while one is still missing.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._open_participations(request) > 0

    # Deleting a budget is project-wide work (the delete permission is the Project managers
    # role's, projects/roles.py), for every partner the user sees, not only their own; the
    # budget's history, its deletion included, stays in the trail.
    def has_delete_permission(self, request, obj=None):
        allowed = super(PartnerScopedAdmin, self).has_delete_permission(request, obj)
        current = obj is None or obj.budget_version.is_current
        return allowed and current and in_scope(request.user, obj, self.scope_path)

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
    list_select_related = ["organisation__city", "project"]
    search_fields = ["organisation__name", "organisation__city__name", "project__acronym"]
    autocomplete_fields = ["organisation", "project"]
    readonly_fields = ["budget_link", "funding_report"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation__city", "project")
            .prefetch_related(
                Prefetch(
                    "budgets",
                    queryset=Budget.objects.in_current_versions().prefetch_related(
                        "shares__source", "lines"
                    ),
                    to_attr="current_budgets",
                )
            )
        )

    @staticmethod
    def _current_budget(participation: Participation) -> Budget | None:
        """The partner's budget in its project's current version (what pages show)."""
        budgets = getattr(participation, "current_budgets", None)
        if budgets is None:
            budgets = list(Budget.objects.in_current_versions().filter(participation=participation))
        return budgets[0] if budgets else None

    @admin.display(description=_("country"), ordering="organisation__city__country")
    def country(self, participation: Participation) -> str:
        return participation.organisation.city.country.name

    @admin.display(description=_("budget"))
    def budget_total(self, participation: Participation) -> str:
        funding = partner_funding(participation, self._current_budget(participation))
        return format_money(funding.total) if funding.budget_entered else _("not yet entered")

    @admin.display(description=_("EU fund amount"))
    def eu_fund_amount(self, participation: Participation) -> str:
        funding = partner_funding(participation, self._current_budget(participation))
        part = funding.eu_fund_part
        return format_money(part.amount) if part else "–"

    @admin.display(description=_("budget and co-financing plan"))
    def budget_link(self, participation: Participation) -> str:
        if participation.pk is None:
            return "–"
        budget = self._current_budget(participation)
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
