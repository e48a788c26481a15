"""Background report runs: every partner report of a project (or of every project a user
may see) made by task workers (django-tasks; README, "Background report runs").

Each report is issued exactly as a download issues it (services.issue_report: gathered,
fingerprinted, rendered, registered); a run only adds the bookkeeping around it. Starting a
run enqueues one task that lists the run's reports, and that task enqueues one task per
report, so that every worker sharing the database takes its part of a run.

A task may run again after a worker died (someone enqueues it anew): each report's task
locks its item, does nothing when the item is no longer waiting, and registers the report
in the transaction that marks the item made, so a report is never registered twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from partners.models import Participation
from partners.scoping import own_organisation_ids, sees_every_partner
from projects.models import Project
from reports.models import ReportRun, ReportRunItem
from reports.services import issue_report, user_label

logger = logging.getLogger(__name__)

# Who may start a run and download another person's: who may download funding reports and
# read the register of issued ones (auditors, project managers; projects/roles.py).
RUN_PERMISSIONS = ("funding.view_funding_report", "reports.view_issuedreport")
STORAGE_ALIAS = "report_runs"


def may_run_reports(user) -> bool:
    return user.has_perms(RUN_PERMISSIONS)


def visible_projects(user) -> QuerySet[Project]:
    """The projects whose partner reports `user` may have made in a run, or download: every
    project for who sees every partner (auditors, project managers: partners/scoping.py),
    else those an organisation they coordinate takes part in."""
    if not may_run_reports(user):
        return Project.objects.none()
    if sees_every_partner(user):
        return Project.objects.all()
    return Project.objects.filter(
        participations__organisation__in=own_organisation_ids(user)
    ).distinct()


def participations_in_scope(run: ReportRun) -> QuerySet[Participation]:
    """The partners a run makes reports of, in the order it makes them."""
    if run.scope == ReportRun.Scope.PROJECT:
        partners = Participation.objects.filter(project_id=run.project_id)
    else:
        partners = Participation.objects.filter(project__in=visible_projects(run.requested_by))
    return partners.order_by("project_id", "pk")


def run_files() -> Storage:
    """Where a run's PDFs are kept until downloaded, never served as files: the
    `report_runs` storage when settings.STORAGES names one (workers on several machines need
    one they all reach: a shared directory or an object store), else var/private/."""
    if STORAGE_ALIAS in settings.STORAGES:
        return storages[STORAGE_ALIAS]
    return FileSystemStorage(location=settings.VAR_DIR / "private" / "report-runs")


@transaction.atomic
def start_run(*, user, language: str, help_url: str, project: Project | None = None) -> ReportRun:
    """Record the run and queue its planning, in one transaction: with the database backend
    the task exists exactly when the run does."""
    run = ReportRun.objects.create(
        requested_by=user,
        scope=ReportRun.Scope.PROJECT if project else ReportRun.Scope.PORTFOLIO,
        project=project,
        language=language,
        help_url=help_url,
    )
    plan_run.enqueue(run.pk)
    return run


@task()
def plan_run(run_id: int) -> int:
    """List the run's reports (once, however often this runs) and queue one task for each
    one still waiting. Returns how many were queued."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if not run.items.exists():
            items = ReportRunItem.objects.bulk_create(
                ReportRunItem(run=run, participation=partner)
                for partner in participations_in_scope(run)
            )
            run.total = len(items)
            run.status = ReportRun.Status.RUNNING if items else ReportRun.Status.DONE
            run.finished_at = None if items else timezone.now()
            run.save(update_fields=["total", "status", "finished_at"])
        waiting = list(
            run.items.filter(status=ReportRunItem.Status.PENDING).values_list("pk", flat=True)
        )
        for item_id in waiting:
            make_report.enqueue(item_id)
    return len(waiting)


@task()
def make_report(item_id: int) -> str:
    """Issue one partner report of a run, keep its PDF for the run's zip, and count it.
    A failure is recorded on the item with its reason; the run's other reports go on."""
    with transaction.atomic():
        item = (
            ReportRunItem.objects.select_for_update(of=("self",))
            .select_related("run__requested_by", "participation__organisation")
            .get(pk=item_id)
        )
        if item.status != ReportRunItem.Status.PENDING:
            return item.status  # made or failed before: a retried task does nothing twice
        try:
            with transaction.atomic():  # a failure takes back this report's register entry
                _issue(item)
        except Exception as exc:
            slug = item.participation.organisation.slug
            logger.exception("Report run %s: the report of %s failed", item.run_id, slug)
            item.status, item.error = ReportRunItem.Status.FAILED, _reason(exc)
            item.pdf_path, item.filename, item.issued_report = "", "", None
        else:
            item.status = ReportRunItem.Status.DONE
        item.save()
        _count(item.run_id, made=item.status == ReportRunItem.Status.DONE)
    return item.status


def _issue(item: ReportRunItem) -> None:
    run, partner = item.run, item.participation
    issued = issue_report(
        project=partner.project,
        partner_slug=partner.organisation.slug,
        language=run.language,
        generated_by=user_label(run.requested_by),
        user=run.requested_by,
        help_url=run.help_url,
    )
    files = run_files()
    path = f"run-{run.pk}/{item.pk}.pdf"
    files.delete(path)  # left by an attempt that died before its transaction committed
    item.pdf_path = files.save(path, ContentFile(issued.pdf))
    item.filename = f"{partner.project.slug}/{issued.filename}"
    item.issued_report = issued.register_entry


def _reason(exc: Exception) -> str:
    """What the run page says went wrong: the error's own message (a report that needs a
    file it cannot have names it: pdf.ReportRenderingError), else its kind."""
    return str(exc).strip() or type(exc).__name__


def _count(run_id: int, *, made: bool) -> None:
    """Count one more report made or failed; the last one finishes the run."""
    run = ReportRun.objects.select_for_update().get(pk=run_id)
    if made:
        run.done += 1
    else:
        run.failed += 1
    if run.done + run.failed >= run.total:
        ok = run.failed == 0
        run.status = ReportRun.Status.DONE if ok else ReportRun.Status.DONE_WITH_ERRORS
        run.finished_at = timezone.now()
    else:
        run.status = ReportRun.Status.RUNNING
    run.save(update_fields=["done", "failed", "status", "finished_at"])
