"""Shared admin pieces: sturdy answers to malformed input, the records' history, cheap inline
drop-downs, and links to the funding reports. (Coordinator scoping needs the partners app:
partners/admin_base.py.)"""

from __future__ import annotations

import copy
import json

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from urbact_portal.lib.formsets import RowsFormSet
from urbact_portal.lib.grammar import noun_of

# Django's admin messages that name a record in a Latvian sentence whose words must agree
# with its gender ("budžets … pievienots", "līdzfinansējuma daļa … pievienota"). Listed
# here so that our catalogue carries them (it is read before Django's) with a wording that
# needs no agreement ("Ieraksts pievienots: budžets «…»").
DJANGO_MESSAGES_REWORDED = [
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop("Go"),
    gettext_noop("View on site"),
]


def parse_key(field: models.Field, value):
    """`value` as a value of the key `field`, or ValidationError when it cannot name a row at
    all: malformed ("x"), beyond the column's range or holding a NUL byte. The database
    answers a lookup with such a value with an error (ValueError, an integer overflow on
    SQLite, PostgreSQL's refusal of NUL bytes), not with "no such row"."""
    key = field.to_python(value)
    if key is not None:
        field.run_validators(key)
    if "\x00" in str(key):
        raise ValidationError("NUL", code="null_characters_not_allowed")
    return key


def _is_key(field: models.Field, value) -> bool:
    try:
        parse_key(field, value)
    except ValidationError:
        return False
    return True


class _KnownKeysOnly:
    """An autocomplete widget that shows only values that can name a row. A bound form shown
    again with its errors carries what was posted (or put in the URL), e.g. "x"; Django's
    widget would look that up as it is and fail."""

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        key = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        return super().optgroups(name, [v for v in value if _is_key(key, v)], attr)


class KnownKeysAutocompleteSelect(_KnownKeysOnly, AutocompleteSelect):
    pass


class KnownKeysAutocompleteSelectMultiple(_KnownKeysOnly, AutocompleteSelectMultiple):
    pass


class KnownKeysModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses, as an invalid choice, a value that cannot name a row (Django looks the values
    up with `__in`, which fails on SQLite for an integer beyond 64 bits)."""

    def _check_values(self, value):
        key = self.queryset.model._meta.get_field(
            self.to_field_name or self.queryset.model._meta.pk.name
        )
        for item in value:
            if not _is_key(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class KnownKeysFields:
    """For admins and inlines: relation fields that answer a malformed value with a form
    error, and show the form again without failing."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownKeysAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownKeysAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KnownKeysModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LocalizedNumbers:
    """Decimal and money inputs in the page's language: a Latvian coordinator sees and types
    `85,00`, not `85.00`. Django localizes a field only when asked (`localize=True`), and then
    draws a text input (a browser's number input knows only its own locale's separator);
    `inputmode="decimal"` still brings up the number keyboard on a phone."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField):  # djmoney's MoneyField is one too
            kwargs.setdefault("localize", True)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DecimalField):
            widgets = getattr(field.widget, "widgets", [field.widget])  # money: amount first
            widgets[0].attrs.setdefault("inputmode", "decimal")
        return field


class _InlineWording(helpers.InlineAdminFormSet):
    """Django's "Add another %(verbose_name)s" with the nominative reads "Pievienot vēl
    Līdzfinansējuma daļa"; the accusative reads "Pievienot vēl līdzfinansējuma daļu"."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = gettext("Add another %(verbose_name)s") % {
            "verbose_name": noun_of(self.formset.model).accusative
        }
        return json.dumps(data)


