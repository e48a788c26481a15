"""The budget's CSV and the comparison of two versions: parse the URL, gather with
funding.selectors, render. (The budget page itself is pages.views.budget: it shows the
spending beside the plan, and expenditure sits above funding.)"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from funding.comparison import compare
from funding.exports import budget_csv as make_budget_csv
from funding.exports import budget_csv_filename
from funding.selectors import (
    budget_versions,
    chosen_version,
    project_funding,
    requested_funding,
)
from projects.access import get_project, portal_page


@require_safe
@portal_page
def budget_csv(request, slug: str):
    project = get_project(slug)
    _versions, funding = requested_funding(project, request.GET.get("version"))
    response = HttpResponse(make_budget_csv(funding), content_type="text/csv; charset=utf-8")
    filename = budget_csv_filename(
        project, funding.version, get_language() or "lv", timezone.localdate()
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@portal_page
def budget_compare(request, slug: str):
    """Two versions side by side (`?from=1&to=2`; by default the one before the current
    and the current one)."""
    project = get_project(slug)
    versions = budget_versions(project)
    if not request.GET.get("from") and len(versions) > 1:
        before = versions[1]
    else:
        before = chosen_version(versions, request.GET.get("from"))
    after = chosen_version(versions, request.GET.get("to"))
    comparison = None
    if before is not None and after is not None:
        comparison = compare(
            project_funding(project, before),
            project_funding(project, after),
            labels={
                "allocated": _("Allocated to partners"),
                "unplanned": _("Co-financing plan not yet entered"),
                "unallocated": _("Not yet allocated"),
                "approved_total": _("Planned total funding"),
            },
        )
    return render(
        request,
        "funding/compare.html",
        {"project": project, "versions": versions, "comparison": comparison, "tab": "budget"},
    )
