"""Partner budgets (by cost category) and co-financing plans (the funding sources they draw
on belong to programmes: projects/models.py).

The arithmetic (splits, rounding, percentages) is in funding/rules.py; reads that
gather figures for pages and reports are in funding/selectors.py; writes that touch
several rows are in funding/services.py.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator
from djmoney.money import Money

from funding import rules
from partners.models import Participation
from projects.models import FundingSource, Project
from urbact_portal.lib.currency import EURO_CHOICES
from urbact_portal.lib.dates import DATE_VALIDATORS, format_date
from urbact_portal.lib.formatting import format_money, format_percent
from urbact_portal.lib.grammar import FEMININE, MASCULINE, Noun
from urbact_portal.lib.history import TrailHistory
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


class BudgetVersionQuerySet(AuditedQuerySet):
    def current_of(self, project_id) -> BudgetVersion | None:
        """The project's current version (BudgetVersion.CURRENT_FIRST), None before any."""
        return self.filter(project_id=project_id).order_by(*BudgetVersion.CURRENT_FIRST).first()

    def update(self, **kwargs) -> int:
        if "total" not in kwargs:
            return super().update(**kwargs)
        # A bulk change of totals keeps the rule of the version form, under the same locks.
        with transaction.atomic(using=self.db):
            projects = set(self.values_list("project_id", flat=True))
            with _allocations_checked(projects):
                return super().update(**kwargs)


class BudgetVersion(models.Model):
    """One version of a project's budget: as planned in the application, as approved, or a
    modification. The partners' budgets and co-financing plans belong to a version, and so
    does the project's total funding, which a modification can change: `total` is the one
    definition of it (the allocation rules below check each version's budgets against its
    own total)."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "budget version"))

    # The current version is the one entered last (the highest number): a version's place
    # in the sequence is fixed when it is entered, so correcting an old version's date or
    # document can never make it current again, and a report's "current" stays what it was.
    # Versions are entered in the order of their documents (a new one is dated no earlier
    # than the current one), so the last entered is also the newest by date.
    CURRENT_FIRST = ("-number",)

    class Kind(models.TextChoices):
        # Words for a budget ("plānotais budžets", "budžeta grozījumi"), hence the context.
        PLANNED = "planned", pgettext_lazy("budget version", "planned")
        APPROVED = "approved", pgettext_lazy("budget version", "approved")
        MODIFICATION = "modification", pgettext_lazy("budget version", "modification")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="budget_versions",
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    date = models.DateField(
        _("date"), validators=DATE_VALIDATORS, help_text=_("The date of the document.")
    )
    document_reference = models.CharField(
        _("document reference"),
        max_length=200,
        help_text=_("The document this version rests on, e.g. a council decision's number."),
    )
    document_title = models.CharField(_("document title"), max_length=200, blank=True)
    total = MoneyField(
        _("planned total funding"),
        max_digits=14,
        decimal_places=2,
        default_currency="EUR",
        currency_choices=EURO_CHOICES,
        validators=[MinMoneyValidator(0)],
        help_text=_("The project's total funding in this version of its budget."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = TrailHistory()

    objects = BudgetVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget version")
        verbose_name_plural = _("budget versions")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="budget_version_number_once",
                violation_error_message=_("Each version of a budget has its own number."),
            ),
            *_euro_amount("total", "budget_version_total"),
        ]

    def __str__(self) -> str:
        return _("%(number)s. %(kind)s (%(date)s)") % {
            "number": self.number,
            "kind": self.get_kind_display(),
            "date": format_date(self.date) if self.date else "–",
        }

    def save(self, *args, **kwargs) -> None:
        if self.number is None:
            last = BudgetVersion.objects.filter(project_id=self.project_id).order_by("-number")
            self.number = (last.values_list("number", flat=True).first() or 0) + 1
        super().save(*args, **kwargs)

    @property
    def document(self) -> str:
        """The document it rests on, as pages and reports name it: "reference: title"."""
        if self.document_title:
            return f"{self.document_reference}: {self.document_title}"
        return self.document_reference

    @cached_property  # asked several times per admin page
    def is_current(self) -> bool:
        current = BudgetVersion.objects.current_of(self.project_id)
        return current is not None and current.pk == self.pk

    def clean(self) -> None:
        super().clean()
        if self.project_id is None or self.total is None:
            return
        # The project first (ProjectQuerySet.locked), then the figures this checks.
        Project.objects.locked(self.project_id)
        stored = BudgetVersion.objects.filter(pk=self.pk).first() if self.pk is not None else None
        if stored is not None and stored.project_id != self.project_id:
            raise ValidationError({"project": _("A version stays with its project.")})
        if stored is not None and stored.total != self.total and not stored.is_current:
            raise ValidationError({"total": SUPERSEDED_MESSAGE})
        previous = BudgetVersion.objects.filter(project_id=self.project_id)
        if self.pk is not None:
            previous = previous.filter(number__lt=stored.number)
        previous = previous.order_by(*BudgetVersion.CURRENT_FIRST).first()
        if self.date and previous is not None and self.date < previous.date:
            raise ValidationError(
                {
                    "date": _("A version is dated no earlier than the one before it (%(date)s).")
                    % {"date": format_date(previous.date)}
                }
            )
        if stored is None:
            return
        allocated = Budget.objects.allocated_in(self)
        if self.total < allocated and self.total < stored.total:
            # A version already over-allocated (data from before this rule) still saves
            # as long as its total is not lowered.
            raise ValidationError(
                {
                    "total": _(
                        "The partners' budgets already add up to %(allocated)s: the approved "
                        "total cannot be less."
                    )
                    % {"allocated": format_money(allocated)}
                }
            )


SUPERSEDED_MESSAGE = _(
    "This version of the budget has been superseded by a newer one: its figures no longer "
    "change, so that reports issued on it stay true. Enter changes in the current version."
)


def current_version_id():
    """The current version of the project of the row it is used on (a budget), as a
    subquery: BudgetVersion.CURRENT_FIRST is the one definition of "current"."""
    return Subquery(
        BudgetVersion.objects.filter(project=OuterRef("participation__project"))
        .order_by(*BudgetVersion.CURRENT_FIRST)
        .values("pk")[:1]
    )


# Writing these changes how much of a project's approved total is allocated.
ALLOCATING_FIELDS = {
    "total",
    "participation",
    "participation_id",
    "budget_version",
    "budget_version_id",
}


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

    def in_current_versions(self):
        """The budgets of each project's current version (what pages show by default)."""
        return self.filter(budget_version=current_version_id())

    # What a version has allocated is defined once, in rules.allocated(); these read the
    # stored totals for it (one query each), for the checks made under a project's lock.
    def allocated_in(self, version) -> Money:
        totals = self.filter(budget_version=version).values_list("total", flat=True)
        return Money(rules.allocated(totals), "EUR")

    def allocated_by_version(self, project_ids) -> dict[int, Decimal]:
        totals: dict[int, list[Decimal]] = {}
        rows = self.filter(budget_version__project__in=project_ids).values_list(
            "budget_version", "total"
        )
        for version_id, total in rows:
            totals.setdefault(version_id, []).append(total)
        return {version_id: rules.allocated(t) for version_id, t in totals.items()}


