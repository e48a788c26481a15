"""The history of who may do what (the access trail), and the permission to read it. (The
register of issued reports is reports/models.py.)"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history import register

from urbact_portal.lib.history import AccessHistory


class AccessTrail(models.Model):
    """No table: holds the permission to read the access trail (audit/access.py)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_access_trail", _("Can see who changed users' roles and access")),
        ]

    def __str__(self) -> str:
        return str(_("access trail"))


# Who may do what is audited: a user's roles and admin access, the permissions each role
# holds (and its name, which finds it), and coordinator assignments (on
# Organisation.coordinators, audited with the organisation). Only changes to these make a
# row (urbact_portal/lib/history.py): a login, a new password or name does not.
register(
    get_user_model(),
    app=__package__,
    records_class=AccessHistory,
    access_fields=["is_staff", "is_superuser", "is_active"],
    m2m_fields=["groups"],
    excluded_fields=["password", "last_login"],
)
register(
    Group,
    app=__package__,
    records_class=AccessHistory,
    access_fields=["name"],
    m2m_fields=["permissions"],
)


# Deleting a group takes its role from every member without a signal of the users' own.
@receiver(pre_delete, sender=Group)
def _remember_members(sender, instance, **kwargs):
    instance._access_members = list(instance.user_set.all())


@receiver(post_delete, sender=Group)
def _record_members_lost_role(sender, instance, **kwargs):
    for user in instance.__dict__.pop("_access_members", []):
        AccessHistory.of[get_user_model()].record(user)
