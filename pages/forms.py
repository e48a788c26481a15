"""The search form of the index of projects (one GET form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from projects.selectors import PHASE_STATES

# Labels of the states of projects.timeline.PhaseStatus, as the index's cards say them.
STATE_LABELS = {
    "before": _("Not started yet"),
    "running": _("Running"),
    "between": _("Between phases"),
    "completed": _("Completed"),
    "empty": _("No phases entered yet"),
}


class ProjectSearchForm(forms.Form):
    """What the index is narrowed to; every field optional, empty means everything."""

    q = forms.CharField(
        label=_("Name, acronym or partner"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    country = forms.ChoiceField(label=_("Partner country"), required=False)
    status = forms.ChoiceField(label=_("Now"), required=False)

    def __init__(self, *args, country_codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        named = sorted(((code, countries.name(code)) for code in country_codes), key=_by_name)
        self.fields["country"].choices = [("", pgettext_lazy("country", "any")), *named]
        self.fields["status"].choices = [
            ("", pgettext_lazy("where a project stands", "any")),
            *((state, STATE_LABELS[state]) for state in PHASE_STATES),
        ]

    def search(self) -> dict:
        """Keyword arguments for pages.selectors.own_projects() (call when valid)."""
        data = self.cleaned_data
        return {
            "text": data["q"] or None,
            "country": data["country"] or None,
            "state": data["status"] or None,
        }


def _by_name(choice: tuple[str, str]) -> str:
    return str(choice[1])
