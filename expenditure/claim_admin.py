"""Admin for ERDF payment claims and the own organisation's state co-financing: project
managers record them for every partner, coordinators for their own organisations
(expenditure/claim_scoping.py). Another partner's claim is a 404; another partner in a posted
form is a form error; a claim above the ERDF due is a form error (Claim.clean, on the stored
rows under the project's lock, inside the admin's transaction)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy

from expenditure import claim_scoping
from expenditure.claim_models import Claim, StateCoFinancing
from expenditure.models import ReportingPeriod
from partners.models import Participation
from urbact_portal.lib.admin_tools import AuditedAdmin
from urbact_portal.lib.formatting import format_money


class _PartnerScoped(AuditedAdmin):
    """Rows of a partner: seen as its expenditure is, recorded as claim_scoping says."""

    def get_queryset(self, request):
        rows = (
            super()
            .get_queryset(request)
            .select_related("participation__organisation", "participation__project")
        )
        return claim_scoping.visible(rows, request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404  # missing or another partner's: the same answer
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and claim_scoping.may_record(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and claim_scoping.may_record(request.user, obj)

    def partners(self, request):
        rows = Participation.objects.select_related("organisation", "project")
        return claim_scoping.recordable(rows, request.user, "organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participation":
            kwargs["queryset"] = self.partners(request)
        elif db_field.name == "period":
            kwargs["queryset"] = ReportingPeriod.objects.filter(
                project__in=self.partners(request).values("project")
            ).select_related("project")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("partner"), ordering="participation__organisation")
    def partner(self, row) -> str:
        return str(row.participation.organisation)


@admin.register(Claim)
class ClaimAdmin(_PartnerScoped):
    list_display = [
        "partner",
        "period_number",
        "reference",
        "claimed_on",
        "claimed",
        "received_on",
        "received",
    ]
    list_filter = ["participation__project", "participation__organisation"]
    list_select_related = ["participation__organisation", "period"]
    search_fields = ["reference"]
    fields = [
        "participation",
        "period",
        "reference",
        "claimed_on",
        "claimed",
        "received_on",
        "received",
    ]

    @admin.display(description=gettext_lazy("period"), ordering="period__number")
    def period_number(self, claim: Claim) -> int:
        return claim.period.number


@admin.register(StateCoFinancing)
class StateCoFinancingAdmin(_PartnerScoped):
    list_display = ["partner", "applied_on", "applied", "advance_received", "final_received"]
    fields = [
        "participation",
        "applied_on",
        "applied",
        "advance_rate",
        "advance_due",
        "advance_received_on",
        "advance_received",
        "final_due",
        "final_received_on",
        "final_received",
    ]
    readonly_fields = ["advance_due", "final_due"]

    def partners(self, request):
        own = settings.PORTAL_OWN_ORGANISATION
        return super().partners(request).filter(organisation__slug=own)

    @admin.display(description=gettext_lazy("advance due"))
    def advance_due(self, row: StateCoFinancing) -> str:
        due = row.instalments if row.pk else None
        return format_money(due[0]) if due else "–"

    @admin.display(description=gettext_lazy("due after the final report"))
    def final_due(self, row: StateCoFinancing) -> str:
        due = row.instalments if row.pk else None
        return format_money(due[1]) if due else "–"
