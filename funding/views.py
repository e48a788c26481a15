"""The budget page and its CSV: parse the URL, gather with funding.selectors, render."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from funding.charts import budget_chart
from funding.exports import budget_csv as make_budget_csv
from funding.exports import budget_csv_filename
from funding.selectors import project_funding
from projects.access import get_project, portal_page


@require_safe
@portal_page
def budget(request, slug: str):
    project = get_project(slug)
    funding = project_funding(project)
    chart = budget_chart(
        funding,
        unplanned_label=_("Co-financing plan not yet entered"),
        unallocated_label=_("Not yet allocated"),
        approved_label=_("Planned total funding"),
    )
    partner_rows = [
        {"partner": p, "parts": [(s, p.part_from(s)) for s in funding.sources]}
        for p in funding.partners
    ]
    return render(
        request,
        "funding/budget.html",
        {
            "project": project,
            "funding": funding,
            "chart": chart,
            "partner_rows": partner_rows,
            # The table's columns after the partner's name: total, sources, unplanned.
            "columns": 1 + len(funding.sources) + (1 if funding.unplanned.amount else 0),
            "tab": "budget",
        },
    )


@require_safe
@portal_page
def budget_csv(request, slug: str):
    project = get_project(slug)
    response = HttpResponse(
        make_budget_csv(project_funding(project)), content_type="text/csv; charset=utf-8"
    )
    filename = budget_csv_filename(project, get_language() or "lv", timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
