"""The roles as the migrations define them: the frozen lists of the newest roles migration
(reports/migrations/0005_claims_roles.py), the one definition of what each role holds."""

import importlib

from django.apps import apps as django_apps

_MIGRATION = importlib.import_module("reports.migrations.0005_claims_roles")
ROLES: dict[str, list[str]] = _MIGRATION.ROLES


def restore_roles() -> None:
    """Apply the roles again: tests on a live server empty the database between tests, the
    data migrations' rows included."""
    models_modules = {config: config.models_module for config in django_apps.get_app_configs()}
    try:
        _MIGRATION.create_roles(django_apps, None)
    finally:  # create_roles marks the app configs as it must in a migration; undo it here
        for config, module in models_modules.items():
            config.models_module = module
