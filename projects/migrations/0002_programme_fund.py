# A programme's EU fund is a funding source, defined by the funding app, whose own models point
# at projects: this one field is added after both apps' tables exist.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0001_initial'),
        ('projects', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprogramme',
            name='fund',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The EU fund that pays the programme's share, e.g. ERDF.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.fundingsource', verbose_name='EU fund'),
        ),
        migrations.AddField(
            model_name='programme',
            name='fund',
            field=models.ForeignKey(help_text="The EU fund that pays the programme's share, e.g. ERDF.", on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='funding.fundingsource', verbose_name='EU fund'),
        ),
    ]
