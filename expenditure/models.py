"""Expenditure: what partners have spent, per reporting period, and its first-level control.

- `ReportingPeriod`: a project's numbered periods (start, end, partner report due).
- `ExchangeRate`: the Commission's monthly accounting rates (InforEuro), per currency.
- `ExpenditureLine`: one payment of a partner, draft → submitted → certified or rejected.
  At submission the line stores the rate of that month and its euro amount; both are never
  recomputed. Certified and rejected lines never change: a correction is a new line that
  `corrects` the old one.
- `SupportingDocument`: an invoice, proof of payment or timesheet of a line, kept in the
  private storage (no URL; expenditure/views.py serves it after checking who asks).

The status steps are in expenditure/services.py, who may take them in expenditure/scoping.py,
the conversion and its rounding in expenditure/rules.py, the upload rules in uploads.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField

from expenditure import uploads
from expenditure.rules import EURO
from funding.models import CostCategory
from projects.models import Project
from urbact_portal.lib.constraints import validate_constraints_in_memory
from urbact_portal.lib.currency import EURO_CHOICES, SPENDING_CHOICES
from urbact_portal.lib.dates import DATE_VALIDATORS, dates_in_range, format_date
from urbact_portal.lib.grammar import FEMININE, MASCULINE, Noun
from urbact_portal.lib.history import TrailHistory
from urbact_portal.lib.querysets import AuditedQuerySet
from urbact_portal.lib.storage import private_storage

RATE_DIGITS = {"max_digits": 18, "decimal_places": 6}  # InforEuro: up to 4 decimals today
POSITIVE = [MinValueValidator(0)]


class ReportingPeriod(models.Model):
    """A project's reporting period: partners report the spending paid in it."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "reporting period"))

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reporting_periods",
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    start = models.DateField(_("start"), validators=DATE_VALIDATORS)
    end = models.DateField(_("end"), validators=DATE_VALIDATORS)
    report_due = models.DateField(
        _("partner report due"),
        null=True,
        blank=True,
        validators=DATE_VALIDATORS,
        help_text=_("The date by which partners hand in their report for this period."),
    )
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="reporting_period_unique_number",
                violation_error_message=_("The project already has a period of this number."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="reporting_period_end_after_start",
                violation_error_message=_("A period ends on or after its start."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="reporting_period_number_positive",
                violation_error_message=_("Periods are numbered from 1."),
            ),
            *dates_in_range("reporting_period", "start", "end", "report_due"),
        ]

    def __str__(self) -> str:
        return _("%(project)s, period %(number)s (%(start)s – %(end)s)") % {
            "project": self.project.acronym if self.project_id else "–",
            "number": self.number,
            "start": format_date(self.start) if self.start else "–",
            "end": format_date(self.end) if self.end else "–",
        }

    def clean(self) -> None:
        super().clean()
        if not (self.project_id and self.start and self.end) or self.end < self.start:
            return
        # Under the project's lock, so that two periods saved at once are checked one after
        # the other (ProjectQuerySet.locked explains the order).
        Project.objects.locked(self.project_id)
        overlapping = (
            ReportingPeriod.objects.filter(
                project_id=self.project_id, start__lte=self.end, end__gte=self.start
            )
            .exclude(pk=self.pk)
            .order_by("number")
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                _("The period overlaps period %(number)s (%(start)s – %(end)s).")
                % {
                    "number": overlapping.number,
                    "start": format_date(overlapping.start),
                    "end": format_date(overlapping.end),
                }
            )


class ExchangeRateQuerySet(AuditedQuerySet):
    def rate_for(self, currency: str, month) -> ExchangeRate | None:
        return self.filter(currency=currency, month=month).first()


