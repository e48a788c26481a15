"""The register of issued funding reports: which report, for whom, when, its fingerprint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from urbact_portal.lib.grammar import MASCULINE, Noun


class IssuedReport(models.Model):
    """One PDF report as it was handed out. Rows are only ever added (never changed), so
    an auditor can look a fingerprint up and see when that exact set of figures was issued."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "issued report"))

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
    # What was issued, so that a copy can be checked later (reports/verification.py): the
    # canonical figures (funding.json, whose SHA-256 is `fingerprint`) and the PDF file's own
    # SHA-256. Empty for reports registered before they were kept.
    figures = models.TextField(_("figures (canonical JSON)"), blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the PDF file"), max_length=64, blank=True, db_index=True, editable=False
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
