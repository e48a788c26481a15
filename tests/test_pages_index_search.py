"""/ for an organisation in thousands of projects: a page at a time, searchable by name,
acronym, partner, country and where the project stands, all in the database (the same
number of queries for 3 projects as for 60)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from pages.views import PROJECTS_PER_PAGE
from partners.models import City, Organisation, Participation
from projects.models import Phase, Project
from projects.selectors import PHASE_STATES, with_phase_state
from projects.timeline import phase_status
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def ventspils(db) -> Organisation:
    city = City.objects.create(
        name="Ventspils", country="LV", latitude=Decimal("57.4"), longitude=Decimal("21.6")
    )
    return Organisation.objects.create(name="Ventspils Digital Centre", slug="ventspils", city=city)


def portfolio(ventspils, count: int) -> list[Project]:
    """`count` projects of Ventspils', each with a partner in Finland and a budget."""
    projects = []
    for i in range(count):
        project = f.project(slug=f"p{i:03d}", partners=1)
        own = Participation.objects.create(project=project, organisation=ventspils)
        f.with_budget(own, "1000.00")
        projects.append(project)
    return projects


def names(response) -> list[str]:
    return [card.project.slug for card in response.context["cards"]]


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize(
    "query", [{}, {"page": "2"}, {"q": "p0", "country": "LV", "status": "completed"}]
)
def test_the_index_makes_the_same_queries_for_3_projects_as_for_60(
    council_client, django_assert_num_queries, ventspils, count, query
):
    portfolio(ventspils, count)
    # Session, user, 2 × permissions; the form's countries, count, page, the page's phases,
    # partner counts, current budget versions, budgets.
    with django_assert_num_queries(13):
        assert council_client.get("/", query).status_code == 200


def test_the_index_shows_a_page_at_a_time_in_name_order(council_client, ventspils):
    portfolio(ventspils, 60)
    first = council_client.get("/en/")
    assert names(first) == [f"p{i:03d}" for i in range(PROJECTS_PER_PAGE)]
    assert first.context["page"].paginator.num_pages == 3
    body = first.content.decode()
    assert "Page 1 of 3" in body and "?page=2" in body and "?page=3" in body
    assert "60 EU-funded projects" in body
    last = council_client.get("/en/", {"page": "3"})
    assert names(last) == [f"p{i:03d}" for i in range(50, 60)]


@pytest.mark.parametrize(("page", "number"), [("zzz", 1), ("0", 3), ("-1", 3), ("9" * 400, 3)])
def test_a_page_number_that_is_not_one_shows_the_first_or_last_page(
    council_client, ventspils, page, number
):
    portfolio(ventspils, 60)
    response = council_client.get("/en/", {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == number


def test_the_page_links_keep_the_search(council_client, ventspils):
    portfolio(ventspils, 60)
    body = council_client.get("/en/", {"q": "project", "page": "2"}).content.decode()
    assert "?q=project&amp;page=1" in body and "?q=project&amp;page=3" in body


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"q": "digitālās"}, ["di4c"]),  # the Latvian name
        ({"q": "DIGITAL INNOVATION"}, ["di4c"]),  # the English name, any case
        ({"q": "digiplace"}, ["di4c"]),  # the current name
        ({"q": "p00"}, ["p000", "p001"]),  # acronym (and name)
        ({"q": "Messina"}, ["di4c"]),  # a partner organisation
        ({"q": "Organisation p001"}, ["p001"]),
        ({"country": "IT"}, ["di4c"]),
        ({"country": "LV", "q": "p001"}, ["p001"]),
        ({"q": "nothing of the kind"}, []),
    ],
)
def test_it_finds_projects_by_name_acronym_partner_and_country(council_client, demo, query, found):
    ventspils = Organisation.objects.get(slug="ventspils")
    portfolio(ventspils, 2)
    response = council_client.get("/en/", query)
    assert response.status_code == 200
    assert names(response) == found


def test_a_search_says_how_many_match_and_offers_all_projects_again(council_client, demo):
    body = council_client.get("/en/", {"q": "digiplace"}).content.decode()
    assert "1 project matches the search." in body
    assert 'href="/en/"' in body
    empty = council_client.get("/en/", {"q": "nothing"}).content.decode()
    assert "No project matches the search." in empty


def schedule(project: Project, *spans: tuple[int, int, int | None]) -> None:
    """Phases as (start, planned end, actual end) in days from today."""
    for number, (start, planned, actual) in enumerate(spans, start=1):
        Phase.objects.create(
            project=project,
            number=number,
            start=TODAY + start * DAY,
            planned_end=TODAY + planned * DAY,
            actual_end=None if actual is None else TODAY + actual * DAY,
        )


SCHEDULES = {
    "before": [(5, 50, None), (60, 90, None)],
    "running": [(-10, 10, None)],
    "running-extended": [(-100, -5, 3)],  # past its planned end, in its extension
    "running-last-day": [(-10, 0, None)],
    "between": [(-100, -50, None), (10, 60, None)],
    "between-ended-early": [(-100, 50, -20), (60, 90, None)],
    "completed": [(-100, -50, None), (-40, -1, None)],
    "empty": [],
}


def test_the_database_says_where_each_project_stands_as_the_pages_do(ventspils):
    """with_phase_state (the search) and timeline.phase_status (the cards) agree."""
    for slug, spans in SCHEDULES.items():
        project = f.project(slug=slug)
        project.phases.all().delete()
        schedule(project, *spans)
    states = dict(
        with_phase_state(Project.objects.all(), today=TODAY).values_list("slug", "phase_state")
    )
    for project in Project.objects.prefetch_related("phases"):
        expected = phase_status(list(project.phases.all()), TODAY).state
        assert states[project.slug] == expected, project.slug
        assert project.slug.startswith(expected)
    assert set(states.values()) == set(PHASE_STATES)


@pytest.mark.parametrize("state", PHASE_STATES)
def test_it_finds_projects_by_where_they_stand(council_client, ventspils, state):
    for slug, spans in SCHEDULES.items():
        project = f.project(slug=slug)
        project.phases.all().delete()
        schedule(project, *spans)
        Participation.objects.create(project=project, organisation=ventspils)
    response = council_client.get("/en/", {"status": state})
    found = names(response)
    assert found and all(slug.startswith(state) for slug in found)
    for card in response.context["cards"]:
        assert card.status.state == state


@pytest.mark.parametrize(
    "query",
    [
        {"country": "XX"},
        {"country": "\x00"},
        {"status": "finished"},
        {"q": "x" * 101},
        {"q": "a\x00b"},
    ],
)
def test_a_search_no_form_can_send_is_a_400_with_the_form_errors(council_client, demo, query):
    response = council_client.get("/en/", query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["cards"] == []


def test_the_search_form_reads_in_latvian(council_client, demo):
    body = council_client.get("/").content.decode()
    assert re.search(r"<option value=\"IT\">Itālija</option>", body)
    assert "Meklēt" in body
