"""Create the portal's roles as groups with their permissions (projects/roles.py)."""

from django.db import migrations

from projects.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_portal_permissions"),
        ("partners", "0001_initial"),
        ("funding", "0003_report_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
