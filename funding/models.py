"""Partner budgets (by cost category) and co-financing plans (the funding sources they draw
on belong to programmes: projects/models.py).

The arithmetic (splits, rounding, percentages) is in funding/rules.py; reads that
gather figures for pages and reports are in funding/selectors.py; writes that touch
several rows are in funding/services.py.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator
from djmoney.money import Money
from simple_history.models import HistoricalRecords

from funding import rules
from partners.models import Participation
from projects.models import FundingSource, Project
from urbact_portal.lib.currency import EURO_CHOICES
from urbact_portal.lib.formatting import format_money, format_percent
from urbact_portal.lib.grammar import FEMININE, MASCULINE, Noun
from urbact_portal.lib.querysets import AuditedQuerySet

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _percent_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
        violation_error_message=_("A rate must be a percentage between 0 and 100."),
    )


def _euro_amount(field: str, prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": 0}),
            name=f"{prefix}_not_negative",
            violation_error_message=_("An amount cannot be negative."),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{field}_currency": "EUR"}),
            name=f"{prefix}_in_euro",
            violation_error_message=_("Budgets are kept in euro, the programme currency."),
        ),
    ]


class CostCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    OFFICE = "office", _("Office and administration")
    TRAVEL = "travel", _("Travel and accommodation")
    EXPERTISE = "expertise", _("External expertise and services")
    EQUIPMENT = "equipment", _("Equipment")


# Writing these changes how much of a project's approved total is allocated.
ALLOCATING_FIELDS = {"total", "participation", "participation_id"}


class BudgetQuerySet(AuditedQuerySet):
    def update(self, **kwargs) -> int:
        # A bulk change is a change too: the admin's lost-update guard must see it.
        kwargs.setdefault("version", F("version") + 1)
        if ALLOCATING_FIELDS.isdisjoint(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            rows = Budget.objects.filter(pk__in=list(self.values_list("pk", flat=True)))
            projects = set(rows.values_list("participation__project", flat=True))
            moved_to = kwargs.get("participation_id", kwargs.get("participation"))
            if moved_to is not None:
                projects.add(
                    Participation.objects.get(pk=getattr(moved_to, "pk", moved_to)).project_id
                )
            with _allocations_checked(projects):
                return super(BudgetQuerySet, rows).update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            participations = {b.participation_id for b in objs}
            projects = set(
                Participation.objects.filter(pk__in=participations).values_list(
                    "project_id", flat=True
                )
            )
            with _allocations_checked(projects):
                return super().bulk_create(objs, *args, **kwargs)

    # What a project has allocated is defined once, in rules.allocated(); these read the
    # stored totals for it (one query each), for the checks made under a project's lock.
    def allocated_in(self, project) -> Money:
        totals = self.filter(participation__project=project).values_list("total", flat=True)
        return Money(rules.allocated(totals), "EUR")

    def allocated_by_project(self, project_ids) -> dict[int, Decimal]:
        totals: dict[int, list[Decimal]] = {}
        rows = self.filter(participation__project__in=project_ids).values_list(
            "participation__project", "total"
        )
        for project_id, total in rows:
            totals.setdefault(project_id, []).append(total)
        return {project_id: rules.allocated(t) for project_id, t in totals.items()}


@contextmanager
def _allocations_checked(project_ids):
    """Around a bulk write of budgets: lock the projects (in key order, before any budget
    row), and refuse the write if a project's allocated sum grew beyond its approved total."""
    from projects.models import Project

    locked = Project.objects.lock_all(project_ids)
    before = Budget.objects.allocated_by_project(locked)
    yield
    after = Budget.objects.allocated_by_project(locked)
    for project in Project.objects.filter(pk__in=locked):
        now, then = after.get(project.pk, Decimal(0)), before.get(project.pk, Decimal(0))
        if now > project.approved_total.amount and now > then:
            raise ValidationError(
                _(
                    "The partners' budgets in %(project)s would add up to %(allocated)s, more "
                    "than the project's approved total of %(approved)s."
                )
                % {
                    "project": project.acronym,
                    "allocated": format_money(Money(now, "EUR")),
                    "approved": format_money(project.approved_total),
                }
            )


