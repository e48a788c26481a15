"""What of the projects app is kept in Latvian and in English (django-modeltranslation).

Each field listed gets `<field>_lv` and `<field>_en` columns beside it; `<field>` reads the
page's language, falling back to the other. Slugs, codes and acronyms are the same in both.
The audit trail's historical models get the same columns, so a change to either language is
recorded (urbact_portal/lib/translation.py).
"""

from modeltranslation.translator import TranslationOptions

from projects.models import FundingSource, Milestone, Phase, Programme, Project
from urbact_portal.lib.translation import register_with_history


class FundingSourceOptions(TranslationOptions):
    fields = ("name", "short_name")


class ProgrammeOptions(TranslationOptions):
    fields = ("name",)
    # A programme's name is unique in each language; an empty one is NULL, so that several
    # programmes may leave the same language empty.
    empty_values = {"name": None}


class ProjectOptions(TranslationOptions):
    fields = ("name", "description")


class PhaseOptions(TranslationOptions):
    fields = ("name", "network_name")


class MilestoneOptions(TranslationOptions):
    fields = ("title", "place")


register_with_history(FundingSource, FundingSourceOptions)
register_with_history(Programme, ProgrammeOptions)
register_with_history(Project, ProjectOptions)
register_with_history(Phase, PhaseOptions)
register_with_history(Milestone, MilestoneOptions)
