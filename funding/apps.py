from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        # The budget rules that a project's approved total and a partner's move must keep.
        from funding import receivers  # noqa: F401
