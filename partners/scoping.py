"""Which partner data a user may see and edit in the admin: the one place for the rule.

A coordinator (a member of the "Coordinators" group) keeps up to date only the data of
the organisations they are assigned to (Organisation.coordinators). Superusers and project
managers are not limited; auditors only read (their permissions are view-only).
"""

from __future__ import annotations

from django.db.models import QuerySet

from projects.roles import COORDINATORS


def is_scoped(user) -> bool:
    """True when the user's admin access is limited to their own organisations."""
    if user.is_superuser or user.has_perm("projects.manage_project"):
        return False
    cached = getattr(user, "_is_coordinator", None)
    if cached is None:
        cached = user.groups.filter(name=COORDINATORS).exists()
        user._is_coordinator = cached
    return cached


def own_organisation_ids(user) -> list[int]:
    cached = getattr(user, "_own_organisation_ids", None)
    if cached is None:
        cached = list(user.coordinated_organisations.values_list("pk", flat=True))
        user._own_organisation_ids = cached
    return cached


def scope(queryset: QuerySet, user, path: str) -> QuerySet:
    """Limit `queryset` to the rows whose organisation (reached by `path`) the user
    coordinates; unchanged for users who are not limited."""
    if not is_scoped(user):
        return queryset
    return queryset.filter(**{f"{path}__in": own_organisation_ids(user)})


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
    """Whether the user may see or edit this one row (always, for users not limited)."""
    if obj is None or not is_scoped(user):
        return True
    return organisation_id_of(obj, path) in own_organisation_ids(user)
