"""The read-only project pages: parse the URL, gather with the selectors, render.

Money comes from funding.selectors.project_funding(), dates and phases from
projects.timeline; each page runs a fixed number of queries.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from funding.selectors import project_funding
from projects import timeline
from projects.access import get_project, portal_page
from projects.charts import budget_chart
from projects.exports import budget_csv as make_budget_csv
from projects.selectors import project_cards, project_schedule


@require_safe
@portal_page
def index(request):
    cards = project_cards(today=timezone.localdate())
    return render(request, "projects/index.html", {"cards": cards})


@require_safe
@portal_page
def overview(request, slug: str):
    project = get_project(slug)
    today = timezone.localdate()
    phases, milestones = project_schedule(project)
    funding = project_funding(project)
    own_parts = {p.source.pk: p for p in funding.own.parts} if funding.own else {}
    return render(
        request,
        "projects/overview.html",
        {
            "project": project,
            "funding": funding,
            # Each source's total beside the own organisation's part of it.
            "source_rows": [(t, own_parts.get(t.source.pk)) for t in funding.source_totals],
            "status": timeline.phase_status(phases, today),
            "next_milestone": timeline.next_milestone(milestones, today),
            "last_milestone": timeline.last_milestone(milestones, today),
            "tab": "overview",
        },
    )


@require_safe
@portal_page
def budget(request, slug: str):
    project = get_project(slug)
    funding = project_funding(project)
    chart = budget_chart(
        funding,
        unplanned_label=_("Co-financing plan not yet entered"),
        unallocated_label=_("Not yet allocated"),
        approved_label=_("Approved total"),
    )
    partner_rows = [
        {"partner": p, "parts": [p.part_from(s) for s in funding.sources]} for p in funding.partners
    ]
    return render(
        request,
        "projects/budget.html",
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
    filename = f"{project.slug}-budget.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@portal_page
def timeline_page(request, slug: str):
    project = get_project(slug)
    today = timezone.localdate()
    phases, milestones = project_schedule(project)
    return render(
        request,
        "projects/timeline.html",
        {
            "project": project,
            "phases": phases,
            "chart": timeline.timeline_chart(phases, milestones, today),
            "status": timeline.phase_status(phases, today),
            "today": today,
            "tab": "timeline",
        },
    )
