"""Reads for the pages that combine several apps (money: funding/selectors.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from djmoney.money import Money

from funding import rules
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
from funding.selectors import euro
from partners.models import Organisation, Participation
from partners.scoping import PARTNER_FIELDS
from projects.models import Phase, Project
from projects.selectors import with_phase_state
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


def own_projects(
    *,
    today: dt.date,
    text: str | None = None,
    country: str | None = None,
    state: str | None = None,
) -> QuerySet[Project]:
    """The projects the portal's own organisation takes part in, by name, narrowed in the
    database (one query however many there are): `text` in the name or current name (either
    language), the acronym or a partner organisation's name; a partner in `country`; where
    the project stands today (`state`, as projects.timeline.phase_status says it)."""
    own = Participation.objects.filter(
        project=OuterRef("pk"), organisation__slug=settings.PORTAL_OWN_ORGANISATION
    )
    projects = Project.objects.filter(Exists(own))
    if text:
        projects = projects.filter(Q(pk__in=_named(text)) | Q(pk__in=_with_partner_named(text)))
    if country:
        in_country = Participation.objects.filter(
            project=OuterRef("pk"), organisation__city__country=country
        )
        projects = projects.filter(Exists(in_country))
    if state:
        projects = with_phase_state(projects, today=today).filter(phase_state=state)
    # The primary key breaks ties between equal names, so that pages do not overlap.
    return projects.select_related("programme").order_by("name", "pk")


# The two halves of the search by text are subqueries that do not depend on the row: the
# database runs each once, through the trigram indexes of the names on PostgreSQL (the
# models' Meta.indexes), instead of testing every project and its partners in turn.


def _named(text: str) -> QuerySet[Project]:
    """The projects with `text` in their name (either language), current name or acronym."""
    return Project.objects.filter(
        Q(name_lv__icontains=text)
        | Q(name_en__icontains=text)
        | Q(current_name__icontains=text)
        | Q(acronym__icontains=text)
    ).values("pk")


def _with_partner_named(text: str) -> QuerySet[Participation]:
    """The projects (their ids) of the partners with `text` in their name."""
    organisations = Organisation.objects.filter(
        Q(name_lv__icontains=text) | Q(name_en__icontains=text) | Q(local_name__icontains=text)
    )
    return Participation.objects.filter(organisation__in=organisations).values("project")


def partner_countries() -> list[str]:
    """The countries of the partners in the own organisation's projects (one query)."""
    own = Project.objects.filter(
        participations__organisation__slug=settings.PORTAL_OWN_ORGANISATION
    )
    return list(
        Participation.objects.filter(project__in=own)
        .order_by()
        .values_list("organisation__city__country", flat=True)
        .distinct()
    )


def project_cards(projects: Sequence[Project], *, today: dt.date) -> list[ProjectCard]:
    """The cards of one page of projects (4 queries, however many partners they have):
    their phases; the number of partners and countries, counted by the database; the
    current budget versions' totals; the budgets in those versions, for what is allocated
    (funding's one definition) and the own one."""
    ids = [p.pk for p in projects]
    phases: dict[int, list[Phase]] = {pk: [] for pk in ids}
    for phase in Phase.objects.filter(project__in=ids):
        phases[phase.project_id].append(phase)
    counts = {
        row["project"]: row
        for row in Participation.objects.filter(project__in=ids)
        .order_by()
        .values("project")
        .annotate(
            partners=Count("pk"), countries=Count("organisation__city__country", distinct=True)
        )
    }
    totals: dict[int, list[Decimal]] = {pk: [] for pk in ids}
    own_budgets: dict[int, Money] = {}
    own = settings.PORTAL_OWN_ORGANISATION
    approved: dict[int, Money] = {}
    versions = BudgetVersion.objects.filter(project__in=ids).order_by(
        "project", *BudgetVersion.CURRENT_FIRST
    )
    for project_id, total in versions.values_list("project", "total"):
        approved.setdefault(project_id, euro(total))  # the first of each project is current
    budgets = Budget.objects.in_current_versions().filter(participation__project__in=ids)
    budgets = budgets.values_list(
        "participation__project", "participation__organisation__slug", "total"
    )
    for project_id, organisation, total in budgets:
        totals[project_id].append(total)
        if organisation == own:
            own_budgets[project_id] = euro(total)
    return [
        ProjectCard(
            project=project,
            status=phase_status(phases[project.pk], today),
            partners=counts.get(project.pk, {}).get("partners", 0),
            countries=counts.get(project.pk, {}).get("countries", 0),
            approved_total=approved.get(project.pk, euro(Decimal("0.00"))),
            allocated=euro(rules.allocated(totals[project.pk])),
            own_budget=own_budgets.get(project.pk),
        )
        for project in projects
    ]


