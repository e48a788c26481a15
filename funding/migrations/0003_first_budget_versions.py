"""Budget versions: every project's existing budget becomes its first version.

Each project gets version 1, kind "planned", holding its approved total and every partner's
budget with its co-financing plan and cost categories, unchanged. The demo network's figures
are those of the phase 2 application that Ventspils City Council decided on, 3 April 2020
(../shared/DOMAIN.md): planned, not approved. Other projects' version is dated by their first
phase's approval (or start) and says where it came from. The project total's history moves
with it: each recorded change of it becomes a change of the version, with its date and user,
so the audit trail keeps who set which total when.
"""

import datetime

import django.utils.timezone
from django.db import migrations


DEMO = {
    "date": datetime.date(2020, 4, 3),
    "document_reference_lv": "Ventspils pilsētas domes 2020. gada 3. aprīļa lēmums",
    "document_reference_en": "Ventspils City Council decision of 3 April 2020",
    "document_title_lv": "Plānotais finansējums 2. posma pieteikumā",
    "document_title_en": "Planned funding in the phase 2 application",
}
BEFORE_VERSIONS = {
    "document_reference_lv": "Ievadīts pirms budžeta versijām",
    "document_reference_en": "Entered before budget versions",
    "document_title_lv": "",
    "document_title_en": "",
}


def _date_of(project, Phase):
    first = Phase.objects.filter(project=project).order_by("number").first()
    if first is None:
        return datetime.date.today()
    return first.approved_on or first.start


def first_versions(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Phase = apps.get_model("projects", "Phase")
    HistoricalProject = apps.get_model("projects", "HistoricalProject")
    BudgetVersion = apps.get_model("funding", "BudgetVersion")
    HistoricalBudgetVersion = apps.get_model("funding", "HistoricalBudgetVersion")
    Budget = apps.get_model("funding", "Budget")
    HistoricalBudget = apps.get_model("funding", "HistoricalBudget")
    HistoricalParticipation = apps.get_model("partners", "HistoricalParticipation")
    version_of_project = {}
    for project in Project.objects.all():
        texts = (
            DEMO
            if project.slug == "di4c"
            else {**BEFORE_VERSIONS, "date": _date_of(project, Phase)}
        )
        values = {
            "project_id": project.pk,
            "number": 1,
            "kind": "planned",
            "total": project.approved_total,
            **texts,
            "document_reference": texts["document_reference_lv"],
            "document_title": texts["document_title_lv"],
        }
        version = BudgetVersion.objects.create(**values)
        version_of_project[project.pk] = version.pk
        _carry_history(version, values, HistoricalProject, HistoricalBudgetVersion)
    project_of_participation = dict(
        HistoricalParticipation.objects.values_list("id", "project_id").distinct()
    )
    for budget in Budget.objects.select_related("participation"):
        budget.budget_version_id = version_of_project[budget.participation.project_id]
        budget.save(update_fields=["budget_version"])
    for row in HistoricalBudget.objects.all():
        project_id = project_of_participation.get(row.participation_id)
        row.budget_version_id = version_of_project.get(project_id)
        row.save(update_fields=["budget_version"])


def _carry_history(version, values, HistoricalProject, HistoricalBudgetVersion):
    """The project total's recorded changes, as changes of the version that now holds it."""
    last = None
    rows = HistoricalProject.objects.filter(id=version.project_id).order_by(
        "history_date", "history_id"
    )
    for row in rows:
        if row.history_type == "-" or row.approved_total == last:
            continue
        HistoricalBudgetVersion.objects.create(
            id=version.pk,
            **{**values, "total": row.approved_total},
            history_date=row.history_date,
            history_user_id=row.history_user_id,
            history_type="+" if last is None else "~",
            history_change_reason="funding/migrations/0002_budget_versions.py",
        )
        last = row.approved_total
    if last != version.total:  # no history recorded (data loaded around it)
        HistoricalBudgetVersion.objects.create(
            id=version.pk,
            **values,
            history_date=django.utils.timezone.now(),
            history_type="+" if last is None else "~",
            history_change_reason="funding/migrations/0002_budget_versions.py",
        )


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_budget_versions")]

    operations = [migrations.RunPython(first_versions, migrations.RunPython.noop)]
