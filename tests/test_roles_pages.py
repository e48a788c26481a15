"""Each role against each page, report and the history: the expected status, so that every
"may not" is tested too."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "index": "/en/",
    "overview": "/en/projects/di4c/",
    "partners": "/en/projects/di4c/partners/",
    "budget": "/en/projects/di4c/budget/",
    "budget csv": "/en/projects/di4c/budget.csv",
    "timeline": "/en/projects/di4c/timeline/",
    "project report": "/en/projects/di4c/reports/funding.pdf",
    "partner report": "/en/projects/di4c/partners/ventspils/reports/funding.pdf",
    "history": "/en/projects/di4c/history/",
}
PERSONAS = [None, "council_member", "ventspils_coordinator", "oulu_coordinator", "auditor",
            "project_manager", "outsider", "superuser"]  # fmt: skip
L = 302  # to the login page
EXPECTED = {
    #                  anon council ventspils oulu auditor manager outsider root
    "index":          (L, 200, 200, 200, 200, 200, 403, 200),
    "overview":       (L, 200, 200, 200, 200, 200, 403, 200),
    "partners":       (L, 200, 200, 200, 200, 200, 403, 200),
    "budget":         (L, 200, 200, 200, 200, 200, 403, 200),
    "budget csv":     (L, 200, 200, 200, 200, 200, 403, 200),
    "timeline":       (L, 200, 200, 200, 200, 200, 403, 200),
    "project report": (L, 200, 200, 200, 200, 200, 403, 200),
    "partner report": (L, 200, 200, 200, 200, 200, 403, 200),
    "history":        (L, 403, 403, 403, 200, 200, 403, 200),
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_what_it_may(client_for, request, demo, persona):
    user = request.getfixturevalue(persona) if persona else None
    client = client_for(user)
    got = {name: client.get(path).status_code for name, path in PATHS.items()}
    column = PERSONAS.index(persona)
    assert got == {name: codes[column] for name, codes in EXPECTED.items()}


def test_signed_out_visitors_are_sent_to_the_login_page_and_back(client, demo):
    response = client.get(PATHS["project report"])
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_public_pages_open_the_pages_but_not_reports_or_history(client, public_pages, demo):
    got = {name: client.get(path).status_code for name, path in PATHS.items()}
    assert got == {name: (L if name in {"project report", "partner report", "history"} else 200)
                   for name in PATHS}  # fmt: skip
