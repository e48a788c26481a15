"""A project's total funding now belongs to each version of its budget (funding.BudgetVersion,
funding/migrations/0002_budget_versions.py copies it, with its history, before this runs)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0005_project_current_name'),
        ('funding', '0003_first_budget_versions'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='project',
            name='project_approved_total_not_negative',
        ),
        migrations.RemoveConstraint(
            model_name='project',
            name='project_approved_total_in_euro',
        ),
        migrations.RemoveField(
            model_name='historicalproject',
            name='approved_total',
        ),
        migrations.RemoveField(
            model_name='historicalproject',
            name='approved_total_currency',
        ),
        migrations.RemoveField(
            model_name='project',
            name='approved_total',
        ),
        migrations.RemoveField(
            model_name='project',
            name='approved_total_currency',
        ),
    ]
