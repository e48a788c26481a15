"""The read-only pages: who may see them, what they show, and how many queries they make."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partners.models import Organisation, Participation

PAGES = ["overview", "partners", "budget", "budget_csv", "timeline"]
# Each page is routed by the app that owns what it shows.
URL_NAMES = {
    "overview": "pages:overview",
    "partners": "pages:partners",
    "budget": "pages:budget",
    "budget_csv": "funding:budget_csv",
    "timeline": "projects:timeline",
}


def url(name, slug="di4c", language="lv"):
    with translation.override(language):
        return reverse(URL_NAMES[name], kwargs={"slug": slug})


NUMBER = re.compile(r"\d+([.,]\d{2})?")


def text(response) -> str:
    return response.content.decode()


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_an_outsider_to_the_login_page(client, demo, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_the_index_also_needs_a_login(client, db):
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("name", PAGES)
def test_public_pages_open_to_everyone(client, demo, public_pages, name):
    assert client.get(url(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_it_rejects_a_post(council_client, demo, name):
    assert council_client.post(url(name)).status_code == 405


def test_the_login_page_is_styled_like_the_portal_and_translated(client, db):
    response = client.get("/en/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="en">' in text(response)
    assert "Sign in" in text(response)
    assert "Pieteikties" in text(client.get("/accounts/login/"))


def test_signing_in_leads_to_the_list_of_projects(client, council_member, demo):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "pw-alice-1234"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Pilsētu digitālās inovācijas" in text(response)


# --- Not found -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_an_unknown_project_is_a_friendly_404_in_latvian(council_client, demo, name):
    response = council_client.get(url(name, slug="nav-tada"))
    assert response.status_code == 404
    assert "Lapa nav atrasta" in text(response)
    assert '<html lang="lv">' in text(response)


def test_an_unknown_project_is_a_friendly_404_in_english(council_client, demo):
    response = council_client.get(url("overview", slug="no-such", language="en"))
    assert response.status_code == 404
    assert "Page not found" in text(response)


@pytest.mark.parametrize(
    "path",
    [
        "/projects/",
        "/projects/di4c/partners/ventspils/",
        "/projects/di4c/budget.pdf",
        "/en/nowhere/",
        "/projects/%C3%A4/",
    ],
)
def test_odd_paths_give_a_404_not_a_500(council_client, demo, path):
    assert council_client.get(path).status_code == 404


# --- What the pages show ---------------------------------------------------------------------


def test_the_index_lists_the_projects_our_organisation_takes_part_in(council_client, demo):
    body = text(council_client.get("/"))
    assert "Pilsētu digitālās inovācijas" in body
    assert "714\xa0990,00\xa0€" in body  # the approved total (Babel uses no-break spaces)
    assert "51\xa0280,00\xa0€" in body  # our budget
    assert "8 partneri" in body


def test_the_overview_shows_the_money_in_latvian(council_client, demo):
    body = text(council_client.get(url("overview")))
    lv_figures = ["714 990,00 €", "51 280,00 €", "663 710,00 €", "43 588,00 €", "2 564,00 €",
                  "5 128,00 €", "85,00 %", "Ventspils Digitālais centrs"]  # fmt: skip
    for figure in lv_figures:
        figure = figure.replace(" ", "\xa0") if figure[0].isdigit() else figure  # Babel: NBSP
        assert figure in body
    assert "8 partneri, 8 valstis" in body
    assert "Pabeigts (beidzās 2022. gada 7. augustā)" in body
    assert "Noslēguma sanāksme" in body


def test_the_overview_shows_the_money_in_english(council_client, demo):
    body = text(council_client.get(url("overview", language="en")))
    for figure in ["€714,990.00", "€51,280.00", "€663,710.00", "€43,588.00", "€2,564.00",
                   "€5,128.00", "85.00%", "8 partners, 8 countries", "7 August 2022"]:  # fmt: skip
        assert figure in body
    assert '<html lang="en">' in body


def test_the_own_organisation_is_a_setting(council_client, demo, settings):
    settings.PORTAL_OWN_ORGANISATION = "oulu"
    body = text(council_client.get(url("overview", language="en")))
    assert "City of Oulu" in body
    assert "Ventspils Digitālais centrs</th>" not in body


def test_the_partners_page_lists_the_lead_partner_first(council_client, demo):
    body = text(council_client.get(url("partners", language="en")))
    rows = [line for line in body.splitlines() if 'data-partner="' in line]
    assert 'data-partner="messina"' in rows[0]
    assert len(rows) == 8
    assert body.count("budget not yet entered") == 7
    assert "€51,280.00" in body
    assert "Greece" in body and "Latvia" in body
    assert "Experimental driverless bus line" in body
    assert "<svg" in body and "Map of the partner cities" in body


def test_the_budget_page_adds_up(council_client, demo):
    body = text(council_client.get(url("budget", language="en")))
    for figure in ["€714,990.00", "€51,280.00", "€663,710.00", "€43,588.00", "€2,564.00",
                   "€5,128.00"]:  # fmt: skip
        assert figure in body
    assert body.count("<h1") == 1
    assert 'role="img"' in body and "<title" in body


def test_the_timeline_shows_planned_and_actual_ends(council_client, demo):
    body = text(council_client.get(url("timeline", language="en")))
    assert "7 May 2022" in body and "7 August 2022" in body
    assert "24 months planned" in body and "ran 27 months" in body
    assert "Today" in body
    for title in ["Kick-off meeting", "Expert visit to Ventspils", "Final meeting"]:
        assert title in body


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_page_has_one_h1_and_its_language(council_client, demo, language):
    for name in ["overview", "partners", "budget", "timeline"]:
        body = text(council_client.get(url(name, language=language)))
        assert body.count("<h1") == 1, name
        assert f'<html lang="{language}">' in body


def test_the_language_switch_keeps_the_reader_on_the_same_page(council_client, demo):
    body = text(council_client.get(url("budget")))
    assert 'name="next" value="/en/projects/di4c/budget/"' in body
    response = council_client.post(
        "/i18n/setlang/", {"language": "en", "next": "/en/projects/di4c/budget/"}
    )
    assert response.url == "/en/projects/di4c/budget/"
    body = text(council_client.get(url("budget", language="en")))
    assert 'name="next" value="/projects/di4c/budget/"' in body


# --- CSV -------------------------------------------------------------------------------------


def read_csv(response, delimiter):
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: spreadsheets keep Latvian letters
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def amount(cell: str) -> Decimal:
    return Decimal(cell.replace(",", ".")) if cell else Decimal(0)


def test_the_csv_downloads_in_latvian_with_latvian_letters(council_client, demo):
    response = council_client.get(url("budget_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response, ";")
    assert rows[0][:6] == ["Partneris", "Pilsēta", "Valsts", "Loma", "Statuss", "Kopā (EUR)"]
    botosani = next(r for r in rows if r[1] == "Botošani")
    assert botosani[4:] == ["budžets vēl nav ievadīts", "", "", "", "", "", "", ""]
    ventspils = next(r for r in rows if r[1] == "Ventspils")
    assert ventspils[5:] == ["51280,00", "43588,00", "85,00", "2564,00", "5,00", "5128,00", "10,00"]


@pytest.mark.parametrize("language, day", [("lv", "2026-11-25"), ("en", "2026-11-26")])
def test_the_csv_file_name_carries_the_version_the_language_and_the_day(
    council_client, demo, monkeypatch, language, day
):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date.fromisoformat(day))
    response = council_client.get(url("budget_csv", language=language))
    assert response["Content-Disposition"] == (
        f'attachment; filename="di4c-budget-v1-{language}-{day}.csv"'
    )


@pytest.mark.parametrize("project", ["demo", "big_project", "costed_project"])
@pytest.mark.parametrize("language, delimiter", [("lv", ";"), ("en", ",")])
def test_the_csv_is_one_rectangular_table_of_numbers(
    council_client, request, project, language, delimiter
):
    """Every row has the header's columns; a numeric column holds numbers or nothing (the
    status column says why); each figure has one label."""
    slug = request.getfixturevalue(project).slug
    header, *body = read_csv(
        council_client.get(url("budget_csv", slug=slug, language=language)), delimiter
    )
    assert all(len(row) == len(header) for row in body)
    numeric = [i for i, h in enumerate(header) if h.endswith(("(EUR)", "(%)"))]
    assert numeric[0] == 5
    for row in body:
        for i in numeric:
            assert row[i] == "" or NUMBER.fullmatch(row[i]), (row, header[i])
    labels = [row[0] for row in body]
    assert len(labels) == len(set(labels))


def test_the_csv_says_why_a_figure_is_missing(council_client, costed_project):
    header, *body = read_csv(
        council_client.get(url("budget_csv", slug="costed", language="en")), ","
    )
    status = {row[0]: row[4] for row in body}
    assert status.pop("Budget version").startswith("1. planned, 1 December 2019 – ")
    assert set(status.values()) == {"entered", "plan not yet entered", "budget not yet entered", ""}
    unplanned = next(r for r in body if r[4] == "plan not yet entered")
    assert unplanned[5] == unplanned[-1] == "12345.67"


@pytest.mark.parametrize("project", ["demo", "big_project", "costed_project"])
def test_every_csv_row_and_column_adds_up_to_the_cent(council_client, request, project):
    slug = request.getfixturevalue(project).slug
    rows = read_csv(council_client.get(url("budget_csv", slug=slug, language="en")), ",")
    header, *body = rows
    amount_columns = [i for i, h in enumerate(header) if h.endswith("(EUR)") and i > 5]
    summary = {r[0]: r for r in body if not r[4] and not r[1]}
    partners = [r for r in body if r[0] not in summary]
    totals = summary["Allocated to partners"]
    for row in partners:
        assert amount(row[5]) == sum(amount(row[i]) for i in amount_columns)
    for i in [5, *amount_columns]:
        assert amount(totals[i]) == sum(amount(r[i]) for r in partners)
    assert amount(summary["Planned total funding"][5]) == amount(totals[5]) + amount(
        summary["Not yet allocated"][5]
    )


# --- Query counts ----------------------------------------------------------------------------
# Signed in: the session and the user (2), the user's permissions through roles (2),
# SAVEPOINT and RELEASE of ATOMIC_REQUESTS (2), the project (1), then the page's own:
# project_funding() (6: the current budget version, partners, their budgets in it, plans,
# lines, initiatives; the budget page and CSV list the versions instead, to choose one),
# phases and milestones (2).

# The overview's and the budget page's expenditure figures: 4 more (periods, lines, claims,
# state co-financing).
QUERIES = {"overview": 19, "partners": 13, "budget": 17, "budget_csv": 13, "timeline": 9}


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize("project", ["demo", "big_project"])
def test_each_page_makes_a_fixed_number_of_queries(
    council_client, django_assert_num_queries, request, name, project
):
    slug = request.getfixturevalue(project).slug
    with django_assert_num_queries(QUERIES[name]):
        assert council_client.get(url(name, slug=slug)).status_code == 200


def test_the_index_makes_a_fixed_number_of_queries(
    council_client, django_assert_num_queries, demo, big_project
):
    ventspils = Organisation.objects.get(slug="ventspils")
    Participation.objects.create(project=big_project, organisation=ventspils)
    # Session, user, 2 × permissions; partner countries (search form), count, page, the
    # page's phases, partner counts, current budget versions, budgets (pages/selectors.py).
    with django_assert_num_queries(13):
        body = text(council_client.get("/"))
    assert "Project big" in body and "Pilsētu digitālās inovācijas" in body


def test_a_name_that_looks_like_a_formula_is_not_run_by_the_spreadsheet(council_client, demo):
    Organisation.objects.filter(slug="oulu").update(name_en='=HYPERLINK("http://x","y")')
    body = council_client.get("/en/projects/di4c/budget.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_the_budget_pages_by_source_table_adds_up_to_its_footer(council_client, costed_project):
    """Budgets without a co-financing plan are a row of their own, so the rows add up to the
    footer (before, they were left out and the rows fell short of it)."""
    body = text(council_client.get(url("budget", slug="costed", language="en")))
    table = body[body.index('data-table="sources"') : body.index('data-table="categories"')]
    assert 'data-row="unplanned"' in table
    assert "€12,345.67" in table and "€145,679.00" in table


@pytest.mark.parametrize(
    "day, legend", [("2022-06-01", True), ("2026-11-25", False)], ids=["during", "long after"]
)
def test_the_timeline_legend_shows_today_only_when_its_line_is_drawn(
    council_client, demo, monkeypatch, day, legend
):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date.fromisoformat(day))
    body = text(council_client.get(url("timeline", language="en")))
    assert ('data-legend="today"' in body) is legend


def test_a_phase_past_its_planned_end_says_it_is_in_its_extension(
    council_client, demo, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2022, 6, 1))
    for name in ["timeline", "overview"]:
        body = text(council_client.get(url(name, language="en")))
        assert "756 days elapsed" in body and "67 days left" in body
        assert "in its extension (planned end: 7 May 2022)" in body


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_index_links_straight_to_each_projects_pages(council_client, demo, language):
    prefix = "" if language == "lv" else "/en"
    body = text(council_client.get(f"{prefix}/"))
    for page in ["partners", "budget", "timeline"]:
        assert f'href="{prefix}/projects/di4c/{page}/" data-link="{page}"' in body


@pytest.mark.parametrize(
    "language, first, now",
    [
        ("lv", "Pilsētu digitālās inovācijas", "tagad: DigiPlace"),
        ("en", "Digital Innovation 4 Cities", "now: DigiPlace"),
    ],
)
def test_the_project_header_shows_the_name_the_network_has_now(
    council_client, demo, language, first, now
):
    for name in ["overview", "partners", "budget", "timeline"]:
        body = text(council_client.get(url(name, language=language)))
        head = body[body.index("<h1") : body.index("</h1>")]
        assert first in head and now in head, name
