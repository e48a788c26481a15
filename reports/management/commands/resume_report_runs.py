"""`python manage.py resume_report_runs`: queue again what unfinished report runs still wait
for, after a worker died in the middle of a task.

django-tasks' database backend does not retry a task on its own: one whose worker died
stays "running" for ever. Queuing it again is safe because a run's tasks do nothing twice
(reports/runs.py): a report already made is neither made nor registered again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reports import runs
from reports.models import ReportRun


class Command(BaseCommand):
    help = "Queue again the waiting reports of unfinished background report runs."

    def handle(self, *args, **options):
        unfinished = ReportRun.objects.exclude(
            status__in=[ReportRun.Status.DONE, ReportRun.Status.DONE_WITH_ERRORS]
        )
        count = 0
        for run_id in unfinished.values_list("pk", flat=True):
            runs.plan_run.enqueue(run_id)  # lists the run once, queues what still waits
            count += 1
        self.stdout.write(f"{count} unfinished run(s) queued again.")
