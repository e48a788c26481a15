"""The budget page: the plan of the version asked for (`?version=N`, the current one
without it) and, beside it, what was spent against it. It lives here, not in funding, because
it shows the expenditure app's figures too (pages sits above both)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from expenditure.charts import spending_chart
from expenditure.selectors import project_expenditure
from funding.charts import budget_chart
from funding.selectors import requested_funding
from projects.access import get_project, portal_page


@require_safe
@portal_page
def budget(request, slug: str):
    project = get_project(slug)
    versions, funding = requested_funding(project, request.GET.get("version"))
    # A superseded version's page compares the spending with that version, not with the
    # current one: the funding report linked from the page (same `?version=N`) does so, and
    # an auditor checking a report issued while that version was in force must find the same
    # planned, remaining and "over budget" figures here. The page says the spending is
    # today's and which version is current.
    expenditure = project_expenditure(project, funding)
    return render(
        request,
        "pages/budget.html",
        {
            "project": project,
            "funding": funding,
            "versions": versions,
            "showing_current": bool(versions) and funding.version == versions[0],
            # The downloads show the same version (none: the current one).
            "version_query": f"?version={funding.version.number}"
            if "version" in request.GET
            else "",
            "chart": budget_chart(
                funding,
                unplanned_label=_("Co-financing plan not yet entered"),
                unallocated_label=_("Not yet allocated"),
                approved_label=_("Planned total funding"),
            ),
            "partner_rows": [
                {"partner": p, "parts": [(s, p.part_from(s)) for s in funding.sources]}
                for p in funding.partners
            ],
            # The table's columns after the partner's name: total, sources, unplanned.
            "columns": 1 + len(funding.sources) + (1 if funding.unplanned.amount else 0),
            "expenditure": expenditure,
            "spending_chart": spending_chart(expenditure, period_label=_("Period %(number)s")),
            "tab": "budget",
        },
    )
