"""Reads for the pages that combine several apps (money: funding/selectors.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from djmoney.money import Money

from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
from funding.selectors import allocated_of
from partners.models import Organisation, Participation
from partners.scoping import PARTNER_FIELDS
from projects.models import Project
from projects.timeline import PhaseStatus, phase_status


@dataclass(frozen=True)
class ProjectCard:
    """A project as the index lists it: its key figures at a glance."""

    project: Project
    status: PhaseStatus
    partners: int
    countries: int
    approved_total: Money  # the current budget version's total (0 before the first)
    allocated: Money
    own_budget: Money | None  # None: the portal's organisation has no budget entered yet


def project_cards(*, today: dt.date) -> list[ProjectCard]:
    """The projects the portal's own organisation takes part in (5 queries, any number)."""
    own = settings.PORTAL_OWN_ORGANISATION
    projects = (
        Project.objects.filter(participations__organisation__slug=own)
        .select_related("programme__fund")
        .prefetch_related(
            "phases",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related(
                    "organisation__city"
                ).prefetch_related(
                    Prefetch(
                        "budgets",
                        queryset=Budget.objects.in_current_versions(),
                        to_attr="current_budgets",
                    )
                ),
            ),
            Prefetch(
                "budget_versions",
                queryset=BudgetVersion.objects.order_by(*BudgetVersion.CURRENT_FIRST),
            ),
        )
        .distinct()
        .order_by("name")
    )
    return [_card(project, own, today) for project in projects]


def _card(project: Project, own: str, today: dt.date) -> ProjectCard:
    parts = list(project.participations.all())
    budgets = {p.pk: next(iter(p.current_budgets), None) for p in parts}
    allocated = allocated_of(budgets.values())
    own_budget = next((budgets[p.pk] for p in parts if p.organisation.slug == own), None)
    current = next(iter(project.budget_versions.all()), None)
    return ProjectCard(
        project=project,
        status=phase_status(list(project.phases.all()), today),
        partners=len(parts),
        countries=len({p.organisation.city.country.code for p in parts}),
        approved_total=current.total if current else Money(0, "EUR"),
        allocated=allocated,
        own_budget=own_budget.total if own_budget is not None else None,
    )


@dataclass(frozen=True)
class MissingItem:
    """Something a coordinator has not entered yet, and the admin form to enter it in."""

    label: str
    url: str


@dataclass(frozen=True)
class OrganisationWorklist:
    organisation: Organisation
    missing: list[MissingItem]


def coordinator_worklist(*, user) -> list[OrganisationWorklist]:
    """The organisations the user keeps up to date, each with what is missing — a budget,
    its co-financing plan, its cost categories, the contact details — and the form to enter
    it in (2 queries however many organisations and projects; none for a user who cannot use
    the admin, so that council staff's pages cost nothing more)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    current = Budget.objects.in_current_versions()
    participations = (
        Participation.objects.select_related("project")
        .annotate(
            # Its budget in the current version (what a coordinator edits now).
            current_budget=Subquery(current.filter(participation=OuterRef("pk")).values("pk")[:1]),
            has_version=Exists(BudgetVersion.objects.filter(project=OuterRef("project"))),
            has_plan=Exists(CoFinancingShare.objects.filter(budget=OuterRef("current_budget"))),
            has_lines=Exists(BudgetLine.objects.filter(budget=OuterRef("current_budget"))),
        )
        .order_by("project__name")
    )
    organisations = (
        Organisation.objects.filter(coordinators=user)
        .prefetch_related(Prefetch("participations", queryset=participations))
        .order_by("name")
    )
    return [OrganisationWorklist(org, _missing(org)) for org in organisations]


def _missing(organisation: Organisation) -> list[MissingItem]:
    items = []
    for part in organisation.participations.all():
        acronym = part.project.acronym
        if not part.has_version:
            continue  # nothing to enter before a project manager enters the first version
        if part.current_budget is None:
            url = reverse("admin:funding_budget_add") + f"?participation={part.pk}"
            label = _("%(project)s: budget, co-financing plan and cost categories")
            items.append(MissingItem(label % {"project": acronym}, url))
            continue
        url = reverse("admin:funding_budget_change", args=[part.current_budget])
        if not part.has_plan:
            label = _("%(project)s: co-financing plan")
            items.append(MissingItem(label % {"project": acronym}, url))
        if not part.has_lines:
            label = _("%(project)s: cost categories")
            items.append(MissingItem(label % {"project": acronym}, url))
    # The contact fields a coordinator keeps (partners/scoping.py), in the form's order.
    empty = [
        str(Organisation._meta.get_field(name).verbose_name)
        for name in PARTNER_FIELDS
        if not getattr(organisation, name)
    ]
    if empty:
        url = reverse("admin:partners_organisation_change", args=[organisation.pk])
        label = _("contact details: %(fields)s") % {"fields": ", ".join(empty)}
        items.append(MissingItem(label, url))
    return items
