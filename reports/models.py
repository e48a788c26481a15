"""The register of issued funding reports: which report, for whom, when, its fingerprint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from urbact_portal.lib.grammar import FEMININE, MASCULINE, Noun


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


class ReportRun(models.Model):
    """A request to produce many partner reports in the background (reports/runs.py): who
    asked, for what, and how far the workers have got. Each report it produces is issued and
    registered like any other (an IssuedReport); its items say which."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "background report run"))

    class Scope(models.TextChoices):
        # A reporting period (when the portal has them) is one more scope with its own
        # foreign key here and one more branch in runs.participations_in_scope().
        PROJECT = "project", _("all partners of a project")
        PORTFOLIO = "portfolio", _("all partners of every project")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        DONE_WITH_ERRORS = "errors", _("ready, with errors")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="report_runs",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_runs",
    )
    language = models.CharField(_("language"), max_length=8)
    # The page each PDF links to on how to check it, as the request that started the run
    # saw it: a worker has no request to build the absolute address from.
    help_url = models.CharField(max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("reports to make"), default=0)
    done = models.PositiveIntegerField(_("reports made"), default=0)
    failed = models.PositiveIntegerField(_("reports failed"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background report run")
        verbose_name_plural = _("background report runs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="project", project__isnull=False)
                    | models.Q(scope="portfolio", project__isnull=True)
                ),
                name="report_run_project_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.DONE_WITH_ERRORS}


class ReportRunItem(models.Model):
    """One partner report of a run: waiting, made (and which register entry it is, and where
    its PDF is kept until downloaded) or failed (and why)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("ready")
        FAILED = "failed", _("error")

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="items")
    participation = models.ForeignKey(
        "partners.Participation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    issued_report = models.OneToOneField(
        IssuedReport, on_delete=models.PROTECT, null=True, blank=True, related_name="run_item"
    )
    pdf_path = models.CharField(max_length=300, blank=True)  # in runs.run_files()
    filename = models.CharField(max_length=200, blank=True)  # its name in the zip
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participation"], name="report_run_item_once_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.participation_id}: {self.status}"
