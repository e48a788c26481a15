"""Admin for project-wide data: programmes, projects with their phases and milestones."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from projects.forms import MilestoneFormSet, PhaseFormSet
from projects.models import FundingSource, Milestone, Phase, Programme, Project
from projects.roles import MANAGE_PROJECTS
from urbact_portal.lib.admin_tools import (
    AuditedAdmin,
    CachedChoicesInline,
    report_links,
)
from urbact_portal.lib.translation import BothLanguagesAdmin, BothLanguagesInline

admin.site.site_header = _("URBACT project portal")
admin.site.site_title = _("URBACT project portal")
admin.site.index_title = _("Data administration")


class ProjectWideAdmin(admin.ModelAdmin):
    """Project-wide data (programmes, funding sources, projects, phases, milestones, approved
    totals) is edited only by holders of MANAGE_PROJECTS (project managers) and superusers."""

    def _manages(self, request) -> bool:
        return request.user.has_perm(MANAGE_PROJECTS)

    def has_add_permission(self, request, *args):
        return self._manages(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._manages(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request) and super().has_delete_permission(request, obj)


@admin.register(Programme)
class ProgrammeAdmin(ProjectWideAdmin, AuditedAdmin, BothLanguagesAdmin):
    list_display = ["name", "fund", "period_start", "period_end"]
    list_select_related = ["fund"]
    search_fields = ["name_lv", "name_en"]


class PhaseInline(CachedChoicesInline, BothLanguagesInline, admin.TabularInline):
    model = Phase
    formset = PhaseFormSet
    extra = 0
    fields = ["number", "name", "network_name", "approved_on", "start", "planned_end", "actual_end"]


class MilestoneInline(CachedChoicesInline, BothLanguagesInline, admin.TabularInline):
    model = Milestone
    formset = MilestoneFormSet
    extra = 0
    fields = ["start", "end", "title", "kind", "place", "phase"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this project's phases (one query, not one per row).
        if db_field.name == "phase":
            project_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Phase.objects.filter(project_id=project_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Project)
class ProjectAdmin(ProjectWideAdmin, AuditedAdmin, BothLanguagesAdmin):
    list_display = ["acronym", "name", "programme", "network_type"]
    list_filter = ["programme", "network_type"]
    list_select_related = ["programme"]
    search_fields = ["name_lv", "name_en", "acronym", "slug"]
    prepopulated_fields = {"slug": ["acronym"]}
    readonly_fields = ["funding_report"]
    inlines = [PhaseInline, MilestoneInline]

    @admin.display(description=_("funding report"))
    def funding_report(self, project: Project) -> str:
        return report_links(project) if project.pk else "–"

    def _create_formsets(self, request, obj, change):
        # Milestones are checked against the phases this same save will store (the phase
        # formset), not the stored ones. Django builds the formsets independently; this is
        # where both exist. (The project row is locked by Project.clean before they validate.)
        formsets, inlines = super()._create_formsets(request, obj, change)
        phases = next((f for f in formsets if isinstance(f, PhaseFormSet)), None)
        for formset in formsets:
            if isinstance(formset, MilestoneFormSet):
                formset.phase_formset = phases
        return formsets, inlines


@admin.register(FundingSource)
class FundingSourceAdmin(ProjectWideAdmin, AuditedAdmin, BothLanguagesAdmin):
    list_display = ["short_name", "name", "kind", "code", "position"]
    list_filter = ["kind"]
    search_fields = ["name_lv", "name_en", "short_name_lv", "short_name_en", "code"]
    prepopulated_fields = {"code": ["short_name"]}
