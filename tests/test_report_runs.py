"""Background report runs: every partner report of a project made by task workers, each
registered like a download, followed on a page that refreshes itself, downloaded as a zip.

Tasks run with django-tasks' immediate backend here (tests/settings.py): a run finishes in
the request that starts it. The progress tests queue with the dummy backend and run the
tasks one by one; one test queues with the database backend and runs its worker command.
"""

from __future__ import annotations

import hashlib
import io
import logging
import signal
import zipfile
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from partners.models import Participation
from reports import runs
from reports.data import funding_report
from reports.models import IssuedReport, ReportRun, ReportRunItem
from reports.pdf import ReportRenderingError
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

START_URL = "/projects/di4c/reports/runs/"
EN_START_URL = "/en/projects/di4c/reports/runs/"


@pytest.fixture(autouse=True)
def run_files(settings, tmp_path):
    """The runs' PDFs in a directory of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        runs.STORAGE_ALIAS: {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "runs"},
        },
    }


@pytest.fixture
def queue_only(settings):
    """Tasks are queued and not run: the test runs them (Task.call), one at a time."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def signed_in(user) -> Client:
    """A client of the user's own: tests with two people need two browsers."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def auditor_client(auditor):
    return signed_in(auditor)


@pytest.fixture
def manager_client(project_manager):
    return signed_in(project_manager)


def start(client, url=START_URL, lang="lv") -> ReportRun:
    response = client.post(url, {"lang": lang})
    assert response.status_code == 302
    run = ReportRun.objects.latest("pk")
    assert response["Location"].endswith(f"/reports/runs/{run.pk}/")
    return run


def zip_of(client, run) -> zipfile.ZipFile:
    response = client.get(f"/reports/runs/{run.pk}/reports.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def partner_slugs(project) -> list[str]:
    return list(
        Participation.objects.filter(project=project).values_list("organisation__slug", flat=True)
    )


# --- What a run produces ---------------------------------------------------------------------


def test_a_run_registers_one_report_per_partner_with_the_fingerprints_of_a_download(
    auditor_client, auditor, demo
):
    run = start(auditor_client)
    run.refresh_from_db()
    slugs = partner_slugs(demo)
    assert (run.status, run.total, run.done, run.failed) == ("done", len(slugs), len(slugs), 0)
    assert run.finished_at is not None
    registered = IssuedReport.objects.filter(kind="partner", project=demo)
    assert registered.count() == len(slugs) == 8
    by_partner = {entry.participation.organisation.slug: entry for entry in registered}
    for slug in slugs:
        entry = by_partner[slug]
        assert entry.fingerprint == funding_report(project=demo, partner_slug=slug).fingerprint
        assert (entry.issued_to, entry.language) == (auditor, "lv")
        assert entry.run_item.run == run


def test_the_zip_holds_the_registered_pdfs_byte_for_byte(auditor_client, demo):
    run = start(auditor_client, lang="en")
    archive = zip_of(auditor_client, run)
    items = run.items.select_related("issued_report", "participation__organisation")
    expected = {f"di4c/funding-report-di4c-{i.participation.organisation.slug}-en-" for i in items}
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 8
    assert {name.rsplit("-", 3)[0] + "-" for name in pdfs} == expected
    registered = {i.filename: i.issued_report.pdf_sha256 for i in items}
    for name in pdfs:
        assert hashlib.sha256(archive.read(name)).hexdigest() == registered[name]
    sums = archive.read("SHA256SUMS").decode()
    assert sums.splitlines() == [f"{registered[name]}  {name}" for name in pdfs]


def test_a_failing_report_is_recorded_and_the_others_still_come_out(
    auditor_client, demo, monkeypatch, english
):
    issue = runs.issue_report

    def broken_for_oulu(**kwargs):
        if kwargs["partner_slug"] == "oulu":
            raise ReportRenderingError("The report needs static/fonts/missing.ttf, not found.")
        return issue(**kwargs)

    monkeypatch.setattr(runs, "issue_report", broken_for_oulu)
    run = start(auditor_client)
    run.refresh_from_db()
    assert (run.status, run.done, run.failed) == ("errors", 7, 1)
    failed = run.items.get(status="failed")
    assert failed.participation.organisation.slug == "oulu"
    assert failed.error == "The report needs static/fonts/missing.ttf, not found."
    assert failed.issued_report is None
    assert not IssuedReport.objects.filter(participation=failed.participation).exists()
    page = auditor_client.get(f"/en/reports/runs/{run.pk}/").content.decode()
    assert "ready, with errors" in page
    assert "The report needs static/fonts/missing.ttf, not found." in page
    assert len([n for n in zip_of(auditor_client, run).namelist() if n.endswith(".pdf")]) == 7


def test_a_portfolio_run_covers_every_project_the_user_may_see(auditor_client, demo):
    other = factories.project("other", partners=2)
    run = start(auditor_client, url="/reports/runs/")
    run.refresh_from_db()
    assert (run.scope, run.project, run.status, run.total) == ("portfolio", None, "done", 10)
    assert set(IssuedReport.objects.values_list("project__slug", flat=True)) == {"di4c", "other"}
    assert other.issued_reports.count() == 2


# --- Retried tasks -----------------------------------------------------------------------------


def test_a_report_task_run_again_after_a_crash_registers_nothing_twice(
    auditor_client, demo, queue_only
):
    run = start(auditor_client)
    runs.plan_run.call(run.pk)
    runs.plan_run.call(run.pk)  # the planning task retried: the same eight items
    assert run.items.count() == 8
    first = run.items.first()
    assert runs.make_report.call(first.pk) == "done"
    assert runs.make_report.call(first.pk) == "done"  # e.g. its worker died before reporting
    assert IssuedReport.objects.count() == 1
    run.refresh_from_db()
    assert (run.done, run.status) == (1, "running")


def test_a_retried_run_after_it_finished_changes_nothing(auditor_client, demo):
    run = start(auditor_client)
    assert runs.plan_run.call(run.pk) == 0  # nothing left waiting
    for item in run.items.all():
        runs.make_report.call(item.pk)
    run.refresh_from_db()
    assert (run.done, IssuedReport.objects.count()) == (8, 8)


# --- Progress ----------------------------------------------------------------------------------


def test_the_run_page_shows_progress_and_refreshes_until_finished(auditor_client, demo, queue_only):
    run = start(auditor_client, url=EN_START_URL, lang="en")
    url = f"/en/reports/runs/{run.pk}/"
    page = auditor_client.get(url).content.decode()
    assert 'data-status="queued"' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Listing the reports to make…" in page

    runs.plan_run.call(run.pk)
    items = list(run.items.values_list("pk", flat=True))
    runs.make_report.call(items[0])
    page = auditor_client.get(url).content.decode()
    assert 'data-status="running"' in page
    assert "1 of 8 reports made" in page
    assert '<progress max="8" value="1">' in page
    assert "data-download" not in page
    assert auditor_client.get(f"/reports/runs/{run.pk}/reports.zip").status_code == 404

    for pk in items[1:]:
        runs.make_report.call(pk)
    page = auditor_client.get(url).content.decode()
    assert 'data-status="done"' in page
    assert "8 of 8 reports made" in page
    assert "http-equiv" not in page
    assert f'href="/en/reports/runs/{run.pk}/reports.zip" data-download' in page


def test_the_run_page_in_latvian(auditor_client, demo, queue_only):
    run = start(auditor_client)
    runs.plan_run.call(run.pk)
    runs.make_report.call(run.items.first().pk)
    page = auditor_client.get(f"/reports/runs/{run.pk}/").content.decode()
    assert "Pārskatu sagatavošana fonā" in page
    assert "Sagatavoti pārskati: 1 no 8" in page
    assert "notiek" in page
    assert "Sagatavot visu projektu visu partneru pārskatus" in page


def test_the_run_page_lists_the_users_own_runs_only(
    auditor_client, manager_client, demo, queue_only
):
    mine = start(auditor_client)
    theirs = start(manager_client)
    page = auditor_client.get(f"/reports/runs/{mine.pk}/").content.decode()
    assert f'href="/reports/runs/{mine.pk}/"' in page
    assert f'href="/reports/runs/{theirs.pk}/"' not in page


def test_the_run_page_makes_a_fixed_number_of_queries(
    auditor_client, demo, queue_only, django_assert_num_queries
):
    for _ in range(3):
        run = start(auditor_client)
    # session, user, the user's permissions (own, by group), the run, the header's links
    # (organisations the user coordinates), the user's runs; the request's savepoint and
    # its release: the same for one run or many.
    with django_assert_num_queries(9):
        assert auditor_client.get(f"/reports/runs/{run.pk}/").status_code == 200


def test_the_run_page_with_failures_makes_one_query_more(
    auditor_client, demo, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(runs, "issue_report", lambda **kwargs: 1 / 0)
    run = start(auditor_client)
    with django_assert_num_queries(10):  # and the failed items, all in one
        page = auditor_client.get(f"/en/reports/runs/{run.pk}/").content.decode()
    assert page.count("ZeroDivisionError: division by zero") == 0
    assert page.count(": division by zero</li>") == 8


# --- Who may start, follow and download a run ---------------------------------------------


def test_the_partnership_page_offers_the_button_to_auditors_and_managers_only(
    client_for, auditor, project_manager, council_member, demo
):
    for user, shown in [(auditor, True), (project_manager, True), (council_member, False)]:
        page = client_for(user).get("/projects/di4c/partners/").content.decode()
        assert (f'action="{START_URL}"' in page) is shown


def test_anonymous_users_are_sent_to_the_login_page(client, demo):
    response = client.post(START_URL, {"lang": "lv"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_users_who_may_not_run_reports_are_refused(client_for, council_member, outsider, demo):
    for user in (council_member, outsider):
        client = client_for(user)
        assert client.post(START_URL, {"lang": "lv"}).status_code == 403
        assert client.post("/reports/runs/", {"lang": "lv"}).status_code == 403
        assert client.get("/reports/runs/").status_code == 403
    assert not ReportRun.objects.exists()


def test_starting_takes_a_post(auditor_client, demo):
    assert auditor_client.get(START_URL).status_code == 405
    assert not ReportRun.objects.exists()


def test_starting_needs_the_csrf_token(auditor, demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor)
    assert client.post(START_URL, {"lang": "lv"}).status_code == 403
    assert not ReportRun.objects.exists()


def test_an_unknown_language_is_a_400(auditor_client, demo):
    assert auditor_client.post(START_URL, {"lang": "de"}).status_code == 400
    assert not ReportRun.objects.exists()


def test_a_project_that_does_not_exist_is_a_404(auditor_client, demo):
    assert auditor_client.post("/projects/nope/reports/runs/", {"lang": "lv"}).status_code == 404


@pytest.fixture
def restricted_client(demo):
    """Rita may run reports (she holds the permissions herself) but sees only the projects
    her organisation, Ventspils, takes part in: no role gives her every partner."""
    user = make_user("rita", organisations=["ventspils"])
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_funding_report", "view_issuedreport"],
            content_type__app_label__in=["funding", "reports"],
        )
    )
    return signed_in(user)


def test_a_crafted_post_for_a_project_the_user_may_not_see_is_a_404(
    restricted_client, demo, queue_only
):
    factories.project("other", partners=2)
    assert restricted_client.post("/projects/other/reports/runs/", {"lang": "lv"}).status_code == (
        404
    )
    assert not ReportRun.objects.exists()
    start(restricted_client)  # her own project's is fine


def test_her_portfolio_run_covers_only_the_projects_she_may_see(restricted_client, demo):
    factories.project("other", partners=2)
    run = start(restricted_client, url="/reports/runs/")
    run.refresh_from_db()
    assert run.total == 8
    assert not IssuedReport.objects.filter(project__slug="other").exists()


def test_another_users_run_page_is_a_404(auditor_client, manager_client, demo, queue_only):
    theirs = start(manager_client)
    assert auditor_client.get(f"/reports/runs/{theirs.pk}/").status_code == 404
    assert auditor_client.post(f"/reports/runs/{theirs.pk}/").status_code == 405
    assert auditor_client.get("/reports/runs/999999/").status_code == 404


def test_another_run_zip_is_for_those_who_may_see_its_reports(
    auditor_client, manager_client, restricted_client, council_member, demo
):
    factories.project("other", partners=2)
    theirs = start(manager_client, url="/reports/runs/")  # di4c and other
    zip_url = f"/reports/runs/{theirs.pk}/reports.zip"
    assert auditor_client.get(zip_url).status_code == 200  # an auditor sees every partner
    assert restricted_client.get(zip_url).status_code == 404  # "other" is not hers
    assert signed_in(council_member).get(zip_url).status_code == 403
    assert auditor_client.get("/reports/runs/999999/reports.zip").status_code == 404


# --- The database backend and its worker ----------------------------------------------------


@pytest.fixture
def worker_in_process():
    """The worker command sets its own signal handlers and loggers: put them back after."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    state = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for lg, level, log_handlers in state:
        lg.setLevel(level)
        lg.handlers[:] = log_handlers


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_the_database_worker_runs_a_queued_run(settings, auditor_client, demo, worker_in_process):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run = start(auditor_client)
    assert list(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("reports.runs.plan_run", "READY")
    ]
    run.refresh_from_db()
    assert (run.status, run.done) == ("queued", 0)

    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=StringIO()
    )

    run.refresh_from_db()
    assert (run.status, run.total, run.done) == ("done", 8, 8)
    statuses = list(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL"] * 9  # the planning task and one per partner
    assert IssuedReport.objects.filter(kind="partner").count() == 8
    assert ReportRunItem.objects.filter(status="done").count() == 8


def test_resuming_after_a_dead_worker_makes_only_what_was_missing(
    auditor_client, demo, queue_only, settings
):
    run = start(auditor_client)
    runs.plan_run.call(run.pk)
    made = run.items.first()
    runs.make_report.call(made.pk)  # the other seven tasks died with their worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    call_command("resume_report_runs", stdout=out)
    assert out.getvalue() == "1 unfinished run(s) queued again.\n"
    run.refresh_from_db()
    assert (run.status, run.done) == ("done", 8)
    assert IssuedReport.objects.count() == 8
    assert IssuedReport.objects.filter(participation=made.participation).count() == 1
