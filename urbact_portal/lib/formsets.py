"""Inline formsets whose rules see exactly the rows that will be stored.

Django's model formsets save less than they receive, silently:
- an "initial" form whose id is not one of the parent's rows (a crafted POST naming another
  partner's co-financing share) is skipped when saving;
- an extra form that did not change is skipped;
- a stored row that the POST leaves out altogether (a lowered INITIAL_FORMS) stays as it is;
- two forms naming the same row both "save" it, the last one winning.
A rule that adds up the submitted forms ("the shares make 100 %") therefore checks rows that
will never be stored and misses rows that stay. `RowsFormSet` refuses the crafted cases with
a form error and gives its rules `rows_to_store()`: the values of every row that will exist
once the formset is saved, computed the way `BaseModelFormSet.save()` decides.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class RowsFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set = set()
        for form in self.initial_forms:
            instance = form.instance
            if instance.pk is None or instance._state.adding:
                # Missing, malformed or foreign id: the id field's own error says the first
                # two; a well-formed id of another record's row gets this one. So does any
                # bad id on a form marked for deletion, whose own errors Django does not show.
                pk_name = self.model._meta.pk.name
                if pk_name not in form.errors or self._will_delete(form):
                    raise ValidationError(
                        _(
                            "The form names a row that does not belong to this record. Reload "
                            "the page and enter your changes again."
                        ),
                        code="foreign_row",
                    )
                continue
            if instance.pk in seen:
                raise ValidationError(
                    _("The form names the same row twice. Reload the page and try again."),
                    code="duplicate_row",
                )
            seen.add(instance.pk)

    def _will_delete(self, form: forms.Form) -> bool:
        return self.can_delete and self._should_delete_form(form)

    def rows_to_store(self) -> list[dict]:
        """Each row's field values once the formset is saved (call when it has no errors):
        the forms that will be saved, and the parent's stored rows that no form names."""
        rows = []
        named = set()
        for form in self.initial_forms:
            named.add(form.instance.pk)
            if not self._will_delete(form):
                rows.append(form.cleaned_data)
        for form in self.extra_forms:
            if form.has_changed() and not self._will_delete(form):
                rows.append(form.cleaned_data)
        if self.instance.pk is not None:
            names = list(self.form.base_fields)
            # Read again (not the formset's cached queryset): the caller's transaction may
            # have locked the parent since the formset was built.
            stored = self.model._default_manager.filter(**{self.fk.name: self.instance})
            for row in stored.exclude(pk__in=named - {None}):
                rows.append({name: getattr(row, name) for name in names if hasattr(row, name)})
        return rows

    def delete_existing(self, obj, commit: bool = True) -> None:
        # The form has already copied what was typed into `obj`; the audit trail must record
        # the row as it was stored, not as a deleting form claims it was.
        if commit:
            obj.refresh_from_db()
        super().delete_existing(obj, commit=commit)
