"""Admin for partner organisations and their cities and initiatives. (Partners in projects,
with their budgets, are in funding/admin.py.)"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from partners.admin_base import PartnerScopedAdmin
from partners.models import City, Initiative, Organisation, Participation
from partners.scoping import (
    may_assign_coordinators,
    may_change_organisation,
    may_edit,
    organisation_closed_fields,
)
from partners.services import (
    controllers_disable,
    controllers_enable,
    coordinators_disable,
    coordinators_enable,
)
from projects.roles import CONTROLLERS, COORDINATORS
from urbact_portal.lib.admin_tools import AuditedAdmin, CachedChoicesInline
from urbact_portal.lib.translation import BothLanguagesAdmin, BothLanguagesInline


@admin.register(City)
class CityAdmin(AuditedAdmin, BothLanguagesAdmin):
    list_display = ["name", "country", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name_lv", "name_en"]


class InitiativeInline(CachedChoicesInline, BothLanguagesInline, admin.StackedInline):
    model = Initiative
    extra = 0

    # Initiatives are partner data: only for the organisation (`obj`) one coordinates.
    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and may_edit(request.user, obj, "pk")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit(request.user, obj, "pk")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_edit(request.user, obj, "pk")


class ParticipationInline(CachedChoicesInline, admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["project", "role", "joined_on"]


@admin.register(Organisation)
class OrganisationAdmin(PartnerScopedAdmin, AuditedAdmin, BothLanguagesAdmin):
    scope_path = "pk"
    partner_data = False  # a project-wide row; its partner fields are closed one by one
    list_display = ["name", "city", "country"]
    list_filter = ["city__country"]
    list_select_related = ["city"]
    search_fields = [
        *("name_lv", "name_en", "local_name", "city__name_lv", "city__name_en", "slug")
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["city"]
    filter_horizontal = ["coordinators", "controllers"]
    inlines = [ParticipationInline, InitiativeInline]

    @admin.display(description=_("country"), ordering="city__country")
    def country(self, org: Organisation) -> str:
        return org.city.country.name

    # Who may change which field of an organisation: partners/scoping.py.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and may_change_organisation(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        closed = organisation_closed_fields(request.user, obj)
        return [*super().get_readonly_fields(request, obj), *closed]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A closed field is not on the page: a post that carries it was made by hand.
        if request.method == "POST" and set(request.POST) & set(
            organisation_closed_fields(request.user, obj)
        ):
            raise PermissionDenied
        return super().get_form(request, obj, change, **kwargs)

    def save_related(self, request, form, formsets, change):
        assigns = may_assign_coordinators(request.user)  # nobody else changes assignments
        org = form.instance
        before = (
            (set(org.coordinators.all()), set(org.controllers.all()))
            if change and assigns
            else (set(), set())
        )
        super().save_related(request, form, formsets, change)
        if assigns:
            self._give_and_take_roles(request, org, *before)

    def _give_and_take_roles(
        self, request, organisation: Organisation, coordinators: set, controllers: set
    ) -> None:
        given = coordinators_enable(organisation=organisation)
        taken = coordinators_disable(users=coordinators - set(organisation.coordinators.all()))
        if not (given and taken):
            self._role_missing(request, COORDINATORS)
        given = controllers_enable(organisation=organisation)
        taken = controllers_disable(users=controllers - set(organisation.controllers.all()))
        if not (given and taken):
            self._role_missing(request, CONTROLLERS)

    def _role_missing(self, request, role: str) -> None:
        message = _(
            "The %(role)s role was not found (its group was renamed or deleted), so no role "
            "was given or taken with this change: the users assigned here have no rights "
            "yet. Restore a group named “%(role)s” and save the organisation again."
        )
        self.message_user(request, message % {"role": role}, messages.WARNING)

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)
