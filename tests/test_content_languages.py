"""Content in both languages (issue 10): names, titles and descriptions are kept in Latvian
and English, shown in the page's language, falling back to the other when one is empty."""

import pytest
from django.utils import translation

from partners.models import City, Organisation
from projects.models import FundingSource, Milestone, Project


def test_the_demo_seeds_both_languages_as_the_news_item_writes_them(demo):
    ventspils = Organisation.objects.get(slug="ventspils")
    assert (ventspils.name_lv, ventspils.name_en) == (
        "Ventspils Digitālais centrs",
        "Ventspils Digital Centre",
    )
    assert Organisation.objects.get(slug="messina").name_lv == (
        "Mesīnas pašvaldības Biznesa inovācijas centrs"
    )
    assert Organisation.objects.get(slug="saint-quentin").name_lv == "Sentkventinas pašvaldība"
    assert (demo.name_lv, demo.name_en) == (
        "Pilsētu digitālās inovācijas",
        "Digital Innovation 4 Cities",
    )
    erdf = FundingSource.objects.get(code="erdf")
    assert (erdf.name_lv, erdf.short_name_lv, erdf.short_name_en) == (
        "Eiropas Reģionālās attīstības fonds",
        "ERAF",
        "ERDF",
    )
    assert {s.name_lv for s in FundingSource.objects.exclude(code="erdf")} == {
        "Latvijas valsts budžeta finansējums",
        "Ventspils pilsētas pašvaldības līdzfinansējums",
    }
    assert all(m.title_lv and m.title_en for m in Milestone.objects.all())


def test_a_page_in_latvian_shows_the_latvian_names_and_in_english_the_english(council_client, demo):
    lv = council_client.get("/projects/di4c/partners/").content.decode()
    en = council_client.get("/en/projects/di4c/partners/").content.decode()
    assert "Sentkventinas pašvaldība" in lv and "Municipality of Saint-Quentin" not in lv
    assert "Municipality of Saint-Quentin" in en and "Sentkventinas pašvaldība" not in en
    budget_lv = council_client.get("/projects/di4c/budget/").content.decode()
    assert "ERAF" in budget_lv and "ERDF" not in budget_lv


@pytest.mark.parametrize(
    ("empty", "page_language", "shown"),
    [("lv", "lv", "Oulu City"), ("en", "en", "Oulun kaupunki LV")],
)
def test_an_empty_language_falls_back_to_the_other(
    council_client, demo, empty, page_language, shown
):
    names = {"name_lv": "Oulun kaupunki LV", "name_en": "Oulu City"}
    Organisation.objects.filter(slug="oulu").update(**(names | {f"name_{empty}": ""}))
    prefix = "" if page_language == "lv" else "/en"
    page = council_client.get(f"{prefix}/projects/di4c/partners/").content.decode()
    assert shown in page


def test_the_plain_attribute_reads_the_active_language(demo):
    city = City.objects.get(name_en="Saint-Quentin")
    with translation.override("lv"):
        assert city.name == "Sentkventina"
    with translation.override("en"):
        assert city.name == "Saint-Quentin"


def test_the_admin_change_form_has_both_languages_side_by_side(client_for, project_manager, demo):
    page = client_for(project_manager).get(f"/admin/projects/project/{demo.pk}/change/")
    form = page.context["adminform"].form
    assert {"name_lv", "name_en", "description_lv", "description_en"} <= set(form.fields)
    assert "name" not in form.fields
    html = page.content.decode()
    assert 'name="name_lv"' in html and 'name="name_en"' in html


def test_the_admin_refuses_a_name_empty_in_both_languages(client_for, superuser, demo):
    from tests.test_integrity_roles import change_url, copied_form

    client = client_for(superuser)
    oulu = Organisation.objects.get(slug="oulu")
    data = copied_form(client, change_url(oulu)) | {"name_lv": "", "name_en": ""}
    response = client.post(change_url(oulu), data)
    assert response.status_code == 200
    assert Organisation.objects.get(slug="oulu").name_en == "City of Oulu"


def test_a_change_in_one_language_is_in_the_trail(demo):
    project = Project.objects.get(slug="di4c")
    project.name_en = "Digital Innovation for Cities"
    project.save()
    last = project.history.first()
    assert last.name_en == "Digital Innovation for Cities"
    assert last.name_lv == "Pilsētu digitālās inovācijas"


def test_a_name_in_english_only_is_enough_in_the_admin(client_for, superuser, demo):
    from tests.test_integrity_roles import change_url, copied_form

    client = client_for(superuser)
    oulu = Organisation.objects.get(slug="oulu")
    data = copied_form(client, change_url(oulu)) | {"name_lv": "", "name_en": "City of Oulu"}
    assert client.post(change_url(oulu), data).status_code == 302
    with translation.override("lv"):
        assert Organisation.objects.get(slug="oulu").name == "City of Oulu"