@dataclass(frozen=True)
class MissingItem:
    """Something a coordinator has not entered yet, and the admin form to enter it in."""

    label: str
    url: str


@dataclass(frozen=True)
class OrganisationWorklist:
    organisation: Organisation
    missing: list[MissingItem]
    more: int  # the partnerships with something missing beyond those listed


# The partnerships listed for each organisation: the portal's own organisation takes part in
# thousands of projects, and its coordinator's start page must not grow with them.
WORKLIST_PARTNERSHIPS = 10


def coordinator_worklist(*, user) -> list[OrganisationWorklist]:
    """The organisations the user keeps up to date, each with what is missing — a budget,
    its co-financing plan, its cost categories, the contact details — and the form to enter
    it in: the first WORKLIST_PARTNERSHIPS partnerships (by project name) with something
    missing and how many more there are, found and counted by the database (2 queries
    however many organisations and projects; none for a user who cannot use the admin, so
    that council staff's pages cost nothing more)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    organisations = list(Organisation.objects.filter(coordinators=user).order_by("name"))
    if not organisations:
        return []
    parts: dict[int, list[Participation]] = {org.pk: [] for org in organisations}
    counts: dict[int, int] = {}
    for part in _incomplete(organisations):
        parts[part.organisation_id].append(part)
        counts[part.organisation_id] = part.incomplete
    return [
        OrganisationWorklist(
            org,
            _missing(org, parts[org.pk]),
            more=counts.get(org.pk, 0) - len(parts[org.pk]),
        )
        for org in organisations
    ]


def _incomplete(organisations: list[Organisation]) -> QuerySet[Participation]:
    """The first WORKLIST_PARTNERSHIPS partnerships of each organisation with something
    missing (by project name), each with the number the organisation has (`incomplete`).
    Nothing is missing before a project manager enters the project's first budget version."""
    current_version = BudgetVersion.objects.filter(project=OuterRef("project")).order_by(
        *BudgetVersion.CURRENT_FIRST
    )
    by_organisation = {"partition_by": F("organisation"), "order_by": [F("project__name"), F("pk")]}
    return (
        Participation.objects.filter(organisation__in=organisations)
        .select_related("project")
        .annotate(current_version=Subquery(current_version.values("pk")[:1]))
        .filter(current_version__isnull=False)
        # Its budget in the current version (what a coordinator edits now), joined once
        # rather than looked up again by each test below.
        .annotate(
            current=FilteredRelation(
                "budgets", condition=Q(budgets__budget_version=F("current_version"))
            )
        )
        .annotate(
            current_budget=F("current__pk"),
            has_plan=Exists(CoFinancingShare.objects.filter(budget=OuterRef("current__pk"))),
            has_lines=Exists(BudgetLine.objects.filter(budget=OuterRef("current__pk"))),
        )
        .filter(Q(current_budget__isnull=True) | Q(has_plan=False) | Q(has_lines=False))
        .annotate(
            place=Window(RowNumber(), **by_organisation),
            incomplete=Window(Count("pk"), partition_by=F("organisation")),
        )
        .filter(place__lte=WORKLIST_PARTNERSHIPS)
        .order_by("organisation", "place")
    )


def _missing(organisation: Organisation, parts: list[Participation]) -> list[MissingItem]:
    items = []
    for part in parts:
        acronym = part.project.acronym
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
