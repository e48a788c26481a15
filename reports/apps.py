import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Funding reports")

    def ready(self) -> None:
        # WeasyPrint (reports/pdf.py) logs every rendering step, and its own stylesheets at
        # import, at INFO: only its warnings and errors belong in the portal's log.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
