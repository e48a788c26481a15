"""Every role finds its way: from each portal page a link to the admin named for the work the
user does there, landing on a page they may use; and back from the admin to the portal."""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/projects/di4c/",
    "/projects/di4c/partners/",
    "/projects/di4c/budget/",
    "/projects/di4c/timeline/",
]
LINK = re.compile(r'<a href="([^"]+)" data-admin-link>([^<]+)</a>')


def admin_links(client, path):
    return [(unescape(u), unescape(t)) for u, t in LINK.findall(client.get(path).content.decode())]


@pytest.mark.parametrize(
    ("persona", "label", "lands_on"),
    [
        ("council_member", None, None),
        (
            "ventspils_coordinator",
            "Labot manas organizācijas datus",
            "/admin/partners/organisation/",
        ),
        ("auditor", "Pārskatu reģistrs", "/admin/reports/issuedreport/"),
        ("project_manager", "Projekta dati", "/admin/projects/project/"),
    ],
)
def test_every_page_links_each_role_to_its_work_in_the_admin(
    client_for, request, demo, persona, label, lands_on
):
    client = client_for(request.getfixturevalue(persona))
    for path in PAGES:
        links = admin_links(client, path)
        if label is None:
            assert links == [], path
            continue
        assert [text for _, text in links] == [label], path
        url = links[0][0]
        assert url.startswith(lands_on)
        assert client.get(url).status_code == 200  # a page they may use


def test_the_links_read_in_english_on_english_pages(client_for, demo, ventspils_coordinator,
                                                    project_manager, auditor):  # fmt: skip
    got = {}
    for user in (ventspils_coordinator, project_manager, auditor):
        got[user.username] = [t for _, t in admin_links(client_for(user), "/en/")]
    assert got == {
        "valdis": ["Edit my organisation's data"],
        "peteris": ["Project data"],
        "aiga": ["Report register"],
    }


def test_a_coordinator_of_two_organisations_lands_on_the_list_of_them(
    client_for, demo, ventspils_coordinator
):
    from partners.models import Organisation

    Organisation.objects.get(slug="oulu").coordinators.add(ventspils_coordinator)
    client = client_for(ventspils_coordinator)
    [(url, _)] = admin_links(client, "/")
    assert url == "/admin/partners/organisation/"
    assert client.get(url).content.decode().count("/change/") >= 2


def test_a_coordinator_without_admin_access_gets_no_link(client_for, demo, ventspils_coordinator):
    ventspils_coordinator.is_staff = False
    ventspils_coordinator.save()
    assert admin_links(client_for(ventspils_coordinator), "/") == []


def test_the_admin_links_back_to_the_portal_and_switches_language(
    client_for, demo, ventspils_coordinator
):
    client = client_for(ventspils_coordinator)
    html = client.get("/admin/").content.decode()
    assert '<a href="/" data-portal-link>Atpakaļ uz portālu</a>' in html
    assert 'data-language-switch="en"' in html
    assert 'name="next" value="/en/admin/"' in html
    english = client.get("/en/admin/").content.decode()
    assert '<a href="/en/" data-portal-link>Back to the portal</a>' in english
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in html


# --- A coordinator's start: what is missing, and the form to enter it in -------------------

WORKLIST_ITEM = re.compile(r'<a href="([^"]+)" data-missing>([^<]+)</a>')


def worklist(client, path="/"):
    html = client.get(path).content.decode()
    return [(unescape(u), unescape(t)) for u, t in WORKLIST_ITEM.findall(html)], html


def test_the_ventspils_coordinator_sees_what_is_missing_and_it_goes_as_it_is_filled(
    client_for, demo, ventspils_coordinator
):
    from funding.models import Budget, BudgetLine, CostCategory
    from partners.models import Organisation

    client = client_for(ventspils_coordinator)
    budget = Budget.objects.get(participation__organisation__slug="ventspils")
    ventspils = Organisation.objects.get(slug="ventspils")
    items, html = worklist(client)
    assert "Ventspils Digitālais centrs" in html  # the Latvian page names it in Latvian
    assert items == [
        (f"/admin/funding/budget/{budget.pk}/change/", "DI4C: izmaksu kategorijas"),
        (
            f"/admin/partners/organisation/{ventspils.pk}/change/",
            "kontaktinformācija: tīmekļa vietne, kontaktpersona, kontakta e-pasts",
        ),
    ]
    for url, _ in items:
        assert client.get(url).status_code == 200

    BudgetLine.objects.create(budget=budget, category=CostCategory.STAFF, amount=budget.total)
    ventspils.website = "https://www.ventspils.lv/"
    ventspils.contact_name = "Valdis"
    ventspils.save()
    items, _ = worklist(client)
    assert [label for _, label in items] == ["kontaktinformācija: kontakta e-pasts"]

    ventspils.contact_email = "valdis@ventspils.lv"
    ventspils.save()
    items, html = worklist(client)
    assert items == []
    assert "Viss ir ievadīts." in html


