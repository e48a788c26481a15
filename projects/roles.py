"""The portal's roles: Django groups, by name, and the permissions lower code checks.

What each role holds is defined once, in the newest roles migration
(reports/migrations/0002_roles.py, then 0004_controllers_role.py, 0005_claims_roles.py)
(in the top app, so every permission exists when it runs; the README's role table says it in
words). A change of the roles is one more migration with the new lists written out. Which
organisations a coordinator may edit is data (Organisation.coordinators), applied in the
admin by partners/scoping.py; whose expenditure a controller checks is data too
(Organisation.controllers, applied by expenditure/scoping.py).

A role's name only finds its group, to give or take the role; what a user may do follows
from the permissions they hold and their assignments, never from a group's name. Renaming
or deleting a group can therefore only take rights away.
"""

from __future__ import annotations

COUNCIL_STAFF = "Council staff"
COORDINATORS = "Coordinators"
AUDITORS = "Auditors"
PROJECT_MANAGERS = "Project managers"
# First-level control: certify or reject the submitted expenditure of the organisations
# they are assigned to (Organisation.controllers).
CONTROLLERS = "Controllers"

# The permissions that lower code checks by name (the groups holding them: the migration).
VIEW_PORTAL = "projects.view_portal"
MANAGE_PROJECTS = "projects.manage_project"


def role_group(name: str):
    """The group that holds the role `name`, or None when it was renamed or deleted."""
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=name).first()