class ExchangeRate(models.Model):
    """The Commission's accounting rate of the euro for one currency and month (InforEuro):
    how many units of the currency one euro is worth."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "exchange rate"))

    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}\Z", _("An ISO 4217 code of three capitals."))],
        help_text=_("ISO 4217 code, e.g. RON."),
    )
    month = models.DateField(
        _("month"),
        validators=DATE_VALIDATORS,
        help_text=_("The first day of the month the rate applies to."),
    )
    rate = models.DecimalField(
        _("units of the currency per 1 EUR"),
        **RATE_DIGITS,
        validators=[MinValueValidator(0)],
    )
    objects = ExchangeRateQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "month"],
                name="exchange_rate_unique_month",
                violation_error_message=_("This currency already has a rate for this month."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("A rate must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(currency=EURO),
                name="exchange_rate_not_euro",
                violation_error_message=_("The euro needs no rate: it is always 1."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="exchange_rate_first_of_month",
                violation_error_message=_("A rate's month is given by its first day."),
            ),
            *dates_in_range("exchange_rate", "month"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%Y-%m}: {self.rate}"


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("expenditure status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("expenditure status", "Submitted")
    CERTIFIED = "certified", pgettext_lazy("expenditure status", "Certified")
    REJECTED = "rejected", pgettext_lazy("expenditure status", "Rejected")


# A line in one of these states is decided: it never changes again.
FINAL = frozenset({Status.CERTIFIED, Status.REJECTED})
# Lines reported to the controller and not rejected: what the figures add up.
REPORTED = (Status.SUBMITTED, Status.CERTIFIED)


class LineFrozen(ValidationError):
    """A write to a certified or rejected line (or a submitted one outside the services)."""


class ExpenditureLineQuerySet(AuditedQuerySet):
    def waiting(self) -> ExpenditureLineQuerySet:
        """Submitted lines waiting for the controller, oldest submission first."""
        return self.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk")

    # What counts in the figures: the one definition every reader uses (the expenditure
    # page, its CSV, the reports, the ERDF due that bounds the claims). A line counts once
    # it is reported (submitted or certified) unless it is *superseded*: a certified
    # correction of it replaces it, so its spending is not counted twice. Until the
    # correction is certified the old certification stands (the controller may still
    # reject the correction), and the waiting correction of a certified line does not count
    # beside it: the same spending is never in `submitted` twice. A rejected line never
    # counts; its correction counts as soon as it is submitted.

    def counted(self) -> ExpenditureLineQuerySet:
        """The lines the figures add up: reported and not superseded, and not a waiting
        correction of a line whose certification still stands."""
        return (
            self.filter(status__in=REPORTED)
            .exclude(Exists(_certified_correction()))
            .exclude(Exists(_certified_original()), status=Status.SUBMITTED)
        )

    def with_corrected_by(self) -> ExpenditureLineQuerySet:
        """Each line with `corrected_by`: the id of the certified correction that supersedes
        it, or None (such a line no longer counts)."""
        return self.annotate(corrected_by=Subquery(_certified_correction().values("pk")[:1]))

    def update(self, **kwargs) -> int:
        # A bulk write would bypass save()'s guard: only drafts may be changed in bulk.
        if self.exclude(status=Status.DRAFT).exists():
            raise LineFrozen(_("Only draft lines can be changed."), code="frozen")
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=Status.DRAFT).exists():
            raise LineFrozen(_("Only draft lines can be deleted."), code="frozen")
        return super().delete()


def _certified_original() -> ExpenditureLineQuerySet:
    """The certified line that the line in the outer query corrects, if it is certified."""
    return ExpenditureLine.objects.filter(pk=OuterRef("corrects_id"), status=Status.CERTIFIED)


def _certified_correction() -> ExpenditureLineQuerySet:
    """The certified correction of the line in the outer query (at most one: the
    `expenditure_one_correction` constraint)."""
    return ExpenditureLine.objects.filter(corrects=OuterRef("pk"), status=Status.CERTIFIED)


class ExpenditureLine(models.Model):
    """One payment a partner made, as recorded for first-level control."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "expenditure line"))
    Status = Status

    participation = models.ForeignKey(
        "partners.Participation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="expenditure_lines",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    paid_on = models.DateField(_("date paid"), validators=DATE_VALIDATORS)
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory)
    description = models.CharField(_("description"), max_length=500)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    document_reference = models.CharField(
        _("invoice or document number"), max_length=100, blank=True
    )
    amount = MoneyField(
        _("amount (original currency)"),
        max_digits=14,
        decimal_places=2,
        default_currency=EURO,
        currency_choices=SPENDING_CHOICES,
    )
    # Set at submission, never recomputed (expenditure/services.py, rules.py).
    rate = models.DecimalField(
        _("exchange rate used"), **RATE_DIGITS, null=True, blank=True, editable=False
    )
    rate_month = models.DateField(_("month of the rate"), null=True, blank=True, editable=False)
    amount_eur = MoneyField(
        _("amount in euro"),
        max_digits=14,
        decimal_places=2,
        default_currency=EURO,
        currency_choices=EURO_CHOICES,
        null=True,
        blank=True,
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("controller"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    rejection_reason = models.TextField(
        _("reason for rejection"), max_length=2000, blank=True, editable=False
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="corrections",
        help_text=_("The certified or rejected line this line corrects."),
    )
    is_sample = models.BooleanField(
        _("sample"),
        default=False,
        editable=False,
        help_text=_("Made up for the demonstration, not real spending."),
    )
    history = TrailHistory()

    objects = ExpenditureLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("expenditure line")
        verbose_name_plural = _("expenditure")
        ordering = ["period__number", "paid_on", "pk"]
        # What they allow is in expenditure/scoping.py; the roles migration says who holds them.
        permissions = [
            ("submit_expenditureline", _("Can submit expenditure to the controller")),
            ("certify_expenditureline", _("Can certify or reject submitted expenditure")),
        ]
        indexes = [
            # The controllers' start page (views.py to_check, `waiting()`): the lines waiting,
            # oldest submission first, 50 a page. Only waiting lines are in it, so it stays
            # small while certified lines pile up; PostgreSQL reads the first 50 from it
            # instead of sorting every waiting line (1,000,000 lines: 1.4 s before, EXPLAIN
            # in the commit that added it).
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status=Status.SUBMITTED),
                name="expenditure_waiting_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="expenditure_amount_positive",
                violation_error_message=_("An amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(amount_eur__isnull=True) | Q(amount_eur_currency=EURO),
                name="expenditure_amount_eur_in_euro",
                violation_error_message=_("The euro amount is in euro."),
            ),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | Q(rate__gt=0),
                name="expenditure_rate_positive",
                violation_error_message=_("A rate must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(amount_currency=EURO) | Q(rate__isnull=True) | Q(rate=1),
                name="expenditure_euro_rate_one",
                violation_error_message=_("A line in euro has the rate 1."),
            ),
            # Submitted, certified or rejected: the rate and euro amount are stored.
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | Q(
                    rate__isnull=False,
                    rate_month__isnull=False,
                    amount_eur__isnull=False,
                    submitted_at__isnull=False,
                ),
                name="expenditure_submitted_has_rate",
                violation_error_message=_("A submitted line has its rate and euro amount."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(rejection_reason=""),
                name="expenditure_rejection_has_reason",
                violation_error_message=_("A rejection gives the controller's reason."),
            ),
            models.CheckConstraint(
                condition=~Q(corrects=models.F("pk")),
                name="expenditure_corrects_another_line",
                violation_error_message=_("A line cannot correct itself."),
            ),
            # One live correction per line (a rejected correction is corrected in its turn).
            models.UniqueConstraint(
                fields=["corrects"],
                condition=~Q(status=Status.REJECTED),
                name="expenditure_one_correction",
                violation_error_message=_("This line already has a correction."),
            ),
            *dates_in_range("expenditure", "paid_on"),
        ]

    def __str__(self) -> str:
        return f"{self.description[:60]} ({self.amount})" if self.amount is not None else "–"

    def save(self, *args, **kwargs) -> None:
        self.refuse_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_status() not in (None, Status.DRAFT):
            raise LineFrozen(_("Only draft lines can be deleted."), code="frozen")
        return super().delete(*args, **kwargs)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    def live_correction(self) -> ExpenditureLine | None:
        """The correction of this line that is not rejected (a draft, waiting or certified),
        if any: a line has at most one, so a second correction waits for its rejection."""
        if self.pk is None:
            return None
        return self.corrections.exclude(status=Status.REJECTED).order_by("pk").first()

    def stored_status(self, lock: bool = False) -> str | None:
        """The status as stored; with `lock` (in a transaction) the row stays locked until it
        ends, so a submission cannot slip in between a form's check and its save."""
        if self.pk is None:
            return None
        rows = ExpenditureLine.objects.filter(pk=self.pk)
        if lock and transaction.get_connection(rows.db).in_atomic_block:
            rows = rows.select_for_update()
        return rows.values_list("status", flat=True).first()

    def clean(self) -> None:
        super().clean()
        stored = self.stored_status(lock=True)
        period_project = partner_project = None
        if self.period_id is not None and self.participation_id is not None:
            # Read from the stored rows, not from objects a form may have built.
            from partners.models import Participation

            period_project = (
                ReportingPeriod.objects.filter(pk=self.period_id)
                .values_list("project_id", flat=True)
                .first()
            )
            partner_project = (
                Participation.objects.filter(pk=self.participation_id)
                .values_list("project_id", flat=True)
                .first()
            )
        corrected_partner = (
            ExpenditureLine.objects.filter(pk=self.corrects_id)
            .values_list("participation_id", flat=True)
            .first()
            if self.corrects_id is not None
            else None
        )
        self.check_rules(stored, period_project, partner_project, corrected_partner)

    def check_rules(
        self, stored_status: str | None, period_project, partner_project, corrected_partner=None
    ) -> None:
        """The line's own rules, given what is stored: its status, the project of its period,
        the project of its partner (None when it has none) and, for a correction, the partner
        of the line it corrects (the import does not pass it: it only writes lines of the
        file's partner, found by that partner)."""
        self.refuse_status(stored_status)
        if period_project != partner_project:
            raise ValidationError({"period": _("The reporting period belongs to another project.")})
        # A correction replaces its line in that partner's figures: moved to another partner
        # it would take the spending away from one and give it to the other.
        if corrected_partner is not None and corrected_partner != self.participation_id:
            raise ValidationError(
                {"participation": _("A correction belongs to the partner of the line it corrects.")}
            )

    def clean_known(self, *, stored_status: str | None, period_project, partner_project) -> None:
        """full_clean() without its queries, for a writer of many lines (the spreadsheet
        import) that read once for all of them, locked, what full_clean reads for each: the
        stored status, the projects of the period and the partner, that both exist. The same
        rules: the fields' own, check_rules (what clean() checks) and the constraints."""
        errors: dict = {}
        for check in (
            lambda: self.clean_fields(exclude=["participation", "period"]),
            lambda: self.check_rules(stored_status, period_project, partner_project),
        ):
            try:
                check()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        try:
            validate_constraints_in_memory(self, exclude=set(errors) - {NON_FIELD_ERRORS})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def refuse_frozen(self, lock: bool = False) -> None:
        self.refuse_status(self.stored_status(lock))

    def refuse_status(self, stored: str | None) -> None:
        """A decided line never changes; a submitted one only by a status step (services)."""
        if stored in FINAL:
            raise LineFrozen(
                _("This line is %(status)s and can no longer be changed; record a correction.")
                % {"status": Status(stored).label.lower()},
                code="frozen",
            )
        if stored == Status.SUBMITTED and not getattr(self, "_status_step", False):
            raise LineFrozen(
                _("This line was submitted to the controller and can no longer be edited."),
                code="frozen",
            )


def document_name(document: SupportingDocument, filename: str) -> str:
    """Where the file is kept: a random name (the original name is a field), so no name a
    user typed reaches the storage's paths."""
    return f"expenditure/{uuid.uuid4().hex}{uploads.extension(filename)}"


class SupportingDocument(models.Model):
    """A file that proves a line: invoice, proof of payment, timesheet."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "supporting document"))

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        PAYMENT = "payment", _("Proof of payment")
        TIMESHEET = "timesheet", _("Timesheet")
        OTHER = "other", _("Other")

    line = models.ForeignKey(
        ExpenditureLine,
        verbose_name=_("expenditure line"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.INVOICE)
    file = models.FileField(
        _("file"),
        upload_to=document_name,
        storage=private_storage,
        max_length=200,
        validators=[uploads.validate_document],
    )
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False, default=0)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    # The file's own fingerprint, taken once at upload: the partner's report prints it, so an
    # auditor handed the file can check it (`sha256sum`). FILE_MISSING: a document uploaded
    # before the fingerprints were kept whose file was not in the storage then.
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["line", "kind", "pk"]

    def __str__(self) -> str:
        return self.original_name or "–"

    def save(self, *args, **kwargs) -> None:
        self.clean()  # documents change only with a draft line
        if self.file and not self.file._committed:
            # A new upload: what the file is, from its name and size as uploaded (the type by
            # extension, as uploads.validate_document checked it; never what the browser said).
            self.original_name = str(self.file.name).rsplit("/", 1)[-1][:255]
            self.size = self.file.size
            self.content_type = uploads.content_type(self.original_name)
            self.sha256 = uploads.sha256_of(self.file)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.clean()
        return super().delete(*args, **kwargs)

    @property
    def file_missing(self) -> bool:
        """Whether the file could not be read when its fingerprint was taken."""
        return self.sha256 == uploads.FILE_MISSING

    def clean(self) -> None:
        super().clean()
        if self.line_id is not None:
            status = ExpenditureLine.objects.filter(pk=self.line_id).values_list(
                "status", flat=True
            )
            if status.first() not in (None, Status.DRAFT):
                raise LineFrozen(
                    _("Documents are added or removed only while the line is a draft."),
                    code="frozen",
                )


# Claims and state co-financing are kept in their own module (claim_models.py); imported
# here so that Django knows them as this app's models.
from expenditure.claim_models import Claim, StateCoFinancing  # noqa: E402, F401
