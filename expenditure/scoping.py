"""Who may see, edit, submit, certify and reject which partner's expenditure: the one place.

Decided by permissions and assignments, never by a group's name (projects/roles.py):

- Seeing: holders of `partners.view_every_partner` (auditors, project managers) and
  superusers see every partner's lines and documents; anyone else those of the organisations
  they coordinate (Organisation.coordinators) or control (Organisation.controllers).
- Editing and submitting drafts: the model permissions (Coordinators role) *and* the line's
  organisation being one the user coordinates; superusers for every organisation.
- Certifying and rejecting submitted lines: `expenditure.certify_expenditureline`
  (Controllers role) *and* the line's organisation being one the user is assigned to as
  controller; superusers for every organisation. Being a manager or an auditor never
  widens either.
"""

from __future__ import annotations

from django.db.models import QuerySet

from partners.scoping import edits_every_partner, own_organisation_ids, sees_every_partner

SUBMIT = "expenditure.submit_expenditureline"
CERTIFY = "expenditure.certify_expenditureline"
# From a line to its organisation (as partners/scoping.py's paths).
LINE_PATH = "participation__organisation"


def controlled_organisation_ids(user) -> list[int]:
    """The organisations the user checks as first-level controller (cached on the user)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_controlled_organisation_ids", None)
    if cached is None:
        cached = list(user.controlled_organisations.values_list("pk", flat=True))
        user._controlled_organisation_ids = cached
    return cached


def _coordinated(user) -> list[int]:
    return own_organisation_ids(user) if user.is_authenticated else []


def visible_organisation_ids(user) -> set[int]:
    return set(_coordinated(user)) | set(controlled_organisation_ids(user))


def visible(queryset: QuerySet, user, path: str = LINE_PATH) -> QuerySet:
    """The rows whose partner's expenditure the user may see."""
    if sees_every_partner(user):
        return queryset
    return queryset.filter(**{f"{path}__in": visible_organisation_ids(user)})


def editable(queryset: QuerySet, user, path: str = LINE_PATH) -> QuerySet:
    """The rows the user may record expenditure for (coordinated organisations)."""
    if edits_every_partner(user):
        return queryset
    return queryset.filter(**{f"{path}__in": _coordinated(user)})


def decidable(queryset: QuerySet, user, path: str = LINE_PATH) -> QuerySet:
    """The rows the user may certify or reject (controlled organisations)."""
    if not user.has_perm(CERTIFY):
        return queryset.none()
    if edits_every_partner(user):
        return queryset
    return queryset.filter(**{f"{path}__in": controlled_organisation_ids(user)})


def _organisation_id(line) -> int | None:
    participation = getattr(line, "participation", None)
    return participation.organisation_id if participation is not None else None


def may_see(user, line) -> bool:
    if sees_every_partner(user):
        return True
    return _organisation_id(line) in visible_organisation_ids(user)


def may_edit(user, line) -> bool:
    """Whether the user may record or change this (draft) line's data, or submit it; None,
    or a line not yet attached to a partner: as far as `editable` allows."""
    if line is None or line.participation_id is None or edits_every_partner(user):
        return True
    return _organisation_id(line) in _coordinated(user)


def may_decide(user, line) -> bool:
    if not user.has_perm(CERTIFY):
        return False
    if line is None or edits_every_partner(user):
        return True
    return _organisation_id(line) in controlled_organisation_ids(user)


def is_controller(user) -> bool:
    """Whether the user has lines to check anywhere (for the start page and the header)."""
    return (
        user.is_authenticated
        and user.has_perm(CERTIFY)
        and bool(controlled_organisation_ids(user) or edits_every_partner(user))
    )
