"""Who may see and edit which partner's data in the admin: the one place for the rule.

Everything here is decided by the assignment (Organisation.coordinators) and by permissions,
never by a group's name: renaming or deleting a group can only take rights away.

Seeing. A superuser, or a holder of `partners.view_every_partner` (the Auditors and Project
managers roles), sees every partner's rows, as far as their view permissions go. Anyone
else sees only the rows of the organisations they coordinate, and none if they coordinate
none; another partner's row is a 404, by list, URL, form or autocomplete.

Editing partner data — a budget, its co-financing shares and cost lines, an organisation's
initiatives and its contact fields (`PARTNER_FIELDS`) — takes the model permission (the
Coordinators role holds them) *and* the row belonging to an organisation the user
coordinates. Only superusers are not limited. No other role or permission widens this: a
project manager who is also assigned to Ventspils edits Ventspils' budget and no other
partner's. (Whoever enters a new organisation fills in its contact fields: it has no
coordinator yet.)

Project-wide data — programmes, projects, phases, milestones, funding sources, the
participations (which organisation takes part in which project, with which role), and
entering, renaming (name, local name, and `PROJECT_WIDE_FIELDS`: URL name, city) or
deleting organisations — is edited with the model permissions of the Project managers role
(`projects.manage_project`), for every organisation, whether or not the user coordinates
it. A coordinator may change their own organisation's name and local name too; its URL
name, city and coordinators they only read.

Auditors hold view permissions only, so they change nothing; only an assignment by a
superuser would make one a coordinator too, with exactly a coordinator's rights.

Assigning coordinators and first-level controllers (`ASSIGNMENT_FIELDS`) is for superusers
and holders of `partners.assign_coordinators`, which no role holds: an assignment is what
grants the edit (and certify) rights, so giving one must be narrower than any role. What a
controller may do with the assignment: expenditure/scoping.py.
"""

from __future__ import annotations

from django.db.models import QuerySet

from projects.roles import MANAGE_PROJECTS

SEE_EVERY_PARTNER = "partners.view_every_partner"
ASSIGN_COORDINATORS = "partners.assign_coordinators"

# Fields of an Organisation, by who may change them (see the module's docstring).
PARTNER_FIELDS = ["website", "contact_name", "contact_email"]
PROJECT_WIDE_FIELDS = ["slug", "city"]
ASSIGNMENT_FIELDS = ["coordinators", "controllers"]


def sees_every_partner(user) -> bool:
    return user.has_perm(SEE_EVERY_PARTNER)  # True for active superusers


def edits_every_partner(user) -> bool:
    return user.is_active and user.is_superuser


def may_assign_coordinators(user) -> bool:
    return user.has_perm(ASSIGN_COORDINATORS)


def manages_projects(user) -> bool:
    return user.has_perm(MANAGE_PROJECTS)


def own_organisation_ids(user) -> list[int]:
    """The organisations the user coordinates (cached on the user for the request)."""
    cached = getattr(user, "_own_organisation_ids", None)
    if cached is None:
        cached = list(user.coordinated_organisations.values_list("pk", flat=True))
        user._own_organisation_ids = cached
    return cached


def _own_rows(queryset: QuerySet, user, path: str) -> QuerySet:
    return queryset.filter(**{f"{path}__in": own_organisation_ids(user)})


def scope(queryset: QuerySet, user, path: str) -> QuerySet:
    """The rows of `queryset` the user may see: those whose organisation (reached by `path`,
    e.g. "participation__organisation") the user coordinates, or all for who sees every
    partner."""
    return queryset if sees_every_partner(user) else _own_rows(queryset, user, path)


def editable(queryset: QuerySet, user, path: str) -> QuerySet:
    """The rows of `queryset` whose partner data the user may edit (e.g. the participations
    a budget may be entered for)."""
    return queryset if edits_every_partner(user) else _own_rows(queryset, user, path)


def organisation_id_of(obj, path: str) -> int | None:
    """Follow `path` (as in `scope`) from a row to its organisation's primary key."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def in_scope(user, obj, path: str) -> bool:
    """Whether the user may see this one row (None: no row in particular)."""
    if obj is None or sees_every_partner(user):
        return True
    return organisation_id_of(obj, path) in own_organisation_ids(user)


def may_edit(user, obj, path: str) -> bool:
    """Whether the user may edit this row's partner data (the model permission aside).
    None, no row in particular, or a row not yet stored (a new organisation): yes, as far
    as the rows it may be attached to allow (`editable`)."""
    if obj is None or obj.pk is None or edits_every_partner(user):
        return True
    return organisation_id_of(obj, path) in own_organisation_ids(user)


def may_change_organisation(user, organisation) -> bool:
    """Whether any field of this organisation is open to the user (the model permission
    aside): project managers change every organisation's project-wide fields, coordinators
    their own organisation's."""
    return manages_projects(user) or may_edit(user, organisation, "pk")


def organisation_closed_fields(user, organisation) -> list[str]:
    """The fields of `organisation` (None: a new one) the user may not change."""
    closed = [] if may_assign_coordinators(user) else list(ASSIGNMENT_FIELDS)
    if not manages_projects(user):
        closed += PROJECT_WIDE_FIELDS
    if not may_edit(user, organisation, "pk"):
        closed += PARTNER_FIELDS
    return closed