@contextmanager
def _allocations_checked(project_ids):
    """Around a bulk write of budgets or versions' totals: lock the projects (in key order,
    before any budget row), and refuse the write if a version's allocated sum grew beyond its
    total, or its total was lowered below its allocated sum."""
    locked = Project.objects.lock_all(project_ids)
    versions = BudgetVersion.objects.filter(project__in=locked)
    before = Budget.objects.allocated_by_version(locked)
    totals_before = dict(versions.values_list("pk", "total"))
    yield
    after = Budget.objects.allocated_by_version(locked)
    for version in versions.select_related("project"):
        now, then = after.get(version.pk, Decimal(0)), before.get(version.pk, Decimal(0))
        total, stored_total = version.total.amount, totals_before.get(version.pk, Decimal(0))
        if now > total and (now > then or total < stored_total):
            raise ValidationError(
                _(
                    "The partners' budgets in %(project)s would add up to %(allocated)s, more "
                    "than the project's approved total of %(approved)s."
                )
                % {
                    "project": version.project.acronym,
                    "allocated": format_money(Money(now, "EUR")),
                    "approved": format_money(version.total),
                }
            )


class Budget(models.Model):
    """A partner's budget in one version of a project's budget, and (through its shares) its
    co-financing plan."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "budget"))

    participation = models.ForeignKey(
        "partners.Participation",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    # Set from the participation's project (its current version) when a budget is entered;
    # a superseded version's budgets are kept as they were (SUPERSEDED_MESSAGE).
    budget_version = models.ForeignKey(
        BudgetVersion,
        verbose_name=_("budget version"),
        on_delete=models.PROTECT,
        related_name="budgets",
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
    history = TrailHistory()

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        permissions = [("view_funding_report", _("Can download funding reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "budget_version"],
                name="budget_once_per_partner_and_version",
                violation_error_message=_(
                    "This partner already has a budget in this version of the project's budget."
                ),
            ),
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
        if self.participation_id is None or self.budget_version_id is None:
            return
        # The project row is locked before the sum is read, so that two budgets raised at
        # once are checked one after the other (ProjectQuerySet.locked explains the order).
        project = Project.objects.locked(self.participation.project_id)
        version = BudgetVersion.objects.get(pk=self.budget_version_id)
        if version.project_id != project.pk:
            raise ValidationError(
                {
                    "participation": _(
                        "This partner takes part in another project than this version."
                    )
                }
            )
        if not version.is_current and self._changes_stored_figures():
            raise ValidationError(SUPERSEDED_MESSAGE)
        if self.total is None:
            return
        others = Budget.objects.filter(budget_version=version).exclude(pk=self.pk)
        available = version.total - others.allocated_in(version)
        if self.total <= available or self.total <= self._stored_total_in(version):
            # A budget that does not grow is accepted even when the version is already over
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
                    "approved": format_money(version.total),
                    "available": format_money(available),
                }
            }
        )

    def _changes_stored_figures(self) -> bool:
        stored = Budget.objects.filter(pk=self.pk).values_list(
            "participation_id", "budget_version_id", "total", "office_flat_rate"
        )
        row = stored.first()
        if row is None:
            return True
        return row != (
            self.participation_id,
            self.budget_version_id,
            self.total.amount if self.total is not None else None,
            self.office_flat_rate,
        )

    def _stored_total_in(self, version) -> Money:
        """This budget's stored total if it is stored in `version`, else 0 (new to it)."""
        stored = (
            Budget.objects.filter(pk=self.pk, budget_version=version)
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
    history = TrailHistory()

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
    history = TrailHistory()

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
