from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        # The budget and plan rules that a partner's move and a
        # funding source's kind must keep (RuleSignal refuses to send with nobody listening).
        from funding import receivers  # noqa: F401
