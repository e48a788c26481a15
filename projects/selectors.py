"""Reads of projects' schedules, for the timeline and overview pages and the index."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.db.models.functions import Coalesce

from projects.models import Milestone, Phase, Project


def project_schedule(project: Project) -> tuple[list[Phase], list[Milestone]]:
    """The project's phases and milestones, in date order (2 queries)."""
    phases = list(project.phases.order_by("start", "number"))
    milestones = list(project.milestones.select_related("phase").order_by("start", "title"))
    return phases, milestones


# The states of projects.timeline.PhaseStatus, in the order a reader thinks of them.
PHASE_STATES = ("before", "running", "between", "completed", "empty")


def with_phase_state(projects: QuerySet[Project], *, today: dt.date) -> QuerySet[Project]:
    """`projects` annotated with `phase_state`: what timeline.phase_status(phases, today).state
    says, computed by the database, so that a list of thousands can be filtered by it and
    paginated without loading every project's phases. The two must agree
    (tests/test_pages_index_search.py checks every state against phase_status)."""
    phases = Phase.objects.filter(project=OuterRef("pk"))
    running = phases.annotate(last_day=Coalesce("actual_end", "planned_end")).filter(
        start__lte=today, last_day__gte=today
    )
    return projects.annotate(
        phase_state=Case(
            When(~Exists(phases), then=Value("empty")),
            When(Exists(running), then=Value("running")),
            # Nothing has started yet: the first phase is still to come.
            When(~Exists(phases.filter(start__lte=today)), then=Value("before")),
            When(Exists(phases.filter(start__gt=today)), then=Value("between")),
            default=Value("completed"),
            output_field=CharField(),
        )
    )
