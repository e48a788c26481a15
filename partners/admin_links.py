"""Where in the admin each user's work is: the links the portal's header shows.

Decided, as everything about rights, by permissions and assignments (partners/scoping.py),
never by a group's name. Each link is named for the work the user does there and leads to a
page they may open; a user who may not use the admin gets none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from partners.scoping import manages_projects, own_organisation_ids

REPORT_REGISTER = "reports.view_issuedreport"
# A first-level controller's work (expenditure/scoping.py; found by name, as the layers want).
CERTIFY_EXPENDITURE = "expenditure.certify_expenditureline"


@dataclass(frozen=True)
class AdminLink:
    label: str
    url: str


def admin_links(user) -> list[AdminLink]:
    """The admin pages the user works on, each at most once: a coordinator's organisation,
    a project manager's project data, an auditor's register of issued reports."""
    # Only staff may enter the admin; checked first so that other users cost no query.
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    links = []
    own = own_organisation_ids(user)
    if own and user.has_perm("partners.change_organisation"):
        url = (
            reverse("admin:partners_organisation_change", args=[own[0]])
            if len(own) == 1
            else reverse("admin:partners_organisation_changelist")
        )
        links.append(AdminLink(_("Edit my organisation's data"), url))
    if (
        not user.is_superuser
        and user.has_perm(CERTIFY_EXPENDITURE)
        and user.controlled_organisations.exists()
    ):
        links.append(AdminLink(_("Expenditure to check"), reverse("expenditure:to_check")))
    if manages_projects(user):
        links.append(AdminLink(_("Project data"), reverse("admin:projects_project_changelist")))
    elif user.has_perm(REPORT_REGISTER):
        # Auditors' work. Project managers reach the register from the admin's index: one
        # link per kind of work keeps the header short on a phone.
        links.append(
            AdminLink(_("Report register"), reverse("admin:reports_issuedreport_changelist"))
        )
    return links
