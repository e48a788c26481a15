"""Claims: the ERDF a partner claims back on its certified spending, and what came back;
and the Latvian state co-financing of the portal's own organisation, its own cycle.

- `Claim`: per reporting period and partner, an amount claimed on a date and, once paid,
  the amount received and its date. Together a partner's claims for a period never exceed
  the ERDF due on that period's certified spending (expenditure/claim_rules.py), checked in
  `clean()` on the stored rows under the project's lock.
- `StateCoFinancing`: the own organisation's application to the state budget (date,
  amount), the advance (90 %, the rate kept on the row) and the final instalment after the
  final report, each with what was received and when. The amounts due are computed, never
  typed (claim_rules.state_instalments), so they add up to the amount applied for.

The models are imported by expenditure/models.py, so Django knows them as the app's own.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator
from djmoney.money import Money

from expenditure import claim_rules
from projects.models import Project
from urbact_portal.lib.currency import EURO_CHOICES
from urbact_portal.lib.dates import DATE_VALIDATORS, dates_in_range, format_date
from urbact_portal.lib.formatting import format_money
from urbact_portal.lib.grammar import MASCULINE, Noun
from urbact_portal.lib.history import TrailHistory
from urbact_portal.lib.querysets import AuditedQuerySet

EURO = "EUR"


def _euro_field(label, **options) -> MoneyField:
    return MoneyField(
        label,
        max_digits=14,
        decimal_places=2,
        default_currency=EURO,
        currency_choices=EURO_CHOICES,
        **options,
    )


def _in_euro(prefix: str, *fields: str) -> list[models.CheckConstraint]:
    """Each amount in euro and not negative (empty allowed)."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__gte": 0, f"{field}_currency": EURO}),
            name=f"{prefix}_{field}_euro",
            violation_error_message=_("An amount is in euro and not negative."),
        )
        for field in fields
    ]


def _together(prefix: str, amount: str, day: str) -> models.CheckConstraint:
    """A payment received has both its amount and its date, or neither."""
    return models.CheckConstraint(
        condition=Q(**{f"{amount}__isnull": True, f"{day}__isnull": True})
        | Q(**{f"{amount}__isnull": False, f"{day}__isnull": False}),
        name=f"{prefix}_{amount}_with_date",
        violation_error_message=_("A payment received has both its amount and its date."),
    )


