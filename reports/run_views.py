"""Background report runs (reports/runs.py): start one, follow it, download its reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import runs
from reports.data import LANGUAGES
from reports.models import ReportRun, ReportRunItem
from reports.run_archive import archive_name, zip_chunks
from reports.views import report_language

REFRESH_SECONDS = 3
RECENT_RUNS = 20


def run_view(view):
    """Signed-in holders of the run permissions only (runs.RUN_PERMISSIONS; else 403)."""
    return login_required(permission_required(runs.RUN_PERMISSIONS, raise_exception=True)(view))


def _start(request: HttpRequest, project=None) -> HttpResponse:
    language = report_language(request.POST.get("lang"))
    if language is None:
        return HttpResponseBadRequest(
            _("Unknown report language. Use one of: %(languages)s.")
            % {"languages": ", ".join(LANGUAGES)},
            content_type="text/plain; charset=utf-8",
        )
    run = runs.start_run(
        user=request.user,
        project=project,
        language=language,
        help_url=request.build_absolute_uri(reverse("reports:fingerprint_help")),
    )
    return redirect("reports:run", pk=run.pk)


@require_POST
@run_view
def start_project_run(request: HttpRequest, slug: str) -> HttpResponse:
    """Every partner report of one project; a project the user may not see is a 404."""
    return _start(request, get_object_or_404(runs.visible_projects(request.user), slug=slug))


@require_http_methods(["GET", "POST"])
@run_view
def run_list(request: HttpRequest) -> HttpResponse:
    """The user's runs; POST: every partner report of every project the user may see."""
    if request.method == "POST":
        return _start(request)
    return _render(request, run=None)


@require_GET
@run_view
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One run of the user's, refreshing itself until it is finished; another's is a 404."""
    run = get_object_or_404(
        ReportRun.objects.select_related("project"), pk=pk, requested_by=request.user
    )
    return _render(request, run=run)


def _render(request: HttpRequest, run: ReportRun | None) -> HttpResponse:
    failures = []
    if run is not None and run.failed:
        failures = run.items.filter(status=ReportRunItem.Status.FAILED).select_related(
            "participation__organisation", "participation__project"
        )
    recent = request.user.report_runs.select_related("project")[:RECENT_RUNS]
    return render(
        request,
        "reports/runs.html",
        {
            "run": run,
            "failures": failures,
            "runs": recent,
            "refresh": REFRESH_SECONDS if run is not None and not run.finished else None,
        },
    )


@require_GET
@run_view
def run_zip(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """A finished run's reports: for who asked for it, and for who may run reports and see
    every project it covers; for anyone else, as for a run not finished, a 404."""
    run = get_object_or_404(ReportRun, pk=pk)
    if not run.finished or not _may_download(request.user, run):
        raise Http404
    items = list(run.items.filter(status=ReportRunItem.Status.DONE).select_related("issued_report"))
    response = StreamingHttpResponse(zip_chunks(run, items), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_name(run)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _may_download(user, run: ReportRun) -> bool:
    if run.requested_by_id == user.pk:
        return True
    unseen = run.items.exclude(participation__project__in=runs.visible_projects(user))
    return not unseen.exists()
