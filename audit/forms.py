from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.trail import audited_kinds
from urbact_portal.lib.dates import DATE_VALIDATORS, EARLIEST, LATEST

# The browser's date picker offers only the days the form accepts.
DAY_INPUT = {"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()}


class HistoryFilterForm(forms.Form):
    """The filters of a project's history page (all optional; dates are whole days)."""

    since = forms.DateField(
        label=_("From"),
        required=False,
        validators=DATE_VALIDATORS,
        widget=forms.DateInput(attrs=DAY_INPUT),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        validators=DATE_VALIDATORS,
        widget=forms.DateInput(attrs=DAY_INPUT),
    )
    user = forms.ModelChoiceField(
        label=_("Changed by"),
        queryset=get_user_model().objects.none(),
        required=False,
        to_field_name="username",
        empty_label=_("anyone"),
    )
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.order_by("username")
        self.fields["kind"].choices = [("", _("all")), *audited_kinds()]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the range cannot be before its start."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for audit.trail.project_changes()."""
        data = self.cleaned_data

        def day_start(day: dt.date | None):
            if day is None:
                return None
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

        return {
            "since": day_start(data.get("since")),
            "until": day_start(data["until"] + dt.timedelta(days=1)) if data.get("until") else None,
            "user_id": data["user"].pk if data.get("user") else None,
            "kind": data.get("kind") or None,
        }