class Budget(models.Model):
    """A partner's budget in one project, and (through its shares) its co-financing plan."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "budget"))

    participation = models.OneToOneField(
        "partners.Participation",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="budget",
    )
    total = MoneyField(
        _("total budget"),
        max_digits=14,
        decimal_places=2,
        default_currency="EUR",
        currency_choices=EURO_CHOICES,
        validators=[MinMoneyValidator(0)],
    )
    office_flat_rate = models.DecimalField(
        _("office and administration flat rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=rules.DEFAULT_OFFICE_FLAT_RATE,
        validators=PERCENT_VALIDATORS,
        help_text=_("Office and administration costs as a percentage of staff costs."),
    )
    # Bumped on every save: two coordinators editing the same budget cannot overwrite
    # each other silently (the admin compares it before saving).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords()

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        permissions = [("view_funding_report", _("Can download funding reports"))]
        constraints = [
            *_euro_amount("total", "budget_total"),
            _percent_range("office_flat_rate", "budget_office_flat_rate_range"),
        ]

    def __str__(self) -> str:
        return str(self.participation)

    def save(self, *args, **kwargs) -> None:
        self.version += 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.total is None or self.participation_id is None:
            return

        # The project row is locked before the sum is read, so that two budgets raised at
        # once are checked one after the other (ProjectQuerySet.locked explains the order).
        project = Project.objects.locked(self.participation.project_id)
        others = (
            Budget.objects.filter(participation__project=project)
            .exclude(pk=self.pk)
            .allocated_in(project)
        )
        available = project.approved_total - others
        if self.total <= available or self.total <= self._stored_total_in(project):
            # A budget that does not grow is accepted even when the project is already over
            # its total (data from before this rule): else nothing could be saved any more.
            return
        if available.amount < 0:
            message = _(
                "The partners' budgets already exceed the project's approved total of "
                "%(approved)s: a budget may not grow until they are brought down."
            )
        else:
            message = _(
                "The partners' budgets together may not exceed the project's approved total "
                "of %(approved)s: at most %(available)s is left for this partner."
            )
        raise ValidationError(
            {
                "total": message
                % {
                    "approved": format_money(project.approved_total),
                    "available": format_money(available),
                }
            }
        )

    def _stored_total_in(self, project) -> Money:
        """This budget's stored total if it is stored in `project`, else 0 (new to it)."""
        stored = (
            Budget.objects.filter(pk=self.pk, participation__project=project)
            .values_list("total", flat=True)
            .first()
        )
        return Money(stored if stored is not None else Decimal("0.00"), "EUR")


class BudgetLine(models.Model):
    """The part of a budget planned for one cost category."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "cost category line"))

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="lines"
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory)
    amount = MoneyField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        default_currency="EUR",
        currency_choices=EURO_CHOICES,
        validators=[MinMoneyValidator(0)],
    )
    objects = AuditedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost category line")
        verbose_name_plural = _("budget by cost category")
        ordering = ["budget", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "category"],
                name="budget_line_category_once",
                violation_error_message=_("Each cost category appears once in a budget."),
            ),
            *_euro_amount("amount", "budget_line_amount"),
        ]

    def __str__(self) -> str:
        # Shown as the inline row's caption: in the page's language (`1 000,00 €`).
        amount = format_money(self.amount) if self.amount is not None else "–"
        return f"{self.get_category_display()}: {amount}"


class CoFinancingShare(models.Model):
    """One line of a partner's co-financing plan: a source pays `rate` % of the budget."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "co-financing share"))

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="shares"
    )
    source = models.ForeignKey(
        FundingSource,
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        related_name="shares",
    )
    rate = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    objects = AuditedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-financing share")
        verbose_name_plural = _("co-financing plan")
        # The EU fund first, as the programme documents list it.
        ordering = ["budget", "source__position", "source__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "source"],
                name="share_source_once_per_plan",
                violation_error_message=_("Each funding source appears once in a plan."),
            ),
            _percent_range("rate", "share_rate_range"),
        ]

    def __str__(self) -> str:
        # Shown as the inline row's caption: "ERAF: 85,00 %" (lv), "ERDF: 85.00%" (en).
        rate = format_percent(self.rate) if self.rate is not None else "–"
        return f"{self.source}: {rate}"

    def as_rule_share(self) -> rules.Share:
        return rules.Share(key=self.source_id, rate=self.rate, is_eu_fund=self.source.is_eu_fund)
