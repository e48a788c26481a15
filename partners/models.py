"""Partner organisations, their cities, and their part in projects."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from projects.models import Project
from urbact_portal.lib.dates import DATE_VALIDATORS, dates_in_range
from urbact_portal.lib.grammar import FEMININE, MASCULINE, Noun
from urbact_portal.lib.history import TrailHistory, TwoSidedHistory
from urbact_portal.lib.indexes import TrigramIndex
from urbact_portal.lib.querysets import AuditedQuerySet
from urbact_portal.lib.signals import RuleSignal
from urbact_portal.lib.translation import LANGUAGES


class City(models.Model):
    noun = Noun(FEMININE, pgettext_lazy("accusative", "city"))
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"],
                name="city_unique_per_country",
                violation_error_message=_("This city is already entered for this country."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
                violation_error_message=_("Latitude lies between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
                violation_error_message=_("Longitude lies between -180 and 180."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"

    @property
    def eu_country_code(self) -> str:
        """The EU's own country codes differ from ISO 3166 for Greece (EL) only."""
        return "EL" if self.country.code == "GR" else self.country.code


class Organisation(models.Model):
    """A partner organisation. Entered once, it can take part in any number of projects."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "partner organisation"))

    name = models.CharField(_("name"), max_length=200)
    local_name = models.CharField(_("name in the local language"), max_length=200, blank=True)
    slug = models.SlugField(_("URL name"), max_length=60, unique=True)
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="organisations"
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_organisations",
        help_text=_("Users who keep this organisation's data up to date."),
    )
    # First-level control: who checks and certifies this organisation's expenditure
    # (expenditure/scoping.py applies it).
    controllers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("controllers"),
        blank=True,
        related_name="controlled_organisations",
        help_text=_("First-level controllers who certify this organisation's expenditure."),
    )
    objects = AuditedQuerySet.as_manager()
    history = TwoSidedHistory(m2m_fields=[coordinators, controllers])

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        # The index page's search by partner (pages/selectors.py own_projects: `icontains`
        # on the name in either language and the local name) on PostgreSQL.
        indexes = [
            TrigramIndex("name_lv", name="organisation_name_lv_trgm"),
            TrigramIndex("name_en", name="organisation_name_en_trgm"),
            TrigramIndex("local_name", name="organisation_local_name_trgm"),
        ]
        # What they allow is in partners/scoping.py; the roles migration says who holds them.
        permissions = [
            ("assign_coordinators", _("Can assign an organisation's coordinators")),
            ("view_every_partner", _("Can see every partner's data")),
        ]

    def __str__(self) -> str:
        return self.name


# Sent when a participation is about to move to another project (from its clean(), with
# both projects' rows locked): the funding app refuses with a ValidationError when the
# partner has budgets, which belong to its project's budget versions (funding/receivers.py).
participation_moving = RuleSignal("participation_moving")


class ParticipationQuerySet(AuditedQuerySet):
    def lead_first(self) -> ParticipationQuerySet:
        # "lead" sorts before "partner"; then by name for a stable order.
        return self.order_by("role", "organisation__name")

    def update(self, **kwargs) -> int:
        if not {"project", "project_id"} & set(kwargs):
            return super().update(**kwargs)
        # A bulk move keeps the rule of the form: each partner is moved after its check
        # (which sees the partners moved before it), all or none.
        with transaction.atomic(using=self.db):
            count = 0
            for participation in list(self):
                for name, value in kwargs.items():
                    setattr(participation, name, value)
                participation.clean()
                one = self.model.objects.filter(pk=participation.pk)
                count += super(ParticipationQuerySet, one).update(**kwargs)
        return count


class Participation(models.Model):
    """An organisation's part in one project: its role there (and, in funding/, its budget)."""

    noun = Noun(MASCULINE, pgettext_lazy("accusative", "partner in a project"))

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead partner")
        PARTNER = "partner", _("Partner")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.PARTNER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True, validators=DATE_VALIDATORS)
    history = TrailHistory()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner in a project")
        verbose_name_plural = _("partners in projects")
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="participation_unique",
                violation_error_message=_("This organisation already takes part in the project."),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="lead"),
                name="one_lead_partner_per_project",
                violation_error_message=_("The project already has a lead partner."),
            ),
            *dates_in_range("participation", "joined_on"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.project.acronym}"

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD

    def clean(self) -> None:
        super().clean()
        if self.pk is None or self.project_id is None:
            return
        stored = Participation.objects.filter(pk=self.pk).values_list("project_id", flat=True)
        if not stored or stored[0] == self.project_id:
            return
        # Moved to another project, its budget goes along: it must fit there. Both projects
        # are locked (in key order, as every writer of budget totals locks projects first);
        # budgets are the funding app's, which checks the fit (funding/receivers.py).
        Project.objects.lock_all([stored[0], self.project_id])
        participation_moving.send(sender=Participation, participation=self)


DESCRIPTION_MAX_LENGTH = 2000


class Initiative(models.Model):
    """A good practice a partner already runs, e.g. Trikala's driverless bus line."""

    noun = Noun(FEMININE, pgettext_lazy("accusative", "initiative"))

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="initiatives",
    )
    title = models.CharField(_("title"), max_length=200)
    # A few paragraphs, as the partnership page shows them. The limit also keeps the
    # organisation form (all its initiatives in one POST) far below the request size limit.
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    objects = AuditedQuerySet.as_manager()
    history = TrailHistory()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["organisation__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH),
                name="initiative_description_length",
                violation_error_message=_("The description is too long."),
            ),
            # The Latvian and English descriptions (partners/translation.py) keep the limit too.
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(
                        Length(f"description_{lang}"), DESCRIPTION_MAX_LENGTH
                    ),
                    name=f"initiative_description_{lang}_length",
                    violation_error_message=_("The description is too long."),
                )
                for lang in LANGUAGES
            ),
        ]

    def __str__(self) -> str:
        return self.title