def test_a_partner_without_a_budget_is_led_to_the_add_form_for_its_project(
    client_for, demo, oulu_coordinator
):
    from partners.models import Participation

    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    client = client_for(oulu_coordinator)
    items, _ = worklist(client, "/en/")
    assert items[0] == (
        f"/en/admin/funding/budget/add/?participation={oulu.pk}",
        "DI4C: budget, co-financing plan and cost categories",
    )
    assert client.get(items[0][0]).status_code == 200


@pytest.mark.parametrize("persona", ["council_member", "auditor", "project_manager"])
def test_who_coordinates_nothing_sees_no_worklist(client_for, request, demo, persona):
    _, html = worklist(client_for(request.getfixturevalue(persona)))
    assert "data-worklist" not in html


def test_the_worklist_takes_two_queries_however_many_organisations(
    demo, big_project, ventspils_coordinator, django_assert_num_queries
):
    from pages.selectors import coordinator_worklist
    from partners.models import Organisation

    with django_assert_num_queries(2):
        one = coordinator_worklist(user=ventspils_coordinator)
    for organisation in Organisation.objects.all():
        organisation.coordinators.add(ventspils_coordinator)
    with django_assert_num_queries(2):
        every = coordinator_worklist(user=ventspils_coordinator)
    assert len(one) == 1
    assert len(every) == Organisation.objects.count() > 50


# --- Admin filters list only the values that occur ----------------------------------------

FILTER_CHOICE = re.compile(
    r'<li(?: class="selected")?>\s*<a href="\?([^"]*)"[^>]*>([^<]+)</a></li>'
)


def filter_values(html: str, parameter: str) -> list[str]:
    """The names a list filter offers for `parameter` (its "All" aside)."""
    return [
        unescape(label).strip()
        for query, label in FILTER_CHOICE.findall(html)
        if unescape(query).startswith(parameter + "=") or f"&{parameter}=" in unescape(query)
    ]


PARTNER_COUNTRIES = [
    "Finland",
    "France",
    "Greece",
    "Italy",
    "Latvia",
    "Portugal",
    "Romania",
    "Spain",
]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/en/admin/partners/participation/", "organisation__city__country__exact"),
        ("/en/admin/funding/budget/", "participation__organisation__city__country__exact"),
        ("/en/admin/partners/organisation/", "city__country__exact"),
        ("/en/admin/partners/city/", "country__exact"),
    ],
)
def test_the_country_filters_list_only_the_partner_countries(
    client_for, demo, project_manager, url, parameter
):
    from funding.models import Budget
    from partners.models import Participation
    from tests import factories as f

    for part in Participation.objects.exclude(budgets__isnull=False):
        f.with_budget(part, "1000.00")
    html = client_for(project_manager).get(url).content.decode()
    assert filter_values(html, parameter) == PARTNER_COUNTRIES
    assert Budget.objects.count() == 8


def test_a_coordinators_filters_name_only_their_own_rows(client_for, demo, ventspils_coordinator):
    from partners.models import Organisation

    client = client_for(ventspils_coordinator)
    html = client.get("/en/admin/funding/budget/").content.decode()
    # One budget of their own: nothing to filter, so no filter (and no other partner named).
    assert 'id="changelist-filter"' not in html
    Organisation.objects.get(slug="oulu").coordinators.add(ventspils_coordinator)
    html = client.get("/en/admin/partners/organisation/").content.decode()
    assert filter_values(html, "city__country__exact") == ["Finland", "Latvia"]