class Claim(models.Model):
    """An ERDF payment claim of one partner for one reporting period, and its payment."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "ERDF payment claim"))

    participation = models.ForeignKey(
        "partners.Participation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    period = models.ForeignKey(
        "expenditure.ReportingPeriod",
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    reference = models.CharField(_("claim reference"), max_length=100, blank=True)
    claimed_on = models.DateField(_("date claimed"), validators=DATE_VALIDATORS)
    claimed = _euro_field(_("amount claimed"), validators=[MinMoneyValidator(0)])
    received_on = models.DateField(
        _("date received"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    received = _euro_field(
        _("amount received"), null=True, blank=True, validators=[MinMoneyValidator(0)]
    )
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("ERDF payment claim")
        verbose_name_plural = _("ERDF payment claims")
        ordering = ["period__number", "claimed_on", "pk"]
        constraints = [
            *_in_euro("claim", "claimed", "received"),
            models.CheckConstraint(
                condition=Q(claimed__gt=0),
                name="claim_claimed_positive",
                violation_error_message=_("An amount claimed is greater than zero."),
            ),
            _together("claim", "received", "received_on"),
            models.CheckConstraint(
                condition=Q(received__isnull=True) | Q(received__lte=F("claimed")),
                name="claim_received_within_claimed",
                violation_error_message=_("More cannot be received than was claimed."),
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("claimed_on")),
                name="claim_received_after_claimed",
                violation_error_message=_("A claim is paid on or after the day it was made."),
            ),
            *dates_in_range("claim", "claimed_on", "received_on"),
        ]

    def __str__(self) -> str:
        partner = self.participation.organisation if self.participation_id else "–"
        number = self.period.number if self.period_id else "–"
        claimed = format_money(self.claimed) if self.claimed is not None else "–"
        return _("%(partner)s, period %(number)s: %(claimed)s claimed") % {
            "partner": partner,
            "number": number,
            "claimed": claimed,
        }

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.received is not None and self.received_on is None:
            errors["received_on"] = _("Enter the date the payment was received.")
        if self.received_on is not None and self.received is None:
            errors["received"] = _("Enter the amount received.")
        if errors:
            raise ValidationError(errors)
        if self.participation_id is None or self.period_id is None or self.claimed is None:
            return
        self._check_within_due()

    def _check_within_due(self) -> None:
        """The partner's claims for the period, this one as it will be stored, within the ERDF
        due: read from the stored rows with the project locked, so two claims saved at once
        are checked one after the other."""
        from expenditure import selectors
        from expenditure.models import ReportingPeriod
        from partners.models import Participation

        participation = Participation.objects.select_related("organisation").get(
            pk=self.participation_id
        )
        project = Project.objects.locked(participation.project_id)
        if not ReportingPeriod.objects.filter(pk=self.period_id, project=project).exists():
            raise ValidationError({"period": _("The reporting period belongs to another project.")})
        due = selectors.erdf_due(project, participation, self.period_id)
        others = (
            Claim.objects.filter(participation_id=self.participation_id, period_id=self.period_id)
            .exclude(pk=self.pk)
            .values_list("claimed", flat=True)
        )
        already = sum(others, Decimal("0.00"))
        if already + self.claimed.amount > due:
            left = max(due - already, Decimal("0.00"))
            raise ValidationError(
                {
                    "claimed": _(
                        "The ERDF due on the certified spending of this period is %(due)s; "
                        "%(already)s is claimed already, so at most %(left)s can be claimed."
                    )
                    % {
                        "due": format_money(Money(due, EURO)),
                        "already": format_money(Money(already, EURO)),
                        "left": format_money(Money(left, EURO)),
                    }
                }
            )


class StateCoFinancing(models.Model):
    """The own organisation's state budget co-financing for one project: its own cycle."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "state co-financing application"))

    participation = models.OneToOneField(
        "partners.Participation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="state_cofinancing",
    )
    applied_on = models.DateField(_("date applied"), validators=DATE_VALIDATORS)
    applied = _euro_field(_("amount applied for"), validators=[MinMoneyValidator(0)])
    advance_rate = models.DecimalField(
        _("advance (%)"),
        max_digits=5,
        decimal_places=2,
        default=claim_rules.DEFAULT_ADVANCE_RATE,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("The part of the amount paid in advance; the rest after the final report."),
    )
    advance_received_on = models.DateField(
        _("advance received on"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    advance_received = _euro_field(
        _("advance received"), null=True, blank=True, validators=[MinMoneyValidator(0)]
    )
    final_received_on = models.DateField(
        _("final instalment received on"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    final_received = _euro_field(
        _("final instalment received"), null=True, blank=True, validators=[MinMoneyValidator(0)]
    )
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("state co-financing")
        verbose_name_plural = _("state co-financing")
        constraints = [
            *_in_euro("state_cofinancing", "applied", "advance_received", "final_received"),
            models.CheckConstraint(
                condition=Q(advance_rate__gte=0, advance_rate__lte=100),
                name="state_cofinancing_advance_rate_range",
                violation_error_message=_("A rate must be a percentage between 0 and 100."),
            ),
            _together("state_cofinancing", "advance_received", "advance_received_on"),
            _together("state_cofinancing", "final_received", "final_received_on"),
            *dates_in_range(
                "state_cofinancing", "applied_on", "advance_received_on", "final_received_on"
            ),
        ]

    def __str__(self) -> str:
        partner = self.participation if self.participation_id else "–"
        day = format_date(self.applied_on) if self.applied_on else "–"
        return _("State co-financing of %(partner)s, applied for on %(date)s") % {
            "partner": partner,
            "date": day,
        }

    @property
    def instalments(self) -> tuple[Decimal, Decimal] | None:
        """(advance due, final instalment due); None while the form is incomplete."""
        if self.applied is None or self.advance_rate is None:
            return None
        return claim_rules.state_instalments(self.applied.amount, self.advance_rate)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        for amount, day in [
            ("advance_received", "advance_received_on"),
            ("final_received", "final_received_on"),
        ]:
            if getattr(self, amount) is not None and getattr(self, day) is None:
                errors[day] = _("Enter the date the payment was received.")
            if getattr(self, day) is not None and getattr(self, amount) is None:
                errors[amount] = _("Enter the amount received.")
            if getattr(self, day) and self.applied_on and getattr(self, day) < self.applied_on:
                errors[day] = _("A payment is received on or after the day of the application.")
        if self.participation_id is not None:
            from partners.models import Participation

            slug = (
                Participation.objects.filter(pk=self.participation_id)
                .values_list("organisation__slug", flat=True)
                .first()
            )
            if slug != settings.PORTAL_OWN_ORGANISATION:
                errors["participation"] = _(
                    "State co-financing is kept for this portal's own organisation only."
                )
        due = self.instalments
        if due is not None:
            for field, limit in [("advance_received", due[0]), ("final_received", due[1])]:
                received = getattr(self, field)
                if received is not None and received.amount > limit:
                    errors[field] = _("At most %(due)s is due.") % {
                        "due": format_money(Money(limit, EURO))
                    }
        if errors:
            raise ValidationError(errors)
