"""Reads of a project's schedule, for the timeline and overview pages."""

from __future__ import annotations

from projects.models import Milestone, Phase, Project


def project_schedule(project: Project) -> tuple[list[Phase], list[Milestone]]:
    """The project's phases and milestones, in date order (2 queries)."""
    phases = list(project.phases.order_by("start", "number"))
    milestones = list(project.milestones.select_related("phase").order_by("start", "title"))
    return phases, milestones
