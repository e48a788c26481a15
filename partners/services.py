"""Writes of partner data that touch several rows."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from partners.models import Organisation
from projects.roles import ADMIN_ROLES, COORDINATORS


@transaction.atomic
def coordinators_enable(*, organisation: Organisation) -> None:
    """Give the organisation's coordinators what they need to do the job: the Coordinators
    role and access to the admin (where they see only their own organisations' data)."""
    group = Group.objects.get(name=COORDINATORS)
    for user in organisation.coordinators.all():
        changed = not user.is_staff
        user.is_staff = True
        if changed:
            user.save(update_fields=["is_staff"])
        user.groups.add(group)


@transaction.atomic
def coordinators_disable(*, users) -> None:
    """Take the Coordinators role back from users who no longer coordinate any organisation,
    and their admin access too unless another role (or superuser status) needs it."""
    group = Group.objects.get(name=COORDINATORS)
    for user in users:
        if user.coordinated_organisations.exists():
            continue
        user.groups.remove(group)
        other_admin_roles = user.groups.filter(name__in=ADMIN_ROLES - {COORDINATORS}).exists()
        if user.is_staff and not user.is_superuser and not other_admin_roles:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
