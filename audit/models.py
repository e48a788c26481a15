"""The register of issued funding reports (which report, for whom, when, its fingerprint), and
the history of who may do what."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history import register

from audit.history import AccessHistory


class IssuedReport(models.Model):
    """One PDF report as it was handed out. Rows are only ever added (never changed), so
    an auditor can look a fingerprint up and see when that exact set of figures was issued."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project funding report")
        PARTNER = "partner", _("Partner funding report")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="issued_reports",
    )
    participation = models.ForeignKey(
        "partners.Participation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_reports",
    )
    language = models.CharField(_("language"), max_length=8)
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64, db_index=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True, db_index=True)
    issued_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_reports",
        help_text=_("Empty for reports made by a command."),
    )
    changes_since_previous = models.PositiveIntegerField(
        _("changes since the previous report of this kind"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="project", participation__isnull=True)
                    | models.Q(kind="partner", participation__isnull=False)
                ),
                name="issued_report_partner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.fingerprint[:12]}… ({self.issued_at:%Y-%m-%d %H:%M})"
        )


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
# row (audit/history.py): a login, a new password or name does not.
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
