"""The portal's roles: Django groups and the permissions each holds.

The groups are created by the data migrations reports/migrations/0002_roles.py and later
ones (in the top app whose permissions the roles hold), each applying a frozen copy of these
lists, the latest being the current one: when this
file changes, add one more migration with the new lists written out
(tests/test_roles_admin.py compares the migrated groups with ROLES). Which organisations a
coordinator may edit is data (Organisation.coordinators), applied in the admin by
partners/scoping.py.

A role's name only finds its group, to give or take the role; what a user may do follows
from the permissions they hold and their assignments, never from a group's name. Renaming
or deleting a group can therefore only take rights away.
"""

from __future__ import annotations

COUNCIL_STAFF = "Council staff"
COORDINATORS = "Coordinators"
AUDITORS = "Auditors"
PROJECT_MANAGERS = "Project managers"

READ_PAGES_AND_REPORTS = ["projects.view_portal", "funding.view_funding_report"]

# Partner data a coordinator keeps up to date (scoped to their own organisations).
PARTNER_DATA = [
    "partners.view_organisation",
    "partners.change_organisation",
    "partners.view_city",
    "partners.view_participation",
    "partners.view_initiative",
    "partners.add_initiative",
    "partners.change_initiative",
    "partners.delete_initiative",
    "funding.view_fundingsource",
    *(f"funding.{action}_budget" for action in ("view", "add", "change")),
    *(
        f"funding.{action}_{model}"
        for model in ("budgetline", "cofinancingshare")
        for action in ("view", "add", "change", "delete")
    ),
]

ALL_MODELS = {
    "projects": ["programme", "project", "phase", "milestone"],
    "partners": ["city", "organisation", "participation", "initiative"],
    "funding": ["fundingsource", "budget", "budgetline", "cofinancingshare"],
}
VIEW_EVERYTHING = [
    *(f"{app}.view_{model}" for app, models in ALL_MODELS.items() for model in models),
    # Not only the organisations one coordinates (partners/scoping.py).
    "partners.view_every_partner",
]

PROJECT_WIDE_DATA = [
    "projects.manage_project",
    *(
        f"projects.{action}_{model}"
        for model in ("programme", "project", "phase", "milestone")
        for action in ("view", "add", "change", "delete")
    ),
    *(
        f"partners.{action}_{model}"
        for model in ("city", "organisation", "participation")
        for action in ("view", "add", "change", "delete")
    ),
    *(f"funding.{action}_fundingsource" for action in ("view", "add", "change", "delete")),
    # A budget entered by mistake is removed by a manager, for any partner; its history is
    # kept (funding/admin.py). Coordinators keep their budgets up to date, never delete one.
    "funding.delete_budget",
]

AUDIT = ["projects.view_history", "reports.view_issuedreport"]
# Who changed whose roles, admin access and coordinator assignments (audit/access.py):
# auditors check it; no other role needs it.
ACCESS_TRAIL = ["audit.view_access_trail"]

ROLES: dict[str, list[str]] = {
    COUNCIL_STAFF: READ_PAGES_AND_REPORTS,
    COORDINATORS: [*READ_PAGES_AND_REPORTS, *PARTNER_DATA],
    AUDITORS: [*READ_PAGES_AND_REPORTS, *AUDIT, *ACCESS_TRAIL, *VIEW_EVERYTHING],
    PROJECT_MANAGERS: [*READ_PAGES_AND_REPORTS, *AUDIT, *VIEW_EVERYTHING, *PROJECT_WIDE_DATA],
}


def role_group(name: str):
    """The group that holds the role `name`, or None when it was renamed or deleted."""
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=name).first()


def sync_roles(apps, schema_editor=None) -> None:
    """Make the groups hold exactly the permissions listed above (tests on a live server,
    which empty the database, data migrations included, call it)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            # An earlier migration runs before later apps' permissions exist; the migration
            # that comes with them runs this again and adds them.
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
        _record_in_access_trail(apps, group)


def _record_in_access_trail(apps, group) -> None:
    """Make the access trail's last row for the group say what it now holds (audit/access.py).

    A migration's models send none of the signals the trail listens to, so a role changed
    here would otherwise show up as changed by whoever next edits the group."""
    try:
        History = apps.get_model("audit", "HistoricalGroup")
        Copy = apps.get_model("audit", "HistoricalGroup_permissions")
    except LookupError:  # an early migration, before the trail of roles existed
        return
    held = {
        row.permission_id: row.pk for row in group.permissions.through.objects.filter(group=group)
    }
    last = History.objects.filter(id=group.pk).order_by("-history_date", "-history_id").first()
    if last is not None and last.name == group.name:
        recorded = set(Copy.objects.filter(history=last).values_list("permission_id", flat=True))
        if recorded == set(held):
            return
    from django.utils import timezone

    row = History.objects.create(
        id=group.pk,
        name=group.name,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason="projects/roles.py",
    )
    Copy.objects.bulk_create(
        Copy(id=through_id, history=row, group_id=group.pk, permission_id=permission_id)
        for permission_id, through_id in held.items()
    )
