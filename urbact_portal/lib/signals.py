"""Signals by which a lower app asks a higher one to keep its rules (README, "Code layout")."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal


class RuleSignal(Signal):
    """A signal whose receivers keep a rule: sent with nobody listening, the rule would pass
    silently, so that is refused (e.g. the higher app left out of INSTALLED_APPS, or its
    receivers not connected in its AppConfig.ready())."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def send(self, sender, **named):
        if not self.has_listeners(sender):
            raise ImproperlyConfigured(f"No app keeps the rules asked for by {self.name}.")
        return super().send(sender, **named)
