"""The expenditure page and its CSV: parse the URL, gather with expenditure.selectors,
render. Read-only, for everyone who reads the portal's pages (as the budget page)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from expenditure import claim_scoping
from expenditure.charts import spending_chart
from expenditure.exports import figures_csv, figures_csv_filename
from expenditure.selectors import project_expenditure
from projects.access import get_project, portal_page


@require_safe
@portal_page
def expenditure(request, slug: str):
    project = get_project(slug)
    figures = project_expenditure(project)
    return render(
        request,
        "expenditure/expenditure.html",
        {
            "project": project,
            "expenditure": figures,
            "chart": spending_chart(figures, period_label=_("Period %(number)s")),
            "may_record_claims": claim_scoping.records_claims(request.user),
            "tab": "expenditure",
        },
    )


@require_safe
@portal_page
def expenditure_csv(request, slug: str):
    project = get_project(slug)
    response = HttpResponse(
        figures_csv(project_expenditure(project)), content_type="text/csv; charset=utf-8"
    )
    filename = figures_csv_filename(project, get_language() or "lv", timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
