import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        # WeasyPrint (funding/pdf.py) logs every rendering step, and its own stylesheets at
        # import, at INFO: only its warnings and errors belong in the portal's log.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
