"""Shared admin pieces: coordinator scoping and cheap inline drop-downs."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from partners.scoping import editable, in_scope, may_edit, scope
from urbact_portal.formsets import RowsFormSet


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin with the record's history (django-simple-history), read-only.

    simple-history's page for an old version accepts a POST that saves it back ("revert")
    after checking only that the user may *view* the history, and without the inline
    forms' rules (a co-financing plan adding up to 100 %, the lost-update guard). Old
    versions are for reading; changes go through the change form.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


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


class CachedChoicesInline(admin.options.InlineModelAdmin):
    """An inline whose drop-downs query their choices once per page, not once per row.

    Django evaluates a ModelChoiceField's queryset each time a row renders its <select>;
    with twenty milestones that is twenty identical queries. Listing the choices once when
    the formset's form class is built keeps a page's query count independent of its rows.

    Its formset refuses forged row ids and records deleted rows as stored (RowsFormSet).
    """

    formset = RowsFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # The key to the parent object is replaced by a hidden field; autocomplete widgets
        # load their choices on demand. Everything else becomes a plain list.
        to_parent = db_field.remote_field.model is self.parent_model
        if field is not None and not to_parent and db_field.name not in self.autocomplete_fields:
            field.choices = list(iter(field.choices))  # iter(): no COUNT query first
        return field


class ProjectWideAdmin(admin.ModelAdmin):
    """Project-wide data (programme, project, phases, milestones, approved total) is edited
    only by holders of `projects.manage_project` (project managers) and superusers."""

    def _manages(self, request) -> bool:
        return request.user.has_perm("projects.manage_project")

    def has_add_permission(self, request, *args):
        return self._manages(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._manages(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request) and super().has_delete_permission(request, obj)
