from django.apps import AppConfig


class LibConfig(AppConfig):
    """The shared library, installed only for its template tags (money, dates, portal)."""

    name = "urbact_portal.lib"
    label = "lib"
