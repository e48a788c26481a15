"""What of the partners app is kept in Latvian and in English (see projects/translation.py).

An organisation's `local_name` is its name in its own country's language and stays one field.
"""

from modeltranslation.translator import TranslationOptions

from partners.models import City, Initiative, Organisation
from urbact_portal.lib.translation import register_with_history


class CityOptions(TranslationOptions):
    fields = ("name",)


class OrganisationOptions(TranslationOptions):
    fields = ("name",)


class InitiativeOptions(TranslationOptions):
    fields = ("title", "description")


register_with_history(City, CityOptions)
register_with_history(Organisation, OrganisationOptions)
register_with_history(Initiative, InitiativeOptions)
