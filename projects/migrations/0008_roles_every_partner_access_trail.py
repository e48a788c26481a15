"""Auditors and project managers see every partner's data, coordinators their own only,
whatever their group is called (partners/scoping.py); auditors read the access trail."""

from django.db import migrations

from projects.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_text_limits"),
        ("partners", "0004_organisation_permissions"),
        ("audit", "0003_access_trail"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
