"""What of the funding app is kept in Latvian and in English (django-modeltranslation): the
document a budget version rests on, as a council reads it (projects/translation.py explains
the columns)."""

from modeltranslation.translator import TranslationOptions

from funding.models import BudgetVersion
from urbact_portal.lib.translation import register_with_history


class BudgetVersionOptions(TranslationOptions):
    fields = ("document_reference", "document_title")


register_with_history(BudgetVersion, BudgetVersionOptions)
