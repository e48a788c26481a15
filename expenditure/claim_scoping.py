"""Who may see and record which partner's claims and state co-financing: the one place.

- Seeing: as the partner's expenditure (expenditure/scoping.py `visible`): whoever sees every
  partner (auditors, project managers), and the partner's coordinators and controllers.
- Recording (adding, changing): the model permissions (the Coordinators and Project managers
  roles) *and* either managing projects (`projects.manage_project`: every partner) or
  coordinating the partner's organisation. Deleting: project managers only (the roles).
Decided by permissions and assignments, never by a group's name.
"""

from __future__ import annotations

from django.db.models import QuerySet

from expenditure import scoping
from partners.scoping import edits_every_partner, manages_projects, own_organisation_ids

ADD_CLAIM = "expenditure.add_claim"
# From a claim (or a state co-financing row) to its organisation.
CLAIM_PATH = "participation__organisation"


def records_claims(user) -> bool:
    """Whether the user records claims for some partner (for the page's link)."""
    if not (user.is_authenticated and user.has_perm(ADD_CLAIM)):
        return False
    return _every_partner(user) or bool(own_organisation_ids(user))


def _every_partner(user) -> bool:
    return edits_every_partner(user) or manages_projects(user)


def visible(queryset: QuerySet, user, path: str = CLAIM_PATH) -> QuerySet:
    return scoping.visible(queryset, user, path)


def recordable(queryset: QuerySet, user, path: str = CLAIM_PATH) -> QuerySet:
    """The rows (claims, or participations with path "organisation") the user records for."""
    if _every_partner(user):
        return queryset
    return queryset.filter(**{f"{path}__in": own_organisation_ids(user)})


def may_record(user, obj) -> bool:
    """Whether the user may record this claim (None, or not yet attached: as `recordable`)."""
    if obj is None or obj.participation_id is None or _every_partner(user):
        return True
    return obj.participation.organisation_id in own_organisation_ids(user)
