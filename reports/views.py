"""The funding reports as PDF downloads: parse the request, issue the report, send it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from funding.selectors import budget_versions, chosen_version
from projects.access import get_project
from reports.data import LANGUAGES, funding_report
from reports.forms import VerifyForm
from reports.services import issue_report, user_label

REPORT_PERMISSION = "funding.view_funding_report"


def report_view(view):
    """Signed-in users only (others go to the login page); without the permission, 403.
    GET only: issuing a report registers it, which a HEAD request must not do."""
    return require_GET(
        login_required(permission_required(REPORT_PERMISSION, raise_exception=True)(view))
    )


def report_language(asked: str | None) -> str | None:
    """The language asked for (`?lang=`, a form's `lang`) when given, else the page's
    language; None when the one asked for is not one we make reports in."""
    if asked is None:
        language = (get_language() or "lv").split("-")[0]
        return language if language in LANGUAGES else "lv"
    return asked if asked in LANGUAGES else None


def _version(request: HttpRequest, project):
    """The budget version asked for (`?version=N`; the current one without it; else 404)."""
    return chosen_version(budget_versions(project), request.GET.get("version"))


def _send(request: HttpRequest, slug: str, partner: str | None) -> HttpResponse:
    language = report_language(request.GET.get("lang"))
    if language is None:
        return HttpResponseBadRequest(
            _("Unknown report language. Use ?lang= one of: %(languages)s.")
            % {"languages": ", ".join(LANGUAGES)},
            content_type="text/plain; charset=utf-8",
        )
    project = get_project(slug)
    issued = issue_report(
        project=project,
        partner_slug=partner,
        version=_version(request, project),
        language=language,
        generated_by=user_label(request.user),
        user=request.user,
        help_url=request.build_absolute_uri(reverse("reports:fingerprint_help")),
    )
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["X-Report-Fingerprint"] = f"sha256:{issued.fingerprint}"
    response["Cache-Control"] = "private, no-store"
    return response


@report_view
def project_report(request: HttpRequest, slug: str) -> HttpResponse:
    return _send(request, slug, None)


@report_view
def partner_report(request: HttpRequest, slug: str, partner: str) -> HttpResponse:
    return _send(request, slug, partner)


def _send_json(request: HttpRequest, slug: str, partner: str | None) -> HttpResponse:
    """The report's canonical figures: these very bytes are what the fingerprint hashes
    (`sha256sum` of the file prints it). Gathering them issues nothing, so nothing is
    registered; the language plays no part (both languages' names are in it)."""
    project = get_project(slug)
    report = funding_report(
        project=project, partner_slug=partner, version=_version(request, project)
    )
    response = HttpResponse(report.canonical_json, content_type="application/json")
    name = "-".join(["funding-report", report.project.slug, *([partner] if partner else [])])
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["X-Report-Fingerprint"] = f"sha256:{report.fingerprint}"
    response["Cache-Control"] = "private, no-store"
    return response


@report_view
def project_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _send_json(request, slug, None)


@report_view
def partner_json(request: HttpRequest, slug: str, partner: str) -> HttpResponse:
    return _send_json(request, slug, partner)


@require_GET
def fingerprint_help(request: HttpRequest) -> HttpResponse:
    """How to check a report's fingerprint: linked from every PDF, so open to everyone (it
    shows no data)."""
    return render(request, "reports/fingerprint_help.html")


VERIFY_PERMISSION = "reports.view_issuedreport"  # auditors and project managers (roles.py)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(VERIFY_PERMISSION, raise_exception=True)
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a PDF or paste a fingerprint: did the portal issue it, and what changed since."""
    from reports import verification  # pypdf is loaded only here

    verdict = None
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pdf = form.cleaned_data["pdf"]
        if pdf:
            verdict = verification.verify_pdf(pdf.read())
        else:
            verdict = verification.verify_fingerprint(form.cleaned_data["fingerprint"])
    return render(
        request,
        "reports/verify.html",
        {"form": form, "verdict": verdict},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
