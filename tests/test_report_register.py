"""Every report issued is registered (which, for whom, when, fingerprint), and says how many
recorded changes concern its figures since the previous report of its kind."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from funding.models import Budget
from partners.models import Organisation, Participation
from reports.models import IssuedReport
from tests import factories as f
from tests.test_reports_views import pdf_text

pytestmark = pytest.mark.django_db

PROJECT = "/en/projects/di4c/reports/funding.pdf"
VENTSPILS = "/en/projects/di4c/partners/ventspils/reports/funding.pdf"


def normalised(content: bytes) -> str:
    return " ".join(pdf_text(content).split())


def test_a_download_is_registered_with_who_when_and_the_fingerprint(auditor_client, auditor, demo):
    response = auditor_client.get(PROJECT)
    entry = IssuedReport.objects.get()
    assert (entry.kind, entry.project, entry.participation, entry.language) == (
        "project", demo, None, "en",
    )  # fmt: skip
    assert entry.issued_to == auditor
    assert response["X-Report-Fingerprint"] == f"sha256:{entry.fingerprint}"
    assert entry.changes_since_previous is None
    assert "this is the first report of its kind" in normalised(response.content)


def test_the_next_report_counts_the_changes_made_since(auditor_client, demo):
    auditor_client.get(PROJECT)
    budget = Budget.objects.get()
    budget.total = f.eur("50000.00")
    budget.save()
    # Shown: Oulu's name. Not shown in any report: when it joined (audit/coverage.py).
    Organisation.objects.filter(slug="oulu").update(name="Oulun kaupunki")
    Participation.objects.filter(organisation__slug="oulu").update(joined_on="2020-05-07")

    second = auditor_client.get(PROJECT)
    assert "2 recorded changes to these figures since the previous report" in normalised(
        second.content
    )
    third = auditor_client.get(PROJECT)
    assert "0 recorded changes" in normalised(third.content)
    assert list(
        IssuedReport.objects.order_by("pk").values_list("changes_since_previous", flat=True)
    ) == [None, 2, 0]


def test_a_partner_report_counts_only_its_own_and_project_wide_changes(auditor_client, demo):
    auditor_client.get(VENTSPILS)
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    f.with_budget(oulu, "1000.00")  # another partner's figures
    demo.milestones.create(title="Study visit", kind="meeting", start="2021-09-01")  # project-wide
    auditor_client.get(VENTSPILS)
    entry = IssuedReport.objects.filter(kind="partner").first()
    assert entry.participation.organisation.slug == "ventspils"
    assert entry.changes_since_previous == 1


def test_the_same_figures_carry_the_same_fingerprint_in_the_register(auditor_client, demo):
    auditor_client.get(PROJECT)
    auditor_client.get(PROJECT + "?lang=lv")
    first, second = IssuedReport.objects.order_by("pk")
    assert first.fingerprint == second.fingerprint
    assert (first.language, second.language) == ("en", "lv")


def test_reports_made_by_the_command_are_registered_without_a_user(demo, tmp_path):
    call_command("funding_report", "di4c", "--output", str(tmp_path / "r.pdf"))
    entry = IssuedReport.objects.get()
    assert entry.issued_to is None


def test_an_auditor_looks_a_fingerprint_up_in_the_admin(client_for, auditor, auditor_client, demo):
    fingerprint = auditor_client.get(PROJECT)["X-Report-Fingerprint"].removeprefix("sha256:")
    response = client_for(auditor).get(
        reverse("admin:reports_issuedreport_changelist"), {"q": fingerprint}
    )
    assert response.status_code == 200
    assert [e.fingerprint for e in response.context["cl"].result_list] == [fingerprint]


def test_nobody_can_edit_the_register(client_for, superuser, auditor_client, demo):
    auditor_client.get(PROJECT)
    entry = IssuedReport.objects.get()
    client = client_for(superuser)
    assert client.get(reverse("admin:reports_issuedreport_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:reports_issuedreport_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert IssuedReport.objects.count() == 1


def test_the_budget_and_partnership_pages_link_to_both_reports(client_for, council_member, demo):
    client = client_for(council_member)
    budget = client.get("/en/projects/di4c/budget/").content.decode()
    partners = client.get("/en/projects/di4c/partners/").content.decode()
    assert 'href="/en/projects/di4c/reports/funding.pdf"' in budget
    assert 'href="/en/projects/di4c/reports/funding.pdf"' in partners
    assert 'href="/en/projects/di4c/partners/ventspils/reports/funding.pdf"' in partners
    assert client.get("/en/projects/di4c/partners/ventspils/reports/funding.pdf").status_code == 200


def test_no_report_links_for_visitors_of_public_pages(client, public_pages, demo):
    assert "funding.pdf" not in client.get("/en/projects/di4c/budget/").content.decode()


def test_a_head_request_issues_and_registers_no_report(auditor_client, demo):
    from reports.models import IssuedReport

    response = auditor_client.head("/projects/di4c/reports/funding.pdf")

    assert response.status_code == 405
    assert not IssuedReport.objects.exists()
