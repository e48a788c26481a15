"""The grammar of the record names the admin and the audit trail put into sentences.

English needs nothing of this; Latvian does. Django's admin builds its titles and buttons as
"Change %s", "Add %s", "Add another %(verbose_name)s" with the model's name as it is (the
nominative: "Labot budžets"), and words that describe a record agree with its gender
("līdzfinansējuma daļa … izveidota", "budžets … izveidots"). Each model says once, as a
`noun` class attribute, its gender and its accusative; the admin (admin_tools.py) and the
trail (audit/trail.py) read it from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

MASCULINE = "masculine"
FEMININE = "feminine"


@dataclass(frozen=True)
class Noun:
    gender: str  # MASCULINE or FEMININE: the gender of the model's Latvian verbose_name
    accusative: str | Promise  # pgettext_lazy("accusative", "budget") → "budžetu"


# Django's own models, which we cannot give a `noun` attribute, by their label.
OTHER_NOUNS = {
    "auth.user": Noun(MASCULINE, pgettext_lazy("accusative", "user")),
    "auth.group": Noun(FEMININE, pgettext_lazy("accusative", "group")),
}


def noun_of(model: type[models.Model] | models.Model) -> Noun:
    """The model's `noun`; a model without one keeps its verbose name, as Django has it."""
    noun = getattr(model, "noun", None)
    if isinstance(noun, Noun):
        return noun
    known = OTHER_NOUNS.get(model._meta.label_lower)
    return known or Noun(gender=MASCULINE, accusative=model._meta.verbose_name)
