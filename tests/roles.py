"""The roles as the migrations define them: the frozen lists of the newest roles migration
(the last file in reports/migrations defining ROLES), the one definition of what each role holds."""

import importlib
from pathlib import Path

from django.apps import apps as django_apps

_MIGRATION = importlib.import_module(
    "reports.migrations."
    + max(
        path.stem
        for path in (Path(__file__).parent.parent / "reports" / "migrations").glob("0*.py")
        if "\nROLES = " in path.read_text()
    )
)
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