def test_choice_filters_list_only_the_choices_in_use(client_for, demo, project_manager):
    from projects.models import FundingSource

    client = client_for(project_manager)
    roles = client.get("/en/admin/partners/participation/").content.decode()
    assert filter_values(roles, "role__exact") == ["Lead partner", "Partner"]
    kinds = client.get("/en/admin/projects/fundingsource/").content.decode()
    in_use = {source.get_kind_display() for source in FundingSource.objects.all()}
    assert filter_values(kinds, "kind__exact") == sorted(in_use)
    assert len(in_use) < len(FundingSource.Kind.choices)


# --- Which buttons a coordinator sees; deleting a budget is for managers --------------------


@pytest.fixture
def ventspils_budget(demo):
    from funding.models import Budget

    return Budget.objects.get(participation__organisation__slug="ventspils")


def test_a_coordinator_with_every_budget_entered_sees_no_delete_add_or_add_another(
    client_for, ventspils_coordinator, ventspils_budget
):
    client = client_for(ventspils_coordinator)
    change = f"/admin/funding/budget/{ventspils_budget.pk}/change/"
    html = client.get(change).content.decode()
    assert f"/admin/funding/budget/{ventspils_budget.pk}/delete/" not in html
    assert 'name="_addanother"' not in html
    assert 'name="_save"' in html
    listing = client.get("/admin/funding/budget/").content.decode()
    assert "/admin/funding/budget/add/" not in listing
    assert 'value="delete_selected"' not in listing
    assert client.get("/admin/funding/budget/add/").status_code == 403


def test_a_coordinator_cannot_delete_their_budget_even_by_a_hand_made_post(
    client_for, ventspils_coordinator, ventspils_budget
):
    client = client_for(ventspils_coordinator)
    url = f"/admin/funding/budget/{ventspils_budget.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    ventspils_budget.refresh_from_db()  # still there


def test_a_coordinator_with_a_budget_to_enter_may_add_one_but_not_one_more(
    client_for, oulu_coordinator
):
    client = client_for(oulu_coordinator)
    assert "/admin/funding/budget/add/" in client.get("/admin/funding/budget/").content.decode()
    html = client.get("/admin/funding/budget/add/").content.decode()
    assert 'name="_save"' in html
    assert 'name="_addanother"' not in html


def test_a_manager_deletes_a_budget_and_the_trail_keeps_it(
    client_for, project_manager, ventspils_budget
):
    from funding.models import Budget

    client = client_for(project_manager)
    change = client.get(f"/en/admin/funding/budget/{ventspils_budget.pk}/change/")
    url = f"/en/admin/funding/budget/{ventspils_budget.pk}/delete/"
    assert url in change.content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Budget.objects.filter(pk=ventspils_budget.pk).exists()
    trail = client.get("/en/projects/di4c/history/").content.decode()
    # The newest change: who deleted which budget, with what it held before.
    newest = trail[trail.index("<tbody>") : trail.index("</tr>", trail.index("<tbody>"))]
    assert "peteris" in newest
    assert 'Budget «Ventspils Digital Centre – DI4C» <span class="badge">deleted</span>' in newest
    history = client.get(f"/en/admin/funding/budget/{ventspils_budget.pk}/history/")
    assert history.status_code == 200


def test_the_worklist_lists_the_first_partnerships_and_counts_the_rest(
    client_for, demo, ventspils_coordinator, monkeypatch
):
    """The own organisation takes part in thousands of projects: the start page lists the
    first few with something missing (by project name) and says how many more there are."""
    from pages import selectors
    from partners.models import Organisation, Participation
    from tests import factories

    ventspils = Organisation.objects.get(slug="ventspils")
    for slug in ("aaa", "zzz"):  # each with a first version, Ventspils without a budget
        Participation.objects.create(project=factories.project(slug), organisation=ventspils)
    monkeypatch.setattr(selectors, "WORKLIST_PARTNERSHIPS", 2)
    items, html = worklist(client_for(ventspils_coordinator), "/en/")
    assert [label for _, label in items[:2]] == [
        "DI4C: cost categories",  # the demo project's name comes before "Project aaa"
        "AAA: budget, co-financing plan and cost categories",
    ]
    assert not any(label.startswith("ZZZ") for _, label in items)
    assert "… and 1 more project with data missing." in html