class GrammaticalWording:
    """The admin's titles and buttons with the record's name in the case the sentence needs
    ("Labot budžetu", "Pievienot budžetu", "Izvēlieties budžetu, ko labot"), from the model's
    `noun` (lib/grammar.py). Django puts the nominative verbose name into all of them."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        accusative = noun_of(self.model).accusative
        if add:
            context["title"] = _("Add %s") % accusative
        elif self.has_change_permission(request, obj):
            context["title"] = _("Change %s") % accusative
        else:
            context["title"] = _("View %s") % accusative
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        accusative = noun_of(self.model).accusative
        title = (
            _("Select %s to change")
            if self.has_change_permission(request)
            else _("Select %s to view")
        )
        wording = {"title": title % accusative, "add_label": _("Add %s") % accusative}
        return super().changelist_view(request, {**wording, **(extra_context or {})})

    def delete_view(self, request, object_id, extra_context=None):
        # "Vai tiešām izdzēst budžetu …?": the confirmation's sentences take the accusative.
        wording = {"object_name": str(noun_of(self.model).accusative)}
        return super().delete_view(request, object_id, {**wording, **(extra_context or {})})

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            inline_admin_formset.__class__ = _InlineWording  # the same object, reworded
        return inline_admin_formsets


class RequestGuards:
    """What Django's admin passes on to the database as a request carries it: refused as a
    400 here, for any ModelAdmin (the portal's, and django's, axes' — audit/admin.py)."""

    def changelist_view(self, request, extra_context=None):
        # A filter value such as ?participation__role=%00 goes to the database unchecked, and
        # PostgreSQL refuses text with a NUL byte. No link or form of the admin makes one.
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("A NUL character in the query string.")
        # The rows an action is for are looked up by their ids as posted.
        pk = self.model._meta.pk
        if not all(_is_key(pk, v) for v in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            raise BadRequest("A malformed id among the selected rows.")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete widgets' searches (?term=) come here unchecked (the list's own
        # query string is checked in changelist_view).
        if "\x00" in search_term:
            raise BadRequest("A NUL character in the search term.")
        return super().get_search_results(request, queryset, search_term)


class OccurringChoicesFieldListFilter(admin.ChoicesFieldListFilter):
    """A filter on a field with choices (a country, a role, a kind) that lists only the values
    occurring among the rows the user may see, in the order of their names: Django's lists
    every choice, e.g. some 250 countries for eight partners."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        rows = model_admin.get_queryset(request).order_by()
        occurring = {str(v) for v in rows.values_list(field_path, flat=True).distinct()}
        field = copy.copy(field)
        field.choices = sorted(
            ((value, label) for value, label in field.flatchoices if str(value) in occurring),
            key=lambda choice: str(choice[1]),
        )
        super().__init__(field, request, params, model, model_admin, field_path)

    def has_output(self) -> bool:
        # One value filters nothing: shown from two on, as Django's related-field filters.
        return len(self.field.flatchoices) > 1


def occurring_values_only(model: type[models.Model], list_filter) -> list:
    """`list_filter` with each field named by its path filtered to the values that occur:
    relations by Django's RelatedOnlyFieldListFilter, fields with choices by the filter above.
    The rows counted are those the admin's get_queryset() gives the user (a coordinator's
    own), so a filter names nothing the user may not see."""
    result = []
    for entry in list_filter:
        if isinstance(entry, str):
            field = get_fields_from_path(model, entry)[-1]
            if field.is_relation:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            elif field.choices:
                entry = (entry, OccurringChoicesFieldListFilter)
        result.append(entry)
    return result


class PortalAdmin(
    GrammaticalWording, LocalizedNumbers, KnownKeysFields, RequestGuards, admin.ModelAdmin
):
    """The base of the portal's admins: whatever a request carries, the answer is a page, a
    form error, or a 400/403/404 — never a 500.

    Django's admin already turns most odd list parameters into an empty or unfiltered list;
    RequestGuards refuses what it passes on to the database as it is.

    Its list filters offer only values that occur (occurring_values_only)."""

    def get_list_filter(self, request):
        return occurring_values_only(self.model, super().get_list_filter(request))


class AuditedAdmin(PortalAdmin, SimpleHistoryAdmin):
    """An admin with the record's history (django-simple-history), read-only.

    simple-history's page for an old version accepts a POST that saves it back ("revert")
    after checking only that the user may *view* the history, and without the inline
    forms' rules (a co-financing plan adding up to 100 %, the lost-update guard). Old
    versions are for reading; changes go through the change form.

    The history and its versions are found as the change form finds its record: a malformed
    id, a missing record and a record the user may not see (another partner's) are all a
    404, so the answer tells nothing about rows the user may not see.
    """

    def history_view(self, request, object_id, extra_context=None):
        self._history_record(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_version(request, object_id, version_id)
        if request.method != "GET":
            raise PermissionDenied
        # simple-history builds this page with the class's `prepopulated_fields`, not with
        # get_prepopulated_fields(request): a prepopulated field that is read-only for this
        # user (a coordinator's URL name) is missing from the form, and the page fails
        # (KeyError). Nothing is typed on a page that is only read: prepopulate nothing.
        reader = copy.copy(self)
        reader.prepopulated_fields = {}
        return super(AuditedAdmin, reader).history_form_view(
            request, object_id, version_id, extra_context
        )

    def _history_record(self, request, object_id) -> models.Model:
        """The record whose history is asked for: as it is now or, deleted, as last
        recorded."""
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied  # not a matter of which row: this kind of record
        pk = self._key_or_404(self.model._meta.pk, unquote(object_id))
        record = self.get_queryset(request).filter(pk=pk).first()
        if record is None and not self.model._default_manager.filter(pk=pk).exists():
            history = get_history_manager_for_model(self.model)
            last = history.filter(**{self.model._meta.pk.attname: pk}).first()
            record = last.instance if last is not None else None
        if record is None or not self.has_view_history_or_change_history_permission(
            request, record
        ):
            raise Http404
        return record

    def _history_version(self, request, object_id, version_id) -> models.Model:
        """One old version of a record the user may see, if it is theirs to see too (a row
        can have belonged to another partner before)."""
        record = self._history_record(request, object_id)
        history = get_history_manager_for_model(self.model)
        version_pk = self._key_or_404(history.model._meta.pk, version_id)
        version = history.filter(
            **{self.model._meta.pk.attname: record.pk, history.model._meta.pk.name: version_pk}
        ).first()
        if version is None or not self.has_view_history_or_change_history_permission(
            request, version.instance
        ):
            raise Http404
        return version.instance

    @staticmethod
    def _key_or_404(field: models.Field, value):
        try:
            return parse_key(field, value)
        except ValidationError:
            raise Http404 from None


class CachedChoicesInline(LocalizedNumbers, KnownKeysFields, admin.options.InlineModelAdmin):
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


def report_links(project, organisation=None) -> SafeString:
    """Download links to a project's (or one partner's) funding report, in both languages;
    for the project, partner and budget pages of the admin. The reports app sits above the
    apps whose admins show these links: its URLs are found by name, never imported."""
    if project is None or project.pk is None or (organisation and organisation.pk is None):
        return "–"
    if organisation is None:
        url = reverse("reports:project_report", kwargs={"slug": project.slug})
    else:
        url = reverse(
            "reports:partner_report", kwargs={"slug": project.slug, "partner": organisation.slug}
        )
    return format_html(
        '{} <a href="{}?lang=lv">{}</a> · <a href="{}?lang=en">{}</a>',
        _("Funding report (PDF):"),
        url,
        _("in Latvian"),
        url,
        _("in English"),
    )
