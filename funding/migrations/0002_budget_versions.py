"""Budget versions (the tables; the next migration fills them)."""

import datetime
import django.core.validators
import django.db.models.deletion
import djmoney.models.fields
import djmoney.models.validators
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0001_initial'),
        ('partners', '0003_content_in_english'),
        ('projects', '0005_project_current_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalBudgetVersion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(editable=False, verbose_name='number')),
                ('kind', models.CharField(choices=[('planned', 'planned'), ('approved', 'approved'), ('modification', 'modification')], max_length=20, verbose_name='kind')),
                ('date', models.DateField(help_text='The date of the document.', validators=[django.core.validators.MinValueValidator(datetime.date(1990, 1, 1), message='A date must lie between 1 January 1990 and 31 December 2100.'), django.core.validators.MaxValueValidator(datetime.date(2100, 12, 31), message='A date must lie between 1 January 1990 and 31 December 2100.')], verbose_name='date')),
                ('document_reference', models.CharField(help_text="The document this version rests on, e.g. a council decision's number.", max_length=200, verbose_name='document reference')),
                ('document_reference_lv', models.CharField(help_text="The document this version rests on, e.g. a council decision's number.", max_length=200, null=True, verbose_name='document reference')),
                ('document_reference_en', models.CharField(help_text="The document this version rests on, e.g. a council decision's number.", max_length=200, null=True, verbose_name='document reference')),
                ('document_title', models.CharField(blank=True, max_length=200, verbose_name='document title')),
                ('document_title_lv', models.CharField(blank=True, max_length=200, null=True, verbose_name='document title')),
                ('document_title_en', models.CharField(blank=True, max_length=200, null=True, verbose_name='document title')),
                ('total_currency', djmoney.models.fields.CurrencyField(choices=[('EUR', 'EUR €')], default='EUR', editable=False, max_length=3)),
                ('total', djmoney.models.fields.MoneyField(currency_choices=[('EUR', 'EUR €')], decimal_places=2, help_text="The project's total funding in this version of its budget.", max_digits=14, validators=[djmoney.models.validators.MinMoneyValidator(0)], verbose_name='planned total funding')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical budget version',
                'verbose_name_plural': 'historical budget versions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AlterField(
            model_name='budget',
            name='participation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budgets', to='partners.participation', verbose_name='partner'),
        ),
        migrations.CreateModel(
            name='BudgetVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(editable=False, verbose_name='number')),
                ('kind', models.CharField(choices=[('planned', 'planned'), ('approved', 'approved'), ('modification', 'modification')], max_length=20, verbose_name='kind')),
                ('date', models.DateField(help_text='The date of the document.', validators=[django.core.validators.MinValueValidator(datetime.date(1990, 1, 1), message='A date must lie between 1 January 1990 and 31 December 2100.'), django.core.validators.MaxValueValidator(datetime.date(2100, 12, 31), message='A date must lie between 1 January 1990 and 31 December 2100.')], verbose_name='date')),
                ('document_reference', models.CharField(help_text="The document this version rests on, e.g. a council decision's number.", max_length=200, verbose_name='document reference')),
                ('document_reference_lv', models.CharField(help_text="The document this version rests on, e.g. a council decision's number.", max_length=200, null=True, verbose_name='document reference')),
                ('document_reference_en', models.CharField(help_text="The document this version rests on, e.g. a council decision's number.", max_length=200, null=True, verbose_name='document reference')),
                ('document_title', models.CharField(blank=True, max_length=200, verbose_name='document title')),
                ('document_title_lv', models.CharField(blank=True, max_length=200, null=True, verbose_name='document title')),
                ('document_title_en', models.CharField(blank=True, max_length=200, null=True, verbose_name='document title')),
                ('total_currency', djmoney.models.fields.CurrencyField(choices=[('EUR', 'EUR €')], default='EUR', editable=False, max_length=3)),
                ('total', djmoney.models.fields.MoneyField(currency_choices=[('EUR', 'EUR €')], decimal_places=2, help_text="The project's total funding in this version of its budget.", max_digits=14, validators=[djmoney.models.validators.MinMoneyValidator(0)], verbose_name='planned total funding')),
                ('entered_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budget_versions', to='projects.project', verbose_name='project')),
            ],
            options={
                'verbose_name': 'budget version',
                'verbose_name_plural': 'budget versions',
                'ordering': ['project', 'number'],
            },
        ),
        migrations.AddField(
            model_name='budget',
            name='budget_version',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='budgets', to='funding.budgetversion', verbose_name='budget version'),
        ),
        migrations.AddField(
            model_name='historicalbudget',
            name='budget_version',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funding.budgetversion', verbose_name='budget version'),
        ),
        migrations.AddConstraint(
            model_name='budget',
            constraint=models.UniqueConstraint(fields=('participation', 'budget_version'), name='budget_once_per_partner_and_version', violation_error_message="This partner already has a budget in this version of the project's budget."),
        ),
        migrations.AddField(
            model_name='historicalbudgetversion',
            name='entered_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by'),
        ),
        migrations.AddField(
            model_name='historicalbudgetversion',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalbudgetversion',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project', verbose_name='project'),
        ),
        migrations.AddConstraint(
            model_name='budgetversion',
            constraint=models.UniqueConstraint(fields=('project', 'number'), name='budget_version_number_once', violation_error_message='Each version of a budget has its own number.'),
        ),
        migrations.AddConstraint(
            model_name='budgetversion',
            constraint=models.CheckConstraint(condition=models.Q(('total__gte', 0)), name='budget_version_total_not_negative', violation_error_message='An amount cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='budgetversion',
            constraint=models.CheckConstraint(condition=models.Q(('total_currency', 'EUR')), name='budget_version_total_in_euro', violation_error_message='Budgets are kept in euro, the programme currency.'),
        ),
    ]
