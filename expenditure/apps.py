from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpenditureConfig(AppConfig):
    name = "expenditure"
    verbose_name = _("Expenditure")
