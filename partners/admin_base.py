"""The admin base class for rows that belong to a partner organisation (coordinator scoping)."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404

from partners.scoping import editable, in_scope, may_edit, scope


class PartnerScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin for rows that belong to a partner organisation (partners/scoping.py has
    the rule): a coordinator sees only their own organisations' rows, and partner data is
    changed only for the organisations one coordinates.

    `scope_path` leads from the model to its Organisation (e.g. "participation__organisation").
    `scoped_foreign_keys` maps a foreign key to the path from *its* model to Organisation, so
    that nobody can attach partner data to a partner they do not coordinate.
    `partner_data` is False for project-wide rows (participations): changed by whoever holds
    the model permission, within what they may see.
    """

    scope_path: str = ""
    scoped_foreign_keys: dict[str, str] = {}
    partner_data: bool = True

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self.scope_path)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Missing, or another partner's row: a 404 either way, so the answer tells
            # nothing about other partners (Django would redirect with a message).
            raise Http404
        return obj

    # Object-level checks matter where a row is reached without get_queryset(), e.g. an
    # old version of another partner's row in the history views.
    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and in_scope(request.user, obj, self.scope_path)

    def _may_write(self, request, obj) -> bool:
        if self.partner_data:
            return may_edit(request.user, obj, self.scope_path)
        return in_scope(request.user, obj, self.scope_path)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._may_write(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = self.scoped_foreign_keys.get(db_field.name)
        if path is not None:
            if "queryset" in kwargs:
                queryset = kwargs["queryset"]
            else:
                queryset = db_field.remote_field.model._default_manager.all()
            limit = editable if self.partner_data else scope
            kwargs["queryset"] = limit(queryset, request.user, path)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
