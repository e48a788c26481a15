"""The pages that show several apps at once: the list of projects, a project's overview and
its partnership. Parse the URL, gather with the selectors, render; each page runs a fixed
number of queries.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from expenditure.charts import spending_chart
from expenditure.selectors import project_expenditure
from funding.selectors import project_funding
from pages.forms import ProjectSearchForm
from pages.selectors import coordinator_worklist, own_projects, partner_countries, project_cards
from partners.map import partner_map
from projects import timeline
from projects.access import get_project, portal_page
from projects.models import Project
from projects.selectors import project_schedule

PROJECTS_PER_PAGE = 25


@require_safe
@portal_page
def index(request):
    """The own organisation's projects, a page at a time, narrowed by the search form."""
    today = timezone.localdate()
    form = ProjectSearchForm(request.GET or None, country_codes=partner_countries())
    searching = form.is_bound and any(request.GET.get(name) for name in form.fields)
    if form.is_bound and not form.is_valid():
        projects, status = Project.objects.none(), 400
    else:
        search = form.search() if form.is_bound else {}
        projects, status = own_projects(today=today, **search), 200
    # A page number that is not one (text, 0, past the end) shows the first or the last page.
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "searching": searching,
        "page": page,
        "cards": project_cards(page.object_list, today=today),
        "query": query.urlencode(),
        "worklist": coordinator_worklist(user=request.user),
    }
    return render(request, "pages/index.html", context, status=status)


@require_safe
@portal_page
def overview(request, slug: str):
    project = get_project(slug)
    today = timezone.localdate()
    phases, milestones = project_schedule(project)
    funding = project_funding(project)
    own_parts = {p.source.pk: p for p in funding.own.parts} if funding.own else {}
    expenditure = project_expenditure(project, funding)
    return render(
        request,
        "pages/overview.html",
        {
            "project": project,
            "funding": funding,
            # Each source's total beside the own organisation's part of it.
            "source_rows": [(t, own_parts.get(t.source.pk)) for t in funding.source_totals],
            "expenditure": expenditure,
            "spending_chart": spending_chart(expenditure, period_label=_("Period %(number)s")),
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
