"""Programmes and the funding sources that pay them, projects, their phases and milestones.

Date rules (which phase is current, how long a phase ran) live in projects/timeline.py.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from urbact_portal.lib.dates import DATE_VALIDATORS, dates_in_range
from urbact_portal.lib.grammar import FEMININE, MASCULINE, Noun
from urbact_portal.lib.history import TrailHistory
from urbact_portal.lib.indexes import TrigramIndex
from urbact_portal.lib.querysets import AuditedQuerySet
from urbact_portal.lib.signals import RuleSignal
from urbact_portal.lib.translation import LANGUAGES


class FundingSourceQuerySet(AuditedQuerySet):
    def update(self, **kwargs) -> int:
        if "kind" not in kwargs:
            return super().update(**kwargs)
        # A bulk change of kinds keeps the rule of the form, source by source, all or none.
        with transaction.atomic(using=self.db):
            count = 0
            for source in list(self):
                source.kind = kwargs["kind"]
                source.clean()
                one = self.model.objects.filter(pk=source.pk)
                count += super(FundingSourceQuerySet, one).update(**kwargs)
        return count


class FundingSource(models.Model):
    noun = Noun(MASCULINE, pgettext_lazy("accusative", "funding source"))

    class Kind(models.TextChoices):
        EU_FUND = "eu", _("EU fund")
        NATIONAL = "national", _("National / state public")
        REGIONAL = "regional", _("Regional public")
        MUNICIPAL = "municipal", _("Local / municipal public")
        PRIVATE = "private", _("Private")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in tables and reports (EU fund first).")
    )
    objects = FundingSourceQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_eu_fund(self) -> bool:
        return self.kind == self.Kind.EU_FUND

    def clean(self) -> None:
        super().clean()
        if self.pk is None:
            return
        # Every project is locked first (in key order), as a budget form locks its project
        # before its budget and reads the kinds of its plan's sources: a plan being saved
        # meanwhile is either committed before the checks read it, or checked afterwards
        # against the new kind.
        Project.objects.lock_all(Project.objects.values("pk"))
        stored = FundingSource.objects.select_for_update(no_key=True).get(pk=self.pk)
        if stored.kind == self.kind:
            return
        problems = []
        if stored.is_eu_fund and not self.is_eu_fund:
            programmes = Programme.objects.filter(fund=self).values_list("name", flat=True)
            if programmes:
                problems.append(
                    _("It is the EU fund of the programme %(programmes)s.")
                    % {"programmes": ", ".join(programmes)}
                )
        # The co-financing plans this kind would break (funding/receivers.py answers).
        for _receiver, found in funding_source_kind_changing.send(FundingSource, source=self):
            problems.extend(found)
        if problems:
            raise ValidationError({"kind": problems})


# Sent with every project locked when a funding source's kind is about to change; receivers
# return the problems the new kind would cause (as messages), an empty list when none.
funding_source_kind_changing = RuleSignal("funding_source_kind_changing")


class Programme(models.Model):
    """An EU funding programme, e.g. URBACT III (2014–2020), funded by the ERDF."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "programme"))

    name = models.CharField(_("name"), max_length=200, unique=True)
    fund = models.ForeignKey(
        FundingSource,
        verbose_name=_("EU fund"),
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("The EU fund that pays the programme's share, e.g. ERDF."),
    )
    period_start = models.DateField(_("period start"), validators=DATE_VALIDATORS)
    period_end = models.DateField(_("period end"), validators=DATE_VALIDATORS)
    website = models.URLField(_("website"), blank=True)
    # Spending in a cost category may exceed that category's budget by this much before it
    # is flagged (expenditure/selectors.py): the programme's rule, so data, not a constant.
    flexibility_rate = models.DecimalField(
        _("flexibility between cost categories (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_(
            "How far spending in a cost category may exceed its budget, as a percentage of "
            "that budget, before the pages flag it."
        ),
    )
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="programme_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            *dates_in_range("programme", "period_start", "period_end"),
            models.CheckConstraint(
                condition=Q(flexibility_rate__gte=0, flexibility_rate__lte=100),
                name="programme_flexibility_rate_range",
                violation_error_message=_("A rate must be a percentage between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.fund_id and not self.fund.is_eu_fund:
            raise ValidationError({"fund": _("Choose an EU fund.")}, code="not_eu_fund")


DESCRIPTION_MAX_LENGTH = 3000


class ProjectQuerySet(AuditedQuerySet):
    def locked(self, pk) -> Project:
        """The project as stored now, its row locked until the transaction ends.

        Every write that changes what a project has approved or allocated (its approved
        total; a budget's total or partner) takes this lock *first*, before any budget row,
        and only then reads the figures it checks. Writers of one project thus check one
        after the other against committed figures, and the one lock order (project, then
        budget) cannot deadlock. FOR NO KEY UPDATE: inserting rows that point to the project
        (phases, partners) is not held up. Outside a transaction PostgreSQL refuses it."""
        return self.select_for_update(no_key=True).get(pk=pk)

    def lock_all(self, pks) -> list[int]:
        """Lock several projects, in the order of their keys (so two such writers cannot
        deadlock); returns the keys locked."""
        rows = self.select_for_update(no_key=True).filter(pk__in=pks).order_by("pk")
        return list(rows.values_list("pk", flat=True))


class Project(models.Model):
    """A network of partners funded by a programme, e.g. "Digital Innovation 4 Cities"."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "project"))

    class NetworkType(models.TextChoices):
        ACTION_PLANNING = "apn", _("Action Planning Network")
        TRANSFER = "tn", _("Transfer Network")
        IMPLEMENTATION = "in", _("Implementation Network")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=200)
    # Networks are renamed between phases (DI4C became DigiPlace in phase 2); `name` stays
    # the first one, under which the project was approved, and this is the one used now.
    current_name = models.CharField(
        _("current name"),
        max_length=200,
        blank=True,
        help_text=_("The name the network has now, if it was renamed (e.g. DigiPlace)."),
    )
    acronym = models.CharField(_("acronym"), max_length=30)
    slug = models.SlugField(_("URL name"), max_length=60, unique=True)
    network_type = models.CharField(
        _("network type"), max_length=10, choices=NetworkType, default=NetworkType.OTHER
    )
    # An abstract, shown on the overview page.
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    website = models.URLField(_("website"), blank=True)
    history = TrailHistory()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        # The index page's search (pages/selectors.py own_projects: `icontains` on the name
        # in either language, the current name and the acronym) on PostgreSQL; the partner
        # half of it uses Organisation's. EXPLAIN in the commit that added them.
        indexes = [
            TrigramIndex("name_lv", name="project_name_lv_trgm"),
            TrigramIndex("name_en", name="project_name_en_trgm"),
            TrigramIndex("current_name", name="project_current_name_trgm"),
            TrigramIndex("acronym", name="project_acronym_trgm"),
        ]
        permissions = [
            ("view_portal", _("Can view the portal pages")),
            ("manage_project", _("Can edit project-wide data")),
            ("view_history", _("Can view the audit trail")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH),
                name="project_description_length",
                violation_error_message=_("The description is too long."),
            ),
            # The Latvian and English descriptions (projects/translation.py) keep the limit too.
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(
                        Length(f"description_{lang}"), DESCRIPTION_MAX_LENGTH
                    ),
                    name=f"project_description_{lang}_length",
                    violation_error_message=_("The description is too long."),
                )
                for lang in LANGUAGES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})"

    def get_absolute_url(self) -> str:
        return reverse("pages:overview", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.pk is None:
            return
        # Locked before its figures are read (see ProjectQuerySet.locked): the project form's
        # phase and milestone rules then see the rows as this save will leave them.
        Project.objects.locked(self.pk)


class Phase(models.Model):
    """A phase of a project. It has a planned end and, once known, an actual end
    (DigiPlace's phase 2 was planned for 24 months and ran 27 after the COVID extension)."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "phase"))

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="phases"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    network_name = models.CharField(
        _("network name in this phase"),
        max_length=200,
        blank=True,
        help_text=_("Networks may be renamed between phases (DI4C became DigiPlace)."),
    )
    approved_on = models.DateField(
        _("approved on"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    start = models.DateField(_("start"), validators=DATE_VALIDATORS)
    planned_end = models.DateField(_("planned end"), validators=DATE_VALIDATORS)
    actual_end = models.DateField(
        _("actual end"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="phase_number_unique_in_project",
                violation_error_message=_("This project already has a phase with this number."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("start")),
                name="phase_planned_end_after_start",
                violation_error_message=_("The planned end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_end__gte=F("start")),
                name="phase_actual_end_after_start",
                violation_error_message=_("The actual end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__lte=F("start")),
                name="phase_approved_before_start",
                violation_error_message=_("A phase cannot be approved after it starts."),
            ),
            *dates_in_range("phase", "approved_on", "start", "planned_end", "actual_end"),
        ]

    def __str__(self) -> str:
        return self.name or _("Phase %(number)s") % {"number": self.number}

    @property
    def end(self):
        """The end that counts: the actual end once known, else the planned one."""
        return self.actual_end or self.planned_end

    def clean(self) -> None:
        # The rules over all of a project's phases (no overlap, numbering) are in
        # projects/rules.py: checked where the set to be stored is known (projects/forms.py).
        super().clean()
        if self.approved_on and self.start and self.approved_on > self.start:
            raise ValidationError(
                {"approved_on": _("A phase cannot be approved after it starts.")},
                code="approved_after_start",
            )

    @property
    def was_extended(self) -> bool:
        """Ran past its planned end. A phase that ended early was not extended: it is
        shown with its actual end and no badge (the page, the chart and the PDF use this)."""
        return self.actual_end is not None and self.actual_end > self.planned_end


class Milestone(models.Model):
    noun = Noun(MASCULINE, pgettext_lazy("accusative", "milestone"))

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        DECISION = "decision", _("Decision")
        DEADLINE = "deadline", _("Deadline")
        DELIVERABLE = "deliverable", _("Deliverable")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    start = models.DateField(_("date"), validators=DATE_VALIDATORS)
    end = models.DateField(
        _("last day"),
        null=True,
        blank=True,
        validators=DATE_VALIDATORS,
        help_text=_("For events of several days."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="milestone_end_after_start",
                violation_error_message=_("The last day cannot be before the first."),
            ),
            *dates_in_range("milestone", "start", "end"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.phase_id and self.project_id and self.phase.project_id != self.project_id:
            raise ValidationError(
                {"phase": _("Choose a phase of this milestone's project.")}, code="other_project"
            )

    @property
    def last_day(self):
        return self.end or self.start
