"""The portal's roles: Django groups and the permissions each holds.

The groups are created (and kept in line with this file) by a data migration,
projects/migrations/0003_roles.py; which organisations a coordinator may edit is data
(Organisation.coordinators), applied in the admin by partners/scoping.py.
"""

COUNCIL_STAFF = "Council staff"
COORDINATORS = "Coordinators"
AUDITORS = "Auditors"
PROJECT_MANAGERS = "Project managers"

READ_PAGES_AND_REPORTS = ["projects.view_portal", "funding.view_funding_report"]

# Partner data a coordinator keeps up to date (scoped to their own organisations).
PARTNER_DATA = [
    "partners.view_organisation",
    "partners.change_organisation",
    "partners.view_city",
    "partners.view_participation",
    "partners.view_initiative",
    "partners.add_initiative",
    "partners.change_initiative",
    "partners.delete_initiative",
    "funding.view_fundingsource",
    *(
        f"funding.{action}_{model}"
        for model in ("budget", "budgetline", "cofinancingshare")
        for action in ("view", "add", "change", "delete")
    ),
]

ALL_MODELS = {
    "projects": ["programme", "project", "phase", "milestone"],
    "partners": ["city", "organisation", "participation", "initiative"],
    "funding": ["fundingsource", "budget", "budgetline", "cofinancingshare"],
}
VIEW_EVERYTHING = [
    f"{app}.view_{model}" for app, models in ALL_MODELS.items() for model in models
]

PROJECT_WIDE_DATA = [
    "projects.manage_project",
    *(
        f"projects.{action}_{model}"
        for model in ("programme", "project", "phase", "milestone")
        for action in ("view", "add", "change", "delete")
    ),
    *(
        f"partners.{action}_{model}"
        for model in ("city", "organisation", "participation")
        for action in ("view", "add", "change", "delete")
    ),
    *(f"funding.{action}_fundingsource" for action in ("view", "add", "change", "delete")),
]

ROLES: dict[str, list[str]] = {
    COUNCIL_STAFF: READ_PAGES_AND_REPORTS,
    COORDINATORS: [*READ_PAGES_AND_REPORTS, *PARTNER_DATA],
    AUDITORS: [*READ_PAGES_AND_REPORTS, "projects.view_history", *VIEW_EVERYTHING],
    PROJECT_MANAGERS: [
        *READ_PAGES_AND_REPORTS,
        "projects.view_history",
        *VIEW_EVERYTHING,
        *PROJECT_WIDE_DATA,
    ],
}

# Roles whose members use the admin (read-only for auditors).
ADMIN_ROLES = {COORDINATORS, AUDITORS, PROJECT_MANAGERS}
