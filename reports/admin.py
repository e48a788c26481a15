from django.contrib import admin

from reports.models import IssuedReport
from urbact_portal.lib.admin_tools import PortalAdmin


@admin.register(IssuedReport)
class IssuedReportAdmin(PortalAdmin):
    """The register is a record: readable, searchable by fingerprint, never edited."""

    list_display = ["issued_at", "kind", "project", "participation", "language", "issued_to",
                    "changes_since_previous", "fingerprint"]  # fmt: skip
    list_filter = ["kind", "project", "language"]
    search_fields = ["fingerprint", "pdf_sha256", "issued_to__username"]
    list_select_related = ["project", "participation__organisation", "participation__project",
                           "issued_to"]  # fmt: skip
    date_hierarchy = "issued_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
