"""The funding report downloads: who gets them, in which language, and what they say."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partners.models import Organisation
from reports.data import funding_report
from urbact_portal.lib.formatting import format_money, format_percent

pytestmark = pytest.mark.django_db

PROJECT_URL = "/projects/di4c/reports/funding.pdf"
PARTNER_URL = "/projects/di4c/partners/ventspils/reports/funding.pdf"


def pdf_text(content: bytes) -> str:
    """All the text of a PDF. pypdf keeps Babel's no-break spaces (U+00A0) as they are, so
    amounts are compared exactly as urbact_portal/lib/formatting.py writes them."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Long names wrap in table cells: join lines, but leave the no-break spaces alone.
    return re.sub(r"[ \n]+", " ", text)


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_urls_are_named():
    assert reverse("reports:project_report", kwargs={"slug": "di4c"}) == PROJECT_URL
    assert (
        reverse("reports:partner_report", kwargs={"slug": "di4c", "partner": "ventspils"})
        == PARTNER_URL
    )


@pytest.mark.parametrize("url", [PROJECT_URL, PARTNER_URL])
def test_anonymous_users_are_sent_to_the_login_page(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [PROJECT_URL, PARTNER_URL])
def test_signed_in_users_without_the_permission_are_refused(outsider_client, demo, url):
    assert outsider_client.get(url).status_code == 403


def test_it_rejects_post(auditor_client, demo):
    assert auditor_client.post(PROJECT_URL).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/projects/nope/reports/funding.pdf",
        "/projects/di4c/partners/nope/reports/funding.pdf",
    ],
)
def test_unknown_projects_and_partners_are_not_found(auditor_client, demo, url):
    assert auditor_client.get(url).status_code == 404


def test_an_unknown_language_is_a_bad_request(auditor_client, demo):
    response = auditor_client.get(PROJECT_URL + "?lang=de")
    assert response.status_code == 400
    assert b"lv, en" in response.content


def test_the_project_report_is_an_attachment_named_after_project_and_day(auditor_client, demo):
    response = auditor_client.get(PROJECT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="funding-report-di4c-lv-\d{4}-\d{2}-\d{2}\.pdf"',
        response["Content-Disposition"],
    )
    partner = auditor_client.get(PARTNER_URL)
    assert 'filename="funding-report-di4c-ventspils-lv-' in partner["Content-Disposition"]
    english = auditor_client.get(PROJECT_URL + "?lang=en")
    assert 'filename="funding-report-di4c-en-' in english["Content-Disposition"]


def test_the_latvian_project_report_shows_every_figure_of_the_budget_page(auditor_client, demo):
    response = auditor_client.get(PROJECT_URL)
    text = pdf_text(response.content)
    report = funding_report(project=demo)
    f = report.funding
    for partner in f.partners:
        assert partner.organisation.name in text
    assert text.count("Budžets vēl nav ievadīts") == 7
    for amount in [f.approved_total, f.allocated, f.unallocated]:
        assert format_money(amount, "lv") in text
    for total in f.source_totals:
        assert format_money(total.amount, "lv") in text
        assert format_percent(total.share, "lv") in text
    assert "51\xa0280,00\xa0€" in text
    assert "43\xa0588,00\xa0€" in text and "2\xa0564,00\xa0€" in text and "5\xa0128,00\xa0€" in text
    assert "714\xa0990,00\xa0€" in text and "663\xa0710,00\xa0€" in text
    assert "Finansējuma pārskats" in text


def test_the_english_partner_report_is_in_english(auditor_client, demo):
    text = pdf_text(auditor_client.get(PARTNER_URL + "?lang=en").content)
    assert "Co-financing plan" in text
    assert "€43,588.00" in text and "85.00%" in text and "€51,280.00" in text
    assert "Ventspils Digitālais centrs" in text
    assert "Final meeting" in text and "6–8 July 2022" in text


def test_the_page_language_is_the_default(auditor_client, demo):
    text = pdf_text(auditor_client.get("/en" + PROJECT_URL).content)
    assert "Funding report" in text and "€714,990.00" in text


def test_every_page_has_title_page_numbers_generation_and_data_date(auditor_client, demo):
    for page_no, page in enumerate(pages(auditor_client.get(PARTNER_URL).content), start=1):
        assert "Finansējuma pārskats: DI4C, Ventspils Digitālais centrs" in page
        assert re.search(rf"Lapa\s{page_no}\sno\s\d", page)
        assert "sagatavoja: aiga" in page  # the auditor's user name (no full name entered)
        assert "Datu stāvoklis:" in page


def test_the_first_page_carries_the_fingerprint_of_the_figures(auditor_client, demo):
    response = auditor_client.get(PROJECT_URL)
    fingerprint = funding_report(project=demo).fingerprint
    assert fingerprint in pages(response.content)[0]
    assert response["X-Report-Fingerprint"] == f"sha256:{fingerprint}"
    english = auditor_client.get(PROJECT_URL + "?lang=en")
    assert english["X-Report-Fingerprint"] == response["X-Report-Fingerprint"]
    assert english.content != response.content


def test_latvian_romanian_and_greek_letters_survive_extraction(auditor_client, costed_project):
    # A partner named with the Latvian pangram: each of the eleven letters is in the data
    # the report shows, so each must come out of the PDF (a missing glyph or a broken
    # ToUnicode map would drop or garble it).
    pangram = "Glāžšķūņa rūķīši dzērumā čiepj Baha koncertflīģeļu vākus"
    Organisation.objects.filter(slug="costed-seventy").update(name=pangram)
    url = reverse("reports:project_report", kwargs={"slug": "costed"})
    text = pdf_text(auditor_client.get(url).content)
    assert "Municipiul Botoșani – Δήμος Τρικκαίων" in text
    assert all(letter in pangram for letter in "āčēģīķļņšūž")  # the test's data is complete
    assert pangram in text
    for word in [
        "Finansējuma pārskats",
        "līdzfinansējums",
        "Sadalīts",
        "ievadīts",
        "Personāla izmaksas",
    ]:
        assert word.lower() in text.lower()


def test_costs_categories_and_unplanned_budgets_are_shown(auditor_client, costed_project):
    url = reverse("reports:project_report", kwargs={"slug": "costed"})
    text = pdf_text(auditor_client.get(url + "?lang=en").content)
    assert "Staff" in text and "€60,000.00" in text and "€9,000.00" in text
    assert "Co-financing plan not yet entered" in text
    assert "Budget not yet entered" in text
    assert "€23,333.33" in text and "€10,000.00" in text  # 70 % of 33,333.33, cut; 30 % rest
    assert "€12,345.67" in text
    # The shares the selector computes (tests/test_funding_figures.py), only formatted here.
    for share in ["51.44%", "8.47%", "68.64%", "48.56%"]:
        assert share in text
    partner_url = reverse(
        "reports:partner_report", kwargs={"slug": "costed", "partner": "costed-lead"}
    )
    partner = pdf_text(auditor_client.get(partner_url + "?lang=en").content)
    assert "flat rate of 15.00% of staff costs" in partner
    assert "€100,000.00" in partner and "€85,000.00" in partner and "€13,000.00" in partner
