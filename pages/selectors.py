"""Reads for the pages that combine several apps (money: funding/selectors.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from djmoney.money import Money

from funding.selectors import allocated_of
from partners.models import Participation
from projects.models import Project
from projects.timeline import PhaseStatus, phase_status


@dataclass(frozen=True)
class ProjectCard:
    """A project as the index lists it: its key figures at a glance."""

    project: Project
    status: PhaseStatus
    partners: int
    countries: int
    allocated: Money
    own_budget: Money | None  # None: the portal's organisation has no budget entered yet


def project_cards(*, today: dt.date) -> list[ProjectCard]:
    """The projects the portal's own organisation takes part in (3 queries, any number)."""
    own = settings.PORTAL_OWN_ORGANISATION
    projects = (
        Project.objects.filter(participations__organisation__slug=own)
        .select_related("programme__fund")
        .prefetch_related(
            "phases",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation__city", "budget"),
            ),
        )
        .distinct()
        .order_by("name")
    )
    return [_card(project, own, today) for project in projects]


def _card(project: Project, own: str, today: dt.date) -> ProjectCard:
    parts = list(project.participations.all())
    allocated = allocated_of(getattr(p, "budget", None) for p in parts)
    own_budget = next(
        (getattr(p, "budget", None) for p in parts if p.organisation.slug == own), None
    )
    return ProjectCard(
        project=project,
        status=phase_status(list(project.phases.all()), today),
        partners=len(parts),
        countries=len({p.organisation.city.country.code for p in parts}),
        allocated=allocated,
        own_budget=own_budget.total if own_budget is not None else None,
    )
