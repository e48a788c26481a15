from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from audit.models import IssuedReport
from urbact_portal.admin_tools import PortalAdmin, RequestGuards

# The admins that django.contrib.auth and django-axes register, with the portal's guards
# against crafted list requests (a NUL in a filter, a malformed id among an action's rows).
for _model in [get_user_model(), Group, AccessAttempt, AccessLog, AccessFailureLog]:
    _registered = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_registered.__name__, (RequestGuards, _registered), {}))


@admin.register(IssuedReport)
class IssuedReportAdmin(PortalAdmin):
    """The register is a record: readable, searchable by fingerprint, never edited."""

    list_display = ["issued_at", "kind", "project", "participation", "language", "issued_to",
                    "changes_since_previous", "fingerprint"]  # fmt: skip
    list_filter = ["kind", "project", "language"]
    search_fields = ["fingerprint", "issued_to__username"]
    list_select_related = ["project", "participation__organisation", "participation__project",
                           "issued_to"]  # fmt: skip
    date_hierarchy = "issued_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
