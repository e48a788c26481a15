"""Writes of partner data that touch several rows."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat

from partners.models import Organisation
from projects.roles import CONTROLLERS, COORDINATORS, role_group


@transaction.atomic
def coordinators_enable(*, organisation: Organisation) -> bool:
    """Give the organisation's coordinators what they need to do the job: the Coordinators
    role and access to the admin (where they see only their own organisations' data).

    False when there is a coordinator but no role to give (its group renamed or deleted):
    then nobody is given anything; the assignment alone grants no right."""
    return _enable(list(organisation.coordinators.all()), COORDINATORS)


@transaction.atomic
def controllers_enable(*, organisation: Organisation) -> bool:
    """The same for the organisation's first-level controllers: the Controllers role and
    admin access (where they decide only their own organisations' expenditure)."""
    return _enable(list(organisation.controllers.all()), CONTROLLERS)


def _enable(users: list, role: str) -> bool:
    group = role_group(role)
    if group is None:
        return not users
    for user in users:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    return True


def needs_admin(user) -> bool:
    """Whether the user still holds a permission to view or edit some model (directly or
    through any of their groups, whatever its name), i.e. has something to do in the admin.
    The portal's own permissions (reading pages and reports) need no admin."""
    model_permissions = Q()
    for action in ("view", "add", "change", "delete"):
        model_permissions |= Q(codename=Concat(Value(f"{action}_"), "content_type__model"))
    held = Q(user=user) | Q(group__user=user)
    return Permission.objects.filter(model_permissions, held).exists()


@transaction.atomic
def coordinators_disable(*, users) -> bool:
    """Take the Coordinators role back from users who no longer coordinate any organisation,
    and their admin access too unless their other permissions (or superuser status) need it.

    False when there was a role to take but none to find (its group renamed or deleted):
    their edit rights end anyway, as they come with an assignment (partners/scoping.py)."""
    return _disable(users, COORDINATORS, "coordinated_organisations")


@transaction.atomic
def controllers_disable(*, users) -> bool:
    """The same for controllers taken off their last organisation."""
    return _disable(users, CONTROLLERS, "controlled_organisations")


def _disable(users, role: str, assignments: str) -> bool:
    group = role_group(role)
    found = True
    for user in users:
        if getattr(user, assignments).exists():
            continue
        if group is None:
            found = False
        else:
            user.groups.remove(group)
        if user.is_staff and not user.is_superuser and not needs_admin(user):
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    return found
