"""Shared admin pieces."""

from django.contrib import admin


class CachedChoicesInline(admin.options.InlineModelAdmin):
    """An inline whose drop-downs query their choices once per page, not once per row.

    Django evaluates a ModelChoiceField's queryset each time a row renders its <select>;
    with twenty milestones that is twenty identical queries. Listing the choices once when
    the formset's form class is built keeps a page's query count independent of its rows.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # The key to the parent object is replaced by a hidden field; autocomplete widgets
        # load their choices on demand. Everything else becomes a plain list.
        to_parent = db_field.remote_field.model is self.parent_model
        if field is not None and not to_parent and db_field.name not in self.autocomplete_fields:
            field.choices = list(iter(field.choices))  # iter(): no COUNT query first
        return field
