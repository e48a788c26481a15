"""Content in both languages (django-modeltranslation): registration with the audit trail,
and the admin that shows the Latvian and English fields side by side.

django-simple-history builds each historical model when its model class is ready, before
django-modeltranslation adds the `<field>_lv`/`<field>_en` columns; registering the
historical model with the same options gives it those columns, so the trail records (and
shows) a change made in either language.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationInlineModelAdmin
from modeltranslation.translator import NotRegistered, TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname

# The languages content is kept in: the site's languages (settings.LANGUAGES).
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def register_with_history(model, options: type[TranslationOptions]) -> None:
    translator.register(model, options)
    historical = model.history.model
    translator.register(historical, options)
    # Bulk writes record the fields listed when the historical model was built: add ours.
    historical.tracked_fields = [
        *historical.tracked_fields,
        *(
            model._meta.get_field(build_localized_fieldname(name, lang))
            for name in options.fields
            for lang in LANGUAGES
        ),
    ]


def translated_fields(model) -> tuple[str, ...]:
    """The names of `model`'s fields kept in both languages (empty when none are)."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def pair_languages(fields) -> list:
    """`[..., "name_lv", "name_en", ...]` → `[..., ("name_lv", "name_en"), ...]`: one row."""
    paired, fields = [], list(fields)
    while fields:
        field = fields.pop(0)
        if isinstance(field, str) and field.endswith("_lv") and fields:
            twin = field[:-3] + "_en"
            if fields[0] == twin:
                paired.append((field, fields.pop(0)))
                continue
        paired.append(field)
    return paired


def one_language_required(form_class: type[forms.ModelForm], model) -> type[forms.ModelForm]:
    """The base form for `model`'s admin form, refusing a required text (a name, a title)
    left empty in both languages: one language is enough, the pages fall back to it.

    Given to the admin as the base class, before its fields are built: subclassing a built
    form would build them again, and list a drop-down's choices (a query) a second time."""
    required = [f for f in translated_fields(model) if not model._meta.get_field(f).blank]
    if not required:
        return form_class

    class OneLanguageRequired(form_class):
        def clean(self):
            data = super().clean()
            for name in required:
                fields = [build_localized_fieldname(name, lang) for lang in LANGUAGES]
                if all(f in self.fields for f in fields) and not any(data.get(f) for f in fields):
                    self.add_error(fields[0], _("Enter it in Latvian or in English."))
            return data

    OneLanguageRequired.__name__ = form_class.__name__
    return OneLanguageRequired


class _EitherLanguage:
    """modeltranslation makes the default language's field required; here either language
    is enough (one_language_required checks that one is given), the pages fall back."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and hasattr(db_field, "translated_field"):
            field.required = False
        return field


class BothLanguagesAdmin(_EitherLanguage, TranslationAdmin):
    """The Latvian and English fields of a text side by side, on one row."""

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": pair_languages(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", one_language_required(self.form, self.model))
        return super().get_form(request, obj, change=change, **kwargs)


class BothLanguagesInline(_EitherLanguage, TranslationInlineModelAdmin):
    """An inline whose texts have a Latvian and an English column."""

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": pair_languages(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", one_language_required(self.form, self.model))
        return super().get_formset(request, obj, **kwargs)
