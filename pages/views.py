"""The pages that show several apps at once: the list of projects, a project's overview and
its partnership. Parse the URL, gather with the selectors, render; each page runs a fixed
number of queries.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from expenditure.selectors import project_expenditure
from funding.selectors import project_funding
from pages.selectors import coordinator_worklist, project_cards
from partners.map import partner_map
from projects import timeline
from projects.access import get_project, portal_page
from projects.selectors import project_schedule


@require_safe
@portal_page
def index(request):
    cards = project_cards(today=timezone.localdate())
    worklist = coordinator_worklist(user=request.user)
    return render(request, "pages/index.html", {"cards": cards, "worklist": worklist})


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
        "pages/overview.html",
        {
            "project": project,
            "funding": funding,
            # Each source's total beside the own organisation's part of it.
            "source_rows": [(t, own_parts.get(t.source.pk)) for t in funding.source_totals],
            "expenditure": project_expenditure(project, funding),
            "status": timeline.phase_status(phases, today),
            "next_milestone": timeline.next_milestone(milestones, today),
            "last_milestone": timeline.last_milestone(milestones, today),
            "tab": "overview",
        },
    )


@require_safe
@portal_page
def partnership(request, slug: str):
    project = get_project(slug)
    funding = project_funding(project)
    return render(
        request,
        "pages/partnership.html",
        {
            "project": project,
            "funding": funding,
            "map": partner_map(p.participation for p in funding.partners),
            "initiatives": [
                (p.organisation, initiative)
                for p in funding.partners
                for initiative in p.organisation.initiatives.all()
            ],
            "tab": "partners",
        },
    )
