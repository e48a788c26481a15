"""Every budget belongs to a version (all do since 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_first_budget_versions")]

    operations = [
        migrations.AlterField(
            model_name="budget",
            name="budget_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="budgets",
                to="funding.budgetversion",
                verbose_name="budget version",
            ),
        ),
    ]
