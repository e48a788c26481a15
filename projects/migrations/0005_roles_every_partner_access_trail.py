"""Auditors and project managers see every partner's data, coordinators their own only,
whatever their group is called (partners/scoping.py); auditors read the access trail."""

from django.db import migrations

from projects.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_roles_audit_register"),
        ("partners", "0002_organisation_permissions"),
        ("audit", "0003_access_trail"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
