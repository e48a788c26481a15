"""The roles with ERDF payment claims and state co-financing (issue 12): project managers
record, change and delete them for every partner, coordinators record and change their own
organisations' (expenditure/claim_scoping.py), auditors and controllers read them; every
list written out in full.

From now on the one definition of what each role holds (tests/roles.py reads the newest
roles migration). As in 0002_roles.py the lists import no live code, and the access trail
records each group as changed by "system", with this file as the reason. For which
organisations the expenditure permissions apply: expenditure/scoping.py.
"""

from django.db import migrations

ROLES = {
    'Council staff': [
        'funding.view_funding_report',
        'projects.view_portal',
    ],
    'Coordinators': [
        'expenditure.add_claim',
        'expenditure.add_expenditureline',
        'expenditure.add_statecofinancing',
        'expenditure.add_supportingdocument',
        'expenditure.change_claim',
        'expenditure.change_expenditureline',
        'expenditure.change_statecofinancing',
        'expenditure.change_supportingdocument',
        'expenditure.delete_expenditureline',
        'expenditure.delete_supportingdocument',
        'expenditure.submit_expenditureline',
        'expenditure.view_claim',
        'expenditure.view_exchangerate',
        'expenditure.view_expenditureline',
        'expenditure.view_reportingperiod',
        'expenditure.view_statecofinancing',
        'expenditure.view_supportingdocument',
        'funding.add_budget',
        'funding.add_budgetline',
        'funding.add_cofinancingshare',
        'funding.change_budget',
        'funding.change_budgetline',
        'funding.change_cofinancingshare',
        'funding.delete_budgetline',
        'funding.delete_cofinancingshare',
        'funding.view_budget',
        'funding.view_budgetline',
        'funding.view_cofinancingshare',
        'funding.view_funding_report',
        'partners.add_initiative',
        'partners.change_initiative',
        'partners.change_organisation',
        'partners.delete_initiative',
        'partners.view_city',
        'partners.view_initiative',
        'partners.view_organisation',
        'partners.view_participation',
        'projects.view_fundingsource',
        'projects.view_portal',
    ],
    'Auditors': [
        'audit.view_access_trail',
        'expenditure.view_claim',
        'expenditure.view_exchangerate',
        'expenditure.view_expenditureline',
        'expenditure.view_reportingperiod',
        'expenditure.view_statecofinancing',
        'expenditure.view_supportingdocument',
        'funding.view_budget',
        'funding.view_budgetline',
        'funding.view_budgetversion',
        'funding.view_cofinancingshare',
        'funding.view_funding_report',
        'partners.view_city',
        'partners.view_every_partner',
        'partners.view_initiative',
        'partners.view_organisation',
        'partners.view_participation',
        'projects.view_fundingsource',
        'projects.view_history',
        'projects.view_milestone',
        'projects.view_phase',
        'projects.view_portal',
        'projects.view_programme',
        'projects.view_project',
        'reports.view_issuedreport',
    ],
    'Project managers': [
        'expenditure.add_claim',
        'expenditure.add_exchangerate',
        'expenditure.add_reportingperiod',
        'expenditure.add_statecofinancing',
        'expenditure.change_claim',
        'expenditure.change_exchangerate',
        'expenditure.change_reportingperiod',
        'expenditure.change_statecofinancing',
        'expenditure.delete_claim',
        'expenditure.delete_exchangerate',
        'expenditure.delete_reportingperiod',
        'expenditure.delete_statecofinancing',
        'expenditure.view_claim',
        'expenditure.view_exchangerate',
        'expenditure.view_expenditureline',
        'expenditure.view_reportingperiod',
        'expenditure.view_statecofinancing',
        'expenditure.view_supportingdocument',
        'funding.add_budgetversion',
        'funding.change_budgetversion',
        'funding.delete_budget',
        'funding.delete_budgetversion',
        'funding.view_budget',
        'funding.view_budgetline',
        'funding.view_budgetversion',
        'funding.view_cofinancingshare',
        'funding.view_funding_report',
        'partners.add_city',
        'partners.add_organisation',
        'partners.add_participation',
        'partners.change_city',
        'partners.change_organisation',
        'partners.change_participation',
        'partners.delete_city',
        'partners.delete_organisation',
        'partners.delete_participation',
        'partners.view_city',
        'partners.view_every_partner',
        'partners.view_initiative',
        'partners.view_organisation',
        'partners.view_participation',
        'projects.add_fundingsource',
        'projects.add_milestone',
        'projects.add_phase',
        'projects.add_programme',
        'projects.add_project',
        'projects.change_fundingsource',
        'projects.change_milestone',
        'projects.change_phase',
        'projects.change_programme',
        'projects.change_project',
        'projects.delete_fundingsource',
        'projects.delete_milestone',
        'projects.delete_phase',
        'projects.delete_programme',
        'projects.delete_project',
        'projects.manage_project',
        'projects.view_fundingsource',
        'projects.view_history',
        'projects.view_milestone',
        'projects.view_phase',
        'projects.view_portal',
        'projects.view_programme',
        'projects.view_project',
        'reports.view_issuedreport',
    ],
    'Controllers': [
        'expenditure.certify_expenditureline',
        'expenditure.view_claim',
        'expenditure.view_exchangerate',
        'expenditure.view_expenditureline',
        'expenditure.view_reportingperiod',
        'expenditure.view_supportingdocument',
        'projects.view_portal',
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.utils import timezone

    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    History = apps.get_model("audit", "HistoricalGroup")
    Copy = apps.get_model("audit", "HistoricalGroup_permissions")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
        # A migration's models send none of the signals the access trail listens to: record
        # what the group now holds, or the trail would show it as changed by whoever next
        # edits the group.
        row = History.objects.create(
            id=group.pk,
            name=group.name,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason="reports/migrations/0007_claims_roles.py",
        )
        through = group.permissions.through.objects.filter(group=group)
        Copy.objects.bulk_create(
            Copy(id=held.pk, history=row, group_id=group.pk, permission_id=held.permission_id)
            for held in through
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_report_runs"),
        ("expenditure", "0002_claims_and_state_cofinancing"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
