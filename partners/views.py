"""The partnership page: who takes part, where they are, what they already do."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from funding.selectors import project_funding
from partners.map import partner_map
from projects.access import get_project, portal_page


@require_safe
@portal_page
def partnership(request, slug: str):
    project = get_project(slug)
    funding = project_funding(project)
    return render(
        request,
        "partners/partnership.html",
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
