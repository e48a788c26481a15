"""Auditors and project managers read the register of issued reports."""

from django.db import migrations

from projects.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_roles"), ("audit", "0001_initial")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
