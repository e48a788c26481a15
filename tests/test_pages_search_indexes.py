"""The index's search by text finds the same projects whether the database reads every row
or its trigram indexes (PostgreSQL; pages/selectors.py, lib/indexes.py), and the same on
SQLite, which has no such index."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from pages.selectors import own_projects
from partners.models import City, Organisation, Participation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(db) -> None:
    """Ventspils in three projects, with partners whose names hold the searched pieces."""
    riga = City.objects.create(
        name="Rīga", country="LV", latitude=Decimal("56.9"), longitude=Decimal("24.1")
    )
    ventspils = Organisation.objects.create(
        name_lv="Ventspils Digitālais centrs",
        name_en="Ventspils Digital Centre",
        slug="ventspils",
        city=riga,
    )
    partners = {
        "bus": Organisation.objects.create(
            name_lv="Trikalas pašvaldība",
            name_en="Municipality of Trikala",
            local_name="Δήμος Τρικκαίων",
            slug="trikala",
            city=riga,
        ),
        "tram": Organisation.objects.create(name="Messina BIC", slug="messina", city=riga),
        "web": None,
    }
    for slug, partner in partners.items():
        project = f.project(slug=slug)
        Participation.objects.create(project=project, organisation=ventspils)
        if partner is not None:
            Participation.objects.create(project=project, organisation=partner)
    project = f.project(slug="other")  # Ventspils takes no part: never found
    Participation.objects.create(project=project, organisation=partners["tram"])


SEARCHES = {
    "trikala": ["bus"],  # a partner's English name, in any case
    "ALA": ["bus"],  # a piece of one, in the middle
    "pašvaldība": ["bus"],  # its Latvian name
    "Τρικκ": ["bus"],  # its local name
    "bic": ["tram"],
    "ventspils": ["bus", "tram", "web"],  # every project has Ventspils as a partner
    "project": ["bus", "tram", "web"],  # the name (the factory's "Project <slug>")
    "WE": ["web"],  # the acronym, two letters (fewer than a trigram)
    "e": ["bus", "tram", "web"],
    "nothing like it": [],
}


def found(text: str) -> list[str]:
    return list(own_projects(today=timezone.localdate(), text=text).values_list("slug", flat=True))


@pytest.mark.parametrize(("text", "slugs"), SEARCHES.items())
def test_the_search_finds_projects_by_a_piece_of_their_or_their_partners_names(
    portfolio, text, slugs
):
    assert sorted(found(text)) == slugs


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
@pytest.mark.parametrize("text", SEARCHES)
def test_the_trigram_indexes_change_no_result(portfolio, text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        assert len(cursor.fetchall()) == 7
    every_row = found(text)
    with transaction.atomic(), connection.cursor() as cursor:
        # Scans of whole tables made dear: the planner reads the trigram indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert found(text) == every_row
