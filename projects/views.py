"""The timeline page: phases on a time axis, milestones, today (projects/timeline.py)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from projects import timeline
from projects.access import get_project, portal_page
from projects.selectors import project_schedule


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
